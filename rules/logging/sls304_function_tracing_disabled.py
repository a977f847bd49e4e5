"""SLS304 function-tracing-disabled."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import is_unknown, possible


class FunctionTracingDisabled(Rule):
    """Finds functions without active X-Ray tracing.

    What it finds: a Lambda function whose tracing mode is not `Active` (CloudFormation
    `TracingConfig.Mode`, SAM `Tracing` incl. `Globals`, Serverless `provider.tracing.lambda`
    or `functions.*.tracing`, Terraform `tracing_config { mode = "Active" }`).

    Why it matters: traces show which downstream services a request touched; without them an
    incident investigation stops at the function's edge.

    How to fix: set tracing to `Active` (and grant `xray:PutTraceSegments`).

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
          TracingConfig:
            Mode: Active
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
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function:
        Tracing: Active
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
      tracing:
        lambda: true
    functions:
      hello:
        handler: handler.main
    ```

    ```terraform fail
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }
    ```

    ```terraform pass
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"

      tracing_config {
        mode = "Active"
      }
    }
    ```
    """

    id = "SLS304"
    name = "function-tracing-disabled"
    summary = "Lambda function without active X-Ray tracing"
    severity = "note"
    security_severity = 2.0
    tags = ("security", "observability", "lambda")
    precision = "very-high"

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for fn in graph.functions():
            mode = fn.get("tracing")
            if is_unknown(mode):
                continue
            if all(str(option).lower() == "active" for option in possible(mode)):
                continue
            shown = "not set" if mode is None else f"'{mode}'"
            yield self.finding(
                fn,
                f"Function {fn.address} does not have active tracing (mode {shown}); set "
                "tracing to Active",
                at=("tracing",),
            )
