"""Resolve CloudFormation intrinsic functions statically, as far as they can be known.

`Ref` to a parameter gives its override or default; `Ref`/`GetAtt` to a resource gives a
`ResourceRef` (edges are built from these); `Sub`, `Join`, `FindInMap`, `Select` compute what
they can; `If` gives a `Choice` of both branches; anything that needs a deployed account
(`ImportValue`, pseudo parameters, a parameter without default) is `Unknown`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sls_lint.model.values import Choice, Unknown
from sls_lint.sources.located import LDict, LList, Mark

_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


class ResourceRef:
    """A reference to another resource of the same template (`!Ref X`, `!GetAtt X.Arn`)."""

    __slots__ = ("logical_id", "attribute")

    def __init__(self, logical_id: str, attribute: str | None = None) -> None:
        self.logical_id = logical_id
        self.attribute = attribute

    def __str__(self) -> str:
        suffix = f".{self.attribute}" if self.attribute else ""
        return f"${{{self.logical_id}{suffix}}}"

    def __repr__(self) -> str:
        return f"ResourceRef({self.logical_id!r}, {self.attribute!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ResourceRef)
            and other.logical_id == self.logical_id
            and other.attribute == self.attribute
        )

    def __hash__(self) -> int:
        return hash((self.logical_id, self.attribute))


class _NoValue:
    """`AWS::NoValue`: the property is removed."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()

PSEUDO_PARAMETERS = {
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
}


