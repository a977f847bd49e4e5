"""SLS203 iam-wildcard-resource."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.iam import expand, is_full_wildcard, supports_resource_level
from sls_lint.model.rule import Rule
from sls_lint.rules.iam._conditions import scoping_condition
from sls_lint.rules.iam._statements import allow_statements, owner_label


def scopable_actions(actions: list) -> list[str]:
    """The statement's actions (as written) that grant something resource-scopable."""
    found: list[str] = []
    for action in actions:
        if not isinstance(action, str) or is_full_wildcard(action):
            continue
        if any(supports_resource_level(granted) for granted in expand(action)):
            found.append(action)
    return found


class IamWildcardResource(Rule):
    """Finds `Resource: "*"` on actions that could be limited to specific resources.

    What it finds: an `Allow` statement with `Resource: "*"` whose actions support
    resource-level permissions according to the IAM action catalogue (`s3:GetObject`,
    `dynamodb:PutItem`). Actions that only accept `*` (`xray:PutTraceSegments`,
    `ec2:DescribeNetworkInterfaces`) are not reported; `Action: "*"` is SLS201's finding.

    Why it matters: `dynamodb:DeleteItem` on `*` reaches every table in the account, not just
    the function's own.

    How to fix: name the ARNs (`!GetAtt Table.Arn`, `aws_dynamodb_table.t.arn`).

    A statement whose `Condition` limits it to one calling service or to specific resources
    is scoped and not reported: `kms:ViaService`, `aws:ViaAWSService`, `aws:CalledVia*`,
    `iam:PassedToService`, `iam:AWSServiceName`, `ec2:Subnet`, `ec2:Vpc`,
    `aws:ResourceTag/*` (and `<service>:ResourceTag/*`), `kms:RequestAlias`,
    `kms:ResourceAliases`, `kms:EncryptionContext:*`, `kms:GrantIsForAWSResource`,
    `cloudwatch:namespace`, `ecs:cluster`, `secretsmanager:SecretId`, with a positive
    operator (`StringEquals`, `StringLike`, `ArnLike`, `Bool` true...; not the `Not`,
    `IfExists`, `ForAllValues:` or `Null` forms, which let requests without the key
    through) and a value other than `*`. Account, organisation and network conditions
    (`aws:ResourceAccount`, `aws:SourceVpc`) do not scope: they still reach every resource.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Policy:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: dynamodb:PutItem
                Resource: "*"
    ```

    ```cloudformation pass
    Resources:
      Policy:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [dynamodb:PutItem]
                Resource: arn:aws:dynamodb:eu-west-1:123456789012:table/orders
              - Effect: Allow
                Action: [xray:PutTraceSegments, xray:PutTelemetryRecords]
                Resource: "*"
    ```

    ```cloudformation pass
    Resources:
      Policy:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [kms:Decrypt, kms:GenerateDataKey]
                Resource: "*"
                Condition:
                  StringEquals:
                    kms:ViaService: sqs.eu-west-1.amazonaws.com
              - Effect: Allow
                Action: ec2:TerminateInstances
                Resource: "*"
                Condition:
                  StringEquals:
                    aws:ResourceTag/team: orders
    ```

    ```cloudformation fail
    Resources:
      Policy:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: kms:Decrypt
                Resource: "*"
                Condition:
                  StringNotEquals:
                    kms:ViaService: sqs.eu-west-1.amazonaws.com
              - Effect: Allow
                Action: s3:GetObject
                Resource: "*"
                Condition:
                  StringEquals:
                    aws:ResourceAccount: "123456789012"
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
          Policies:
            - Statement:
                - Effect: Allow
                  Action: dynamodb:PutItem
                  Resource: "*"
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Orders:
        Type: AWS::Serverless::SimpleTable
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Policies:
            - DynamoDBWritePolicy:
                TableName: !Ref Orders
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
          Policies:
            - Statement:
                - Effect: Allow
                  Action: iam:PassRole
                  Resource: "*"
                  Condition:
                    StringEquals:
                      iam:PassedToService: states.amazonaws.com
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
      iam:
        role:
          statements:
            - Effect: Allow
              Action: dynamodb:PutItem
              Resource: '*'
    functions:
      hello:
        handler: handler.main
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
      iam:
        role:
          statements:
            - Effect: Allow
              Action: dynamodb:PutItem
              Resource: arn:aws:dynamodb:us-east-1:123456789012:table/items
    functions:
      hello:
        handler: handler.main
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
      iam:
        role:
          statements:
            - Effect: Allow
              Action: cloudwatch:PutMetricData
              Resource: '*'
              Condition:
                StringEquals:
                  cloudwatch:namespace: Orders
            - Effect: Allow
              Action: kms:Decrypt
              Resource: '*'
              Condition:
                Bool:
                  aws:ViaAWSService: true
    functions:
      hello:
        handler: handler.main
    ```

    ```terraform fail
    resource "aws_iam_role" "fn" {
      name = "fn"
      assume_role_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { Service = "lambda.amazonaws.com" }
          Action    = "sts:AssumeRole"
        }]
      })
    }

    resource "aws_iam_role_policy" "fn" {
      role   = aws_iam_role.fn.id
      policy = <<-EOT
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": ["dynamodb:PutItem"],
              "Resource": "*"
            }
          ]
        }
      EOT
    }
    ```

    ```terraform pass
    resource "aws_iam_role" "fn" {
      name = "fn"
      assume_role_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { Service = "lambda.amazonaws.com" }
          Action    = "sts:AssumeRole"
        }]
      })
    }

    resource "aws_iam_role_policy" "fn" {
      role   = aws_iam_role.fn.id
      policy = <<-EOT
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": ["dynamodb:PutItem"],
              "Resource": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"
            }
          ]
        }
      EOT
    }
    ```

    ```terraform pass
    resource "aws_iam_role" "fn" {
      name               = "fn"
      assume_role_policy = jsonencode({ Statement = [] })
    }

    data "aws_iam_policy_document" "fn" {
      statement {
        actions   = ["kms:Decrypt"]
        resources = ["*"]
        condition {
          test     = "StringEquals"
          variable = "kms:ViaService"
          values   = ["secretsmanager.eu-west-1.amazonaws.com"]
        }
      }
      statement {
        actions   = ["ec2:CreateNetworkInterface"]
        resources = ["*"]
        condition {
          test     = "ArnEquals"
          variable = "ec2:Subnet"
          values   = ["arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0a1b2c3d"]
        }
      }
    }

    resource "aws_iam_role_policy" "fn" {
      role   = aws_iam_role.fn.id
      policy = data.aws_iam_policy_document.fn.json
    }
    ```
    """

    id = "SLS203"
    name = "iam-wildcard-resource"
    summary = "IAM statement grants resource-scopable actions on Resource '*'"
    severity = "warning"
    security_severity = 6.5
    tags = ("security", "iam", "least-privilege", "CWE-732")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for statement in allow_statements(graph):
            resources = statement.get("resources") or ()
            wildcard_at = [i for i, r in enumerate(resources) if r == "*"]
            if not wildcard_at:
                continue
            scopable = scopable_actions(statement.get("actions") or [])
            if not scopable or scoping_condition(statement) is not None:
                continue
            unique = sorted(set(scopable))
            shown = ", ".join(unique[:3])
            more = f" and {len(unique) - 3} more" if len(unique) > 3 else ""
            index = wildcard_at[0]
            yield self.finding(
                statement,
                f"Statement of {owner_label(graph, statement)} grants {shown}{more} on "
                "Resource '*'; name the ARNs these actions need",
                at=(f"resources[{index}]", "resources"),
                path="resources",
            )
