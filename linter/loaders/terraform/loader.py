"""Terraform configurations (a directory of `.tf`/`.tf.json` files, one module) into the graph.

The pipeline: parse each file into a located tree (`hcl`, cached by content hash in
`cache`), gather the module's declarations (`module`), evaluate every
resource instance (`evaluator`: variables with defaults, `terraform.tfvars`,
`*.auto.tfvars`, `--var-file` and `--var` in Terraform's precedence order, locals, local
modules, `count`/`for_each`), translate the resources into CloudFormation shapes
(`translate`) and let `CfnGraphBuilder` build the nodes. A last pass gives every location
its real file (a module spans many) and every node its Terraform resource type.

Bounds for hostile input: files over 1 MiB are not parsed (SLS000), a resource or module gets at
most 1000 `count`/`for_each` instances (the rest are reported, not linted), a unit at most
20000 instances, and evaluation stops after a fixed budget of steps; cycles are `Unknown`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sls_lint.loaders import LoadContext, LoadResult, ParseProblem
from sls_lint.loaders.cloudformation.builder import CfnGraphBuilder
from sls_lint.loaders.terraform.cache import ParseCache, default_cache_dir
from sls_lint.loaders.terraform.callers import CallerIndex
from sls_lint.loaders.terraform.embedded_json import relocate
from sls_lint.loaders.terraform.evaluator import UNKNOWN_KEY, Evaluator, instance_suffix
from sls_lint.loaders.terraform.hcl import HclError, hcl2_version, parse_hcl, split_template
from sls_lint.loaders.terraform.module import (
    MAX_FILE_BYTES,
    Module,
    ModuleDef,
    attribute,
    inside,
    modules_manifest,
)
from sls_lint.loaders.terraform.notices import module_unavailable
from sls_lint.loaders.terraform.resources import translate
from sls_lint.loaders.terraform.translate import Instance
from sls_lint.loaders.terraform.types import is_primitive
from sls_lint.loaders.terraform.values import FileMark, SourceText, header_mark
from sls_lint.model.conditions import conjoin
from sls_lint.model.graph import Location, ResourceGraph
from sls_lint.model.values import Unknown
from sls_lint.sources.files import SourceFile, Unit, display_path, module_files
from sls_lint.sources.located import LDict, LList
from sls_lint.sources.yaml_source import SourceError, load_json

MAX_PARSE_BYTES = 1024 * 1024
MAX_INSTANCES_PER_UNIT = 20000
MAX_STEPS = 3_000_000
FORMAT = "terraform"


class TerraformLoader:
    """Loads one root module (and the local modules it calls) into a `LoadResult`."""

    def __init__(self, unit: Unit, context: LoadContext, result: LoadResult) -> None:
        self.unit = unit
        self.context = context
        self.result = result
        self.root = Path(os.path.realpath(unit.directory))
        self.boundary = self._boundary(context)
        from sls_lint import __version__

        cache_dir = context.cache_dir if context.cache_dir is not None else default_cache_dir()
        self.cache = ParseCache(cache_dir, f"{__version__}-{hcl2_version()}")
        self.steps = 0
        self._manifest: dict[str, str] | None = None
        self._definitions: dict[Path, ModuleDef | None] = {}
        # address of an instance whose count is unknown -> when it exists (deploy_condition)
        self.presence: dict[str, Any] = {}
        self.callers = CallerIndex()

    def _boundary(self, context: LoadContext) -> Path:
        """Files and local modules are read inside the project root (or the working directory)."""
        if context.project_root is not None:
            return Path(os.path.realpath(context.project_root))
        cwd = Path(os.path.realpath(os.getcwd()))
        return cwd if self.root.is_relative_to(cwd) else self.root

    # -- services for modules and the evaluator --------------------------------------------
    def exhausted(self) -> bool:
        self.steps += 1
        return self.steps > MAX_STEPS

    def problem(self, file: str, message: str, line: int = 1, column: int = 1) -> None:
        problem = ParseProblem(file, message, max(int(line), 1), max(int(column), 1))
        if problem not in self.result.problems:
            self.result.problems.append(problem)

    def parse(self, display: str, text: str) -> list | None:
        """The located body of a `.tf` or `.tf.json` file; a problem (and None) if unreadable."""
        self.result.texts[display] = text
        if len(text) > MAX_PARSE_BYTES:
            self.problem(display, f"file is over {MAX_PARSE_BYTES:,} bytes; not parsed")
            return None
        try:
            if display.endswith(".json"):
                return parse_json_module(text, display)
            return parse_hcl(text, self.cache)
        except HclError as error:
            self.problem(display, error.message, error.line, error.column)
            return None

    def definition(self, directory: Path, from_file: str, span: list[int]) -> ModuleDef | None:
        """The declarations of a module directory read from disk (child modules)."""
        if directory in self._definitions:
            return self._definitions[directory]
        self._definitions[directory] = None
        definition = ModuleDef(directory)
        try:
            names = sorted(os.listdir(directory))
        except OSError as error:
            self.problem(from_file, f"module directory cannot be read: {error.strerror}", *span[:2])
            return None
        for name in module_files(names):
            path = directory / name
            text = self._read(path)
            if text is None:
                continue
            body = self.parse(display_path(path), text)
            if body is not None:
                definition.add(body, display_path(path))
        self._definitions[directory] = definition
        return definition

    def module_directory(
        self, source: Any, base: Path, key_path: str, file: str, span: list[int]
    ) -> Path | None:
        """Where a module call's source is on disk, or None (remote and not installed)."""
        if not isinstance(source, str):
            return None
        if source.startswith(("./", "../")) or source in (".", ".."):
            candidate = Path(os.path.realpath(base / source))
            if not inside(candidate, self.boundary):
                self.problem(
                    file,
                    f"module source {source!r} is outside the project root; not followed",
                    *span[:2],
                )
                return None
            if not candidate.is_dir():
                self.result.notice(module_unavailable(source, key_path, file, span))
                return None
            return candidate
        if self._manifest is None:
            self._manifest = modules_manifest(self.root)
        relative = self._manifest.get(key_path)
        candidate = Path(os.path.realpath(self.root / relative)) if relative is not None else None
        if candidate is None or not inside(candidate, self.root) or not candidate.is_dir():
            self.result.notice(module_unavailable(source, key_path, file, span))
            return None
        return candidate

    def read_text_file(self, path: str) -> Any:
        """`file(path)` inside the project root, as located text; Unknown otherwise."""
        candidate = Path(path) if os.path.isabs(path) else self.root / path
        if not inside(candidate, self.boundary):
            return Unknown(f"file {path} is outside the project root")
        text = self._read(candidate)
        if text is None:
            return Unknown(f"file {path} cannot be read")
        display = display_path(candidate)
        self.result.texts.setdefault(display, text)
        return SourceText(text, display, 1, 1)

    def _read(self, path: Path) -> str | None:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, ValueError):
            return None

    # -- the run --------------------------------------------------------------------------
    def run(self) -> None:
        definition = ModuleDef(self.root)
        self._definitions[self.root] = definition
        tfvars: list[SourceFile] = []
        for source in self.unit.files:
            if source.format == "terraform":
                body = self.parse(source.display, source.text or "")
                if body is not None:
                    definition.add(body, source.display)
            elif _auto_loaded(source.path.name):
                tfvars.append(source)
        root = Module(self, definition, "", {})
        root.inputs.update(self._inputs(root, tfvars))
        instances: list[Instance] = []
        self._collect(root, instances)
        translator = translate(instances)
        self.result.problems.extend(translator.problems)
        builder = CfnGraphBuilder(
            self.result.graph,
            self.unit.primary.display,
            FORMAT,
            translator.resources,
            {},
            {},
            {},
            problems=self.result.problems,
        )
        builder.files = translator.files
        builder.build()
        fix_locations(self.result.graph, translator.types)
        self.callers.apply(self.result.graph)
        if self.presence:
            self._deploy_conditions()
        self.result.graph.files.extend(
            f.display for f in self.unit.files if f.display not in self.result.graph.files
        )
        self._list_module_files()

    def _list_module_files(self) -> None:
        """Report the files of the local modules this root calls as linted by it.

        A module a root calls is not a unit of its own (`run/terraform_roots`): its files are
        linted here, through the call, and listed with this unit's, even when no instance of
        the call exists (`count = 0`): the module was read, and nothing in it is deployed.
        """
        pending = [d for d in self._definitions.values() if d is not None]
        while pending:
            definition = pending.pop()
            for block, file in definition.modules.values():
                source = _literal(attribute(block, "source"))
                if source is None or not (source.startswith(("./", "../")) or source in ".."):
                    continue
                directory = Path(os.path.realpath(definition.directory / source))
                if directory in self._definitions or not inside(directory, self.boundary):
                    continue
                if directory.is_dir():
                    loaded = self.definition(directory, file, block[1])
                    if loaded is not None:
                        pending.append(loaded)
        own = {f.display for f in self.unit.files}
        self.result.linted_with.extend(
            display
            for display in sorted(self.result.texts)
            if display.endswith((".tf", ".tf.json")) and display not in own
        )
        self.result.graph.files.extend(self.result.linted_with)

    def _collect(self, module: Module, out: list[Instance]) -> None:
        for kind, table in (
            ("data", module.definition.data),
            ("resource", module.definition.resources),
        ):
            for key, (block, file) in table.items():
                for instance_key, each_value in module.instances(kind, key):
                    if len(out) >= MAX_INSTANCES_PER_UNIT:
                        self.problem(
                            file,
                            f"more than {MAX_INSTANCES_PER_UNIT} instances; the rest "
                            "are not linted",
                            block[1][0],
                            block[1][1],
                        )
                        return
                    if instance_key == UNKNOWN_KEY:
                        formula = module.presence(kind, key)
                        if formula is not None:
                            prefix = "data." if kind == "data" else ""
                            self.presence[f"{module.prefix}{prefix}{key}[*]"] = formula
                    names = module.names_for(instance_key, each_value)
                    body = Evaluator(module, file, names).body(block[4], block[1])
                    prefix = "data." if kind == "data" else ""
                    address = f"{module.prefix}{prefix}{key}{instance_suffix(instance_key)}"
                    out.append(
                        Instance(
                            address,
                            kind,
                            key.split(".", 1)[0],
                            body,
                            header_mark(block[1], file, len(kind)),
                            file,
                        )
                    )
        for child in module.children():
            if child.prefix.endswith("[*]."):
                name = child.prefix[len(module.prefix) + len("module.") : -len("[*].")]
                formula = module.presence("module", name)
                if formula is not None:
                    self.presence[child.prefix] = formula
            self._collect(child, out)

    def _deploy_conditions(self) -> None:
        """`deploy_condition` of each node: its own `count`'s and its module calls' (`[*]`)."""
        calls = {p: f for p, f in self.presence.items() if p.endswith("[*].")}
        for node in self.result.graph.nodes():
            formulas = [f for prefix, f in calls.items() if node.address.startswith(prefix)]
            own = _type_of(node.address, self.presence)
            if own is not None:
                formulas.append(own)
            if formulas:
                node.attrs["deploy_condition"] = conjoin(formulas)

    def _inputs(self, root: Module, tfvars: list[SourceFile]) -> dict[str, Any]:
        """Root variable values, later sources winning: tfvars files, var files, `--var`."""
        values: dict[str, Any] = {}
        for source in sorted(tfvars, key=lambda s: _tfvars_order(s.path.name)):
            values.update(self._tfvars(root, source.display, source.text or ""))
        for path in self.context.var_files:
            text = self._read(Path(path))
            if text is None:
                self.problem(display_path(Path(path)), "variable file cannot be read")
                continue
            values.update(self._tfvars(root, display_path(Path(path)), text))
        for name, value in self.context.variables.items():
            values[str(name)] = self._cli_value(root, str(name), value)
        return {name: (lambda v=value: v) for name, value in values.items()}

    def _tfvars(self, root: Module, display: str, text: str) -> dict[str, Any]:
        self.result.texts[display] = text
        if display.endswith(".json"):
            try:
                document = load_json(text)
            except SourceError as error:
                self.problem(display, error.message, error.line, error.column)
                return {}
            document = relocate(document, display, 1, 1, 0)
            return dict(document) if isinstance(document, dict) else {}
        body = self.parse(display, text)
        evaluator = Evaluator(root, display)
        return {item[2]: evaluator.value(item[3]) for item in body or () if item[0] == "attr"}

    def _cli_value(self, root: Module, name: str, value: Any) -> Any:
        """`--var name=value`: a string, unless it is written as an HCL list or object for a
        variable whose type is not a primitive. The variable then converts it to its type."""
        if not isinstance(value, str) or not value.strip().startswith(("[", "{")):
            return value
        declared = root.definition.variables.get(name)
        if declared is not None and is_primitive(attribute(declared[0], "type")):
            return value
        try:
            body = parse_hcl(f"value = {value}")
        except HclError:
            return value
        return Evaluator(root, "<--var>").value(body[0][3]) if body else value


