"""SLS501 api-throttling-missing."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Node, ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.rules.gateway._stage_settings import settings_of

LIMITS = ("throttling_burst_limit", "throttling_rate_limit")


def _limited(setting: dict) -> bool:
    return any(setting.get(limit) is not None for limit in LIMITS)


def throttled(graph: ResourceGraph, stage: Node) -> bool:
    """Stage/method/route settings with a limit, or a usage plan with a throttle."""
    if any(_limited(setting) for setting in settings_of(stage)):
        return True
    return any(plan.get("throttle") is not None for plan in graph.sources(stage, "throttles"))


class ApiThrottlingMissing(Rule):
    """Finds API stages that set no throttling limits of their own.

    What it finds: a REST, HTTP or WebSocket API stage with no throttling limit anywhere:
    no `ThrottlingRateLimit` / `ThrottlingBurstLimit` in its method settings (or a
    Deployment's `StageDescription`), no HTTP API `DefaultRouteSettings` / `RouteSettings`
    limits, and no usage plan with a `Throttle` for it (Serverless
    `provider.apiGateway.usagePlan.throttle`, Terraform `aws_api_gateway_usage_plan`).

    Why it matters: without a stage limit, the only ceiling is the account-wide quota
    shared by every API in the region. One abusive client can exhaust it, run up the
    function bill and take down unrelated APIs (denial of wallet).

    How to fix: set rate and burst limits on the stage (all methods), per route for the
    expensive ones, or through a usage plan.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Api:
        Type: AWS::ApiGatewayV2::Api
        Properties: {Name: demo, ProtocolType: HTTP}
      Stage:
        Type: AWS::ApiGatewayV2::Stage
        Properties:
          ApiId: !Ref Api
          StageName: prod
    ```

    ```cloudformation pass
    Resources:
      Api:
        Type: AWS::ApiGatewayV2::Api
        Properties: {Name: demo, ProtocolType: HTTP}
      Stage:
        Type: AWS::ApiGatewayV2::Stage
        Properties:
          ApiId: !Ref Api
          StageName: prod
          DefaultRouteSettings:
            ThrottlingBurstLimit: 200
            ThrottlingRateLimit: 100
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::HttpApi
        Properties:
          StageName: prod
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::HttpApi
        Properties:
          StageName: prod
          DefaultRouteSettings:
            ThrottlingBurstLimit: 200
            ThrottlingRateLimit: 100
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        events:
          - http:
              path: items
              method: get
              authorizer: aws_iam
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
      apiGateway:
        usagePlan:
          throttle:
            burstLimit: 200
            rateLimit: 100
    functions:
      hello:
        handler: handler.main
        events:
          - http:
              path: items
              method: get
              authorizer: aws_iam
    ```

    ```terraform fail
    resource "aws_apigatewayv2_api" "api" {
      name          = "orders"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_stage" "prod" {
      api_id      = aws_apigatewayv2_api.api.id
      name        = "prod"
      auto_deploy = true
    }
    ```

    ```terraform pass
    resource "aws_apigatewayv2_api" "api" {
      name          = "orders"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_stage" "prod" {
      api_id      = aws_apigatewayv2_api.api.id
      name        = "prod"
      auto_deploy = true

      default_route_settings {
        throttling_burst_limit = 100
        throttling_rate_limit  = 50
      }
    }
    ```
    """

    id = "SLS501"
    name = "api-throttling-missing"
    summary = "API stage without throttling limits"
    severity = "warning"
    security_severity = 4.3
    tags = ("security", "api-gateway", "availability", "CWE-770")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for stage in graph.stages():
            if throttled(graph, stage):
                continue
            api = graph.api_of(stage)
            label = f" of {api.address}" if api is not None else ""
            yield self.finding(
                stage,
                f"Stage '{stage.get('name', stage.address)}'{label} sets no throttling limits: "
                "only the account-wide quota stands between a flood of requests and the "
                "function; set rate and burst limits on the stage or a usage plan",
                at=("method_settings",),
                path="throttling",
            )
