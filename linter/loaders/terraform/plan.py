"""`terraform show -json` plan files into the graph.

A plan is Terraform's own evaluation of a configuration: `planned_values` holds every resource
instance (child modules included) with its resolved values, so no variable, `count` or module
has to be guessed. What is known only after apply (an ARN, an id) is absent from the values;
`configuration` says which resource each such expression refers to, and `resource_changes`
whether it is a list. Those references become the same symbolic `TfRef`s the HCL loader makes,
and the same translation (`translate`) and builder produce the graph, so a plan and its
configuration give the same findings. Locations point into the plan file (each value's own
line), and nodes carry the plan's resource address.
"""

from __future__ import annotations

import re
from typing import Any

from sls_lint.loaders import LoadContext, LoadResult, ParseProblem
from sls_lint.loaders.cloudformation.builder import CfnGraphBuilder
from sls_lint.loaders.terraform.embedded_json import relocate
from sls_lint.loaders.terraform.loader import fix_locations
from sls_lint.loaders.terraform.resources import translate
from sls_lint.loaders.terraform.translate import Instance
from sls_lint.loaders.terraform.values import (
    FileMark,
    SourceText,
    TfDict,
    TfRef,
    file_mark,
    new_list,
)
from sls_lint.sources.files import Unit
from sls_lint.sources.located import LDict
from sls_lint.sources.yaml_source import SourceError, load_json

FORMAT = "terraform"
MAX_MODULE_DEPTH = 20
_REFERENCE = re.compile(r"^((?:data\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?)\.(.+)$")
_LOCAL_NAMES = ("var.", "local.", "each.", "count.", "path.", "terraform.", "self.", "module.")


def load(unit: Unit, context: LoadContext, result: LoadResult) -> None:
    """Load each plan file of the unit."""
    for source in unit.files:
        text = source.text or ""
        result.texts[source.display] = text
        try:
            plan = load_json(text, context.yaml_limits)
        except SourceError as error:
            result.problems.append(
                ParseProblem(source.display, error.message, error.line, error.column)
            )
            continue
        if not isinstance(plan, LDict):
            result.problems.append(ParseProblem(source.display, "plan is not a JSON object"))
            continue
        plan = relocate(plan, source.display, 1, 1, 0)
        instances = PlanReader(plan, source.display).instances()
        translator = translate(instances)
        result.problems.extend(translator.problems)
        builder = CfnGraphBuilder(
            result.graph,
            source.display,
            FORMAT,
            translator.resources,
            {},
            {},
            {},
            problems=result.problems,
        )
        builder.files = translator.files
        builder.build()
        fix_locations(result.graph, translator.types)
        result.graph.files.append(source.display)


