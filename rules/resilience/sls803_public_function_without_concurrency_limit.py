"""SLS803 public-function-without-concurrency-limit."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.rules.exposure._entry_points import EntryPoint, public_entry_points


class PublicFunctionWithoutConcurrencyLimit(Rule):
    """Finds publicly reachable functions without reserved concurrency.

    What it finds: a function that anyone can invoke (through a route without
    authorization, a function URL with auth type `NONE`, or a `Principal: "*"` permission)
    with no `ReservedConcurrentExecutions` (Serverless `reservedConcurrency`, Terraform
    `reserved_concurrent_executions`).

    Why it matters: an unauthenticated caller can drive the function up to the account's
    whole concurrency pool: every other function in the region is throttled, and the bill
    grows with each request (denial of wallet).

    How to fix: reserve a concurrency that matches the expected peak, and add gateway
    throttling in front (SLS501).

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
      Url:
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
          ReservedConcurrentExecutions: 20
      Url:
        Type: AWS::Lambda::Url
        Properties:
          TargetFunctionArn: !GetAtt Fn.Arn
          AuthType: NONE
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
          ReservedConcurrentExecutions: 20
          FunctionUrlConfig:
            AuthType: NONE
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
        url: true
        reservedConcurrency: 10
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
      reserved_concurrent_executions = 10
    }

    resource "aws_lambda_function_url" "fn" {
      function_name      = aws_lambda_function.fn.function_name
      authorization_type = "NONE"
    }
    ```
    """

    id = "SLS803"
    name = "public-function-without-concurrency-limit"
    summary = "Publicly reachable function without reserved concurrency"
    severity = "warning"
    security_severity = 4.8
    tags = ("security", "availability", "lambda", "denial-of-wallet", "CWE-770")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        doors: dict[str, list[EntryPoint]] = {}
        for entry in public_entry_points(graph):
            doors.setdefault(entry.function.address, []).append(entry)
        for fn in graph.functions():
            entries = doors.get(fn.address)
            if not entries or fn.get("reserved_concurrency") is not None:
                continue
            yield self.finding(
                fn,
                f"Function {fn.address} is reachable without authentication ({entries[0].label}"
                f"{f' and {len(entries) - 1} more' if len(entries) > 1 else ''}) and has no "
                "reserved concurrency; reserve a concurrency matching the expected peak",
                related=[(e.node.loc(e.at), e.label) for e in entries],
                path="reserved_concurrency",
            )