def intrinsic(value: Any) -> tuple[str, Any] | None:
    """(`Fn::X`, argument) when `value` is a one-key intrinsic mapping, else None."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, argument),) = value.items()
        if isinstance(key, str) and (key == "Ref" or key.startswith("Fn::") or key == "Condition"):
            return key, argument
    return None


class Resolver:
    """Resolves values of one template; knows its parameters, mappings and resource ids."""

    def __init__(
        self,
        resources: dict[str, Any],
        parameters: dict[str, Any] | None = None,
        mappings: dict[str, Any] | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        self.resources = resources
        self.parameters = parameters or {}
        self.mappings = mappings or {}
        self.overrides = overrides or {}
        # The template's `Conditions` (`conditions.TemplateConditions`), once the builder has
        # them: `Fn::If` then records which branch applies under which condition.
        self.conditions: Any = None

    # -- scalars ------------------------------------------------------------------------
    def resolve(self, value: Any, depth: int = 0) -> Any:
        """The static value of `value`: plain data, `ResourceRef`, `Choice`, or `Unknown`.

        Containers are resolved deeply (marks are dropped); use `items()`/`mapping()` when
        positions of the parts matter.
        """
        if depth > 50:
            return Unknown("intrinsic nesting too deep")
        if isinstance(value, str):
            return value  # the common case, and never an intrinsic
        found = intrinsic(value)
        if found is not None:
            return self._function(found[0], found[1], depth + 1)
        if isinstance(value, dict):
            return {k: self.resolve(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [
                item for item in (self.resolve(v, depth + 1) for v in value) if item is not NO_VALUE
            ]
        return value

    def _function(self, name: str, argument: Any, depth: int) -> Any:
        handler = _FUNCTIONS.get(name)
        if handler is None:
            return Unknown(f"{name} is not evaluated statically")
        return handler(self, argument, depth)

    def _ref(self, argument: Any, depth: int) -> Any:
        name = self.resolve(argument, depth)
        if not isinstance(name, str):
            return Unknown("Ref to a computed name")
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.overrides:
            return self.overrides[name]
        if name in self.parameters:
            parameter = self.parameters[name]
            if isinstance(parameter, dict) and "Default" in parameter:
                return self.resolve(parameter["Default"], depth)
            return Unknown(f"parameter {name} has no default", source=f"parameter {name}")
        if name in PSEUDO_PARAMETERS:
            return Unknown(name)
        if name in self.resources:
            return ResourceRef(name)
        return Unknown(f"Ref to undefined {name}")

    def _getatt(self, argument: Any, depth: int) -> Any:
        if isinstance(argument, str):
            logical_id, _, attribute = argument.partition(".")
        elif isinstance(argument, list) and len(argument) >= 2:
            logical_id = self.resolve(argument[0], depth)
            attribute = self.resolve(argument[1], depth)
            if not isinstance(logical_id, str) or not isinstance(attribute, str):
                return Unknown("GetAtt with computed names")
        else:
            return Unknown("malformed GetAtt")
        if logical_id in self.resources:
            return ResourceRef(logical_id, attribute or None)
        return Unknown(f"GetAtt to undefined {logical_id}")

    def _sub(self, argument: Any, depth: int) -> Any:
        variables: dict[str, Any] = {}
        if isinstance(argument, list) and argument:
            template = argument[0]
            if len(argument) > 1 and isinstance(argument[1], dict):
                variables = {k: self.resolve(v, depth) for k, v in argument[1].items()}
        else:
            template = argument
        if not isinstance(template, str):
            return Unknown("Sub of a computed string")

        def replace(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            if name in variables:
                value = variables[name]
            elif "." in name and name.split(".", 1)[0] in self.resources:
                return match.group(0)
            else:
                value = self._ref(name, depth)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                return str(value)
            return match.group(0)

        return _SUB_VAR.sub(replace, template).replace("${!", "${")

    def _join(self, argument: Any, depth: int) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return Unknown("malformed Join")
        delimiter = self.resolve(argument[0], depth)
        parts = self.resolve(argument[1], depth)
        if not isinstance(delimiter, str) or not isinstance(parts, list):
            return Unknown("Join of computed parts")
        texts = []
        for part in parts:
            if isinstance(part, (str, int, float)) and not isinstance(part, bool):
                texts.append(str(part))
            elif isinstance(part, (ResourceRef, Unknown)):
                texts.append(str(part) if isinstance(part, ResourceRef) else "${?}")
            else:
                return Unknown("Join of computed parts")
        return delimiter.join(texts)

    def _if(self, argument: Any, depth: int) -> Any:
        if not isinstance(argument, list) or len(argument) != 3:
            return Unknown("malformed If")
        options = [self.resolve(argument[1], depth), self.resolve(argument[2], depth)]
        if self.conditions is not None and isinstance(argument[0], str):
            formula = self.conditions.named(argument[0])
            return Choice(options, [formula, ("not", formula)])
        return Choice(options)

    def _find_in_map(self, argument: Any, depth: int) -> Any:
        if not isinstance(argument, list) or len(argument) < 3:
            return Unknown("malformed FindInMap")
        keys = [self.resolve(k, depth) for k in argument[:3]]
        if not all(isinstance(k, str) for k in keys):
            return Unknown("FindInMap with computed keys")
        try:
            return self.resolve(self.mappings[keys[0]][keys[1]][keys[2]], depth)
        except (KeyError, TypeError):
            if len(argument) > 3 and isinstance(argument[3], dict):
                return self.resolve(argument[3].get("DefaultValue"), depth)
            return Unknown("FindInMap key not found")

    def _select(self, argument: Any, depth: int) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return Unknown("malformed Select")
        index = self.resolve(argument[0], depth)
        items = self.resolve(argument[1], depth)
        try:
            return items[int(index)] if isinstance(items, list) else Unknown("Select")
        except (ValueError, TypeError, IndexError):
            return Unknown("Select out of range")

    def _base64(self, argument: Any, depth: int) -> Any:
        return self.resolve(argument, depth)

    def _unknown(self, argument: Any, depth: int) -> Any:
        return Unknown("value known only at deploy time")

    def _import(self, argument: Any, depth: int) -> Any:
        """`Fn::ImportValue`: unknown, but the same export name is the same value."""
        name = self.resolve(argument, depth)
        source = f"Fn::ImportValue {name}" if isinstance(name, str) else None
        return Unknown("value known only at deploy time", source=source)

    # -- positions-preserving helpers -------------------------------------------------------
    def items(self, value: Any, mark: Mark | None = None) -> Iterator[tuple[Any, Mark | None]]:
        """Items of a list-valued property with their marks; both branches of an `If` list.

        A single scalar counts as a one-item list (IAM's `Action: s3:GetObject`).
        """
        found = intrinsic(value)
        if found is not None and found[0] == "Fn::If":
            argument = found[1]
            if isinstance(argument, list) and len(argument) == 3:
                for branch, branch_mark in zip(argument[1:], _marks_of(argument)[1:], strict=False):
                    yield from self.items(branch, branch_mark or mark)
                return
        if found is not None:
            resolved = self.resolve(value)
            if isinstance(resolved, list):
                for item in resolved:
                    yield item, mark
            elif resolved is not NO_VALUE:
                yield resolved, mark
            return
        if isinstance(value, list):
            located = isinstance(value, LList)
            for index, item in enumerate(value):
                item_mark = value.mark_of(index) if located else mark
                if isinstance(item, str):
                    yield item, item_mark  # the common case (IAM actions): resolves to itself
                    continue
                nested = intrinsic(item)
                if nested is not None and nested[0] == "Fn::If":
                    yield from self.items(item, item_mark)
                    continue
                if nested is None and isinstance(item, dict):
                    # A plain mapping (an IAM statement) is yielded as written, and resolving
                    # it deeply could only give another mapping: skip that walk.
                    yield item, item_mark
                    continue
                resolved = self.resolve(item)
                if resolved is not NO_VALUE:
                    yield (
                        (item if isinstance(item, dict) and nested is None else resolved),
                        item_mark,
                    )
            return
        if value is not None:
            yield self.resolve(value), mark


    def items_when(
        self, value: Any, mark: Mark | None = None, when: Any = None
    ) -> Iterator[tuple[Any, Mark | None, Any]]:
        """`items`, each with the `Fn::If` condition it is deployed under (None: always).

        The same items in the same order as `items`; the conditions come from the template's
        `Conditions` (`self.conditions`), so without them every item is unconditional.
        """
        found = intrinsic(value)
        if found is not None and found[0] == "Fn::If" and self.conditions is not None:
            argument = found[1]
            if isinstance(argument, list) and len(argument) == 3:
                formula = (
                    self.conditions.named(argument[0]) if isinstance(argument[0], str) else None
                )
                branches = [formula, ("not", formula)] if formula is not None else [None, None]
                marks = _marks_of(argument)[1:]
                for branch, branch_mark, condition in zip(
                    argument[1:], marks, branches, strict=False
                ):
                    inner = when if condition is None else _both(when, condition)
                    yield from self.items_when(branch, branch_mark or mark, inner)
                return
        if found is None and isinstance(value, list) and self.conditions is not None:
            located = isinstance(value, LList)
            for index, item in enumerate(value):
                item_mark = value.mark_of(index) if located else mark
                nested = intrinsic(item)
                if nested is not None and nested[0] == "Fn::If":
                    yield from self.items_when(item, item_mark, when)
                else:
                    for single, single_mark in self.items([item], item_mark):
                        yield single, single_mark, when
            return
        for item, item_mark in self.items(value, mark):
            yield item, item_mark, when


def _both(first: Any, second: Any) -> Any:
    return second if first is None else ("and", first, second)


def _marks_of(value: Any) -> list[Mark | None]:
    if isinstance(value, LList):
        return [value.mark_of(i) for i in range(len(value))]
    return [None] * (len(value) if isinstance(value, list) else 0)


def references(value: Any, resources: dict[str, Any], depth: int = 0) -> set[str]:
    """Logical ids of resources that `value` mentions through Ref, GetAtt or Sub."""
    found: set[str] = set()
    if depth > 50:
        return found
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str) and item in resources:
                found.add(item)
            elif key == "Fn::GetAtt":
                if isinstance(item, list) and item and isinstance(item[0], str):
                    target = item[0]
                elif isinstance(item, str):
                    target = item.split(".", 1)[0]
                else:
                    target = ""
                if target in resources:
                    found.add(target)
            elif key == "Fn::Sub":
                template = item[0] if isinstance(item, list) and item else item
                if isinstance(template, str):
                    for name in _SUB_VAR.findall(template):
                        head = name.strip().split(".", 1)[0]
                        if head in resources:
                            found.add(head)
                if isinstance(item, list):
                    found |= references(item[1:], resources, depth + 1)
            else:
                found |= references(item, resources, depth + 1)
    elif isinstance(value, list):
        for item in value:
            found |= references(item, resources, depth + 1)
    return found


_FUNCTIONS = {
    "Ref": Resolver._ref,
    "Fn::GetAtt": Resolver._getatt,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::If": Resolver._if,
    "Fn::FindInMap": Resolver._find_in_map,
    "Fn::Select": Resolver._select,
    "Fn::Base64": Resolver._base64,
    "Fn::ImportValue": Resolver._import,
    "Fn::GetAZs": Resolver._unknown,
    "Fn::Cidr": Resolver._unknown,
    "Fn::Split": Resolver._unknown,
}

__all__ = ["LDict", "NO_VALUE", "ResourceRef", "Resolver", "intrinsic", "references"]
