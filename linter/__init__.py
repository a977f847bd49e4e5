"""sls-lint: a security policy linter for serverless infrastructure-as-code.

The package is deliberately light at import time: nothing heavy is imported here, so that
`sls-lint --version` and a pre-commit run on one file start fast.
"""

__version__ = "0.1.0"
