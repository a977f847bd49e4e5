"""What a rule reports, and the identity that lets baselines and code scanning track it.

A fingerprint must survive unrelated edits: it is built from the rule, the file, the resource
address and the property path of the finding, never from the line number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sls_lint.model.graph import Location

SEVERITIES = ("error", "warning", "note")
SEVERITY_RANK = {"error": 3, "warning": 2, "note": 1}


@dataclass(frozen=True)
class Related:
    """A secondary location that explains a finding (the route in front of a function...)."""

    location: Location
    message: str
    kind: str = ""  # "caller": the module argument that set the value (shown in text output)


@dataclass
class Suppression:
    """Why a finding is not counted: an inline comment, template metadata or the baseline."""

    kind: str  # "inline", "metadata", "baseline"
    reason: str = ""
    location: Location | None = None
    until: str | None = None  # ISO date after which an inline suppression stops working


@dataclass
class Finding:
    """One problem, at the most specific location known."""

    rule_id: str
    rule_name: str
    severity: str
    message: str
    location: Location
    resource: str = ""
    resource_type: str = ""
    property_path: str = ""
    format: str = ""
    related: list[Related] = field(default_factory=list)
    suppression: Suppression | None = None

    @property
    def fingerprint(self) -> str:
        """Stable identity: rule + file + resource + property path (no line number)."""
        text = "\x1f".join((self.rule_id, self.location.file, self.resource, self.property_path))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple:
        return (
            self.location.file,
            self.location.line,
            self.location.column,
            self.rule_id,
            self.resource,
            self.property_path,
            self.message,
        )