class PlanReader:
    """Resource instances of a plan, with configuration references filled in."""

    def __init__(self, plan: LDict, file: str) -> None:
        self.plan = plan
        self.file = file
        self.unknown: dict[str, Any] = {}
        for change in _list(plan.get("resource_changes")):
            detail = change.get("change") if isinstance(change, dict) else None
            if isinstance(detail, dict) and isinstance(change.get("address"), str):
                self.unknown[change["address"]] = detail.get("after_unknown")
        self.expressions: dict[str, dict] = {}
        # module prefix -> (parent prefix, the module call's input expressions)
        self.inputs: dict[str, tuple[str, dict]] = {}
        configuration = plan.get("configuration")
        if isinstance(configuration, dict):
            self._configuration(configuration.get("root_module"), "", 0)

    def _configuration(self, module: Any, prefix: str, depth: int) -> None:
        """Index each configured resource's expressions by its module-qualified address."""
        if not isinstance(module, dict) or depth > MAX_MODULE_DEPTH:
            return
        for resource in _list(module.get("resources")):
            if isinstance(resource, dict) and isinstance(resource.get("address"), str):
                expressions = resource.get("expressions")
                if isinstance(expressions, dict):
                    self.expressions[prefix + resource["address"]] = expressions
        calls = module.get("module_calls")
        for name, call in calls.items() if isinstance(calls, dict) else ():
            if isinstance(call, dict):
                child = f"{prefix}module.{name}."
                inputs = call.get("expressions")
                if isinstance(inputs, dict):
                    self.inputs[child] = (prefix, inputs)
                self._configuration(call.get("module"), child, depth + 1)

    def instances(self) -> list[Instance]:
        found: list[Instance] = []
        planned = self.plan.get("planned_values")
        if isinstance(planned, dict):
            self._module(planned.get("root_module"), found, 0)
        return found

    def _module(self, module: Any, found: list[Instance], depth: int) -> None:
        if not isinstance(module, dict) or depth > MAX_MODULE_DEPTH:
            return
        for resource in _list(module.get("resources")):
            instance = self._instance(resource)
            if instance is not None:
                found.append(instance)
        for child in _list(module.get("child_modules")):
            self._module(child, found, depth + 1)

    def _instance(self, resource: Any) -> Instance | None:
        if not isinstance(resource, TfDict):
            return None
        address, rtype = resource.get("address"), resource.get("type")
        if not isinstance(address, str) or not isinstance(rtype, str):
            return None
        values = resource.get("values")
        body = values if isinstance(values, TfDict) else TfDict(mark=resource.mark)
        self._locate_json_strings(body)
        expressions = self.expressions.get(_config_address(address))
        prefix = _module_prefix(address)
        if expressions is not None:
            self._overlay(body, expressions, self.unknown.get(address), prefix, 0)
        mark = resource.mark
        header = file_mark([mark.line, mark.column, mark.line, mark.column + 1], self.file)
        kind = "data" if resource.get("mode") == "data" else "resource"
        return Instance(address, kind, rtype, body, header, self.file)

    def _overlay(
        self, body: TfDict, expressions: dict, unknown: Any, prefix: str, depth: int
    ) -> None:
        """Put references where the plan has no value (known only after apply)."""
        if depth > 10:
            return
        for key, expression in expressions.items():
            unknown_here = unknown.get(key) if isinstance(unknown, dict) else None
            if isinstance(expression, dict):
                self._overlay_value(body, key, expression, unknown_here, prefix)
            elif isinstance(expression, list):  # nested blocks
                blocks = body.get(key)
                for index, inner in enumerate(expression):
                    if (
                        isinstance(inner, dict)
                        and isinstance(blocks, list)
                        and index < len(blocks)
                        and isinstance(blocks[index], TfDict)
                    ):
                        inner_unknown = (
                            unknown_here[index]
                            if isinstance(unknown_here, list) and index < len(unknown_here)
                            else None
                        )
                        self._overlay(blocks[index], inner, inner_unknown, prefix, depth + 1)

    def _overlay_value(
        self, body: TfDict, key: str, expression: dict, unknown: Any, prefix: str
    ) -> None:
        references = expression.get("references")
        if "constant_value" not in expression and key in body:
            # computed from variables or other resources: not a literal the user wrote here
            body.literal_keys.discard(key)
            if isinstance(body[key], TfDict):
                body[key].literal_keys.clear()
        if body.get(key) is not None or not isinstance(references, list):
            return
        refs = self._references(references, prefix, 0)
        if not refs:
            return
        mark = body.mark
        if isinstance(unknown, list) or len(refs) > 1:
            body[key] = new_list(refs, [mark] * len(refs), mark)
        else:
            body[key] = refs[0]
        body.value_marks[key] = mark

    def _references(self, references: list, prefix: str, depth: int) -> list[TfRef]:
        """Resource references, following `var.x` through module calls to their source."""
        found: list[TfRef] = []
        for text in references:
            if isinstance(text, str) and text.startswith("var.") and depth < MAX_MODULE_DEPTH:
                parent = self.inputs.get(prefix)
                name = text[4:].split(".", 1)[0].split("[", 1)[0]
                expression = parent[1].get(name) if parent is not None else None
                if isinstance(expression, dict) and isinstance(expression.get("references"), list):
                    found.extend(self._references(expression["references"], parent[0], depth + 1))
                continue
            ref = _reference(text, prefix)
            if ref is not None and ref not in found:
                found.append(ref)
        return found

    def _locate_json_strings(self, body: Any, depth: int = 0) -> None:
        """A policy is a JSON string in a plan: give it the place it has in the plan file."""
        if depth > 10 or not isinstance(body, TfDict):
            return
        for key, value in body.items():
            if isinstance(value, str) and value.lstrip().startswith(("{", "[")):
                mark = body.mark_of(key)
                body[key] = SourceText(value, self.file, mark.line, mark.column + 1)
            elif isinstance(value, list):
                for item in value:
                    self._locate_json_strings(item, depth + 1)
            else:
                self._locate_json_strings(value, depth + 1)


def _reference(text: Any, prefix: str) -> TfRef | None:
    if not isinstance(text, str) or text.startswith(_LOCAL_NAMES):
        return None
    match = _REFERENCE.match(text)
    if match is None:
        return None
    return TfRef(prefix + match.group(1), match.group(2))


def _module_prefix(address: str) -> str:
    """`module.a["x"].module.b.` of `module.a["x"].module.b.aws_x.y[0]`."""
    parts = re.findall(r"module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.", address)
    prefix = "".join(parts)
    return prefix if address.startswith(prefix) else ""


def _config_address(address: str) -> str:
    """The configuration address of an instance: instance keys removed."""
    return re.sub(r"\[[^\]]*\]", "", address)


def _list(value: Any) -> list:
    return list(value) if isinstance(value, list) else []


__all__ = ["FileMark", "PlanReader", "load"]
