"""GitHub's `primaryLocationLineHash`, computed as `upload-sarif` would.

Code scanning matches alerts across runs by this hash of the text at and after the flagged
line: a rolling base-37 hash (64-bit wrap-around) over a 100-character window, spaces and tabs
skipped, CR and CRLF read as LF, and the text followed by one end-of-file marker (65535) and
zeros. Producing it ourselves keeps alerts stable when SARIF is uploaded through the REST API,
where GitHub computes nothing. Written from the algorithm in github/codeql-action
`src/fingerprints.ts`; `tests/test_sarif_line_hash.py` holds the published test vectors of
codeql-action and Trivy, so any drift from GitHub's values fails the build.

Characters are UTF-16 code units, as JavaScript's `charCodeAt` sees them.
"""

from __future__ import annotations

from collections.abc import Iterable

BLOCK_SIZE = 100
_BASE = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_BASE, BLOCK_SIZE, 1 << 64)
_EOF = 65535
_SPACE, _TAB, _LF, _CR = 32, 9, 10, 13


class _RollingHasher:
    """The state machine of codeql-action's `hash()`: feed characters, collect line hashes."""

    def __init__(self) -> None:
        self.window = [0] * BLOCK_SIZE
        self.line_numbers = [-1] * BLOCK_SIZE
        self.value = 0
        self.index = 0
        self.line_number = 0
        self.line_start = True
        self.previous_cr = False
        self.counts: dict[str, int] = {}
        self.result: dict[int, str] = {}

    def _output(self) -> None:
        value = format(self.value, "x")
        self.counts[value] = self.counts.get(value, 0) + 1
        self.result[self.line_numbers[self.index]] = f"{value}:{self.counts[value]}"
        self.line_numbers[self.index] = -1

    def _update(self, current: int) -> None:
        begin = self.window[self.index]
        self.window[self.index] = current
        self.value = (_BASE * self.value + current - _FIRST_MOD * begin) & _MASK
        self.index = (self.index + 1) % BLOCK_SIZE

    def feed(self, current: int) -> None:
        if current in (_SPACE, _TAB) or (self.previous_cr and current == _LF):
            self.previous_cr = False
            return
        self.previous_cr = current == _CR
        if self.previous_cr:
            current = _LF
        if self.line_numbers[self.index] != -1:
            self._output()
        if self.line_start:
            self.line_start = False
            self.line_number += 1
            self.line_numbers[self.index] = self.line_number
        if current == _LF:
            self.line_start = True
        self._update(current)

    def finish(self) -> dict[int, str]:
        self.feed(_EOF)
        for _ in range(BLOCK_SIZE):
            if self.line_numbers[self.index] != -1:
                self._output()
            self._update(0)
        return self.result


def _utf16_units(text: str) -> Iterable[int]:
    if text.isascii():
        return text.encode("ascii")
    return memoryview(text.encode("utf-16-le")).cast("H")


def line_hashes(text: str) -> dict[int, str]:
    """1-based line number -> `hexhash:count` for every line of `text`.

    As in codeql-action, a text ending in a newline has one more (empty) line, and an empty
    text has one line.
    """
    hasher = _RollingHasher()
    for unit in _utf16_units(text):
        hasher.feed(unit)
    return hasher.finish()
