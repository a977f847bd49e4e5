"""A compiled policy behaves like a built-in `Rule`, so everything downstream applies unchanged.

Each policy becomes a `Rule` subclass (made by `build_rule_class`) carrying its metadata as
class attributes and its documentation as the docstring, with its examples fenced exactly like
a built-in rule's. Selection, suppressions, the baseline, severity overrides, `explain`, `rules`
and every reporter therefore treat a policy and a built-in rule alike.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from sls_lint.model.findings import Finding, Related
from sls_lint.model.graph import Location, Node, ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import Choice, Reference, Unknown
from sls_lint.policies.conditions import NO_ITEM, Condition, Env
from sls_lint.sources.located import LList

DOCS_URI = "https://github.com/sls-lint/sls-lint/blob/main/docs/policies.md"
MAX_RELATED = 20
PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.-]*)\}")


@dataclass(frozen=True)
class Target:
    """Where a finding may point: `attribute` of the subject, the `each` item, or a node bound
    by a relation (`binding`), optionally at one of its attributes."""

    binding: str | None = None
    attribute: str | None = None
    item: bool = False


@dataclass(frozen=True)
class Program:
    """What `check` runs: subject kinds, optional list attribute to iterate, the condition."""

    kinds: tuple[str, ...]
    each: str | None
    where: Condition | None  # about the node: evaluated once per node, before any item
    condition: Condition | None
    message: str
    at: tuple[Target, ...]


def show(value: Any) -> str:
    """A value as a message shows it."""
    if value is None:
        return "none"
    if isinstance(value, Unknown):
        return "<unknown>"
    if isinstance(value, Reference):
        return show(value.value)
    if isinstance(value, Choice):
        return " or ".join(show(option) for option in value.options)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={show(v)}" for k, v in value.items() if k != "location")
    return str(value)


def _dig(value: Any, keys: list[str]) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


class PolicyRule(Rule):
    """Base class of compiled policies (never registered itself: it has no id)."""

    program: ClassVar[Program]
    policy_file: ClassVar[str] = ""
    policy_line: ClassVar[int] = 0
    help_link: ClassVar[str] = ""

    @classmethod
    def family(cls) -> str:
        return "policy"

    @classmethod
    def help_uri(cls) -> str:
        return cls.help_link or DOCS_URI

    # -- checking -------------------------------------------------------------------------
    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        program = self.program
        where, condition, each = program.where, program.condition, program.each
        where_test = where.test if where is not None else None
        test = condition.test if condition is not None else None
        # One Env for the whole graph, moved from node to node: a finding is built from it
        # before the next node is looked at.
        kinds = program.kinds
        nodes = (
            graph.nodes(kinds[0])
            if len(kinds) == 1
            else [node for kind in kinds for node in graph.nodes(kind)]
        )
        if not nodes:
            return
        env = Env(graph, nodes[0])
        found = env.found
        for node in nodes:
            env.node = node
            env.item = NO_ITEM
            if found:
                found.clear()
            if where_test is not None and where_test(env) is not True:
                continue
            if each is None:
                if test is None or test(env) is True:
                    yield self._finding(env, "")
                continue
            base = len(found)  # what `where` bound; each item starts from it again
            value = node.attrs.get(each)
            if value.__class__ is list or value.__class__ is LList:  # the common case, inline
                for index, item in enumerate(value):
                    env.item = item
                    if len(found) != base:
                        del found[base:]
                    if test is None or test(env) is True:
                        yield self._finding(env, f"{each}[{index}]")
                continue
            for item, item_path in self._items(node, each):
                env.item = item
                del found[base:]
                if test is None or test(env) is True:
                    yield self._finding(env, item_path)

    @staticmethod
    def _items(node: Node, each: str | None) -> Iterator[tuple[Any, str]]:
        if each is None:
            yield NO_ITEM, ""
            return
        value = node.attrs.get(each)
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield item, f"{each}[{index}]"
        elif isinstance(value, dict):
            for key, item in value.items():
                yield {"key": key, "value": item}, f"{each}.{key}"
        elif isinstance(value, Choice):
            seen: set[str] = set()
            for option in _options(value):
                key = f"{each}:{show(option)}"
                if option is not None and key not in seen:
                    seen.add(key)
                    yield option, key
        elif value is not None and not isinstance(value, Unknown):
            yield value, each

    def _item_location(self, env: Env, item_path: str) -> Location:
        item, each = env.item, self.program.each or ""
        where = item.get("location") if isinstance(item, dict) else None
        if isinstance(where, Location):
            return where
        return env.node.loc(item_path, each)

    def _finding(self, env: Env, item_path: str) -> Finding:
        program, node = self.program, env.node
        bound = _bindings(env.found) if env.found else {}
        location: Location | None = None
        resource, path = node, item_path
        for target in program.at:
            if target.item and program.each is not None:
                location = self._item_location(env, item_path)
                break
            if target.binding is not None:
                other = bound.get(target.binding)
                if other is None:
                    continue
                resource = other
                location = other.loc(target.attribute) if target.attribute else other.location
                path = f"{target.binding}.{target.attribute or ''}"
                break
            if target.attribute is not None and target.attribute in node.locations:
                location = node.locations[target.attribute]
                path = item_path or target.attribute
                break
        if location is None:
            location = (
                self._item_location(env, item_path) if program.each is not None else node.location
            )
            if not path and program.at and program.at[0].attribute:
                path = program.at[0].attribute
        related: list[Related] = []
        seen = {id(resource)}
        for _, other in env.found if env.found else ():
            if id(other) in seen or len(related) >= MAX_RELATED:
                continue
            seen.add(id(other))
            related.append(Related(other.location, f"{other.kind} {other.address}"))
        if resource is not node:
            related.insert(0, Related(node.location, f"{node.kind} {node.address}"))
        return Finding(
            rule_id=self.id,
            rule_name=self.name,
            severity=self.severity,
            message=self.render(program.message, env, bound),
            location=location,
            resource=resource.address,
            resource_type=resource.resource_type,
            property_path=path,
            format=resource.format,
            related=related,
        )

    def render(self, template: str, env: Env, bound: dict[str, Node]) -> str:
        """Fill `{address}`, `{attribute.X}`, `{item.K}`, `{NAME.address}`... (docs/policies.md).

        The template is compiled once into literal strings and small functions
        (`_template_fillers`) and joined per finding, never passed to `str.format`: templates
        come from policy files, and format strings can reach object attributes.
        """
        return "".join(
            part if part.__class__ is str else part(env, bound)  # type: ignore[operator]
            for part in _template_fillers(template, self.bindings_declared)
        )

    bindings_declared: ClassVar[frozenset[str]] = frozenset()


@functools.lru_cache(maxsize=1024)
def template_parts(template: str) -> tuple[str | tuple[str, ...], ...]:
    """`"Function {address} ({attribute.runtime})"` -> literal strings and placeholder paths."""
    text = template.replace("{{", "\x00").replace("}}", "\x01")
    parts: list[str | tuple[str, ...]] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            parts.append(text[position : match.start()])
        parts.append(tuple(match.group(1).split(".")))
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    return tuple(
        p.replace("\x00", "{").replace("\x01", "}") if isinstance(p, str) else p for p in parts
    )


Filler = Callable[[Env, dict[str, Node]], str]


@functools.lru_cache(maxsize=1024)
def _template_fillers(template: str, bindings: frozenset[str]) -> tuple[str | Filler, ...]:
    """The template as literal strings and one function per placeholder."""
    return tuple(
        part if isinstance(part, str) else _filler(part, bindings)
        for part in template_parts(template)
    )


def _filler(path: tuple[str, ...], bindings: frozenset[str]) -> Filler:
    head, rest = path[0], list(path[1:])
    if head == "item":
        return lambda env, bound: show(_dig(env.item, rest) if env.item is not NO_ITEM else None)
    if head in bindings:
        if rest[:1] == ["count"]:
            return lambda env, bound: str(sum(1 for name, _ in env.found if name == head))

        def bound_field(env: Env, bound: dict[str, Node]) -> str:
            node = bound.get(head)
            return "none" if node is None else _node_field(node, rest)

        return bound_field
    if path == ("address",):
        return lambda env, bound: env.node.address
    parts = list(path)
    return lambda env, bound: _node_field(env.node, parts)


def _node_field(node: Node, parts: list[str]) -> str:
    if not parts or parts[0] == "address":
        return node.address
    head = parts[0]
    if head == "kind":
        return node.kind
    if head == "format":
        return node.format
    if head == "resource_type":
        return node.resource_type
    if head == "attribute" and len(parts) > 1:
        return show(_dig(node.attrs, parts[1:]))
    return "?"


def _options(value: Any) -> Iterator[Any]:
    if isinstance(value, Choice):
        for option in value.options:
            yield from _options(option)
    else:
        yield value


def _bindings(found: list[tuple[str | None, Node]]) -> dict[str, Node]:
    bound: dict[str, Node] = {}
    for name, node in found:
        if name is not None and name not in bound:
            bound[name] = node
    return bound


def build_rule_class(attributes: dict[str, Any]) -> type[PolicyRule]:
    """A `PolicyRule` subclass with the policy's metadata, docs and program."""
    name = "Policy_" + re.sub(r"\W", "_", attributes["id"])
    return type(name, (PolicyRule,), attributes)
