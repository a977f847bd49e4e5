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


def who_needs(graph: ResourceGraph, statement: Node) -> str:
    """Whose needs a statement should be cut to, for messages: `the function` only when a
    function assumes (or Lambda is trusted by) the role that holds it; roles for CodePipeline,
    EC2 or state machines are `the role`, an unattached policy `its users`."""
    roles = graph.sources(statement, "grants", "role")
    if not roles:
        return "its users need"
    for role in roles:
        if graph.functions_assuming(role) or _trusts_lambda(graph, role):
            return "the function needs"
    return "the role needs"


def _trusts_lambda(graph: ResourceGraph, role: Node) -> bool:
    for trust in graph.trust_statements_of(role):
        principals = trust.get("principals")
        if not isinstance(principals, dict):
            continue
        for identifiers in principals.values():
            values = identifiers if isinstance(identifiers, list) else [identifiers]
            if any(isinstance(v, str) and v.startswith("lambda.amazonaws.com") for v in values):
                return True
    return False
