"""Rules of the gateway family."""
