"""`AWS::Serverless::Function` (and the role-bearing `StateMachine`) into CloudFormation.

A function becomes what SAM generates for it: the `AWS::Lambda::Function` (same logical id),
its execution role `<Fn>Role` unless `Role` is given, `<Fn>Url` plus the public permission for
`FunctionUrlConfig`, `<Fn>EventInvokeConfig`, and one set of resources per event. Properties
are copied with their marks, after `Globals` were merged in, so the graph's locations are the
lines of the SAM file.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.sam.common import (
    Translation,
    copy,
    getatt,
    new,
    put,
    ref,
    resource,
)
from sls_lint.loaders.sam.events import translate_events
from sls_lint.loaders.sam.globals import apply
from sls_lint.loaders.sam.policies import (
    BASIC_EXECUTION,
    VPC_ACCESS,
    XRAY_WRITE,
    execution_role,
)
from sls_lint.sources.located import LDict, Mark

# Properties SAM passes to AWS::Lambda::Function unchanged.
_COPIED = (
    "Runtime",
    "Handler",
    "PackageType",
    "MemorySize",
    "Timeout",
    "KmsKeyArn",
    "ReservedConcurrentExecutions",
    "CodeSigningConfigArn",
    "Layers",
    "FunctionName",
    "Environment",
    "VpcConfig",
    "LoggingConfig",
    "Architectures",
    "Description",
    "EphemeralStorage",
    "FileSystemConfigs",
    "ImageConfig",
    "SnapStart",
    "RuntimeManagementConfig",
    "Tags",
)


def translate_function(tr: Translation, logical_id: str, props: LDict, key_mark: Mark) -> None:
    """Write the CloudFormation resources of one SAM function."""
    props = apply(tr, "AWS::Serverless::Function", props)
    fn_props = new(props.mark)
    for key in _COPIED:
        if key in props:  # most of the ~20 keys are absent: skip the call
            copy(fn_props, props, key)
    if "PackageType" not in props and "ImageUri" in props:
        put(fn_props, "PackageType", "Image", props.mark_of("ImageUri"))
    if "Tracing" in props:
        put(fn_props, "TracingConfig", new(props.mark_of("Tracing")), props.key_mark("Tracing"))
        copy(fn_props["TracingConfig"], props, "Tracing", "Mode")
    dlq = props.get("DeadLetterQueue")
    if isinstance(dlq, LDict):
        put(fn_props, "DeadLetterConfig", new(dlq.mark), props.key_mark("DeadLetterQueue"))
        copy(fn_props["DeadLetterConfig"], dlq, "TargetArn")
    managed = translate_events(tr, logical_id, props.get("Events"), props, key_mark)
    if "Role" in props:
        copy(fn_props, props, "Role")
    else:
        role_id = execution_role(
            tr,
            logical_id,
            props,
            key_mark,
            "lambda.amazonaws.com",
            _implicit(props, key_mark) + managed,
        )
        put(fn_props, "Role", getatt(role_id, "Arn", key_mark), key_mark)
    tr.replace(logical_id, resource("AWS::Lambda::Function", key_mark, fn_props), key_mark)
    _function_url(
        tr, logical_id, props.get("FunctionUrlConfig"), props.key_mark("FunctionUrlConfig")
    )
    _invoke_config(
        tr, logical_id, props.get("EventInvokeConfig"), props.key_mark("EventInvokeConfig")
    )


def _implicit(props: LDict, key_mark: Mark) -> list[tuple[Any, Mark]]:
    """The managed policies SAM always attaches to a generated function role."""
    managed: list[tuple[Any, Mark]] = [(BASIC_EXECUTION, key_mark)]
    if isinstance(props.get("Tracing"), str) and props["Tracing"].lower() == "active":
        managed.append((XRAY_WRITE, props.mark_of("Tracing")))
    if isinstance(props.get("VpcConfig"), dict):
        managed.append((VPC_ACCESS, props.mark_of("VpcConfig")))
    return managed


def _function_url(tr: Translation, fn: str, config: Any, mark: Mark) -> None:
    """`<Fn>Url`, and the `Principal: "*"` permission SAM adds when AuthType is NONE."""
    if config is None:
        return
    if not isinstance(config, LDict):
        tr.problem(f"FunctionUrlConfig of {fn} must be a mapping", mark)
        return
    url = new(config.mark, [("TargetFunctionArn", ref(fn, mark))])
    for key in ("AuthType", "Cors", "InvokeMode"):
        copy(url, config, key)
    tr.add(f"{fn}Url", resource("AWS::Lambda::Url", mark, url), mark, fn)
    auth = tr.resolver.resolve(config.get("AuthType"))
    if isinstance(auth, str) and auth.upper() == "NONE":
        at = config.mark_of("AuthType")
        permission = new(
            at,
            [
                ("Action", "lambda:InvokeFunctionUrl"),
                ("FunctionName", ref(fn, at)),
                ("Principal", "*"),
                ("FunctionUrlAuthType", "NONE"),
            ],
        )
        tr.add(
            f"{fn}UrlPublicPermissions",
            resource("AWS::Lambda::Permission", at, permission),
            at,
            fn,
        )


def _invoke_config(tr: Translation, fn: str, config: Any, mark: Mark) -> None:
    """`EventInvokeConfig` (async retries and destinations) as `<Fn>EventInvokeConfig`."""
    if config is None:
        return
    if not isinstance(config, LDict):
        tr.problem(f"EventInvokeConfig of {fn} must be a mapping", mark)
        return
    props = new(config.mark, [("FunctionName", ref(fn, mark))])
    destinations = config.get("DestinationConfig")
    on_failure = destinations.get("OnFailure") if isinstance(destinations, LDict) else None
    if isinstance(on_failure, LDict):
        failure = new(on_failure.mark)
        if not copy(failure, on_failure, "Destination"):
            kind = on_failure.get("Type")
            if kind in ("SQS", "SNS"):  # SAM creates the queue / topic itself
                generated = f"{fn}EventInvokeConfigOnFailure{'Queue' if kind == 'SQS' else 'Topic'}"
                put(failure, "Destination", generated, on_failure.mark_of("Type"))
        put(props, "DestinationConfig", new(destinations.mark, [("OnFailure", failure)]), mark)
    tr.add(
        f"{fn}EventInvokeConfig", resource("AWS::Lambda::EventInvokeConfig", mark, props), mark, fn
    )


def translate_state_machine(tr: Translation, logical_id: str, props: LDict, key_mark: Mark) -> None:
    """A state machine's generated role carries its `Policies` like a function's does."""
    props = apply(tr, "AWS::Serverless::StateMachine", props)
    sm_props = new(props.mark)
    for key in ("Name", "Type", "Logging", "Tracing", "Definition", "DefinitionUri"):
        copy(sm_props, props, key)
    if "Role" in props:
        copy(sm_props, props, "Role")
    elif "Policies" in props:
        role_id = execution_role(tr, logical_id, props, key_mark, "states.amazonaws.com", [])
        put(sm_props, "RoleArn", getatt(role_id, "Arn", key_mark), key_mark)
    tr.replace(
        logical_id, resource("AWS::StepFunctions::StateMachine", key_mark, sm_props), key_mark
    )
