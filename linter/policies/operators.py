"""Attribute operators: each takes one concrete value and the policy's operand.

Three-valued on purpose: an operator answers True, False or None ("cannot tell", an `Unknown`
inside a list), and the condition that applies it decides what None means (`unknown:` in the
policy; by default no finding, like the built-in rules). `Choice` values never reach an
operator: the condition applies it to each possible value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from sls_lint.model.values import Reference, Unknown

Operator = Callable[[Any, Any], "bool | None"]


def _plain(value: Any) -> Any:
    """A `Reference` compares as the value it refers to (`!Ref X` as the dict `{"Ref": "X"}`)."""
    return value.value if isinstance(value, Reference) else value


def _text(value: Any) -> str | None:
    """The text a regex or comparison sees: strings, numbers, booleans as `true`/`false`."""
    value = _plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _number(value: Any) -> float | None:
    value = _plain(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _any_item(values: list[Any], test: Callable[[Any], bool]) -> bool | None:
    """True if an item passes, None if none does but one is Unknown, else False."""
    unknown = False
    for item in values:
        if isinstance(item, Unknown):
            unknown = True
        elif test(item):
            return True
    return None if unknown else False


def same(left: Any, right: Any) -> bool:
    """Equality that keeps booleans apart from numbers (`1` is not `true` in a policy)."""
    if isinstance(left, bool) is not isinstance(right, bool):
        return False
    return bool(left == right)


def equals(value: Any, operand: Any) -> bool | None:
    return same(_plain(value), operand)


def not_equals(value: Any, operand: Any) -> bool | None:
    return not same(_plain(value), operand)


def is_in(value: Any, operand: list[Any]) -> bool | None:
    value = _plain(value)
    return any(same(value, option) for option in operand)


def not_in(value: Any, operand: list[Any]) -> bool | None:
    return not is_in(value, operand)


def matches(value: Any, operand: re.Pattern[str]) -> bool | None:
    text = _text(value)
    return text is not None and operand.search(text) is not None


def not_matches(value: Any, operand: re.Pattern[str]) -> bool | None:
    return not matches(value, operand)


def exists(value: Any, operand: bool) -> bool | None:
    return (value is not None) is operand


def absent(value: Any, operand: bool) -> bool | None:
    return (value is None) is operand


def contains(value: Any, operand: Any) -> bool | None:
    """A list holding `operand`, a string holding it as a substring, a dict with that key."""
    value = _plain(value)
    if isinstance(value, list):
        return _any_item(value, lambda item: same(_plain(item), operand))
    if isinstance(value, str):
        return isinstance(operand, str) and operand in value
    if isinstance(value, dict):
        return operand in value
    return False


def not_contains(value: Any, operand: Any) -> bool | None:
    result = contains(value, operand)
    return None if result is None else not result


def _compare(test: Callable[[float, float], bool]) -> Operator:
    def operator(value: Any, operand: float) -> bool | None:
        number = _number(value)
        return number is not None and test(number, operand)

    return operator


greater_than = _compare(lambda a, b: a > b)
less_than = _compare(lambda a, b: a < b)
at_least = _compare(lambda a, b: a >= b)
at_most = _compare(lambda a, b: a <= b)


_POLICY_VARIABLE = re.compile(r"\$\{[^}]*\}")


@functools.lru_cache(maxsize=4096)
def globs_intersect(left: str, right: str) -> bool:
    """Whether some string matches both IAM wildcard patterns (`*` any run, `?` one character).

    This is what "its role grants an action matching `dynamodb:Delete*`" means: `dynamodb:*`,
    `dynamodb:DeleteItem` and `*` all grant such an action, `dynamodb:Get*` does not.
    """
    a, b = left, right
    seen: set[tuple[int, int]] = set()
    todo = [(0, 0)]
    while todo:
        i, j = todo.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i] == "*":
            todo.append((i + 1, j))
            if j < len(b):
                todo.append((i, j + 1))
        if j < len(b) and b[j] == "*":
            todo.append((i, j + 1))
            if i < len(a):
                todo.append((i + 1, j))
        if (
            i < len(a)
            and j < len(b)
            and a[i] != "*"
            and b[j] != "*"
            and (a[i] == "?" or b[j] == "?" or a[i] == b[j])
        ):
            todo.append((i + 1, j + 1))
    return False


def _patterns_match(values: Any, patterns: tuple[str, ...], fold: bool) -> bool | None:
    values = _plain(values)
    items = values if isinstance(values, list) else [values]

    def test(item: Any) -> bool:
        item = _plain(item)
        if not isinstance(item, str):
            return False
        text = _POLICY_VARIABLE.sub("*", item.strip())
        if fold:
            text = text.lower()
        return any(globs_intersect(text, pattern) for pattern in patterns)

    return _any_item([i for i in items if i is not None], test)


def action_matches(value: Any, operand: tuple[str, ...]) -> bool | None:
    """An IAM action (or list) that can grant an action matching one of the patterns.

    Case-insensitive, as IAM compares actions; `*` and `*:*` grant everything.
    """
    return _patterns_match(value, operand, fold=True)


def arn_matches(value: Any, operand: tuple[str, ...]) -> bool | None:
    """A resource ARN (or list, wildcards and `${aws:...}` variables allowed) that can name a
    resource matching one of the patterns. Case-sensitive, as ARNs are."""
    return _patterns_match(value, operand, fold=False)


def runtime_in_status(value: Any, operand: tuple[str, ...]) -> bool | None:
    """A Lambda runtime whose lifecycle state (from cfn-lint's data, as SLS601) is listed."""
    value = _plain(value)
    if not isinstance(value, str):
        return False
    return _runtime_state(value) in operand


@functools.lru_cache(maxsize=256)
def _runtime_state(runtime: str) -> str:
    """The lifecycle state of a runtime; the data is read on first use (start-up time)."""
    from sls_lint.model.runtimes import runtime_status

    return runtime_status(runtime).state


def is_unknown(value: Any, operand: bool) -> bool | None:  # handled by the condition itself
    return isinstance(value, Unknown) is operand


def is_reference(value: Any, operand: bool) -> bool | None:
    """A value that came from a reference (`!Ref`, `${ssm:...}`, `var.x`), not a literal."""
    return isinstance(value, Reference) is operand


OPERATORS: dict[str, Operator] = {
    "equals": equals,
    "not-equals": not_equals,
    "in": is_in,
    "not-in": not_in,
    "matches": matches,
    "not-matches": not_matches,
    "exists": exists,
    "absent": absent,
    "is-unknown": is_unknown,
    "is-reference": is_reference,
    "contains": contains,
    "not-contains": not_contains,
    "greater-than": greater_than,
    "less-than": less_than,
    "at-least": at_least,
    "at-most": at_most,
    "action-matches": action_matches,
    "arn-matches": arn_matches,
    "runtime-status": runtime_in_status,
}


def bind(name: str, operand: Any) -> Callable[[Any], bool | None]:
    """Operator `name` with its operand fixed: what a compiled condition calls per value.

    The operators policies use most get a closure that tests the plain-string case first,
    so a policy costs about what a hand-written rule does; the others wrap the general form.
    """
    operator = OPERATORS[name]
    if name in ("equals", "not-equals", "in", "not-in") and not isinstance(operand, bool):
        options = operand if name in ("in", "not-in") else [operand]
        if all(isinstance(o, (str, type(None))) for o in options):
            # Strings (and null) only: `==` on a str never confuses a bool or a number.
            wanted = frozenset(options)
            hit = name in ("equals", "in")

            def strings(value: Any) -> bool | None:
                if value.__class__ is Reference:
                    value = value.value
                try:
                    return (value in wanted) is hit
                except TypeError:  # unhashable: a list or a map is never one of them
                    return not hit

            strings.string_test = lambda text: (text in wanted) is hit  # type: ignore[attr-defined]
            strings.string_set = (wanted, hit)  # type: ignore[attr-defined]
            return strings
    if name in ("matches", "not-matches"):
        search = operand.search
        hit = name == "matches"

        def regex(value: Any) -> bool | None:
            if value.__class__ is str:
                return (search(value) is not None) is hit
            return operator(value, operand)

        regex.string_test = lambda text: (search(text) is not None) is hit  # type: ignore[attr-defined]
        regex.string_search = (search, hit)  # type: ignore[attr-defined]
        return regex
    if name == "exists":
        return lambda value: (value is not None) is operand
    if name == "absent":
        return lambda value: (value is None) is operand
    return lambda value: operator(value, operand)
