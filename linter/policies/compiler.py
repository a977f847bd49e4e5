"""Turn one parsed policy document into the attributes of rule classes, or say what is wrong.

This module reads a policy's metadata, subject, `at`, message, docs and examples; conditions
are compiled by `condition_compiler.py` and values read through `reader.py`. Every error
names the file, the line and column, the key, what was expected and what was found, the way
configuration errors do: a policy repository is maintained by people who do not read
sls-lint's source, and a policy that silently never fires is worse than no policy.
"""

from __future__ import annotations

import re
from typing import Any

from sls_lint.model.rule import FORMATS
from sls_lint.policies import vocabulary
from sls_lint.policies.condition_compiler import ConditionCompiler, Scope
from sls_lint.policies.conditions import Condition
from sls_lint.policies.policy_rule import Program, Target
from sls_lint.policies.reader import PolicyError, line_of, start_of, type_name, value_mark
from sls_lint.sources.located import LDict, LList

__all__ = ["Compiler", "PolicyError"]

ID_PATTERN = re.compile(r"^[A-Z][A-Z_]*[0-9]+$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# An example's file is written into a fresh directory: a name, never a path (no `..`).
FILE_NAME_PATTERN = re.compile(r"^(?!\.\.?$)[\w.-]+$")
SEVERITIES = ("error", "warning", "note")
DEFAULT_SECURITY_SEVERITY = {"error": 7.5, "warning": 5.0, "note": 2.0}
PRECISIONS = ("very-high", "high", "medium", "low")

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


class Compiler(ConditionCompiler):
    """Compiles the policies of one file into the attributes of their rule classes."""

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
                None, f"expected a policy mapping or 'policies:' list, got {type_name(document)}"
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
                raise self.error(start_of(spec), f"policy: missing required key '{key}'")
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
            "policy_line": line_of(spec),
            "policy_examples": tuple(examples),
            "__doc__": _documentation(summary, docs, program.kinds, examples),
            "__module__": f"policy file {self.file}",
        }

    def docs(self, spec: LDict) -> dict[str, str]:
        if "docs" not in spec:
            return {}
        docs = self.mapping(spec["docs"], "'docs'", value_mark(spec, "docs"))
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
            mark = value_mark(items, index) if isinstance(items, LList) else None
            example = self.mapping(item, f"example #{index + 1}", mark)
            self.check_keys(example, EXAMPLE_KEYS, "example")
            for key in ("format", "expect", "source"):
                if key not in example:
                    raise self.error(start_of(example), f"example: missing required key '{key}'")
            fmt = self.choice(example, "format", FORMATS)
            expect = self.choice(example, "expect", ("fail", "pass"))
            source = self.string(example, "source")
            if "```" in source:
                raise self.expect(example, "source", "a source without ``` fences")
            if "file" in example:
                self.string(example, "file", FILE_NAME_PATTERN, "a plain file name such as main.tf")
            name = example.get("file") or ""
            found.append((fmt, expect, source, name, line_of(example)))
        return found

    # -- subject, condition, at -------------------------------------------------------------
    def program(self, spec: LDict, summary: str) -> tuple[Scope, Program]:
        subject = spec["subject"]
        where: Condition | None = None
        each = None
        if isinstance(subject, str):
            kinds: tuple[str, ...] = (self.kind(spec, "subject", subject),)
            scope = Scope(frozenset(kinds))
        else:
            subject = self.mapping(subject, "'subject'", value_mark(spec, "subject"))
            self.check_keys(subject, SUBJECT_KEYS, "'subject'")
            if "kind" not in subject:
                raise self.error(start_of(subject), "'subject': missing required key 'kind'")
            kinds = self.subject_kinds(subject)
            scope = Scope(frozenset(kinds))
            if "each" in subject:
                each = self.string(subject, "each")
                if any(each not in vocabulary.KIND_ATTRIBUTES[kind] for kind in kinds):
                    raise self.unknown_attribute(subject, "each", each, scope.kinds)
            if "where" in subject:
                # `where` chooses nodes (no `item`): checked once per node, before the items.
                node_scope = Scope(scope.kinds, None, scope.bindings)
                where = self.condition(subject["where"], node_scope, value_mark(subject, "where"))
            scope.item_of = each
        condition = None
        if "condition" in spec:
            condition = self.condition(spec["condition"], scope, value_mark(spec, "condition"))
        message = (
            self.string(spec, "message")
            if "message" in spec
            else ("{kind} {address}: " + summary.replace("{", "{{").replace("}", "}}"))
        )
        self.check_message(spec, message, scope)
        at = self.at(spec, scope) if "at" in spec else ((Target(item=True),) if each else ())
        return scope, Program(kinds, each, where, condition, message, at)

    def subject_kinds(self, subject: LDict) -> tuple[str, ...]:
        """`kind: role` or several kinds sharing the attributes the policy reads (`kind: [role,
        user, group]`): their nodes are checked in that order."""
        value = subject["kind"]
        if not isinstance(value, list):
            return (self.kind(subject, "kind", value),)
        if (
            not value
            or not all(isinstance(kind, str) for kind in value)
            or len(set(value)) != len(value)
        ):
            raise self.expect(subject, "kind", "a node kind or a non-empty list of distinct kinds")
        return tuple(self.kind(subject, "kind", kind) for kind in value)

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
                    value_mark(spec, "message"),
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
                        raise self.error(
                            value_mark(spec, "at"), "'at': 'item' needs `subject.each`"
                        )
                    targets.append(Target(item=True))
                    continue
                if item == "subject":
                    targets.append(Target())
                    continue
                if any(item not in vocabulary.KIND_ATTRIBUTES[kind] for kind in scope.kinds):
                    raise self.unknown_attribute(spec, "at", item, scope.kinds)
                targets.append(Target(attribute=item))
            elif isinstance(item, dict) and set(item) <= {"node", "attribute"} and "node" in item:
                if item["node"] not in scope.bindings:
                    raise self.error(
                        value_mark(spec, "at"),
                        f"'at': no relation binds {item['node']!r} (declare it with `as:`)",
                    )
                attribute = item.get("attribute")
                if attribute is not None and not isinstance(attribute, str):
                    raise self.error(value_mark(spec, "at"), "'at': 'attribute' must be a string")
                targets.append(Target(binding=item["node"], attribute=attribute))
            else:
                raise self.error(
                    value_mark(spec, "at"),
                    "'at': expected an attribute name, 'item', 'subject', or "
                    f"{{node: NAME, attribute: ATTR}} (or a list of those), got {type_name(item)}",
                )
        return tuple(targets)


def _documentation(
    summary: str,
    docs: dict[str, str],
    kinds: tuple[str, ...],
    examples: list[tuple[str, str, str, str, int]],
) -> str:
    """The policy's docs in the shape of a rule docstring (what `explain` and SARIF show)."""
    lines = [summary, ""]
    lines.append(f"What it finds: {docs.get('what', summary)} (subject: {', '.join(kinds)})")
    if "why" in docs:
        lines += ["", f"Why it matters: {docs['why']}"]
    if "fix" in docs:
        lines += ["", f"How to fix: {docs['fix']}"]
    if examples:
        lines += ["", "Examples", "--------"]
        for fmt, expect, source, _file, _line in examples:
            lines += [f"```{fmt} {expect}", source.rstrip("\n"), "```", ""]
    return "\n".join(lines).rstrip() + "\n"
