"""Which statements the IAM rules look at: permissions that are granted, once each."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.graph import Node, ResourceGraph


def allow_statements(graph: ResourceGraph) -> Iterator[Node]:
    """Every `Allow` permission statement (trust policies excluded), each statement once."""
    for statement in graph.nodes("statement"):
        if statement.get("source") == "trust":
            continue
        effect = statement.get("effect")
        if isinstance(effect, str) and effect.lower() == "allow":
            yield statement


def owner_label(graph: ResourceGraph, statement: Node) -> str:
    """`role MyRole` or the policy it belongs to, for messages."""
    roles = graph.sources(statement, "grants", "role")
    if roles:
        return f"role {roles[0].address}"
    return f"policy {statement.address.split('.Statement', 1)[0]}"
