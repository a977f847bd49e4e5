"""CloudFormation API Gateway v2 (HTTP and WebSocket) resources: APIs incl. quick create,
integrations, routes, stages and authorizers.
"""

from __future__ import annotations

from typing import Any

from sls_lint.model.graph import Edge, Kind, Node
from sls_lint.sources.located import LDict


class HttpApiResources:
    """Handler methods mixed into `CfnGraphBuilder` (see builder.py for the helpers they use)."""

    # -- API Gateway v2 (HTTP / WebSocket) ---------------------------------------------------
    def _v2_api(self, logical_id: str, resource: LDict, props: LDict) -> None:
        api = self.node(Kind.API, logical_id, resource)
        protocol = self.value(props, "ProtocolType", "HTTP")
        api.set("protocol", "websocket" if protocol == "WEBSOCKET" else "http")
        self.set(api, "name", props, "Name")
        self.set(api, "disable_execute_api_endpoint", props, "DisableExecuteApiEndpoint", False)
        self._api_definition(api, logical_id, props, "http")
        if "Target" in props:  # quick create: a $default route and stage, no authorizer
            route = Node(
                Kind.ROUTE,
                f"{logical_id}.DefaultRoute",
                "AWS::ApiGatewayV2::Route",
                self.fmt,
                self.where(props, "Target", logical_id),
            )
            route.set("protocol", api.get("protocol"))
            route.set("method", "ANY")
            route.set("path", "$default")
            route.set("route_key", "$default")
            route.set("authorization_type", "NONE", self.where(props, "Target", logical_id))
            self.graph.add(route)
            self.graph.connect(api, Edge.HAS_ROUTE, route)
            target = props.get("Target")
            self.later(lambda: self._connect_refs(route, Edge.INVOKES, target, Kind.FUNCTION))
            stage = Node(
                Kind.STAGE,
                f"{logical_id}.DefaultStage",
                "AWS::ApiGatewayV2::Stage",
                self.fmt,
                self.where(props, "Target", logical_id),
            )
            stage.set("protocol", api.get("protocol"))
            stage.set("name", "$default")
            stage.set("access_log_destination", None)
            stage.set("method_settings", [])
            self.graph.add(stage)
            self.graph.connect(api, Edge.HAS_STAGE, stage)

    def _v2_integration(self, logical_id: str, resource: LDict, props: LDict) -> None:
        self._v2_integrations[logical_id] = self.refs(props.get("IntegrationUri"))

    def _v2_route(self, logical_id: str, resource: LDict, props: LDict) -> None:
        route = self.node(Kind.ROUTE, logical_id, resource)
        key = self.set(route, "route_key", props, "RouteKey")
        method, path = _split_route_key(key)
        route.set("method", method, self.where(props, "RouteKey", logical_id))
        route.set("path", path, self.where(props, "RouteKey", logical_id))
        auth = self.set(route, "authorization_type", props, "AuthorizationType", "NONE")
        if "AuthorizationType" not in props:
            route.locations["authorization_type"] = self.where(props, "RouteKey", logical_id)
        if isinstance(auth, str):
            route.attrs["authorization_type"] = auth.upper()
        self.set(route, "api_key_required", props, "ApiKeyRequired", False)
        api_ref = props.get("ApiId")
        target = props.get("Target")
        authorizer = props.get("AuthorizerId")

        def connect() -> None:
            self._connect_refs(route, Edge.HAS_ROUTE, api_ref, Kind.API, reverse=True)
            api = self.graph.api_of(route)
            if api is not None:
                route.set("protocol", api.get("protocol"))
            self._connect_refs(route, Edge.AUTHORIZED_BY, authorizer, Kind.AUTHORIZER)
            for integration in self.refs(target):
                for function_id in self._v2_integrations.get(integration, ()):
                    fn = self.graph.get(function_id)
                    if fn is not None and fn.kind == Kind.FUNCTION:
                        self.graph.connect(route, Edge.INVOKES, fn)

        self.later(connect)

    def _v2_stage(self, logical_id: str, resource: LDict, props: LDict) -> None:
        stage = self.node(Kind.STAGE, logical_id, resource)
        self.set(stage, "name", props, "StageName")
        access = props.get("AccessLogSettings")
        if isinstance(access, dict):
            self.set(stage, "access_log_destination", access, "DestinationArn")
            self.set(stage, "access_log_format", access, "Format")
        else:
            stage.set("access_log_destination", None)
        settings: list[dict[str, Any]] = []
        default = props.get("DefaultRouteSettings")
        if isinstance(default, dict):
            setting = self._method_setting(
                default, default, "*", "$default", "DefaultRouteSettings"
            )
            settings.append(setting)
        route_settings = props.get("RouteSettings")
        if isinstance(route_settings, dict):
            for route_key, item in route_settings.items():
                if isinstance(item, dict):
                    settings.append(
                        self._method_setting(
                            item, item, "*", str(route_key), f"RouteSettings.{route_key}"
                        )
                    )
        stage.set("method_settings", settings)
        api_ref = props.get("ApiId")
        self._stage_api_ids[stage.address] = self.api_id_key(api_ref)

        def connect() -> None:
            self._connect_refs(stage, Edge.HAS_STAGE, api_ref, Kind.API, reverse=True)
            api = self.graph.api_of(stage)
            stage.set("protocol", api.get("protocol") if api is not None else "http")

        self.later(connect)

    def _v2_authorizer(self, logical_id: str, resource: LDict, props: LDict) -> None:
        authorizer = self.node(Kind.AUTHORIZER, logical_id, resource)
        self.set(authorizer, "type", props, "AuthorizerType")
        uri = props.get("AuthorizerUri")
        self.later(lambda: self._connect_refs(authorizer, Edge.INVOKES, uri, Kind.FUNCTION))


def _split_route_key(key: Any) -> tuple[str, str]:
    if not isinstance(key, str):
        return "?", "?"
    if key.startswith("$"):
        return "ANY" if key == "$default" else "WS", key
    method, _, path = key.partition(" ")
    return (method.upper(), path) if path else ("ANY", key)
