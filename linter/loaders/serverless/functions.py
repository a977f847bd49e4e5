"""`functions:` into the Lambda resources `serverless package` generates.

Per function: `<Name>LambdaFunction` (with the provider's defaults merged in, as the framework
does), `<Name>LogGroup` (the framework owns each function's log group, so
`logRetentionInDays` is its retention), `<Name>LambdaFunctionUrl` and its public permission
for `url:`, and `<Name>LambdaEvConf` for `destinations.onFailure`.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.serverless.compiler import (
    LDict,
    Mark,
    Service,
    copy,
    function_id,
    get_att,
    mark_of,
    obj,
    put,
)
from sls_lint.loaders.serverless.iam import assign_role

DEFAULT_RUNTIME = "nodejs16.x"  # the framework's default when neither level sets one


def lambda_id(name: str) -> str:
    return f"{function_id(name)}LambdaFunction"


def compile_function(service: Service, name: str, function: LDict, key_mark: Mark) -> bool:
    """Emit one function's resources; returns whether it runs in a VPC."""
    template = service.template
    logical_id = lambda_id(name)
    props = LDict(mark=key_mark)
    copy(props, "Handler", function, "handler")
    if function.get("image") is not None:
        put(props, "PackageType", "Image", mark_of(function, "image"))
    else:
        runtime, mark = service.setting(function, "runtime")
        put(props, "Runtime", runtime if runtime is not None else DEFAULT_RUNTIME, mark)
    put(props, "FunctionName", service.function_name(name, function), mark_of(function, "name"))
    for key, cfn_key, default in (
        ("memorySize", "MemorySize", 1024),
        ("timeout", "Timeout", 6),
    ):
        value, mark = service.setting(function, key)
        put(props, cfn_key, value if value is not None else default, mark)
    for key, cfn_key in (("kmsKeyArn", "KmsKeyArn"), ("layers", "Layers")):
        value, mark = service.setting(function, key)
        if value is not None:
            put(props, cfn_key, value, mark)
    copy(props, "ReservedConcurrentExecutions", function, "reservedConcurrency")
    _tracing(service, function, props)
    _environment(service, function, props)
    in_vpc = _vpc(service, function, props)
    if function.get("onError") is not None:
        put(
            props,
            "DeadLetterConfig",
            obj(mark_of(function, "onError"), TargetArn=function["onError"]),
            mark_of(function, "onError"),
        )
    role, role_mark = assign_role(service, name, function)
    put(props, "Role", role, role_mark)
    resource = template.add(logical_id, "AWS::Lambda::Function", props, key_mark)
    if isinstance(function.get("condition"), str):
        # `condition:` becomes the function resource's CloudFormation `Condition`.
        put(resource, "Condition", function["condition"], mark_of(function, "condition"))
    if function.get("disableLogs") is not True:
        _log_group(service, name, function, key_mark)
    if function.get("url") not in (None, False):
        _url(service, name, function)
    _destinations(service, name, function)
    return in_vpc


def _tracing(service: Service, function: LDict, props: LDict) -> None:
    value: Any = None
    mark: Mark | None = None
    if function.get("tracing") is not None:
        value, mark = function["tracing"], mark_of(function, "tracing")
    else:
        tracing = service.provider.get("tracing")
        if isinstance(tracing, LDict) and tracing.get("lambda") is not None:
            value, mark = tracing["lambda"], mark_of(tracing, "lambda")
    if value is None or value is False:
        return
    mode = "Active" if value is True else value
    if isinstance(mode, str) and mode.lower() in ("active", "passthrough"):
        mode = "Active" if mode.lower() == "active" else "PassThrough"
    put(props, "TracingConfig", obj(mark or props.mark, Mode=mode), mark)


def _environment(service: Service, function: LDict, props: LDict) -> None:
    """Provider and function `environment` merged (the function's value wins)."""
    variables = LDict(mark=props.mark)
    where: Mark | None = None
    for level in (service.provider, function):
        environment = level.get("environment")
        if isinstance(environment, LDict):
            where = mark_of(level, "environment")
            for key, value in environment.items():
                variables[key] = value
                variables.key_marks[key] = environment.key_mark(key)
                variables.value_marks[key] = environment.mark_of(key)
    if where is not None:
        variables.mark = where
        put(props, "Environment", obj(where, Variables=variables), where)


def _vpc(service: Service, function: LDict, props: LDict) -> bool:
    vpc, mark = service.setting(function, "vpc")
    if not isinstance(vpc, LDict):
        return False
    config = LDict(mark=mark or props.mark)
    copy(config, "SecurityGroupIds", vpc, "securityGroupIds")
    copy(config, "SubnetIds", vpc, "subnetIds")
    put(props, "VpcConfig", config, mark)
    return True


def _log_group(service: Service, name: str, function: LDict, key_mark: Mark) -> None:
    props = LDict(mark=key_mark)
    put(props, "LogGroupName", f"/aws/lambda/{service.function_name(name, function)}", key_mark)
    retention, mark = service.setting(function, "logRetentionInDays")
    if retention is not None:
        put(props, "RetentionInDays", retention, mark)
    service.template.add(f"{function_id(name)}LogGroup", "AWS::Logs::LogGroup", props, key_mark)


def _url(service: Service, name: str, function: LDict) -> None:
    url = function["url"]
    url_mark = mark_of(function, "url")
    auth = "NONE"
    auth_mark = url_mark
    props = LDict(mark=url_mark)
    if isinstance(url, LDict):
        authorizer = url.get("authorizer")
        if authorizer == "aws_iam":
            auth = "AWS_IAM"
        if authorizer is not None:
            auth_mark = mark_of(url, "authorizer")
        if url.get("cors") not in (None, False):
            put(props, "Cors", url["cors"], mark_of(url, "cors"))
        if url.get("invokeMode") == "RESPONSE_STREAM":
            put(props, "InvokeMode", "RESPONSE_STREAM", mark_of(url, "invokeMode"))
    put(props, "AuthType", auth, auth_mark)
    put(props, "TargetFunctionArn", get_att(lambda_id(name)), url_mark)
    service.template.add(f"{lambda_id(name)}Url", "AWS::Lambda::Url", props, url_mark)
    if auth == "NONE":
        permission = obj(
            url_mark,
            FunctionName=get_att(lambda_id(name)),
            Action="lambda:InvokeFunctionUrl",
            Principal="*",
            FunctionUrlAuthType="NONE",
        )
        put(permission, "Principal", "*", auth_mark)
        service.template.add(
            f"{function_id(name)}LambdaPermissionFnUrl",
            "AWS::Lambda::Permission",
            permission,
            url_mark,
        )


def _destinations(service: Service, name: str, function: LDict) -> None:
    destinations = function.get("destinations")
    if not isinstance(destinations, LDict) or destinations.get("onFailure") is None:
        return
    mark = mark_of(destinations, "onFailure")
    target = destinations["onFailure"]
    if isinstance(target, LDict) and "arn" in target:
        target = target["arn"]
    if isinstance(target, str) and ":" not in target:
        target = get_att(lambda_id(target))  # a function of this service, by name
    props = obj(
        mark,
        FunctionName=LDict({"Ref": lambda_id(name)}),
        Qualifier="$LATEST",
        DestinationConfig=obj(mark, OnFailure=obj(mark, Destination=target)),
    )
    service.template.add(
        f"{function_id(name)}LambdaEvConf", "AWS::Lambda::EventInvokeConfig", props, mark
    )
