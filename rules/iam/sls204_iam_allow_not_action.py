"""SLS204 iam-allow-not-action."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.rules.iam._statements import allow_statements, owner_label


class IamAllowNotAction(Rule):
    """Finds `Allow` statements written with `NotAction` or `NotResource`.

    What it finds: an `Allow` statement of a role or policy that uses `NotAction` ("every
    action except ...") or `NotResource` ("every resource except ..."). `Deny` statements
    with `NotAction` are a legitimate guard-rail pattern and are not reported; nor are trust
    policies.

    Why it matters: an allow-list written as a deny-list grants everything that is not
    named, including every action AWS adds in future. `NotAction: iam:*` still allows
    deleting every table and reading every secret.

    How to fix: list the actions (and resources) that are allowed, with `Action` and
    `Resource`.

    A key that is `null` is not set: Terraform drops an argument that evaluates to `null`
    (`not_actions = try(statement.value.not_actions, null)` in a `dynamic "statement"` block,
    as the terraform-aws-modules write it), so only statements that really name `NotAction`
    are reported.

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
                NotAction: iam:*
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
                Action: dynamodb:GetItem
                Resource: arn:aws:dynamodb:eu-west-1:123456789012:table/orders
              - Effect: Deny
                NotAction: dynamodb:GetItem
                Resource: "*"
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
                  NotAction: iam:*
                  Resource: "*"
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
                  Action: dynamodb:GetItem
                  Resource: arn:aws:dynamodb:eu-west-1:123456789012:table/orders
                - Effect: Deny
                  NotAction: dynamodb:GetItem
                  Resource: "*"
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
              NotAction: iam:*
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
              Action: sqs:SendMessage
              Resource: arn:aws:sqs:us-east-1:123456789012:jobs
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

    data "aws_iam_policy_document" "fn" {
      statement {
        not_actions = ["iam:*"]
        resources   = ["*"]
      }
    }

    resource "aws_iam_role_policy" "fn" {
      role   = aws_iam_role.fn.id
      policy = data.aws_iam_policy_document.fn.json
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

    data "aws_iam_policy_document" "fn" {
      statement {
        effect      = "Deny"
        not_actions = ["s3:GetObject"]
        resources   = ["*"]
      }
    }

    resource "aws_iam_role_policy" "fn" {
      role   = aws_iam_role.fn.id
      policy = data.aws_iam_policy_document.fn.json
    }
    ```

    ```terraform pass
    variable "policy_statements" {
      default = {
        read = { effect = "Allow", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"] }
      }
    }
    resource "aws_iam_role" "fn" {
      name               = "fn"
      assume_role_policy = jsonencode({ Statement = [] })
    }
    data "aws_iam_policy_document" "fn" {
      dynamic "statement" {
        for_each = var.policy_statements
        content {
          effect        = try(statement.value.effect, null)
          actions       = try(statement.value.actions, null)
          not_actions   = try(statement.value.not_actions, null)
          resources     = lookup(statement.value, "resources", null)
          not_resources = lookup(statement.value, "not_resources", null)
        }
      }
    }
    resource "aws_iam_role_policy" "fn" {
      role   = aws_iam_role.fn.id
      policy = data.aws_iam_policy_document.fn.json
    }
    ```
    """

    id = "SLS204"
    name = "iam-allow-not-action"
    summary = "IAM Allow statement uses NotAction or NotResource"
    severity = "warning"
    security_severity = 7.0
    tags = ("security", "iam", "least-privilege", "CWE-732")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for statement in allow_statements(graph):
            for attr, word in (("not_actions", "NotAction"), ("not_resources", "NotResource")):
                if statement.get(attr) is None:
                    continue
                word = (statement.get("written_keys") or {}).get(attr, word)
                yield self.finding(
                    statement,
                    f"Statement of {owner_label(graph, statement)} allows with {word}: it "
                    "grants everything not listed, including what AWS adds later; list the "
                    "allowed actions and resources instead",
                    at=(attr,),
                )
