"""One run of the linter: discovery, the engine, the worker pool and sharding, the rule
registry and selection.
"""
