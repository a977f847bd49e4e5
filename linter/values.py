"""`Unknown` and `Choice`, the values that cannot be known statically (public path).

The code lives in `sls_lint.model.values`; this name stays stable for rule authors.
"""

from sls_lint.model.values import (  # noqa: F401
    Choice,
    Reference,
    Unknown,
    as_list,
    is_unknown,
    possible,
)

__all__ = [
    "Choice",
    "Reference",
    "Unknown",
    "as_list",
    "is_unknown",
    "possible",
]
