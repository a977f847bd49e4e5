"""Rules of the exposure family."""
