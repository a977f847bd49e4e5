"""Build the common graph from CloudFormation resources.

The builder works on `LDict` resources, so every attribute keeps its line. The SAM and
Serverless Framework loaders reuse it: they translate their own constructs into CloudFormation
resources *whose marks point at the user's SAM/serverless.yml lines* and hand them here, which
is why one rule fires identically, and on the right line, in every format.

Two passes: each resource becomes its node(s); then references become edges, once every node
exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from sls_lint.graph import Edge, Kind, Location, Node, ResourceGraph
from sls_lint.loaders.cfn_intrinsics import (
    NO_VALUE,
    Resolver,
    ResourceRef,
    intrinsic,
    references,
)
from sls_lint.located import NO_MARK, LDict, LList, Mark
from sls_lint.policy_nodes import statement_nodes
from sls_lint.values import Choice, Reference, Unknown

_LAMBDA_ARN_IN_URI = re.compile(r"functions/(arn:[^/]+)/invocations")


class CfnGraphBuilder:
    """Adds the nodes and edges of one template's resources to a graph."""

    def __init__(
        self,
        graph: ResourceGraph,
        file: str,
        fmt: str,
        resources: LDict,
        parameters: dict[str, Any] | None = None,
        mappings: dict[str, Any] | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        self.graph = graph
        self.file = file
        self.fmt = fmt
        self.resources = resources
        self.resolver = Resolver(resources, parameters, mappings, overrides)
        self._later: list[Callable[[], None]] = []
        # Name of each function's physical name (for /aws/lambda/<name> log groups).
        self._function_names: dict[str, str] = {}
        self._rest_resources: dict[str, tuple[Any, str]] = {}
        self._v2_integrations: dict[str, set[str]] = {}
        self.files: dict[str, str] = {}  # logical id -> file it was written in (serverless)

    # -- helpers --------------------------------------------------------------------------
    def where(self, container: Any, key: Any = None, logical_id: str = "") -> Location:
        """The location of `container[key]` (or of the container)."""
        mark: Mark | None
        if key is None:
            mark = getattr(container, "mark", None)
        elif isinstance(container, (LDict, LList)):
            mark = container.mark_of(key)
        else:
            mark = None
        file = self.files.get(logical_id, self.file) if logical_id else self.file
        return Location(file, mark or NO_MARK)

    def resource_location(self, logical_id: str, resource: LDict) -> Location:
        """Where a resource starts: its logical id key (`HelloFunction:`)."""
        mark = (
            self.resources.key_marks.get(logical_id) if isinstance(self.resources, LDict) else None
        )
        file = self.files.get(logical_id, self.file)
        return Location(file, mark or getattr(resource, "mark", None) or NO_MARK)

    def value(self, props: Any, key: str, default: Any = None) -> Any:
        if not isinstance(props, dict) or key not in props:
            return default
        resolved = self.resolver.resolve(props[key])
        return default if resolved is NO_VALUE else resolved

    def refs(self, value: Any) -> set[str]:
        return references(value, self.resources)

    def node(self, kind: str, logical_id: str, resource: LDict, address: str | None = None) -> Node:
        node = Node(
            kind=kind,
            address=address or logical_id,
            resource_type=str(resource.get("Type", "")),
            format=self.fmt,
            location=self.resource_location(logical_id, resource),
        )
        return self.graph.add(node)

    def set(self, node: Node, attr: str, props: Any, key: str, default: Any = None) -> Any:
        """Copy property `key` of `props` (resolved) to `node.attrs[attr]` with its location."""
        value = self.value(props, key, default)
        where = (
            self.where(props, key, node.address)
            if isinstance(props, dict) and key in props
            else None
        )
        node.set(attr, value, where)
        return value

    def later(self, action: Callable[[], None]) -> None:
        self._later.append(action)

    def after_edges(self, action: Callable[[], None]) -> None:
        """Run `action` after every `later` action registered during the first pass, for
        edges that need other edges (a usage plan finds its stage through stage -> api)."""
        self._later.append(lambda: self._later.append(action))

    def _connect_refs(
        self, source: Node, edge: str, value: Any, kind: str, reverse: bool = False
    ) -> None:
        for logical_id in sorted(self.refs(value)):
            target = self.graph.get(logical_id)
            if target is not None and target.kind == kind:
                if reverse:
                    self.graph.connect(target, edge, source)
                else:
                    self.graph.connect(source, edge, target)

    # -- entry point ----------------------------------------------------------------------
    def build(self) -> None:
        for logical_id, resource in self.resources.items():
            if not isinstance(resource, LDict):
                continue
            handler = _HANDLERS.get(str(resource.get("Type", "")))
            if handler is None:
                continue
            props = resource.get("Properties")
            if not isinstance(props, LDict):
                props = LDict(mark=resource.mark)
            handler(self, str(logical_id), resource, props)
        for action in self._later:
            action()
        self._later.clear()

    # -- Lambda ---------------------------------------------------------------------------
    def _function(self, logical_id: str, resource: LDict, props: LDict) -> None:
        fn = self.node(Kind.FUNCTION, logical_id, resource)
        self.set(fn, "runtime", props, "Runtime")
        self.set(fn, "handler", props, "Handler")
        self.set(fn, "package_type", props, "PackageType", "Zip")
        self.set(fn, "memory", props, "MemorySize")
        self.set(fn, "timeout", props, "Timeout")
        self.set(fn, "kms_key_arn", props, "KmsKeyArn")
        self.set(fn, "reserved_concurrency", props, "ReservedConcurrentExecutions")
        self.set(fn, "code_signing_config", props, "CodeSigningConfigArn")
        self.set(fn, "layers", props, "Layers")
        name = self.set(fn, "function_name", props, "FunctionName")
        if isinstance(name, str):
            self._function_names[name] = logical_id
        tracing = props.get("TracingConfig")
        if isinstance(tracing, dict):
            self.set(fn, "tracing", tracing, "Mode")
        else:
            fn.set("tracing", None)
        dlq = props.get("DeadLetterConfig")
        if isinstance(dlq, dict):
            self.set(fn, "dead_letter_target", dlq, "TargetArn")
        self._environment(fn, props)
        vpc = props.get("VpcConfig")
        if isinstance(vpc, dict):
            self.set(fn, "vpc_subnets", vpc, "SubnetIds")
            self.set(fn, "vpc_security_groups", vpc, "SecurityGroupIds")
            groups = vpc.get("SecurityGroupIds")
            self.later(
                lambda: self._connect_refs(
                    fn, Edge.USES_SECURITY_GROUP, groups, Kind.SECURITY_GROUP
                )
            )
        logging = props.get("LoggingConfig")
        if isinstance(logging, dict) and "LogGroup" in logging:
            self.set(fn, "log_group_name", logging, "LogGroup")
            target = logging.get("LogGroup")
            self.later(lambda: self._connect_refs(fn, Edge.LOGS_TO, target, Kind.LOG_GROUP))
        role = props.get("Role")
        self.set(fn, "role", props, "Role")
        if role is not None:
            self.later(lambda: self._connect_refs(fn, Edge.ASSUMES, role, Kind.ROLE))

    def _environment(self, fn: Node, props: LDict) -> None:
        environment = props.get("Environment")
        variables = environment.get("Variables") if isinstance(environment, dict) else None
        if not isinstance(variables, dict):
            fn.set("environment", {})
            return
        values: dict[str, Any] = {}
        for name, raw in variables.items():
            resolved = self.resolver.resolve(raw)
            if resolved is NO_VALUE:
                continue
            # A reference is not a literal: keep the marker so secret rules can tell.
            values[str(name)] = resolved if intrinsic(raw) is None else Reference(resolved)
            fn.locations[f"environment.{name}"] = self.where(variables, name, fn.address)
        fn.set("environment", values, self.where(environment, "Variables", fn.address))

    def _url(self, logical_id: str, resource: LDict, props: LDict) -> None:
        url = self.node(Kind.FUNCTION_URL, logical_id, resource)
        self.set(url, "auth_type", props, "AuthType")
        self.set(url, "cors", props, "Cors")
        self.set(url, "invoke_mode", props, "InvokeMode")
        target = props.get("TargetFunctionArn")
        self.later(lambda: self._connect_refs(url, Edge.INVOKES, target, Kind.FUNCTION))

    def _permission(self, logical_id: str, resource: LDict, props: LDict) -> None:
        permission = self.node(Kind.PERMISSION, logical_id, resource)
        for attr, key in (
            ("action", "Action"),
            ("principal", "Principal"),
            ("source_arn", "SourceArn"),
            ("source_account", "SourceAccount"),
            ("principal_org_id", "PrincipalOrgID"),
            ("function_url_auth_type", "FunctionUrlAuthType"),
            ("event_source_token", "EventSourceToken"),
        ):
            self.set(permission, attr, props, key)
        target = props.get("FunctionName")
        self.later(lambda: self._connect_refs(permission, Edge.ALLOWS, target, Kind.FUNCTION))

    def _event_source_mapping(self, logical_id: str, resource: LDict, props: LDict) -> None:
        source = self.node(Kind.EVENT_SOURCE, logical_id, resource)
        arn = self.value(props, "EventSourceArn")
        self.set(source, "source_arn", props, "EventSourceArn")
        source.set("source_kind", _source_kind(arn, props, self.resources, self.resolver))
        source.set("invocation", "poll")
        destination = props.get("DestinationConfig")
        on_failure = destination.get("OnFailure") if isinstance(destination, dict) else None
        if isinstance(on_failure, dict):
            self.set(source, "on_failure", on_failure, "Destination")
        else:
            source.set("on_failure", None)
        target = props.get("FunctionName")
        self.later(lambda: self._connect_refs(source, Edge.INVOKES, target, Kind.FUNCTION))

    def _event_invoke_config(self, logical_id: str, resource: LDict, props: LDict) -> None:
        destination = props.get("DestinationConfig")
        on_failure = destination.get("OnFailure") if isinstance(destination, dict) else None
        target = props.get("FunctionName")

        def apply() -> None:
            for fid in self.refs(target):
                fn = self.graph.get(fid)
                if fn is not None and fn.kind == Kind.FUNCTION and isinstance(on_failure, dict):
                    self.set(fn, "on_failure", on_failure, "Destination")

        self.later(apply)

    # -- API Gateway (REST) -----------------------------------------------------------------
    def _rest_api(self, logical_id: str, resource: LDict, props: LDict) -> None:
        api = self.node(Kind.API, logical_id, resource)
        api.set("protocol", "rest")
        self.set(api, "name", props, "Name")
        self.set(api, "policy", props, "Policy")
        endpoint = props.get("EndpointConfiguration")
        if isinstance(endpoint, dict):
            types = self.value(endpoint, "Types")
            api.set(
                "endpoint_type",
                types[0] if isinstance(types, list) and types else types,
                self.where(endpoint, "Types", logical_id),
            )
        else:
            api.set("endpoint_type", "EDGE")
        api.set("api_key_source", self.value(props, "ApiKeySourceType", "HEADER"))

    def _rest_resource(self, logical_id: str, resource: LDict, props: LDict) -> None:
        self._rest_resources[logical_id] = (
            props.get("ParentId"),
            str(self.value(props, "PathPart", "")),
        )

    def rest_path(self, resource_id: Any, depth: int = 0) -> str:
        """The full path of an `AWS::ApiGateway::Resource` (walking ParentId up to the root)."""
        refs = sorted(self.refs(resource_id))
        if not refs or refs[0] not in self._rest_resources or depth > 50:
            return "/"
        parent, part = self._rest_resources[refs[0]]
        prefix = self.rest_path(parent, depth + 1).rstrip("/")
        return f"{prefix}/{part}"

    def _rest_method(self, logical_id: str, resource: LDict, props: LDict) -> None:
        route = self.node(Kind.ROUTE, logical_id, resource)
        route.set("protocol", "rest")
        method = self.set(route, "method", props, "HttpMethod")
        if isinstance(method, str):
            route.attrs["method"] = method.upper()
        auth = self.set(route, "authorization_type", props, "AuthorizationType", "NONE")
        if "AuthorizationType" not in props:
            route.locations["authorization_type"] = self.where(props, "HttpMethod", logical_id)
        if isinstance(auth, str):
            route.attrs["authorization_type"] = auth.upper()
        self.set(route, "api_key_required", props, "ApiKeyRequired", False)
        self.set(route, "request_validator", props, "RequestValidatorId")
        self.set(route, "request_models", props, "RequestModels")
        integration = props.get("Integration")
        resource_id = props.get("ResourceId")
        api_ref = props.get("RestApiId")
        authorizer = props.get("AuthorizerId")

        def connect() -> None:
            route.set("path", self.rest_path(resource_id))
            self._connect_refs(route, Edge.HAS_ROUTE, api_ref, Kind.API, reverse=True)
            self._connect_refs(route, Edge.AUTHORIZED_BY, authorizer, Kind.AUTHORIZER)
            if isinstance(integration, dict):
                route.set("integration_type", self.value(integration, "Type"))
                self._connect_refs(route, Edge.INVOKES, integration.get("Uri"), Kind.FUNCTION)

        self.later(connect)

    def _rest_stage(self, logical_id: str, resource: LDict, props: LDict) -> None:
        stage = self.node(Kind.STAGE, logical_id, resource)
        stage.set("protocol", "rest")
        self.set(stage, "name", props, "StageName")
        self._rest_stage_settings(stage, props)
        api_ref = props.get("RestApiId")
        self.later(
            lambda: self._connect_refs(stage, Edge.HAS_STAGE, api_ref, Kind.API, reverse=True)
        )

    def _rest_stage_settings(self, stage: Node, props: LDict) -> None:
        """Settings shared by `AWS::ApiGateway::Stage` and a Deployment's `StageDescription`."""
        access = props.get("AccessLogSetting")
        if isinstance(access, dict):
            self.set(stage, "access_log_destination", access, "DestinationArn")
            self.set(stage, "access_log_format", access, "Format")
        else:
            stage.set("access_log_destination", None)
        self.set(stage, "tracing", props, "TracingEnabled", False)
        self.set(stage, "cache_cluster_enabled", props, "CacheClusterEnabled", False)
        self.set(stage, "client_certificate", props, "ClientCertificateId")
        settings: list[dict[str, Any]] = []
        # StageDescription carries stage-wide method settings as top-level keys.
        top = {key: props[key] for key in _METHOD_SETTING_KEYS if key in props}
        if top:
            settings.append(self._method_setting(props, top, "*", "/*", "StageDescription"))
        raw = props.get("MethodSettings")
        for index, (item, mark) in enumerate(self.resolver.items(raw, getattr(raw, "mark", None))):
            if isinstance(item, dict):
                settings.append(
                    self._method_setting(
                        item,
                        item,
                        str(self.value(item, "HttpMethod", "*")),
                        str(self.value(item, "ResourcePath", "/*")),
                        f"MethodSettings[{index}]",
                        mark,
                    )
                )
        stage.set(
            "method_settings",
            settings,
            self.where(props, "MethodSettings", stage.address)
            if "MethodSettings" in props
            else None,
        )
        for index, setting in enumerate(settings):
            stage.locations[f"method_settings[{index}]"] = setting["location"]

    def _method_setting(
        self,
        container: Any,
        keys: dict,
        method: str,
        path: str,
        label: str,
        mark: Mark | None = None,
    ) -> dict[str, Any]:
        setting: dict[str, Any] = {"http_method": method, "resource_path": path, "label": label}
        for key in _METHOD_SETTING_KEYS:
            if key in keys:
                setting[_snake(key)] = self.value(container, key)
        first_key = next(iter(keys), None)
        where = self.where(container, first_key) if first_key else None
        setting["location"] = Location(self.file, mark) if mark else where
        return setting

    def _deployment(self, logical_id: str, resource: LDict, props: LDict) -> None:
        description = props.get("StageDescription")
        name = props.get("StageName")
        if name is None:
            return
        stage = self.node(Kind.STAGE, logical_id, resource, address=f"{logical_id}.Stage")
        stage.set("protocol", "rest")
        self.set(stage, "name", props, "StageName")
        self._rest_stage_settings(
            stage,
            description
            if isinstance(description, LDict)
            else LDict(mark=props.mark_of("StageName")),
        )
        api_ref = props.get("RestApiId")
        self.later(
            lambda: self._connect_refs(stage, Edge.HAS_STAGE, api_ref, Kind.API, reverse=True)
        )

    def _rest_authorizer(self, logical_id: str, resource: LDict, props: LDict) -> None:
        authorizer = self.node(Kind.AUTHORIZER, logical_id, resource)
        self.set(authorizer, "type", props, "Type")
        self.set(authorizer, "provider_arns", props, "ProviderARNs")
        uri = props.get("AuthorizerUri")
        self.later(lambda: self._connect_refs(authorizer, Edge.INVOKES, uri, Kind.FUNCTION))

    def _usage_plan(self, logical_id: str, resource: LDict, props: LDict) -> None:
        plan = self.node(Kind.USAGE_PLAN, logical_id, resource)
        self.set(plan, "throttle", props, "Throttle")
        stages = props.get("ApiStages")

        def connect() -> None:
            for item, _mark in self.resolver.items(stages):
                if not isinstance(item, dict):
                    continue
                api_ids = self.refs(item.get("ApiId"))
                stage_name = self.value(item, "Stage")
                stage_refs = self.refs(item.get("Stage"))
                for stage in self.graph.stages():
                    api = self.graph.api_of(stage)
                    if stage.address in stage_refs or (
                        api is not None
                        and api.address in api_ids
                        and stage.get("name") == stage_name
                    ):
                        self.graph.connect(plan, Edge.THROTTLES, stage)

        self.after_edges(connect)

    def _domain(self, logical_id: str, resource: LDict, props: LDict) -> None:
        domain = self.node(Kind.DOMAIN, logical_id, resource)
        configurations = props.get("DomainNameConfigurations")  # v2 keeps it per configuration
        if "SecurityPolicy" not in props and isinstance(configurations, list) and configurations:
            first_configuration = configurations[0]
            if isinstance(first_configuration, dict) and "SecurityPolicy" in first_configuration:
                props = first_configuration
        self.set(domain, "security_policy", props, "SecurityPolicy")
        if "SecurityPolicy" not in props:
            domain.set("security_policy", None, self.where(resource, "Type", logical_id))
        self.set(domain, "domain_name", props, "DomainName")

    # -- API Gateway v2 (HTTP / WebSocket) ---------------------------------------------------
    def _v2_api(self, logical_id: str, resource: LDict, props: LDict) -> None:
        api = self.node(Kind.API, logical_id, resource)
        protocol = self.value(props, "ProtocolType", "HTTP")
        api.set("protocol", "websocket" if protocol == "WEBSOCKET" else "http")
        self.set(api, "name", props, "Name")
        self.set(api, "disable_execute_api_endpoint", props, "DisableExecuteApiEndpoint", False)
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

    # -- IAM --------------------------------------------------------------------------------
    def _role(self, logical_id: str, resource: LDict, props: LDict) -> None:
        role = self.node(Kind.ROLE, logical_id, resource)
        self.set(role, "managed_policy_arns", props, "ManagedPolicyArns", [])
        if "ManagedPolicyArns" in props:
            raw = props["ManagedPolicyArns"]
            for index, (_item, mark) in enumerate(
                self.resolver.items(raw, getattr(raw, "mark", None))
            ):
                if mark is not None:
                    role.locations[f"managed_policy_arns[{index}]"] = Location(
                        role.location.file, mark
                    )
        self.set(role, "permissions_boundary", props, "PermissionsBoundary")
        self.set(role, "role_name", props, "RoleName")
        trust = props.get("AssumeRolePolicyDocument")
        for statement in self.statements(
            trust, f"{logical_id}.AssumeRolePolicyDocument", resource, "trust"
        ):
            self.graph.connect(role, Edge.TRUSTS, statement)
        policies = props.get("Policies")
        for index, (policy, _mark) in enumerate(
            self.resolver.items(policies, getattr(policies, "mark", None))
        ):
            if isinstance(policy, dict):
                document = policy.get("PolicyDocument")
                name = self.value(policy, "PolicyName", str(index))
                for statement in self.statements(
                    document, f"{logical_id}.Policies[{index}]", resource, f"inline:{name}"
                ):
                    self.graph.connect(role, Edge.GRANTS, statement)
        managed = props.get("ManagedPolicyArns")
        self.later(lambda: self._attach_managed(role, managed))

    def _attach_managed(self, role: Node, managed: Any) -> None:
        for logical_id in self.refs(managed):
            for statement in self._policy_statements.get(logical_id, ()):
                self.graph.connect(role, Edge.GRANTS, statement)

    @property
    def _policy_statements(self) -> dict[str, list[Node]]:
        if not hasattr(self, "_policy_statements_cache"):
            self._policy_statements_cache: dict[str, list[Node]] = {}
        return self._policy_statements_cache

    def statements(self, document: Any, address: str, resource: LDict, source: str) -> list[Node]:
        """Statement nodes for a policy document of this template."""
        logical_id = address.split(".", 1)[0]
        return statement_nodes(
            self.graph,
            document,
            file=self.files.get(logical_id, self.file),
            fmt=self.fmt,
            address=address,
            resource_type=str(resource.get("Type", "")),
            fallback=self.where(resource, "Type", logical_id),
            source=source,
            resolve=self._resolve_policy_value,
            items=self.resolver.items,
        )

    def _resolve_policy_value(self, value: Any) -> Any:
        resolved = self.resolver.resolve(value)
        return str(resolved) if isinstance(resolved, ResourceRef) else resolved

    def _policy(self, logical_id: str, resource: LDict, props: LDict) -> None:
        document = props.get("PolicyDocument")
        statements = self.statements(document, logical_id, resource, f"policy:{logical_id}")
        self._policy_statements[logical_id] = statements
        roles = props.get("Roles")

        def attach() -> None:
            for role_id in self.refs(roles):
                role = self.graph.get(role_id)
                if role is not None and role.kind == Kind.ROLE:
                    for statement in statements:
                        self.graph.connect(role, Edge.GRANTS, statement)

        self.later(attach)

    # -- network, logs, WAF, load balancers, async sources -----------------------------------
    def _security_group(self, logical_id: str, resource: LDict, props: LDict) -> None:
        group = self.node(Kind.SECURITY_GROUP, logical_id, resource)
        if "SecurityGroupEgress" in props:
            egress = self._sg_rules(props["SecurityGroupEgress"], "CidrIp", logical_id)
            group.set("egress", egress, self.where(props, "SecurityGroupEgress", logical_id))
            group.set("default_egress", False)
        else:
            # AWS adds an allow-all egress rule to every VPC group that declares none.
            group.set(
                "egress",
                [_ALLOW_ALL_EGRESS | {"location": group.location, "implicit": True}],
                group.location,
            )
            group.set("default_egress", True)
        ingress = self._sg_rules(props.get("SecurityGroupIngress"), "CidrIp", logical_id)
        group.set(
            "ingress",
            ingress,
            self.where(props, "SecurityGroupIngress", logical_id)
            if "SecurityGroupIngress" in props
            else None,
        )

    def _sg_rules(self, raw: Any, _cidr_key: str, logical_id: str) -> list[dict[str, Any]]:
        rules = []
        for item, mark in self.resolver.items(raw, getattr(raw, "mark", None)):
            if not isinstance(item, dict):
                continue
            rules.append(
                self._sg_rule(
                    item, Location(self.files.get(logical_id, self.file), mark or NO_MARK)
                )
            )
        return rules

    def _sg_rule(self, item: dict, where: Location) -> dict[str, Any]:
        return {
            "protocol": str(self.value(item, "IpProtocol", "-1")),
            "from_port": self.value(item, "FromPort"),
            "to_port": self.value(item, "ToPort"),
            "cidr_ipv4": self.value(item, "CidrIp"),
            "cidr_ipv6": self.value(item, "CidrIpv6"),
            "prefix_list": self.value(item, "DestinationPrefixListId")
            or self.value(item, "SourcePrefixListId"),
            "peer_group": self.value(item, "DestinationSecurityGroupId")
            or self.value(item, "SourceSecurityGroupId"),
            "location": where,
        }

    def _sg_rule_resource(self, logical_id: str, resource: LDict, props: LDict) -> None:
        direction = (
            "egress" if resource.get("Type") == "AWS::EC2::SecurityGroupEgress" else "ingress"
        )
        rule = self._sg_rule(props, self.where(resource, "Type", logical_id))
        group_ref = props.get("GroupId")

        def attach() -> None:
            for group_id in self.refs(group_ref):
                group = self.graph.get(group_id)
                if group is not None and group.kind == Kind.SECURITY_GROUP:
                    group.attrs.setdefault(direction, []).append(rule)

        self.later(attach)

    def _log_group(self, logical_id: str, resource: LDict, props: LDict) -> None:
        group = self.node(Kind.LOG_GROUP, logical_id, resource)
        self.set(group, "retention_days", props, "RetentionInDays")
        self.set(group, "kms_key_id", props, "KmsKeyId")
        name = self.set(group, "name", props, "LogGroupName")
        raw_name = props.get("LogGroupName")

        def connect() -> None:
            for ref in self.refs(raw_name):
                fn = self.graph.get(ref)
                if fn is not None and fn.kind == Kind.FUNCTION:
                    self.graph.connect(fn, Edge.LOGS_TO, group)
            if isinstance(name, str) and name.startswith("/aws/lambda/"):
                fid = self._function_names.get(name[len("/aws/lambda/") :])
                fn = self.graph.get(fid) if fid else None
                if fn is not None:
                    self.graph.connect(fn, Edge.LOGS_TO, group)

        self.later(connect)

    def _waf_association(self, logical_id: str, resource: LDict, props: LDict) -> None:
        acl_refs = self.refs(props.get("WebACLArn"))
        acl_address = sorted(acl_refs)[0] if acl_refs else f"{logical_id}.WebACL"
        acl = self.graph.get(acl_address) or self.graph.add(
            Node(
                Kind.WAF_ACL,
                acl_address,
                "AWS::WAFv2::WebACL",
                self.fmt,
                self.where(resource, "Type", logical_id),
            )
        )
        target = props.get("ResourceArn")

        def connect() -> None:
            for node in self._stages_named_by(target):
                self.graph.connect(acl, Edge.PROTECTS, node)

        self.after_edges(connect)

    def _stages_named_by(self, arn: Any) -> Iterator[Node]:
        """Stages an ARN like `arn:...:/restapis/${Api}/stages/prod` points at."""
        refs = self.refs(arn)
        text = self.resolver.resolve(arn)
        stage_name = None
        if isinstance(text, str) and "/stages/" in text:
            stage_name = text.rsplit("/stages/", 1)[1].strip("/")
        for stage in self.graph.stages():
            api = self.graph.api_of(stage)
            if (
                stage.address in refs
                or stage.address.split(".")[0] in refs
                or api is not None
                and api.address in refs
                and (
                    stage_name is None
                    or stage_name.startswith("${")
                    or stage.get("name") == stage_name
                )
            ):
                yield stage

    def _target_group(self, logical_id: str, resource: LDict, props: LDict) -> None:
        if str(self.value(props, "TargetType", "")).lower() != "lambda":
            return
        balancer = self.node(Kind.LOAD_BALANCER, logical_id, resource)
        targets = props.get("Targets")
        self.later(lambda: self._connect_refs(balancer, Edge.INVOKES, targets, Kind.FUNCTION))

    def _async_source(self, logical_id: str, resource: LDict, props: LDict) -> None:
        """SNS subscriptions, EventBridge rules, S3 notifications: asynchronous invokers."""
        kind = str(resource.get("Type", ""))
        source = self.node(Kind.EVENT_SOURCE, logical_id, resource)
        source.set("invocation", "async")
        source.set("source_kind", _ASYNC_KINDS.get(kind, kind))
        if kind == "AWS::SNS::Subscription":
            if str(self.value(props, "Protocol", "")).lower() != "lambda":
                self.graph.remove(source)
                return
            target: Any = props.get("Endpoint")
        elif kind == "AWS::SNS::Topic":
            target = props.get("Subscription")
        elif kind == "AWS::Scheduler::Schedule":
            target = props.get("Target")
        elif kind == "AWS::S3::Bucket":
            target = (
                (props.get("NotificationConfiguration") or {}).get("LambdaConfigurations")
                if isinstance(props.get("NotificationConfiguration"), dict)
                else None
            )
        else:
            target = props.get("Targets")
        if not self.refs(target):
            self.graph.remove(source)
            return
        self.later(lambda: self._connect_refs(source, Edge.INVOKES, target, Kind.FUNCTION))


_ALLOW_ALL_EGRESS = {
    "protocol": "-1",
    "from_port": None,
    "to_port": None,
    "cidr_ipv4": "0.0.0.0/0",
    "cidr_ipv6": None,
    "prefix_list": None,
    "peer_group": None,
}

_METHOD_SETTING_KEYS = (
    "LoggingLevel",
    "DataTraceEnabled",
    "MetricsEnabled",
    "DetailedMetricsEnabled",
    "ThrottlingBurstLimit",
    "ThrottlingRateLimit",
    "CachingEnabled",
    "CacheDataEncrypted",
    "CacheTtlInSeconds",
)

_ASYNC_KINDS = {
    "AWS::SNS::Subscription": "sns",
    "AWS::SNS::Topic": "sns",
    "AWS::Events::Rule": "eventbridge",
    "AWS::S3::Bucket": "s3",
    "AWS::Scheduler::Schedule": "schedule",
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _split_route_key(key: Any) -> tuple[str, str]:
    if not isinstance(key, str):
        return "?", "?"
    if key.startswith("$"):
        return "ANY" if key == "$default" else "WS", key
    method, _, path = key.partition(" ")
    return (method.upper(), path) if path else ("ANY", key)


def _source_kind(arn: Any, props: dict, resources: dict, resolver: Resolver) -> str:
    """sqs / kinesis / dynamodb / kafka / mq, from the ARN or the referenced resource type."""
    if isinstance(arn, ResourceRef):
        target = resources.get(arn.logical_id)
        rtype = str(target.get("Type", "")) if isinstance(target, dict) else ""
        for needle, kind in (
            ("SQS", "sqs"),
            ("Kinesis", "kinesis"),
            ("DynamoDB", "dynamodb"),
            ("MSK", "kafka"),
        ):
            if needle in rtype:
                return kind
    if isinstance(arn, str):
        for needle, kind in (
            (":sqs:", "sqs"),
            (":kinesis:", "kinesis"),
            (":dynamodb:", "dynamodb"),
            (":kafka:", "kafka"),
            (":mq:", "mq"),
        ):
            if needle in arn:
                return kind
    if "SelfManagedEventSource" in props:
        return "kafka"
    return "unknown"


_HANDLERS: dict[str, Callable[[CfnGraphBuilder, str, LDict, LDict], None]] = {
    "AWS::Lambda::Function": CfnGraphBuilder._function,
    "AWS::Lambda::Url": CfnGraphBuilder._url,
    "AWS::Lambda::Permission": CfnGraphBuilder._permission,
    "AWS::Lambda::EventSourceMapping": CfnGraphBuilder._event_source_mapping,
    "AWS::Lambda::EventInvokeConfig": CfnGraphBuilder._event_invoke_config,
    "AWS::ApiGateway::RestApi": CfnGraphBuilder._rest_api,
    "AWS::ApiGateway::Resource": CfnGraphBuilder._rest_resource,
    "AWS::ApiGateway::Method": CfnGraphBuilder._rest_method,
    "AWS::ApiGateway::Stage": CfnGraphBuilder._rest_stage,
    "AWS::ApiGateway::Deployment": CfnGraphBuilder._deployment,
    "AWS::ApiGateway::Authorizer": CfnGraphBuilder._rest_authorizer,
    "AWS::ApiGateway::UsagePlan": CfnGraphBuilder._usage_plan,
    "AWS::ApiGateway::DomainName": CfnGraphBuilder._domain,
    "AWS::ApiGatewayV2::DomainName": CfnGraphBuilder._domain,
    "AWS::ApiGatewayV2::Api": CfnGraphBuilder._v2_api,
    "AWS::ApiGatewayV2::Integration": CfnGraphBuilder._v2_integration,
    "AWS::ApiGatewayV2::Route": CfnGraphBuilder._v2_route,
    "AWS::ApiGatewayV2::Stage": CfnGraphBuilder._v2_stage,
    "AWS::ApiGatewayV2::Authorizer": CfnGraphBuilder._v2_authorizer,
    "AWS::IAM::Role": CfnGraphBuilder._role,
    "AWS::IAM::Policy": CfnGraphBuilder._policy,
    "AWS::IAM::ManagedPolicy": CfnGraphBuilder._policy,
    "AWS::EC2::SecurityGroup": CfnGraphBuilder._security_group,
    "AWS::EC2::SecurityGroupEgress": CfnGraphBuilder._sg_rule_resource,
    "AWS::EC2::SecurityGroupIngress": CfnGraphBuilder._sg_rule_resource,
    "AWS::Logs::LogGroup": CfnGraphBuilder._log_group,
    "AWS::WAFv2::WebACLAssociation": CfnGraphBuilder._waf_association,
    "AWS::ElasticLoadBalancingV2::TargetGroup": CfnGraphBuilder._target_group,
    "AWS::SNS::Subscription": CfnGraphBuilder._async_source,
    "AWS::Events::Rule": CfnGraphBuilder._async_source,
    "AWS::SNS::Topic": CfnGraphBuilder._async_source,
    "AWS::S3::Bucket": CfnGraphBuilder._async_source,
    "AWS::Scheduler::Schedule": CfnGraphBuilder._async_source,
}

__all__ = ["CfnGraphBuilder", "Choice", "Reference", "Unknown"]
