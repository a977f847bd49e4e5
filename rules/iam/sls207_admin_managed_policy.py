"""SLS207 admin-managed-policy."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.rules.iam._privilege import admin_policies


class AdminManagedPolicy(Rule):
    """Finds roles, IAM users and groups with an AWS administrator managed policy attached.

    What it finds: `AdministratorAccess`, `PowerUserAccess` or `IAMFullAccess` in the managed
    policies of a role, user or group (CloudFormation/SAM `ManagedPolicyArns` and SAM
    `Policies`, Serverless `iam.role.managedPolicies`, Terraform `managed_policy_arns` and
    `aws_iam_role_policy_attachment` / `aws_iam_user_policy_attachment` /
    `aws_iam_group_policy_attachment`). The finding points at the list item.

    Why it matters: `AdministratorAccess` is every permission; `PowerUserAccess` is every
    permission except IAM administration; `IAMFullAccess` lets the holder grant itself
    anything. A function never needs them.

    How to fix: replace the policy with a policy listing the actions and resources the
    function uses.

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
          ManagedPolicyArns:
            - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
            - !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess
    ```

    ```cloudformation pass
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
          ManagedPolicyArns:
            - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
            - arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess
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
            - AdministratorAccess
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
            - AmazonDynamoDBReadOnlyAccess
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
      iam:
        role:
          managedPolicies:
            - arn:aws:iam::aws:policy/AdministratorAccess
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
          managedPolicies:
            - arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess
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

    resource "aws_iam_role_policy_attachment" "admin" {
      role       = aws_iam_role.fn.name
      policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
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

    resource "aws_iam_role_policy_attachment" "logs" {
      role       = aws_iam_role.fn.name
      policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    }
    ```
    """

    id = "SLS207"
    name = "admin-managed-policy"
    summary = "AdministratorAccess, PowerUserAccess or IAMFullAccess attached to a role or user"
    severity = "error"
    security_severity = 8.6
    tags = ("security", "iam", "least-privilege", "CWE-269")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for holder in graph.identities():
            for index, name in admin_policies(holder):
                yield self.finding(
                    holder,
                    f"{holder.kind.capitalize()} {holder.address} has the AWS managed policy "
                    f"{name} attached; replace it with a policy listing only the actions and "
                    "resources it needs",
                    at=(f"managed_policy_arns[{index}]", "managed_policy_arns"),
                    path=f"managed_policy_arns.{name}",
                )
