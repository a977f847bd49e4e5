"""When a resource exists: deployment conditions as small boolean formulas, and whether two
resources can exist together.

CloudFormation `Conditions` (`Fn::Equals` on parameters, `Fn::Not`/`And`/`Or`) and Terraform
`count = var.x ? 1 : 0` decide at deploy time which resources exist. Loaders translate them into
one neutral form, stored on each node as the attribute `deploy_condition`; a path rule (SLS110)
asks `can_coexist` before joining two halves, so that a public URL that exists only when
`Stage == "dev"` and an admin role that exists only when `Stage == "prod"` are not reported as
one path.

A formula is a tuple:

- `("const", bool)`;
- `("atom", key)`: a yes/no fact known only at deploy time (a Terraform boolean variable);
- `("eq", key, value)`: the deploy-time value of `key` (a parameter, a variable) equals
  `value` (a string); different `value`s of one `key` exclude each other;
- `("not", f)`, `("and", f, ...)`, `("or", f, ...)`.

Satisfiability is decided by trying every assignment of the keys involved (each `eq` key takes
one of the values it is compared with, or "something else"); past a fixed budget the answer
is "yes, they may coexist", so a huge formula never hides a finding.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

Formula = tuple
TRUE: Formula = ("const", True)
MAX_ASSIGNMENTS = 4096
_OTHER = object()  # an `eq` key's value that no formula names


def conjoin(formulas: Iterable[Any]) -> Formula:
    """The `and` of the given formulas (None and `TRUE` are skipped)."""
    parts = [f for f in formulas if isinstance(f, tuple) and f and f != TRUE]
    if not parts:
        return TRUE
    return parts[0] if len(parts) == 1 else ("and", *parts)


def can_coexist(formulas: Iterable[Any]) -> bool:
    """True unless no deploy-time choice makes every formula true at once."""
    formula = conjoin(formulas)
    if formula == TRUE:
        return True
    atoms: set[str] = set()
    values: dict[str, set[str]] = {}
    if not _collect(formula, atoms, values, 0):
        return True
    domains: list[tuple[str, list[Any]]] = [(a, [True, False]) for a in sorted(atoms)]
    domains += [(k, sorted(v) + [_OTHER]) for k, v in sorted(values.items())]
    total = 1
    for _key, options in domains:
        total *= len(options)
        if total > MAX_ASSIGNMENTS:
            return True
    names = [key for key, _options in domains]
    for combination in itertools.product(*(options for _key, options in domains)):
        if _holds(formula, dict(zip(names, combination, strict=True))):
            return True
    return False


def _collect(formula: Any, atoms: set[str], values: dict[str, set[str]], depth: int) -> bool:
    """Gather the keys of `formula`; False when it is malformed or too deep to decide."""
    if depth > 60 or not isinstance(formula, tuple) or not formula:
        return False
    tag = formula[0]
    if tag == "const":
        return True
    if tag == "atom":
        atoms.add(str(formula[1]))
        return True
    if tag == "eq":
        values.setdefault(str(formula[1]), set()).add(str(formula[2]))
        return True
    if tag in ("not", "and", "or"):
        return all(_collect(part, atoms, values, depth + 1) for part in formula[1:])
    return False


def _holds(formula: Formula, assignment: dict[str, Any]) -> bool:
    tag = formula[0]
    if tag == "const":
        return bool(formula[1])
    if tag == "atom":
        return bool(assignment[str(formula[1])])
    if tag == "eq":
        return assignment[str(formula[1])] == str(formula[2])
    if tag == "not":
        return not _holds(formula[1], assignment)
    if tag == "and":
        return all(_holds(part, assignment) for part in formula[1:])
    return any(_holds(part, assignment) for part in formula[1:])
