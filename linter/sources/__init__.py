"""Reading the user's files: the files and units of a run, located YAML/JSON values, and the
safety limits. The bottom of the stack: it imports nothing else of sls_lint.
"""
