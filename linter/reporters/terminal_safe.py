"""Make file content harmless to print: control characters and bidi controls become visible.

A template is written by whoever opened the pull request, and the reviewer's terminal reads
what sls-lint prints. Source lines in code frames, logical ids, values quoted in messages and
file names can all carry an OSC/CSI escape sequence (set the window title, clear the screen,
write a hyperlink) or a Unicode bidi override that reorders what the reviewer sees
("Trojan Source"). Every reporter that prints file content for a terminal or a log passes it
through `printable`, which shows such characters as `\\xNN` / `\\uNNNN` instead.

Tabs stay (they are whitespace, and code frames show them as written); everything else below
U+0020, DEL, the C1 range, the bidi embeddings, overrides and isolates, the bidi marks and the
line/paragraph separators is escaped. Text without any of them is returned unchanged, and that
check is one regex search, so clean output costs nothing measurable.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with control and bidi characters shown as escapes (unchanged when it has none)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)
