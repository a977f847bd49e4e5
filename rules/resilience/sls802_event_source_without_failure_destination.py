"""SLS802 event-source-without-failure-destination."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import possible

# Ordered streams: a poison record blocks its shard until it expires. SQS is not listed:
# failures there go to the queue's own redrive policy (dead-letter queue).
STREAM_KINDS = ("kinesis", "dynamodb", "kafka")


class EventSourceWithoutFailureDestination(Rule):
    """Finds stream event source mappings without an on-failure destination.

    What it finds: a Kinesis, DynamoDB Streams or Kafka (MSK / self-managed) event source
    mapping with no `DestinationConfig.OnFailure` (Serverless `stream.destinations.onFailure`,
    Terraform `destination_config { on_failure { ... } }`). SQS mappings are not reported:
    their failures are handled by the queue's redrive policy.

    Why it matters: a record the function cannot process is retried until it expires
    (up to a week for Kinesis), blocking its shard; when it expires it is lost without a
    trace.

    How to fix: set an on-failure destination (SQS or SNS, or S3 for Kafka), together with
    `MaximumRetryAttempts` and `BisectBatchOnFunctionError`.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Stream:
        Type: AWS::Kinesis::Stream
        Properties: {ShardCount: 1}
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
      Mapping:
        Type: AWS::Lambda::EventSourceMapping
        Properties:
          FunctionName: !Ref Fn
          EventSourceArn: !GetAtt Stream.Arn
          StartingPosition: LATEST
    ```

    ```cloudformation pass
    Resources:
      Stream:
        Type: AWS::Kinesis::Stream
        Properties: {ShardCount: 1}
      Failures:
        Type: AWS::SQS::Queue
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
      Mapping:
        Type: AWS::Lambda::EventSourceMapping
        Properties:
          FunctionName: !Ref Fn
          EventSourceArn: !GetAtt Stream.Arn
          StartingPosition: LATEST
          MaximumRetryAttempts: 3
          DestinationConfig:
            OnFailure:
              Destination: !GetAtt Failures.Arn
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Stream:
        Type: AWS::Kinesis::Stream
        Properties: {ShardCount: 1}
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            Records:
              Type: Kinesis
              Properties:
                Stream: !GetAtt Stream.Arn
                StartingPosition: LATEST
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Stream:
        Type: AWS::Kinesis::Stream
        Properties: {ShardCount: 1}
      Failures:
        Type: AWS::SQS::Queue
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            Records:
              Type: Kinesis
              Properties:
                Stream: !GetAtt Stream.Arn
                StartingPosition: LATEST
                MaximumRetryAttempts: 3
                DestinationConfig:
                  OnFailure:
                    Type: SQS
                    Destination: !GetAtt Failures.Arn
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
          - stream:
              arn: arn:aws:kinesis:us-east-1:123456789012:stream/orders
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
          - stream:
              arn: arn:aws:kinesis:us-east-1:123456789012:stream/orders
              destinations:
                onFailure: arn:aws:sqs:us-east-1:123456789012:orders-dlq
    ```

    ```terraform fail
    resource "aws_kinesis_stream" "orders" {
      name        = "orders"
      shard_count = 1
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn  = aws_kinesis_stream.orders.arn
      function_name     = aws_lambda_function.fn.arn
      starting_position = "LATEST"
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
    resource "aws_kinesis_stream" "orders" {
      name        = "orders"
      shard_count = 1
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn  = aws_kinesis_stream.orders.arn
      function_name     = aws_lambda_function.fn.arn
      starting_position = "LATEST"

      destination_config {
        on_failure {
          destination_arn = "arn:aws:sqs:eu-west-1:123456789012:orders-failures"
        }
      }
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

    id = "SLS802"
    name = "event-source-without-failure-destination"
    summary = "Stream event source mapping without an on-failure destination"
    severity = "warning"
    security_severity = 3.7
    tags = ("reliability", "lambda", "streams", "CWE-755")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for source in graph.event_sources():
            if source.get("invocation") != "poll" or source.get("source_kind") not in STREAM_KINDS:
                continue
            if not any(option is None for option in possible(source.get("on_failure"))):
                continue
            functions = graph.functions_invoked_by(source)
            target = f" of {functions[0].address}" if functions else ""
            yield self.finding(
                source,
                f"{source.get('source_kind').capitalize()} event source mapping "
                f"{source.address}{target} has no on-failure destination: records that keep "
                "failing block the shard and are then lost; set an on-failure destination "
                "with MaximumRetryAttempts",
                at=("on_failure",),
                related=[(fn, f"function {fn.address}") for fn in functions],
                path="on_failure",
            )
