"""GitHub's `primaryLocationLineHash`, computed as `upload-sarif` would.

Code scanning matches alerts across runs by this hash of the text at and after the flagged
line (a rolling base-37 hash over a 100-character window, spaces and tabs skipped, CR/CRLF
read as LF). Producing it ourselves keeps alerts stable when SARIF is uploaded through the
REST API, where GitHub computes nothing. Written from the algorithm's description in
github/codeql-action `src/fingerprints.ts`.
"""

from __future__ import annotations

BLOCK_SIZE = 100
_MOD = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_MOD, BLOCK_SIZE, 1 << 64)
_EOF = 65535
_SPACE, _TAB, _LF, _CR = 32, 9, 10, 13


def line_hashes(text: str) -> dict[int, str]:
    """1-based line number -> `hexhash:count` for every line of `text`."""
    units = memoryview(text.encode("utf-16-le")).cast("H")
    window = [0] * BLOCK_SIZE
    line_numbers = [-1] * BLOCK_SIZE
    state = {"hash": 0, "index": 0}
    counts: dict[str, int] = {}
    result: dict[int, str] = {}

    def output() -> None:
        index = state["index"]
        value = format(state["hash"], "x")
        counts[value] = counts.get(value, 0) + 1
        result[line_numbers[index]] = f"{value}:{counts[value]}"
        line_numbers[index] = -1

    def update(current: int) -> None:
        index = state["index"]
        begin = window[index]
        window[index] = current
        state["hash"] = (_MOD * state["hash"] + current - _FIRST_MOD * begin) & _MASK
        state["index"] = (index + 1) % BLOCK_SIZE

    line_number = 0
    line_start = True
    previous_cr = False
    for current in units:
        if current in (_SPACE, _TAB) or (previous_cr and current == _LF):
            previous_cr = False
            continue
        if current == _CR:
            current = _LF
            previous_cr = True
        else:
            previous_cr = False
        if line_numbers[state["index"]] != -1:
            output()
        if line_start:
            line_start = False
            line_number += 1
            line_numbers[state["index"]] = line_number
        if current == _LF:
            line_start = True
        update(current)
    for _ in range(BLOCK_SIZE):
        if line_numbers[state["index"]] != -1:
            output()
        update(_EOF)
    return result
