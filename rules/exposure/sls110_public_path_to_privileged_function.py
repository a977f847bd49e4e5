"""SLS110 public-path-to-privileged-function."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sls_lint.model.conditions import can_coexist
from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import as_list
from sls_lint.rules.exposure._entry_points import (
    entry_condition,
    open_when,
    public_entry_points,
)
from sls_lint.rules.iam._privilege import Privilege, admin_policy, privilege


class PublicPathToPrivilegedFunction(Rule):
    """Finds unauthenticated entry points that reach a function with admin-like power.

    What it finds: a route without authorization, a function URL with auth type `NONE`, or
    a `Principal: "*"` invoke permission, whose function assumes a role that can do
    anything or become anything: `Action: "*"` on `*`, `AdministratorAccess` /
    `PowerUserAccess` / `IAMFullAccess`, `iam:*` or `iam:PassRole` on `*`, or a known
    privilege-escalation combination (see SLS206). The finding is on the entry point; its
    related locations are the function and the statement (or policy) that grants the power.

    Why it matters: each half alone is a warning; together they are one bug away from
    account takeover. Any input-handling flaw in the function (injection, SSRF, a vulnerable
    dependency) hands an anonymous caller the role's credentials.

    How to fix: break the path at either end: require authorization on the entry point, or
    cut the role down to the actions and resources the function needs.

    Halves that are never deployed together are not joined: when CloudFormation `Conditions`
    (a resource's `Condition`, `Fn::Equals` on parameters with their `AllowedValues`,
    `Fn::Not`/`And`/`Or`, and the `Fn::If` branches that open the entry point or grant the
    power, as in `AuthType: !If [IsPublic, NONE, AWS_IAM]` or an admin policy attached with
    `!If [IsAdmin, ..., !Ref AWS::NoValue]`) or a Terraform `count = var.x ? 1 : 0` on each
    half (or on the module call holding it) make the entry point and the grant mutually
    exclusive, there is no path.

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
            - arn:aws:iam::aws:policy/AdministratorAccess
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: !GetAtt Role.Arn
          Code: {ZipFile: x}
      Url:
        Type: AWS::Lambda::Url
        Properties:
          TargetFunctionArn: !GetAtt Fn.Arn
          AuthType: NONE
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
            - arn:aws:iam::aws:policy/AdministratorAccess
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: !GetAtt Role.Arn
          Code: {ZipFile: x}
      Url:
        Type: AWS::Lambda::Url
        Properties:
          TargetFunctionArn: !GetAtt Fn.Arn
          AuthType: AWS_IAM
    ```

    ```cloudformation pass
    Parameters:
      Stage:
        Type: String
        AllowedValues: [dev, prod]
    Conditions:
      IsProd: !Equals [!Ref Stage, prod]
      IsDev: !Not [!Condition IsProd]
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      DevAdmin:
        Type: AWS::IAM::Policy
        Condition: IsDev
        Properties:
          PolicyName: admin
          Roles: [!Ref Role]
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: !GetAtt Role.Arn
          Code: {ZipFile: x}
      ProdUrl:
        Type: AWS::Lambda::Url
        Condition: IsProd
        Properties:
          TargetFunctionArn: !GetAtt Fn.Arn
          AuthType: NONE
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
          FunctionUrlConfig:
            AuthType: NONE
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
            - AdministratorAccess
          FunctionUrlConfig:
            AuthType: AWS_IAM
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Parameters:
      Public:
        Type: String
        AllowedValues: ["true", "false"]
    Conditions:
      IsPublic: !Equals [!Ref Public, "true"]
      IsPrivate: !Equals [!Ref Public, "false"]
    Resources:
      PublicFn:
        Type: AWS::Serverless::Function
        Condition: IsPublic
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Role: !GetAtt AdminRole.Arn
          FunctionUrlConfig:
            AuthType: NONE
      AdminRole:
        Type: AWS::IAM::Role
        Condition: IsPrivate
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
          ManagedPolicyArns:
            - arn:aws:iam::aws:policy/AdministratorAccess
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
        url: true
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
              Action: '*'
              Resource: '*'
    functions:
      hello:
        handler: handler.main
        url:
          authorizer: aws_iam
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
      iam:
        role:
          managedPolicies:
            - arn:aws:iam::aws:policy/ReadOnlyAccess
    functions:
      hello:
        handler: handler.main
    resources:
      Parameters:
        Mode:
          Type: String
          AllowedValues: [open, admin]
      Conditions:
        IsOpen: !Equals [!Ref Mode, open]
        IsAdmin: !Equals [!Ref Mode, admin]
      Resources:
        Anyone:
          Type: AWS::Lambda::Permission
          Condition: IsOpen
          Properties:
            FunctionName: !GetAtt HelloLambdaFunction.Arn
            Action: lambda:InvokeFunction
            Principal: "*"
        Admin:
          Type: AWS::IAM::Policy
          Condition: IsAdmin
          Properties:
            PolicyName: admin
            Roles: [!Ref IamRoleLambdaExecution]
            PolicyDocument:
              Statement:
                - {Effect: Allow, Action: "*", Resource: "*"}
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

    resource "aws_iam_role_policy" "admin" {
      role = aws_iam_role.fn.id
      policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
      })
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = aws_iam_role.fn.arn
    }

    resource "aws_lambda_function_url" "fn" {
      function_name      = aws_lambda_function.fn.function_name
      authorization_type = "NONE"
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

    resource "aws_iam_role_policy" "admin" {
      role = aws_iam_role.fn.id
      policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
      })
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = aws_iam_role.fn.arn
    }

    resource "aws_lambda_function_url" "fn" {
      function_name      = aws_lambda_function.fn.function_name
      authorization_type = "AWS_IAM"
    }
    ```

    ```terraform pass
    variable "public" {
      type = bool
    }

    resource "aws_iam_role" "fn" {
      name               = "fn"
      assume_role_policy = jsonencode({ Statement = [] })
    }

    resource "aws_iam_role_policy" "admin" {
      count  = var.public ? 0 : 1
      role   = aws_iam_role.fn.id
      policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = aws_iam_role.fn.arn
    }

    resource "aws_lambda_function_url" "fn" {
      count              = var.public ? 1 : 0
      function_name      = aws_lambda_function.fn.function_name
      authorization_type = "NONE"
    }
    ```
    """

    id = "SLS110"
    name = "public-path-to-privileged-function"
    summary = "Unauthenticated entry point reaches a function whose role has admin-like power"
    severity = "error"
    security_severity = 9.6
    tags = ("security", "exposure", "iam", "attack-path", "CWE-269", "CWE-306")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for entry in public_entry_points(graph):
            role = graph.role_of(entry.function)
            found = privilege(graph, role) if role is not None else None
            if role is None or found is None:
                continue
            halves = (entry.node, entry.function, role, found.node)
            conditions = [node.get("deploy_condition") for node in halves]
            conditions += [entry_condition(entry), _grant_condition(found)]
            if not can_coexist(conditions):
                continue  # CloudFormation Conditions / Terraform count: never deployed together
            yield self.finding(
                entry.node,
                f"Unauthenticated {entry.label} reaches {entry.function.address}, whose role "
                f"{role.address} {found.reason}; require authorization on the entry point or "
                "cut the role down to what the function needs",
                at=(entry.at,),
                related=[
                    (entry.function, f"function {entry.function.address}"),
                    (found.node.loc(found.at), f"the grant in {found.node.address}"),
                ],
                path=f"{entry.at}->{entry.function.address}",
            )


_MANAGED_ITEM = re.compile(r"managed_policy_arns\[(\d+)\]")


def _grant_condition(found: Privilege) -> Any:
    """When the grant exists: the `Fn::If` branch that attaches an admin managed policy."""
    match = _MANAGED_ITEM.fullmatch(found.at)
    if match is None:
        return None
    items = as_list(found.node.get("managed_policy_arns"))
    index = int(match.group(1))
    if index >= len(items):
        return None
    return open_when(items[index], lambda arn: admin_policy(arn) is not None)

