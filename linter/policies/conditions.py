"""Compiled conditions: a small tree of objects evaluated on one node of the graph.

Evaluation is three-valued (Kleene logic): True, False, or None for "cannot tell" (a value is
`Unknown`). `all` is False as soon as one part is False, `any` True as soon as one is True,
`not` keeps None as None; a policy reports a finding only when its condition is True, so an
Unknown never produces a finding unless a condition says so with `unknown: match`.

Relations record the related nodes they matched in `Env.found`, so a finding can point at
them (`at:`), name them in its message (`as:`) and list them as related locations. Records
made by a part whose answer did not count (a False branch of `any`, anything under `not`)
are dropped again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sls_lint.model.graph import Node, ResourceGraph
from sls_lint.model.values import Choice, Unknown

NO_ITEM = object()  # the subject is the whole node (no `each:`)


class Env:
    """What a condition reads: the graph, the node, the current `each` item, the records."""

    __slots__ = ("graph", "node", "item", "found")

    def __init__(
        self, graph: ResourceGraph, node: Node, item: Any = NO_ITEM, found: list | None = None
    ) -> None:
        self.graph = graph
        self.node = node
        self.item = item
        self.found: list[tuple[str | None, Node]] = found if found is not None else []


class Condition:
    """A compiled condition; `unknown` turns a None answer into True or False when set."""

    unknown: bool | None = None

    def test(self, env: Env) -> bool | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _settle(self, result: bool | None) -> bool | None:
        return self.unknown if result is None else result


class All(Condition):
    def __init__(self, parts: list[Condition], unknown: bool | None = None) -> None:
        self.parts = parts
        self.unknown = unknown
        tests = tuple(part.test for part in parts)  # bound once: this runs for every node

        def test(env: Env) -> bool | None:
            found = env.found
            mark = len(found)
            undecided = False
            for part in tests:
                result = part(env)
                if result is False:
                    del found[mark:]
                    return False
                if result is None:
                    undecided = True
            if undecided:
                del found[mark:]
                return unknown
            return True

        self.test = test  # type: ignore[method-assign]


class Any_(Condition):
    def __init__(self, parts: list[Condition], unknown: bool | None = None) -> None:
        self.parts = parts
        self.unknown = unknown
        tests = tuple(part.test for part in parts)

        def test(env: Env) -> bool | None:
            found = env.found
            undecided = False
            for part in tests:
                mark = len(found)
                result = part(env)
                if result is True:
                    return True
                if len(found) != mark:
                    del found[mark:]
                if result is None:
                    undecided = True
            return unknown if undecided else False

        self.test = test  # type: ignore[method-assign]


class Not(Condition):
    def __init__(self, part: Condition, unknown: bool | None = None) -> None:
        self.part = part
        self.unknown = unknown

    def test(self, env: Env) -> bool | None:
        mark = len(env.found)
        result = self.part.test(env)
        del env.found[mark:]
        return self._settle(None if result is None else not result)


def _options(value: Any) -> Iterable[Any]:
    if isinstance(value, Choice):
        for option in value.options:
            yield from _options(option)
    else:
        yield value


def _fold(value: Any) -> Any:
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, list):
        return [_fold(item) for item in value]
    return value


def _dig(value: Any, keys: tuple[str, ...]) -> Any:
    """`value[k1][k2]...`, through the branches of a `Choice`; Unknown stays Unknown."""
    for index, key in enumerate(keys):
        if isinstance(value, Choice):
            return Choice([_dig(option, keys[index:]) for option in value.options])
        if isinstance(value, dict):
            value = value.get(key)
        elif not isinstance(value, Unknown):
            return None
    return value


class AttributeTest(Condition):
    """`attribute: PATH` with one operator, applied to every possible value of the attribute.

    `branches: any` (the default) holds when one possible deployment (`Fn::If` branch) holds,
    as the built-in rules report a problem present in either branch.
    """

    def __init__(
        self,
        path: tuple[str, ...],
        check: Callable[[Any], bool | None],
        operand: Any,
        *,
        on_item: bool = False,
        ignore_case: bool = False,
        every_branch: bool = False,
        unknown_test: bool | None = None,
        unknown: bool | None = None,
    ) -> None:
        self.path = path
        # `item.KEY` paths start at the item; others at an attribute of the node.
        self.head = path[0] if path and not on_item else ""
        self.rest = path if on_item else path[1:]
        self.check = check  # the operator with its operand bound (`operators.bind`)
        self.operand = operand
        self.on_item = on_item
        self.ignore_case = ignore_case
        self.every_branch = every_branch
        self.unknown_test = unknown_test  # set for `is-unknown: true|false`
        self.unknown = unknown
        fast = self._fast_test()
        if fast is not None:
            self.test = fast  # type: ignore[method-assign]

    def _pseudo(self, node: Node) -> Any:
        """`address`, `kind`, `format`, `resource_type`; None for an attribute not set."""
        head = self.head
        if head == "address":
            return node.address
        if head == "kind":
            return node.kind
        if head == "format":
            return node.format
        if head == "resource_type":
            return node.resource_type
        return None

    def value(self, env: Env) -> Any:
        """The value at the path, for this node (or item)."""
        if self.on_item:
            value = env.item
        else:
            attrs = env.node.attrs
            head = self.head
            value = attrs[head] if head in attrs else self._pseudo(env.node)
        return _dig(value, self.rest) if self.rest else value

    def test(self, env: Env) -> bool | None:
        return self.decide(self.value(env))

    def decide(self, value: Any) -> bool | None:
        """The answer for one value, through the branches of a `Choice`."""
        if value.__class__ is not Choice:
            if self.unknown_test is not None:
                return isinstance(value, Unknown) is self.unknown_test
            if isinstance(value, Unknown):
                return self.unknown
            if self.ignore_case:
                value = _fold(value)
            result = self.check(value)
            return self.unknown if result is None else result
        undecided = False
        for option in _options(value):
            if self.unknown_test is not None:
                result = isinstance(option, Unknown) is self.unknown_test
            elif isinstance(option, Unknown):
                result = None
            else:
                if self.ignore_case:
                    option = _fold(option)
                result = self.check(option)
            if result is None:
                undecided = True
            elif result is not self.every_branch:
                return not self.every_branch
        if undecided:
            return self._settle(None)
        return self.every_branch

    def _fast_test(self) -> Callable[[Env], bool | None] | None:
        """A closure for the common shape (a plain attribute or the item itself, no options):
        policies run once per node of a kind, so their hot path is kept as short as a rule's."""
        if self.rest or self.unknown_test is not None:
            return None
        check, unknown, decide = self.check, self.unknown, self.decide
        on_text = getattr(check, "string_test", None)  # the operator's plain-string answer
        if self.ignore_case:
            plain = check
            plain_text = on_text

            def check(value: Any) -> bool | None:
                return plain(value.lower() if value.__class__ is str else _fold(value))

            on_text = (lambda text: plain_text(text.lower())) if plain_text is not None else None

        search_hit = getattr(check, "string_search", None)
        if self.on_item and search_hit is not None and not self.ignore_case:
            search, hit = search_hit

            def item_regex_test(env: Env) -> bool | None:
                value = env.item
                if value.__class__ is str:  # IAM actions, ARNs, names: nearly every item
                    return (search(value) is not None) is hit
                if value.__class__ is Choice:
                    return decide(value)
                if value.__class__ is Unknown:
                    return unknown
                result = check(value)
                return unknown if result is None else result

            return item_regex_test
        if self.on_item and on_text is not None:

            def item_text_test(env: Env) -> bool | None:
                value = env.item
                if value.__class__ is str:  # IAM actions, ARNs, names: nearly every item
                    return on_text(value)
                if value.__class__ is Choice:
                    return decide(value)
                if value.__class__ is Unknown:
                    return unknown
                result = check(value)
                return unknown if result is None else result

            return item_text_test
        if self.on_item:

            def item_test(env: Env) -> bool | None:
                value = env.item
                if value.__class__ is Choice:
                    return decide(value)
                if value.__class__ is Unknown:
                    return unknown
                result = check(value)
                return unknown if result is None else result

            return item_test
        head, pseudo = self.head, self._pseudo
        if on_text is not None:

            def node_text_test(env: Env) -> bool | None:
                attrs = env.node.attrs
                value = attrs[head] if head in attrs else pseudo(env.node)
                if value.__class__ is str:
                    return on_text(value)
                if value.__class__ is Choice:
                    return decide(value)
                if value.__class__ is Unknown:
                    return unknown
                result = check(value)
                return unknown if result is None else result

            return node_text_test

        def node_test(env: Env) -> bool | None:
            attrs = env.node.attrs
            value = attrs[head] if head in attrs else pseudo(env.node)
            if value.__class__ is Choice:
                return decide(value)
            if value.__class__ is Unknown:
                return unknown
            result = check(value)
            return unknown if result is None else result

        return node_test


