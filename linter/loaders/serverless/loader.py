"""Serverless Framework services (`serverless.yml` / `.yaml` / `.json`) into the common graph.

No Node, no network: the service is read as located YAML, its variables are resolved
(`variables`), and it is translated into the CloudFormation `serverless package` would
generate (`functions`, `iam`, `events`, `sources`),
with every generated resource located at the serverless.yml line that caused it. The raw
CloudFormation of `resources:` is merged in, and ONE graph is built from the lot, so a
`!Ref WorkerSecurityGroup` in `provider.vpc` reaches the group defined under `resources`.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders import LoadContext, LoadResult, ParseProblem, internal_problem
from sls_lint.loaders.cloudformation.builder import CfnGraphBuilder
from sls_lint.loaders.cloudformation.conditions import TemplateConditions
from sls_lint.loaders.cloudformation.duplicates import report_duplicates
from sls_lint.loaders.cloudformation.loader import metadata_suppressions
from sls_lint.loaders.serverless.compiler import LDict, Service, Template, items_of, merge
from sls_lint.loaders.serverless.events import ApiEvents
from sls_lint.loaders.serverless.functions import compile_function
from sls_lint.loaders.serverless.iam import compile_roles
from sls_lint.loaders.serverless.layers import compile_layers
from sls_lint.loaders.serverless.sources import compile_source
from sls_lint.loaders.serverless.variables import (
    Derived,
    FileMark,
    VariableContext,
    VariableResolver,
)
from sls_lint.model.graph import Edge, Kind, Location, Node, ResourceGraph
from sls_lint.model.values import Reference, Unknown
from sls_lint.sources.files import SourceFile, Unit
from sls_lint.sources.located import Mark
from sls_lint.sources.yaml_source import Duplicate, SourceError, load_json, load_yaml

FORMAT = "serverless"


def load(unit: Unit, context: LoadContext, result: LoadResult) -> None:
    """Load each service file of the unit (one, in practice) into `result`."""
    for source in unit.files:
        _load_service(source, context, result)
        result.graph.files.append(source.display)


def _parse(source: SourceFile, context: LoadContext, result: LoadResult) -> LDict | None:
    text = source.text or ""
    result.texts[source.display] = text
    parse = load_json if source.path.suffix.lower() == ".json" else load_yaml
    duplicates: list[Duplicate] = []
    try:
        document = parse(text, context.yaml_limits, duplicates)
    except SourceError as error:
        result.problems.append(
            ParseProblem(source.display, error.message, error.line, error.column)
        )
        return None
    report_duplicates(source.display, duplicates, result)
    if not isinstance(document, LDict):
        result.problems.append(ParseProblem(source.display, "service file is not a mapping"))
        return None
    return document


def _load_service(source: SourceFile, context: LoadContext, result: LoadResult) -> None:
    document = _parse(source, context, result)
    if document is None:
        return
    resolver = VariableResolver(
        document,
        VariableContext(
            service_file=source.path,
            display=source.display,
            stage=context.stage,
            region=context.region,
            variables=dict(context.variables),
            resolve_env=context.resolve_env,
            project_root=context.project_root,
            yaml_limits=context.yaml_limits,
        ),
    )
    config = resolver.resolve_config()
    result.texts.update(resolver.texts)
    for problem in resolver.problems:
        mark = problem.mark or Mark(1, 1, 1, 2)
        result.problems.append(ParseProblem(problem.file, problem.message, mark.line, mark.column))
    name = config.get("service")
    if isinstance(name, LDict):  # the old `service: {name: x}` form
        name = name.get("name")
    user = _user_resources(config)
    service = Service(
        config=config,
        name=name if isinstance(name, str) else "service",
        stage=resolver.stage(),
        region=resolver.region(),
        template=Template(config.mark),
        user_resources=user["Resources"],
    )
    _compile(service, source.display, result.problems)
    resources = service.template.resources
    merge(resources, user["Resources"])
    for logical_id, extension in user["extensions"].items():
        if logical_id in resources and isinstance(extension, LDict):
            merge(resources[logical_id], extension)
    builder = CfnGraphBuilder(
        result.graph,
        source.display,
        FORMAT,
        resources,
        user["Parameters"],
        user["Mappings"],
        dict(context.variables),
        problems=result.problems,
    )
    builder.statement_names = service.template.statement_names
    if user["Conditions"]:
        builder.conditions = TemplateConditions(
            user["Conditions"], user["Parameters"], dict(context.variables)
        )
    builder.build()
    _add_direct_sources(result.graph, service, source.display)
    # Only an included file's marks (`FileMark`) need relocating, and includes are rare.
    _finish_nodes(result.graph, relocate=bool(resolver.texts))
    result.metadata_suppressions.update(metadata_suppressions(user["Resources"]))
    result.graph.files.extend(sorted(resolver.texts))


def _user_resources(config: LDict) -> dict[str, LDict]:
    """`resources:` (a mapping, or a list of mappings from `${file()}`) merged together."""
    found = {key: LDict(mark=config.mark) for key in ("Resources", "extensions")}
    found.update(
        {key: LDict(mark=config.mark) for key in ("Parameters", "Mappings", "Conditions")}
    )
    raw = config.get("resources")
    for section, _mark in items_of(raw):
        if not isinstance(section, LDict):
            continue
        for key, target in found.items():
            part = section.get(key)
            if isinstance(part, LDict):
                merge(target, part)
                if not target.key_marks and part.mark:
                    target.mark = part.mark
    return found


def _compile(service: Service, file: str, problems: list[ParseProblem]) -> None:
    """Translate functions and their events, then what they share (roles, APIs).

    A function or event that makes the compiler fail is an SLS001 problem at its line and is
    left out; the service's other functions and events are still compiled.
    """
    api = ApiEvents(service)
    configs: dict[str, LDict] = {}
    vpc: dict[str, bool] = {}

    def failed(doing: str, error: Exception, mark: Mark) -> None:
        where = getattr(mark, "file", None) or file
        problems.append(internal_problem(where, doing, error, mark.line, mark.column))

    for name, function, key_mark in service.functions():
        try:
            vpc[name] = compile_function(service, name, function, key_mark)
        except Exception as error:  # noqa: BLE001 - one function must not cost the service
            failed(f"compiling function {name}", error, key_mark)
            continue
        configs[name] = function
        events = function.get("events")
        for index, (event, mark) in enumerate(items_of(events if isinstance(events, list) else [])):
            if not isinstance(event, LDict) or len(event) != 1:
                continue
            ((kind, value),) = event.items()
            try:
                if not api.add(name, str(kind), value, mark):
                    compile_source(service, name, str(kind), value, index + 1, mark)
            except Exception as error:  # noqa: BLE001
                failed(f"compiling event {kind} of function {name}", error, mark)
    api.finish()
    compile_roles(service, configs, vpc)
    compile_layers(service)


def _add_direct_sources(graph: ResourceGraph, service: Service, file: str) -> None:
    """Push sources with no CloudFormation handler (S3, IoT, ...), straight into the graph."""
    for address, kind, invocation, function_id, mark in service.template.extra_sources:
        function = graph.get(function_id)
        existing = graph.get(address)
        if existing is not None:
            existing.set("source_kind", kind)
            continue
        node = graph.add(
            Node(Kind.EVENT_SOURCE, address, f"serverless:{kind}", FORMAT, Location(file, mark))
        )
        node.set("source_kind", kind)
        node.set("invocation", invocation)
        node.set("on_failure", None)
        if function is not None:
            graph.connect(node, Edge.INVOKES, function)


def _finish_nodes(graph: ResourceGraph, relocate: bool = True) -> None:
    """Point locations into included files, and mark non-literal environment values."""
    for node in graph.nodes():
        if relocate:
            node.location = _relocate(node.location)
            node.locations = {key: _relocate(where) for key, where in node.locations.items()}
            for key, value in node.attrs.items():
                node.attrs[key] = _relocate_values(value)
        if node.kind == Kind.FUNCTION and isinstance(node.get("environment"), dict):
            node.attrs["environment"] = {
                name: Reference(value) if isinstance(value, (Unknown, Derived)) else value
                for name, value in node.attrs["environment"].items()
            }


def _relocate(where: Location) -> Location:
    mark = where.mark
    if isinstance(mark, FileMark):
        return Location(mark.file, Mark(*mark))
    return where


def _relocate_values(value: Any, depth: int = 0) -> Any:
    if depth > 20:
        return value
    if isinstance(value, Location):
        return _relocate(value)
    if isinstance(value, list) and any(isinstance(v, (dict, Location)) for v in value):
        return [_relocate_values(v, depth + 1) for v in value]
    if isinstance(value, dict) and any(isinstance(v, Location) for v in value.values()):
        return {k: _relocate_values(v, depth + 1) for k, v in value.items()}
    return value
