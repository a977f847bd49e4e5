"""Which caller argument a module's value came from, so findings can point at the caller.

A child module is linted through its callers (issue #16): `runtime = var.runtime` in the module
is `python3.8` because `module "api" { runtime = "python3.8" }` said so. A finding on that
function points at the module's `runtime = var.runtime` line, where the problem is not fixed;
this module remembers, for every expression in a module instance that reads `var.x`, the caller's
argument `x = ...` (and, when that argument reads a variable of a module in turn, its caller's,
up to the root), so that the finding relates to the line the user has to change.

Keys are (module address prefix, file, line, column) of the expression: the same module file
is evaluated once per instance, each with its own callers.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.terraform.values import file_mark
from sls_lint.model.graph import Location, ResourceGraph

MAX_DEPTH = 40
MAX_CHAIN = 8
Key = tuple[str, str, int, int]


class CallerIndex:
    """Expression positions in module instances -> the caller arguments behind them."""

    def __init__(self) -> None:
        self.causes: dict[Key, list[tuple[Location, str]]] = {}

    def note(self, module: Any, file: str, expr: list) -> None:
        """Record the callers of every `var.x` read in `expr` (an attribute of `module`)."""
        if not module.prefix or not getattr(module, "arguments", None):
            return
        found: list[tuple[list[int], list[tuple[Location, str]]]] = []
        names = _variables(expr, 0, found, module)
        if not names:
            return
        whole = _all_causes(module, names)
        span = expr[1]
        self._add((module.prefix, file, int(span[0]), int(span[1]) + 1), whole)
        self._add((module.prefix, file, int(span[0]), int(span[1])), whole)
        for inner_span, causes in found:
            self._add((module.prefix, file, int(inner_span[0]), int(inner_span[1]) + 1), causes)
            self._add((module.prefix, file, int(inner_span[0]), int(inner_span[1])), causes)

    def _add(self, key: Key, causes: list[tuple[Location, str]]) -> None:
        if causes and key not in self.causes:
            self.causes[key] = causes

    def apply(self, graph: ResourceGraph) -> None:
        """Attach `caller_locations` (attr -> [(location, message)]) to nodes in modules."""
        if not self.causes:
            return
        for node in graph.nodes():
            prefix = module_prefix(node.address)
            if not prefix:
                continue
            found: dict[str, list[tuple[Location, str]]] = {}
            for attr, where in node.locations.items():
                causes = self.causes.get((prefix, where.file, where.line, where.column))
                if causes:
                    found[attr] = causes
            if found:
                node.attrs["caller_locations"] = found


def module_prefix(address: str) -> str:
    """`module.a["k"].module.b.` of `module.a["k"].module.b.aws_x.y[0]`, or ''."""
    position = 0
    while address.startswith("module.", position):
        cursor = position + len("module.")
        depth = 0
        while cursor < len(address):
            char = address[cursor]
            if char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
            elif char == "." and depth == 0:
                break
            cursor += 1
        if cursor >= len(address):
            break
        position = cursor + 1
    return address[:position]


def _variables(expr: Any, depth: int, found: list, module: Any) -> set[str]:
    """Names of the variables `expr` reads; each `var.x` node's own span and causes in `found`."""
    if depth > MAX_DEPTH or not isinstance(expr, list) or not expr:
        return set()
    if (
        _is_expression(expr)
        and expr[0] == "get"
        and len(expr) > 3
        and isinstance(expr[2], list)
        and expr[2][:1] == ["name"]
        and expr[2][2] == "var"
    ):
        name = str(expr[3])
        causes = _causes(module, name, 0)
        if causes:
            found.append((expr[1], causes))
            return {name}
        return set()
    names: set[str] = set()
    for part in expr[2:] if _is_expression(expr) else expr:
        if isinstance(part, list):
            names |= _variables(part, depth + 1, found, module)
    return names


def _is_expression(value: list) -> bool:
    """`[tag, span, ...]` (an expression), not a plain list (object pairs, template parts)."""
    return (
        isinstance(value[0], str)
        and len(value) > 1
        and isinstance(value[1], list)
        and bool(value[1])
        and isinstance(value[1][0], int)
    )


def _all_causes(module: Any, names: set[str]) -> list[tuple[Location, str]]:
    causes: list[tuple[Location, str]] = []
    for name in sorted(names):
        for cause in _causes(module, name, 0):
            if cause not in causes:
                causes.append(cause)
    return causes


def _causes(module: Any, name: str, depth: int) -> list[tuple[Location, str]]:
    """The caller argument setting `var.name` of `module`, then what that argument reads."""
    argument = getattr(module, "arguments", {}).get(name)
    if argument is None or depth > MAX_CHAIN:
        return []
    item, file, parent = argument
    call = module.prefix[:-1] if module.prefix.endswith(".") else module.prefix
    mark = file_mark(item[1], file)
    causes = [(Location(file, mark), f"argument {name} of {call} sets this value")]
    if parent.prefix:
        inner: list = []
        for parent_name in sorted(_variables(item[3], 0, inner, parent)):
            for cause in _causes(parent, parent_name, depth + 1):
                if cause not in causes:
                    causes.append(cause)
    return causes
