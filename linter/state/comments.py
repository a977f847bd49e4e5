"""Where a file's real comments are, so that only comments can carry a suppression.

Why not the line text: `# sls-lint: ignore[SLS201]` inside a YAML block scalar (`ZipFile: |`
inline code), a quoted string or a Terraform heredoc is data, and a pull request could plant
one there to silence a finding on the lines that follow. The position of every candidate
marker is checked against the file's own token stream instead:

* YAML: libyaml's scanner (C speed) yields every scalar token with its span; a `#` outside all
  scalars is a comment. A scanner error ends what is known: markers after it are not trusted.
* HCL (Terraform, OpenTofu): a small lexer that knows strings with `${...}`/`%{...}`
  interpolations, heredocs (`<<EOF`, `<<-EOF`) and the three comment forms (`#`, `//`, `/* */`).
* JSON has no comments at all.

Offsets are character offsets into the text, as `str.splitlines(keepends=True)` counts them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

_HCL_SUFFIXES = (".tf", ".tofu", ".hcl", ".tfvars")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")


def comment_test(file: str, text: str) -> Callable[[int], bool]:
    """A predicate: does a comment start at this character offset of `text`?"""
    name = file.lower()
    if name.endswith(".json"):
        return lambda offset: False
    if name.endswith(_HCL_SUFFIXES):
        starts = hcl_comment_starts(text)
        return starts.__contains__
    return _yaml_comment_test(text)


def _yaml_comment_test(text: str) -> Callable[[int], bool]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    starts: list[int] = []
    ends: list[int] = []
    trusted_until = len(text) + 1
    try:
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.ScalarToken):
                starts.append(token.start_mark.index)
                ends.append(token.end_mark.index)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        trusted_until = mark.index if mark is not None else 0
    except (ValueError, RecursionError, MemoryError):
        trusted_until = 0

    def is_comment(offset: int) -> bool:
        if offset >= trusted_until or text[offset : offset + 1] != "#":
            return False
        # Tokens come in document order and do not overlap: the last one starting at or
        # before `offset` is the only one that can contain it.
        index = bisect.bisect_right(starts, offset) - 1
        return index < 0 or offset >= ends[index]

    return is_comment


def hcl_comment_starts(text: str) -> set[int]:
    """Offsets where an HCL comment (`#`, `//`, `/*`) starts, outside strings and heredocs."""
    found: set[int] = set()
    length = len(text)
    i = 0
    # Each entry is the brace depth of an open `${`/`%{` interpolation, innermost last; the
    # code between is an expression (which may hold strings with interpolations again).
    interpolations: list[int] = []
    depth = 0
    while i < length:
        char = text[i]
        if char == "#" or (char == "/" and text.startswith("//", i)):
            found.add(i)
            newline = text.find("\n", i)
            i = length if newline < 0 else newline
            continue
        if char == "/" and text.startswith("/*", i):
            found.add(i)
            close = text.find("*/", i + 2)
            i = length if close < 0 else close + 2
            continue
        if char == '"':
            i, opened = _skip_string(text, i + 1)
            if opened:  # stopped at an interpolation: lex its expression as code
                interpolations.append(depth)
                depth = 0
            continue
        if char == "<" and text.startswith("<<", i):
            heredoc = _HEREDOC.match(text, i)
            if heredoc is not None:
                i = _skip_heredoc(text, heredoc)
                continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and interpolations:
                # The end of an interpolation: back inside the string that opened it.
                depth = interpolations.pop()
                i, opened = _skip_string(text, i + 1)
                if opened:
                    interpolations.append(depth)
                    depth = 0
                continue
            depth = max(0, depth - 1)
        i += 1
    return found


def _skip_string(text: str, i: int) -> tuple[int, bool]:
    """From inside a quoted template: (offset after its closing quote, False), or (offset after
    an opening `${`/`%{`, True). Escapes `\\x`, `$${` and `%%{` are literal text."""
    length = len(text)
    while i < length:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == '"':
            return i + 1, False
        if char == "\n":  # an unterminated string ends at the line (HCL strings are one line)
            return i, False
        if char in "$%" and text.startswith("{", i + 1):
            return i + 2, True
        if char in "$%" and text.startswith(char + "{", i + 1):
            i += 3
            continue
        i += 1
    return length, False


def _skip_heredoc(text: str, match: re.Match[str]) -> int:
    """The offset after a heredoc's closing marker line (or the end of the text)."""
    marker = match.group(2)
    indented = bool(match.group(1))
    i = match.end()
    length = len(text)
    while i < length:
        newline = text.find("\n", i)
        end = length if newline < 0 else newline
        line = text[i:end].rstrip("\r")
        if (line.strip() if indented else line) == marker:
            return end
        i = end + 1
    return length
