"""SLS701 secret-in-environment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.rules.secrets._secret_names import REFERENCE_VALUE, secret_name

# Literal secrets recognisable by shape, whatever the variable is called.
KNOWN_SECRET_SHAPES = (
    ("AWS access key id", re.compile(r"^(AKIA|ASIA)[A-Z0-9]{16}$")),
    ("GitHub token", re.compile(r"^gh[pousr]_[A-Za-z0-9]{36,}$")),
    ("Slack token", re.compile(r"^xox[abpors]-[A-Za-z0-9-]{10,}$")),
    ("Stripe live key", re.compile(r"^(sk|rk)_live_[A-Za-z0-9]{16,}$")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("credentials in a URL", re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I)),
)
PLACEHOLDER = re.compile(r"^(|none|null|true|false|changeme|todo|xxx+|\*+|<[^>]*>)$", re.I)


def secret_shape(value: str) -> str | None:
    for label, pattern in KNOWN_SECRET_SHAPES:
        if pattern.search(value):
            return label
    return None


def literal_secret(name: str, value: Any) -> str | None:
    """Why `name=value` looks like a hard-coded secret, or None."""
    if not isinstance(value, str):
        return None  # numbers, booleans, references, Unknown
    shape = secret_shape(value.strip())
    if shape:
        return f"its value looks like a {shape}"
    if not secret_name(name):
        return None
    stripped = value.strip()
    if len(stripped) < 6 or PLACEHOLDER.match(stripped) or REFERENCE_VALUE.match(stripped):
        return None
    return "its name says it holds a secret and its value is a literal"


class SecretInEnvironment(Rule):
    """Finds secrets written literally into a function's environment variables.

    What it finds: an environment variable whose name says it holds a secret (`DB_PASSWORD`,
    `API_KEY`, `CLIENT_SECRET`, ...) with a literal value, or any variable whose value has
    the shape of a known credential (AWS access key id, GitHub/Slack/Stripe tokens, private
    keys, `user:password@` URLs). References are not secrets: `!Ref`, `{{resolve:...}}`,
    `${ssm:...}`, ARNs, Terraform variables and names like `SECRET_ARN` are fine.

    Why it matters: environment variables are visible to anyone who can read the function's
    configuration, end up in the template in version control, and in CloudFormation events.

    How to fix: store the secret in Secrets Manager or SSM Parameter Store and pass its name
    or ARN; read it at run time.

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
              DB_PASSWORD: hunter2-production
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
          Environment:
            Variables:
              DB_PASSWORD_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db
              DB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}'
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
              DB_PASSWORD: hunter2-production
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
              DB_PASSWORD_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db
              DB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}'
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
          STRIPE_API_KEY: sk_live_4eC39HqLyjWDarjtT1zdp7dc
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
          STRIPE_API_KEY: ${ssm:/demo/stripe-api-key}
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
          STRIPE_API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
        }
      }
    }
    ```

    ```terraform pass
    variable "stripe_api_key" {
      type      = string
      sensitive = true
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"

      environment {
        variables = {
          STRIPE_API_KEY = var.stripe_api_key
        }
      }
    }
    ```
    """

    id = "SLS701"
    name = "secret-in-environment"
    summary = "Literal secret in a function's environment variables"
    severity = "error"
    security_severity = 7.5
    tags = ("security", "secrets", "lambda", "CWE-798")
    precision = "medium"

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for fn in graph.functions():
            environment = fn.get("environment") or {}
            if not isinstance(environment, dict):
                continue
            for name, value in environment.items():
                why = literal_secret(str(name), value)
                if why is None:
                    continue
                yield self.finding(
                    fn,
                    f"Environment variable {name} of {fn.address} looks like a hard-coded "
                    f"secret: {why}; keep it in Secrets Manager or Parameter Store and read it "
                    "at run time",
                    at=(f"environment.{name}", "environment"),
                    path=f"environment.{name}",
                )
