"""API events (`http`, `httpApi`, `websocket`, `alb`) into the gateway resources they create.

One REST API (`ApiGatewayRestApi`), one HTTP API (`HttpApi`) and one WebSocket API
(`WebsocketsApi`) per service, as the framework does. The REST stage's logging and tracing are
applied by the framework *after* deployment (outside CloudFormation), so the compiled template
does not show them; the deployed stage has them, and so does the stage modelled here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sls_lint.loaders.serverless.compiler import (
    LDict,
    Mark,
    Service,
    alphanumeric,
    function_id,
    get_att,
    located_list,
    mark_of,
    normalize,
    normalize_path,
    obj,
    put,
    ref,
)
from sls_lint.loaders.serverless.stages import http_api, rest_api, websocket_api
from sls_lint.model.values import Unknown

REST_API = "ApiGatewayRestApi"
HTTP_API = "HttpApi"
WS_API = "WebsocketsApi"
_LAMBDA_INTEGRATIONS = {None, "lambda", "lambda-proxy", "aws", "aws_proxy", "aws-proxy"}


def _invoke_uri(function_logical_id: Any) -> LDict:
    target = function_logical_id if isinstance(function_logical_id, dict) else None
    target = target or get_att(str(function_logical_id))
    return LDict(
        {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    ref("AWS::Partition"),
                    ":apigateway:",
                    ref("AWS::Region"),
                    ":lambda:path/2015-03-31/functions/",
                    target,
                    "/invocations",
                ],
            ]
        }
    )


def _source_arn(api: Any, suffix: str) -> LDict:
    return LDict(
        {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    ref("AWS::Partition"),
                    ":execute-api:",
                    ref("AWS::Region"),
                    ":",
                    ref("AWS::AccountId"),
                    ":",
                    api,
                    suffix,
                ],
            ]
        }
    )


@dataclass
class ApiEvents:
    """Compiles the API events of every function, then the APIs and stages they imply."""

    service: Service
    first_http: Mark | None = None
    first_http_api: Mark | None = None
    first_ws: Mark | None = None
    permissions: dict[str, tuple[str, Mark]] = field(default_factory=dict)
    rest_resources: set[str] = field(default_factory=set)

    # -- per event ------------------------------------------------------------------------
    def add(self, name: str, kind: str, event: Any, mark: Mark) -> bool:
        """Compile one event; False when it is not an API event."""
        handler = {
            "http": self._http,
            "httpApi": self._http_api,
            "websocket": self._websocket,
            "alb": self._alb,
        }.get(kind)
        if handler is None:
            return False
        handler(name, event, mark)
        return True

    def _http(self, name: str, event: Any, mark: Mark) -> None:
        method: Any
        path: Any
        config = event if isinstance(event, LDict) else LDict(mark=mark)
        if isinstance(event, str):
            parts = event.split()
            if len(parts) < 2:
                return
            method, path = parts[0], parts[1]
        else:
            method, path = config.get("method"), config.get("path")
        if not isinstance(method, str) or not isinstance(path, (str, int)):
            return
        self.first_http = self.first_http or mark
        template = self.service.template
        path = str(path).strip("/")
        api = self._rest_api_id()
        parent: Any = self._rest_root()
        prefix = ""
        for part in [p for p in path.split("/") if p]:
            prefix = f"{prefix}/{part}" if prefix else part
            resource_id = f"ApiGatewayResource{normalize_path(prefix)}"
            if resource_id not in self.rest_resources:
                self.rest_resources.add(resource_id)
                template.add(
                    resource_id,
                    "AWS::ApiGateway::Resource",
                    obj(mark, ParentId=parent, PathPart=part, RestApiId=api),
                    mark,
                )
            parent = ref(resource_id)
        method_name = "ANY" if method.lower() == "any" else method.upper()
        logical_id = f"ApiGatewayMethod{normalize_path(path)}{normalize(method_name.lower())}"
        props = obj(mark, HttpMethod=method_name, ResourceId=parent, RestApiId=api)
        put(props, "HttpMethod", method_name, mark_of(config, "method", mark))
        self._rest_authorization(props, config, mark)
        private = config.get("private")
        put(props, "ApiKeyRequired", private is True, mark_of(config, "private", mark))
        integration = config.get("integration")
        lambda_integration = integration is None or (
            isinstance(integration, str) and integration.lower() in _LAMBDA_INTEGRATIONS
        )
        if lambda_integration:
            kind = (
                "AWS"
                if isinstance(integration, str)
                and integration.lower()
                in (
                    "lambda",
                    "aws",
                )
                else "AWS_PROXY"
            )
            put(
                props,
                "Integration",
                obj(
                    mark,
                    Type=kind,
                    IntegrationHttpMethod="POST",
                    Uri=_invoke_uri(f"{function_id(name)}LambdaFunction"),
                ),
            )
            self.permissions.setdefault(name, ("rest", mark))
        else:
            put(props, "Integration", obj(mark, Type=str(integration).upper()), mark)
        request = config.get("request")
        if isinstance(request, LDict) and request.get("schemas") is not None:
            validator = f"ApiGateway{alphanumeric(self.service.name)}RequestValidator"
            where = mark_of(request, "schemas")
            put(props, "RequestValidatorId", ref(validator), where)
            if not template.has(validator):
                template.add(
                    validator,
                    "AWS::ApiGateway::RequestValidator",
                    obj(where, RestApiId=api, ValidateRequestBody=True),
                    where,
                )
        template.add(logical_id, "AWS::ApiGateway::Method", props, mark)
        if config.get("cors") not in (None, False):
            cors_mark = mark_of(config, "cors", mark)
            options_id = f"ApiGatewayMethod{normalize_path(path)}Options"
            if not template.has(options_id):
                template.add(
                    options_id,
                    "AWS::ApiGateway::Method",
                    obj(
                        cors_mark,
                        HttpMethod="OPTIONS",
                        AuthorizationType="NONE",
                        ResourceId=parent,
                        RestApiId=api,
                        Integration=obj(cors_mark, Type="MOCK"),
                    ),
                    cors_mark,
                )

    def _rest_api_id(self) -> Any:
        gateway = self.service.provider.get("apiGateway")
        if isinstance(gateway, LDict) and gateway.get("restApiId") is not None:
            return gateway["restApiId"]
        return ref(REST_API)

    def _rest_root(self) -> Any:
        gateway = self.service.provider.get("apiGateway")
        if isinstance(gateway, LDict) and gateway.get("restApiId") is not None:
            return gateway.get("restApiRootResourceId", Unknown("external API root"))
        return get_att(REST_API, "RootResourceId")

    def _rest_authorization(self, props: LDict, config: LDict, mark: Mark) -> None:
        authorizer = config.get("authorizer")
        where = mark_of(config, "authorizer", mark)
        if authorizer is None:
            put(props, "AuthorizationType", "NONE", mark)
            return
        if isinstance(authorizer, Unknown):
            put(props, "AuthorizationType", authorizer, where)
            return
        settings = authorizer if isinstance(authorizer, LDict) else LDict(mark=where)
        text = authorizer if isinstance(authorizer, str) else None
        kind = str(settings.get("type") or "").lower()
        arn = settings.get("arn") if text is None else (text if text.startswith("arn:") else None)
        if (text or "").lower() == "aws_iam" or kind == "aws_iam":
            put(props, "AuthorizationType", "AWS_IAM", where)
            return
        cognito = kind.startswith("cognito") or (isinstance(arn, str) and ":cognito-idp:" in arn)
        auth_type = "COGNITO_USER_POOLS" if cognito else "CUSTOM"
        put(props, "AuthorizationType", auth_type, where)
        if settings.get("authorizerId") is not None:
            put(props, "AuthorizerId", settings["authorizerId"], mark_of(settings, "authorizerId"))
            return
        name = settings.get("name") or (text if arn is None else None)
        if not isinstance(name, str) and isinstance(arn, str):
            name = arn.rsplit(":", 1)[-1].rsplit("/", 1)[-1].split("-")[-1]
        if not isinstance(name, str) or not name:
            return
        authorizer_id = f"{function_id(name)}ApiGatewayAuthorizer"
        put(props, "AuthorizerId", ref(authorizer_id), where)
        if self.service.template.has(authorizer_id):
            return
        auth_props = obj(where, Name=name, RestApiId=self._rest_api_id())
        if cognito:
            put(auth_props, "Type", "COGNITO_USER_POOLS", where)
            put(auth_props, "ProviderARNs", [arn], where)
        else:
            put(auth_props, "Type", "REQUEST" if kind == "request" else "TOKEN", where)
            target = arn if arn is not None else get_att(f"{function_id(name)}LambdaFunction")
            put(auth_props, "AuthorizerUri", _invoke_uri(target), where)
        self.service.template.add(authorizer_id, "AWS::ApiGateway::Authorizer", auth_props, where)

    def _http_api(self, name: str, event: Any, mark: Mark) -> None:
        config = event if isinstance(event, LDict) else LDict(mark=mark)
        if isinstance(event, str):
            if event.strip() == "*":
                method, path = "*", "*"
            else:
                parts = event.split()
                if len(parts) < 2:
                    return
                method, path = parts[0], parts[1]
        else:
            method, path = config.get("method", "*"), config.get("path", "*")
        if not isinstance(method, str) or not isinstance(path, str):
            return
        self.first_http_api = self.first_http_api or mark
        method = "ANY" if method == "*" else method.upper()
        if path != "*" and not path.startswith("/"):
            path = f"/{path}"  # a route key always has its leading slash (`POST /oauth/token`)
        route_key = "*" if path == "*" else f"{method} {path}"
        logical_id = (
            "HttpApiRouteDefault"
            if route_key == "*"
            else f"HttpApiRoute{normalize_path(route_key)}"
        )
        integration = f"HttpApiIntegration{function_id(name)}"
        api = self._http_api_id()
        template = self.service.template
        if not template.has(integration):
            template.add(
                integration,
                "AWS::ApiGatewayV2::Integration",
                obj(
                    mark,
                    ApiId=api,
                    IntegrationType="AWS_PROXY",
                    IntegrationUri=get_att(f"{function_id(name)}LambdaFunction"),
                    PayloadFormatVersion="2.0",
                ),
                mark,
            )
        target = LDict({"Fn::Join": ["/", ["integrations", ref(integration)]]})
        props = obj(
            mark, ApiId=api, RouteKey="$default" if route_key == "*" else route_key, Target=target
        )
        self._http_api_authorization(props, config, mark)
        template.add(logical_id, "AWS::ApiGatewayV2::Route", props, mark)
        self.permissions.setdefault(f"{name}\0http", ("http", mark))

    def _http_api_config(self) -> LDict:
        config = self.service.provider.get("httpApi")
        return config if isinstance(config, LDict) else LDict()

    def _http_api_id(self) -> Any:
        config = self._http_api_config()
        return config["id"] if config.get("id") is not None else ref(HTTP_API)

    def _http_api_authorization(self, props: LDict, config: LDict, mark: Mark) -> None:
        authorizer = config.get("authorizer")
        if authorizer is None:
            return  # the builder reads an absent AuthorizationType as NONE, at RouteKey
        where = mark_of(config, "authorizer", mark)
        if isinstance(authorizer, Unknown):
            put(props, "AuthorizationType", authorizer, where)
            return
        settings = authorizer if isinstance(authorizer, LDict) else LDict(mark=where)
        name = authorizer if isinstance(authorizer, str) else settings.get("name")
        kind = str(settings.get("type") or "").lower()
        if kind == "aws_iam":
            put(props, "AuthorizationType", "AWS_IAM", where)
            return
        if settings.get("id") is not None:
            put(props, "AuthorizationType", "CUSTOM" if kind == "request" else "JWT", where)
            put(props, "AuthorizerId", settings["id"], mark_of(settings, "id"))
            return
        configured = self._http_api_config().get("authorizers")
        definition = configured.get(name) if isinstance(configured, LDict) else None
        request = isinstance(definition, LDict) and str(definition.get("type")).lower() == "request"
        put(props, "AuthorizationType", "CUSTOM" if request else "JWT", where)
        if isinstance(name, str):
            put(props, "AuthorizerId", ref(f"HttpApiAuthorizer{function_id(name)}"), where)

    def _websocket(self, name: str, event: Any, mark: Mark) -> None:
        config = event if isinstance(event, LDict) else LDict(mark=mark)
        route = event if isinstance(event, str) else config.get("route")
        if not isinstance(route, str):
            return
        self.first_ws = self.first_ws or mark
        template = self.service.template
        integration = f"{function_id(name)}WebsocketsIntegration"
        if not template.has(integration):
            template.add(
                integration,
                "AWS::ApiGatewayV2::Integration",
                obj(
                    mark,
                    ApiId=ref(WS_API),
                    IntegrationType="AWS_PROXY",
                    IntegrationUri=_invoke_uri(f"{function_id(name)}LambdaFunction"),
                ),
                mark,
            )
        props = obj(
            mark,
            ApiId=ref(WS_API),
            RouteKey=route,
            AuthorizationType="NONE",
            Target=LDict({"Fn::Join": ["/", ["integrations", ref(integration)]]}),
        )
        authorizer = config.get("authorizer")
        if authorizer is not None and route == "$connect":
            where = mark_of(config, "authorizer", mark)
            settings = authorizer if isinstance(authorizer, LDict) else LDict(mark=where)
            auth_name = authorizer if isinstance(authorizer, str) else settings.get("name")
            arn = settings.get("arn")
            if not isinstance(auth_name, str) and isinstance(arn, str):
                auth_name = arn.rsplit(":", 1)[-1].split("-")[-1]
            put(props, "AuthorizationType", "CUSTOM", where)
            if isinstance(auth_name, str):
                authorizer_id = f"{function_id(auth_name)}WebsocketsAuthorizer"
                put(props, "AuthorizerId", ref(authorizer_id), where)
                uri_target = arn or get_att(f"{function_id(auth_name)}LambdaFunction")
                template.add(
                    authorizer_id,
                    "AWS::ApiGatewayV2::Authorizer",
                    obj(
                        where,
                        ApiId=ref(WS_API),
                        AuthorizerType="REQUEST",
                        Name=auth_name,
                        AuthorizerUri=_invoke_uri(uri_target),
                    ),
                    where,
                )
        route_id = (
            route.replace("$", "S")
            .replace("/", "Slash")
            .replace("-", "Dash")
            .replace("_", "Underscore")
            .replace(".", "Period")
        )
        template.add(f"{route_id}WebsocketsRoute", "AWS::ApiGatewayV2::Route", props, mark)
        self.permissions.setdefault(f"{name}\0ws", ("ws", mark))

    def _alb(self, name: str, event: Any, mark: Mark) -> None:
        config = event if isinstance(event, LDict) else LDict(mark=mark)
        listener = config.get("listenerArn")
        alb_id = "Alb"
        if isinstance(listener, str) and "/app/" in listener:
            pieces = listener.split("/app/", 1)[1].split("/")
            alb_id = pieces[1] if len(pieces) > 1 else pieces[0]
        elif isinstance(listener, dict) and isinstance(listener.get("Ref"), str):
            alb_id = listener["Ref"]
        multi = "MultiValue" if config.get("multiValueHeaders") is True else ""
        group = f"{function_id(name)}Alb{multi}TargetGroup{alphanumeric(alb_id)}"
        target = obj(mark, Id=get_att(f"{function_id(name)}LambdaFunction"))
        self.service.template.add(
            group,
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            obj(mark, TargetType="lambda", Targets=located_list([(target, mark)], mark)),
            mark,
        )
        self.service.template.add(
            f"{function_id(name)}LambdaPermissionAlb",
            "AWS::Lambda::Permission",
            obj(
                mark,
                FunctionName=get_att(f"{function_id(name)}LambdaFunction"),
                Action="lambda:InvokeFunction",
                Principal="elasticloadbalancing.amazonaws.com",
                SourceArn=ref(group),
            ),
            mark,
        )

    # -- after every function -------------------------------------------------------------
    def finish(self) -> None:
        """Emit the APIs, stages and permissions the events need."""
        for key, (kind, mark) in self.permissions.items():
            self._permission(key.split("\0", 1)[0], kind, mark)
        if self.first_http is not None:
            rest_api(self.service, self.first_http)
        if self.first_http_api is not None:
            http_api(self.service, self.first_http_api)
        if self.first_ws is not None:
            websocket_api(self.service, self.first_ws)

    def _permission(self, name: str, kind: str, mark: Mark) -> None:
        suffix = {"rest": "ApiGateway", "http": "HttpApi", "ws": "Websockets"}[kind]
        api = {"rest": self._rest_api_id(), "http": self._http_api_id(), "ws": ref(WS_API)}[kind]
        props = obj(
            mark,
            FunctionName=get_att(f"{function_id(name)}LambdaFunction"),
            Action="lambda:InvokeFunction",
            Principal="apigateway.amazonaws.com",
        )
        if kind != "ws":  # the framework's WebSocket permission names no source
            put(props, "SourceArn", _source_arn(api, "/*/*" if kind == "rest" else "/*"), mark)
        self.service.template.add(
            f"{function_id(name)}LambdaPermission{suffix}", "AWS::Lambda::Permission", props, mark
        )
