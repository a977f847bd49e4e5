"""Find rules: every pack registers in the `sls_lint.rules` entry-point group, built-ins too.

An entry point may name a module (its `RULES` list, or every `Rule` subclass in it), a `Rule`
class, or a callable returning rule classes. A project can add rule folders in its
configuration: each `*.py` file there is loaded the same way. Policy folders hold YAML
policies (`sls_lint.policies`), compiled into rule classes after every other rule is known, so
that a policy reusing a rule's id or name is an error naming both.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from sls_lint.model.rule import Rule, iter_rule_classes

ENTRY_POINT_GROUP = "sls_lint.rules"
_BUILTIN_PACK = "sls_lint.rules"


class RuleLoadError(Exception):
    """A rule pack or folder that cannot be loaded (a usage error: exit 2)."""


def _rules_from(obj: object) -> list[type[Rule]]:
    if isinstance(obj, ModuleType):
        listed = getattr(obj, "RULES", None)
        return list(iter_rule_classes(listed if listed is not None else vars(obj).values()))
    if inspect.isclass(obj):
        return list(iter_rule_classes([obj]))
    if callable(obj):
        return list(iter_rule_classes(obj()))
    if isinstance(obj, Iterable):
        return list(iter_rule_classes(obj))
    return []


def _entry_point_rules() -> list[type[Rule]]:
    from importlib.metadata import entry_points

    found: list[type[Rule]] = []
    names: set[str] = set()
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            found.extend(_rules_from(entry_point.load()))
        except Exception as error:  # a broken third-party pack must say which one
            raise RuleLoadError(
                f"rule pack '{entry_point.name}' failed to load: {error}"
            ) from error
        names.add(entry_point.value)
    if _BUILTIN_PACK not in names:
        # Running from a source tree that was never installed: the built-in pack is still ours.
        found.extend(_rules_from(importlib.import_module(_BUILTIN_PACK)))
    return found


def _folder_rules(folder: Path) -> list[type[Rule]]:
    if not folder.is_dir():
        raise RuleLoadError(f"rule folder not found: {folder}")
    found: list[type[Rule]] = []
    for path in sorted(folder.glob("*.py")):
        name = f"sls_lint_local_rules.{folder.name}.{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as error:
            raise RuleLoadError(f"rule file {path} failed to load: {error}") from error
        found.extend(_rules_from(module))
    return found


def load_policy_rules(folders: Iterable[Path], existing: Iterable[type[Rule]]) -> list[type[Rule]]:
    """The policies of `folders` as rule classes (imported only when a folder is given)."""
    folders = list(folders)
    if not folders:
        return []
    from sls_lint.policies import PolicyError, load_policies

    try:
        return list(load_policies(folders, existing))
    except PolicyError as error:
        raise RuleLoadError(str(error)) from None


def load_rules(
    folders: Iterable[Path] = (), policy_folders: Iterable[Path] = ()
) -> list[type[Rule]]:
    """All available rule classes, sorted by id; a duplicate id is an error."""
    classes = _entry_point_rules()
    for folder in folders:
        classes.extend(_folder_rules(Path(folder)))
    classes.extend(load_policy_rules(policy_folders, classes))
    by_id: dict[str, type[Rule]] = {}
    for cls in classes:
        other = by_id.get(cls.id)
        if other is not None and other is not cls:
            raise RuleLoadError(
                f"rule id {cls.id} is defined twice ({other.__module__}, {cls.__module__})"
            )
        by_id[cls.id] = cls
    return [by_id[key] for key in sorted(by_id)]
