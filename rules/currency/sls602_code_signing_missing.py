"""SLS602 code-signing-missing."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import is_unknown, possible


class CodeSigningMissing(Rule):
    """Finds zip-packaged functions deployed without a code signing configuration.

    What it finds: a function packaged as a zip archive with no `CodeSigningConfigArn`
    (SAM `CodeSigningConfigArn`, Terraform `code_signing_config_arn`). Container-image
    functions cannot use Lambda code signing and are not reported.

    Why it matters: code signing makes Lambda refuse code that your signing profile did not
    sign, so a stolen deployment credential or a tampered build artifact cannot replace the
    function's code.

    How to fix: create an `AWS::Lambda::CodeSigningConfig` with your AWS Signer profile
    (`UntrustedArtifactOnDeployment: Enforce`) and reference it from the function.

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
          Code: {S3Bucket: artifacts, S3Key: fn.zip}
    ```

    ```cloudformation pass
    Resources:
      Signing:
        Type: AWS::Lambda::CodeSigningConfig
        Properties:
          AllowedPublishers:
            SigningProfileVersionArns:
              - arn:aws:signer:eu-west-1:123456789012:/signing-profiles/app/abc
          CodeSigningPolicies: {UntrustedArtifactOnDeployment: Enforce}
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {S3Bucket: artifacts, S3Key: fn.zip}
          CodeSigningConfigArn: !Ref Signing
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
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Signing:
        Type: AWS::Lambda::CodeSigningConfig
        Properties:
          AllowedPublishers:
            SigningProfileVersionArns:
              - arn:aws:signer:eu-west-1:123456789012:/signing-profiles/app/abc
          CodeSigningPolicies: {UntrustedArtifactOnDeployment: Enforce}
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          CodeSigningConfigArn: !Ref Signing
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
    resources:
      extensions:
        HelloLambdaFunction:
          Properties:
            CodeSigningConfigArn: arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0abc
    ```

    ```terraform fail
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }
    ```

    ```terraform pass
    resource "aws_lambda_code_signing_config" "signed" {
      allowed_publishers {
        signing_profile_version_arns = [
          "arn:aws:signer:eu-west-1:123456789012:/signing-profiles/app",
        ]
      }
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
      code_signing_config_arn = aws_lambda_code_signing_config.signed.arn
    }
    ```
    """

    id = "SLS602"
    name = "code-signing-missing"
    summary = "Zip-packaged function without code signing"
    severity = "note"
    security_severity = 2.5
    tags = ("security", "supply-chain", "lambda", "CWE-494")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for fn in graph.functions():
            package = fn.get("package_type")
            if is_unknown(package) or all(
                str(option).lower() == "image" for option in possible(package)
            ):
                continue
            if fn.get("code_signing_config") is not None:
                continue
            yield self.finding(
                fn,
                f"Function {fn.address} has no code signing configuration: Lambda accepts "
                "any code uploaded for it; reference a code signing configuration with your "
                "Signer profile (UntrustedArtifactOnDeployment Enforce)",
                path="code_signing_config",
            )
