"""Inline suppressions: `# sls-lint: ignore[SLS201] reason` comments in YAML and HCL.

Why comments and not only configuration: the reason for accepting a risk belongs next to the
line that carries it, where a reviewer sees both. One rule covers every placement: a comment
applies to its *target line* and to everything nested under that line. The target is the line
itself for a trailing comment, or the next code line for a comment on its own line. So a comment
above `OrdersRole:` (or `resource "aws_iam_role" "orders" {`) silences the rule for the whole
resource, and a comment above `- Effect: Allow` for the whole statement.

Syntax (ids, id prefixes or rule names, comma-separated)::

    # sls-lint: ignore[SLS201,iam-wildcard-resource] until=2025-12-31 reason text
    # sls-lint: ignore SLS201 reason text
    // sls-lint: ignore[SLS201] reason text          (HCL)

After `until=` the suppression stops working: the finding counts again and an
`SLS003 expired-suppression` finding says why. Suppressions that silence nothing are reported
as `SLS002 unused-suppression` notes when asked (`--report-unused-suppressions`): by default
they are not, because `--select` or a partial run would make correct comments look unused.
CloudFormation `Metadata: sls-lint: ignore:` entries are applied by the engine, not here.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sls_lint.model.findings import Finding, Suppression
from sls_lint.model.graph import Location
from sls_lint.model.rule import id_prefix_matches
from sls_lint.sources.located import Mark
from sls_lint.state.comments import comment_test

UNUSED_ID, UNUSED_NAME = "SLS002", "unused-suppression"
EXPIRED_ID, EXPIRED_NAME = "SLS003", "expired-suppression"

_MARKER = re.compile(r"(?:^|(?<=\s))(?:#|//)\s*sls-lint\s*:\s*ignore\b", re.I)
_BRACKETS = re.compile(r"\s*\[([^\]]*)\]")
_BARE = re.compile(r"\s+([\w,-]+)")
_UNTIL = re.compile(r"(?:^|\s)until=(\S*)")
_COMMENT_ONLY = re.compile(r"^\s*(#|//)")


@dataclass
class InlineSuppression:
    """One `sls-lint: ignore` comment and the lines it covers."""

    file: str
    line: int
    column: int
    target: int
    end: int
    rules: tuple[str, ...]
    reason: str
    until: _dt.date | None = None
    bad_until: str | None = None
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        location = finding.location
        return location.file == self.file and self.target <= location.line <= self.end

    def expired(self, today: _dt.date) -> bool:
        return self.bad_until is not None or (self.until is not None and today > self.until)

    @property
    def location(self) -> Location:
        return Location(self.file, Mark(self.line, self.column, self.line, self.column + 1))


def rule_matches(token: str, rule_id: str, rule_name: str) -> bool:
    """A suppression token names a rule by id, id prefix (`SLS2`, `ACME`) or kebab-case name.

    Ids compare without regard to case and need not start with `SLS`: a custom rule `ACME001`
    is suppressed by `ACME001` or `acme`, like a built-in one or a policy (`ORG001`).
    """
    return token == rule_name or id_prefix_matches(token.upper(), rule_id.upper())


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _code_part(line: str) -> str:
    match = re.search(r"(?:^|\s)(#|//)", line)
    return line[: match.start()] if match else line


def _block_end(lines: Sequence[str], target: int) -> int:
    """The last line nested under `lines[target-1]` (1-based), by braces or indentation."""
    code = _code_part(lines[target - 1])
    depth = code.count("{") - code.count("}")
    if depth > 0:  # an HCL block (or a JSON-ish flow mapping): match the braces
        for number in range(target + 1, len(lines) + 1):
            code = _code_part(lines[number - 1])
            depth += code.count("{") - code.count("}")
            if depth <= 0:
                return number
        return len(lines)
    base = _indent(lines[target - 1])
    opens_mapping = code.rstrip().endswith(":")
    end = target
    for number in range(target + 1, len(lines) + 1):
        text = lines[number - 1]
        if not text.strip() or _COMMENT_ONLY.match(text):
            continue
        indent = _indent(text)
        same_level_list = opens_mapping and indent == base and text.lstrip().startswith("- ")
        if indent > base or same_level_list:
            end = number
        else:
            break
    return end


def _target_line(lines: Sequence[str], comment_line: int, own_line: bool) -> int:
    if not own_line:
        return comment_line
    for number in range(comment_line + 1, len(lines) + 1):
        text = lines[number - 1]
        if text.strip() and not _COMMENT_ONLY.match(text):
            return number
    return comment_line


def _parse_comment(rest: str) -> tuple[tuple[str, ...], str, str | None] | None:
    """(rule tokens, reason, until text) from the text after `ignore`, or None if malformed."""
    match = _BRACKETS.match(rest) or _BARE.match(rest)
    if match is None:
        return None
    tokens = tuple(t.strip() for t in match.group(1).split(",") if t.strip())
    if not tokens:
        return None
    rest = rest[match.end() :]
    until = _UNTIL.search(rest)
    until_text = None
    if until is not None:
        until_text = until.group(1)
        rest = rest[: until.start()] + rest[until.end() :]
    reason = rest.strip().lstrip(":-").strip()
    return tokens, reason, until_text


def parse(file: str, text: str) -> list[InlineSuppression]:
    """Every suppression comment in one file's text.

    Only real comments count (`state/comments.py`): the same words inside a YAML block scalar,
    a quoted string or a Terraform heredoc are data and suppress nothing.
    """
    if "sls-lint" not in text:
        return []
    lines = text.splitlines()
    found: list[InlineSuppression] = []
    is_comment = None
    offsets: list[int] = []
    for number, line in enumerate(lines, start=1):
        if "sls-lint" not in line:
            continue
        match = None
        for candidate in _MARKER.finditer(line):
            if is_comment is None:
                is_comment = comment_test(file, text)
                offsets = _line_offsets(text)
            if is_comment(offsets[number - 1] + candidate.start()):
                match = candidate
                break
        if match is None:
            continue
        parsed = _parse_comment(line[match.end() :])
        if parsed is None:
            continue
        tokens, reason, until_text = parsed
        own_line = not line[: match.start()].strip()
        target = _target_line(lines, number, own_line)
        until, bad = None, None
        if until_text is not None:
            try:
                until = _dt.date.fromisoformat(until_text)
            except ValueError:
                bad = until_text
        found.append(
            InlineSuppression(
                file=file,
                line=number,
                column=match.start() + 1,
                target=target,
                end=_block_end(lines, target),
                rules=tokens,
                reason=reason,
                until=until,
                bad_until=bad,
            )
        )
    return found


def _line_offsets(text: str) -> list[int]:
    """The character offset where each line of `text.splitlines()` starts."""
    offsets = []
    position = 0
    for line in text.splitlines(keepends=True):
        offsets.append(position)
        position += len(line)
    return offsets


def _note(
    rule_id: str, rule_name: str, severity: str, sup: InlineSuppression, token: str, message: str
) -> Finding:
    return Finding(
        rule_id=rule_id,
        rule_name=rule_name,
        severity=severity,
        message=message,
        location=sup.location,
        property_path=f"{token}|{sup.reason}",
    )


def apply(
    findings: list[Finding],
    texts: dict[str, str],
    enabled: Iterable[tuple[str, str]],
    known: Iterable[tuple[str, str]],
    report_unused: bool = False,
    today: _dt.date | None = None,
) -> list[Finding]:
    """Mark findings covered by inline comments as suppressed; return the SLS002/SLS003 findings.

    `enabled` and `known` are (id, name) pairs: only tokens naming an enabled rule can be judged
    unused, and a token naming no known rule at all is reported as a typo. A suppression past
    its `until=` date (or with a date that is not one) is never "unused": it is `SLS003`, when
    it covers a finding (the finding counts again) and, with `report_unused`, when it does not.
    """
    today = today or _dt.date.today()
    enabled = list(enabled)
    known = list(known)
    by_file: dict[str, list[InlineSuppression]] = {}
    for file, text in sorted(texts.items()):
        parsed = parse(file, text)
        if parsed:
            by_file[file] = parsed
    extra: list[Finding] = []
    expired_reported: set[tuple[int, str, str]] = set()
    for finding in findings:
        for sup in by_file.get(finding.location.file, ()):
            if not sup.covers(finding):
                continue
            for token in sup.rules:
                if not rule_matches(token, finding.rule_id, finding.rule_name):
                    continue
                if sup.expired(today):
                    key = (sup.line, sup.file, token)
                    if key not in expired_reported:
                        expired_reported.add(key)
                        extra.append(_expired(sup, token, covering=True))
                    continue
                sup.used.add(token)
                if finding.suppression is None:
                    until = sup.until.isoformat() if sup.until else None
                    finding.suppression = Suppression("inline", sup.reason, sup.location, until)
    if report_unused:
        for sups in by_file.values():
            for sup in sups:
                if sup.expired(today):
                    extra.extend(_stale(sup, known, expired_reported))
                else:
                    extra.extend(_unused(sup, enabled, known))
    return extra


def _expired(sup: InlineSuppression, token: str, covering: bool) -> Finding:
    if sup.bad_until is not None:
        when = (
            f"has an invalid date until={sup.bad_until!r} (expected YYYY-MM-DD, "
            "e.g. until=2025-12-31), so it is treated as expired"
        )
    else:
        assert sup.until is not None
        when = f"expired on {sup.until.isoformat()}"
    if covering:
        effect = (
            "so the finding it covered counts again; "
            "fix the finding or renew the suppression with a reason"
        )
    else:
        effect = "and covers no finding now; delete it, or correct the date"
    return _note(
        EXPIRED_ID,
        EXPIRED_NAME,
        "warning",
        sup,
        token,
        f"Suppression of {token} {when}, {effect}",
    )


def _stale(
    sup: InlineSuppression,
    known: list[tuple[str, str]],
    reported: set[tuple[int, str, str]],
) -> Iterable[Finding]:
    """An expired (or badly dated) suppression's tokens that covered no finding: SLS003."""
    for token in sup.rules:
        if (sup.line, sup.file, token) in reported:
            continue
        if not any(rule_matches(token, i, n) for i, n in known):
            yield _note(UNUSED_ID, UNUSED_NAME, "note", sup, token, _no_such_rule(token))
            continue
        yield _expired(sup, token, covering=False)


def _no_such_rule(token: str) -> str:
    return (
        f"Suppression names '{token}', which is no rule id, prefix or name; correct it "
        "(`sls-lint rules` lists them)"
    )


def _unused(
    sup: InlineSuppression, enabled: list[tuple[str, str]], known: list[tuple[str, str]]
) -> Iterable[Finding]:
    for token in sup.rules:
        if token in sup.used:
            continue
        if not any(rule_matches(token, i, n) for i, n in known):
            message = _no_such_rule(token)
        elif any(rule_matches(token, i, n) for i, n in enabled):
            message = (
                f"Unused suppression: no {token} finding on the lines it covers; remove it, "
                "or move it onto the line of the finding it was meant for"
            )
        else:
            continue  # the rule did not run, so the comment cannot be judged
        yield _note(UNUSED_ID, UNUSED_NAME, "note", sup, token, message)
