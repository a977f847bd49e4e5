"""AWS SAM templates into the common graph, through the CloudFormation SAM would generate.

Why translate instead of building nodes directly: the same application written in SAM and in
plain CloudFormation must give the same graph, hence the same findings. So each
`AWS::Serverless::*` resource is rewritten as the CloudFormation resources `sam deploy` makes
of it (same logical ids: `<Fn>Role`, `<Fn>Url`, `ServerlessRestApi`,
`ServerlessRestApiProdStage`, ...), with every value still carrying the mark of the SAM line it
came from, and the one CloudFormation graph builder does the rest. Plain CloudFormation
resources of the template pass through untouched. No SAM translator is run: it would need the
network for some features and costs far more than a lint run may.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sls_lint.loaders import LoadContext, LoadResult, internal_problem
from sls_lint.loaders.cloudformation.builder import CfnGraphBuilder
from sls_lint.loaders.cloudformation.conditions import TemplateConditions
from sls_lint.loaders.cloudformation.intrinsics import Resolver, ResourceRef
from sls_lint.loaders.cloudformation.loader import metadata_suppressions, parse_template
from sls_lint.loaders.sam.apis import ApiInfo, http_api, rest_api
from sls_lint.loaders.sam.common import (
    SERVERLESS_PREFIX,
    Translation,
    copy,
    llist,
    new,
    put,
    resource,
)
from sls_lint.loaders.sam.functions import translate_function, translate_state_machine
from sls_lint.loaders.sam.globals import apply, read_globals
from sls_lint.loaders.sam.routes import translate_routes
from sls_lint.model.graph import Edge, Kind, Location, Node, ResourceGraph
from sls_lint.sources.files import Unit
from sls_lint.sources.located import NO_MARK, LDict, LList, Mark


def load(unit: Unit, context: LoadContext, result: LoadResult) -> None:
    """Load each SAM template of `unit` into `result.graph` (nodes in format `sam`)."""
    for source in unit.files:
        document = parse_template(source, context.yaml_limits, result)
        if document is None:
            continue
        parameters = _mapping(document.get("Parameters"))
        mappings = _mapping(document.get("Mappings"))
        overrides = dict(context.variables)
        tr = translate(
            document,
            source.display,
            Resolver(document["Resources"], parameters, mappings, overrides),
        )
        result.problems.extend(tr.problems)
        builder = CfnGraphBuilder(
            result.graph,
            source.display,
            "sam",
            tr.out,
            parameters,
            mappings,
            overrides,
            problems=result.problems,
        )
        if "Conditions" in document:
            builder.conditions = TemplateConditions(
                document.get("Conditions"), parameters, overrides
            )
        builder.build()
        _finish(result.graph, tr, builder)
        result.metadata_suppressions.update(_suppressions(tr, result.graph))
    result.graph.files.extend(f.display for f in unit.files)


def translate(document: LDict, file: str, resolver: Resolver) -> Translation:
    """The CloudFormation resources (located at the SAM lines) of one parsed SAM template."""
    resources: LDict = document["Resources"]
    tr = Translation(file, resources, resolver, out=LDict(mark=resources.mark))
    tr.globals = read_globals(document, tr)
    for logical_id, res in resources.items():
        # Every user id is reserved first, so a generated id never shadows one of them.
        tr.out[logical_id] = res
        tr.out.key_marks[logical_id] = resources.key_mark(logical_id)
        tr.out.value_marks[logical_id] = resources.mark_of(logical_id)
        rtype = res.get("Type") if isinstance(res, LDict) else None
        if isinstance(rtype, str) and rtype.startswith(SERVERLESS_PREFIX):
            tr.sam_types[str(logical_id)] = rtype
    apis: dict[str, ApiInfo] = {}
    for logical_id, rtype in tr.sam_types.items():
        res = resources[logical_id]
        props = res.get("Properties")
        if props is None:
            props = LDict(mark=res.mark)
        if not isinstance(props, LDict):
            tr.problem(f"Properties of {logical_id} must be a mapping", res.mark_of("Properties"))
            continue
        handler = _HANDLERS.get(rtype)
        if handler is None:
            continue
        mark = resources.key_mark(logical_id)
        try:
            info = handler(tr, logical_id, props, mark)
        except Exception as error:  # noqa: BLE001 - one resource must not cost the file
            # Its partial translation stays out; the user's other resources are still built.
            tr.problems.append(
                internal_problem(file, f"translating {logical_id}", error, mark.line, mark.column)
            )
            continue
        if isinstance(info, ApiInfo):
            apis[logical_id] = info
    translate_routes(tr, apis)
    for bucket_id, notifications in tr.bucket_notifications.items():
        _notify(tr, bucket_id, notifications)
    return tr


def _notify(tr: Translation, bucket_id: str, notifications: list[LDict]) -> None:
    """The user's bucket, with the Lambda notifications SAM adds for S3 events."""
    bucket: LDict = tr.resources[bucket_id]
    props = bucket.get("Properties")
    props = props if isinstance(props, LDict) else LDict(mark=bucket.mark)
    config = props.get("NotificationConfiguration")
    config = config if isinstance(config, LDict) else LDict(mark=notifications[0].mark)
    existing = config.get("LambdaConfigurations")
    existing = existing if isinstance(existing, list) else []
    lambdas = llist(
        config.mark,
        [*existing, *notifications],
        [*_marks(existing), *(n.mark for n in notifications)],
    )
    new_config = LDict(config, mark=config.mark)
    new_config.key_marks, new_config.value_marks = dict(config.key_marks), dict(config.value_marks)
    put(new_config, "LambdaConfigurations", lambdas, config.mark)
    new_props = LDict(props, mark=props.mark)
    new_props.key_marks, new_props.value_marks = dict(props.key_marks), dict(props.value_marks)
    put(new_props, "NotificationConfiguration", new_config, config.mark)
    new_bucket = LDict(bucket, mark=bucket.mark)
    new_bucket.key_marks, new_bucket.value_marks = dict(bucket.key_marks), dict(bucket.value_marks)
    put(new_bucket, "Properties", new_props, props.mark)
    tr.replace(bucket_id, new_bucket, tr.resources.key_mark(bucket_id))


