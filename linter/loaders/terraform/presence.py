"""When a `count`-ed resource exists, as a deploy-condition formula (`sls_lint.model.conditions`).

`count = var.public ? 1 : 0` on a function URL and `count = var.public ? 0 : 1` on an admin
policy never exist together, whatever `var.public` turns out to be. When `count` is known
before apply the evaluator already keeps or drops the instance; this module only speaks for
counts that depend on values unknown until apply: the condition's test becomes a formula over
those values (`var.public` is a yes/no fact, `var.env == "prod"` a comparison), `!`, `&&` and
`||` nest, and anything else is no condition at all (the resource may exist).
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.terraform.evaluator import Evaluator
from sls_lint.model.conditions import Formula

MAX_DEPTH = 30


def count_condition(evaluator: Evaluator, count_expr: list, prefix: str) -> Formula | None:
    """The formula under which `count` is at least 1, or None when it cannot be told."""
    if not isinstance(count_expr, list) or len(count_expr) < 5 or count_expr[0] != "cond":
        return None
    yes, no = _number(evaluator, count_expr[3]), _number(evaluator, count_expr[4])
    if yes is None or no is None or (yes > 0) == (no > 0):
        return None
    test = _formula(evaluator, count_expr[2], prefix, 0)
    if test is None:
        return None
    return test if yes > 0 else ("not", test)


def _number(evaluator: Evaluator, expr: list) -> int | None:
    value = evaluator.value(expr)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value)


def _formula(evaluator: Evaluator, expr: Any, prefix: str, depth: int) -> Formula | None:
    if depth > MAX_DEPTH or not isinstance(expr, list) or len(expr) < 3:
        return None
    value = evaluator.value(expr)
    if isinstance(value, bool):
        return ("const", value)
    tag = expr[0]
    if tag in ("name", "get", "index"):
        text = _text(expr, 0)
        return ("atom", prefix + text) if text else None
    if tag == "unary" and expr[2] == "!":
        inner = _formula(evaluator, expr[3], prefix, depth + 1)
        return ("not", inner) if inner is not None else None
    if tag == "binop" and expr[2] in ("&&", "||"):
        left = _formula(evaluator, expr[3], prefix, depth + 1)
        right = _formula(evaluator, expr[4], prefix, depth + 1)
        if left is None or right is None:
            return None
        return ("and" if expr[2] == "&&" else "or", left, right)
    if tag == "binop" and expr[2] in ("==", "!="):
        equal = _comparison(evaluator, expr[3], expr[4], prefix)
        if equal is None:
            return None
        return equal if expr[2] == "==" else ("not", equal)
    return None


def _comparison(evaluator: Evaluator, left: list, right: list, prefix: str) -> Formula | None:
    for subject, other in ((left, right), (right, left)):
        literal = evaluator.value(other)
        text = _text(subject, 0)
        if text and isinstance(literal, (str, int, float)) and not isinstance(literal, bool):
            return ("eq", prefix + text, str(literal))
    return None


def _text(expr: Any, depth: int) -> str | None:
    """`var.x`, `local.flags.public`, `var.m["k"]`: a reference as text, or None."""
    if depth > MAX_DEPTH or not isinstance(expr, list) or len(expr) < 3:
        return None
    if expr[0] == "name":
        return str(expr[2])
    if expr[0] == "get":
        base = _text(expr[2], depth + 1)
        return f"{base}.{expr[3]}" if base else None
    if expr[0] == "index" and isinstance(expr[3], list) and expr[3][0] == "lit":
        base = _text(expr[2], depth + 1)
        return f"{base}[{expr[3][2]!r}]" if base else None
    return None
