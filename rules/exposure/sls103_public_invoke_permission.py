"""SLS103 public-invoke-permission."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.spelling import spelled
from sls_lint.rules.exposure._entry_points import belongs_to_function_url, permission_is_public


class PublicInvokePermission(Rule):
    """Finds Lambda resource policies that let anyone invoke the function.

    What it finds: a Lambda permission whose principal is `*` with no `SourceArn`,
    `SourceAccount` or `PrincipalOrgID` condition narrowing who may call.

    Why it matters: any AWS account (and, for function URLs, anyone) can invoke the function
    directly, skipping the gateway and its authentication.

    How to fix: name the calling service or account as principal and add `SourceArn` /
    `SourceAccount` (or `PrincipalOrgID`).

    One problem, one finding: a permission that only applies through the function's URL
    (`FunctionUrlAuthType`, `InvokedViaFunctionUrl: true` or `lambda:InvokeFunctionUrl`, as
    SAM `FunctionUrlConfig` and Serverless `url: true` generate it) is part of the public URL
    that SLS102 reports, and is not reported again here; nor is a permission scoped to
    `FunctionUrlAuthType: NONE` on a function whose URL requires IAM (it never applies). A URL
    permission stays a finding when the function's URL is not in the scan, or when it lets
    any AWS account call a URL that requires IAM.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
      Anyone:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: "*"
    ```

    ```cloudformation pass
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
      FromPartner:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: "*"
          PrincipalOrgID: o-a1b2c3d4e5
    ```

    ```cloudformation pass
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
      Url:
        Type: AWS::Lambda::Url
        Properties:
          TargetFunctionArn: !GetAtt Fn.Arn
          AuthType: NONE
      UrlInvoke:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunctionUrl
          Principal: "*"
          FunctionUrlAuthType: NONE
      ViaUrl:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: "*"
          InvokedViaFunctionUrl: true
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
      Anyone:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: "*"
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
      FromPartner:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: "*"
          PrincipalOrgID: o-a1b2c3d4e5
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
          FunctionUrlConfig:
            AuthType: NONE
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
    resources:
      Resources:
        Anyone:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !GetAtt HelloLambdaFunction.Arn
            Action: lambda:InvokeFunction
            Principal: "*"
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        url: true
    ```

    ```terraform fail
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }

    resource "aws_lambda_permission" "anyone" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.fn.function_name
      principal     = "*"
    }
    ```

    ```terraform pass
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }

    resource "aws_lambda_permission" "org" {
      action           = "lambda:InvokeFunction"
      function_name    = aws_lambda_function.fn.function_name
      principal        = "*"
      principal_org_id = "o-a1b2c3d4e5"
    }
    ```

    ```terraform pass
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }

    resource "aws_lambda_function_url" "fn" {
      function_name      = aws_lambda_function.fn.function_name
      authorization_type = "NONE"
    }

    resource "aws_lambda_permission" "url" {
      action                 = "lambda:InvokeFunctionUrl"
      function_name          = aws_lambda_function.fn.function_name
      principal              = "*"
      function_url_auth_type = "NONE"
    }
    ```
    """

    id = "SLS103"
    name = "public-invoke-permission"
    summary = "Lambda permission for principal * without a source condition"
    severity = "error"
    security_severity = 8.8
    tags = ("security", "exposure", "lambda", "CWE-284")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for permission in graph.permissions():
            if not permission_is_public(permission):
                continue
            functions = graph.targets(permission, "allows")
            if functions and all(
                belongs_to_function_url(graph, permission, fn) for fn in functions
            ):
                continue  # the public URL's own permission: SLS102's finding
            name = functions[0].address if functions else "the function"
            yield self.finding(
                permission,
                f"Permission lets any principal invoke {name} "
                f"({spelled(permission, 'Principal')} '*' with no "
                f"{spelled(permission, 'SourceArn')}, {spelled(permission, 'SourceAccount')} "
                f"or {spelled(permission, 'PrincipalOrgID')}); name the calling service or "
                f"account as principal and add {spelled(permission, 'SourceArn')} / "
                f"{spelled(permission, 'SourceAccount')}",
                at=("principal",),
                related=[(fn, f"function {fn.address}") for fn in functions],
            )
