"""Routes of SAM APIs from `Api` / `HttpApi` events, and the definition SAM deploys.

Each event route becomes an `AWS::ApiGateway::Method` (with the `Resource` chain of its path)
or an `AWS::ApiGatewayV2::Route` plus integration, addressed `<Api> <METHOD> <path>`. Its
authorization is decided the way SAM decides it: the event's `Auth.Authorizer` (`NONE`
included), else what the API's OpenAPI definition already says for that path (SAM merges the
event into it and keeps its security), else the API's `Auth.DefaultAuthorizer`. The route's
`authorization_type` is located at the line that decided it (the event's `Authorizer:`, the
definition's `security:`, the `DefaultAuthorizer:` in the API or in Globals), or at the event
itself when nothing set it. The definition itself becomes the API's `Body`, edited as SAM
edits it (`definitions`), and the CloudFormation builder reads its other routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sls_lint.loaders.cloudformation import openapi
from sls_lint.loaders.sam.apis import ApiInfo, http_api, rest_api
from sls_lint.loaders.sam.common import (
    Translation,
    getatt,
    llist,
    new,
    put,
    ref,
    ref_target,
    resource,
)
from sls_lint.loaders.sam.definitions import sam_body
from sls_lint.loaders.sam.events import EventRoute
from sls_lint.model.values import Unknown
from sls_lint.sources.located import LDict, Mark

IMPLICIT_REST = "ServerlessRestApi"
IMPLICIT_HTTP = "ServerlessHttpApi"


@dataclass
class Auth:
    """How a route is authorized and where that was decided."""

    kind: Any  # NONE / AWS_IAM / CUSTOM / COGNITO_USER_POOLS / JWT, or Unknown
    mark: Mark
    authorizer: str | None = None
    api_key: bool = False
    api_key_mark: Mark | None = None


def translate_routes(tr: Translation, apis: dict[str, ApiInfo]) -> None:
    """Create the implicit APIs the events need, then every event and definition route."""
    for events, implicit, build in (
        (tr.rest_events, IMPLICIT_REST, rest_api),
        (tr.http_events, IMPLICIT_HTTP, http_api),
    ):
        first = next((e for e in events if e.api_ref is None), None)
        if first is not None and implicit not in apis:
            apis[implicit] = build(tr, implicit, LDict(mark=first.mark), first.mark, True)
    for event in [*tr.rest_events, *tr.http_events]:
        implicit = IMPLICIT_REST if event.protocol == "rest" else IMPLICIT_HTTP
        api_id = implicit if event.api_ref is None else ref_target(event.api_ref)
        if api_id is None:
            continue  # an API we cannot name statically: its routes cannot be placed
        info = apis.get(api_id)
        auth = event_auth(tr, info, event)
        target = getatt(event.function_id, "Arn", event.mark)
        route_id = _route(tr, api_id, event.protocol, event.method, event.path, event, auth, target)
        if route_id is not None:
            _permission(tr, event, api_id, info)
    for info in apis.values():
        _write_body(tr, info)


def event_auth(tr: Translation, info: ApiInfo | None, event: EventRoute) -> Auth:
    """The authorization of an event's route: its own `Auth` over the API's default."""
    api_auth = info.auth if info is not None else None
    auth = _named(tr, info, event.auth, "Authorizer")
    body = _body_security(info, event) if auth is None else None
    if body is not None and body.kind != "NONE" and info is not None:
        # SAM keeps what the definition says unless the event sets its own Auth.
        scheme = body.schemes[0] if body.schemes else ""
        auth = Auth(body.kind, body.mark, info.authorizers.get(scheme, (None, ""))[0])
    if auth is None:
        auth = _named(tr, info, api_auth, "DefaultAuthorizer")
    if auth is None:
        auth = Auth("NONE", body.mark if body is not None else event.mark)
    for source in (event.auth, api_auth):
        if isinstance(source, LDict) and "ApiKeyRequired" in source:
            auth.api_key = tr.resolver.resolve(source["ApiKeyRequired"]) is True
            auth.api_key_mark = source.mark_of("ApiKeyRequired")
            break
    else:
        if body is not None and body.api_key:
            auth.api_key, auth.api_key_mark = True, body.mark
    return auth


def _named(tr: Translation, info: ApiInfo | None, container: Any, key: str) -> Auth | None:
    if not isinstance(container, LDict) or key not in container:
        return None
    mark = container.mark_of(key)
    name = tr.resolver.resolve(container[key])
    if not isinstance(name, str):
        return Auth(Unknown("authorizer chosen by an intrinsic"), mark)
    if name.upper() in ("NONE", "AWS_IAM"):
        return Auth(name.upper(), mark)
    if info is not None and name in info.authorizers:
        logical_id, kind = info.authorizers[name]
        return Auth(kind, mark, logical_id)
    return Auth("CUSTOM", mark)  # an authorizer defined where we cannot see it


def _route(
    tr: Translation,
    api_id: str,
    protocol: str,
    method: str,
    path: str,
    event: EventRoute | None,
    auth: Auth,
    target: Any,
    mark: Mark | None = None,
) -> str | None:
    mark = mark or (event.mark if event else auth.mark)
    method_mark = event.method_mark if event else mark
    if protocol == "rest":
        return _rest_route(tr, api_id, method, path, event, auth, target, mark, method_mark)
    return _http_route(tr, api_id, method, path, auth, target, mark)


def _rest_route(
    tr: Translation,
    api_id: str,
    method: str,
    path: str,
    event: EventRoute | None,
    auth: Auth,
    target: Any,
    mark: Mark,
    method_mark: Mark,
) -> str | None:
    route_id = f"{api_id} {method} {path}"
    props = new(
        mark,
        [
            ("RestApiId", ref(api_id, mark)),
            ("ResourceId", _resource_chain(tr, api_id, path, mark)),
            ("Integration", new(mark, [("Type", "AWS_PROXY"), ("Uri", target)])),
        ],
    )
    put(props, "HttpMethod", method, method_mark)
    put(props, "AuthorizationType", auth.kind, auth.mark)
    if auth.authorizer:
        put(props, "AuthorizerId", ref(auth.authorizer, auth.mark), auth.mark)
    if auth.api_key:
        put(props, "ApiKeyRequired", True, auth.api_key_mark or mark)
    if event is not None:
        _request_validation(props, event.props)
    if not tr.add(route_id, resource("AWS::ApiGateway::Method", mark, props), mark, api_id):
        return None
    return route_id


def _request_validation(props: LDict, event_props: LDict) -> None:
    """`RequestModel` / `RequestParameters` with validation on, as a validator and models."""
    model = event_props.get("RequestModel")
    if isinstance(model, LDict) and model.get("Model") is not None:
        mark = event_props.mark_of("RequestModel")
        put(props, "RequestModels", new(mark, [("application/json", model["Model"])]), mark)
        if model.get("ValidateBody") is not False or model.get("ValidateParameters"):
            put(props, "RequestValidatorId", "sam-generated-validator", mark)


def _resource_chain(tr: Translation, api_id: str, path: str, mark: Mark) -> Any:
    """The `AWS::ApiGateway::Resource`s of a path; returns the ResourceId of its last part."""
    parent: Any = getatt(api_id, "RootResourceId", mark)
    prefix = ""
    for part in [p for p in path.split("/") if p]:
        prefix = f"{prefix}/{part}"
        logical_id = f"{api_id} resource {prefix}"
        props = new(mark, [("RestApiId", ref(api_id, mark)), ("ParentId", parent)])
        put(props, "PathPart", part, mark)
        tr.add(logical_id, resource("AWS::ApiGateway::Resource", mark, props), mark, api_id)
        parent = ref(logical_id, mark)
    return parent


def _http_route(
    tr: Translation, api_id: str, method: str, path: str, auth: Auth, target: Any, mark: Mark
) -> str | None:
    key = "$default" if path == "$default" else f"{method} {path}"
    route_id = f"{api_id} {key}"
    integration_id = f"{route_id} integration"
    integration = new(
        mark,
        [
            ("ApiId", ref(api_id, mark)),
            ("IntegrationType", "AWS_PROXY"),
            ("IntegrationUri", target),
        ],
    )
    target_ref = new(
        mark,
        [
            (
                "Fn::Join",
                llist(mark, ["/", llist(mark, ["integrations", ref(integration_id, mark)])]),
            )
        ],
    )
    props = new(mark, [("ApiId", ref(api_id, mark)), ("RouteKey", key), ("Target", target_ref)])
    put(props, "AuthorizationType", auth.kind, auth.mark)
    if auth.authorizer:
        put(props, "AuthorizerId", ref(auth.authorizer, auth.mark), auth.mark)
    if not tr.add(route_id, resource("AWS::ApiGatewayV2::Route", mark, props), mark, api_id):
        return None
    tr.add(
        integration_id,
        resource("AWS::ApiGatewayV2::Integration", mark, integration),
        mark,
        api_id,
    )
    return route_id


def _permission(tr: Translation, event: EventRoute, api_id: str, info: ApiInfo | None) -> None:
    """The permission SAM adds so that the API may invoke the event's function."""
    source = new(
        event.mark,
        [
            (
                "Fn::Sub",
                llist(
                    event.mark,
                    [
                        "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiId}/*",
                        new(event.mark, [("ApiId", ref(api_id, event.mark))]),
                    ],
                ),
            )
        ],
    )
    props = new(
        event.mark,
        [
            ("Action", "lambda:InvokeFunction"),
            ("FunctionName", ref(event.function_id, event.mark)),
            ("Principal", "apigateway.amazonaws.com"),
            ("SourceArn", source),
        ],
    )
    # SAM names REST permissions after the stage (`...PermissionProd`), HTTP ones not.
    stage = info.stage_name if info is not None and event.protocol == "rest" else ""
    logical_id = f"{event.event_id}Permission{''.join(c for c in stage if c.isalnum())}"
    tr.add(
        logical_id,
        resource("AWS::Lambda::Permission", event.mark, props),
        event.mark,
        event.function_id,
    )


