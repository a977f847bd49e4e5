"""GitHub Actions workflow commands: `::error file=...,line=...::message` annotations.

GitHub shows at most 10 annotations of each type (error, warning, notice) per step and drops
the rest silently, so findings are emitted highest severity first, at most 10 per type as
annotations; the others are printed as plain log lines, and a last line says how many were not
annotated and points to SARIF, which has no such cap. Values are escaped as actions/toolkit
does: `%`, CR and LF in the message; additionally `:` and `,` in properties. File content is
first passed through `printable`: the runner's log is a terminal too, and a control character
in a message must neither drive it nor start a workflow command of its own.
"""

from __future__ import annotations

from collections import Counter

from sls_lint.model.findings import SEVERITY_RANK, Finding
from sls_lint.reporters import Report
from sls_lint.reporters.terminal_safe import printable
from sls_lint.state.baseline import relative_path

ANNOTATION_CAP = 10
COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """Workflow-command data: `%`, CR and LF escaped, then other control and bidi characters."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, root: str | None) -> str:
    """One workflow command for `finding`; columns only when the span is on one line."""
    mark = finding.location.mark
    properties = [
        ("file", relative_path(finding.location.file, root)),
        ("line", str(max(1, mark.line))),
        ("endLine", str(max(mark.line, mark.end_line, 1))),
    ]
    if mark.end_line <= mark.line:
        properties += [
            ("col", str(max(1, mark.column))),
            ("endColumn", str(max(1, mark.end_column))),
        ]
    properties.append(("title", f"sls-lint {finding.rule_id} ({finding.rule_name})"))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = finding.message + (f" [{finding.resource}]" if finding.resource else "")
    return f"::{COMMANDS.get(finding.severity, 'warning')} {props}::{escape_data(message)}"


def render(report: Report) -> str:
    findings = sorted(
        report.active, key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.sort_key())
    )
    out: list[str] = []
    emitted: Counter[str] = Counter()
    overflow = 0
    for finding in findings:
        command = COMMANDS.get(finding.severity, "warning")
        if emitted[command] < ANNOTATION_CAP:
            emitted[command] += 1
            out.append(annotation(finding, report.sarif_root))
        else:
            overflow += 1
            location = finding.location
            out.append(
                printable(
                    f"{location.file}:{location.line}:{location.column}: {finding.severity} "
                    f"{finding.rule_id} {finding.message}"
                )
            )
    counts = Counter(f.severity for f in findings)
    parts = ", ".join(f"{counts[s]} {s}" for s in ("error", "warning", "note") if counts[s])
    summary = f"sls-lint: {len(findings)} finding{'s' if len(findings) != 1 else ''}"
    summary += f" ({parts})" if parts else ""
    summary += f" in {len(report.files)} file{'s' if len(report.files) != 1 else ''}"
    if report.suppressed:
        summary += f", {len(report.suppressed)} suppressed"
    if overflow:
        summary += (
            f"; {overflow} not annotated (GitHub shows {ANNOTATION_CAP} annotations per type "
            "per step): upload SARIF to code scanning for the full list"
        )
    out.append(summary)
    return "\n".join(out) + "\n"
