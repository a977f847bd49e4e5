"""`AWS::Serverless::Api` / `HttpApi` (explicit or implicit) into API Gateway resources.

An API becomes its `RestApi` / `ApiGatewayV2::Api` (same logical id), its stage
(`<Api><StageName>Stage`, `ServerlessRestApiProdStage`, `<Api>ApiGatewayDefaultStage`), its
authorizers (`<Api><Name>Authorizer`), a usage plan and a custom domain when configured.
Routes come later (`routes`), once every API's authorizers are known. The implicit APIs
(`ServerlessRestApi`, `ServerlessHttpApi`) are built from `Globals` alone and located at the
first event that created them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sls_lint.loaders.sam.common import Translation, copy, llist, new, put, ref, resource
from sls_lint.loaders.sam.definitions import Definition, read_definition
from sls_lint.loaders.sam.globals import apply
from sls_lint.sources.located import LDict, Mark


@dataclass
class ApiInfo:
    """What routes need to know about the API they belong to."""

    logical_id: str
    protocol: str  # rest | http
    auth: LDict | None
    stage_id: str
    stage_name: str
    mark: Mark
    definition: Definition = field(default_factory=Definition)
    api: LDict | None = None  # the RestApi / Api properties written (routes add the Body)
    # authorizer name -> (authorizer logical id, authorization type of routes using it)
    authorizers: dict[str, tuple[str, str]] = field(default_factory=dict)


def rest_api(
    tr: Translation, api_id: str, props: LDict, key_mark: Mark, implicit: bool = False
) -> ApiInfo:
    """Write a REST API, its stage, authorizers, usage plan and domain."""
    props = apply(tr, "AWS::Serverless::Api", props)
    api = new(props.mark)
    for key in ("Name", "DisableExecuteApiEndpoint", "ApiKeySourceType", "Mode"):
        copy(api, props, key)
    _endpoint(api, props)
    auth = props.get("Auth") if isinstance(props.get("Auth"), LDict) else None
    policy = _resource_policy(auth)
    if policy is not None:
        put(api, "Policy", policy, auth.mark_of("ResourcePolicy") if auth else key_mark)
    _write(tr, api_id, resource("AWS::ApiGateway::RestApi", key_mark, api), key_mark, implicit)
    name = "Prod" if implicit else _stage_name(tr, props, "Stage")
    stage_id = f"{api_id}{_id_part(name)}Stage"
    stage_mark = props.key_mark("StageName") if "StageName" in props else key_mark
    stage = new(props.mark, [("RestApiId", ref(api_id, stage_mark))])
    if not copy(stage, props, "StageName"):
        put(stage, "StageName", name, stage_mark)
    for key in ("AccessLogSetting", "TracingEnabled", "MethodSettings", "CacheClusterEnabled"):
        copy(stage, props, key)
    copy(stage, props, "Variables")
    tr.add(stage_id, resource("AWS::ApiGateway::Stage", stage_mark, stage), stage_mark, api_id)
    _legacy_stage(tr, api_id, props, name, key_mark)
    definition = read_definition(tr, props)
    info = ApiInfo(api_id, "rest", auth, stage_id, name, key_mark, definition, api)
    _rest_authorizers(tr, info)
    _usage_plan(tr, info)
    _domain(tr, info, props, "AWS::ApiGateway::DomainName")
    return info


def http_api(
    tr: Translation, api_id: str, props: LDict, key_mark: Mark, implicit: bool = False
) -> ApiInfo:
    """Write an HTTP API, its stage, authorizers and domain."""
    props = apply(tr, "AWS::Serverless::HttpApi", props)
    api = new(props.mark, [("ProtocolType", "HTTP")])
    for key in ("Name", "DisableExecuteApiEndpoint"):
        copy(api, props, key)
    _write(tr, api_id, resource("AWS::ApiGatewayV2::Api", key_mark, api), key_mark, implicit)
    stage_mark = props.key_mark("StageName") if "StageName" in props else key_mark
    if "StageName" in props and not implicit:
        name = _stage_name(tr, props, "$default")
        stage_id = f"{api_id}{_id_part(name)}Stage"
    else:
        name, stage_id = "$default", f"{api_id}ApiGatewayDefaultStage"
    stage = new(props.mark, [("ApiId", ref(api_id, stage_mark))])
    if not copy(stage, props, "StageName"):
        put(stage, "StageName", name, stage_mark)
    for key in ("AccessLogSettings", "DefaultRouteSettings", "RouteSettings", "StageVariables"):
        copy(stage, props, key)
    tr.add(
        stage_id,
        resource("AWS::ApiGatewayV2::Stage", stage_mark, stage, stage_mark),
        stage_mark,
        api_id,
    )
    auth = props.get("Auth") if isinstance(props.get("Auth"), LDict) else None
    definition = read_definition(tr, props)
    info = ApiInfo(api_id, "http", auth, stage_id, name, key_mark, definition, api)
    _http_authorizers(tr, info)
    _domain(tr, info, props, "AWS::ApiGatewayV2::DomainName")
    return info


def _legacy_stage(tr: Translation, api_id: str, props: LDict, name: str, mark: Mark) -> None:
    """The stage named `Stage` SAM's Deployment creates besides the API's own stage, unless
    `OpenApiVersion` is set: a second, real entry point with default settings (no logging,
    throttling or WAF), located at the API."""
    if tr.resolver.resolve(props.get("OpenApiVersion")) or name == "Stage":
        return
    deployment = new(mark, [("RestApiId", ref(api_id, mark)), ("StageName", "Stage")])
    deployment_id = f"{api_id}Deployment"
    tr.add(deployment_id, resource("AWS::ApiGateway::Deployment", mark, deployment), mark, api_id)


def _write(tr: Translation, api_id: str, api: LDict, mark: Mark, implicit: bool) -> None:
    if implicit:
        tr.add(api_id, api, mark, api_id)
    else:
        tr.replace(api_id, api, mark)


def _stage_name(tr: Translation, props: LDict, default: str) -> str:
    name = tr.resolver.resolve(props.get("StageName", default))
    return name if isinstance(name, str) and name else "Stage"


def _id_part(name: str) -> str:
    """A stage name as SAM puts it in a logical id (alphanumerics only)."""
    return "".join(ch for ch in name if ch.isalnum())


def _endpoint(api: LDict, props: LDict) -> None:
    """SAM's `EndpointConfiguration: REGIONAL` / `{Type: PRIVATE}` as CloudFormation's."""
    if "EndpointConfiguration" not in props:
        return
    endpoint = props["EndpointConfiguration"]
    if isinstance(endpoint, LDict) and "Type" in endpoint:
        kind, mark = endpoint["Type"], endpoint.mark_of("Type")
    elif isinstance(endpoint, LDict):
        return
    else:
        kind, mark = endpoint, props.mark_of("EndpointConfiguration")
    put(api, "EndpointConfiguration", new(mark, [("Types", llist(mark, [kind]))]), mark)


def _resource_policy(auth: LDict | None) -> Any:
    """`Auth.ResourcePolicy`: its custom statements as a policy, else the SAM shorthand."""
    policy = auth.get("ResourcePolicy") if auth else None
    if not isinstance(policy, LDict):
        return None
    statements = policy.get("CustomStatements")
    if statements is not None:
        return new(policy.mark, [("Statement", statements)])
    return policy


def _authorizer_entries(info: ApiInfo) -> list[tuple[str, LDict, Mark]]:
    authorizers = info.auth.get("Authorizers") if info.auth else None
    if not isinstance(authorizers, LDict):
        return []
    return [
        (str(name), spec, authorizers.key_mark(name))
        for name, spec in authorizers.items()
        if isinstance(spec, LDict)
    ]


def _rest_authorizers(tr: Translation, info: ApiInfo) -> None:
    for name, spec, mark in _authorizer_entries(info):
        logical_id = f"{info.logical_id}{name}Authorizer"
        props = new(spec.mark, [("RestApiId", ref(info.logical_id, mark)), ("Name", name)])
        if "UserPoolArn" in spec:
            put(props, "Type", "COGNITO_USER_POOLS", mark)
            pools = spec["UserPoolArn"]
            put(
                props,
                "ProviderARNs",
                pools if isinstance(pools, list) else llist(mark, [pools]),
                mark,
            )
            kind = "COGNITO_USER_POOLS"
        else:
            payload = spec.get("FunctionPayloadType", "TOKEN")
            put(props, "Type", payload if isinstance(payload, str) else "TOKEN", mark)
            copy(props, spec, "FunctionArn", "AuthorizerUri")
            kind = "CUSTOM"
        tr.add(
            logical_id, resource("AWS::ApiGateway::Authorizer", mark, props), mark, info.logical_id
        )
        info.authorizers[name] = (logical_id, kind)


def _http_authorizers(tr: Translation, info: ApiInfo) -> None:
    for name, spec, mark in _authorizer_entries(info):
        logical_id = f"{info.logical_id}{name}Authorizer"
        props = new(spec.mark, [("ApiId", ref(info.logical_id, mark)), ("Name", name)])
        if "FunctionArn" in spec:
            put(props, "AuthorizerType", "REQUEST", mark)
            copy(props, spec, "FunctionArn", "AuthorizerUri")
            kind = "CUSTOM"
        else:
            put(props, "AuthorizerType", "JWT", mark)
            copy(props, spec, "JwtConfiguration")
            kind = "JWT"
        tr.add(
            logical_id,
            resource("AWS::ApiGatewayV2::Authorizer", mark, props),
            mark,
            info.logical_id,
        )
        info.authorizers[name] = (logical_id, kind)


def _usage_plan(tr: Translation, info: ApiInfo) -> None:
    """`Auth.UsagePlan` with `CreateUsagePlan: PER_API | SHARED` throttles the stage."""
    plan = info.auth.get("UsagePlan") if info.auth else None
    if not isinstance(plan, LDict):
        return
    create = tr.resolver.resolve(plan.get("CreateUsagePlan"))
    if create not in ("PER_API", "SHARED"):
        return
    mark = info.auth.key_mark("UsagePlan") if info.auth else info.mark
    stages = new(mark, [("ApiId", ref(info.logical_id, mark)), ("Stage", ref(info.stage_id, mark))])
    props = new(plan.mark, [("ApiStages", llist(mark, [stages]))])
    copy(props, plan, "Throttle")
    copy(props, plan, "Quota")
    plan_id = "ServerlessUsagePlan" if create == "SHARED" else f"{info.logical_id}UsagePlan"
    if not tr.add(
        plan_id, resource("AWS::ApiGateway::UsagePlan", mark, props), mark, info.logical_id
    ):
        existing = tr.out.get(plan_id)
        if isinstance(existing, LDict) and isinstance(existing.get("Properties"), LDict):
            existing["Properties"]["ApiStages"].append(stages)
            existing["Properties"]["ApiStages"].item_marks.append(mark)


def _domain(tr: Translation, info: ApiInfo, props: LDict, rtype: str) -> None:
    domain = props.get("Domain")
    if not isinstance(domain, LDict):
        return
    mark = props.key_mark("Domain")
    settings = new(domain.mark)
    for key in (
        "DomainName",
        "SecurityPolicy",
        "EndpointConfiguration",
        "CertificateArn",
        "MutualTlsAuthentication",
    ):
        copy(settings, domain, key)
    logical_id = f"{info.logical_id}DomainName"
    if tr.add(logical_id, resource(rtype, mark, settings, mark), mark, info.logical_id):
        tr.serves.append((logical_id, info.logical_id))
