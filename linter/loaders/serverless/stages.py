"""The APIs and stages a service's API events imply, with `provider.logs` / `tracing` applied.

`provider.logs.restApi` and `provider.tracing.apiGateway` are applied to the REST stage by the
framework through the API Gateway SDK after deployment, not in CloudFormation; they are modelled
here as a `StageDescription`, which is what the deployed stage ends up with. The HTTP API and
WebSocket stages carry their settings in CloudFormation, as the framework writes them.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.serverless.compiler import (
    LDict,
    Mark,
    Service,
    function_id,
    get_att,
    located_list,
    mark_of,
    normalize,
    obj,
    put,
    ref,
)

REST_API = "ApiGatewayRestApi"
_DEFAULT_ACCESS_FORMAT = (
    "requestId: $context.requestId, ip: $context.identity.sourceIp, "
    "caller: $context.identity.caller, user: $context.identity.user, "
    "requestTime: $context.requestTime, httpMethod: $context.httpMethod, "
    "resourcePath: $context.resourcePath, status: $context.status"
)


def _logs(service: Service, key: str) -> tuple[Any, Mark | None]:
    logs = service.provider.get("logs")
    if isinstance(logs, LDict) and logs.get(key) not in (None, False):
        return logs[key], mark_of(logs, key)
    return None, None


def _log_group(service: Service, logical_id: str, name: str, mark: Mark) -> None:
    props = obj(mark, LogGroupName=name)
    provider = service.provider
    if provider.get("logRetentionInDays") is not None:
        put(
            props,
            "RetentionInDays",
            provider["logRetentionInDays"],
            mark_of(provider, "logRetentionInDays"),
        )
    service.template.add(logical_id, "AWS::Logs::LogGroup", props, mark)


def _setting(config: Any, key: str, default: Any) -> tuple[Any, Mark | None]:
    if isinstance(config, LDict) and config.get(key) is not None:
        return config[key], mark_of(config, key)
    return default, None


def rest_api(service: Service, first_event: Mark) -> None:
    """`ApiGatewayRestApi` (unless external), its stage, log group and usage plans."""
    provider = service.provider
    gateway = provider.get("apiGateway")
    gateway = gateway if isinstance(gateway, LDict) else LDict(mark=first_event)
    external = gateway.get("restApiId") is not None
    if not external:
        _rest_api_resource(service, gateway, first_event)
    logs, logs_mark = _logs(service, "restApi")
    tracing = provider.get("tracing")
    tracing_value, tracing_mark = _setting(tracing, "apiGateway", False)
    description = LDict(mark=logs_mark or first_event)
    access_mark: Mark | None = None
    if logs is not None:
        access, access_mark = _setting(logs, "accessLogging", True)
        if access is True:
            _log_group(
                service,
                "ApiGatewayLogGroup",
                f"/aws/api-gateway/{service.name}-{service.stage}",
                logs_mark or first_event,
            )
            log_format, format_mark = _setting(logs, "format", _DEFAULT_ACCESS_FORMAT)
            put(
                description,
                "AccessLogSetting",
                obj(
                    logs_mark or first_event,
                    DestinationArn=get_att("ApiGatewayLogGroup"),
                    Format=log_format,
                ),
                logs_mark,
            )
        execution, execution_mark = _setting(logs, "executionLogging", True)
        level, level_mark = _setting(logs, "level", "INFO")
        put(
            description,
            "LoggingLevel",
            level if execution is True else "OFF",
            level_mark or execution_mark or logs_mark,
        )
        full, full_mark = _setting(logs, "fullExecutionData", True)
        put(description, "DataTraceEnabled", full is True, full_mark or logs_mark)
    put(description, "TracingEnabled", tracing_value is True, tracing_mark)
    stage_mark = access_mark or logs_mark
    deployment = obj(
        stage_mark or first_event,
        RestApiId=gateway.get("restApiId") if external else ref(REST_API),
        StageName=service.stage,
        StageDescription=description,
    )
    service.template.add(
        "ApiGatewayDeployment", "AWS::ApiGateway::Deployment", deployment, stage_mark or first_event
    )
    if not external:
        _usage_plans(service, gateway)


def _rest_api_resource(service: Service, gateway: LDict, mark: Mark) -> None:
    provider = service.provider
    name = provider.get("apiName") or f"{service.stage}-{service.name}"
    props = obj(mark, Name=name)
    endpoint, endpoint_mark = _setting(provider, "endpointType", "EDGE")
    endpoint_text = endpoint.upper() if isinstance(endpoint, str) else endpoint
    put(props, "EndpointConfiguration", obj(endpoint_mark or mark, Types=[endpoint_text]), mark)
    policy = gateway.get("resourcePolicy") or provider.get("resourcePolicy")
    if policy is not None:
        where = mark_of(gateway, "resourcePolicy") if "resourcePolicy" in gateway else mark
        put(props, "Policy", obj(where, Version="2012-10-17", Statement=policy), where)
    for key, cfn_key in (
        ("apiKeySourceType", "ApiKeySourceType"),
        ("disableDefaultEndpoint", "DisableExecuteApiEndpoint"),
        ("binaryMediaTypes", "BinaryMediaTypes"),
    ):
        if gateway.get(key) is not None:
            value = gateway[key]
            put(
                props,
                cfn_key,
                value.upper() if key == "apiKeySourceType" else value,
                mark_of(gateway, key),
            )
    service.template.add(REST_API, "AWS::ApiGateway::RestApi", props, mark)


def _usage_plans(service: Service, gateway: LDict) -> None:
    """Usage plans (with their throttle) exist when `apiKeys` or `usagePlan` are configured."""
    plan = gateway.get("usagePlan")
    if plan is None and gateway.get("apiKeys") is None:
        return
    plans: list[tuple[str, Any, Mark]] = []
    if isinstance(plan, list):
        for index, item in enumerate(plan):
            if isinstance(item, LDict) and item:
                plan_name = str(next(iter(item)))
                plans.append((plan_name, item[plan_name], mark_of(plan, index)))
    else:
        where = mark_of(gateway, "usagePlan") if plan is not None else gateway.key_mark("apiKeys")
        plans.append(("", plan, where))
    for plan_name, config, mark in plans:
        props = obj(
            mark,
            ApiStages=located_list(
                [(obj(mark, ApiId=ref(REST_API), Stage=service.stage), mark)], mark
            ),
        )
        throttle = config.get("throttle") if isinstance(config, LDict) else None
        if isinstance(throttle, LDict):
            where = mark_of(config, "throttle")
            limits = LDict(mark=where)
            for key, cfn_key in (("burstLimit", "BurstLimit"), ("rateLimit", "RateLimit")):
                if throttle.get(key) is not None:
                    put(limits, cfn_key, throttle[key], mark_of(throttle, key))
            put(props, "Throttle", limits, where)
        logical_id = f"ApiGatewayUsagePlan{normalize(plan_name)}"
        service.template.add(logical_id, "AWS::ApiGateway::UsagePlan", props, mark)


def http_api(service: Service, first_event: Mark) -> None:
    provider = service.provider
    config = provider.get("httpApi")
    config = config if isinstance(config, LDict) else LDict(mark=first_event)
    if config.get("id") is not None:
        return  # an external HTTP API: its stage and logging live elsewhere
    mark = provider.key_mark("httpApi") if "httpApi" in provider else first_event
    props = obj(mark, Name=config.get("name") or f"{service.stage}-{service.name}")
    put(props, "ProtocolType", "HTTP", mark)
    if config.get("disableDefaultEndpoint") is not None:
        put(
            props,
            "DisableExecuteApiEndpoint",
            config["disableDefaultEndpoint"],
            mark_of(config, "disableDefaultEndpoint"),
        )
    if config.get("cors") not in (None, False):
        put(props, "CorsConfiguration", config["cors"], mark_of(config, "cors"))
    service.template.add("HttpApi", "AWS::ApiGatewayV2::Api", props, mark)
    logs, logs_mark = _logs(service, "httpApi")
    stage = obj(logs_mark or mark, ApiId=ref("HttpApi"), StageName="$default", AutoDeploy=True)
    metrics, metrics_mark = _setting(config, "metrics", False)
    put(stage, "DefaultRouteSettings", obj(metrics_mark or mark, DetailedMetricsEnabled=metrics))
    if logs is not None:
        _log_group(
            service, "HttpApiLogGroup", f"/aws/http-api/{service.name}-{service.stage}", logs_mark
        )
        log_format, _ = _setting(logs, "format", _DEFAULT_ACCESS_FORMAT)
        put(
            stage,
            "AccessLogSettings",
            obj(logs_mark, DestinationArn=get_att("HttpApiLogGroup"), Format=log_format),
            logs_mark,
        )
    service.template.add("HttpApiStage", "AWS::ApiGatewayV2::Stage", stage, logs_mark or mark)
    _http_api_authorizers(service, config)


def _http_api_authorizers(service: Service, config: LDict) -> None:
    authorizers = config.get("authorizers")
    if not isinstance(authorizers, LDict):
        return
    for name, settings in authorizers.items():
        if not isinstance(settings, LDict):
            continue
        where = authorizers.key_mark(name)
        request = str(settings.get("type")).lower() == "request"
        props = obj(where, ApiId=ref("HttpApi"), Name=str(name))
        put(props, "AuthorizerType", "REQUEST" if request else "JWT", where)
        if request:
            target = settings.get("functionArn") or get_att(
                f"{function_id(str(settings.get('functionName')))}LambdaFunction"
            )
            put(props, "AuthorizerUri", target, where)
        service.template.add(
            f"HttpApiAuthorizer{function_id(str(name))}",
            "AWS::ApiGatewayV2::Authorizer",
            props,
            where,
        )


def websocket_api(service: Service, first_event: Mark) -> None:
    provider = service.provider
    name = provider.get("websocketsApiName") or f"{service.stage}-{service.name}-websockets"
    expression = provider.get("websocketsApiRouteSelectionExpression") or "$request.body.action"
    service.template.add(
        "WebsocketsApi",
        "AWS::ApiGatewayV2::Api",
        obj(first_event, Name=name, ProtocolType="WEBSOCKET", RouteSelectionExpression=expression),
        first_event,
    )
    logs, logs_mark = _logs(service, "websocket")
    mark = logs_mark or first_event
    stage = obj(mark, ApiId=ref("WebsocketsApi"), StageName=service.stage)
    if logs is not None:
        access, _ = _setting(logs, "accessLogging", True)
        execution, _ = _setting(logs, "executionLogging", True)
        level, _ = _setting(logs, "level", "INFO")
        full, _ = _setting(logs, "fullExecutionData", True)
        put(
            stage,
            "DefaultRouteSettings",
            obj(mark, DataTraceEnabled=full is True, LoggingLevel=level if execution else "OFF"),
        )
        if access is True:
            _log_group(
                service,
                "WebsocketsLogGroup",
                f"/aws/websocket/{service.name}-{service.stage}",
                mark,
            )
            log_format, _ = _setting(logs, "format", _DEFAULT_ACCESS_FORMAT)
            put(
                stage,
                "AccessLogSettings",
                obj(mark, DestinationArn=get_att("WebsocketsLogGroup"), Format=log_format),
                mark,
            )
    service.template.add("WebsocketsDeploymentStage", "AWS::ApiGatewayV2::Stage", stage, mark)
