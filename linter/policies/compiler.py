"""Turn one parsed policy document into rule classes, or say precisely what is wrong.

Every error names the file, the line and column, the key, what was expected and what was
found, the way configuration errors do: a policy repository is maintained by people who do not
read sls-lint's source, and a policy that silently never fires is worse than no policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sls_lint.model.rule import FORMATS
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
from sls_lint.policies.policy_rule import Program, Target
from sls_lint.sources.located import LDict, LList, Mark

ID_PATTERN = re.compile(r"^[A-Z][A-Z_]*[0-9]+$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# An example's file is written into a fresh directory: a name, never a path (no `..`).
FILE_NAME_PATTERN = re.compile(r"^(?!\.\.?$)[\w.-]+$")
BINDING_PATTERN = re.compile(r"^[a-z_][a-z0-9_]*$")
SEVERITIES = ("error", "warning", "note")
DEFAULT_SECURITY_SEVERITY = {"error": 7.5, "warning": 5.0, "note": 2.0}
PRECISIONS = ("very-high", "high", "medium", "low")
QUANTIFIERS = ("exists", "none", "all")
UNKNOWN_CHOICES = {"match": True, "no-match": False, "undecided": None}
MAX_DEPTH = 10
RESERVED_BINDINGS = {"item", "attribute", "address", "kind", "format", "resource_type", "index"}

POLICY_KEYS = (
    "id",
    "name",
    "severity",
    "security-severity",
    "summary",
    "precision",
    "tags",
    "formats",
    "help-uri",
    "docs",
    "message",
    "subject",
    "condition",
    "at",
    "examples",
)
DOCS_KEYS = ("what", "why", "fix")
SUBJECT_KEYS = ("kind", "where", "each")
EXAMPLE_KEYS = ("format", "expect", "source", "file", "name")
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


class PolicyError(Exception):
    """A policy file that cannot be used (exit 2); the message says where and why."""


@dataclass
class Scope:
    """What names mean where a condition sits: the kinds a node may have, the `each` item."""

    kinds: frozenset[str]
    item_of: str | None = None  # the subject's `each` attribute, at the subject level only
    bindings: set[str] = field(default_factory=set)


def _did_you_mean(name: Any, options: Any) -> str:
    """` Did you mean 'equals'?` for a near miss, else nothing."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(o) for o in options], n=1, cutoff=0.7)
    return f" Did you mean '{close[0]}'?" if close else ""


def _type_name(value: Any) -> str:
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


def _mark(value: Any) -> Mark | None:
    """Where a mapping or list starts (None for values read back from the cache)."""
    return getattr(value, "mark", None)


def _vmark(container: Any, key: Any) -> Mark | None:
    return container.mark_of(key) if isinstance(container, (LDict, LList)) else _mark(container)


def _kmark(container: Any, key: Any) -> Mark | None:
    return container.key_mark(key) if isinstance(container, LDict) else _mark(container)


def _line(value: Any) -> int:
    mark = _mark(value)
    return mark.line if mark is not None else 0


