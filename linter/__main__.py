"""Allow `python -m sls_lint`."""

from sls_lint.cli import entry

entry()
