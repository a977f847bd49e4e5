"""SLS206 iam-privilege-escalation."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.rules.iam._privilege import escalations, owner_statements


class IamPrivilegeEscalation(Rule):
    """Finds roles and policies whose permissions allow privilege escalation.

    What it finds: a role (or a policy no role in the template holds) that is allowed, on
    `Resource: "*"` and without conditions, one of the known escalation paths: rewriting
    policies (`iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`,
    `iam:Attach*Policy`, `iam:Put*Policy`), minting credentials (`iam:CreateAccessKey`,
    `iam:CreateLoginProfile`), rewriting trust (`iam:UpdateAssumeRolePolicy`), passing a role
    to new compute (`iam:PassRole` + `lambda:CreateFunction` + `lambda:InvokeFunction` or
    `lambda:CreateEventSourceMapping`, `iam:PassRole` + `ec2:RunInstances`), replacing
    other functions' code (`lambda:UpdateFunctionCode`) or assuming any role
    (`sts:AssumeRole`). The actions of a combination may come from different statements and
    policies of the same role. `Action: "*"` is SLS201's finding.

    Why it matters: each of these turns the role into an administrator with one API call;
    the role's nominal scope is meaningless.

    How to fix: scope these actions to the specific ARNs they are meant for, or move
    administration of IAM out of the application's roles.

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
            - PolicyName: deploy
              PolicyDocument:
                Statement:
                  - {Effect: Allow, Action: iam:PassRole, Resource: "*"}
            - PolicyName: functions
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: [lambda:CreateFunction, lambda:InvokeFunction]
                    Resource: "*"
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
            - PolicyName: functions
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: [lambda:CreateFunction, lambda:InvokeFunction]
                    Resource: "*"
                  - Effect: Allow
                    Action: iam:PassRole
                    Resource: arn:aws:iam::123456789012:role/worker
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
                - {Effect: Allow, Action: iam:PassRole, Resource: "*"}
                - Effect: Allow
                  Action: [lambda:CreateFunction, lambda:InvokeFunction]
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
                  Action: [lambda:CreateFunction, lambda:InvokeFunction]
                  Resource: "*"
                - Effect: Allow
                  Action: iam:PassRole
                  Resource: arn:aws:iam::123456789012:role/worker
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
            - Effect: Allow
              Action: [lambda:CreateFunction, lambda:InvokeFunction]
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
              Action: lambda:InvokeFunction
              Resource: arn:aws:lambda:us-east-1:123456789012:function:worker
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
        actions   = ["iam:CreatePolicyVersion"]
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
        actions   = ["iam:GetPolicyVersion"]
        resources = ["*"]
      }
    }

    resource "aws_iam_role_policy" "fn" {
      role   = aws_iam_role.fn.id
      policy = data.aws_iam_policy_document.fn.json
    }
    ```
    """

    id = "SLS206"
    name = "iam-privilege-escalation"
    summary = "IAM permissions that allow privilege escalation"
    severity = "error"
    security_severity = 8.8
    tags = ("security", "iam", "privilege-escalation", "CWE-269")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for owner, role, statements in owner_statements(graph):
            paths = escalations(statements, full_wildcard=False)
            if not paths:
                continue
            description, grants = paths[0]
            actions = " + ".join(grant.pattern for grant in grants)
            more = f" (and {len(paths) - 1} more escalation paths)" if len(paths) > 1 else ""
            first = grants[0]
            yield self.finding(
                first.statement,
                f"{owner[0].upper()}{owner[1:]} can {description} via {actions} on "
                f"Resource '*'{more}; scope these actions to the ARNs they are meant for",
                at=(first.at, "actions"),
                related=[
                    (grant.statement.loc(grant.at), f"{grant.pattern} in {grant.statement.address}")
                    for grant in grants[1:]
                ]
                + ([(role, f"{role.kind} {role.address}")] if role is not None else []),
                path=f"escalation:{owner}",
            )
