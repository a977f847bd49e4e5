"""GitLab Code Quality JSON (`artifacts:reports:codequality`), shown in merge requests.

Required fields per GitLab's docs: `description`, `check_name`, `fingerprint` (unique per
occurrence: identical fingerprints collapse into one in the widget), `severity` (info, minor,
major, critical, blocker) and `location.path` relative to the project root with
`location.lines.begin`. Suppressed findings are left out: Code Quality has no notion of them.
"""

from __future__ import annotations

import json
from typing import Any

from sls_lint.reporters import Report
from sls_lint.state.baseline import fingerprint, relative_path

SEVERITY = {"error": "critical", "warning": "major", "note": "minor"}


def render(report: Report) -> str:
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for finding in report.active:
        path = relative_path(finding.location.file, report.sarif_root)
        key = fingerprint(finding, path)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # same rule, file, resource and property: keep occurrences apart
            key = f"{key}-{seen[key]}"
        resource = f" [{finding.resource}]" if finding.resource else ""
        issues.append(
            {
                "type": "issue",
                "check_name": f"{finding.rule_id} {finding.rule_name}",
                "description": f"{finding.rule_id}: {finding.message}{resource}",
                "categories": ["Security"],
                "severity": SEVERITY.get(finding.severity, "info"),
                "fingerprint": key,
                "location": {
                    "path": path,
                    "lines": {
                        "begin": max(1, finding.location.line),
                        "end": max(finding.location.line, finding.location.mark.end_line, 1),
                    },
                },
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
