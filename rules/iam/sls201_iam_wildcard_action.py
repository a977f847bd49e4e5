"""SLS201 iam-wildcard-action."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.iam import is_full_wildcard
from sls_lint.model.rule import Rule
from sls_lint.rules.iam._statements import allow_statements, owner_label


class IamWildcardAction(Rule):
    """Finds IAM statements that allow every action of every service.

    What it finds: `Action: "*"` (or `*:*`) in an `Allow` statement of a role or policy, in
    any form: CloudFormation/SAM inline policies, Serverless `iam.role.statements`, Terraform
    `aws_iam_policy_document`, `jsonencode` or heredoc JSON.

    Why it matters: the function can do anything its account allows: read every secret,
    delete every table, create users. One injected request becomes account takeover.

    How to fix: list the actions the function needs (`dynamodb:GetItem`, `s3:GetObject`).

    Examples
    --------
    ```cloudformation fail
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
          Policies:
            - PolicyName: all
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: "*"
                    Resource: arn:aws:s3:::bucket/*
    ```

    ```cloudformation pass
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
          Policies:
            - PolicyName: read
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: s3:GetObject
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
                  Action: "*"
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
            - Statement:
                - Effect: Allow
                  Action: s3:GetObject
                  Resource: arn:aws:s3:::bucket/*
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
              Action: '*'
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
              Action: dynamodb:GetItem
              Resource: arn:aws:dynamodb:us-east-1:123456789012:table/items
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
        actions   = ["s3:GetObject", "*"]
        resources = ["arn:aws:s3:::bucket/*"]
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
        actions   = ["s3:GetObject"]
        resources = ["arn:aws:s3:::bucket/*"]
      }
    }

    resource "aws_iam_role_policy" "fn" {
      role   = aws_iam_role.fn.id
      policy = data.aws_iam_policy_document.fn.json
    }
    ```
    """

    id = "SLS201"
    name = "iam-wildcard-action"
    summary = "IAM statement allows every action ('*')"
    severity = "error"
    security_severity = 9.0
    tags = ("security", "iam", "least-privilege", "CWE-269")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for statement in allow_statements(graph):
            for index, action in enumerate(statement.get("actions") or ()):
                if is_full_wildcard(action):
                    yield self.finding(
                        statement,
                        f"Statement of {owner_label(graph, statement)} allows every action "
                        f"(Action '{action}'); list the actions the function needs",
                        at=(f"actions[{index}]", "actions"),
                        path="actions",
                    )
