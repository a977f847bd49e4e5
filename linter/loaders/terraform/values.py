"""The values the Terraform evaluator computes with, besides plain data.

Terraform knows many values only after `apply` (an ARN, an id); the linter keeps such values
symbolic instead of guessing: a `TfRef` names the resource attribute, an `Interp` is a string
with symbolic parts. These become graph edges later. Evaluated objects and blocks are `TfDict`
(an `LDict` that also knows which keys were written as literals), lists are `LList`, and every
mark is a `FileMark`, because a Terraform module spans many files.
"""

from __future__ import annotations

from typing import Any

from sls_lint.model.values import Choice, Unknown
from sls_lint.sources.located import LDict, LList, Mark


class FileMark(Mark):
    """A `Mark` that also knows its file (a module's values come from several files)."""

    file: str


def file_mark(span: list[int] | tuple[int, ...], file: str) -> FileMark:
    mark = FileMark(int(span[0]), int(span[1]), int(span[2]), int(span[3]))
    mark.file = file
    return mark


def header_mark(span: list[int], file: str, width: int) -> FileMark:
    """A one-line mark at the start of a block (`resource "aws_x" "y" {` is where it starts)."""
    return file_mark([span[0], span[1], span[0], span[1] + width], file)


class TfDict(LDict):
    """An evaluated object or block; `literal_keys` were written as literal values.

    Secret rules need the difference: `API_KEY = "sk_live_..."` is a leak, `API_KEY =
    var.api_key` a reference (as `!Ref` is in CloudFormation).
    """

    __slots__ = ("literal_keys", "unknown_blocks")

    def __init__(self, *args: Any, mark: Mark, **kwargs: Any) -> None:
        super().__init__(*args, mark=mark, **kwargs)
        self.literal_keys: set[str] = set()
        # `dynamic` blocks whose for_each is unknown before apply: their content is unknown.
        self.unknown_blocks: set[str] = set()


class SourceText(str):
    """A string whose text was written in a file at a known place (a heredoc, `file()`).

    A JSON policy inside it can then be parsed with every statement on its real line.
    """

    file: str
    line: int
    column: int
    indent: int

    def __new__(cls, text: str, file: str, line: int, column: int, indent: int = 0) -> SourceText:
        value = super().__new__(cls, text)
        value.file, value.line, value.column, value.indent = file, line, column, indent
        return value


class TfRef:
    """A resource or data source attribute known only at apply time (`aws_iam_role.r.arn`)."""

    __slots__ = ("address", "attribute")

    def __init__(self, address: str, attribute: str) -> None:
        self.address = address
        self.attribute = attribute

    def text(self) -> str:
        return f"${{{self.address}.{self.attribute}}}"

    def __repr__(self) -> str:
        return f"TfRef({self.address!r}, {self.attribute!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TfRef)
            and other.address == self.address
            and other.attribute == self.attribute
        )

    def __hash__(self) -> int:
        return hash((self.address, self.attribute))


class Interp:
    """A string with parts known only at apply time: `"/aws/lambda/${aws_lambda_function.f.id}"`.

    `origin` is where the text was written (for JSON inside a heredoc), when known.
    """

    __slots__ = ("parts", "origin")

    def __init__(self, parts: list[Any], origin: SourceText | None = None) -> None:
        self.parts = parts
        self.origin = origin

    def text(self) -> str:
        """The string with `${...}` placeholders for the unknown parts."""
        return "".join(placeholder(part) for part in self.parts)

    def refs(self) -> list[TfRef]:
        return [part for part in self.parts if isinstance(part, TfRef)]

    def __repr__(self) -> str:
        return f"Interp({self.parts!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Interp) and other.parts == self.parts

    def __hash__(self) -> int:
        return hash(tuple(map(repr, self.parts)))


class Encoded:
    """The result of `jsonencode(value)`: a JSON string whose structure (and marks) we keep."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Encoded({self.value!r})"


def placeholder(value: Any) -> str:
    """How a value reads inside a string when it is only known symbolically."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, (TfRef, Interp)):
        return value.text()
    if isinstance(value, Unknown):
        return "${?}"
    return "${?}"


def number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def is_symbolic(value: Any) -> bool:
    """Unknown, a reference, a symbolic string or a choice: not plain data."""
    return isinstance(value, (Unknown, TfRef, Interp, Choice))


def plain(value: Any) -> Any:
    """`value` without marks (LDict/LList to dict/list), for comparisons and keys."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, SourceText):
        return str(value)
    return value


def new_list(items: list[Any], marks: list[Mark], mark: Mark) -> LList:
    result = LList(items, mark=mark)
    result.item_marks = list(marks)
    return result


__all__ = [
    "Choice",
    "Encoded",
    "FileMark",
    "Interp",
    "SourceText",
    "TfDict",
    "TfRef",
    "Unknown",
    "file_mark",
    "header_mark",
    "is_symbolic",
    "new_list",
    "placeholder",
    "plain",
]
