"""SLS101 route-without-authorization."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.rules.exposure._entry_points import route_is_public


class RouteWithoutAuthorization(Rule):
    """Finds API routes that anyone on the internet can call without credentials.

    What it finds: a REST method, HTTP API route or WebSocket `$connect` route whose
    authorization is `NONE`: no IAM, no Cognito/JWT authorizer, no Lambda authorizer and no
    API key. That includes SAM `Api`/`HttpApi` events without `Auth` on an API without a
    default authorizer, and Serverless Framework `http`/`httpApi` events without `authorizer`.
    `OPTIONS` (CORS pre-flight) is exempt, and so are routes of private (VPC-only) REST APIs.

    Why it matters: the function behind the route runs for any caller, with its role's
    permissions; abuse costs money and leaks data.

    How to fix: attach an authorizer (Cognito, JWT, Lambda) or `AWS_IAM`, or set a default
    authorizer on the API.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo}
      GetItems:
        Type: AWS::ApiGateway::Method
        Properties:
          RestApiId: !Ref Api
          ResourceId: !GetAtt Api.RootResourceId
          HttpMethod: GET
          AuthorizationType: NONE
    ```

    ```cloudformation pass
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo}
      GetItems:
        Type: AWS::ApiGateway::Method
        Properties:
          RestApiId: !Ref Api
          ResourceId: !GetAtt Api.RootResourceId
          HttpMethod: GET
          AuthorizationType: AWS_IAM
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
              Properties:
                Path: /items
                Method: get
                Auth:
                  Authorizer: AWS_IAM
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
          - http: GET items
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
    resource "aws_apigatewayv2_api" "api" {
      name          = "orders"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_integration" "fn" {
      api_id           = aws_apigatewayv2_api.api.id
      integration_type = "AWS_PROXY"
      integration_uri  = aws_lambda_function.fn.invoke_arn
    }

    resource "aws_apigatewayv2_route" "post" {
      api_id    = aws_apigatewayv2_api.api.id
      route_key = "POST /orders"
      target    = "integrations/${aws_apigatewayv2_integration.fn.id}"
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }
    ```

    ```terraform pass
    resource "aws_apigatewayv2_api" "api" {
      name          = "orders"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_integration" "fn" {
      api_id           = aws_apigatewayv2_api.api.id
      integration_type = "AWS_PROXY"
      integration_uri  = aws_lambda_function.fn.invoke_arn
    }

    resource "aws_apigatewayv2_authorizer" "jwt" {
      api_id           = aws_apigatewayv2_api.api.id
      authorizer_type  = "JWT"
      identity_sources = ["$request.header.Authorization"]
      name             = "cognito"
    }

    resource "aws_apigatewayv2_route" "post" {
      api_id             = aws_apigatewayv2_api.api.id
      route_key          = "POST /orders"
      target             = "integrations/${aws_apigatewayv2_integration.fn.id}"
      authorization_type = "JWT"
      authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }
    ```
    """

    id = "SLS101"
    name = "route-without-authorization"
    summary = "API route reachable without any authorization"
    severity = "error"
    security_severity = 8.2
    tags = ("security", "exposure", "api-gateway", "CWE-306")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for route in graph.routes():
            if route.get("protocol") == "websocket" and route.get("path") != "$connect":
                continue  # API Gateway only authorizes the $connect route of a WebSocket API
            if not route_is_public(graph, route):
                continue
            functions = graph.functions_invoked_by(route)
            target = f" invokes {functions[0].address} and" if functions else ""
            label = f"{route.get('method', '?')} {route.get('path', '?')}"
            yield self.finding(
                route,
                f"Route {label}{target} has no authorization: anyone can call it; attach an "
                "authorizer (Cognito, JWT, Lambda or AWS_IAM) or a default one on the API",
                at=("authorization_type",),
                related=[(fn, f"function {fn.address}") for fn in functions],
            )
