"""What the Terraform evaluator may ask of the module it evaluates in.

The evaluator (`evaluator`) computes expressions; a `Module` (`module`) owns declarations and
creates evaluators. Each needs the other, so the evaluator depends only on this protocol and
the module implements it: the imports run one way (module → evaluator → scope).
"""

from __future__ import annotations

from typing import Any, Protocol


class LoaderBudget(Protocol):
    """The part of the Terraform loader an evaluation consults: whether work must stop."""

    def exhausted(self) -> bool: ...


class ModuleScope(Protocol):
    """A module instance as the evaluator sees it: names, instances, children and files."""

    @property
    def loader(self) -> LoaderBudget: ...

    def lookup(self, namespace: str, name: str, evaluator: Any) -> Any:
        """`namespace.name` (var, local, data, a resource type...) seen from `evaluator`."""

    def instances(self, kind: str, key: str) -> list[tuple[Any, Any]]: ...

    def module_output(self, name: str, key: Any, output: str) -> Any: ...

    def read_file(self, path: str) -> Any: ...

    @property
    def prefix(self) -> str:
        """The instance's address prefix: '' for the root, `module.api.` for a child."""

    def note_expression(self, file: str, expr: list) -> None:
        """An argument of a resource in this (child) module instance was evaluated from `expr`:
        remember which caller arguments it reads, so findings can point at them."""
