"""SLS208 shared-function-role."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Node, ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import Unknown


class SharedFunctionRole(Rule):
    """Finds one IAM role assumed by several functions.

    What it finds: a role that two or more functions of the application assume (each
    function counted once), such as the Serverless Framework's default
    `IamRoleLambdaExecution` shared by every function, or one `aws_iam_role` passed to
    several `aws_lambda_function`s. A role defined elsewhere counts too when the functions name
    it by the same value: the same ARN literal, the same `!Ref` parameter or `!ImportValue`
    export, the same Terraform `var.role_arn` or data source (`data.aws_iam_role.x.arn`).

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
            yield self.finding(
                role,
                f"Role {role.address} is assumed by {len(names)} functions ({_shown(names)}); "
                "each can use the permissions any of them needs; give each function its own role",
                related=[(functions[name], f"function {name}") for name in names],
            )
        for label, functions in _shared_by_value(graph):
            names = sorted(functions)
            first = functions[names[0]]
            yield self.finding(
                first,
                f"Functions {_shown(names)} all run with the same role ({label}); each can use "
                "the permissions any of them needs; give each function its own role",
                at=("role",),
                related=[(functions[name].loc("role"), f"function {name}") for name in names[1:]],
                path=f"shared-role:{label}",
            )


def _shown(names: list[str]) -> str:
    return ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def _shared_by_value(graph: ResourceGraph) -> list[tuple[str, dict[str, Node]]]:
    """Functions with no role node in the graph that name the same role by value: the same
    ARN (literal, or a parameter default), the same parameter or import, the same Terraform
    variable or data source. Each group of two or more, ordered by label."""
    groups: dict[str, dict[str, Node]] = {}
    for fn in graph.functions():
        if graph.role_of(fn) is not None:
            continue
        label = _role_label(fn.get("role"))
        if label is not None:
            groups.setdefault(label, {})[fn.address] = fn
    return sorted((label, fns) for label, fns in groups.items() if len(fns) > 1)


def _role_label(role: object) -> str | None:
    """How a role given by value reads in a message, or None when it says nothing about which
    role it is (a computed value, both branches of a condition)."""
    if isinstance(role, str) and role.strip():
        return role
    if isinstance(role, Unknown) and role.source:
        return role.source
    return None
