"""Convert a variable's value to its declared `type`, as Terraform does for every assignment.

Why: Terraform converts whatever is assigned to a variable (a `.tfvars` literal, `-var
name=value` text, a module argument, the default) to the variable's type constraint before
anything uses it. `-var enable_url=false` is the *string* "false" until then, and
`count = var.enable_url ? 1 : 0` or `for_each = var.names` must see what Terraform sees:
otherwise resource addresses, and so fingerprints and baselines, would depend on how a value
was passed.

The conversions are Terraform's safe ones: string <-> number/bool, element-wise for
collections, object attributes (missing `optional(...)` attributes get their default or null,
undeclared ones are dropped). A value that cannot be converted, or is not known yet, is left as
it is: the evaluator reports nothing a plan would reject.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sls_lint.loaders.terraform.values import TfDict
from sls_lint.sources.located import LDict, LList

Evaluate = Callable[[list], Any]

_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_MAX_DEPTH = 30


def convert(value: Any, type_expr: list | None, evaluate: Evaluate, depth: int = 0) -> Any:
    """`value` converted to the type `type_expr` (an HCL expression: `bool`, `list(string)`,
    `object({a = optional(number, 1)})`); unchanged when it does not apply."""
    if type_expr is None or depth > _MAX_DEPTH or value is None:
        return value
    kind = type_expr[0] if isinstance(type_expr, list) and type_expr else None
    if kind == "name":
        return _primitive(value, type_expr[2])
    if kind != "call":
        return value
    name, args = type_expr[2], type_expr[3]
    argument = args[0] if args else None
    if name in ("list", "set") and isinstance(value, list):
        items = [convert(item, argument, evaluate, depth + 1) for item in value]
        if name == "set":
            items = _as_set(items)
        return _like(value, items)
    if name == "map" and isinstance(value, dict):
        return _mapping(value, {key: argument for key in value}, evaluate, depth)
    if name == "tuple" and isinstance(value, list) and _is(argument, "tuple"):
        types = argument[2]
        items = [
            convert(item, types[i] if i < len(types) else None, evaluate, depth + 1)
            for i, item in enumerate(value)
        ]
        return _like(value, items)
    if name == "object" and isinstance(value, dict) and _is(argument, "object"):
        return _object(value, argument[2], evaluate, depth)
    if name == "optional" and argument is not None:
        return convert(value, argument, evaluate, depth + 1)
    return value


def _primitive(value: Any, name: str) -> Any:
    if name == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return _number_text(value)
        return value
    if not isinstance(value, str):
        return value
    text = value.strip()
    if name == "bool" and text in ("true", "false"):
        return text == "true"
    if name == "number" and _NUMBER.match(text):
        number = float(text)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return value


def _number_text(number: float) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _object(value: dict, attributes: list, evaluate: Evaluate, depth: int) -> Any:
    """Declared attributes converted; missing optional ones get their default (or null);
    attributes the type does not declare are dropped, as Terraform drops them."""
    declared: dict[str, list] = {}
    defaults: dict[str, list] = {}
    for key_expr, type_expr in attributes:
        key = key_expr[2] if isinstance(key_expr, list) and len(key_expr) > 2 else None
        if not isinstance(key, str):
            return value  # a computed attribute name: leave the value alone
        declared[key] = type_expr
        if _is_call(type_expr, "optional") and len(type_expr[3]) > 1:
            defaults[key] = type_expr[3][1]
    result = _mapping(
        {key: item for key, item in value.items() if key in declared}, declared, evaluate, depth
    )
    if isinstance(value, LDict):
        _copy_marks(value, result)
    for key, type_expr in declared.items():
        if key in value:
            continue
        if key in defaults:
            result[key] = convert(evaluate(defaults[key]), type_expr, evaluate, depth + 1)
        elif _is_call(type_expr, "optional"):
            result[key] = None
    return result


def _mapping(value: dict, types: dict[str, Any], evaluate: Evaluate, depth: int) -> Any:
    converted = {
        key: convert(item, types.get(key), evaluate, depth + 1) for key, item in value.items()
    }
    if isinstance(value, TfDict):
        result: dict = TfDict(converted, mark=value.mark)
        result.literal_keys = set(value.literal_keys) & set(converted)
        result.unknown_blocks = set(value.unknown_blocks)
        _copy_marks(value, result)
        return result
    if isinstance(value, LDict):
        result = LDict(converted, mark=value.mark)
        _copy_marks(value, result)
        return result
    return converted


def _copy_marks(source: LDict, target: Any) -> None:
    if isinstance(target, LDict):
        for key in target:
            if key in source.key_marks:
                target.key_marks.setdefault(key, source.key_marks[key])
            if key in source.value_marks:
                target.value_marks.setdefault(key, source.value_marks[key])


def _like(original: list, items: list) -> list:
    if isinstance(original, LList):
        result = LList(items, mark=original.mark)
        result.item_marks = list(original.item_marks[: len(items)])
        return result
    return items


def _as_set(items: list) -> list:
    """Terraform sets hold each value once; sets of strings iterate in lexical order."""
    unique: list = []
    for item in items:
        if isinstance(item, (str, int, float, bool)) and item in unique:
            continue
        unique.append(item)
    if all(isinstance(item, str) for item in unique):
        return sorted(unique)
    return unique


def is_primitive(type_expr: Any) -> bool:
    """`string`, `number` or `bool`: `-var` text for such a variable is taken literally."""
    return _is(type_expr, "name") and type_expr[2] in ("string", "number", "bool")


def _is(expr: Any, kind: str) -> bool:
    return isinstance(expr, list) and len(expr) > 2 and expr[0] == kind


def _is_call(expr: Any, name: str) -> bool:
    return isinstance(expr, list) and len(expr) > 3 and expr[0] == "call" and expr[2] == name
