"""SLS208 shared-function-role."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule


class SharedFunctionRole(Rule):
    """Finds one IAM role assumed by several functions.

    What it finds: a role that two or more functions of the application assume (each
    function counted once), such as the Serverless Framework's default
    `IamRoleLambdaExecution` shared by every function, or one `aws_iam_role` passed to
    several `aws_lambda_function`s.

    Why it matters: a shared role holds the union of every function's needs, so each
    function can do what any of them can. A flaw in the smallest function exposes the
    permissions of the most powerful one.

    How to fix: give each function its own role with only the permissions it uses
    (Serverless: `serverless-iam-roles-per-function` or per-function `role`; SAM: per-function
    `Policies`).

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
      Reader:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: read.handler
          Role: !GetAtt Role.Arn
          Code: {ZipFile: x}
      Writer:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: write.handler
          Role: !GetAtt Role.Arn
          Code: {ZipFile: x}
    ```

    ```cloudformation pass
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Reader:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: read.handler
          Role: !GetAtt Role.Arn
          Code: {ZipFile: x}
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Reader:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: read.handler
          CodeUri: src/
          Role: !GetAtt Role.Arn
      Writer:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: write.handler
          CodeUri: src/
          Role: !GetAtt Role.Arn
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Reader:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: read.handler
          CodeUri: src/
      Writer:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: write.handler
          CodeUri: src/
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
      world:
        handler: handler.world
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
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

    resource "aws_lambda_function" "orders" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = aws_iam_role.fn.arn
    }

    resource "aws_lambda_function" "billing" {
      function_name = "billing"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = aws_iam_role.fn.arn
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

    resource "aws_iam_role" "billing" {
      name = "billing"
      assume_role_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { Service = "lambda.amazonaws.com" }
          Action    = "sts:AssumeRole"
        }]
      })
    }

    resource "aws_lambda_function" "orders" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = aws_iam_role.fn.arn
    }

    resource "aws_lambda_function" "billing" {
      function_name = "billing"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = aws_iam_role.billing.arn
    }
    ```
    """

    id = "SLS208"
    name = "shared-function-role"
    summary = "One IAM role assumed by several functions"
    severity = "note"
    security_severity = 3.5
    tags = ("security", "iam", "least-privilege")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for role in graph.roles():
            functions = {fn.address: fn for fn in graph.functions_assuming(role)}
            if len(functions) < 2:
                continue
            names = sorted(functions)
            shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
            yield self.finding(
                role,
                f"Role {role.address} is assumed by {len(names)} functions ({shown}); each "
                "can use the permissions any of them needs; give each function its own role",
                related=[(functions[name], f"function {name}") for name in names],
            )
