"""Values that cannot be known statically, and values that may be one of several.

A rule must never guess: `!ImportValue`, `${ssm:...}` or a Terraform variable without default is
an explicit `Unknown`, and rules treat it conservatively (no finding by default). `Fn::If`
is a `Choice`: both branches are possible deployments, so a rule looks at each.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class Unknown:
    """A value the linter cannot know without deploying; `reason` says why.

    `source`, when set, names the one expression the value comes from (`var.role_arn`,
    `data.aws_iam_role.shared.arn`, `parameter RoleArn`, `Fn::ImportValue shared-role`): two
    Unknowns with the same source are the same value, although neither is known (SLS208
    groups functions that share a role this way). Equality ignores it: every Unknown is equal.
    """

    __slots__ = ("reason", "source")

    def __init__(self, reason: str = "unknown", source: str | None = None) -> None:
        self.reason = reason
        self.source = source

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown)

    def __hash__(self) -> int:
        return hash(Unknown)

    def __bool__(self) -> bool:  # an Unknown never satisfies a truthiness check by accident
        return False


class Choice:
    """One of several possible values (both branches of `Fn::If`, a conditional expression).

    `when`, if known, holds for each option the deploy condition under which it is the value
    (a formula of `sls_lint.model.conditions`: `Fn::If [IsProd, a, b]` is `a` when `IsProd`).
    """

    __slots__ = ("options", "when")

    def __init__(self, options: list[Any], when: list[Any] | None = None) -> None:
        self.options = options
        self.when = when if when is not None and len(when) == len(options) else None

    def __repr__(self) -> str:
        return f"Choice({self.options!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Choice) and other.options == self.options

    def __hash__(self) -> int:
        return hash(tuple(map(repr, self.options)))


def is_unknown(value: Any) -> bool:
    """True for an `Unknown` (rules skip these)."""
    return isinstance(value, Unknown)


def possible(value: Any) -> Iterator[Any]:
    """Every concrete value `value` may take: the options of a `Choice`, else the value itself."""
    if isinstance(value, Choice):
        for option in value.options:
            yield from possible(option)
    else:
        yield value


def as_list(value: Any) -> list[Any]:
    """A scalar-or-list attribute (IAM's `Action: s3:GetObject` vs `[...]`) as a list."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


class Reference:
    """A value that came from a reference (`!Ref`, `${ssm:...}`, `var.x`), not a literal.

    Secret rules need the difference: a reference to a secret store is the *fix*, not a leak.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Reference({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reference) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("Reference", repr(self.value)))
