"""Terraform modules: the declarations of a directory, and instances of them with their inputs.

A directory of `.tf`/`.tf.json` files is one module (`ModuleDef`, parsed once). A `Module` is
one instance of it at an address prefix (`""` for the root, `module.api.`, `module.api["eu"].`)
with its input values; it answers the evaluator's questions - `var.x`, `local.y`,
`module.z.out`, which instances `count`/`for_each` make - lazily, with a guard against cycles
(`local.a = local.b`, `local.b = local.a` is `Unknown`, never a hang).

Local module sources (`./modules/x`) are followed inside the project root only; registry and
git sources are followed only when `terraform init` left a copy listed in
`.terraform/modules/modules.json`; otherwise their outputs are `Unknown`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sls_lint.loaders.terraform.evaluator import (
    UNKNOWN_KEY,
    Evaluator,
    ModuleValue,
    Namespace,
    ResourceValue,
    instance_suffix,
)
from sls_lint.loaders.terraform.presence import count_condition
from sls_lint.loaders.terraform.types import convert
from sls_lint.loaders.terraform.values import SourceText, TfDict, plain
from sls_lint.model.values import Unknown
from sls_lint.sources.files import display_path

MAX_INSTANCES = 1000
MAX_MODULE_DEPTH = 8
MAX_FILE_BYTES = 1024 * 1024
MODULE_META = frozenset(
    {"source", "version", "count", "for_each", "providers", "depends_on", "provider"}
)


@dataclass
class ModuleDef:
    """What one module directory declares (shared by all instances of the module)."""

    directory: Path
    variables: dict[str, tuple[list, str]] = field(default_factory=dict)
    locals: dict[str, tuple[list, str]] = field(default_factory=dict)
    resources: dict[str, tuple[list, str]] = field(default_factory=dict)
    data: dict[str, tuple[list, str]] = field(default_factory=dict)
    modules: dict[str, tuple[list, str]] = field(default_factory=dict)
    outputs: dict[str, tuple[list, str]] = field(default_factory=dict)

    def add(self, body: list, file: str) -> None:
        """Record the top-level blocks of one file."""
        for item in body:
            if item[0] != "block":
                continue
            kind, labels = item[2], item[3]
            if kind == "locals":
                for attr in item[4]:
                    if attr[0] == "attr":
                        self.locals.setdefault(attr[2], (attr[3], file))
            elif kind in ("resource", "data") and len(labels) >= 2:
                table = self.resources if kind == "resource" else self.data
                table.setdefault(f"{labels[0]}.{labels[1]}", (item, file))
            elif kind == "variable" and labels:
                self.variables.setdefault(labels[0], (item, file))
            elif kind == "module" and labels:
                self.modules.setdefault(labels[0], (item, file))
            elif kind == "output" and labels:
                value = attribute(item, "value")
                if value is not None:
                    self.outputs.setdefault(labels[0], (value, file))


def attribute(block: list, name: str) -> list | None:
    """The expression of attribute `name` of a block, or None."""
    for item in block[4]:
        if item[0] == "attr" and item[2] == name:
            return item[3]
    return None


Thunk = Callable[[], Any]


class Module:
    """One instance of a module: its inputs, and lazily computed locals, instances, children."""

    def __init__(
        self,
        loader: Any,
        definition: ModuleDef,
        prefix: str,
        inputs: dict[str, Thunk],
        chain: tuple[Path, ...] = (),
        key_path: str = "",
    ) -> None:
        self.loader = loader
        self.definition = definition
        self.prefix = prefix
        self.inputs = inputs
        self.chain = chain + (definition.directory,)
        self.key_path = key_path  # `a.b` for module b called by module a (modules.json keys)
        # The caller's arguments: name -> (attribute item, caller file, calling module).
        self.arguments: dict[str, tuple[list, str, Module]] = {}
        self._cache: dict[tuple[str, str], Any] = {}
        self._resolving: set[tuple[str, str]] = set()
        self._children: dict[tuple[str, Any], Module | None] = {}

    # -- lazily computed values with a cycle guard -------------------------------------------
    def _memo(self, kind: str, name: str, compute: Thunk) -> Any:
        key = (kind, name)
        if key in self._cache:
            return self._cache[key]
        if key in self._resolving or len(self._resolving) > 200:
            return Unknown(f"cyclic reference through {kind}.{name}")
        self._resolving.add(key)
        try:
            value = compute()
        except RecursionError:
            value = Unknown(f"{kind}.{name} is nested too deeply to evaluate")
        finally:
            self._resolving.discard(key)
        self._cache[key] = value
        return value

    def variable(self, name: str) -> Any:
        def compute() -> Any:
            declared = self.definition.variables.get(name)
            value: Any = None
            # A caller's `null` leaves the variable unset only when it is `nullable = false`;
            # otherwise null is the value (Terraform's rule), and null means "not set" later.
            assigned = name in self.inputs
            if assigned:
                value = self.inputs[name]()
                assigned = value is not None or declared is None or _nullable(self, declared)
            if not assigned:
                if declared is None:
                    return Unknown(f"undeclared variable {name}")
                default = attribute(declared[0], "default")
                if default is None:
                    return Unknown(
                        f"variable {name} has no default", source=f"{self.prefix}var.{name}"
                    )
                value = Evaluator(self, declared[1]).value(default)
            type_expr = attribute(declared[0], "type") if declared is not None else None
            if type_expr is None:
                return value
            # Terraform converts every value assigned to a variable to its declared type.
            return convert(value, type_expr, Evaluator(self, declared[1]).value)

        value = self._memo("var", name, compute)
        if isinstance(value, TfDict) and value.literal_keys:
            # A map that came in as a variable is configuration, not a literal written here.
            value = _copy_without_literals(value)
            self._cache[("var", name)] = value
        return value

    def local(self, name: str) -> Any:
        declared = self.definition.locals.get(name)
        if declared is None:
            return Unknown(f"undeclared local {name}")
        expr, file = declared
        return self._memo("local", name, lambda: Evaluator(self, file).value(expr))

    def lookup(self, namespace: str, name: str, evaluator: Evaluator) -> Any:
        """`namespace.name` for a bare namespace: var, local, module, data, a resource type."""
        if namespace == "var":
            return self.variable(name)
        if namespace == "local":
            return self.local(name)
        if namespace == "module":
            return (
                ModuleValue(self, name)
                if name in self.definition.modules
                else Unknown(f"undeclared module {name}")
            )
        if namespace == "data":
            return Namespace(f"data.{name}")
        if namespace == "path":
            return self._path(name)
        if namespace == "terraform":
            return "default" if name == "workspace" else Unknown(f"terraform.{name}")
        if namespace.startswith("data."):
            key = f"{namespace[5:]}.{name}"
            if key in self.definition.data:
                return ResourceValue(f"{self.prefix}data.{key}", self, "data", key)
            return Unknown(f"undeclared data source {key}")
        key = f"{namespace}.{name}"
        if key in self.definition.resources:
            return ResourceValue(f"{self.prefix}{key}", self, "resource", key)
        return Unknown(f"unknown reference {key}")

    def _path(self, name: str) -> Any:
        if name == "module":
            try:
                relative = self.definition.directory.relative_to(self.loader.root)
            except ValueError:
                return display_path(self.definition.directory)
            return "." if str(relative) == "." else relative.as_posix()
        if name == "root":
            return "."
        return Unknown(f"path.{name}")

    # -- instances ------------------------------------------------------------------------
    def instances(self, kind: str, key: str) -> list[tuple[Any, Any]]:
        """`[(instance key, each.value)]` of a resource, data source or module call."""
        table = {
            "resource": self.definition.resources,
            "data": self.definition.data,
            "module": self.definition.modules,
        }[kind]
        declared = table.get(key)
        if declared is None:
            return []
        return self._memo(f"instances:{kind}", key, lambda: self._expand(declared, key))

    def _expand(self, declared: tuple[list, str], key: str) -> list[tuple[Any, Any]]:
        block, file = declared
        evaluator = Evaluator(self, file)
        count_expr = attribute(block, "count")
        each_expr = attribute(block, "for_each")
        # `count = null` / `for_each = null` mean "not set", like every other null argument.
        count = evaluator.value(count_expr) if count_expr is not None else None
        if count is None:
            count_expr = None
        source = None
        if each_expr is not None and count_expr is None:
            source = evaluator.value(each_expr)
        if source is None:
            each_expr = None
        if count_expr is not None:
            if isinstance(count, str) and count.isdigit():
                count = int(count)
            if isinstance(count, float) and count.is_integer():
                count = int(count)
            if not isinstance(count, int) or isinstance(count, bool):
                return [(UNKNOWN_KEY, None)]
            return [(i, None) for i in range(self._capped(count, key, block, file))]
        if each_expr is not None:
            if isinstance(source, dict):
                pairs = [(str(k), v) for k, v in source.items()]
            elif isinstance(source, list):
                seen: dict[str, Any] = {}
                for item in source:
                    if isinstance(item, str):
                        seen.setdefault(str(item), str(item))
                    else:
                        return [(UNKNOWN_KEY, Unknown("for_each item unknown before apply"))]
                pairs = list(seen.items())
            else:
                return [(UNKNOWN_KEY, Unknown("for_each unknown before apply"))]
            pairs.sort(key=lambda p: p[0])
            return pairs[: self._capped(len(pairs), key, block, file)]
        return [(None, None)]

    def presence(self, kind: str, key: str) -> Any:
        """When an instance of a resource, data source or module call whose `count` is unknown
        before apply exists (a formula of `sls_lint.model.conditions`), or None."""
        table = {
            "resource": self.definition.resources,
            "data": self.definition.data,
            "module": self.definition.modules,
        }.get(kind, {})
        declared = table.get(key)
        if declared is None:
            return None
        block, file = declared
        count_expr = attribute(block, "count")
        if count_expr is None:
            return None
        return count_condition(Evaluator(self, file), count_expr, self.prefix)

    def _capped(self, count: int, key: str, block: list, file: str) -> int:
        if count <= MAX_INSTANCES:
            return max(count, 0)
        self.loader.problem(
            file,
            f"{self.prefix}{key} has {count} instances; only the first {MAX_INSTANCES} are linted",
            block[1][0],
            block[1][1],
        )
        return MAX_INSTANCES

    def names_for(self, key: Any, each_value: Any) -> dict[str, Any]:
        """The `count.index` / `each.key` / `each.value` names of one instance."""
        if key is None:
            return {}
        if key == UNKNOWN_KEY:
            unknown = Unknown("instance key unknown before apply")
            return {"count": {"index": unknown}, "each": {"key": unknown, "value": each_value}}
        if isinstance(key, int):
            return {"count": {"index": key}}
        return {"each": {"key": key, "value": each_value}}

    # -- child modules --------------------------------------------------------------------
    def child(self, name: str, key: Any) -> Module | None:
        """The instance `key` of module call `name`, or None when its source is not here."""
        cache_key = (name, repr(key))
        if cache_key not in self._children:
            self._children[cache_key] = None  # a self-reference while building sees None
            self._children[cache_key] = self._build_child(name, key)
        return self._children[cache_key]

    def _build_child(self, name: str, key: Any) -> Module | None:
        block, file = self.definition.modules[name]
        source = Evaluator(self, file).value(attribute(block, "source") or ["lit", block[1], ""])
        key_path = f"{self.key_path}.{name}" if self.key_path else name
        directory = self.loader.module_directory(
            source, self.definition.directory, key_path, file, block[1]
        )
        if directory is None:
            return None
        if directory in self.chain or len(self.chain) > MAX_MODULE_DEPTH:
            self.loader.problem(
                file,
                f"module {name} includes itself or nests too deeply; not followed",
                block[1][0],
                block[1][1],
            )
            return None
        definition = self.loader.definition(directory, file, block[1])
        if definition is None:
            return None
        each_value = dict(self.instances("module", name)).get(key)
        parent = Evaluator(self, file, self.names_for(key, each_value))
        inputs: dict[str, Thunk] = {}
        arguments: dict[str, tuple[list, str, Module]] = {}
        for item in block[4]:
            if item[0] == "attr" and item[2] not in MODULE_META:
                inputs[item[2]] = _thunk(parent, item[3])
                arguments[item[2]] = (item, file, self)
        prefix = f"{self.prefix}module.{name}{instance_suffix(key)}."
        child = Module(self.loader, definition, prefix, inputs, self.chain, key_path)
        child.arguments = arguments
        return child

    def note_expression(self, file: str, expr: list) -> None:
        callers = getattr(self.loader, "callers", None)
        if callers is not None:
            callers.note(self, file, expr)

    def module_output(self, name: str, key: Any, output: str) -> Any:
        """`module.name[key].output`."""
        instances = self.instances("module", name)
        if key is None and instances and instances[0][0] is not None:
            return Unknown(f"module.{name} has several instances; index it")
        child = self.child(name, key)
        if child is None:
            suffix = instance_suffix(key)
            return Unknown(
                f"module.{name} is not available locally",
                # the same output of the same instance is the same value (not an unknown key)
                source=None if suffix == "[*]" else f"{self.prefix}module.{name}{suffix}.{output}",
            )
        return child.output(output)

    def output(self, name: str) -> Any:
        declared = self.definition.outputs.get(name)
        if declared is None:
            return Unknown(f"undeclared output {name}")
        expr, file = declared
        return self._memo("output", name, lambda: Evaluator(self, file).value(expr))

    def children(self) -> list[Module]:
        """Every child module instance (for walking the whole tree)."""
        found = []
        for name in self.definition.modules:
            for key, _value in self.instances("module", name):
                child = self.child(name, key)
                if child is not None:
                    found.append(child)
        return found

    # -- files ----------------------------------------------------------------------------
    def read_file(self, path: str) -> Any:
        """`file(path)`: a file inside the project root, as located text; else Unknown."""
        return self.loader.read_text_file(path)


def _nullable(module: Module, declared: tuple[list, str]) -> bool:
    """Whether `null` passed for a variable stays null (Terraform's default, `nullable = true`).

    With `nullable = false`, Terraform replaces a null argument by the variable's default, so
    a caller writing `x = null` gets the module's own default, as if it had not set `x`.
    """
    block, file = declared
    expr = attribute(block, "nullable")
    return expr is None or Evaluator(module, file).value(expr) is not False


def _copy_without_literals(value: TfDict) -> TfDict:
    copy = TfDict(value, mark=value.mark)
    copy.key_marks.update(value.key_marks)
    copy.value_marks.update(value.value_marks)
    copy.unknown_blocks = set(value.unknown_blocks)
    return copy


def _thunk(evaluator: Evaluator, expr: list) -> Thunk:
    return lambda: evaluator.value(expr)


def modules_manifest(root: Path) -> dict[str, str]:
    """`.terraform/modules/modules.json`: module key (`a.b`) -> directory, when present."""
    path = root / ".terraform" / "modules" / "modules.json"
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    found: dict[str, str] = {}
    modules = data.get("Modules") if isinstance(data, dict) else None
    for entry in modules if isinstance(modules, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("Key"), str):
            directory = entry.get("Dir")
            if isinstance(directory, str) and entry["Key"]:
                found[entry["Key"]] = directory
    return found


def inside(path: Path, root: Path) -> bool:
    """True when `path` resolves inside `root` (symlinks followed)."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


__all__ = ["Module", "ModuleDef", "SourceText", "attribute", "inside", "modules_manifest", "plain"]
