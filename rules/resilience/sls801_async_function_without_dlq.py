"""SLS801 async-function-without-dlq."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import possible


def _absent(value: object) -> bool:
    """Some possible deployment leaves it unset (an Unknown counts as set)."""
    return any(option is None or option == "" for option in possible(value))


class AsyncFunctionWithoutDlq(Rule):
    """Finds asynchronously invoked functions that drop events that keep failing.

    What it finds: a function invoked asynchronously (SNS, S3 notifications, EventBridge
    rules and schedules; Serverless `sns`/`s3`/`schedule`/`eventBridge` events; SAM `SNS`,
    `S3`, `EventBridgeRule`, `Schedule` events; Terraform `aws_sns_topic_subscription`,
    `aws_s3_bucket_notification`, `aws_cloudwatch_event_target`) that has neither a
    dead-letter queue (`DeadLetterConfig`) nor an on-failure destination
    (`AWS::Lambda::EventInvokeConfig`, Serverless `destinations.onFailure`).

    Why it matters: Lambda retries an asynchronous event twice and then discards it. Without
    a DLQ or destination, a bug or an outage silently loses orders, uploads or audit events,
    and nobody can replay them.

    How to fix: add an on-failure destination (SQS, SNS, EventBridge) or a dead-letter queue,
    and alarm on it.

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
      Nightly:
        Type: AWS::Events::Rule
        Properties:
          ScheduleExpression: rate(1 day)
          Targets:
            - Id: fn
              Arn: !GetAtt Fn.Arn
    ```

    ```cloudformation pass
    Resources:
      Failures:
        Type: AWS::SQS::Queue
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
          DeadLetterConfig:
            TargetArn: !GetAtt Failures.Arn
      Nightly:
        Type: AWS::Events::Rule
        Properties:
          ScheduleExpression: rate(1 day)
          Targets:
            - Id: fn
              Arn: !GetAtt Fn.Arn
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
            Nightly:
              Type: Schedule
              Properties:
                Schedule: rate(1 day)
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Failures:
        Type: AWS::SQS::Queue
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          DeadLetterQueue:
            Type: SQS
            TargetArn: !GetAtt Failures.Arn
          Events:
            Nightly:
              Type: Schedule
              Properties:
                Schedule: rate(1 day)
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
          - sns: arn:aws:sns:us-east-1:123456789012:orders
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        destinations:
          onFailure: arn:aws:sqs:us-east-1:123456789012:orders-dlq
        events:
          - sns: arn:aws:sns:us-east-1:123456789012:orders
    ```

    ```terraform fail
    resource "aws_sns_topic" "orders" {
      name = "orders"
    }

    resource "aws_sns_topic_subscription" "fn" {
      topic_arn = aws_sns_topic.orders.arn
      protocol  = "lambda"
      endpoint  = aws_lambda_function.fn.arn
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
    resource "aws_sns_topic" "orders" {
      name = "orders"
    }

    resource "aws_sns_topic_subscription" "fn" {
      topic_arn = aws_sns_topic.orders.arn
      protocol  = "lambda"
      endpoint  = aws_lambda_function.fn.arn
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"

      dead_letter_config {
        target_arn = "arn:aws:sqs:eu-west-1:123456789012:orders-dlq"
      }
    }
    ```
    """

    id = "SLS801"
    name = "async-function-without-dlq"
    summary = "Asynchronously invoked function without a DLQ or on-failure destination"
    severity = "warning"
    security_severity = 3.7
    tags = ("reliability", "lambda", "async", "CWE-755")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for fn in graph.functions():
            sources = [
                s
                for s in graph.sources(fn, "invokes", "event_source")
                if s.get("invocation") == "async"
            ]
            if not sources:
                continue
            if not (_absent(fn.get("dead_letter_target")) and _absent(fn.get("on_failure"))):
                continue
            kinds = sorted({str(s.get("source_kind", "event")) for s in sources})
            yield self.finding(
                fn,
                f"Function {fn.address} is invoked asynchronously ({', '.join(kinds)}) but has "
                "no dead-letter queue or on-failure destination: failed events are dropped; "
                "add an on-failure destination or a dead-letter queue",
                related=[
                    (s, f"{s.get('source_kind', 'event')} source {s.address}") for s in sources
                ],
                path="on_failure",
            )
