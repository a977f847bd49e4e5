"""SLS301 api-access-logging-disabled."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule


class ApiAccessLoggingDisabled(Rule):
    """Finds API stages that do not write access logs.

    What it finds: a REST, HTTP or WebSocket API stage without an access log destination
    (`AccessLogSetting` / `AccessLogSettings`, SAM `AccessLogSetting(s)`, Serverless
    `provider.logs.restApi|httpApi|websocket`, Terraform `access_log_settings`).

    Why it matters: without access logs there is no record of who called what: incidents
    cannot be investigated, and abuse goes unnoticed.

    How to fix: send access logs to a CloudWatch log group (or Firehose) with a format that
    includes the request id, caller and status.

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
      Logs:
        Type: AWS::Logs::LogGroup
        Properties: {RetentionInDays: 30}
      Stage:
        Type: AWS::ApiGatewayV2::Stage
        Properties:
          ApiId: !Ref Api
          StageName: prod
          AccessLogSettings:
            DestinationArn: !GetAtt Logs.Arn
            Format: '$context.requestId $context.identity.sourceIp $context.status'
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            GetItems:
              Type: Api
              Properties: {Path: /items, Method: get}
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Api:
        AccessLogSetting:
          DestinationArn: arn:aws:logs:eu-west-1:123456789012:log-group:api-access
          Format: '$context.requestId $context.identity.sourceIp $context.status'
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            GetItems:
              Type: Api
              Properties: {Path: /items, Method: get}
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

      access_log_settings {
        destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:api-access"
        format          = jsonencode({ requestId = "$context.requestId" })
      }
    }
    ```
    """

    id = "SLS301"
    name = "api-access-logging-disabled"
    summary = "API stage without access logging"
    severity = "warning"
    security_severity = 4.0
    tags = ("security", "logging", "api-gateway", "CWE-778")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for stage in graph.stages():
            if stage.get("access_log_destination") is not None:
                continue
            api = graph.api_of(stage)
            label = f" of {api.address}" if api is not None else ""
            yield self.finding(
                stage,
                f"Stage '{stage.get('name', stage.address)}'{label} has no access logging; "
                "send access logs to a log group (or Firehose)",
                at=("access_log_destination",),
            )
