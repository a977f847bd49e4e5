"""Routes of SAM APIs: from `Api` / `HttpApi` events and from an inline OpenAPI definition.

Each route becomes an `AWS::ApiGateway::Method` (with the `Resource` chain of its path) or an
`AWS::ApiGatewayV2::Route` plus integration, addressed `<Api> <METHOD> <path>`. Its
authorization is decided the way SAM decides it: the event's `Auth.Authorizer` (`NONE`
included) over the API's `Auth.DefaultAuthorizer`; in a definition, an operation's `security`
over the document's. The route's `authorization_type` is located at the line that decided it
(the event's `Authorizer:`, the `DefaultAuthorizer:` in the API or in Globals, the
`security:`), or at the event itself when nothing set it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
from sls_lint.loaders.sam.events import EventRoute
from sls_lint.model.values import Unknown
from sls_lint.sources.located import LDict, Mark

IMPLICIT_REST = "ServerlessRestApi"
IMPLICIT_HTTP = "ServerlessHttpApi"
_OPERATIONS = {
    "get",
    "put",
    "post",
    "delete",
    "patch",
    "head",
    "options",
    "x-amazon-apigateway-any-method",
}
_SCHEME_TYPES = {
    "cognito_user_pools": "COGNITO_USER_POOLS",
    "awssigv4": "AWS_IAM",
    "custom": "CUSTOM",
    "token": "CUSTOM",
    "request": "CUSTOM",
    "jwt": "JWT",
}


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
        if info.definition is not None:
            _definition_routes(tr, info)


def event_auth(tr: Translation, info: ApiInfo | None, event: EventRoute) -> Auth:
    """The authorization of an event's route: its own `Auth` over the API's default."""
    api_auth = info.auth if info is not None else None
    auth = _named(tr, info, event.auth, "Authorizer")
    if auth is None:
        auth = _named(tr, info, api_auth, "DefaultAuthorizer")
    if auth is None:
        auth = Auth("NONE", event.mark)
    for source in (event.auth, api_auth):
        if isinstance(source, LDict) and "ApiKeyRequired" in source:
            auth.api_key = tr.resolver.resolve(source["ApiKeyRequired"]) is True
            auth.api_key_mark = source.mark_of("ApiKeyRequired")
            break
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
def _definition_routes(tr: Translation, info: ApiInfo) -> None:
    """Routes written in `DefinitionBody`, unless an event already made the same route."""
    definition = info.definition
    paths = definition.get("paths") if definition else None
    if not isinstance(paths, LDict):
        return
    schemes = _schemes(definition)
    for path, item in paths.items():
        if not isinstance(item, LDict) or not isinstance(path, str):
            continue
        for name, operation in item.items():
            if str(name).lower() not in _OPERATIONS or not isinstance(operation, LDict):
                continue
            method = "ANY" if "any-method" in str(name).lower() else str(name).upper()
            mark = item.key_mark(name)
            auth = _operation_auth(tr, info, definition, operation, schemes, mark)
            integration = operation.get("x-amazon-apigateway-integration")
            uri = integration.get("uri") if isinstance(integration, LDict) else None
            _route(tr, info.logical_id, info.protocol, method, path, None, auth, uri, mark)


def _schemes(definition: LDict) -> dict[str, Any]:
    components = definition.get("components")
    found = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(found, dict):
        found = definition.get("securityDefinitions")
    return found if isinstance(found, dict) else {}


def _operation_auth(
    tr: Translation,
    info: ApiInfo,
    definition: LDict,
    operation: LDict,
    schemes: dict[str, Any],
    mark: Mark,
) -> Auth:
    owner = operation if "security" in operation else definition
    if "security" not in owner:
        return _named(tr, info, info.auth, "DefaultAuthorizer") or Auth("NONE", mark)
    where = owner.mark_of("security")
    requirements = owner["security"]
    if not isinstance(requirements, list):
        return Auth(Unknown("security is not a list"), where)
    auth = Auth("NONE", where)
    for requirement in requirements:
        if not isinstance(requirement, dict):
            continue
        for name in requirement:
            kind = _scheme_kind(info, schemes.get(name), str(name))
            if kind == "API_KEY":
                auth.api_key, auth.api_key_mark = True, where
            elif kind is not None and auth.kind == "NONE":
                auth.kind = kind
                auth.authorizer = info.authorizers.get(str(name), (None, ""))[0]
    return auth


def _scheme_kind(info: ApiInfo, scheme: Any, name: str) -> str | None:
    """NONE-breaking kind of a security scheme: an authorization type, `API_KEY`, or None."""
    if name in info.authorizers:
        return info.authorizers[name][1]
    if not isinstance(scheme, dict):
        return "CUSTOM"  # named but not defined here: assume it authorizes
    authtype = str(scheme.get("x-amazon-apigateway-authtype", "")).lower()
    authorizer = scheme.get("x-amazon-apigateway-authorizer")
    declared = str(authorizer.get("type", "")).lower() if isinstance(authorizer, dict) else ""
    for text in (authtype, declared):
        if text in _SCHEME_TYPES:
            return _SCHEME_TYPES[text]
    kind = str(scheme.get("type", "")).lower()
    if kind == "apikey":
        return "API_KEY"
    if kind in ("oauth2", "openidconnect"):
        return "JWT"
    return "CUSTOM"


__all__ = ["IMPLICIT_HTTP", "IMPLICIT_REST", "translate_routes"]
