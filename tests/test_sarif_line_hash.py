"""`primaryLocationLineHash` must equal what GitHub computes, or alerts duplicate on upload.

The vectors are the published expectations of codeql-action (`src/fingerprints.test.ts`) and
Trivy's Go port (`pkg/report/sarif_fingerprints_test.go`), both ports of the same algorithm.
"""

from __future__ import annotations

import pytest

from sls_lint.reporters.line_hash import line_hashes

CODEQL_GREETINGS = [
    "e9496ae3ebfced30:1",
    "fb7c023a8b9ccb3f:1",
    "ce8ba1a563dcdaca:1",
    "e20e36e16fcb0cc8:1",
    "b3edc88f2938467e:1",
    "c8e28b0b4002a3a0:1",
    "c129715d7a2bc9a3:1",
]

CODEQL_VECTORS = [
    ("", ["c129715d7a2bc9a3:1"]),
    (
        " a\nb\n  \t\tc\n d",
        ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"],
    ),
    (
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
        [
            "8b7cf3e952e7aeb2:1",
            "b1ae1287ec4718d9:1",
            "bff680108adb0fcc:1",
            "c6805c5e1288b612:1",
            "b86d3392aea1be30:1",
            "e6ceba753e1a442:1",
        ],
    ),
    (" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", CODEQL_GREETINGS),
    (" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", CODEQL_GREETINGS),
    (" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n", CODEQL_GREETINGS),
    (" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n", CODEQL_GREETINGS),
    (
        "Lorem ipsum dolor sit amet.\n" * 10,
        [
            "a7f2ff13bc495cf2:1",
            "a7f2ff13bc495cf2:2",
            "a7f2ff13bc495cf2:3",
            "a7f2ff13bc495cf2:4",
            "a7f2ff13bc495cf2:5",
            "a7f2ff13bc495cf2:6",
            "a7f2ff1481e87703:1",
            "a9cf91f7bbf1862b:1",
            "55ec222b86bcae53:1",
            "cc97dc7b1d7d8f7b:1",
            "c129715d7a2bc9a3:1",
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CODEQL_VECTORS)
def test_codeql_action_vectors(text: str, expected: list[str]) -> None:
    hashes = line_hashes(text)
    assert [hashes[line] for line in sorted(hashes)] == expected
    assert sorted(hashes) == list(range(1, len(expected) + 1))


TRIVY_TEXT = (
    "def SomeFunction():\n"
    '\tprint("Hello, World!")\n'
    '\tprint("This is a test.")\n'
    '\tprint("Hello, World!")\n'
    '\tprint("It\'s cool to see how this works.")\n'
)


@pytest.mark.parametrize(
    ("line", "prefix"),
    [(2, "a50e3d4e70d33bd8"), (3, "307130b053b79a79"), (4, "3561eccc8d202756")],
)
def test_trivy_vectors(line: int, prefix: str) -> None:
    assert line_hashes(TRIVY_TEXT)[line].split(":")[0] == prefix


def test_identical_windows_get_increasing_suffixes() -> None:
    long_line = (
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 "
        "!@#$%^&*()_+-=[]{},.<>/?|:; 1234567890 ABCDEF\n"
    )
    hashes = line_hashes(long_line * 2)
    first, second = hashes[1].split(":"), hashes[2].split(":")
    assert first[0] == second[0]
    assert (first[1], second[1]) == ("1", "2")


def test_hash_depends_on_text_not_line_number() -> None:
    body = "Resources:\n  Role:\n    Action: '*'\n"
    moved = "# a comment added above\n\n" + body
    assert line_hashes(body)[3] == line_hashes(moved)[5]


def test_non_ascii_is_hashed_as_utf16_code_units() -> None:
    # An astral character is two UTF-16 units in JavaScript; both enter the window.
    assert line_hashes("a\U0001f600\n")[1] != line_hashes("a\ue000\n")[1]
    assert line_hashes("é\n")[1] == line_hashes("é\n")[1]