# -- OpenAPI definitions -----------------------------------------------------------------------
def _body_security(info: ApiInfo | None, event: EventRoute) -> openapi.Security | None:
    """The security the API's definition gives the event's path, if it defines it."""
    body = info.definition.body if info is not None else None
    operation = openapi.find_operation(body, event.path, event.method) if body else None
    if body is None or operation is None:
        return None
    return openapi.operation_security(body, operation.body)


def _write_body(tr: Translation, info: ApiInfo) -> None:
    """The definition SAM deploys, as the API's `Body` (the builder reads its routes)."""
    definition = info.definition
    if info.api is None or definition.mark is None:
        return
    if definition.body is None:
        put(info.api, "Body", Unknown(definition.unreadable or "not read"), definition.mark)
        return
    default = None
    auth = info.auth
    if auth is not None and "DefaultAuthorizer" in auth:
        name = tr.resolver.resolve(auth["DefaultAuthorizer"])
        if isinstance(name, str) and name.upper() != "NONE":
            default = (name, auth.mark_of("DefaultAuthorizer"))
    api_key = None
    if auth is not None and tr.resolver.resolve(auth.get("ApiKeyRequired")) is True:
        api_key = auth.mark_of("ApiKeyRequired")
    body = sam_body(tr, definition.body, info.authorizers, default, api_key)
    put(info.api, "Body", body, definition.mark)


__all__ = ["IMPLICIT_HTTP", "IMPLICIT_REST", "translate_routes"]
