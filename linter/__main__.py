"""Allow `python -m sls_lint`."""

from sls_lint.cli.main import entry

entry()
