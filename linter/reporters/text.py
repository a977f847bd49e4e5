"""Human output: findings grouped by file, one code frame per line, a summary that teaches.

Written for the person who has to act on the findings, often on a first run:

- findings on the same line are listed together above **one** code frame (a function with
  five hardening notes shows its declaration once, with a caret per column);
- each finding ends with where to learn more (`sls-lint explain SLS201`: what, why, how to fix,
  failing and passing examples);
- a failing run ends with one hint line naming the ways to adjust the run (`--ignore`, an
  inline suppression, a baseline, `--fail-on`), with the run's most frequent failing rule as the
  example; a passing run with findings below `--fail-on` says why it passed.

Every piece of file content (source lines, messages, resource addresses, file names) goes
through `printable`, so a template cannot drive the terminal. Colour only when the CLI decided
so (TTY, `--color`, `NO_COLOR`/`FORCE_COLOR`); the text is otherwise identical, so tests can
read it.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby

from sls_lint.model.findings import SEVERITY_RANK, Finding
from sls_lint.reporters import Report
from sls_lint.reporters.terminal_safe import printable

_COLORS = {
    "error": "\033[31m",
    "warning": "\033[33m",
    "note": "\033[36m",
    "bold": "\033[1m",
    "dim": "\033[2m",
    "reset": "\033[0m",
}
FRAME_CONTEXT = 1
MAX_LINE = 200  # characters of a source line shown in a frame
# Line breaks as the parsers count them; `str.splitlines` would also split at \x1c-\x1e, \x0b
# and \x0c, which a hostile file uses to shift every frame after them.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        if not self.enabled:
            return text
        return f"{_COLORS.get(style, '')}{text}{_COLORS['reset']}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _shown(content: str) -> str:
    if len(content) > MAX_LINE:
        content = content[:MAX_LINE] + "…"
    return printable(content)


def _carets(content: str, findings: list[Finding], paint: _Painter) -> str | None:
    """One caret per distinct column, coloured by the worst severity pointing there.

    The padding copies the tabs of the source (so the caret lines up under a tab-indented
    line) and measures escaped characters as printed.
    """
    worst: dict[int, str] = {}
    for finding in findings:
        column = max(1, finding.location.column)
        if column > min(len(content), MAX_LINE) + 1:
            continue
        current = worst.get(column)
        if current is None or SEVERITY_RANK.get(finding.severity, 0) > SEVERITY_RANK.get(
            current, 0
        ):
            worst[column] = finding.severity
    if not worst:
        return None
    out, printed = [], 0
    for column in sorted(worst):
        prefix = printable(content[: column - 1])
        gap = prefix[printed:]
        out.append("".join("\t" if c == "\t" else " " for c in gap))
        out.append(paint(worst[column], "^"))
        printed = len(prefix) + 1
    return "".join(out)


def _frame(lines: list[str], line: int, findings: list[Finding], paint: _Painter) -> list[str]:
    """The source around `line`, shared by every finding reported on it."""
    if not 1 <= line <= len(lines):
        return []
    first = max(1, line - FRAME_CONTEXT)
    last = min(len(lines), line + FRAME_CONTEXT)
    width = len(str(last))
    out = []
    for number in range(first, last + 1):
        content = lines[number - 1]
        gutter = f"{number:>{width}} |"
        if content:
            gutter += " " + _shown(content)
        if number == line:
            out.append(f"  {paint('bold', '>')} {gutter}")
            carets = _carets(content, findings, paint)
            if carets is not None:
                out.append(f"    {' ' * width} | {carets}")
        else:
            out.append(paint("dim", f"    {gutter}"))
    return out


def _lines(text: str) -> list[str]:
    """The lines as the parsers number them (`str.split` when there is no CR: 10x faster)."""
    return text.split("\n") if "\r" not in text else _LINE_BREAK.split(text)


def _finding_line(finding: Finding, paint: _Painter) -> str:
    where = f"{finding.location.line}:{finding.location.column}"
    severity = paint(finding.severity, f"{finding.severity:<7}")
    resource = f" [{printable(finding.resource)}]" if finding.resource else ""
    learn = paint("dim", f"(sls-lint explain {printable(finding.rule_id)})")
    return (
        f"  {where:<8} {severity} {paint('bold', printable(finding.rule_id))} "
        f"{printable(finding.message)}{resource} {learn}"
    )


def _caller_lines(finding: Finding, paint: _Painter) -> list[str]:
    """Where a Terraform module's caller passed the value that caused the finding."""
    lines = []
    for related in finding.related:
        if related.kind == "caller":
            place = f"{related.location.file}:{related.location.line}"
            text = f"           {printable(related.message)} ({printable(place)})"
            lines.append(paint("dim", text))
    return lines


