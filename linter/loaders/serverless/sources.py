"""Event sources that are not APIs: queues and streams (polled) and push sources (async).

Polled sources (`sqs`, `stream`, `msk`, `kafka`, `activemq`, `rabbitmq`) become event source
mappings, and the framework grants the shared role the read permissions they need. Push
sources (`sns`, `schedule`, `eventBridge`, `cloudwatchEvent`) become the subscriptions and
rules that invoke the function; `s3`, `iot`, `cognitoUserPool` and `cloudFront` have no graph
handler in CloudFormation form and are recorded directly as event sources.
"""

from __future__ import annotations

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
    obj,
    put,
)

_STREAM_ACTIONS = {
    "dynamodb": [
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:DescribeStream",
        "dynamodb:ListStreams",
    ],
    "kinesis": [
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:DescribeStreamSummary",
        "kinesis:ListShards",
    ],
}
_SQS_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
_DIRECT = {
    "s3": ("s3", "async"),
    "iot": ("iot", "async"),
    "cognitoUserPool": ("cognito", "sync"),
    "cloudFront": ("cloudfront", "sync"),
    "alexaSkill": ("alexa", "sync"),
}
_POLLED = {"msk": "kafka", "kafka": "kafka", "activemq": "mq", "rabbitmq": "mq"}


def _name_from_arn(arn: Any, index: int) -> str:
    """The resource name part of an ARN or intrinsic, as the framework derives ids from it."""
    if isinstance(arn, str):
        tail = arn.split(":")[-1]
        parts = tail.split("/")
        return parts[min(index, len(parts) - 1)] if index else parts[-1]
    if isinstance(arn, dict):
        for key in ("Fn::GetAtt", "Ref", "Fn::ImportValue"):
            value = arn.get(key)
            if isinstance(value, list) and value:
                return str(value[0])
            if isinstance(value, str):
                return value.split(".")[0]
    return "Source"


def compile_source(
    service: Service, name: str, kind: str, event: Any, index: int, mark: Mark
) -> None:
    """Compile one non-API event of function `name` (unknown kinds are ignored)."""
    fn = f"{function_id(name)}LambdaFunction"
    config = event if isinstance(event, LDict) else LDict(mark=mark)
    if kind == "sqs":
        arn = event if not isinstance(event, LDict) else config.get("arn")
        _mapping(service, name, f"SQS{alphanumeric(_name_from_arn(arn, 0))}", arn, None, mark)
        _grant(service, name, _SQS_ACTIONS, arn, mark)
    elif kind == "stream":
        arn = event if not isinstance(event, LDict) else config.get("arn")
        stream_type = config.get("type") or (
            "dynamodb" if isinstance(arn, str) and ":dynamodb:" in arn else "kinesis"
        )
        stream_name = alphanumeric(_name_from_arn(arn, 1))
        destinations = config.get("destinations")
        on_failure = destinations.get("onFailure") if isinstance(destinations, LDict) else None
        if isinstance(on_failure, LDict) and "arn" in on_failure:
            on_failure = on_failure["arn"]  # `{arn, type}`; a bare intrinsic is the ARN itself
        _mapping(
            service,
            name,
            f"{normalize(str(stream_type))}{stream_name}",
            arn,
            (on_failure, mark_of(destinations, "onFailure", mark)),
            mark,
        )
        _grant(service, name, _STREAM_ACTIONS.get(str(stream_type), []), arn, mark)
    elif kind in _POLLED:
        arn = config.get("arn") or config.get("cluster")
        _mapping(service, name, f"{normalize(kind)}{index}", arn, None, mark)
    elif kind == "sns":
        _sns(service, name, event, config, mark)
    elif kind in ("schedule", "eventBridge", "cloudwatchEvent"):
        if kind == "schedule" and isinstance(config.get("method"), str):
            return  # EventBridge Scheduler: no rule resource
        suffix = {
            "schedule": f"EventsRuleSchedule{index}",
            "eventBridge": f"EventBridgeRule{index}",
            "cloudwatchEvent": f"EventsRuleCloudWatchEvent{index}",
        }[kind]
        target = obj(mark, Arn=get_att(fn), Id=f"{name}{kind}")
        props = obj(mark, Targets=located_list([(target, mark)], mark))
        if kind == "schedule":
            put(
                props, "ScheduleExpression", event if isinstance(event, str) else config.get("rate")
            )
        service.template.add(f"{function_id(name)}{suffix}", "AWS::Events::Rule", props, mark)
        if kind == "schedule":
            service.template.extra_sources.append(
                (f"{function_id(name)}{suffix}", "schedule", "async", fn, mark)
            )
    elif kind in _DIRECT:
        source_kind, invocation = _DIRECT[kind]
        address = f"{function_id(name)}{normalize(kind)}Event{index}"
        service.template.extra_sources.append((address, source_kind, invocation, fn, mark))


def _mapping(
    service: Service,
    name: str,
    suffix: str,
    arn: Any,
    on_failure: tuple[Any, Mark] | None,
    mark: Mark,
) -> None:
    props = obj(
        mark, EventSourceArn=arn, FunctionName=get_att(f"{function_id(name)}LambdaFunction")
    )
    if arn is None:
        put(props, "SelfManagedEventSource", obj(mark, Endpoints="?"), mark)
    if on_failure is not None and on_failure[0] is not None:
        where = on_failure[1]
        put(
            props,
            "DestinationConfig",
            obj(where, OnFailure=obj(where, Destination=on_failure[0])),
            where,
        )
    service.template.add(
        f"{function_id(name)}EventSourceMapping{suffix}",
        "AWS::Lambda::EventSourceMapping",
        props,
        mark,
    )


def _grant(service: Service, name: str, actions: list[str], arn: Any, mark: Mark) -> None:
    """The read permissions the framework adds to the role of a polling function."""
    role = service.template.function_roles.get(name)
    if role is None or arn is None or not actions:
        return
    statement = obj(mark, Effect="Allow", Action=list(actions), Resource=[arn])
    service.template.role_statements.setdefault(role, []).append(statement)


def _sns(service: Service, name: str, event: Any, config: LDict, mark: Mark) -> None:
    arn = config.get("arn") if isinstance(event, LDict) else event
    topic = config.get("topicName") if isinstance(event, LDict) else None
    if isinstance(arn, str) and not arn.startswith("arn:"):
        topic, arn = arn, None
    if arn is None and not isinstance(topic, str):
        return
    topic_name = topic if isinstance(topic, str) else _name_from_arn(arn, 0)
    normalized = alphanumeric(topic_name)
    if arn is None:
        topic_id = f"SNSTopic{normalized}"
        if not service.template.has(topic_id):
            service.template.add(topic_id, "AWS::SNS::Topic", obj(mark, TopicName=topic_name), mark)
        arn = LDict({"Ref": topic_id})
    fn = get_att(f"{function_id(name)}LambdaFunction")
    service.template.add(
        f"{function_id(name)}SnsSubscription{normalized}",
        "AWS::SNS::Subscription",
        obj(mark, TopicArn=arn, Protocol="lambda", Endpoint=fn),
        mark,
    )
    service.template.add(
        f"{function_id(name)}LambdaPermission{normalized}SNS",
        "AWS::Lambda::Permission",
        obj(
            mark,
            FunctionName=fn,
            Action="lambda:InvokeFunction",
            Principal="sns.amazonaws.com",
            SourceArn=arn,
        ),
        mark,
    )
