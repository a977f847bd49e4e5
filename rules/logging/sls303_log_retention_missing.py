"""SLS303 log-retention-missing."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import is_unknown, possible


def expires(retention: object) -> bool:
    """True when every possible value is a retention period (or cannot be known)."""
    for option in possible(retention):
        if is_unknown(option):
            continue
        if isinstance(option, bool) or not str(option).strip().isdigit():
            return False  # None, a removed property (AWS::NoValue), or nonsense
    return retention is not None


class LogRetentionMissing(Rule):
    """Finds functions whose logs are kept forever.

    What it finds: a function with no log group declared for it (Lambda then creates
    `/aws/lambda/<name>` with retention "never expire"), or whose log group has no
    `RetentionInDays` (Serverless `logRetentionInDays`, Terraform `retention_in_days`). A
    function that logs to a group named elsewhere (`LoggingConfig.LogGroup` with a literal
    name) is not reported: its retention is decided there.

    Why it matters: logs often carry personal data and tokens; keeping them forever grows
    the blast radius of a leak and breaks data-retention duties, and costs money.

    How to fix: declare the function's log group with a retention period matching your
    policy (for example 30 to 400 days).

    Examples
    --------
    ```cloudformation fail
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          FunctionName: orders
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
      Logs:
        Type: AWS::Logs::LogGroup
        Properties:
          LogGroupName: /aws/lambda/orders
    ```

    ```cloudformation pass
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          FunctionName: orders
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
      Logs:
        Type: AWS::Logs::LogGroup
        Properties:
          LogGroupName: !Sub /aws/lambda/${Fn}
          RetentionInDays: 90
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
    Resources:
      Logs:
        Type: AWS::Logs::LogGroup
        Properties:
          RetentionInDays: 90
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          LoggingConfig:
            LogGroup: !Ref Logs
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
      logRetentionInDays: 30
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
    }

    resource "aws_cloudwatch_log_group" "fn" {
      name              = "/aws/lambda/${aws_lambda_function.fn.function_name}"
      retention_in_days = 30
    }
    ```
    """

    id = "SLS303"
    name = "log-retention-missing"
    summary = "Function log group that never expires"
    severity = "note"
    security_severity = 2.0
    tags = ("security", "logging", "data-retention")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for fn in graph.functions():
            group = graph.log_group_of(fn)
            if group is None:
                if fn.get("log_group_name") is not None:
                    continue  # logs to a group managed elsewhere
                yield self.finding(
                    fn,
                    f"Function {fn.address} has no log group declared, so Lambda creates one "
                    "whose logs never expire; declare its log group with a retention period",
                    path="log_group",
                )
                continue
            if expires(group.get("retention_days")):
                continue
            yield self.finding(
                group,
                f"Log group {group.address} of {fn.address} has no retention period: its logs "
                "never expire; set a retention period (for example 30 to 400 days)",
                at=("retention_days",),
                related=[(fn, f"function {fn.address}")],
                path="retention_days",
            )
