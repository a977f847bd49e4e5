"""Rules of the secrets family."""
