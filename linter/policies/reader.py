"""Reading a parsed policy document: typed values with errors that say where and what.

The policies' compilers (`condition_compiler.py`, `compiler.py`) read through this class, so
every error names the file, line, column and key, what was expected and what was found (with
a "did you mean" for a near miss), the way configuration errors do. Values read back from the
cache have no positions: the helpers then answer None, and errors name the file only.
"""

from __future__ import annotations

import re
from typing import Any

from sls_lint.policies import vocabulary
from sls_lint.sources.located import LDict, LList, Mark


class PolicyError(Exception):
    """A policy file that cannot be used (exit 2); the message says where and why."""


def did_you_mean(name: Any, options: Any) -> str:
    """` Did you mean 'equals'?` for a near miss, else nothing."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(o) for o in options], n=1, cutoff=0.7)
    return f" Did you mean '{close[0]}'?" if close else ""


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def start_of(value: Any) -> Mark | None:
    """Where a mapping or list starts (None for values read back from the cache)."""
    return getattr(value, "mark", None)


def value_mark(container: Any, key: Any) -> Mark | None:
    return container.mark_of(key) if isinstance(container, (LDict, LList)) else start_of(container)


def key_mark_of(container: Any, key: Any) -> Mark | None:
    return container.key_mark(key) if isinstance(container, LDict) else start_of(container)


def line_of(value: Any) -> int:
    where = start_of(value)
    return where.line if where is not None else 0


class Reader:
    """Reads the values of one policy file; `error` raises with the file and position."""

    def __init__(self, file: str) -> None:
        self.file = file

    # -- errors ---------------------------------------------------------------------------
    def error(self, mark: Mark | None, message: str) -> PolicyError:
        if mark is None:
            return PolicyError(f"{self.file}: {message}")
        return PolicyError(f"{self.file}:{mark.line}:{mark.column}: {message}")

    def _value_mark(self, mapping: Any, key: str) -> Mark | None:
        return mapping.mark_of(key) if isinstance(mapping, LDict) else start_of(mapping)

    def _key_mark(self, mapping: Any, key: str) -> Mark | None:
        return mapping.key_mark(key) if isinstance(mapping, LDict) else start_of(mapping)

    def expect(self, mapping: Any, key: str, expected: str) -> PolicyError:
        value = mapping[key]
        return self.error(
            self._value_mark(mapping, key),
            f"'{key}': expected {expected}, got {type_name(value)}",
        )

    def mapping(self, value: Any, where: str, mark: Mark | None) -> LDict:
        if not isinstance(value, dict):
            raise self.error(mark, f"{where}: expected a mapping, got {type_name(value)}")
        return value  # type: ignore[return-value]

    def check_keys(self, mapping: LDict, allowed: tuple[str, ...], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                hint = ", ".join(allowed)
                raise self.error(
                    self._key_mark(mapping, key),
                    f"{where}: unknown key '{key}' (expected one of: {hint})."
                    + did_you_mean(key, allowed),
                )

    def string(
        self,
        mapping: LDict,
        key: str,
        pattern: re.Pattern[str] | None = None,
        what: str = "a string",
    ) -> str:
        value = mapping[key]
        if not isinstance(value, str) or not value.strip():
            raise self.expect(mapping, key, what)
        if pattern is not None and not pattern.match(value):
            raise self.expect(mapping, key, what)
        return value

    def choice(self, mapping: LDict, key: str, options: tuple[str, ...]) -> str:
        value = mapping[key]
        if value not in options:
            raise self.expect(mapping, key, "one of " + ", ".join(options))
        return value

    # -- a file ---------------------------------------------------------------------------
    def strings(self, spec: LDict, key: str, allowed: tuple[str, ...] | None = None) -> list[str]:
        value = spec[key]
        if isinstance(value, str):
            value = [value]
        what = "a list of strings" if allowed is None else "a list of: " + ", ".join(allowed)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.expect(spec, key, what)
        if allowed is not None and any(v not in allowed for v in value):
            raise self.expect(spec, key, what)
        return list(value)

    def kind(self, mapping: LDict, key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.expect(mapping, key, "a node kind")
        if value not in vocabulary.KIND_ATTRIBUTES:
            raise self.error(
                self._value_mark(mapping, key),
                f"'{key}': unknown node kind {value!r} (expected one of: "
                + ", ".join(vocabulary.KIND_ATTRIBUTES)
                + ")."
                + did_you_mean(value, vocabulary.KIND_ATTRIBUTES),
            )
        return value

    def unknown_attribute(
        self, mapping: LDict, key: str, name: str, kinds: frozenset[str]
    ) -> PolicyError:
        known = sorted({a for k in kinds for a in vocabulary.KIND_ATTRIBUTES[k]})
        label = " or ".join(sorted(kinds))
        return self.error(
            self._value_mark(mapping, key),
            f"'{key}': {label} has no attribute {name!r} (expected one of: "
            + ", ".join(known + list(vocabulary.COMMON_ATTRIBUTES))
            + ")."
            + did_you_mean(name, known),
        )