def _marks(value: list) -> list[Mark]:
    if isinstance(value, LList):
        return [value.mark_of(i) for i in range(len(value))]
    return [getattr(value, "mark", NO_MARK)] * len(value)


def _simple_table(tr: Translation, logical_id: str, props: LDict, key_mark: Mark) -> None:
    """A DynamoDB table, so that policy templates and streams can refer to it."""
    props = apply(tr, "AWS::Serverless::SimpleTable", props)
    table = new(props.mark)
    for key in ("TableName", "SSESpecification", "Tags"):
        copy(table, props, key)
    tr.replace(logical_id, resource("AWS::DynamoDB::Table", key_mark, table), key_mark)


def _layer(tr: Translation, logical_id: str, props: LDict, key_mark: Mark) -> None:
    layer = new(props.mark)
    for key in ("LayerName", "CompatibleRuntimes", "LicenseInfo"):
        copy(layer, props, key)
    tr.replace(logical_id, resource("AWS::Lambda::LayerVersion", key_mark, layer), key_mark)


_HANDLERS: dict[str, Callable[[Translation, str, LDict, Mark], Any]] = {
    "AWS::Serverless::Function": translate_function,
    "AWS::Serverless::Api": rest_api,
    "AWS::Serverless::HttpApi": http_api,
    "AWS::Serverless::StateMachine": translate_state_machine,
    "AWS::Serverless::SimpleTable": _simple_table,
    "AWS::Serverless::LayerVersion": _layer,
}


def _finish(graph: ResourceGraph, tr: Translation, builder: CfnGraphBuilder) -> None:
    """What the CloudFormation builder cannot know: SAM types, statement origins, extra
    event sources and domain mappings."""
    for logical_id, rtype in tr.sam_types.items():
        node = graph.get(logical_id)
        if node is not None:
            node.resource_type = rtype
    if tr.statement_sources:
        for statement in graph.nodes(Kind.STATEMENT):
            for prefix, source in tr.statement_sources.items():
                if statement.address.startswith(prefix):
                    statement.set("source", source)
    for logical_id, kind in tr.source_kinds.items():
        node = graph.get(logical_id)
        if node is not None and node.kind == Kind.EVENT_SOURCE:
            node.set("source_kind", kind)
    for extra in tr.extra_sources:
        fn = graph.get(extra.function_id)
        if fn is None or fn.kind != Kind.FUNCTION:
            continue
        node = graph.add(
            Node(Kind.EVENT_SOURCE, extra.address, extra.resource_type, "sam", _at(tr, extra.mark))
        )
        node.set("source_kind", extra.source_kind)
        node.set("invocation", extra.invocation)
        arn = builder.resolver.resolve(extra.source_arn)
        node.set(
            "source_arn",
            str(arn) if isinstance(arn, ResourceRef) else arn,
            _at(tr, extra.source_arn_mark) if extra.source_arn_mark else None,
        )
        node.set("on_failure", None)
        graph.connect(node, Edge.INVOKES, fn)
    for domain_id, api_id in tr.serves:
        domain, api = graph.get(domain_id), graph.get(api_id)
        if domain is not None and api is not None:
            graph.connect(domain, Edge.SERVES, api)


def _suppressions(tr: Translation, graph: ResourceGraph) -> dict[str, list[tuple[str, str]]]:
    """Metadata suppressions of a SAM resource also cover what is generated from it: its
    role, URL, permissions... and the statements of that role (`FnRole.Policies[0]...`)."""
    found = metadata_suppressions(tr.resources)
    if not found:
        return found
    for generated, origin in tr.origin.items():
        if origin in found and generated not in found:
            found[generated] = list(found[origin])
    for statement in graph.nodes(Kind.STATEMENT):
        owner = statement.address.split(".", 1)[0]
        if owner in found and tr.origin.get(owner) and statement.address not in found:
            found[statement.address] = list(found[owner])
    return found


def _at(tr: Translation, mark: Mark) -> Location:
    return Location(tr.file, mark)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
