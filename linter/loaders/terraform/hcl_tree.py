"""Pieces of the located HCL tree that both readers build the same way: escapes, heredocs,
templates.

The fast reader (`hcl_reader`) and python-hcl2's converter (`hcl`) share these so that their
trees stay identical. A template's `${...}` parts are parsed by the `parse_fragment` its caller
passes in: the reader gives its own (and hands the whole file over when it cannot), the
converter tries the reader and then python-hcl2. That keeps this module at the bottom: it
imports neither reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

FragmentParser = Callable[[str, int, int], list[Any]]
"""Parse the expression written inside `${...}` at (line, column) of its file."""

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)


def unescape(raw: str) -> str:
    """HCL string escapes (`\\n`, `\\"`, `\\u00e9`...) to their characters."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            try:
                return chr(int(code[1:], 16))
            except (ValueError, OverflowError):
                return match.group(0)
        return _ESCAPES.get(code, match.group(0))

    return _ESCAPE.sub(replace, raw) if "\\" in raw else raw


def heredoc_node(
    raw: str, line: int, column: int, trim: bool, parse_fragment: FragmentParser
) -> list[Any]:
    """The `tmpl` node of a heredoc token (`<<EOT` through the newline after its marker)."""
    lines = raw.replace("\r\n", "\n").split("\n")
    # lines[0] is `<<EOT`, the last two are the closing marker and "" (trailing newline).
    body_lines = lines[1:-2]
    indent = 0
    if trim:
        widths = [len(x) - len(x.lstrip(" \t")) for x in body_lines if x.strip()]
        indent = min(widths) if widths else 0
        body_lines = [x[indent:] for x in body_lines]
    text = "\n".join(body_lines) + ("\n" if body_lines else "")
    body_line = line + 1
    # The token ends after the marker's newline; end the span on the marker line.
    span = [line, column, line + len(lines) - 2, len(lines[-2]) + 1]
    parts = split_template(text, body_line, indent, 1, parse_fragment)
    if all(isinstance(p, str) for p in parts):
        return ["tmpl", span, ["".join(parts)], [body_line, 1 + indent, indent]]
    return ["tmpl", span, parts, [body_line, 1 + indent, indent]]


def merge_literals(parts: list[Any]) -> list[Any]:
    """Adjacent literal parts of a template joined into one string."""
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def split_template(
    text: str, first_line: int, indent: int, first_column: int, parse_fragment: FragmentParser
) -> list[Any]:
    """Split template text (a heredoc body, a JSON string) into literal and `${...}` parts.

    Interpolated expressions are parsed by `parse_fragment` and placed at their line in the
    file; one that cannot be parsed becomes a `bad` part (an Unknown value), never a failed file.
    """
    parts: list[Any] = []
    position = 0
    literal_start = 0
    while True:
        start = text.find("${", position)
        if start < 0:
            break
        if start > 0 and text[start - 1] == "$":  # `$${` is an escaped `${`
            parts.append(text[literal_start : start - 1] + "${")
            position = literal_start = start + 2
            continue
        end = _closing_brace(text, start + 2)
        if end < 0:
            break
        parts.append(text[literal_start:start])
        line = first_line + text.count("\n", 0, start)
        line_start = text.rfind("\n", 0, start) + 1
        column = start - line_start + 1 + indent
        if line == first_line:
            column += first_column - 1
        parts.append(parse_fragment(text[start + 2 : end], line, column + 2))
        position = literal_start = end + 1
    parts.append(text[literal_start:])
    return [p for p in merge_literals(parts) if p != ""] or [""]


def _closing_brace(text: str, position: int) -> int:
    depth = 0
    quoted = False
    index = position
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return -1