class Compiler:
    """Compiles the policies of one file; `error` raises with the file and position."""

    def __init__(self, file: str) -> None:
        self.file = file

    # -- errors ---------------------------------------------------------------------------
    def error(self, mark: Mark | None, message: str) -> PolicyError:
        if mark is None:
            return PolicyError(f"{self.file}: {message}")
        return PolicyError(f"{self.file}:{mark.line}:{mark.column}: {message}")

    def _value_mark(self, mapping: Any, key: str) -> Mark | None:
        return (
            _vmark(mapping, key) if isinstance(mapping, LDict) else getattr(mapping, "mark", None)
        )

    def _key_mark(self, mapping: Any, key: str) -> Mark | None:
        return (
            _kmark(mapping, key) if isinstance(mapping, LDict) else getattr(mapping, "mark", None)
        )

    def expect(self, mapping: Any, key: str, expected: str) -> PolicyError:
        value = mapping[key]
        return self.error(
            self._value_mark(mapping, key),
            f"'{key}': expected {expected}, got {_type_name(value)}",
        )

    def mapping(self, value: Any, where: str, mark: Mark | None) -> LDict:
        if not isinstance(value, dict):
            raise self.error(mark, f"{where}: expected a mapping, got {_type_name(value)}")
        return value  # type: ignore[return-value]

    def check_keys(self, mapping: LDict, allowed: tuple[str, ...], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                hint = ", ".join(allowed)
                raise self.error(
                    self._key_mark(mapping, key),
                    f"{where}: unknown key '{key}' (expected one of: {hint})."
                    + _did_you_mean(key, allowed),
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
    def policies(self, document: Any) -> list[LDict]:
        """The policy mappings of a document: `policies: [...]`, a list, or one policy."""
        if isinstance(document, dict) and "policies" in document:
            self.check_keys(document, ("policies",), "policy file")
            items = document["policies"]
            if not isinstance(items, list):
                raise self.expect(document, "policies", "a list of policies")
        elif isinstance(document, list):
            items = document
        elif isinstance(document, dict):
            items = [document]
        else:
            raise self.error(
                None, f"expected a policy mapping or 'policies:' list, got {_type_name(document)}"
            )
        marks = items.item_marks if isinstance(items, LList) else []
        result = []
        for index, item in enumerate(items):
            mark = marks[index] if index < len(marks) else None
            result.append(self.mapping(item, f"policy #{index + 1}", mark))
        return result

    def policy(self, spec: LDict) -> dict[str, Any]:
        """The class attributes of one policy's rule class."""
        self.check_keys(spec, POLICY_KEYS, "policy")
        for key in ("id", "name", "summary", "subject"):
            if key not in spec:
                raise self.error(_mark(spec), f"policy: missing required key '{key}'")
        policy_id = self.string(
            spec, "id", ID_PATTERN, "an id of capital letters then digits, such as ORG001"
        )
        name = self.string(
            spec, "name", NAME_PATTERN, "a kebab-case name such as runtime-allow-list"
        )
        summary = self.string(spec, "summary")
        severity = self.choice(spec, "severity", SEVERITIES) if "severity" in spec else "warning"
        security = DEFAULT_SECURITY_SEVERITY[severity]
        if "security-severity" in spec:
            value = spec["security-severity"]
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 < value <= 10
            ):
                raise self.expect(spec, "security-severity", "a number in (0, 10]")
            security = float(value)
        precision = self.choice(spec, "precision", PRECISIONS) if "precision" in spec else "high"
        tags = tuple(self.strings(spec, "tags")) if "tags" in spec else ()
        formats = tuple(FORMATS)
        if "formats" in spec:
            formats = tuple(self.strings(spec, "formats", FORMATS))
        help_link = self.string(spec, "help-uri") if "help-uri" in spec else ""
        docs = self.docs(spec)
        scope, program = self.program(spec, summary)
        examples = self.examples(spec)
        return {
            "id": policy_id,
            "name": name,
            "summary": summary,
            "severity": severity,
            "security_severity": security,
            "precision": precision,
            "tags": tags,
            "formats": formats,
            "help_link": help_link,
            "program": program,
            "bindings_declared": frozenset(scope.bindings),
            "policy_file": self.file,
            "policy_line": _line(spec),
            "policy_examples": tuple(examples),
            "__doc__": _documentation(summary, docs, program.kind, examples),
            "__module__": f"policy file {self.file}",
        }

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

    def docs(self, spec: LDict) -> dict[str, str]:
        if "docs" not in spec:
            return {}
        docs = self.mapping(spec["docs"], "'docs'", _vmark(spec, "docs"))
        self.check_keys(docs, DOCS_KEYS, "'docs'")
        return {key: self.string(docs, key) for key in DOCS_KEYS if key in docs}

    def examples(self, spec: LDict) -> list[tuple[str, str, str, str, int]]:
        if "examples" not in spec:
            return []
        items = spec["examples"]
        if not isinstance(items, list):
            raise self.expect(spec, "examples", "a list of examples")
        found = []
        for index, item in enumerate(items):
            mark = _vmark(items, index) if isinstance(items, LList) else None
            example = self.mapping(item, f"example #{index + 1}", mark)
            self.check_keys(example, EXAMPLE_KEYS, "example")
            for key in ("format", "expect", "source"):
                if key not in example:
                    raise self.error(_mark(example), f"example: missing required key '{key}'")
            fmt = self.choice(example, "format", FORMATS)
            expect = self.choice(example, "expect", ("fail", "pass"))
            source = self.string(example, "source")
            if "```" in source:
                raise self.expect(example, "source", "a source without ``` fences")
            if "file" in example:
                self.string(example, "file", FILE_NAME_PATTERN, "a plain file name such as main.tf")
            name = example.get("file") or ""
            found.append((fmt, expect, source, name, _line(example)))
        return found

    # -- subject, condition, at -------------------------------------------------------------
    def program(self, spec: LDict, summary: str) -> tuple[Scope, Program]:
        subject = spec["subject"]
        where: Condition | None = None
        each = None
        if isinstance(subject, str):
            kind = self.kind(spec, "subject", subject)
            scope = Scope(frozenset([kind]))
        else:
            subject = self.mapping(subject, "'subject'", _vmark(spec, "subject"))
            self.check_keys(subject, SUBJECT_KEYS, "'subject'")
            if "kind" not in subject:
                raise self.error(_mark(subject), "'subject': missing required key 'kind'")
            kind = self.kind(subject, "kind", subject["kind"])
            scope = Scope(frozenset([kind]))
            if "each" in subject:
                each = self.string(subject, "each")
                if each not in vocabulary.KIND_ATTRIBUTES[kind]:
                    raise self.unknown_attribute(subject, "each", each, scope.kinds)
            if "where" in subject:
                # `where` chooses nodes (no `item`): checked once per node, before the items.
                node_scope = Scope(scope.kinds, None, scope.bindings)
                where = self.condition(subject["where"], node_scope, _vmark(subject, "where"))
            scope.item_of = each
        condition = None
        if "condition" in spec:
            condition = self.condition(spec["condition"], scope, _vmark(spec, "condition"))
        message = (
            self.string(spec, "message")
            if "message" in spec
            else ("{kind} {address}: " + summary.replace("{", "{{").replace("}", "}}"))
        )
        self.check_message(spec, message, scope)
        at = self.at(spec, scope) if "at" in spec else ((Target(item=True),) if each else ())
        return scope, Program(kind, each, where, condition, message, at)

    def kind(self, mapping: LDict, key: str, value: Any) -> str:
        if value not in vocabulary.KIND_ATTRIBUTES:
            raise self.error(
                self._value_mark(mapping, key),
                f"'{key}': unknown node kind {value!r} (expected one of: "
                + ", ".join(vocabulary.KIND_ATTRIBUTES)
                + ")."
                + _did_you_mean(value, vocabulary.KIND_ATTRIBUTES),
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
            + _did_you_mean(name, known),
        )

    def check_message(self, spec: LDict, message: str, scope: Scope) -> None:
        from sls_lint.policies.policy_rule import PLACEHOLDER

        text = message.replace("{{", "").replace("}}", "")
        for match in PLACEHOLDER.finditer(text):
            parts = match.group(1).split(".")
            head = parts[0]
            ok = head in ("address", "kind", "format", "resource_type")
            if head == "item":
                ok = scope.item_of is not None
            elif head == "attribute":
                ok = len(parts) > 1 and any(
                    parts[1] in vocabulary.KIND_ATTRIBUTES[k] for k in scope.kinds
                )
            elif head in scope.bindings:
                ok = len(parts) == 1 or parts[1] in (
                    "address",
                    "kind",
                    "format",
                    "resource_type",
                    "count",
                    "attribute",
                )
            if not ok:
                raise self.error(
                    _vmark(spec, "message"),
                    f"'message': unknown placeholder {{{match.group(1)}}} (expected {{address}}, "
                    "{kind}, {attribute.NAME}, {item}/{item.KEY} with `each`, or "
                    "{NAME.address}/{NAME.attribute.X}/{NAME.count} for a relation's `as: NAME`)",
                )

    def at(self, spec: LDict, scope: Scope) -> tuple[Target, ...]:
        value = spec["at"]
        items = value if isinstance(value, list) else [value]
        targets = []
        for item in items:
            if isinstance(item, str):
                if item == "item":
                    if scope.item_of is None:
                        raise self.error(_vmark(spec, "at"), "'at': 'item' needs `subject.each`")
                    targets.append(Target(item=True))
                    continue
                if item == "subject":
                    targets.append(Target())
                    continue
                (kind,) = scope.kinds
                if item not in vocabulary.KIND_ATTRIBUTES[kind]:
                    raise self.unknown_attribute(spec, "at", item, scope.kinds)
                targets.append(Target(attribute=item))
            elif isinstance(item, dict) and set(item) <= {"node", "attribute"} and "node" in item:
                if item["node"] not in scope.bindings:
                    raise self.error(
                        _vmark(spec, "at"),
                        f"'at': no relation binds {item['node']!r} (declare it with `as:`)",
                    )
                attribute = item.get("attribute")
                if attribute is not None and not isinstance(attribute, str):
                    raise self.error(_vmark(spec, "at"), "'at': 'attribute' must be a string")
                targets.append(Target(binding=item["node"], attribute=attribute))
            else:
                raise self.error(
                    _vmark(spec, "at"),
                    "'at': expected an attribute name, 'item', 'subject', or "
                    f"{{node: NAME, attribute: ATTR}} (or a list of those), got {_type_name(item)}",
                )
        return tuple(targets)

    def condition(self, value: Any, scope: Scope, mark: Mark | None) -> Condition:
        if isinstance(value, list):  # a list is shorthand for `all:`
            return All(self.parts(value, scope, mark))
        spec = self.mapping(value, "condition", mark)
        forms = [key for key in ("all", "any", "not", "attribute", "relation") if key in spec]
        if len(forms) != 1:
            found = ", ".join(repr(k) for k in spec) or "nothing"
            raise self.error(
                _mark(spec),
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
            compiled = self.parts(parts, scope, _vmark(spec, form))
            return All(compiled, unknown) if form == "all" else Any_(compiled, unknown)
        if form == "not":
            self.check_keys(spec, ("not", "unknown"), "'not'")
            return Not(self.condition(spec["not"], scope, _vmark(spec, "not")), unknown)
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
                    _vmark(spec, "attribute"),
                    "'attribute': 'item' is only defined at the subject level of a policy "
                    "with `subject.each`",
                )
            on_item, path = True, path[1:]
            keys = vocabulary.ITEM_KEYS.get(scope.item_of)
            if path and keys is not None and path[0] not in keys:
                raise self.error(
                    _vmark(spec, "attribute"),
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
                _kmark(spec, others[0]),
                f"'attribute' condition: unknown operator or option '{others[0]}' (operators: "
                + ", ".join(vocabulary.OPERATORS)
                + "; options: "
                + ", ".join(ATTRIBUTE_OPTIONS)
                + ")."
                + _did_you_mean(others[0], [*vocabulary.OPERATORS, *ATTRIBUTE_OPTIONS]),
            )
        if len(ops) != 1:
            raise self.error(
                _mark(spec),
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
                    _vmark(spec, op),
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
                        _vmark(spec, "relation"),
                        f"'relation': unknown step {name!r} (expected one of: "
                        + ", ".join(vocabulary.STEPS)
                        + ")."
                        + _did_you_mean(name, vocabulary.STEPS),
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
                        _vmark(spec, "relation"),
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
                    _vmark(spec, "kind"),
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
                raise self.error(_vmark(spec, "as"), "'as': a `none` relation binds no node")
        at_least = 1
        if "at-least" in spec:
            value = spec["at-least"]
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise self.expect(spec, "at-least", "a whole number of at least 1")
            if quantifier != "exists":
                raise self.error(
                    _vmark(spec, "at-least"), "'at-least': counts only with `quantifier: exists`"
                )
            at_least = value
        related = True
        if "related" in spec:
            if not isinstance(spec["related"], bool):
                raise self.expect(spec, "related", "true or false")
            related = spec["related"]
        inner = Scope(kinds, None, scope.bindings)
        where = (
            self.condition(spec["where"], inner, _vmark(spec, "where")) if "where" in spec else None
        )
        if name is not None:
            scope.bindings.add(name)
        return Relation(
            tuple(steps), kind, quantifier, where, name, depth, related, unknown, at_least
        )


def _documentation(
    summary: str, docs: dict[str, str], kind: str, examples: list[tuple[str, str, str, str, int]]
) -> str:
    """The policy's docs in the shape of a rule docstring (what `explain` and SARIF show)."""
    lines = [summary, ""]
    lines.append(f"What it finds: {docs.get('what', summary)} (subject: {kind})")
    if "why" in docs:
        lines += ["", f"Why it matters: {docs['why']}"]
    if "fix" in docs:
        lines += ["", f"How to fix: {docs['fix']}"]
    if examples:
        lines += ["", "Examples", "--------"]
        for fmt, expect, source, _file, _line in examples:
            lines += [f"```{fmt} {expect}", source.rstrip("\n"), "```", ""]
    return "\n".join(lines).rstrip() + "\n"
