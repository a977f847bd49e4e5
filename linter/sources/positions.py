"""Error positions that point into the file.

Parsers report some errors at the end of the stream: libyaml at the line after the last one,
lark at "line 0" or one past the end. A finding at `5:1` of a four-line file sends the reader
to nothing (and some viewers reject it), so such positions are moved to the end of the last
line that has any text, which is where the document stopped making sense.
"""

from __future__ import annotations


def clamp_position(text: str, line: int, column: int) -> tuple[int, int]:
    """(line, column), 1-based, moved inside `text` when it lies past its end."""
    lines = text.splitlines()
    if not lines:
        return 1, 1
    if line < 1:
        line, column = 1, 1
    if line > len(lines):
        line = len(lines)
        while line > 1 and not lines[line - 1].strip():
            line -= 1
        return line, len(lines[line - 1].rstrip()) + 1
    return line, max(1, min(column, len(lines[line - 1]) + 1))