def _literal(expr: Any) -> str | None:
    """The text of a string written literally (`"./modules/x"`), or None."""
    if not isinstance(expr, list) or len(expr) < 3:
        return None
    if expr[0] == "lit" and isinstance(expr[2], str):
        return expr[2]
    if expr[0] == "tmpl" and all(isinstance(p, str) for p in expr[2]):
        return "".join(expr[2])
    return None


def _auto_loaded(name: str) -> bool:
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
        (".auto.tfvars", ".auto.tfvars.json")
    )


def _tfvars_order(name: str) -> tuple[int, str]:
    if name == "terraform.tfvars":
        return (0, name)
    if name == "terraform.tfvars.json":
        return (1, name)
    return (2, name)


# -- .tf.json ------------------------------------------------------------------------------------
def parse_json_module(text: str, display: str) -> list:
    """A `.tf.json` file as the same located body HCL files give."""
    try:
        document = load_json(text)
    except SourceError as error:
        raise HclError(error.message, error.line, error.column) from None
    if not isinstance(document, LDict):
        raise HclError("a .tf.json file must hold a JSON object")
    body: list = []
    for kind, value in document.items():
        span = _span(document.mark_of(kind))
        if kind in ("resource", "data") and isinstance(value, LDict):
            for rtype, named in value.items():
                for name, config in named.items() if isinstance(named, LDict) else ():
                    for item in config if isinstance(config, LList) else [config]:
                        if isinstance(item, LDict):
                            body.append(
                                ["block", _span(item.mark), kind, [rtype, name], _json_body(item)]
                            )
        elif kind in ("variable", "module", "output") and isinstance(value, LDict):
            for name, config in value.items():
                if isinstance(config, LDict):
                    body.append(["block", _span(config.mark), kind, [name], _json_body(config)])
        elif kind == "locals":
            for item in value if isinstance(value, LList) else [value]:
                if isinstance(item, LDict):
                    body.append(["block", span, "locals", [], _json_body(item)])
    return body


