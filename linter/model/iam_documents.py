"""Turn IAM policy documents (from any format) into located `statement` nodes.

CloudFormation, SAM, Serverless `iam.role.statements`, Terraform `jsonencode`/heredoc JSON and
`aws_iam_policy_document` all end up as the same JSON shape; loaders hand it here with a
`resolve` function for their own expressions, and get statement nodes whose every action,
resource and principal keeps the line it was written on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sls_lint.model.graph import Kind, Location, Node, ResourceGraph
from sls_lint.model.values import Unknown
from sls_lint.sources.located import LDict, LList, Mark

Resolve = Callable[[Any], Any]
Items = Callable[[Any, Mark | None], Iterator[tuple[Any, Mark | None]]]


def _plain_items(value: Any, mark: Mark | None) -> Iterator[tuple[Any, Mark | None]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield item, value.mark_of(index) if isinstance(value, LList) else mark
    elif value is not None:
        yield value, mark


def _key(mapping: dict, *names: str) -> str | None:
    """The key present in `mapping` among `names`, case-insensitively (Terraform uses lower)."""
    return _key_in(_lowered(mapping), *names)


def _lowered(mapping: dict) -> dict[str, Any]:
    return {str(k).lower(): k for k in mapping}


def _key_in(lowered: dict[str, Any], *names: str) -> str | None:
    """`_key` over a mapping's `_lowered` keys (built once for the many lookups of a statement)."""
    for name in names:
        key = lowered.get(name.lower())
        if key is not None:
            return key
    return None


def statement_nodes(
    graph: ResourceGraph,
    document: Any,
    *,
    file: str,
    fmt: str,
    address: str,
    resource_type: str,
    fallback: Location,
    source: str,
    resolve: Resolve = lambda v: v,
    items: Items = _plain_items,
    names: list[str | None] | None = None,
) -> list[Node]:
    """Statement nodes (added to `graph`) for one policy document or statement list.

    `address` prefixes each statement's address (`MyRole.Policies[0].Statement[1]`); `source`
    says where the statement came from (`inline`, `managed:Name`, `sam-template:S3CrudPolicy`).
    `names`, when given (one per statement), are the addresses of statements a format wrote
    elsewhere (`IamRoleLambdaExecution.provider.iam.role.statements[1]`): the user's own
    numbering, not the generated document's.
    """
    if isinstance(document, dict):
        statement_key = _key(document, "Statement")
        if statement_key is None:
            statements_value: Any = document if _key(document, "Effect", "Action") else []
        else:
            statements_value = document[statement_key]
    else:
        statements_value = document
    doc_mark = document.mark if isinstance(document, (LDict, LList)) else None
    nodes: list[Node] = []
    listed = list(items(statements_value, doc_mark))
    if names is not None and len(names) != len(listed):
        names = None  # the document changed after it was generated (`resources.extensions`)
    for index, (statement, mark) in enumerate(listed):
        if not isinstance(statement, dict):
            continue
        where = Location(file, mark) if mark else fallback
        name = names[index] if names is not None else None
        node = Node(
            kind=Kind.STATEMENT,
            address=name or f"{address}.Statement[{index}]",
            resource_type=resource_type,
            format=fmt,
            location=where,
        )
        _fill_statement(node, statement, file, resolve, items)
        node.set("source", source)
        nodes.append(graph.add(node))
    return nodes


# The keys of a statement that `_fill_statement` reads, lowercased once here rather than on
# every lookup (it runs for every statement of every policy).
_EFFECT = ("effect",)
_SID = ("sid",)
_LIST_ATTRS = (
    ("actions", ("action", "actions")),
    ("not_actions", ("notaction", "notactions", "not_actions")),
    ("resources", ("resource", "resources")),
    ("not_resources", ("notresource", "notresources", "not_resources")),
)
_PRINCIPAL_ATTRS = (("principals", ("principal",)), ("not_principals", ("notprincipal",)))
_CONDITION = ("condition", "conditions")


def _lower_key(lowered: dict[str, Any], names: tuple[str, ...]) -> Any:
    """`_key_in` for names that are lowercase already."""
    for name in names:
        key = lowered.get(name)
        if key is not None:
            return key
    return None


def _fill_statement(node: Node, statement: dict, file: str, resolve: Resolve, items: Items) -> None:
    located = isinstance(statement, LDict)
    locations = node.locations

    def where(key: Any) -> Location | None:
        mark = statement.mark_of(key) if located else None
        return Location(file, mark) if mark is not None else None

    # A key whose value is null (`NotAction = null` in jsonencode, `NotAction:` in YAML) is not set.
    lowered = {str(k).lower(): k for k, v in statement.items() if v is not None}
    effect_key = _lower_key(lowered, _EFFECT)
    effect = resolve(statement[effect_key]) if effect_key else "Allow"
    node.set(
        "effect",
        effect if isinstance(effect, str) else Unknown("computed Effect"),
        where(effect_key) if effect_key else None,
    )
    sid_key = _lower_key(lowered, _SID)
    if sid_key:
        node.set("sid", resolve(statement[sid_key]))
    for attr, names in _LIST_ATTRS:
        key = _lower_key(lowered, names)
        if key is None:
            continue
        values: list[Any] = []
        mark = statement.mark_of(key) if located else None
        locations[attr] = Location(file, mark) if mark is not None else node.location
        for index, (item, item_mark) in enumerate(items(statement[key], mark)):
            values.append(item if isinstance(item, (str, int)) else resolve(item))
            if item_mark is not None:
                locations[f"{attr}[{index}]"] = Location(file, item_mark)
        node.attrs[attr] = values
        if attr.startswith("not_"):
            # As the user spelled it (`NotAction`, `not_actions`), for messages.
            node.attrs.setdefault("written_keys", {})[attr] = str(key)
    for attr, names in _PRINCIPAL_ATTRS:
        key = _lower_key(lowered, names)
        if key is not None:
            node.set(attr, _principals(resolve(statement[key])), where(key))
    condition_key = _lower_key(lowered, _CONDITION)
    if condition_key is not None:
        conditions = resolve(statement[condition_key])
        node.set("conditions", conditions if conditions else {}, where(condition_key))


def _principals(value: Any) -> dict[str, list[Any]]:
    """`Principal` normalised to {type: [ids]}; `"*"` becomes {"*": ["*"]}."""
    if isinstance(value, str):
        return {"*": [value]} if value == "*" else {"AWS": [value]}
    if isinstance(value, dict):
        return {str(kind): (ids if isinstance(ids, list) else [ids]) for kind, ids in value.items()}
    return {"?": [value]}
