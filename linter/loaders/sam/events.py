"""A SAM function's `Events` into the CloudFormation resources SAM generates for them.

Poll sources (SQS, Kinesis, DynamoDB, MSK, MQ...) become `AWS::Lambda::EventSourceMapping`
`<Fn><Event>`; push sources become what invokes the function asynchronously (an SNS
subscription, an EventBridge rule) plus the `AWS::Lambda::Permission` SAM writes for them.
Api and HttpApi events are collected as `EventRoute`s: their routes depend on the API they
belong to (its default authorizer, its stage), which is translated once every function is
known (`apis`). Sources the CloudFormation builder has no resource type for (S3
notifications, Scheduler schedules, log subscriptions) are recorded as `ExtraSource`s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sls_lint.loaders.sam.common import (
    ExtraSource,
    Translation,
    copy,
    entries,
    getatt,
    llist,
    new,
    put,
    ref,
    ref_target,
    resource,
)
from sls_lint.sources.located import LDict, Mark

_POLICY = "arn:aws:iam::aws:policy/service-role/"


@dataclass
class EventRoute:
    """An `Api` / `HttpApi` event, waiting for its API to be known."""

    function_id: str
    event_id: str  # <Fn><Event>
    protocol: str  # rest | http
    api_ref: Any  # RestApiId / ApiId as written, None for the implicit API
    method: str
    method_mark: Mark
    path: str
    path_mark: Mark
    auth: LDict | None
    props: LDict
    mark: Mark  # the event's key line


Handler = Callable[[Translation, str, str, LDict, Mark, list], None]


def translate_events(
    tr: Translation, fn: str, events: Any, fn_props: LDict, fn_mark: Mark
) -> list[tuple[Any, Mark]]:
    """Write the resources of `fn`'s events; returns managed policies SAM adds to its role."""
    managed: list[tuple[Any, Mark]] = []
    if events is None:
        return managed
    if not isinstance(events, LDict):
        tr.problem(f"Events of {fn} must be a mapping", fn_props.mark_of("Events"))
        return managed
    for name, event, key_mark, value_mark in entries(events):
        if not isinstance(event, LDict):
            tr.problem(f"event {name} of {fn} must be a mapping", value_mark)
            continue
        props = event.get("Properties", LDict(mark=value_mark))
        if props is None:
            props = LDict(mark=value_mark)
        if not isinstance(props, LDict):
            tr.problem(f"Properties of event {name} of {fn} must be a mapping", value_mark)
            continue
        handler = _HANDLERS.get(str(event.get("Type")))
        if handler is not None:
            handler(tr, fn, f"{fn}{name}", props, key_mark, managed)
    return managed


# -- API events ------------------------------------------------------------------------------
def _api(protocol: str) -> Handler:
    def collect(tr: Translation, fn: str, eid: str, props: LDict, mark: Mark, _m: list) -> None:
        default_path = "$default" if protocol == "http" else "/"
        path = tr.resolver.resolve(props.get("Path", default_path))
        method = tr.resolver.resolve(props.get("Method", "ANY"))
        method = str(method).upper() if isinstance(method, str) else "ANY"
        if method in ("ANY", "X-AMAZON-APIGATEWAY-ANY-METHOD"):
            method = "ANY"
        auth = props.get("Auth")
        route = EventRoute(
            function_id=fn,
            event_id=eid,
            protocol=protocol,
            api_ref=props.get("RestApiId" if protocol == "rest" else "ApiId"),
            method=method,
            method_mark=props.mark_of("Method") if "Method" in props else mark,
            path=path if isinstance(path, str) else "/{unknown}",
            path_mark=props.mark_of("Path") if "Path" in props else mark,
            auth=auth if isinstance(auth, LDict) else None,
            props=props,
            mark=mark,
        )
        (tr.rest_events if protocol == "rest" else tr.http_events).append(route)

    return collect


# -- poll sources ----------------------------------------------------------------------------
def _poll(source_key: str, kind: str, policy: str | None) -> Handler:
    def translate(tr: Translation, fn: str, eid: str, props: LDict, mark: Mark, managed: list):
        mapping = new(props.mark, [("FunctionName", ref(fn, mark))])
        if source_key:
            copy(mapping, props, source_key, "EventSourceArn")
        for key in (
            "DestinationConfig",
            "BatchSize",
            "StartingPosition",
            "Enabled",
            "FilterCriteria",
            "MaximumRetryAttempts",
            "BisectBatchOnFunctionError",
        ):
            copy(mapping, props, key)
        if "KafkaBootstrapServers" in props:
            servers = new(props.mark_of("KafkaBootstrapServers"))
            copy(servers, props, "KafkaBootstrapServers")
            put(
                mapping, "SelfManagedEventSource", new(servers.mark, [("Endpoints", servers)]), mark
            )
        tr.add(eid, resource("AWS::Lambda::EventSourceMapping", mark, mapping), mark, fn)
        tr.source_kinds[eid] = kind
        if policy is not None:
            managed.append((_POLICY + policy, mark))

    return translate


# -- push sources ----------------------------------------------------------------------------
def _permission(
    tr: Translation, fn: str, eid: str, mark: Mark, principal: str, source: Any, account: bool
) -> None:
    props = new(
        mark,
        [
            ("Action", "lambda:InvokeFunction"),
            ("FunctionName", ref(fn, mark)),
            ("Principal", principal),
        ],
    )
    if source is not None:
        put(props, "SourceArn", source, mark)
    if account:
        put(props, "SourceAccount", ref("AWS::AccountId", mark), mark)
    tr.add(f"{eid}Permission", resource("AWS::Lambda::Permission", mark, props), mark, fn)