def _summary(report: Report, active: list[Finding]) -> list[str]:
    files = _plural(len(report.files), "file")
    if not active:
        return [f"No findings in {files}."]
    counts = Counter(f.severity for f in active)
    parts = [_plural(counts[s], s) for s in ("error", "warning", "note") if counts.get(s)]
    rules = Counter(f.rule_id for f in active)
    top = ", ".join(f"{printable(rule)} x{n}" for rule, n in sorted(rules.items()))
    found = f"Found {_plural(len(active), 'finding')} ({', '.join(parts)}) in {files}"
    return [f"{found}; by rule: {top}"]


def _closing_hint(report: Report, active: list[Finding]) -> str | None:
    """One line on what to do next: how to adjust a failing run, or why a run passed."""
    threshold = SEVERITY_RANK.get(report.fail_on, 1)
    failing = [f for f in active if SEVERITY_RANK.get(f.severity, 0) >= threshold]
    if failing:
        rule = printable(Counter(f.rule_id for f in failing).most_common(1)[0][0])
        return (
            f"hint: `sls-lint explain {rule}` says how to fix; to adjust the run: "
            f"`--ignore {rule}` (or `ignore` in .sls-lint.toml) skips a rule, "
            f"`# sls-lint: ignore[{rule}] reason` on a line suppresses one finding, "
            "`--write-baseline FILE` then `--baseline FILE` fails only on new findings"
            + ("." if report.fail_on == "error" else ", `--fail-on error` fails on errors only.")
        )
    below = [f for f in active if SEVERITY_RANK.get(f.severity, 0) < threshold]
    if below:
        shown = sorted({f.severity for f in below}, key=lambda s: -SEVERITY_RANK.get(s, 0))
        lowest = min(SEVERITY_RANK.get(f.severity, 0) for f in below)
        level = next(s for s, rank in SEVERITY_RANK.items() if rank == lowest)
        return (
            f"{' and '.join(s + 's' for s in shown).capitalize()} do not fail the run "
            f"(--fail-on {report.fail_on}); `--fail-on {level}` makes them fail it."
        )
    return None


def render(report: Report) -> str:
    paint = _Painter(report.color)
    out: list[str] = []
    active = report.active
    for file, group in groupby(active, key=lambda f: f.location.file):
        out.append(paint("bold", printable(file)))
        text = report.texts.get(file) if report.show_source else None
        lines = _lines(text) if text is not None else []
        for line, same_line in groupby(group, key=lambda f: f.location.line):
            findings = list(same_line)
            for finding in findings:
                out.append(_finding_line(finding, paint))
                out.extend(_caller_lines(finding, paint))
            if lines:
                out.extend(_frame(lines, line, findings, paint))
        out.append("")
    out.extend(_summary(report, active))
    if report.suppressed:
        kinds = Counter(f.suppression.kind for f in report.suppressed if f.suppression)
        detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        out.append(f"{len(report.suppressed)} suppressed ({detail}).")
    hint = _closing_hint(report, active)
    if hint is not None:
        out.append(paint("dim", hint))
    return "\n".join(out) + "\n"
