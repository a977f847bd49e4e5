"""Human output: findings grouped by file, a code frame around each line, a summary.

Colour only when the CLI decided so (TTY, `--color`, `NO_COLOR`/`FORCE_COLOR`); the text is
otherwise identical, so tests can read it.
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from sls_lint.model.findings import Finding
from sls_lint.reporters import Report

_COLORS = {
    "error": "\033[31m",
    "warning": "\033[33m",
    "note": "\033[36m",
    "bold": "\033[1m",
    "dim": "\033[2m",
    "reset": "\033[0m",
}
FRAME_CONTEXT = 1


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        if not self.enabled:
            return text
        return f"{_COLORS[style]}{text}{_COLORS['reset']}"


def _frame(text: str | None, finding: Finding, paint: _Painter) -> list[str]:
    if text is None:
        return []
    lines = text.splitlines()
    line = finding.location.line
    if not 1 <= line <= len(lines):
        return []
    first = max(1, line - FRAME_CONTEXT)
    last = min(len(lines), line + FRAME_CONTEXT)
    width = len(str(last))
    out = []
    for number in range(first, last + 1):
        content = lines[number - 1]
        if len(content) > 200:
            content = content[:200] + "…"
        gutter = f"{number:>{width}} |"
        if number == line:
            out.append(f"  {paint('bold', '>')} {gutter} {content}")
            column = max(1, finding.location.column)
            if column <= len(content) + 1:
                out.append(
                    f"    {' ' * width} | {' ' * (column - 1)}{paint(finding.severity, '^')}"
                )
        else:
            out.append(paint("dim", f"    {gutter} {content}"))
    return out


def render(report: Report) -> str:
    paint = _Painter(report.color)
    out: list[str] = []
    active = report.active
    for file, group in groupby(active, key=lambda f: f.location.file):
        out.append(paint("bold", file))
        for finding in group:
            where = f"{finding.location.line}:{finding.location.column}"
            severity = paint(finding.severity, finding.severity)
            resource = f" [{finding.resource}]" if finding.resource else ""
            out.append(
                f"  {where:<8} {severity:<7} {paint('bold', finding.rule_id)} "
                f"{finding.message}{resource}"
            )
            for related in finding.related:
                if related.kind == "caller":
                    place = f"{related.location.file}:{related.location.line}"
                    out.append(paint("dim", f"           {related.message} ({place})"))
            if report.show_source:
                out.extend(_frame(report.texts.get(file), finding, paint))
        out.append("")
    counts = Counter(f.severity for f in active)
    rules = Counter(f.rule_id for f in active)
    if active:
        parts = [
            f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
            for s in ("error", "warning", "note")
            if counts.get(s)
        ]
        summary = (
            f"Found {len(active)} finding{'s' if len(active) != 1 else ''} ({', '.join(parts)})"
        )
        summary += f" in {len(report.files)} file{'s' if len(report.files) != 1 else ''}"
        top = ", ".join(f"{rule} x{n}" for rule, n in sorted(rules.items()))
        out.append(summary + f"; by rule: {top}")
    else:
        out.append(
            f"No findings in {len(report.files)} file{'s' if len(report.files) != 1 else ''}."
        )
    if report.suppressed:
        kinds = Counter(f.suppression.kind for f in report.suppressed if f.suppression)
        detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        out.append(f"{len(report.suppressed)} suppressed ({detail}).")
    return "\n".join(out) + "\n"
