"""Compile conditions: `all`/`any`/`not`, attribute operators and relations along edges.

Names are checked against the vocabulary where they are used: an attribute against the kinds
the node may have there (the subject's kind, or what a relation's steps reach), a step against
the kinds it may start from, an operand against the type its operator takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sls_lint.policies import operators, vocabulary
from sls_lint.policies.conditions import (
    All,
    Any_,
    AttributeTest,
    Condition,
    Not,
    Relation,
    Step,
)
from sls_lint.policies.reader import Reader, did_you_mean, key_mark_of, start_of, value_mark
from sls_lint.sources.located import LDict, LList, Mark

BINDING_PATTERN = re.compile(r"^[a-z_][a-z0-9_]*$")
QUANTIFIERS = ("exists", "none", "all")
UNKNOWN_CHOICES = {"match": True, "no-match": False, "undecided": None}
MAX_DEPTH = 10
RESERVED_BINDINGS = {"item", "attribute", "address", "kind", "format", "resource_type", "index"}
ATTRIBUTE_OPTIONS = ("ignore-case", "unknown", "branches")
RELATION_KEYS = (
    "relation",
    "at-least",
    "kind",
    "quantifier",
    "where",
    "as",
    "max-depth",
    "related",
    "unknown",
)


@dataclass
class Scope:
    """What names mean where a condition sits: the kinds a node may have, the `each` item."""

    kinds: frozenset[str]
    item_of: str | None = None  # the subject's `each` attribute, at the subject level only
    bindings: set[str] = field(default_factory=set)


class ConditionCompiler(Reader):
    """Conditions of one policy file into `conditions.py` objects."""

    def condition(self, value: Any, scope: Scope, mark: Mark | None) -> Condition:
        if isinstance(value, list):  # a list is shorthand for `all:`
            return All(self.parts(value, scope, mark))
        spec = self.mapping(value, "condition", mark)
        forms = [key for key in ("all", "any", "not", "attribute", "relation") if key in spec]
        if len(forms) != 1:
            found = ", ".join(repr(k) for k in spec) or "nothing"
            raise self.error(
                start_of(spec),
                "condition: expected exactly one of 'all', 'any', 'not', 'attribute', "
                f"'relation', got {found}",
            )
        form = forms[0]
        unknown = self.unknown(spec)
        if form in ("all", "any"):
            self.check_keys(spec, (form, "unknown"), f"'{form}'")
            parts = spec[form]
            if not isinstance(parts, list) or not parts:
                raise self.expect(spec, form, "a non-empty list of conditions")
            compiled = self.parts(parts, scope, value_mark(spec, form))
            return All(compiled, unknown) if form == "all" else Any_(compiled, unknown)
        if form == "not":
            self.check_keys(spec, ("not", "unknown"), "'not'")
            return Not(self.condition(spec["not"], scope, value_mark(spec, "not")), unknown)
        if form == "attribute":
            return self.attribute(spec, scope, unknown)
        return self.relation(spec, scope, unknown)

    def parts(self, items: list[Any], scope: Scope, mark: Mark | None) -> list[Condition]:
        marks = items.item_marks if isinstance(items, LList) else []
        return [
            self.condition(item, scope, marks[i] if i < len(marks) else mark)
            for i, item in enumerate(items)
        ]

    def unknown(self, spec: LDict) -> bool | None:
        if "unknown" not in spec:
            return None
        return UNKNOWN_CHOICES[self.choice(spec, "unknown", tuple(UNKNOWN_CHOICES))]

    def attribute(self, spec: LDict, scope: Scope, unknown: bool | None) -> AttributeTest:
        path_text = self.string(spec, "attribute")
        path = tuple(path_text.split("."))
        on_item = False
        if path[0] == "item":
            if scope.item_of is None:
                raise self.error(
                    value_mark(spec, "attribute"),
                    "'attribute': 'item' is only defined at the subject level of a policy "
                    "with `subject.each`",
                )
            on_item, path = True, path[1:]
            keys = vocabulary.ITEM_KEYS.get(scope.item_of)
            if path and keys is not None and path[0] not in keys:
                raise self.error(
                    value_mark(spec, "attribute"),
                    f"'attribute': items of {scope.item_of} have no key {path[0]!r} (expected one "
                    "of: " + ", ".join(keys) + ")",
                )
        elif path[0] not in vocabulary.COMMON_ATTRIBUTES and not any(
            path[0] in vocabulary.KIND_ATTRIBUTES[k] for k in scope.kinds
        ):
            raise self.unknown_attribute(spec, "attribute", path[0], scope.kinds)
        ops = [key for key in spec if key in vocabulary.OPERATORS]
        others = [
            key
            for key in spec
            if key not in vocabulary.OPERATORS and key not in ("attribute", *ATTRIBUTE_OPTIONS)
        ]
        if others:
            raise self.error(
                key_mark_of(spec, others[0]),
                f"'attribute' condition: unknown operator or option '{others[0]}' (operators: "
                + ", ".join(vocabulary.OPERATORS)
                + "; options: "
                + ", ".join(ATTRIBUTE_OPTIONS)
                + ")."
                + did_you_mean(others[0], [*vocabulary.OPERATORS, *ATTRIBUTE_OPTIONS]),
            )
        if len(ops) != 1:
            raise self.error(
                start_of(spec),
                f"'attribute' condition on {path_text!r}: expected exactly one operator, got "
                + (", ".join(ops) or "none")
                + " (operators: "
                + ", ".join(vocabulary.OPERATORS)
                + ")",
            )
        op = ops[0]
        ignore_case = False
        if "ignore-case" in spec:
            if not isinstance(spec["ignore-case"], bool):
                raise self.expect(spec, "ignore-case", "true or false")
            ignore_case = spec["ignore-case"]
        every = False
        if "branches" in spec:
            every = self.choice(spec, "branches", ("any", "all")) == "all"
        operand = self.operand(spec, op, ignore_case)
        return AttributeTest(
            path,
            operators.bind(op, operand),
            operand,
            on_item=on_item,
            ignore_case=ignore_case and op not in ("matches", "not-matches"),
            every_branch=every,
            unknown_test=operand if op == "is-unknown" else None,
            unknown=unknown,
        )

    def operand(self, spec: LDict, op: str, ignore_case: bool) -> Any:
        kind = vocabulary.OPERATORS[op]
        value = spec[op]
        scalar = (str, int, float, bool, type(None))
        fold = (lambda v: v.lower() if isinstance(v, str) else v) if ignore_case else (lambda v: v)
        if kind == "scalar":
            if not isinstance(value, scalar):
                raise self.expect(spec, op, "a single value (string, number, boolean or null)")
            return fold(value)
        if kind == "list":
            if not isinstance(value, list) or not all(isinstance(v, scalar) for v in value):
                raise self.expect(spec, op, "a list of values")
            return [fold(v) for v in value]
        if kind == "regex":
            if not isinstance(value, str):
                raise self.expect(spec, op, "a regular expression (a string)")
            try:
                return re.compile(value, re.IGNORECASE if ignore_case else 0)
            except re.error as error:
                raise self.error(
                    value_mark(spec, op),
                    f"'{op}': the regular expression {value!r} does not compile: {error}",
                ) from None
        if kind == "bool":
            if not isinstance(value, bool):
                raise self.expect(spec, op, "true or false")
            return value
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.expect(spec, op, "a number")
            return float(value)
        if kind == "patterns":
            items = [value] if isinstance(value, str) else value
            if (
                not isinstance(items, list)
                or not items
                or not all(isinstance(v, str) and v for v in items)
            ):
                raise self.expect(spec, op, "a wildcard pattern or a list of them")
            if op == "action-matches":
                return tuple(v.strip().lower() for v in items)
            return tuple(v.strip() for v in items)
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(v in vocabulary.RUNTIME_STATUSES for v in items):
            raise self.expect(
                spec, op, "one or a list of: " + ", ".join(vocabulary.RUNTIME_STATUSES)
            )
        return tuple(items)

    def relation(self, spec: LDict, scope: Scope, unknown: bool | None) -> Relation:
        self.check_keys(spec, RELATION_KEYS, "'relation'")
        raw = spec["relation"]
        texts = raw if isinstance(raw, list) else [raw]
        if not texts or not all(isinstance(t, str) for t in texts):
            raise self.expect(spec, "relation", "a step such as invoked_by, or a list of steps")
        depth = 1
        if "max-depth" in spec:
            value = spec["max-depth"]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DEPTH:
                raise self.expect(spec, "max-depth", f"a whole number from 1 to {MAX_DEPTH}")
            depth = value
        names_per_step: list[list[str]] = []
        for text in texts:
            names = [part.strip() for part in text.split("|")]
            for name in names:
                if name not in vocabulary.STEPS:
                    raise self.error(
                        value_mark(spec, "relation"),
                        f"'relation': unknown step {name!r} (expected one of: "
                        + ", ".join(vocabulary.STEPS)
                        + ")."
                        + did_you_mean(name, vocabulary.STEPS),
                    )
            names_per_step.append(names)
        # The kinds each step may start from: with the path form (max-depth > 1) the steps
        # repeat, so a later round starts from what earlier rounds reached.
        steps = [Step(tuple(vocabulary.STEPS[n] for n in names)) for names in names_per_step]
        kinds: frozenset[str] = scope.kinds
        starts: list[frozenset[str]] = [frozenset()] * len(names_per_step)
        reached_all: frozenset[str] = frozenset()
        for _ in range(depth):
            for index, names in enumerate(names_per_step):
                starts[index] = starts[index] | kinds
                kinds = frozenset().union(*(vocabulary.step_targets(n, kinds) for n in names))
            reached_all |= kinds
        for index, names in enumerate(names_per_step):
            for name in names:
                if not vocabulary.step_targets(name, starts[index]):
                    raise self.error(
                        value_mark(spec, "relation"),
                        f"'relation': step {name!r} cannot start from "
                        + " or ".join(sorted(starts[index]) or ["nothing reached"])
                        + " (it starts from "
                        + " or ".join(vocabulary.step_starts(name))
                        + ")",
                    )
        kinds = reached_all
        kind = None
        if "kind" in spec:
            kind = self.kind(spec, "kind", spec["kind"])
            if kind not in kinds:
                raise self.error(
                    value_mark(spec, "kind"),
                    f"'kind': {kind} is never reached by {raw!r} (it reaches "
                    + " or ".join(sorted(kinds))
                    + ")",
                )
            kinds = frozenset([kind])
        quantifier = (
            self.choice(spec, "quantifier", QUANTIFIERS) if "quantifier" in spec else "exists"
        )
        name = None
        if "as" in spec:
            name = self.string(spec, "as", BINDING_PATTERN, "a lower-case name such as entry")
            if name in RESERVED_BINDINGS:
                raise self.expect(
                    spec, "as", "a name other than " + ", ".join(sorted(RESERVED_BINDINGS))
                )
            if quantifier == "none":
                raise self.error(value_mark(spec, "as"), "'as': a `none` relation binds no node")
        at_least = 1
        if "at-least" in spec:
            value = spec["at-least"]
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise self.expect(spec, "at-least", "a whole number of at least 1")
            if quantifier != "exists":
                raise self.error(
                    value_mark(spec, "at-least"),
                    "'at-least': counts only with `quantifier: exists`",
                )
            at_least = value
        related = True
        if "related" in spec:
            if not isinstance(spec["related"], bool):
                raise self.expect(spec, "related", "true or false")
            related = spec["related"]
        inner = Scope(kinds, None, scope.bindings)
        where = (
            self.condition(spec["where"], inner, value_mark(spec, "where"))
            if "where" in spec
            else None
        )
        if name is not None:
            scope.bindings.add(name)
        return Relation(
            tuple(steps), kind, quantifier, where, name, depth, related, unknown, at_least
        )
