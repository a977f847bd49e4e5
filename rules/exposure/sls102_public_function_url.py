"""SLS102 public-function-url."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.spelling import spelled
from sls_lint.rules.exposure._entry_points import url_is_public


class PublicFunctionUrl(Rule):
    """Finds Lambda function URLs that accept unauthenticated requests.

    What it finds: a function URL with `AuthType: NONE` (SAM `FunctionUrlConfig`, Serverless
    `url: true`, Terraform `authorization_type = "NONE"`).

    Why it matters: a function URL bypasses API Gateway entirely: no authorizer, no throttling,
    no WAF, no access logs. With `NONE` anyone who learns the URL can invoke the function.

    How to fix: use `AWS_IAM` and sign requests, or put the function behind API Gateway.

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
      FnUrl:
        Type: AWS::Lambda::Url
        Properties:
          TargetFunctionArn: !GetAtt Fn.Arn
          AuthType: NONE
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
      FnUrl:
        Type: AWS::Lambda::Url
        Properties:
          TargetFunctionArn: !GetAtt Fn.Arn
          AuthType: AWS_IAM
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
          FunctionUrlConfig:
            AuthType: NONE
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
          FunctionUrlConfig:
            AuthType: AWS_IAM
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        url: true
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        url:
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

    resource "aws_lambda_function_url" "fn" {
      function_name      = aws_lambda_function.fn.function_name
      authorization_type = "NONE"
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

    resource "aws_lambda_function_url" "fn" {
      function_name      = aws_lambda_function.fn.function_name
      authorization_type = "AWS_IAM"
    }
    ```
    """

    id = "SLS102"
    name = "public-function-url"
    summary = "Function URL with auth type NONE"
    severity = "error"
    security_severity = 8.6
    tags = ("security", "exposure", "lambda", "CWE-306")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for url in graph.function_urls():
            if not url_is_public(url):
                continue
            functions = graph.functions_invoked_by(url)
            name = functions[0].address if functions else url.address
            setting = (
                "no `authorizer: aws_iam`"
                if url.format == "serverless" and url.resource_type == "AWS::Lambda::Url"
                else f"{spelled(url, 'AuthType')} NONE"
            )
            yield self.finding(
                url,
                f"Function URL of {name} has {setting}: anyone with the URL can invoke it, "
                "bypassing API Gateway; require IAM authentication (AWS_IAM), or put the function "
                "behind API Gateway",
                at=("auth_type",),
                related=[(fn, f"function {fn.address}") for fn in functions],
            )