@dataclass(frozen=True)
class Step:
    """One hop: alternatives of (edge, forward) pairs."""

    moves: tuple[tuple[str, bool], ...]


class Relation(Condition):
    """Nodes related to the subject along `steps` (repeated up to `depth` times: the path form),
    of `kind`, quantified by `exists` / `none` / `all` over `where`."""

    def __init__(
        self,
        steps: tuple[Step, ...],
        kind: str | None,
        quantifier: str,
        where: Condition | None,
        name: str | None,
        depth: int = 1,
        related: bool = True,
        unknown: bool | None = None,
        at_least: int = 1,
    ) -> None:
        self.at_least = at_least  # `exists` needs this many matching nodes (counting)
        self.steps = steps
        self.kind = kind
        self.quantifier = quantifier
        self.where = where
        self.name = name
        self.depth = depth
        self.related = related
        self.unknown = unknown
        single = depth == 1 and len(steps) == 1 and len(steps[0].moves) == 1
        self.single = steps[0].moves[0] if single else None
        self.test = self._compile()  # type: ignore[method-assign]

    def reach(self, graph: ResourceGraph, start: Node) -> list[Node]:
        if self.single is not None:  # one edge, one hop: the graph's own index answers
            edge, forward = self.single
            if forward:
                return graph.targets(start, edge, self.kind)
            return graph.sources(start, edge, self.kind)
        found: list[Node] = []
        seen = {id(start)}
        frontier = [start]
        for _ in range(self.depth):
            for step in self.steps:
                following: list[Node] = []
                for node in frontier:
                    for edge, forward in step.moves:
                        nodes = graph.targets(node, edge) if forward else graph.sources(node, edge)
                        following.extend(nodes)
                frontier = following
            fresh = []
            for node in frontier:
                if id(node) not in seen:
                    seen.add(id(node))
                    fresh.append(node)
                    if self.kind is None or node.kind == self.kind:
                        found.append(node)
            frontier = fresh
            if not frontier:
                break
        return found

    def _compile(self) -> Callable[[Env], bool | None]:
        """The test as a closure over its settings (it runs for every subject node)."""
        kind, where, quantifier = self.kind, self.where, self.quantifier
        name, unknown, reach, at_least = self.name, self.unknown, self.reach, self.at_least
        record = self.related or name is not None
        where_test = where.test if where is not None else None
        if self.single is not None:
            edge, forward = self.single
            lookup = ResourceGraph.targets if forward else ResourceGraph.sources

            def related_nodes(env: Env) -> list[Node]:
                return lookup(env.graph, env.node, edge, kind)
        else:

            def related_nodes(env: Env) -> list[Node]:
                return reach(env.graph, env.node)

        def test(env: Env) -> bool | None:
            related = related_nodes(env)
            if len(related) < at_least:  # too few related nodes: decided without looking
                return quantifier != "exists"
            undecided = False
            inner: list[tuple[str | None, Node]] = []
            if where_test is None:
                matched = related
            else:
                matched = []
                probe = Env(env.graph, related[0], NO_ITEM, inner)  # one Env, moved along
                for node in related:
                    probe.node = node
                    mark = len(inner)
                    result = where_test(probe)
                    if result is True:
                        if quantifier == "none":
                            return False
                        matched.append(node)
                        continue
                    if len(inner) != mark:
                        del inner[mark:]
                    if result is None:
                        undecided = True
                    elif quantifier == "all":
                        return False
            if quantifier == "none":
                answer: bool | None = False if matched else (None if undecided else True)
            elif quantifier == "exists":
                answer = True if len(matched) >= at_least else (None if undecided else False)
            else:
                answer = None if undecided else True
            if answer is None:
                return unknown
            if answer and quantifier != "none":
                if record:
                    env.found.extend((name, node) for node in matched)
                if inner:
                    env.found.extend(inner)
            return answer

        return test
