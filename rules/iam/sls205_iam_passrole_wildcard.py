"""SLS205 iam-passrole-wildcard."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.rules.iam._privilege import granted, owner_statements


class IamPassRoleWildcard(Rule):
    """Finds `iam:PassRole` granted on every role.

    What it finds: an `Allow` of `iam:PassRole` (or `iam:Pass*`, `iam:*`) with
    `Resource: "*"` (or `NotResource`) and no `Condition`. `Action: "*"` is SLS201's finding
    and is not repeated here. A statement with a condition such as `iam:PassedToService` is
    not reported.

    Why it matters: passing a role to a service (a new function, an EC2 instance, a stack)
    runs code with that role's permissions. Passing *any* role means borrowing the most
    powerful role in the account.

    How to fix: name the role ARNs the function may pass, and add an `iam:PassedToService`
    condition.

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
                Action: iam:PassRole
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
                Action: iam:PassRole
                Resource: arn:aws:iam::123456789012:role/worker
                Condition:
                  StringEquals: {iam:PassedToService: lambda.amazonaws.com}
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
                  Action: iam:PassRole
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
                  Action: iam:PassRole
                  Resource: arn:aws:iam::123456789012:role/worker
                  Condition:
                    StringEquals: {iam:PassedToService: lambda.amazonaws.com}
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
              Action: iam:PassRole
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
              Action: iam:PassRole
              Resource: arn:aws:iam::123456789012:role/worker
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
        actions   = ["iam:PassRole"]
        resources = ["*"]
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
        actions   = ["iam:PassRole"]
        resources = ["arn:aws:iam::123456789012:role/worker"]
      }
    }

    resource "aws_iam_role_policy" "fn" {
      role   = aws_iam_role.fn.id
      policy = data.aws_iam_policy_document.fn.json
    }
    ```
    """

    id = "SLS205"
    name = "iam-passrole-wildcard"
    summary = "iam:PassRole allowed on Resource '*'"
    severity = "error"
    security_severity = 8.4
    tags = ("security", "iam", "privilege-escalation", "CWE-269")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        reported: set[str] = set()
        for owner, _role, statements in owner_statements(graph):
            grant = granted(statements, "iam:PassRole", full_wildcard=False)
            if grant is None or grant.statement.address in reported:
                continue
            reported.add(grant.statement.address)
            yield self.finding(
                grant.statement,
                f"Statement of {owner} allows iam:PassRole on every role ('{grant.pattern}' "
                "on Resource '*'): it can hand any role, even an admin one, to a service; "
                "name the role ARNs and add an iam:PassedToService condition",
                at=(grant.at, "actions"),
                path="actions",
            )
