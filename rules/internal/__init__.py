"""Notices about what sls-lint could not analyse (SLS0xx ids that are rules, not run errors)."""
