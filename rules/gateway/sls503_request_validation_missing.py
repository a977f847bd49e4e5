"""SLS503 request-validation-missing."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule

BODY_METHODS = ("POST", "PUT", "PATCH")


class RequestValidationMissing(Rule):
    """Finds REST API methods that accept a body without request validation.

    What it finds: a REST API `POST`, `PUT` or `PATCH` method with no request validator
    (`RequestValidatorId`, SAM `RequestModel` with `ValidateBody`, Serverless
    `http.request.schemas`, Terraform `request_validator_id`). HTTP APIs have no request
    validation and are not reported.

    Why it matters: the gateway can reject malformed or oversized payloads before they
    reach (and are billed to) the function; without it, every parser bug in the function is
    reachable with any input.

    How to fix: add a request validator that validates the body against a model (JSON
    schema).

    Examples
    --------
    ```cloudformation fail
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo}
      CreateOrder:
        Type: AWS::ApiGateway::Method
        Properties:
          RestApiId: !Ref Api
          ResourceId: !GetAtt Api.RootResourceId
          HttpMethod: POST
          AuthorizationType: AWS_IAM
    ```

    ```cloudformation pass
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo}
      Validator:
        Type: AWS::ApiGateway::RequestValidator
        Properties:
          RestApiId: !Ref Api
          ValidateRequestBody: true
      CreateOrder:
        Type: AWS::ApiGateway::Method
        Properties:
          RestApiId: !Ref Api
          ResourceId: !GetAtt Api.RootResourceId
          HttpMethod: POST
          AuthorizationType: AWS_IAM
          RequestValidatorId: !Ref Validator
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
            CreateOrder:
              Type: Api
              Properties:
                Path: /orders
                Method: post
                Auth: {Authorizer: AWS_IAM}
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
            CreateOrder:
              Type: Api
              Properties:
                Path: /orders
                Method: post
                Auth: {Authorizer: AWS_IAM}
                RequestModel:
                  Model: Order
                  ValidateBody: true
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
              method: post
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
              method: post
              authorizer: aws_iam
              request:
                schemas:
                  application/json:
                    type: object
                    required: [name]
    ```

    ```terraform fail
    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
    }

    resource "aws_api_gateway_method" "post" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      resource_id   = aws_api_gateway_rest_api.api.root_resource_id
      http_method   = "POST"
      authorization = "AWS_IAM"
    }
    ```

    ```terraform pass
    resource "aws_api_gateway_request_validator" "body" {
      name                  = "body"
      rest_api_id           = aws_api_gateway_rest_api.api.id
      validate_request_body = true
    }

    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
    }

    resource "aws_api_gateway_method" "post" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      resource_id   = aws_api_gateway_rest_api.api.root_resource_id
      http_method   = "POST"
      authorization = "AWS_IAM"
      request_validator_id = aws_api_gateway_request_validator.body.id
    }
    ```
    """

    id = "SLS503"
    name = "request-validation-missing"
    summary = "REST method with a request body and no request validator"
    severity = "note"
    security_severity = 3.1
    tags = ("security", "api-gateway", "input-validation", "CWE-20")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for route in graph.routes():
            if route.get("protocol") != "rest":
                continue
            method = route.get("method")
            if not isinstance(method, str) or method.upper() not in BODY_METHODS:
                continue
            if route.get("request_validator") is not None:
                continue
            yield self.finding(
                route,
                f"Route {method.upper()} {route.get('path', '?')} accepts a body without "
                "request validation; add a request validator and a model (JSON schema) for "
                "the body",
                at=("method",),
                path="request_validator",
            )
