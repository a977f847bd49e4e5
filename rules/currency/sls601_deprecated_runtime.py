"""SLS601 deprecated-runtime."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.runtimes import NEAR_DEPRECATION_DAYS, runtime_status
from sls_lint.model.values import possible


class DeprecatedRuntime(Rule):
    """Finds functions on a Lambda runtime that is deprecated or will be within 90 days.

    What it finds: a function whose runtime is past its deprecation date (reported at the
    rule's severity) or within 90 days of it (reported as a warning), according to the runtime
    lifecycle data shipped with cfn-lint. The message names the successor runtime.

    Why it matters: deprecated runtimes get no security patches, and AWS then blocks updates
    to the function, so a fix cannot even be deployed.

    How to fix: move to the successor runtime.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.7
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
    ```

    ```cloudformation pass
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function:
        Runtime: python3.7
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          CodeUri: src/
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function:
        Runtime: python3.13
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          CodeUri: src/
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.8
    functions:
      hello:
        handler: handler.main
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
    ```

    ```terraform fail
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.8"
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
    }
    ```
    """

    id = "SLS601"
    name = "deprecated-runtime"
    summary = "Lambda runtime past or near its deprecation date"
    severity = "error"
    security_severity = 6.0
    tags = ("security", "maintenance", "lambda", "CWE-1104")
    precision = "very-high"

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for fn in graph.functions():
            for runtime in possible(fn.get("runtime")):
                if not isinstance(runtime, str):
                    continue
                status = runtime_status(runtime)
                if status.state not in ("deprecated", "deprecating"):
                    continue
                successor = (
                    f"; move to {status.successor}"
                    if status.successor
                    else "; move to a supported runtime of the same language"
                )
                if status.state == "deprecated":
                    message = (
                        f"Function {fn.address} uses runtime {runtime}, deprecated since "
                        f"{status.deprecated_on}{successor}"
                    )
                else:
                    message = (
                        f"Function {fn.address} uses runtime {runtime}, deprecated on "
                        f"{status.deprecated_on} (within {NEAR_DEPRECATION_DAYS} days)"
                        f"{successor}"
                    )
                finding = self.finding(fn, message, at=("runtime",), path=f"runtime:{runtime}")
                if status.state == "deprecating":
                    finding.severity = "warning"
                yield finding
