"""IAM policy documents in every Terraform form, as located CloudFormation-shaped JSON.

Terraform users write the same policy five ways: an `aws_iam_policy_document` data source
(`statement` blocks), `jsonencode({...})`, heredoc JSON, `file("policy.json")`, or a reference
to another policy's `.json`/`.policy`. All of them become one shape - `{"Statement": [{"Effect",
"Action", "Resource", "Principal", "Condition"...}]}` - whose every item keeps the line it was
written on, so the statement rules work unchanged and point at the `"*"` the user typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sls_lint.loaders.terraform.embedded_json import parse_json_text
from sls_lint.loaders.terraform.values import Encoded, Interp, SourceText, TfDict, TfRef, new_list
from sls_lint.model.values import Choice
from sls_lint.sources.located import LDict, LList, Mark

# aws_iam_policy_document statement attributes -> policy JSON keys. `not_actions` and
# `not_resources` keep their HCL names (the statement builder reads both spellings), so that
# messages name the attribute the user wrote.
_STATEMENT_KEYS = (
    ("sid", "Sid"),
    ("effect", "Effect"),
    ("actions", "Action"),
    ("not_actions", "not_actions"),
    ("resources", "Resource"),
    ("not_resources", "not_resources"),
)

Documents = Callable[[TfRef], Any]


def blocks(body: Any, name: str) -> list[tuple[dict, Mark]]:
    """Nested blocks `name` of an evaluated body with their marks (a JSON object counts too)."""
    if not isinstance(body, dict):
        return []
    value = body.get(name)
    if isinstance(value, dict):
        return [
            (value, body.mark_of(name) if isinstance(body, LDict) else getattr(value, "mark", None))
        ]
    if isinstance(value, list):
        return [
            (item, value.mark_of(i) if isinstance(value, LList) else body.mark)
            for i, item in enumerate(value)
            if isinstance(item, dict)
        ]
    return []


def block(body: Any, name: str) -> dict | None:
    found = blocks(body, name)
    return found[0][0] if found else None


class PolicyDocuments:
    """Turns any policy value into a document; `lookup` resolves `data...json` references."""

    def __init__(self, lookup: Documents) -> None:
        self.lookup = lookup

    def document(self, value: Any, depth: int = 0) -> Any:
        """A CloudFormation-shaped document (LDict) for a policy value, or None if unknown."""
        if depth > 20:
            return None
        if isinstance(value, Encoded):
            return self.document(value.value, depth + 1)
        if isinstance(value, dict):
            return value
        if isinstance(value, TfRef):
            return self.lookup(value)
        if isinstance(value, SourceText):
            return parse_json_text(value)
        if isinstance(value, Interp):
            return parse_json_text(value.origin) if value.origin is not None else None
        if isinstance(value, str):
            return parse_json_text(value)
        if isinstance(value, Choice):
            return self._both(value, depth)
        return None

    def _both(self, choice: Choice, depth: int) -> Any:
        """Both branches of `cond ? doc_a : doc_b`: each statement may be deployed."""
        statements: list[Any] = []
        marks: list[Mark] = []
        mark = None
        for option in choice.options:
            document = self.document(option, depth + 1)
            for statement, statement_mark in _statements(document):
                statements.append(statement)
                marks.append(statement_mark)
                mark = mark or statement_mark
        if not statements:
            return None
        result = TfDict(mark=mark)
        result["Statement"] = new_list(statements, marks, mark)
        return result

    def from_data_source(self, body: TfDict) -> TfDict:
        """An `aws_iam_policy_document` data source as policy JSON."""
        statements: list[Any] = []
        marks: list[Mark] = []
        for source in _as_items(body.get("source_policy_documents")):
            for statement, mark in _statements(self.document(source)):
                statements.append(statement)
                marks.append(mark)
        for statement, mark in blocks(body, "statement"):
            statements.append(_statement(statement, mark))
            marks.append(mark)
        for override in _as_items(body.get("override_policy_documents")):
            for statement, mark in _statements(self.document(override)):
                sid = statement.get("Sid") if isinstance(statement, dict) else None
                same = [i for i, s in enumerate(statements) if sid and s.get("Sid") == sid]
                if same:
                    statements[same[0]], marks[same[0]] = statement, mark
                else:
                    statements.append(statement)
                    marks.append(mark)
        document = TfDict(mark=body.mark)
        document["Version"] = body.get("version", "2012-10-17")
        document["Statement"] = new_list(statements, marks, body.mark)
        document.value_marks["Statement"] = body.mark
        return document


def _as_items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _statements(document: Any) -> list[tuple[Any, Mark]]:
    if not isinstance(document, dict):
        return []
    key = next((k for k in document if str(k).lower() == "statement"), None)
    value = document.get(key) if key is not None else None
    if isinstance(value, dict):
        return [(value, document.mark_of(key) if isinstance(document, LDict) else document.mark)]
    if isinstance(value, LList):
        return [(item, value.mark_of(i)) for i, item in enumerate(value) if isinstance(item, dict)]
    if isinstance(value, list):
        return [(item, document.mark) for item in value if isinstance(item, dict)]
    return []


def _statement(body: dict, mark: Mark) -> TfDict:
    statement = TfDict(mark=mark)
    for attribute, key in _STATEMENT_KEYS:
        if attribute in body:
            statement[key] = body[attribute]
            if isinstance(body, LDict):
                statement.value_marks[key] = body.mark_of(attribute)
                statement.key_marks[key] = body.key_mark(attribute)
    if "Effect" not in statement:
        statement["Effect"] = "Allow"
        statement.value_marks["Effect"] = mark
    for name, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        principal = _principals(body, name)
        if principal is not None:
            statement[key] = principal[0]
            statement.value_marks[key] = principal[1]
    conditions = _conditions(body)
    if conditions is not None:
        statement["Condition"] = conditions
        statement.value_marks["Condition"] = conditions.mark
    return statement


def _principals(body: dict, name: str) -> tuple[Any, Mark] | None:
    found = blocks(body, name)
    if not found:
        return None
    principal = TfDict(mark=found[0][1])
    for item, mark in found:
        kind = item.get("type")
        identifiers = item.get("identifiers")
        if not isinstance(kind, str):
            continue
        if kind == "*" and isinstance(identifiers, list) and list(identifiers) == ["*"]:
            return "*", mark
        existing = principal.get(kind)
        if isinstance(existing, LList) and isinstance(identifiers, LList):
            existing.extend(identifiers)
            existing.item_marks.extend(identifiers.item_marks)
        else:
            principal[str(kind)] = identifiers
            principal.value_marks[str(kind)] = mark
    return principal, found[0][1]


def _conditions(body: dict) -> TfDict | None:
    found = blocks(body, "condition")
    if not found:
        return None
    conditions = TfDict(mark=found[0][1])
    for item, mark in found:
        test, variable = item.get("test"), item.get("variable")
        if not isinstance(test, str) or not isinstance(variable, str):
            continue
        inner = conditions.get(test)
        if not isinstance(inner, TfDict):
            inner = TfDict(mark=mark)
            conditions[str(test)] = inner
            conditions.value_marks[str(test)] = mark
        inner[str(variable)] = item.get("values")
        inner.value_marks[str(variable)] = mark
    return conditions
