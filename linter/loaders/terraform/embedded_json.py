"""JSON written inside Terraform (heredocs, `file("policy.json")`, `.tf.json`), with real lines.

A heredoc policy's statements must point at their lines in the `.tf` file, not at lines of the
heredoc text: the JSON is parsed with positions, then every mark is moved by the heredoc's
origin (its first body line and the indentation `<<-` stripped).
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.terraform.values import FileMark, SourceText, TfDict, file_mark
from sls_lint.sources.located import LDict, LList, Mark
from sls_lint.sources.yaml_source import SourceError, YamlLimits, load_json, load_yaml

_LIMITS = YamlLimits()


def parse_json_text(
    text: str, file: str = "", line: int = 1, column: int = 1, indent: int = 0
) -> Any:
    """Parse JSON text written at (`line`, `column`) of `file`; None when it is not JSON.

    A `SourceText` carries its own origin, which wins over the arguments.
    """
    if isinstance(text, SourceText):
        file, line, column, indent = text.file, text.line, text.column, text.indent
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        document = load_json(str(text), _LIMITS)
    except (SourceError, RecursionError, ValueError):
        return None
    return relocate(document, file, line, column, indent)


def parse_document_text(text: str) -> Any:
    """JSON, else YAML (an OpenAPI `body` may be either), located like `parse_json_text`."""
    parsed = parse_json_text(text)
    if parsed is not None or not text.strip():
        return parsed
    file, line, column, indent = "", 1, 1, 0
    if isinstance(text, SourceText):
        file, line, column, indent = text.file, text.line, text.column, text.indent
    try:
        document = load_yaml(str(text), _LIMITS)
    except (SourceError, RecursionError, ValueError):
        return None
    if not isinstance(document, LDict):
        return None
    return relocate(document, file, line, column, indent)


def relocate(value: Any, file: str, line: int, column: int, indent: int, depth: int = 0) -> Any:
    """A copy of a parsed document with every mark moved to its place in `file`."""

    def move(mark: Mark | None) -> FileMark | None:
        if mark is None:
            return None
        start_column = mark.column + (column - 1 if mark.line == 1 else indent)
        end_column = mark.end_column + (column - 1 if mark.end_line == 1 else indent)
        return file_mark(
            [mark.line + line - 1, start_column, mark.end_line + line - 1, end_column], file
        )

    if depth > 100:
        return value
    if isinstance(value, LDict):
        result = TfDict(mark=move(value.mark) or value.mark)
        for key, item in value.items():
            result[key] = relocate(item, file, line, column, indent, depth + 1)
            result.literal_keys.add(key)
            if key in value.key_marks:
                result.key_marks[key] = move(value.key_marks[key])
            if key in value.value_marks:
                result.value_marks[key] = move(value.value_marks[key])
        return result
    if isinstance(value, LList):
        items = LList(
            [relocate(item, file, line, column, indent, depth + 1) for item in value],
            mark=move(value.mark) or value.mark,
        )
        items.item_marks = [move(m) for m in value.item_marks]
        return items
    return value
