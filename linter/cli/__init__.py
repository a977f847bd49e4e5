"""The command line: click declarations, the check command, graph export and their helpers.

Nothing imports this package; it imports everything below it.
"""
