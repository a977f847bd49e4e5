"""CloudFormation API Gateway (REST) resources: APIs, paths, methods, stages, deployments,
authorizers, usage plans, custom domains and WAF associations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sls_lint.model.graph import Edge, Kind, Location, Node
from sls_lint.sources.located import LDict, Mark


class RestApiResources:
    """Handler methods mixed into `CfnGraphBuilder` (see builder.py for the helpers they use)."""

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
        self.set(api, "disable_execute_api_endpoint", props, "DisableExecuteApiEndpoint", False)
        self._api_definition(api, logical_id, props, "rest")

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
        self._stage_api_ids[stage.address] = self.api_id_key(api_ref)
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
        self._stage_api_ids[stage.address] = self.api_id_key(api_ref)
        self.later(
            lambda: self._connect_refs(stage, Edge.HAS_STAGE, api_ref, Kind.API, reverse=True)
        )

    def api_id_key(self, value: Any) -> tuple[str, str] | None:
        """What an API id names when it is not a resource of this template: a parameter
        (`!Ref ApiId`) or a literal id. Usage plans and stages match on it."""
        if isinstance(value, dict) and isinstance(value.get("Ref"), str):
            name = value["Ref"]
            return None if name in self.resources else ("parameter", name)
        resolved = self.resolver.resolve(value)
        return ("literal", resolved) if isinstance(resolved, str) and resolved else None

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
                api_key = self.api_id_key(item.get("ApiId"))
                stage_name = self.value(item, "Stage")
                stage_refs = self.refs(item.get("Stage"))
                for stage in self.graph.stages():
                    api = self.graph.api_of(stage)
                    same_api = (api is not None and api.address in api_ids) or (
                        api_key is not None and self._stage_api_ids.get(stage.address) == api_key
                    )
                    if stage.address in stage_refs or (
                        same_api and stage.get("name") == stage_name
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
        self.set(domain, "mutual_tls", props, "MutualTlsAuthentication")

    def _api_mapping(self, logical_id: str, resource: LDict, props: LDict) -> None:
        """A base path / API mapping: the domain serves the API. A domain not declared here
        (a literal name) may accept anything: the API is then `served_by_unknown_domain`."""
        domain_value = props.get("DomainName")
        api_value = props.get("RestApiId", props.get("ApiId"))

        def connect() -> None:
            apis = [
                node
                for node in (self.graph.get(a) for a in sorted(self.refs(api_value)))
                if node is not None and node.kind == Kind.API
            ]
            name = self.resolver.resolve(domain_value)
            domains = [
                node
                for node in self.graph.nodes(Kind.DOMAIN)
                if node.address in self.refs(domain_value)
                or (isinstance(name, str) and node.get("domain_name") == name)
            ]
            for api in apis:
                for domain in domains:
                    self.graph.connect(domain, Edge.SERVES, api)
                if not domains:
                    api.set("served_by_unknown_domain", True, self.where(props, "DomainName"))

        self.later(connect)

    def _waf_association(self, logical_id: str, resource: LDict, props: LDict) -> None:
        # WAFv2 names the ACL by ARN, WAF Classic (AWS::WAFRegional) by id.
        acl_refs = self.refs(props.get("WebACLArn", props.get("WebACLId")))
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


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
