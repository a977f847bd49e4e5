"""SLS104 permission-without-source."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.spelling import spelled
from sls_lint.model.values import possible

# Any of these narrows *which* resource of the service may invoke (a token for Alexa skills).
SOURCE_ATTRIBUTES = ("source_arn", "source_account", "principal_org_id", "event_source_token")
# Services whose resource ARNs carry no account id (`arn:aws:s3:::bucket`): a `SourceArn` names
# a bucket, and a bucket of that name can be created in another account once yours is deleted,
# so only `SourceAccount` (or `PrincipalOrgID`) ties the permission to your account.
ACCOUNTLESS_ARN_SERVICES = ("s3.amazonaws.com",)
ACCOUNT_ATTRIBUTES = ("source_account", "principal_org_id")


def _names_a_bucket(source_arn: object) -> bool:
    """A literal S3 ARN, or a reference (`!GetAtt Bucket.Arn`, `aws_s3_bucket.b.arn`) whose
    value is only known at deploy time; a literal that is no S3 ARN says nothing of a bucket."""
    if isinstance(source_arn, str):
        return source_arn.startswith("arn:") and ":s3:::" in source_arn
    return _set(source_arn)


def _set(value: object) -> bool:
    """Written, or written as something not known statically (benefit of the doubt)."""
    return value not in (None, "")


def service_principal(principal: object) -> str | None:
    """`s3.amazonaws.com` (an AWS service principal), else None (accounts, ARNs, `*`)."""
    if not isinstance(principal, str):
        return None
    text = principal.strip().lower()
    if text.endswith((".amazonaws.com", ".amazon.com")) and not text.startswith("arn:"):
        return principal.strip()
    return None


class PermissionWithoutSource(Rule):
    """Finds Lambda permissions that let a whole AWS service invoke the function.

    What it finds: a Lambda permission (resource policy) whose principal is a service
    (`s3.amazonaws.com`, `sns.amazonaws.com`, `events.amazonaws.com`, ...) with no
    `SourceArn`, `SourceAccount` or `PrincipalOrgID` (Alexa's `EventSourceToken` also counts);
    and an S3 permission with a `SourceArn` but no `SourceAccount` or `PrincipalOrgID`, since a
    bucket ARN names no account.

    Why it matters: the principal is the service, not *your* bucket or topic. Without a
    source, a bucket or topic in any other AWS account can be pointed at your function and
    invoke it (the confused-deputy problem).

    How to fix: add `SourceArn` (the bucket, topic, rule or API ARN) and, for S3, also
    `SourceAccount`, since bucket names can be re-registered by others.

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
      FromS3:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: s3.amazonaws.com
    ```

    ```cloudformation fail
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
      FromS3:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: s3.amazonaws.com
          SourceArn: arn:aws:s3:::uploads-bucket
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
      FromS3:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: s3.amazonaws.com
          SourceArn: arn:aws:s3:::uploads-bucket
          SourceAccount: !Ref AWS::AccountId
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
      FromS3:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: s3.amazonaws.com
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            Uploaded:
              Type: S3
              Properties:
                Bucket: !Ref Uploads
                Events: s3:ObjectCreated:*
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
        BucketInvoke:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !GetAtt HelloLambdaFunction.Arn
            Action: lambda:InvokeFunction
            Principal: s3.amazonaws.com
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
      Resources:
        BucketInvoke:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !GetAtt HelloLambdaFunction.Arn
            Action: lambda:InvokeFunction
            Principal: s3.amazonaws.com
            SourceArn: arn:aws:s3:::demo-uploads
            SourceAccount: '123456789012'
    ```

    ```terraform fail
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }

    resource "aws_lambda_permission" "s3" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.fn.function_name
      principal     = "s3.amazonaws.com"
    }
    ```

    ```terraform fail
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }

    resource "aws_lambda_permission" "s3" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.fn.function_name
      principal     = "s3.amazonaws.com"
      source_arn    = "arn:aws:s3:::uploads"
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

    resource "aws_s3_bucket" "uploads" {
      bucket = "uploads"
    }

    resource "aws_lambda_permission" "s3" {
      action         = "lambda:InvokeFunction"
      function_name  = aws_lambda_function.fn.function_name
      principal      = "s3.amazonaws.com"
      source_arn     = aws_s3_bucket.uploads.arn
      source_account = "123456789012"
    }
    ```
    """

    id = "SLS104"
    name = "permission-without-source"
    summary = "Service-principal Lambda permission without SourceArn or SourceAccount"
    severity = "warning"
    security_severity = 5.8
    tags = ("security", "exposure", "lambda", "confused-deputy", "CWE-441")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for permission in graph.permissions():
            services = [
                s for s in map(service_principal, possible(permission.get("principal"))) if s
            ]
            if not services:
                continue
            functions = graph.targets(permission, "allows", "function")
            name = functions[0].address if functions else "the function"
            accountless = [s for s in services if s.lower() in ACCOUNTLESS_ARN_SERVICES]
            if any(_set(permission.get(attr)) for attr in SOURCE_ATTRIBUTES):
                if not accountless or any(_set(permission.get(a)) for a in ACCOUNT_ATTRIBUTES):
                    continue
                if not _names_a_bucket(permission.get("source_arn")):
                    continue  # a token, or a literal that is no bucket ARN: nothing to add
                yield self.finding(
                    permission,
                    f"Permission lets {accountless[0]} invoke {name} from a bucket named by "
                    f"{spelled(permission, 'SourceArn')} alone, and bucket ARNs carry no account: "
                    f"a bucket of that name in another account could invoke it; add "
                    f"{spelled(permission, 'SourceAccount')}",
                    at=("source_arn", "principal"),
                    related=[(fn, f"function {fn.address}") for fn in functions],
                )
                continue
            yield self.finding(
                permission,
                f"Permission lets {services[0]} invoke {name} on behalf of any account's "
                f"resources; add {spelled(permission, 'SourceArn')} "
                f"(and {spelled(permission, 'SourceAccount')})",
                at=("principal",),
                related=[(fn, f"function {fn.address}") for fn in functions],
            )
