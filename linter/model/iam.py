"""IAM policy analysis shared by the 2xx rules: wildcards, catalogue expansion, escalation.

Action patterns are expanded against cfn-lint's IAM action catalogue, so `s3:Put*` is known to
grant dozens of actions, and `Resource: "*"` is only a finding for actions that *can* be scoped
to a resource (many `Describe*`/`List*` actions cannot).
"""

from __future__ import annotations

import fnmatch
import functools
import re
from typing import Any

from sls_lint.model.aws_data import iam_actions

READ_ONLY_PREFIXES = (
    "get",
    "list",
    "describe",
    "head",
    "batchget",
    "query",
    "scan",
    "select",
    "view",
    "read",
    "search",
    "lookup",
    "check",
    "validate",
    "test",
    "estimate",
    "preview",
    "export",
    "download",
)


def is_full_wildcard(action: Any) -> bool:
    """`*` or `*:*`: every action of every service."""
    return isinstance(action, str) and action.strip() in ("*", "*:*")


def has_wildcard(action: Any) -> bool:
    return isinstance(action, str) and ("*" in action or "?" in action)


def split_action(action: str) -> tuple[str, str]:
    service, _, name = action.partition(":")
    return service.lower(), name


@functools.cache
def _service_actions(service: str) -> dict[str, bool] | None:
    """Lowercase action name -> whether it can be scoped to resources; None: unknown service."""
    entry = iam_actions().get(service)
    if entry is None:
        return None
    scoped, unscoped = entry
    return {**dict.fromkeys(scoped, True), **dict.fromkeys(unscoped, False)}


def known_service(service: str) -> bool:
    return _service_actions(service.lower()) is not None


@functools.cache
def expand(action: str) -> tuple[str, ...]:
    """Catalogue actions (lowercase `service:action`) that an action pattern grants.

    An unknown service or action expands to nothing: no guess.
    """
    if not isinstance(action, str) or ":" not in action:
        return ()
    service, name = split_action(action)
    actions = _service_actions(service)
    if actions is None:
        return ()
    pattern = name.lower()
    if not has_wildcard(pattern):
        return (f"{service}:{pattern}",) if pattern in actions else ()
    regex = re.compile(fnmatch.translate(pattern))
    return tuple(f"{service}:{a}" for a in sorted(actions) if regex.match(a))


def is_read_only(action: str) -> bool:
    _, name = split_action(action)
    return name.lower().startswith(READ_ONLY_PREFIXES)


def supports_resource_level(action: str) -> bool | None:
    """Whether `service:action` can be scoped to resources (None when not in the catalogue)."""
    service, name = split_action(action)
    actions = _service_actions(service)
    if actions is None or name.lower() not in actions:
        return None
    return bool(actions[name.lower()])


def broad_wildcard(action: Any) -> tuple[bool, tuple[str, ...]]:
    """(is it a broad service wildcard?, the actions it grants).

    Broad: `service:*`, or a pattern granting more than one action of which at least one is
    not read-only (`s3:Put*`, `dynamodb:*Item`). Read-only patterns (`s3:Get*`, `logs:Describe*`)
    are the customary way to grant reads and are not reported.
    """
    if not has_wildcard(action) or is_full_wildcard(action) or ":" not in action:
        return False, ()
    service, name = split_action(action)
    granted = expand(action)
    if name.strip() == "*":
        return True, granted
    if not known_service(service):
        return False, ()
    mutating = [a for a in granted if not is_read_only(a)]
    return (len(granted) > 1 and bool(mutating)), granted


ADMIN_POLICY_NAMES = frozenset({"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"})


def managed_policy_name(arn: Any) -> str | None:
    """`arn:aws:iam::aws:policy/AdministratorAccess` -> `AdministratorAccess` (AWS-managed only)."""
    if not isinstance(arn, str):
        return None
    match = re.match(r"^arn:[^:]*:iam::aws:policy/(?:.*/)?([^/]+)$", arn)
    return match.group(1) if match else None
