"""SLS502 api-waf-missing."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import possible


class ApiWafMissing(Rule):
    """Finds public REST API stages without a WAF web ACL.

    What it finds: a stage of an edge-optimized or regional REST API that no AWS WAF web
    ACL protects (`AWS::WAFv2::WebACLAssociation`, Terraform
    `aws_wafv2_web_acl_association`). Private APIs, and HTTP/WebSocket APIs (which WAF
    cannot protect), are not reported.

    Why it matters: a web ACL blocks common exploits (SQL injection, known bad inputs),
    abusive IPs and bots before they cost a function invocation.

    How to fix: associate a WAFv2 web ACL (for example with the AWS managed core rule set and
    a rate-based rule) with the stage.

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
      Acl:
        Type: AWS::WAFv2::WebACL
        Properties:
          Scope: REGIONAL
          DefaultAction: {Allow: {}}
          VisibilityConfig:
            SampledRequestsEnabled: true
            CloudWatchMetricsEnabled: true
            MetricName: acl
      Association:
        Type: AWS::WAFv2::WebACLAssociation
        Properties:
          WebACLArn: !GetAtt Acl.Arn
          ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod
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
      Association:
        Type: AWS::WAFv2::WebACLAssociation
        Properties:
          WebACLArn: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/0123
          ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod
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
    functions:
      hello:
        handler: handler.main
        events:
          - http:
              path: items
              method: get
              authorizer: aws_iam
    resources:
      Resources:
        ApiFirewall:
          Type: AWS::WAFv2::WebACLAssociation
          Properties:
            ResourceArn: !Sub >-
              arn:aws:apigateway:${AWS::Region}::/restapis/${ApiGatewayRestApi}/stages/dev
            WebACLArn: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/demo/a1b2c3
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

    resource "aws_wafv2_web_acl_association" "prod" {
      resource_arn = aws_api_gateway_stage.prod.arn
      web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc"
    }
    ```
    """

    id = "SLS502"
    name = "api-waf-missing"
    summary = "REST API stage without a WAF web ACL"
    severity = "warning"
    security_severity = 5.0
    precision = "medium"
    tags = ("security", "api-gateway", "waf")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for stage in graph.stages():
            if stage.get("protocol") != "rest":
                continue
            api = graph.api_of(stage)
            if api is not None:
                endpoint = [str(o).upper() for o in possible(api.get("endpoint_type"))]
                if endpoint and all(e == "PRIVATE" for e in endpoint):
                    continue
            if graph.web_acls_of(stage) or (api is not None and graph.web_acls_of(api)):
                continue
            label = f" of {api.address}" if api is not None else ""
            yield self.finding(
                stage,
                f"Stage '{stage.get('name', stage.address)}'{label} is not protected by a WAF "
                "web ACL; associate a WAFv2 web ACL with the stage",
                path="web_acl",
            )