def _span(mark: Any) -> list[int]:
    return [mark.line, mark.column, mark.end_line, mark.end_column] if mark else [1, 1, 1, 1]


def _json_body(mapping: LDict) -> list:
    return [
        ["attr", _span(mapping.key_mark(key)), str(key), _json_expr(value, mapping.mark_of(key))]
        for key, value in mapping.items()
    ]


def _json_expr(value: Any, mark: Any, depth: int = 0) -> list:
    span = _span(mark)
    if depth > 100:
        return ["bad", span, "nesting too deep"]
    if isinstance(value, LDict):
        items = [
            [["lit", _span(value.key_mark(k)), str(k)], _json_expr(v, value.mark_of(k), depth + 1)]
            for k, v in value.items()
        ]
        return ["object", span, items]
    if isinstance(value, LList):
        return [
            "tuple",
            span,
            [_json_expr(v, value.mark_of(i), depth + 1) for i, v in enumerate(value)],
        ]
    if isinstance(value, str) and "${" in value:
        parts = split_template(value, span[0], 0, span[1] + 1)
        return ["tmpl", span, parts, [span[0], span[1] + 1, 0]]
    return ["lit", span, value]


# -- locations -----------------------------------------------------------------------------------
def fix_locations(graph: ResourceGraph, types: dict[str, str]) -> None:
    """Give each location the file its mark was written in, and each node its Terraform type."""
    for node in graph.nodes():
        node.location = _fixed(node.location)
        node.locations = {name: _fixed(where) for name, where in node.locations.items()}
        for value in node.attrs.values():
            _fix_nested(value, 0)
        node.resource_type = _type_of(node.address, types) or node.resource_type


def _fixed(where: Location) -> Location:
    mark = where.mark
    if isinstance(mark, FileMark) and mark.file != where.file:
        return Location(mark.file, mark)
    return where


def _fix_nested(value: Any, depth: int) -> None:
    if depth > 8:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, Location):
                value[key] = _fixed(item)
            else:
                _fix_nested(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _fix_nested(item, depth + 1)


def _type_of(address: str, types: dict[str, str]) -> str | None:
    if address in types:
        return types[address]
    position = len(address)
    while position > 0:
        position = address.rfind(".", 0, position)
        if position <= 0:
            return None
        found = types.get(address[:position])
        if found is not None:
            return found
    return None


def load(unit: Unit, context: LoadContext, result: LoadResult) -> None:
    """Load a Terraform module directory (the `terraform` unit) into `result`."""
    loader = TerraformLoader(unit, context, result)
    try:
        loader.run()
    except RecursionError:
        loader.problem(unit.primary.display, "configuration nested too deeply to evaluate")
