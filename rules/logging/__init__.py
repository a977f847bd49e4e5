"""Rules of the logging family."""
