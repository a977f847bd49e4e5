"""SLS202 iam-service-wildcard-action."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.iam import broad_wildcard
from sls_lint.model.rule import Rule
from sls_lint.rules.iam._statements import allow_statements, owner_label, who_needs


class IamServiceWildcardAction(Rule):
    """Finds IAM actions that grant a whole service, or a broad family of write actions.

    What it finds: `service:*` (`s3:*`, `dynamodb:*`), and wildcards such as `s3:Put*` or
    `dynamodb:*Item` that expand (against the IAM action catalogue) to more than one action
    including ones that change things. Read-only patterns (`s3:Get*`, `logs:Describe*`) are
    not reported.

    Why it matters: `s3:*` includes `s3:PutBucketPolicy` and `s3:DeleteBucket`; a function
    that only reads objects should not be able to make a bucket public.

    How to fix: name the actions (`s3:GetObject`, `s3:PutObject`).

    Examples
    --------
    ```cloudformation fail
    Resources:
      Policy:
        Type: AWS::IAM::Policy
        Properties:
          PolicyName: p
          Roles: [some-role]
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:*]
                Resource: arn:aws:s3:::bucket/*
    ```

    ```cloudformation pass
    Resources:
      Policy:
        Type: AWS::IAM::Policy
        Properties:
          PolicyName: p
          Roles: [some-role]
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:List*]
                Resource: arn:aws:s3:::bucket/*
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
                  Action: s3:*
                  Resource: arn:aws:s3:::bucket/*
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
            - S3ReadPolicy:
                BucketName: bucket
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
              Action: s3:*
              Resource: arn:aws:s3:::demo-bucket/*
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
              Action: s3:GetObject
              Resource: arn:aws:s3:::demo-bucket/*
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
      role = aws_iam_role.fn.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect   = "Allow"
          Action   = ["s3:*"]
          Resource = "arn:aws:s3:::bucket/*"
        }]
      })
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
      role = aws_iam_role.fn.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect   = "Allow"
          Action   = ["s3:GetObject"]
          Resource = "arn:aws:s3:::bucket/*"
        }]
      })
    }
    ```
    """

    id = "SLS202"
    name = "iam-service-wildcard-action"
    summary = "IAM statement allows a whole service or a broad action wildcard"
    severity = "warning"
    security_severity = 7.0
    tags = ("security", "iam", "least-privilege", "CWE-269")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for statement in allow_statements(graph):
            for index, action in enumerate(statement.get("actions") or ()):
                broad, granted = broad_wildcard(action)
                if not broad:
                    continue
                count = f" ({len(granted)} actions)" if granted else ""
                yield self.finding(
                    statement,
                    f"Statement of {owner_label(graph, statement)} allows '{action}'{count}; "
                    f"list the actions {who_needs(graph, statement)}",
                    at=(f"actions[{index}]", "actions"),
                    path=f"actions:{action}",
                )
