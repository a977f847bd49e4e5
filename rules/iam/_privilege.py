"""What makes a role *privileged*: shared by SLS110 and SLS205-SLS207.

A role is privileged when one of its grants lets the holder do anything, or become anything:
`Action: "*"` on every resource, an AWS admin managed policy, `iam:*` or `iam:PassRole` on
`*`, or a known privilege-escalation combination. The analysis is deliberately literal:

- only `Allow` statements without a `Condition` count (conditions are not evaluated, so a
  conditioned grant gets the benefit of the doubt);
- only unscoped grants count: `Resource: "*"` or `NotResource` (a named role ARN may be
  harmless, and the linter cannot know what it grants);
- an unconditioned `Deny` on `*` of the same role removes the grant;
- `Unknown` actions or resources never count; each option of a `Choice` does.

The escalation table is data, one row per known path, so adding a path is a one-line change.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sls_lint.model.graph import Node, ResourceGraph
from sls_lint.model.iam import ADMIN_POLICY_NAMES, is_full_wildcard, managed_policy_name
from sls_lint.model.values import as_list, possible

# (what the holder can do, the actions that together allow it). Sources: the published
# privilege-escalation research on IAM (policy versions, attachment, inline policies, access
# keys, trust-policy rewrite, PassRole to a compute service that runs attacker code).
ESCALATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("make any policy version the default", ("iam:CreatePolicyVersion",)),
    ("switch a policy to an older, broader version", ("iam:SetDefaultPolicyVersion",)),
    ("attach any managed policy to a role", ("iam:AttachRolePolicy",)),
    ("attach any managed policy to a user", ("iam:AttachUserPolicy",)),
    ("attach any managed policy to a group", ("iam:AttachGroupPolicy",)),
    ("write any inline policy on a role", ("iam:PutRolePolicy",)),
    ("write any inline policy on a user", ("iam:PutUserPolicy",)),
    ("write any inline policy on a group", ("iam:PutGroupPolicy",)),
    ("create access keys for any user", ("iam:CreateAccessKey",)),
    ("set a console password for any user", ("iam:CreateLoginProfile",)),
    ("change the console password of any user", ("iam:UpdateLoginProfile",)),
    ("add itself to any group", ("iam:AddUserToGroup",)),
    ("rewrite the trust policy of any role", ("iam:UpdateAssumeRolePolicy",)),
    (
        "run code as any role through a new function",
        ("iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"),
    ),
    (
        "run code as any role through a new function and an event source",
        ("iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"),
    ),
    ("run code as any role through an EC2 instance", ("iam:PassRole", "ec2:RunInstances")),
    (
        "run a stack as any role",
        ("iam:PassRole", "cloudformation:CreateStack"),
    ),
    ("replace the code of any function", ("lambda:UpdateFunctionCode",)),
    ("assume any role that trusts the account", ("sts:AssumeRole",)),
)


@dataclass(frozen=True)
class Grant:
    """An unscoped, unconditioned grant of one action: the statement and the attribute path
    of the item that grants it (`actions[2]`, or `not_actions`)."""

    statement: Node
    at: str
    pattern: str


@dataclass(frozen=True)
class Privilege:
    """Why a role is privileged: a sentence, the node to point at and where in it."""

    reason: str
    node: Node
    at: str


def matches(pattern: Any, action: str) -> bool:
    """Whether an IAM action pattern (`iam:Pass*`, `*`) covers `action`, case-insensitively."""
    if not isinstance(pattern, str):
        return False
    return fnmatch.fnmatchcase(action.lower(), pattern.strip().lower())


def _effect(statement: Node) -> str:
    effect = statement.get("effect")
    return effect.lower() if isinstance(effect, str) else ""


def unscoped(statement: Node) -> bool:
    """`Resource: "*"` (in any option) or `NotResource`: the grant reaches every resource."""
    if statement.get("not_resources"):
        return True
    return any(
        option == "*" for item in as_list(statement.get("resources")) for option in possible(item)
    )


def unconditioned(statement: Node) -> bool:
    return not statement.get("conditions")


def grant_of(statement: Node, action: str, *, full_wildcard: bool = True) -> Grant | None:
    """The item of `statement` that grants `action` on every resource without conditions.

    With `full_wildcard=False`, `Action: "*"` does not count (SLS201 reports it already).
    """
    if not (unscoped(statement) and unconditioned(statement)):
        return None
    for index, item in enumerate(as_list(statement.get("actions"))):
        for option in possible(item):
            if not full_wildcard and is_full_wildcard(option):
                continue
            if matches(option, action):
                return Grant(statement, f"actions[{index}]", str(option))
    not_actions = statement.get("not_actions")
    if not_actions and full_wildcard:
        excluded = [option for item in not_actions for option in possible(item)]
        if all(isinstance(o, str) for o in excluded) and not any(
            matches(o, action) for o in excluded
        ):
            return Grant(statement, "not_actions", f"NotAction {', '.join(excluded)}")
    return None


def owner_statements(graph: ResourceGraph) -> Iterator[tuple[str, Node | None, list[Node]]]:
    """Statements grouped by who holds them: each role, user or group (label, holder,
    statements), then each policy that nobody in the graph holds (attached elsewhere)."""
    held: set[str] = set()
    for holder in graph.identities():
        statements = [s for s in graph.statements_of(holder) if s.get("source") != "trust"]
        held.update(s.address for s in statements)
        yield f"{holder.kind} {holder.address}", holder, statements
    orphans: dict[str, list[Node]] = {}
    for statement in graph.nodes("statement"):
        if statement.address in held or statement.get("source") == "trust":
            continue
        orphans.setdefault(statement.address.split(".Statement", 1)[0], []).append(statement)
    for policy, statements in orphans.items():
        yield f"policy {policy}", None, statements


def granted(statements: Iterable[Node], action: str, *, full_wildcard: bool = True) -> Grant | None:
    """The first unscoped Allow of `action` among `statements`, unless a Deny removes it."""
    statements = list(statements)
    for statement in statements:
        if _effect(statement) == "deny" and grant_of(statement, action) is not None:
            return None
    for statement in statements:
        if _effect(statement) == "allow":
            grant = grant_of(statement, action, full_wildcard=full_wildcard)
            if grant is not None:
                return grant
    return None


def escalations(
    statements: Iterable[Node], *, full_wildcard: bool = True
) -> list[tuple[str, list[Grant]]]:
    """Every escalation row whose actions are all granted, with the grant of each action."""
    # Only unscoped, unconditioned statements can grant (see `grant_of`): filter them once,
    # and look each action up once (iam:PassRole is in several rows). Same answers, ~10x less
    # work on roles with many statements.
    statements = [s for s in statements if unscoped(s) and unconditioned(s)]
    found: list[tuple[str, list[Grant]]] = []
    if not statements:
        return found
    memo: dict[str, Grant | None] = {}
    for description, actions in ESCALATIONS:
        grants = []
        for action in actions:
            if action not in memo:
                memo[action] = granted(statements, action, full_wildcard=full_wildcard)
            grants.append(memo[action])
        if all(grants):
            found.append((description, [g for g in grants if g is not None]))
    return found


_PARTITION = re.compile(r"\$\{AWS::Partition\}")


def admin_policy(arn: Any) -> str | None:
    """`AdministratorAccess` for an AWS admin managed policy ARN (`${AWS::Partition}` too)."""
    if not isinstance(arn, str):
        return None
    name = managed_policy_name(_PARTITION.sub("aws", arn))
    return name if name in ADMIN_POLICY_NAMES else None


def admin_policies(role: Node) -> Iterator[tuple[int, str]]:
    """(index, policy name) of each admin managed policy attached to `role`."""
    for index, item in enumerate(as_list(role.get("managed_policy_arns"))):
        for option in possible(item):
            name = admin_policy(option)
            if name is not None:
                yield index, name
                break


def privilege(graph: ResourceGraph, role: Node) -> Privilege | None:
    """The strongest reason why `role` holds admin-like power, or None (as far as is known)."""
    for index, name in admin_policies(role):
        return Privilege(f"has {name} attached", role, f"managed_policy_arns[{index}]")
    statements = [s for s in graph.statements_of(role) if s.get("source") != "trust"]
    for action, reason in (
        ("*", "may do every action on every resource"),
        ("iam:*", "may do every IAM action on every resource"),
        ("iam:PassRole", "may pass any role to any service"),
    ):
        grant = _literal_grant(statements, action)
        if grant is not None:
            return Privilege(reason, grant.statement, grant.at)
    for description, grants in escalations(statements):
        actions = " + ".join(g.pattern for g in grants)
        return Privilege(f"can {description} ({actions})", grants[0].statement, grants[0].at)
    return None


def _literal_grant(statements: list[Node], action: str) -> Grant | None:
    """A grant of `action` by an item that covers it *as a whole* (`*` covers `iam:*`; `iam:*`
    covers `iam:PassRole`; `iam:PassRole` itself) on every resource."""
    if action == "*":
        grant = granted(statements, "anything:anything")
        return grant if grant is not None and is_full_wildcard(grant.pattern) else None
    if action.endswith(":*"):
        grant = granted(statements, action.replace("*", "everything"))
        return grant if grant is not None and grant.pattern.endswith(":*") else None
    return granted(statements, action)
