"""CloudFormation Lambda resources and what invokes them: functions, URLs, permissions, event
sources, asynchronous push sources and load balancer target groups.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.cloudformation.intrinsics import NO_VALUE, Resolver, ResourceRef, intrinsic
from sls_lint.model.graph import Edge, Kind, Node
from sls_lint.model.values import Reference
from sls_lint.sources.located import LDict


class LambdaResources:
    """Handler methods mixed into `CfnGraphBuilder` (see builder.py for the helpers they use)."""

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
            ("invoked_via_function_url", "InvokedViaFunctionUrl"),
            ("event_source_token", "EventSourceToken"),
        ):
            self.set(permission, attr, props, key)
        target = props.get("FunctionName")
        self.later(lambda: self._connect_refs(permission, Edge.ALLOWS, target, Kind.FUNCTION))

    def _layer_permission(self, logical_id: str, resource: LDict, props: LDict) -> None:
        """`AWS::Lambda::LayerVersionPermission`: who may `lambda:GetLayerVersion` a layer."""
        permission = self.node(Kind.LAYER_PERMISSION, logical_id, resource)
        for attr, key in (
            ("action", "Action"),
            ("principal", "Principal"),
            ("organization_id", "OrganizationId"),
            ("layer_version_arn", "LayerVersionArn"),
        ):
            self.set(permission, attr, props, key)

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


_ASYNC_KINDS = {
    "AWS::SNS::Subscription": "sns",
    "AWS::SNS::Topic": "sns",
    "AWS::Events::Rule": "eventbridge",
    "AWS::S3::Bucket": "s3",
    "AWS::Scheduler::Schedule": "schedule",
}


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
