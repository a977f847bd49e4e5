"""One line per finding, `path:line:col: severity RULE message [resource]`.

For editors' problem matchers and `grep`: no colour, no code frame, no summary noise beyond a
last count line. File content (paths, messages, resources) is escaped by `printable`.
"""

from __future__ import annotations

from sls_lint.reporters import Report
from sls_lint.reporters.terminal_safe import printable


def render(report: Report) -> str:
    out = []
    for finding in report.active:
        location = finding.location
        resource = f" [{finding.resource}]" if finding.resource else ""
        out.append(
            printable(
                f"{location.file}:{location.line}:{location.column}: {finding.severity} "
                f"{finding.rule_id} {finding.message}{resource}"
            )
        )
    count = len(report.active)
    out.append(f"Found {count} finding{'s' if count != 1 else ''}.")
    return "\n".join(out) + "\n"
