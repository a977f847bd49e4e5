"""JSON output: a stable, documented shape (see README "JSON output"); `schema_version` 1."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sls_lint.findings import Finding
from sls_lint.reporters import Report

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


def finding_dict(finding: Finding) -> dict[str, Any]:
    suppression = finding.suppression
    return {
        "rule_id": finding.rule_id,
        "rule_name": finding.rule_name,
        "severity": finding.severity,
        "message": finding.message,
        "location": _location(finding.location),
        "resource": finding.resource,
        "resource_type": finding.resource_type,
        "format": finding.format,
        "fingerprint": finding.fingerprint,
        "related": [
            {"message": r.message, "location": _location(r.location)} for r in finding.related
        ],
        "suppressed": None
        if suppression is None
        else {"kind": suppression.kind, "reason": suppression.reason},
    }


def render(report: Report) -> str:
    counts = Counter(f.severity for f in report.active)
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "sls-lint", "version": report.version},
        "summary": {
            "files": len(report.files),
            "findings": len(report.active),
            "suppressed": len(report.suppressed),
            "by_severity": {s: counts.get(s, 0) for s in ("error", "warning", "note")},
        },
        "findings": [finding_dict(f) for f in report.findings],
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"
