"""SLS302 api-execution-logging-disabled."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Node, ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.spelling import spelled
from sls_lint.model.values import is_unknown, possible

LOGGING_ON = ("ERROR", "INFO")
STAGE_WIDE_PATHS = ("/*", "*")


def logs_everything(setting: dict) -> bool:
    """A stage-wide method setting (`*` on `/*`) whose logging level is ERROR or INFO in
    every possible deployment (an unknown level counts as on: no guessing)."""
    if setting.get("http_method") != "*" or setting.get("resource_path") not in STAGE_WIDE_PATHS:
        return False
    level = setting.get("logging_level")
    return all(
        is_unknown(option) or str(option).upper() in LOGGING_ON for option in possible(level)
    )


class ApiExecutionLoggingDisabled(Rule):
    """Finds REST API stages without execution logging.

    What it finds: a REST API stage whose method settings do not set `LoggingLevel` to
    `ERROR` or `INFO` for every method (`HttpMethod: "*"`, `ResourcePath: "/*"`), including
    a Deployment's `StageDescription`, SAM `MethodSettings`, Serverless
    `provider.logs.restApi` execution logging and Terraform `aws_api_gateway_method_settings`.

    Why it matters: execution logs record authorizer decisions, integration errors and
    throttling inside API Gateway; access logs alone cannot explain why a request failed or
    was let through.

    How to fix: add a method setting for `*` `/*` with `LoggingLevel: ERROR` (or `INFO`), and
    keep `DataTraceEnabled` off in production (it logs bodies).

    Examples
    --------
    ```cloudformation fail
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo}
      Stage:
        Type: AWS::ApiGateway::Stage
        Properties:
          RestApiId: !Ref Api
          DeploymentId: abc123
          StageName: prod
          MethodSettings:
            - HttpMethod: "*"
              ResourcePath: "/*"
              LoggingLevel: "OFF"
    ```

    ```cloudformation pass
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo}
      Stage:
        Type: AWS::ApiGateway::Stage
        Properties:
          RestApiId: !Ref Api
          DeploymentId: abc123
          StageName: prod
          MethodSettings:
            - HttpMethod: "*"
              ResourcePath: "/*"
              LoggingLevel: ERROR
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          MethodSettings:
            - HttpMethod: "*"
              ResourcePath: "/*"
              LoggingLevel: "OFF"
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          MethodSettings:
            - HttpMethod: "*"
              ResourcePath: "/*"
              LoggingLevel: ERROR
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
      logs:
        restApi: true
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
    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
    }

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = "abc123"
      stage_name    = "prod"
    }
    ```

    ```terraform pass
    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
    }

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = "abc123"
      stage_name    = "prod"
    }

    resource "aws_api_gateway_method_settings" "all" {
      rest_api_id = aws_api_gateway_rest_api.api.id
      stage_name  = aws_api_gateway_stage.prod.stage_name
      method_path = "*/*"

      settings {
        logging_level = "INFO"
      }
    }
    ```
    """

    id = "SLS302"
    name = "api-execution-logging-disabled"
    summary = "REST API stage without execution logging"
    severity = "warning"
    security_severity = 3.5
    tags = ("security", "logging", "api-gateway", "CWE-778")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for stage in graph.stages():
            if stage.get("protocol") != "rest":
                continue
            settings = stage.get("method_settings")
            if is_unknown(settings):
                continue
            if any(logs_everything(s) for s in settings or () if isinstance(s, dict)):
                continue
            api = graph.api_of(stage)
            label = f" of {api.address}" if api is not None else ""
            yield self.finding(
                stage,
                f"Stage '{stage.get('name', stage.address)}'{label} has no execution logging "
                f"({_setting(stage)}); enable execution logging at ERROR or INFO for all methods",
                at=("method_settings",),
                path="method_settings",
            )


def _setting(stage: Node) -> str:
    """What turns execution logging on, in the words of the stage's format."""
    if stage.format == "serverless" and not stage.get("method_settings"):
        return "provider.logs.restApi with executionLogging and level ERROR or INFO"
    return f"{spelled(stage, 'LoggingLevel')} ERROR or INFO for all methods"
