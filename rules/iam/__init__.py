"""Rules of the iam family."""
