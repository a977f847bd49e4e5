"""CloudFormation templates (YAML with short tags, or JSON) into the common graph."""

from __future__ import annotations

from typing import Any

from sls_lint.loaders import LoadContext, LoadResult, ParseProblem
from sls_lint.loaders.cloudformation.builder import CfnGraphBuilder
from sls_lint.loaders.cloudformation.conditions import TemplateConditions
from sls_lint.sources.files import SourceFile, Unit
from sls_lint.sources.located import LDict
from sls_lint.sources.yaml_source import SourceError, YamlLimits, load_json, load_yaml


def parse_template(source: SourceFile, limits: YamlLimits, result: LoadResult) -> LDict | None:
    """Parse a template file; a problem is recorded and None returned when it cannot be read."""
    text = source.text or ""
    result.texts[source.display] = text
    loader = load_json if text.lstrip().startswith("{") else load_yaml
    try:
        document = loader(text, limits)
    except SourceError as error:
        result.problems.append(
            ParseProblem(source.display, error.message, error.line, error.column)
        )
        return None
    if not isinstance(document, LDict):
        result.problems.append(ParseProblem(source.display, "template is not a mapping"))
        return None
    resources = document.get("Resources")
    if not isinstance(resources, LDict):
        line = document.key_mark("Resources").line if "Resources" in document else 1
        result.problems.append(
            ParseProblem(source.display, "template has no Resources mapping", line)
        )
        return None
    return document


def metadata_suppressions(resources: LDict) -> dict[str, list[tuple[str, str]]]:
    """`Metadata: sls-lint: ignore: [{id: SLS201, reason: ...}]` on each resource."""
    found: dict[str, list[tuple[str, str]]] = {}
    for logical_id, resource in resources.items():
        metadata = resource.get("Metadata") if isinstance(resource, dict) else None
        config = metadata.get("sls-lint") if isinstance(metadata, dict) else None
        ignores = config.get("ignore") if isinstance(config, dict) else None
        if not isinstance(ignores, list):
            continue
        for item in ignores:
            if isinstance(item, str):
                found.setdefault(str(logical_id), []).append((item, ""))
            elif isinstance(item, dict) and isinstance(item.get("id"), str):
                found.setdefault(str(logical_id), []).append(
                    (item["id"], str(item.get("reason", "")))
                )
    return found


def build(
    document: LDict, source: SourceFile, fmt: str, context: LoadContext, result: LoadResult
) -> CfnGraphBuilder:
    """Add one parsed template's resources to the result's graph."""
    parameters: Any = document.get("Parameters")
    mappings: Any = document.get("Mappings")
    builder = CfnGraphBuilder(
        result.graph,
        source.display,
        fmt,
        document["Resources"],
        parameters if isinstance(parameters, dict) else {},
        mappings if isinstance(mappings, dict) else {},
        {k: v for k, v in context.variables.items()},
    )
    if "Conditions" in document:
        builder.conditions = TemplateConditions(
            document.get("Conditions"), parameters, dict(context.variables)
        )
    builder.build()
    result.metadata_suppressions.update(metadata_suppressions(document["Resources"]))
    return builder


def load(unit: Unit, context: LoadContext, result: LoadResult) -> None:
    for source in unit.files:
        document = parse_template(source, context.yaml_limits, result)
        if document is not None:
            build(document, source, "cloudformation", context, result)
    result.graph.files.extend(f.display for f in unit.files)
