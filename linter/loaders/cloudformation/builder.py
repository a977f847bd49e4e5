"""Build the common graph from CloudFormation resources.

The builder works on `LDict` resources, so every attribute keeps its line. The SAM and
Serverless Framework loaders reuse it: they translate their own constructs into CloudFormation
resources *whose marks point at the user's SAM/serverless.yml lines* and hand them here, which
is why one rule fires identically, and on the right line, in every format.

Two passes: each resource becomes its node(s); then references become edges, once every node
exists. This module holds the builder's core (locations, resolution, edges, policy
statements, dispatch); the handlers for each family of resources live in `functions`,
`rest_api`, `http_api` and `iam_network`, mixed into `CfnGraphBuilder`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sls_lint.loaders import ParseProblem, internal_problem
from sls_lint.loaders.cloudformation.conditions import TemplateConditions
from sls_lint.loaders.cloudformation.functions import LambdaResources
from sls_lint.loaders.cloudformation.http_api import HttpApiResources
from sls_lint.loaders.cloudformation.iam_network import IamNetworkResources
from sls_lint.loaders.cloudformation.intrinsics import (
    NO_VALUE,
    Resolver,
    ResourceRef,
    references,
)
from sls_lint.loaders.cloudformation.rest_api import RestApiResources
from sls_lint.model.graph import Location, Node, ResourceGraph
from sls_lint.model.iam_documents import statement_nodes
from sls_lint.model.values import Choice, Reference, Unknown
from sls_lint.sources.located import NO_MARK, LDict, LList, Mark


class CfnGraphBuilder(LambdaResources, RestApiResources, HttpApiResources, IamNetworkResources):
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
        problems: list[ParseProblem] | None = None,
    ) -> None:
        self.graph = graph
        # Where a resource that makes the builder fail is reported (SLS001), so that one
        # unexpected shape loses that resource, not every finding of the file.
        self.problems: list[ParseProblem] = problems if problems is not None else []
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
        # The template's `Conditions` (set by the loaders that have them): each node of a
        # resource with `Condition: X` records when it exists, as `deploy_condition`.
        self.conditions: TemplateConditions | None = None
        # Document address -> the address of each of its statements where the user wrote
        # them elsewhere (Serverless `provider.iam.role.statements[i]`), or None (generated).
        self.statement_names: dict[str, list[str | None]] = {}

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
        self._deploy_condition(node, resource)
        return self.graph.add(node)

    def _deploy_condition(self, node: Node, resource: Any) -> None:
        if self.conditions is not None and isinstance(resource, dict) and "Condition" in resource:
            formula = self.conditions.of_resource(resource)
            if formula is not None:
                node.attrs["deploy_condition"] = formula

    def set(self, node: Node, attr: str, props: Any, key: str, default: Any = None) -> Any:
        """Copy property `key` of `props` (resolved) to `node.attrs[attr]` with its location."""
        if not isinstance(props, dict) or key not in props:
            # Most properties a handler asks for are absent: the default, and no location.
            node.attrs[attr] = default
            return default
        resolved = self.resolver.resolve(props[key])
        value = default if resolved is NO_VALUE else resolved
        node.set(attr, value, self.where(props, key, node.address))
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
        if self.conditions is not None:
            self.resolver.conditions = self.conditions  # `Fn::If` branches know their condition
        for logical_id, resource in self.resources.items():
            if not isinstance(resource, LDict):
                continue
            handler = _HANDLERS.get(str(resource.get("Type", "")))
            if handler is None:
                continue
            props = resource.get("Properties")
            if not isinstance(props, LDict):
                props = LDict(mark=resource.mark)
            try:
                handler(self, str(logical_id), resource, props)
            except Exception as error:  # noqa: BLE001 - one resource must not cost the file
                self._failed(f"building resource {logical_id}", error, str(logical_id))
        for action in self._later:
            try:
                action()
            except Exception as error:  # noqa: BLE001
                self._failed("connecting resources", error)
        self._later.clear()

    def _failed(self, doing: str, error: Exception, logical_id: str = "") -> None:
        mark = self.resources.key_mark(logical_id) if logical_id else NO_MARK
        file = self.files.get(logical_id, self.file) if logical_id else self.file
        self.problems.append(internal_problem(file, doing, error, mark.line, mark.column))

    def statements(self, document: Any, address: str, resource: LDict, source: str) -> list[Node]:
        """Statement nodes for a policy document of this template."""
        logical_id = address.split(".", 1)[0]
        nodes = statement_nodes(
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
            names=self.statement_names.get(address),
        )
        for node in nodes:
            self._deploy_condition(node, resource)
        return nodes

    def _resolve_policy_value(self, value: Any) -> Any:
        resolved = self.resolver.resolve(value)
        return str(resolved) if isinstance(resolved, ResourceRef) else resolved


_HANDLERS: dict[str, Callable[[CfnGraphBuilder, str, LDict, LDict], None]] = {
    "AWS::Lambda::Function": CfnGraphBuilder._function,
    "AWS::Lambda::Url": CfnGraphBuilder._url,
    "AWS::Lambda::Permission": CfnGraphBuilder._permission,
    "AWS::Lambda::LayerVersionPermission": CfnGraphBuilder._layer_permission,
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
    "AWS::IAM::RolePolicy": CfnGraphBuilder._policy,
    "AWS::IAM::UserPolicy": CfnGraphBuilder._policy,
    "AWS::IAM::GroupPolicy": CfnGraphBuilder._policy,
    "AWS::IAM::User": CfnGraphBuilder._user_or_group,
    "AWS::IAM::Group": CfnGraphBuilder._user_or_group,
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
