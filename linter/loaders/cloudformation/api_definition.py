"""An API's OpenAPI `Body` into route and authorizer nodes (`openapi` reads the document).

A `RestApi` / `ApiGatewayV2::Api` whose `Body` holds an OpenAPI document gets one route per
operation (`<Api> <METHOD> <path>`, the address SAM and the explicit resources use too, so a
route already built from a resource or a SAM event is not built twice), located at the method
key. A definition that cannot be read - `BodyS3Location`, a remote or unknown value - sets the
API's `definition_unreadable` (the reason), which SLS004 reports once per API: routes nobody
can see must not pass silently as "no finding".
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.cloudformation import openapi
from sls_lint.model.graph import Edge, Kind, Location, Node
from sls_lint.model.values import Unknown
from sls_lint.sources.located import LDict, Mark


class ApiDefinitionResources:
    """Handler helpers mixed into `CfnGraphBuilder` (see builder.py for the helpers they use)."""

    def _api_definition(self, api: Node, logical_id: str, props: LDict, protocol: str) -> None:
        """Read `Body` / note `BodyS3Location` of an API (called by the API handlers)."""
        if "Body" in props:
            body = props["Body"]
            where = self.where(props, "Body", logical_id)
            if isinstance(body, LDict) and not _intrinsic(body):
                self._definition_settings(api, body)
                self.later(lambda: self._definition_routes(api, logical_id, body, protocol))
                return
            api.set("definition_unreadable", _reason(body), where)
        elif "BodyS3Location" in props:
            api.set(
                "definition_unreadable",
                "its OpenAPI definition is in S3 (BodyS3Location)",
                self.where(props, "BodyS3Location", logical_id),
            )

    def _definition_settings(self, api: Node, body: LDict) -> None:
        """API-wide extensions: the API key source and the default endpoint switch."""
        source = body.get("x-amazon-apigateway-api-key-source")
        if isinstance(source, str):
            api.set(
                "api_key_source",
                source.upper(),
                self._at(body.mark_of("x-amazon-apigateway-api-key-source"), api),
            )
        endpoint = body.get("x-amazon-apigateway-endpoint-configuration")
        if isinstance(endpoint, LDict) and "disableExecuteApiEndpoint" in endpoint:
            api.set(
                "disable_execute_api_endpoint",
                self.resolver.resolve(endpoint["disableExecuteApiEndpoint"]),
                self._at(endpoint.mark_of("disableExecuteApiEndpoint"), api),
            )

    def _at(self, mark: Mark, owner: Node) -> Location:
        """A mark of a definition: in its own file when it was read from one."""
        file = getattr(mark, "file", None) or owner.location.file
        return Location(file, mark)

    def _definition_routes(self, api: Node, logical_id: str, body: LDict, protocol: str) -> None:
        authorizers: dict[str, Node] = {}
        for operation in openapi.operations(body):
            path = operation.path if protocol == "rest" else openapi.v2_path(operation.path)
            key = path if path == "$default" else f"{operation.method} {path}"
            address = f"{logical_id} {key}"
            if self.graph.get(address) is not None:
                continue  # built from a resource or an event already
            rtype = "AWS::ApiGateway::Method" if protocol == "rest" else "AWS::ApiGatewayV2::Route"
            at = self._at(operation.mark, api)
            route = self.graph.add(Node(Kind.ROUTE, address, rtype, self.fmt, at))
            route.set("protocol", api.get("protocol") or protocol)
            route.set("method", operation.method, at)
            route.set("path", path, at)
            if protocol != "rest":
                route.set("route_key", key, at)
            security = openapi.operation_security(body, operation.body)
            if security is None:
                route.set("authorization_type", "NONE", at)
            else:
                route.set("authorization_type", security.kind, self._at(security.mark, api))
            api_key = security is not None and security.api_key and protocol == "rest"
            route.set(
                "api_key_required", api_key, self._at(security.mark, api) if api_key else None
            )
            if protocol == "rest":
                validator = openapi.request_validator(body, operation.body)
                route.set("request_validator", validator, at if validator else None)
            self.graph.connect(api, Edge.HAS_ROUTE, route)
            self._definition_integration(route, operation)
            for name in security.schemes if security is not None else ():
                authorizer = authorizers.get(name) or self._definition_authorizer(
                    api, logical_id, body, name
                )
                if authorizer is not None:
                    authorizers[name] = authorizer
                    self.graph.connect(route, Edge.AUTHORIZED_BY, authorizer)

    def _definition_integration(self, route: Node, operation: openapi.Operation) -> None:
        found = openapi.integration(operation.body)
        if found is None:
            return
        kind = self.resolver.resolve(found.get("type"))
        route.set("integration_type", kind.upper() if isinstance(kind, str) else kind)
        uri = found.get("uri")
        self._connect_refs(route, Edge.INVOKES, uri, Kind.FUNCTION)
        name = openapi.function_name_in(self.resolver.resolve(uri))
        target = self.graph.get(self._function_names.get(name, "")) if name else None
        if target is not None and target.kind == Kind.FUNCTION:
            self.graph.connect(route, Edge.INVOKES, target)

    def _definition_authorizer(
        self, api: Node, logical_id: str, body: LDict, name: str
    ) -> Node | None:
        """The authorizer a security scheme declares with `x-amazon-apigateway-authorizer`."""
        scheme = openapi.schemes(body).get(name)
        linked = scheme.get(openapi.LINKED_AUTHORIZER) if isinstance(scheme, dict) else None
        if isinstance(linked, str):
            node = self.graph.get(linked)
            return node if node is not None and node.kind == Kind.AUTHORIZER else None
        spec = scheme.get("x-amazon-apigateway-authorizer") if isinstance(scheme, dict) else None
        if not isinstance(spec, LDict):
            return None
        address = f"{logical_id}.{name}"
        existing = self.graph.get(address)
        if existing is not None:
            return existing
        mark = spec.mark
        rtype = "x-amazon-apigateway-authorizer"
        at = self._at(mark, api)
        authorizer = self.graph.add(Node(Kind.AUTHORIZER, address, rtype, self.fmt, at))
        kind = self.resolver.resolve(spec.get("type"))
        authorizer.set("type", kind.upper() if isinstance(kind, str) else kind)
        authorizer.set("provider_arns", self.resolver.resolve(spec.get("providerARNs")))
        self._connect_refs(authorizer, Edge.INVOKES, spec.get("authorizerUri"), Kind.FUNCTION)
        return authorizer


def _intrinsic(body: LDict) -> bool:
    """A Body that is an intrinsic (`Fn::Transform`, `Fn::If`...) rather than a document."""
    return len(body) == 1 and str(next(iter(body))).startswith(("Fn::", "Ref"))


def _reason(body: Any) -> str:
    if isinstance(body, LDict) and "Fn::Transform" in body:
        return "its OpenAPI definition is included by Fn::Transform from a location not read"
    if isinstance(body, Unknown) and body.reason.startswith(("its ", "the ")):
        return body.reason
    if isinstance(body, Unknown):
        return f"its OpenAPI definition is not known statically ({body.reason})"
    if isinstance(body, str):
        return "its OpenAPI definition is a string, not a document"
    return "its OpenAPI definition is computed by an intrinsic function"
