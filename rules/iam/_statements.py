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
    """`role MyRole`, `user Alice`, `group Admins` or the policy it belongs to, for messages."""
    holders = graph.sources(statement, "grants")
    for kind in ("role", "user", "group"):
        for holder in holders:
            if holder.kind == kind:
                return f"{kind} {holder.address}"
    return f"policy {statement.address.split('.Statement', 1)[0]}"
