"""Terraform's built-in functions, as far as they matter for policy, evaluated without `eval`.

Each function takes evaluated arguments and returns a value; a symbolic argument (a value known
only at apply time) gives `Unknown`, except in the functions that only move values around
(`concat`, `merge`, `tolist`, `coalesce`, `lookup`...), which keep symbolic items and, for lists
and maps, the marks of their items: `actions = concat(["s3:GetObject"], ["*"])` still points at
the line of `"*"`. Functions that read files (`file`) live in the evaluator, which knows the
module directory; anything not listed here is `Unknown`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from sls_lint.loaders.terraform.values import (
    Encoded,
    Interp,
    TfDict,
    TfRef,
    is_symbolic,
    new_list,
    number_text,
    placeholder,
    plain,
)
from sls_lint.model.values import Choice, Unknown
from sls_lint.sources.located import NO_MARK, LDict, LList, Mark

MAX_ITEMS = 10000


def _mark(value: Any) -> Mark:
    return getattr(value, "mark", NO_MARK)


def items_with_marks(value: Any) -> list[tuple[Any, Mark]]:
    """List (or set) items with their marks; a map gives its values."""
    if isinstance(value, LList):
        return [(item, value.mark_of(i)) for i, item in enumerate(value)]
    if isinstance(value, list):
        return [(item, NO_MARK) for item in value]
    if isinstance(value, LDict):
        return [(v, value.mark_of(k)) for k, v in value.items()]
    if isinstance(value, dict):
        return [(v, NO_MARK) for v in value.values()]
    return []


def make_list(pairs: list[tuple[Any, Mark]], mark: Mark = NO_MARK) -> LList:
    return new_list([p[0] for p in pairs], [p[1] for p in pairs], mark)


def make_string(parts: list[Any]) -> Any:
    """Join template parts: a `str` when all are known, else an `Interp` (or Unknown)."""
    flat: list[Any] = []
    for part in parts:
        if isinstance(part, Interp):
            flat.extend(part.parts)
        elif isinstance(part, (TfRef, Unknown)):
            flat.append(part)
        elif isinstance(part, str):
            flat.append(str(part))
        elif isinstance(part, bool):
            flat.append("true" if part else "false")
        elif isinstance(part, (int, float)):
            flat.append(number_text(part))
        elif part is None:
            continue
        else:
            return Unknown("a collection cannot be interpolated into a string")
    if all(isinstance(p, str) for p in flat):
        return "".join(flat)
    merged: list[Any] = []
    for part in flat:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return Interp(merged)


def _known(*values: Any) -> bool:
    return not any(is_symbolic(v) for v in values)


# -- collections -----------------------------------------------------------------------------
def f_concat(*lists: Any) -> Any:
    pairs: list[tuple[Any, Mark]] = []
    for value in lists:
        if value is None:
            continue
        if not isinstance(value, list):
            return Unknown("concat of a value that is not a list")
        pairs.extend(items_with_marks(value))
    return make_list(pairs[:MAX_ITEMS], _mark(lists[0]) if lists else NO_MARK)


def f_merge(*maps: Any) -> Any:
    result = TfDict(mark=next((_mark(m) for m in maps if isinstance(m, dict)), NO_MARK))
    for value in maps:
        if value is None:
            continue
        if not isinstance(value, dict):
            return Unknown("merge of a value that is not a map")
        for key, item in value.items():
            result[key] = item
            if isinstance(value, LDict):
                result.value_marks[key] = value.mark_of(key)
                result.key_marks[key] = value.key_mark(key)
            if isinstance(value, TfDict) and key in value.literal_keys:
                result.literal_keys.add(key)
            else:
                result.literal_keys.discard(key)
    return result


def f_lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if not isinstance(mapping, dict) or not _known(key):
        return Unknown("lookup in an unknown map")
    if key in mapping:
        return mapping[key]
    return default[0] if default else Unknown(f"lookup of missing key {key}")


def f_tolist(value: Any) -> Any:
    if isinstance(value, list):
        return value
    if value is None:
        return None
    return Unknown("tolist of a value that is not a list")


def f_toset(value: Any) -> Any:
    if not isinstance(value, list):
        return f_tolist(value)
    return f_distinct(value)


def f_tomap(value: Any) -> Any:
    return value if isinstance(value, dict) or value is None else Unknown("tomap")


def f_distinct(value: Any) -> Any:
    if not isinstance(value, list):
        return Unknown("distinct of a value that is not a list")
    seen: list[Any] = []
    pairs = []
    for item, mark in items_with_marks(value):
        key = repr(plain(item))
        if key not in seen:
            seen.append(key)
            pairs.append((item, mark))
    return make_list(pairs, _mark(value))


def f_compact(value: Any) -> Any:
    if not isinstance(value, list):
        return Unknown("compact of a value that is not a list")
    return make_list(
        [(i, m) for i, m in items_with_marks(value) if i not in ("", None)], _mark(value)
    )


def f_flatten(value: Any, depth: int = 0) -> Any:
    if not isinstance(value, list):
        return Unknown("flatten of a value that is not a list")
    pairs: list[tuple[Any, Mark]] = []
    for item, mark in items_with_marks(value):
        if isinstance(item, list) and depth < 20:
            inner = f_flatten(item, depth + 1)
            pairs.extend(items_with_marks(inner))
        else:
            pairs.append((item, mark))
    return make_list(pairs[:MAX_ITEMS], _mark(value))


def f_coalesce(*values: Any) -> Any:
    for value in values:
        if isinstance(value, Unknown):
            return Unknown("coalesce of an unknown value")
        if value is not None and value != "":
            return value
    return Unknown("coalesce of only null values")


def f_coalescelist(*values: Any) -> Any:
    for value in values:
        if is_symbolic(value):
            return Unknown("coalescelist of an unknown value")
        if isinstance(value, list) and value:
            return value
    return Unknown("coalescelist of empty lists")


def f_length(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return len(value)
    if isinstance(value, str) and _known(value):
        return len(value)
    return Unknown("length of an unknown value")


def f_keys(value: Any) -> Any:
    if not isinstance(value, dict):
        return Unknown("keys of a value that is not a map")
    if isinstance(value, LDict):
        return make_list([(k, value.key_mark(k)) for k in sorted(value, key=str)], value.mark)
    return LList(sorted(value, key=str))


def f_values(value: Any) -> Any:
    if not isinstance(value, dict):
        return Unknown("values of a value that is not a map")
    keys = sorted(value, key=str)
    if isinstance(value, LDict):
        return make_list([(value[k], value.mark_of(k)) for k in keys], value.mark)
    return LList([value[k] for k in keys])


def f_contains(collection: Any, value: Any) -> Any:
    if not isinstance(collection, list) or not _known(value):
        return Unknown("contains on an unknown value")
    items = [plain(i) for i in collection]
    if any(is_symbolic(i) for i in items):
        return True if plain(value) in items else Unknown("contains on unknown items")
    return plain(value) in items


def f_element(collection: Any, index: Any) -> Any:
    if not isinstance(collection, list) or not isinstance(index, int) or not collection:
        return Unknown("element of an unknown list")
    return collection[index % len(collection)]


def f_one(value: Any) -> Any:
    if not isinstance(value, list):
        return Unknown("one of a value that is not a list")
    if not value:
        return None
    return value[0] if len(value) == 1 else Unknown("one of a list with several items")


def f_zipmap(keys: Any, values: Any) -> Any:
    if not isinstance(keys, list) or not isinstance(values, list) or len(keys) != len(values):
        return Unknown("zipmap of unknown lists")
    if not all(isinstance(k, str) for k in keys):
        return Unknown("zipmap with unknown keys")
    result = TfDict(mark=_mark(values))
    for (key, item), (_v, mark) in zip(
        zip(keys, values, strict=True), items_with_marks(values), strict=True
    ):
        result[key] = item
        result.value_marks[key] = mark
    return result


def f_range(*args: Any) -> Any:
    if not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args):
        return Unknown("range of unknown bounds")
    try:
        values = range(*(int(a) for a in args))
    except (TypeError, ValueError):
        return Unknown("invalid range")
    if len(values) > MAX_ITEMS:
        return Unknown("range too long")
    return LList(list(values))


def f_slice(value: Any, start: Any, end: Any) -> Any:
    if not isinstance(value, list) or not isinstance(start, int) or not isinstance(end, int):
        return Unknown("slice of unknown values")
    return make_list(items_with_marks(value)[start:end], _mark(value))


def f_reverse(value: Any) -> Any:
    if not isinstance(value, list):
        return Unknown("reverse of a value that is not a list")
    return make_list(list(reversed(items_with_marks(value))), _mark(value))


def f_sort(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
        return Unknown("sort of unknown values")
    return make_list(sorted(items_with_marks(value), key=lambda p: p[0]), _mark(value))


def f_setunion(*sets: Any) -> Any:
    return f_distinct(f_concat(*sets)) if all(isinstance(s, list) for s in sets) else Unknown("")


def f_alltrue(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(i, bool) for i in value):
        return Unknown("alltrue of unknown values")
    return all(value)


def f_anytrue(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(i, bool) for i in value):
        return Unknown("anytrue of unknown values")
    return any(value)


# -- strings ---------------------------------------------------------------------------------
_FORMAT_VERB = re.compile(r"%(%|[-+# 0]*\d*(?:\.\d+)?[sdvqftbxXoeEgG])")


def f_format(spec: Any, *args: Any) -> Any:
    if not isinstance(spec, str):
        return Unknown("format with an unknown format string")
    parts: list[Any] = []
    position = 0
    index = 0
    for match in _FORMAT_VERB.finditer(spec):
        parts.append(spec[position : match.start()])
        position = match.end()
        verb = match.group(1)
        if verb == "%":
            parts.append("%")
            continue
        if index >= len(args):
            return Unknown("format with too few arguments")
        value = args[index]
        index += 1
        if verb.endswith("q") and isinstance(value, str):
            parts.append(json.dumps(value))
        elif verb[-1] in "dfeEgGxXob" and isinstance(value, (int, float)) and _known(value):
            try:
                parts.append(("%" + verb) % value)
            except (TypeError, ValueError):
                return Unknown("format of an unknown number")
        else:
            parts.append(value)
    parts.append(spec[position:])
    return make_string(parts)


def f_formatlist(spec: Any, *args: Any) -> Any:
    lists = [a for a in args if isinstance(a, list)]
    if not lists:
        return Unknown("formatlist without lists")
    length = len(lists[0])
    if any(len(a) != length for a in lists) or length > MAX_ITEMS:
        return Unknown("formatlist of lists of different lengths")
    return LList(
        [f_format(spec, *(a[i] if isinstance(a, list) else a for a in args)) for i in range(length)]
    )


def f_join(separator: Any, *lists: Any) -> Any:
    if not isinstance(separator, str):
        return Unknown("join with an unknown separator")
    parts: list[Any] = []
    for value in lists:
        if not isinstance(value, list):
            return Unknown("join of a value that is not a list")
        for item in value:
            if parts:
                parts.append(separator)
            parts.append(item)
    return make_string(parts)


def f_split(separator: Any, text: Any) -> Any:
    if not isinstance(separator, str) or not isinstance(text, str) or not separator:
        return Unknown("split of an unknown string")
    return LList(text.split(separator)[:MAX_ITEMS])


def _string_fn(function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any) -> Any:
        if not all(isinstance(a, (str, int)) and not isinstance(a, bool) for a in args):
            return Unknown(f"{function.__name__[2:]} of an unknown value")
        try:
            return function(*args)
        except (TypeError, ValueError, IndexError):
            return Unknown(f"{function.__name__[2:]} failed")

    return wrapper


@_string_fn
def f_lower(text: str) -> str:
    return str(text).lower()


@_string_fn
def f_upper(text: str) -> str:
    return str(text).upper()


@_string_fn
def f_trimspace(text: str) -> str:
    return str(text).strip()


@_string_fn
def f_trimprefix(text: str, prefix: str) -> str:
    return str(text).removeprefix(prefix)


@_string_fn
def f_trimsuffix(text: str, suffix: str) -> str:
    return str(text).removesuffix(suffix)


@_string_fn
def f_title(text: str) -> str:
    return str(text).title()


@_string_fn
def f_substr(text: str, offset: int, length: int) -> str:
    text = str(text)
    end = len(text) if length < 0 else offset + length
    return text[offset:end]


@_string_fn
def f_startswith(text: str, prefix: str) -> bool:
    return str(text).startswith(prefix)


@_string_fn
def f_endswith(text: str, suffix: str) -> bool:
    return str(text).endswith(suffix)


@_string_fn
def f_strcontains(text: str, part: str) -> bool:
    return part in str(text)


def f_replace(text: Any, search: Any, replacement: Any) -> Any:
    if not all(isinstance(a, str) for a in (text, search, replacement)):
        return Unknown("replace of an unknown value")
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        return Unknown("regular-expression replace is not evaluated")
    return text.replace(search, replacement)


def f_tostring(value: Any) -> Any:
    if value is None or isinstance(value, (str, Interp, TfRef, Unknown)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    return Unknown("tostring of a collection")


def f_tonumber(value: Any) -> Any:
    if isinstance(value, bool):
        return Unknown("tonumber of a bool")
    if isinstance(value, (int, float)) or value is None:
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return Unknown("tonumber of a non-number")
    return Unknown("tonumber of an unknown value")


def f_tobool(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if value in ("true", "false"):
        return value == "true"
    return Unknown("tobool of an unknown value")


def f_identity(value: Any, *_rest: Any) -> Any:
    return value


def f_jsonencode(value: Any) -> Any:
    return Encoded(value)


def _number_fn(function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any) -> Any:
        values = args[0] if len(args) == 1 and isinstance(args[0], list) else args
        if not values or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
        ):
            return Unknown("arithmetic on unknown values")
        return function(values)

    return wrapper


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "concat": f_concat,
    "merge": f_merge,
    "lookup": f_lookup,
    "tolist": f_tolist,
    "toset": f_toset,
    "tomap": f_tomap,
    "distinct": f_distinct,
    "compact": f_compact,
    "flatten": f_flatten,
    "coalesce": f_coalesce,
    "coalescelist": f_coalescelist,
    "length": f_length,
    "keys": f_keys,
    "values": f_values,
    "contains": f_contains,
    "element": f_element,
    "one": f_one,
    "zipmap": f_zipmap,
    "range": f_range,
    "slice": f_slice,
    "reverse": f_reverse,
    "sort": f_sort,
    "setunion": f_setunion,
    "alltrue": f_alltrue,
    "anytrue": f_anytrue,
    "format": f_format,
    "formatlist": f_formatlist,
    "join": f_join,
    "split": f_split,
    "lower": f_lower,
    "upper": f_upper,
    "trimspace": f_trimspace,
    "trimprefix": f_trimprefix,
    "trimsuffix": f_trimsuffix,
    "title": f_title,
    "substr": f_substr,
    "startswith": f_startswith,
    "endswith": f_endswith,
    "strcontains": f_strcontains,
    "replace": f_replace,
    "tostring": f_tostring,
    "tonumber": f_tonumber,
    "tobool": f_tobool,
    "sensitive": f_identity,
    "nonsensitive": f_identity,
    "jsonencode": f_jsonencode,
    "max": _number_fn(max),
    "min": _number_fn(min),
    "sum": _number_fn(sum),
}


def call(name: str, args: list[Any]) -> Any:
    """Apply built-in function `name` (`provider::x::y` functions are Unknown)."""
    function = FUNCTIONS.get(name)
    if function is None:
        return Unknown(f"function {name}() is not evaluated")
    if any(isinstance(a, Choice) for a in args):
        return Unknown(f"{name}() of a conditional value")
    try:
        return function(*args)
    except (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError, OverflowError):
        return Unknown(f"{name}() cannot be evaluated on these arguments")


__all__ = ["FUNCTIONS", "call", "items_with_marks", "make_list", "make_string", "placeholder"]
