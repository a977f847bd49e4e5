"""SLS702 environment-not-kms-encrypted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.spelling import spelled
from sls_lint.rules.secrets._secret_names import identifies_only, secret_name


def secret_like(name: str, value: Any = None) -> bool:
    """`DB_PASSWORD`, `API_TOKEN`; not `SECRET_ARN`, `TOKEN_TABLE` or a port, count or ARN."""
    return secret_name(name) and not identifies_only(value)


class EnvironmentNotKmsEncrypted(Rule):
    """Finds functions with secret-like environment variables and no customer KMS key.

    What it finds: a function with an environment variable whose name says it holds a
    secret (`DB_PASSWORD`, `API_TOKEN`, `CLIENT_SECRET`) and no `KmsKeyArn` (Serverless
    `kmsKeyArn`, Terraform `kms_key_arn`). Whether the value is a literal is SLS701's
    business; a value resolved at deploy time (`{{resolve:...}}`, `${ssm:...}`) lands in the
    environment in clear text too. Not secrets: names whose last word says they locate or
    configure one (`SECRET_ARN`, `TOKEN_TABLE`, `PASSWORD_MIN_LENGTH`,
    `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`), and values that can only identify one: numbers
    and booleans, ARNs, and references to another resource's name, id or ARN
    (`DB_SECRET: !Ref DbSecret` is the secret's ARN).

    Why it matters: with the AWS-managed key, anyone allowed `lambda:GetFunctionConfiguration`
    reads the secret. A customer managed key adds a separate `kms:Decrypt` permission that
    you control and audit.

    How to fix: set `KmsKeyArn` to a customer managed key, or better, keep the secret in
    Secrets Manager / Parameter Store and read it at run time.

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
          Environment:
            Variables:
              DB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}'
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
          KmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
          Environment:
            Variables:
              DB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}'
              DB_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db
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
          Environment:
            Variables:
              DB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}'
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
          KmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
          Environment:
            Variables:
              DB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}'
    ```

    ```cloudformation pass
    Resources:
      Secret:
        Type: AWS::SecretsManager::Secret
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
          Environment:
            Variables:
              DB_SECRET: !Ref Secret
              PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: 2773
              PASSWORD_MIN_LENGTH: "12"
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
          Environment:
            Variables:
              PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: "2773"
              API_TOKEN_SECRET: arn:aws:secretsmanager:eu-west-1:123456789012:secret:t
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        environment:
          DB_PASSWORD: ${ssm:/demo/db-password}
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
      kmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    functions:
      hello:
        handler: handler.main
        environment:
          DB_PASSWORD: ${ssm:/demo/db-password}
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        environment:
          PASSWORD_MIN_LENGTH: 12
          TOKEN_COUNT: 3
    ```

    ```terraform fail
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"

      environment {
        variables = {
          DB_PASSWORD = var.db_password
        }
      }
    }

    variable "db_password" {
      type = string
    }
    ```

    ```terraform pass
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
      kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab"

      environment {
        variables = {
          DB_PASSWORD = var.db_password
        }
      }
    }

    variable "db_password" {
      type = string
    }
    ```

    ```terraform pass
    resource "aws_secretsmanager_secret" "db" {
      name = "db"
    }
    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"

      environment {
        variables = {
          DB_SECRET                              = aws_secretsmanager_secret.db.arn
          PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = 2773
        }
      }
    }
    ```
    """

    id = "SLS702"
    name = "environment-not-kms-encrypted"
    summary = "Secret-like environment variables without a customer KMS key"
    severity = "warning"
    security_severity = 4.4
    tags = ("security", "secrets", "encryption", "CWE-311")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for fn in graph.functions():
            if fn.get("kms_key_arn") is not None:
                continue
            environment = fn.get("environment")
            if not isinstance(environment, dict):
                continue
            names = [
                str(name) for name, value in environment.items() if secret_like(str(name), value)
            ]
            if not names:
                continue
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            yield self.finding(
                fn,
                f"Function {fn.address} keeps {shown} in its environment without a customer "
                f"managed KMS key ({spelled(fn, 'KmsKeyArn')}); set it to a customer managed key, "
                "or keep secrets in Secrets Manager",
                at=(f"environment.{names[0]}", "environment"),
                path="kms_key_arn",
            )