def _sns(tr: Translation, fn: str, eid: str, props: LDict, mark: Mark, managed: list) -> None:
    if props.get("SqsSubscription"):  # SAM puts a queue between the topic and the function
        mapping = new(props.mark, [("FunctionName", ref(fn, mark))])
        put(
            mapping, "EventSourceArn", f"arn:aws:sqs:::{eid}Queue", props.mark_of("SqsSubscription")
        )
        tr.add(eid, resource("AWS::Lambda::EventSourceMapping", mark, mapping), mark, fn)
        tr.source_kinds[eid] = "sqs"
        return
    subscription = new(props.mark, [("Protocol", "lambda"), ("Endpoint", getatt(fn, "Arn", mark))])
    copy(subscription, props, "Topic", "TopicArn")
    copy(subscription, props, "FilterPolicy")
    tr.add(eid, resource("AWS::SNS::Subscription", mark, subscription), mark, fn)
    _permission(tr, fn, eid, mark, "sns.amazonaws.com", props.get("Topic"), False)


def _rule(tr: Translation, fn: str, eid: str, props: LDict, mark: Mark, managed: list) -> None:
    target = new(mark, [("Arn", getatt(fn, "Arn", mark)), ("Id", f"{eid}LambdaTarget")])
    for key in ("DeadLetterConfig", "RetryPolicy", "Input", "InputPath"):
        copy(target, props, key)
    rule = new(props.mark, [("Targets", llist(mark, [target]))])
    copy(rule, props, "Schedule", "ScheduleExpression")
    copy(rule, props, "Pattern", "EventPattern")
    copy(rule, props, "EventBusName")
    copy(rule, props, "Enabled")
    copy(rule, props, "State")
    tr.add(eid, resource("AWS::Events::Rule", mark, rule), mark, fn)
    _permission(tr, fn, eid, mark, "events.amazonaws.com", getatt(eid, "Arn", mark), False)


def _schedule_v2(tr: Translation, fn: str, eid: str, props: LDict, mark: Mark, managed: list):
    target = new(mark, [("Arn", getatt(fn, "Arn", mark))])
    copy(target, props, "DeadLetterConfig")
    schedule = new(props.mark, [("Target", target)])
    for key in ("ScheduleExpression", "State", "FlexibleTimeWindow"):
        copy(schedule, props, key)
    tr.add(eid, resource("AWS::Scheduler::Schedule", mark, schedule), mark, fn)


def _s3(tr: Translation, fn: str, eid: str, props: LDict, mark: Mark, managed: list) -> None:
    """SAM adds the notification to the bucket itself (when the template declares it)."""
    bucket = ref_target(props.get("Bucket"))
    declared = tr.resources.get(bucket) if bucket else None
    if isinstance(declared, LDict) and declared.get("Type") == "AWS::S3::Bucket":
        notification = new(mark, [("Function", getatt(fn, "Arn", mark))])
        copy(notification, props, "Events", "Event")
        copy(notification, props, "Filter")
        tr.bucket_notifications.setdefault(str(bucket), []).append(notification)
        _permission(tr, fn, eid, mark, "s3.amazonaws.com", None, True)
    else:
        _extra("s3", "AWS::S3::Bucket", "Bucket", "s3.amazonaws.com")(
            tr, fn, eid, props, mark, managed
        )


def _extra(kind: str, rtype: str, source_key: str, principal: str | None) -> Handler:
    def translate(tr: Translation, fn: str, eid: str, props: LDict, mark: Mark, managed: list):
        tr.extra_sources.append(
            ExtraSource(
                address=eid,
                resource_type=rtype,
                source_kind=kind,
                invocation="async",
                mark=mark,
                function_id=fn,
                source_arn=props.get(source_key),
                source_arn_mark=props.mark_of(source_key) if source_key in props else None,
            )
        )
        if principal is not None:
            source = props.get(source_key) if kind == "cloudwatch_logs" else None
            _permission(tr, fn, eid, mark, principal, source, kind in ("s3", "iot"))

    return translate


_HANDLERS: dict[str, Handler] = {
    "Api": _api("rest"),
    "HttpApi": _api("http"),
    "SQS": _poll("Queue", "sqs", "AWSLambdaSQSQueueExecutionRole"),
    "Kinesis": _poll("Stream", "kinesis", "AWSLambdaKinesisExecutionRole"),
    "DynamoDB": _poll("Stream", "dynamodb", "AWSLambdaDynamoDBExecutionRole"),
    "MSK": _poll("Stream", "kafka", "AWSLambdaMSKExecutionRole"),
    "SelfManagedKafka": _poll("", "kafka", None),
    "MQ": _poll("Broker", "mq", None),
    "DocumentDB": _poll("Cluster", "docdb", None),
    "SNS": _sns,
    "Schedule": _rule,
    "EventBridgeRule": _rule,
    "CloudWatchEvent": _rule,
    "S3": _s3,
    "ScheduleV2": _schedule_v2,
    "CloudWatchLogs": _extra(
        "cloudwatch_logs", "AWS::Logs::SubscriptionFilter", "LogGroupName", "logs.amazonaws.com"
    ),
    "IoTRule": _extra("iot", "AWS::IoT::TopicRule", "Sql", "iot.amazonaws.com"),
}
