"""SLS101 route-without-authorization."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.rules.exposure._entry_points import route_is_public, route_needs_only_api_key


class RouteWithoutAuthorization(Rule):
    """Finds API routes that anyone on the internet can call without credentials.

    What it finds: a REST method, HTTP API route or WebSocket `$connect` route whose
    authorization is `NONE`: no IAM, no Cognito/JWT authorizer and no Lambda authorizer.
    That includes SAM `Api`/`HttpApi` events without `Auth` on an API without a default
    authorizer, Serverless Framework `http`/`httpApi` events without `authorizer` (or with an
    empty one), and the operations of an OpenAPI definition (CloudFormation `Body`, SAM
    `DefinitionBody` / `DefinitionUri`, Terraform `body`) without `security`, or with
    `security: []`. A route protected only by an API key (`ApiKeyRequired`, SAM
    `Auth.ApiKeyRequired`, Serverless `private: true`, an OpenAPI `apiKey` scheme) is reported
    with its own message: AWS advises against using API keys for authentication or
    authorization, since a key identifies a client but anyone holding it - every user of a
    mobile or web client - can call. `OPTIONS` (CORS pre-flight) is exempt, and so are routes
    of private (VPC-only) REST APIs and of APIs nobody can reach without credentials: with
    `DisableExecuteApiEndpoint: true` only the custom domains mapped to the API answer, and a
    domain with `MutualTlsAuthentication` only to holders of a client certificate. Mutual TLS
    on a domain while the default `execute-api` endpoint is still enabled protects nothing:
    that URL bypasses the domain.

    Why it matters: the function behind the route runs for any caller, with its role's
    permissions; abuse costs money and leaks data.

    How to fix: attach an authorizer (Cognito, JWT, Lambda) or `AWS_IAM`, or set a default
    authorizer on the API; keep an API key for metering next to a real authorizer.

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

    ```cloudformation fail
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties:
          Name: demo
          Body:
            openapi: "3.0.1"
            info: {title: demo, version: "1"}
            paths:
              /items:
                get:
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    httpMethod: POST
                    uri: "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/\
                      arn:aws:lambda:eu-west-1:123456789012:function:items/invocations"
    ```

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
          ApiKeyRequired: true
    ```

    ```cloudformation pass
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties:
          Name: demo
          Body:
            openapi: "3.0.1"
            info: {title: demo, version: "1"}
            security:
              - sigv4: []
            paths:
              /items:
                get:
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    httpMethod: POST
                    uri: "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/\
                      arn:aws:lambda:eu-west-1:123456789012:function:items/invocations"
            components:
              securitySchemes:
                sigv4:
                  type: apiKey
                  name: Authorization
                  in: header
                  x-amazon-apigateway-authtype: awsSigv4
    ```

    ```cloudformation fail
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo, EndpointConfiguration: {Types: [REGIONAL]}}
      GetItems:
        Type: AWS::ApiGateway::Method
        Properties:
          RestApiId: !Ref Api
          ResourceId: !GetAtt Api.RootResourceId
          HttpMethod: GET
          AuthorizationType: NONE
      Domain:
        Type: AWS::ApiGateway::DomainName
        Properties:
          DomainName: api.example.com
          RegionalCertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
          MutualTlsAuthentication: {TruststoreUri: s3://trust/ca.pem}
      Mapping:
        Type: AWS::ApiGateway::BasePathMapping
        Properties: {DomainName: !Ref Domain, RestApiId: !Ref Api}
    ```

    ```cloudformation pass
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties:
          Name: demo
          EndpointConfiguration: {Types: [REGIONAL]}
          DisableExecuteApiEndpoint: true
      GetItems:
        Type: AWS::ApiGateway::Method
        Properties:
          RestApiId: !Ref Api
          ResourceId: !GetAtt Api.RootResourceId
          HttpMethod: GET
          AuthorizationType: NONE
      Domain:
        Type: AWS::ApiGateway::DomainName
        Properties:
          DomainName: api.example.com
          RegionalCertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
          MutualTlsAuthentication: {TruststoreUri: s3://trust/ca.pem}
      Mapping:
        Type: AWS::ApiGateway::BasePathMapping
        Properties: {DomainName: !Ref Domain, RestApiId: !Ref Api}
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

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          Auth:
            ApiKeyRequired: true
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            GetItems:
              Type: Api
              Properties: {RestApiId: !Ref Api, Path: /items, Method: get}
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          DefinitionBody:
            swagger: "2.0"
            info: {title: demo, version: "1"}
            paths:
              /items:
                get:
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    httpMethod: POST
                    uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/\
                      2015-03-31/functions/${Fn.Arn}/invocations"
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          DisableExecuteApiEndpoint: true
          Domain:
            DomainName: api.example.com
            CertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
            EndpointConfiguration: REGIONAL
            MutualTlsAuthentication: {TruststoreUri: s3://trust/ca.pem}
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            GetItems:
              Type: Api
              Properties: {RestApiId: !Ref Api, Path: /items, Method: get}
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          Auth:
            DefaultAuthorizer: AWS_IAM
            ApiKeyRequired: true
          DefinitionBody:
            swagger: "2.0"
            info: {title: demo, version: "1"}
            paths:
              /items:
                get:
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    httpMethod: POST
                    uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/\
                      2015-03-31/functions/${Fn.Arn}/invocations"
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            GetItems:
              Type: Api
              Properties: {RestApiId: !Ref Api, Path: /items, Method: get}
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

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    custom:
      authorizer: ""
    functions:
      hello:
        handler: handler.main
        events:
          - http:
              path: items
              method: get
              authorizer: ${self:custom.authorizer}
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
      apiGateway:
        apiKeys: [web]
    functions:
      hello:
        handler: handler.main
        events:
          - http:
              path: items
              method: get
              private: true
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

    ```terraform fail
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }

    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
      body = jsonencode({
        openapi = "3.0.1"
        info    = { title = "orders", version = "1" }
        paths = {
          "/orders" = {
            post = {
              security = [{ api_key = [] }]
              x-amazon-apigateway-integration = {
                type       = "aws_proxy"
                httpMethod = "POST"
                uri        = aws_lambda_function.fn.invoke_arn
              }
            }
          }
        }
        components = {
          securitySchemes = {
            api_key = { type = "apiKey", name = "x-api-key", in = "header" }
          }
        }
      })
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

    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
      body = jsonencode({
        openapi = "3.0.1"
        info    = { title = "orders", version = "1" }
        paths = {
          "/orders" = {
            post = {
              security = [{ sigv4 = [], api_key = [] }]
              x-amazon-apigateway-integration = {
                type       = "aws_proxy"
                httpMethod = "POST"
                uri        = aws_lambda_function.fn.invoke_arn
              }
            }
          }
        }
        components = {
          securitySchemes = {
            api_key = { type = "apiKey", name = "x-api-key", in = "header" }
            sigv4 = {
              type                         = "apiKey"
              name                         = "Authorization"
              in                           = "header"
              x-amazon-apigateway-authtype = "awsSigv4"
            }
          }
        }
      })
    }
    ```

    ```terraform pass
    resource "aws_apigatewayv2_api" "api" {
      name                         = "orders"
      protocol_type                = "HTTP"
      disable_execute_api_endpoint = true
    }

    resource "aws_apigatewayv2_domain_name" "api" {
      domain_name = "api.example.com"

      domain_name_configuration {
        certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
        endpoint_type   = "REGIONAL"
        security_policy = "TLS_1_2"
      }

      mutual_tls_authentication {
        truststore_uri = "s3://trust/ca.pem"
      }
    }

    resource "aws_apigatewayv2_api_mapping" "api" {
      api_id      = aws_apigatewayv2_api.api.id
      domain_name = aws_apigatewayv2_domain_name.api.id
      stage       = "$default"
    }

    resource "aws_apigatewayv2_route" "post" {
      api_id    = aws_apigatewayv2_api.api.id
      route_key = "POST /orders"
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
            key_only = route_needs_only_api_key(graph, route)
            if not key_only and not route_is_public(graph, route):
                continue
            functions = graph.functions_invoked_by(route)
            target = f" invokes {functions[0].address} and" if functions else ""
            label = f"{route.get('method', '?')} {route.get('path', '?')}"
            if key_only:
                yield self.finding(
                    route,
                    f"Route {label}{target} is protected only by an API key: an API key "
                    "identifies a client but does not authenticate it; attach an authorizer "
                    "(Cognito, JWT, Lambda or AWS_IAM) and keep the key for metering",
                    at=("api_key_required", "authorization_type"),
                    path="authorization_type",
                    related=[(fn, f"function {fn.address}") for fn in functions],
                )
                continue
            yield self.finding(
                route,
                f"Route {label}{target} has no authorization: anyone can call it; attach an "
                "authorizer (Cognito, JWT, Lambda or AWS_IAM) or a default one on the API",
                at=("authorization_type",),
                related=[(fn, f"function {fn.address}") for fn in functions],
            )
