"""`AWS::Serverless::WebSocketApi` into the API Gateway v2 resources SAM generates for it.

The API (same logical id, `ProtocolType: WEBSOCKET`), its stage (`<Api><StageName>Stage`,
`<Api>DefaultStage` for the default stage name `default`), and per route key of `Routes` a
route, integration and permission (`<Api><Key>Route`, `...Integration`, `...Permission`,
`$connect` -> `Connect`). `Auth` (`AuthType: NONE | AWS_IAM | CUSTOM` with `AuthArn`) applies
to the `$connect` route only, as in API Gateway: a `CUSTOM` one becomes the
`<Api>ConnectAuthorizer` request authorizer. Routes are located at their key in `Routes`,
the authorization at `AuthType`.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.sam.common import Translation, copy, llist, new, put, ref, resource
from sls_lint.sources.located import LDict, Mark

DEFAULT_STAGE = "default"
_SPECIAL = ("$connect", "$disconnect", "$default")
_EXECUTE_API = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"


def websocket_api(tr: Translation, api_id: str, props: LDict, key_mark: Mark) -> None:
    """Write a SAM WebSocket API as its CloudFormation resources."""
    api = new(props.mark, [("ProtocolType", "WEBSOCKET")])
    for key in (
        "Name",
        "RouteSelectionExpression",
        "DisableExecuteApiEndpoint",
        "ApiKeySelectionExpression",
    ):
        copy(api, props, key)
    tr.replace(api_id, resource("AWS::ApiGatewayV2::Api", key_mark, api), key_mark)
    _stage(tr, api_id, props, key_mark)
    auth = props.get("Auth") if isinstance(props.get("Auth"), LDict) else None
    routes = props.get("Routes")
    if not isinstance(routes, LDict):
        return
    for route_key, spec in routes.items():
        if isinstance(route_key, str) and isinstance(spec, LDict):
            _route(tr, api_id, route_key, spec, routes.key_mark(route_key), auth)


def _stage(tr: Translation, api_id: str, props: LDict, key_mark: Mark) -> None:
    name = tr.resolver.resolve(props.get("StageName", DEFAULT_STAGE))
    stage_mark = props.key_mark("StageName") if "StageName" in props else key_mark
    if isinstance(name, str) and name != DEFAULT_STAGE:
        stage_id = f"{api_id}{name}Stage"
    elif isinstance(name, str):
        stage_id = f"{api_id}DefaultStage"
    else:
        stage_id = f"{api_id}Stage"
    stage = new(props.mark, [("ApiId", ref(api_id, stage_mark))])
    if not copy(stage, props, "StageName"):
        put(stage, "StageName", DEFAULT_STAGE, stage_mark)
    for key in ("AccessLogSettings", "DefaultRouteSettings", "RouteSettings", "StageVariables"):
        copy(stage, props, key)
    tr.add(stage_id, resource("AWS::ApiGatewayV2::Stage", stage_mark, stage), stage_mark, api_id)


def _id_part(route_key: str) -> str:
    if route_key in _SPECIAL:
        return route_key.replace("$", "").capitalize()
    return "".join(ch for ch in route_key if ch.isalnum()).capitalize()


def _route(
    tr: Translation, api_id: str, route_key: str, spec: LDict, mark: Mark, auth: LDict | None
) -> None:
    base = f"{api_id}{_id_part(route_key)}"
    integration_id = f"{base}Integration"
    parts = llist(mark, ["integrations", ref(integration_id, mark)])
    target = new(mark, [("Fn::Join", llist(mark, ["/", parts]))])
    props = new(mark, [("ApiId", ref(api_id, mark)), ("Target", target)])
    put(props, "RouteKey", route_key, mark)
    copy(props, spec, "ApiKeyRequired")
    if route_key == "$connect" and auth is not None:
        _connect_auth(tr, api_id, props, auth)
    tr.add(f"{base}Route", resource("AWS::ApiGatewayV2::Route", mark, props), mark, api_id)
    function = spec.get("FunctionArn")
    if function is None:
        return
    integration = new(mark, [("ApiId", ref(api_id, mark)), ("IntegrationType", "AWS_PROXY")])
    copy(integration, spec, "FunctionArn", "IntegrationUri")
    tr.add(
        integration_id,
        resource("AWS::ApiGatewayV2::Integration", mark, integration),
        mark,
        api_id,
    )
    permission = new(
        mark, [("Action", "lambda:InvokeFunction"), ("Principal", "apigateway.amazonaws.com")]
    )
    copy(permission, spec, "FunctionArn", "FunctionName")
    source = _EXECUTE_API + f"${{{api_id}}}/*"
    put(permission, "SourceArn", new(mark, [("Fn::Sub", source)]), mark)
    tr.add(
        f"{base}Permission", resource("AWS::Lambda::Permission", mark, permission), mark, api_id
    )


def _connect_auth(tr: Translation, api_id: str, props: LDict, auth: LDict) -> None:
    kind: Any = tr.resolver.resolve(auth.get("AuthType"))
    where = auth.mark_of("AuthType")
    if not isinstance(kind, str):
        put(props, "AuthorizationType", kind, where)
        return
    kind = kind.upper()
    put(props, "AuthorizationType", kind, where)
    if kind != "CUSTOM" or "AuthArn" not in auth:
        return
    authorizer_id = f"{api_id}ConnectAuthorizer"
    authorizer = new(auth.mark, [("ApiId", ref(api_id, where)), ("AuthorizerType", "REQUEST")])
    copy(authorizer, auth, "AuthArn", "AuthorizerUri")
    tr.add(
        authorizer_id,
        resource("AWS::ApiGatewayV2::Authorizer", where, authorizer),
        where,
        api_id,
    )
    put(props, "AuthorizerId", ref(authorizer_id, where), where)
