"""SLS105 function-behind-load-balancer."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Kind, ResourceGraph
from sls_lint.model.rule import Rule


class FunctionBehindLoadBalancer(Rule):
    """Finds functions invoked directly by an Application Load Balancer.

    What it finds: a Lambda target group (`TargetType: lambda`, Serverless `alb` events,
    Terraform `aws_lb_target_group` with `target_type = "lambda"`) that invokes a function.

    Why it matters: a load balancer is not an API gateway. It has no per-route authorizers,
    request validation, usage plans or throttling, so every request reaches the function,
    which must authenticate, validate and rate-limit on its own.

    How to fix: put the function behind API Gateway, or make sure the listener rule
    authenticates (`authenticate-cognito` / `authenticate-oidc`), the ALB has a WAF web ACL,
    and the function validates its input. Suppress this finding with that reason.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
      Targets:
        Type: AWS::ElasticLoadBalancingV2::TargetGroup
        Properties:
          TargetType: lambda
          Targets:
            - Id: !GetAtt Fn.Arn
    ```

    ```cloudformation pass
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
      Targets:
        Type: AWS::ElasticLoadBalancingV2::TargetGroup
        Properties:
          TargetType: ip
          Port: 443
          Protocol: HTTPS
          VpcId: vpc-123
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
      Targets:
        Type: AWS::ElasticLoadBalancingV2::TargetGroup
        Properties:
          TargetType: lambda
          Targets:
            - Id: !GetAtt Fn.Arn
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
      Targets:
        Type: AWS::ElasticLoadBalancingV2::TargetGroup
        Properties:
          TargetType: ip
          Port: 443
          Protocol: HTTPS
          VpcId: vpc-123
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
          - alb:
              listenerArn: >-
                arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo/50dc6c49/f2f7dc8e
              priority: 1
              conditions:
                path: /hello
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
    ```

    ```terraform fail
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }

    resource "aws_lb_target_group" "fn" {
      name        = "orders"
      target_type = "lambda"
    }

    resource "aws_lb_target_group_attachment" "fn" {
      target_group_arn = aws_lb_target_group.fn.arn
      target_id        = aws_lambda_function.fn.arn
    }
    ```

    ```terraform pass
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }

    resource "aws_lb_target_group" "web" {
      name        = "web"
      target_type = "ip"
      port        = 443
      protocol    = "HTTPS"
      vpc_id      = "vpc-123"
    }

    resource "aws_lb_target_group_attachment" "web" {
      target_group_arn = aws_lb_target_group.web.arn
      target_id        = "10.0.1.15"
    }
    ```
    """

    id = "SLS105"
    name = "function-behind-load-balancer"
    summary = "Function invoked by a load balancer instead of an API gateway"
    severity = "warning"
    security_severity = 5.0
    precision = "medium"
    tags = ("security", "exposure", "load-balancer")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for balancer in graph.nodes(Kind.LOAD_BALANCER):
            for fn in graph.functions_invoked_by(balancer):
                yield self.finding(
                    balancer,
                    f"Load balancer target group {balancer.address} invokes {fn.address} "
                    "directly: no API gateway authorizer, validation or throttling in front; "
                    "authenticate in the listener rule (authenticate-cognito/-oidc) or put "
                    "the function behind API Gateway",
                    related=[(fn, f"function {fn.address}")],
                    path=f"targets.{fn.address}",
                )
