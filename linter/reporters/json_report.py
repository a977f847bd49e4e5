"""JSON output: a stable, documented shape (docs/json-output.md); `schema_version` 1.

Additive changes keep the version; renaming or removing a field bumps it, so scripts can
check one number instead of guessing.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sls_lint.model.findings import SEVERITIES, Finding
from sls_lint.reporters import Report
from sls_lint.state.baseline import fingerprint, relative_path

SCHEMA_VERSION = 1


def _location(location: Any) -> dict[str, Any]:
    mark = location.mark
    return {
        "file": location.file,
        "line": mark.line,
        "column": mark.column,
        "end_line": mark.end_line,
        "end_column": mark.end_column,
    }


def finding_dict(finding: Finding, root: str | None = None) -> dict[str, Any]:
    """One finding as documented in docs/json-output.md."""
    suppression = finding.suppression
    path = relative_path(finding.location.file, root)
    return {
        "rule_id": finding.rule_id,
        "rule_name": finding.rule_name,
        "severity": finding.severity,
        "message": finding.message,
        "location": _location(finding.location),
        "path": path,
        "resource": finding.resource,
        "resource_type": finding.resource_type,
        "property_path": finding.property_path,
        "format": finding.format,
        "fingerprint": fingerprint(finding, path),
        "related": [
            {"message": r.message, "location": _location(r.location)} for r in finding.related
        ],
        "suppressed": None
        if suppression is None
        else {"kind": suppression.kind, "reason": suppression.reason},
    }


def render(report: Report) -> str:
    counts = Counter(f.severity for f in report.active)
    suppressed = Counter(f.suppression.kind for f in report.suppressed if f.suppression)
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "sls-lint", "version": report.version},
        "summary": {
            "files": len(report.files),
            "findings": len(report.active),
            "suppressed": len(report.suppressed),
            "suppressed_by_kind": dict(sorted(suppressed.items())),
            "by_severity": {s: counts.get(s, 0) for s in SEVERITIES},
            "fail_on": report.fail_on,
        },
        "files": list(report.files),
        "findings": [finding_dict(f, report.sarif_root) for f in report.shown],
    }
    return _dumps(document)


def _dumps(document: dict) -> str:
    """Indented JSON whose list items (files, findings) sit one per line.

    `json.dumps(indent=...)` falls back to the pure-Python encoder: on a whole-repository
    report that was a quarter of the run. Items encoded compactly by the C encoder, one per
    line, stay readable and diff-friendly at a fraction of the cost.
    """
    compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
    lines = ["{"]
    keys = list(document)
    for position, key in enumerate(keys):
        value = document[key]
        comma = "," if position < len(keys) - 1 else ""
        if isinstance(value, list) and value:
            lines.append(f"  {compact.encode(key)}: [")
            items = [f"    {compact.encode(item)}" for item in value]
            lines.append(",\n".join(items))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {compact.encode(key)}: {compact.encode(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"
