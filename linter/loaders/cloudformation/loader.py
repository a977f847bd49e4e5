"""CloudFormation templates (YAML with short tags, or JSON) into the common graph."""

from __future__ import annotations

from typing import Any

from sls_lint.loaders import LoadContext, LoadResult, ParseProblem
from sls_lint.loaders.cloudformation.builder import CfnGraphBuilder
from sls_lint.loaders.cloudformation.conditions import TemplateConditions
from sls_lint.loaders.cloudformation.duplicates import report_duplicates
from sls_lint.sources.files import SourceFile, Unit
from sls_lint.sources.located import LDict
from sls_lint.sources.yaml_source import (
    Duplicate,
    SourceError,
    YamlLimits,
    load_json,
    load_yaml,
)


def parse_template(source: SourceFile, limits: YamlLimits, result: LoadResult) -> LDict | None:
    """Parse a template file; a problem is recorded and None returned when it cannot be read."""
    text = source.text or ""
    result.texts[source.display] = text
    loader = load_json if text.lstrip().startswith("{") else load_yaml
    duplicates: list[Duplicate] = []
    try:
        document = loader(text, limits, duplicates)
    except SourceError as error:
        result.problems.append(
            ParseProblem(source.display, error.message, error.line, error.column)
        )
        return None
    report_duplicates(source.display, duplicates, result)
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
    if any(not isinstance(key, str) for key in resources):
        document["Resources"] = _string_ids(resources)
    return document


def _string_ids(resources: LDict) -> LDict:
    """`Resources` with every logical id a string, as CloudFormation reads them.

    YAML reads `0:` or `true:` as an int or a bool; every later step looks resources up by
    their (string) logical id, and a non-string key made those look-ups fail.
    """
    named = LDict(mark=resources.mark)
    for key, value in resources.items():
        name = str(key).lower() if isinstance(key, bool) else str(key)
        if name in named:
            continue  # `0:` next to `"0":`: the first one written wins, like a duplicate key
        named[name] = value
        named.key_marks[name] = resources.key_mark(key)
        named.value_marks[name] = resources.mark_of(key)
    return named


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
        problems=result.problems,
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
