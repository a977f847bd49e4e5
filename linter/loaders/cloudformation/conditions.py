"""A template's `Conditions` as deployment-condition formulas (`sls_lint.model.conditions`).

`Fn::Equals` of a parameter and a literal becomes `("eq", "parameter:Name", "literal")`, and
a parameter with `AllowedValues` can only take one of them; `Fn::Not`, `Fn::And`, `Fn::Or` and
`Condition: Other` nest. A parameter the user fixed (`--var Name=value`) is no longer a choice:
the comparison is decided. Anything else (`Fn::Equals` of two pseudo parameters, of an
imported value) is a fact of its own, equal only to itself.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.cloudformation.intrinsics import intrinsic
from sls_lint.model.conditions import TRUE, Formula, conjoin


class TemplateConditions:
    """Translates condition names of one template, each once (a cycle is an unknown fact)."""

    def __init__(
        self, conditions: Any, parameters: Any, overrides: dict[str, Any] | None = None
    ) -> None:
        self.conditions = conditions if isinstance(conditions, dict) else {}
        self.parameters = parameters if isinstance(parameters, dict) else {}
        self.overrides = overrides or {}
        self._done: dict[str, Formula] = {}
        self._busy: set[str] = set()

    def of_resource(self, resource: Any) -> Formula | None:
        """The formula of a resource's `Condition`, or None when it has none."""
        name = resource.get("Condition") if isinstance(resource, dict) else None
        if not isinstance(name, str):
            return None
        return self.named(name)

    def named(self, name: str) -> Formula:
        if name in self._done:
            return self._done[name]
        if name in self._busy or name not in self.conditions or len(self._busy) > 50:
            return ("atom", f"condition:{name}")
        self._busy.add(name)
        try:
            formula = self._formula(self.conditions[name], 0)
        finally:
            self._busy.discard(name)
        formula = conjoin([formula, *self._domains(formula)])
        self._done[name] = formula
        return formula

    def _formula(self, value: Any, depth: int) -> Formula:
        found = intrinsic(value)
        if depth > 40 or found is None:
            return ("atom", f"value:{value!r}"[:200])
        name, argument = found
        if name == "Condition" and isinstance(argument, str):
            return self.named(argument)
        if name == "Fn::Equals" and isinstance(argument, list) and len(argument) == 2:
            return self._equals(argument[0], argument[1])
        if name in ("Fn::Not", "Fn::And", "Fn::Or") and isinstance(argument, list) and argument:
            parts = [self._formula(item, depth + 1) for item in argument]
            tag = name[4:].lower()
            return ("not", parts[0]) if tag == "not" else (tag, *parts)
        return ("atom", f"value:{value!r}"[:200])

    def _equals(self, left: Any, right: Any) -> Formula:
        left_key, right_key = self._side(left), self._side(right)
        if isinstance(left_key, str) and isinstance(right_key, str):
            return ("const", left_key == right_key)
        if isinstance(left_key, tuple) and isinstance(right_key, str):
            return ("eq", left_key[0], right_key)
        if isinstance(right_key, tuple) and isinstance(left_key, str):
            return ("eq", right_key[0], left_key)
        return ("atom", f"equals:{left!r}={right!r}"[:200])

    def _side(self, value: Any) -> Any:
        """A literal (str), a free parameter (`(key,)`), or None (something else)."""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, bool):
            return str(value).lower()
        found = intrinsic(value)
        if found is not None and found[0] == "Ref" and isinstance(found[1], str):
            name = found[1]
            if name in self.overrides and isinstance(self.overrides[name], (str, int, float)):
                return str(self.overrides[name])
            if name in self.parameters:
                return (f"parameter:{name}",)
        return None

    def _domains(self, formula: Formula) -> list[Formula]:
        """`AllowedValues` of the parameters `formula` compares, as constraints."""
        keys: set[str] = set()
        _eq_keys(formula, keys, 0)
        found = []
        for key in sorted(keys):
            parameter = self.parameters.get(key.split(":", 1)[1])
            allowed = parameter.get("AllowedValues") if isinstance(parameter, dict) else None
            if isinstance(allowed, list) and allowed and all(
                isinstance(v, (str, int, float)) for v in allowed
            ):
                found.append(("or", *(("eq", key, str(v)) for v in allowed)))
        return found


def _eq_keys(formula: Any, keys: set[str], depth: int) -> None:
    if depth > 60 or not isinstance(formula, tuple) or not formula:
        return
    if formula[0] == "eq":
        keys.add(str(formula[1]))
    elif formula[0] in ("not", "and", "or"):
        for part in formula[1:]:
            _eq_keys(part, keys, depth + 1)


__all__ = ["TRUE", "TemplateConditions"]
