"""SLS703 log-group-not-kms-encrypted."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.spelling import spelled
from sls_lint.model.values import possible


class LogGroupNotKmsEncrypted(Rule):
    """Finds function log groups not encrypted with a customer KMS key.

    What it finds: a log group declared for a function (CloudFormation/SAM
    `AWS::Logs::LogGroup`, Serverless's generated group, Terraform
    `aws_cloudwatch_log_group`) without `KmsKeyId` / `kms_key_id`. Functions with no
    declared log group are SLS303's concern.

    Why it matters: function logs routinely capture request payloads, personal data and
    tokens. With a customer managed key, reading them needs `kms:Decrypt` on a key you
    control, and revoking the key makes a leaked copy of the data unreadable.

    How to fix: create a KMS key whose policy allows the CloudWatch Logs service principal,
    and set `KmsKeyId` on the log group.

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
      Logs:
        Type: AWS::Logs::LogGroup
        Properties:
          LogGroupName: !Sub /aws/lambda/${Fn}
          RetentionInDays: 30
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
      Logs:
        Type: AWS::Logs::LogGroup
        Properties:
          LogGroupName: !Sub /aws/lambda/${Fn}
          RetentionInDays: 30
          KmsKeyId: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Logs:
        Type: AWS::Logs::LogGroup
        Properties:
          RetentionInDays: 30
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          LoggingConfig:
            LogGroup: !Ref Logs
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Logs:
        Type: AWS::Logs::LogGroup
        Properties:
          RetentionInDays: 30
          KmsKeyId: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
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
    functions:
      hello:
        handler: handler.main
    resources:
      extensions:
        HelloLogGroup:
          Properties:
            KmsKeyId: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    ```

    ```terraform fail
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }

    resource "aws_cloudwatch_log_group" "fn" {
      name              = "/aws/lambda/orders"
      retention_in_days = 30
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
      name              = "/aws/lambda/orders"
      retention_in_days = 30
      kms_key_id        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab"
    }
    ```
    """

    id = "SLS703"
    name = "log-group-not-kms-encrypted"
    summary = "Function log group without a customer KMS key"
    severity = "note"
    security_severity = 3.0
    tags = ("security", "logging", "encryption", "CWE-311")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        reported: set[str] = set()
        for fn in graph.functions():
            group = graph.log_group_of(fn)
            if group is None or group.address in reported:
                continue
            if all(option is not None for option in possible(group.get("kms_key_id"))):
                continue
            reported.add(group.address)
            yield self.finding(
                group,
                f"Log group {group.address} of {fn.address} is not encrypted with a customer "
                f"managed KMS key ({spelled(group, 'KmsKeyId')}); set it to a key CloudWatch Logs "
                "may use",
                at=("kms_key_id",),
                related=[(fn, f"function {fn.address}")],
                path="kms_key_id",
            )
