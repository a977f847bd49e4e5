"""Findings and their locations (public path for custom rules).

The code lives in `sls_lint.model.findings`; this name stays stable for rule authors.
"""

from sls_lint.model.findings import (  # noqa: F401
    SEVERITIES,
    SEVERITY_RANK,
    Finding,
    Related,
    Suppression,
)

__all__ = [
    "Finding",
    "Related",
    "SEVERITIES",
    "SEVERITY_RANK",
    "Suppression",
]
