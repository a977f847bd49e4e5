"""SLS305 api-tracing-disabled."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import is_unknown, possible


def _on(value: object) -> bool:
    return is_unknown(value) or value is True or str(value).lower() == "true"


class ApiTracingDisabled(Rule):
    """Finds REST API stages without X-Ray tracing.

    What it finds: a REST API stage whose `TracingEnabled` is not true (SAM
    `TracingEnabled`, Serverless `provider.tracing.apiGateway`, Terraform
    `xray_tracing_enabled`). HTTP APIs do not support X-Ray and are not reported.

    Why it matters: without a trace that starts at the gateway, an investigation cannot
    follow a request from the edge through the function to the services it touched.

    How to fix: set `TracingEnabled: true` on the stage.

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
          TracingEnabled: true
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          TracingEnabled: true
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
      tracing:
        apiGateway: true
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
      xray_tracing_enabled = true
    }
    ```
    """

    id = "SLS305"
    name = "api-tracing-disabled"
    summary = "REST API stage without X-Ray tracing"
    severity = "note"
    security_severity = 2.0
    tags = ("security", "observability", "api-gateway")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for stage in graph.stages():
            if stage.get("protocol") != "rest":
                continue
            if all(_on(option) for option in possible(stage.get("tracing"))):
                continue
            api = graph.api_of(stage)
            label = f" of {api.address}" if api is not None else ""
            yield self.finding(
                stage,
                f"Stage '{stage.get('name', stage.address)}'{label} does not have X-Ray "
                "tracing enabled; enable tracing on the stage (TracingEnabled)",
                at=("tracing",),
                path="tracing",
            )
