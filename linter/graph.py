"""The resource graph rules read (public path for custom rules).

The code lives in `sls_lint.model.graph`; this name stays stable for rule authors.
"""

from sls_lint.model.graph import (  # noqa: F401
    Edge,
    Kind,
    Location,
    Node,
    ResourceGraph,
    first,
    located,
)

__all__ = [
    "Edge",
    "Kind",
    "Location",
    "Node",
    "ResourceGraph",
    "first",
    "located",
]
