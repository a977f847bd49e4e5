"""Parsed documents that remember where every value was written.

Loaders turn YAML, JSON and HCL into plain Python values so that their code stays simple, but
a finding must point at the exact line the user wrote. Containers therefore carry the position
of themselves, of each key and of each value; scalars stay plain `str`/`int`/`bool` (subclassing
every scalar would cost time and break equality with `bool`).

Positions are 1-based `(line, column)` pairs, with an exclusive end, as SARIF wants them.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Mark(NamedTuple):
    """A span in a source file: 1-based start line/column and exclusive end line/column."""

    line: int
    column: int
    end_line: int
    end_column: int


NO_MARK = Mark(1, 1, 1, 1)


class LDict(dict):
    """A mapping that knows where it, each of its keys and each of its values were written."""

    __slots__ = ("mark", "key_marks", "value_marks")

    def __init__(self, *args: Any, mark: Mark = NO_MARK, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mark = mark
        self.key_marks: dict[Any, Mark] = {}
        self.value_marks: dict[Any, Mark] = {}

    def mark_of(self, key: Any) -> Mark:
        """The span of the value under `key`, or of the mapping itself when it is absent."""
        return self.value_marks.get(key) or self.key_marks.get(key) or self.mark

    def key_mark(self, key: Any) -> Mark:
        """The span of the key itself (the `Action:` of `Action: '*'`)."""
        return self.key_marks.get(key) or self.mark


class LList(list):
    """A sequence that knows where it and each of its items were written."""

    __slots__ = ("mark", "item_marks")

    def __init__(self, *args: Any, mark: Mark = NO_MARK) -> None:
        super().__init__(*args)
        self.mark = mark
        self.item_marks: list[Mark] = []

    def mark_of(self, index: int) -> Mark:
        """The span of item `index`, or of the list when unknown."""
        if 0 <= index < len(self.item_marks):
            return self.item_marks[index]
        return self.mark


def mark_of(container: Any, key: Any = None) -> Mark | None:
    """The span of `container[key]` (or of `container` when key is None), if it was recorded."""
    if key is None:
        return getattr(container, "mark", None)
    if isinstance(container, (LDict, LList)):
        return container.mark_of(key)
    return None
