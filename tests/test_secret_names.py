"""Which environment variables hold a secret (SLS701/SLS702, issue #16 item 6)."""

from __future__ import annotations

import pytest

from sls_lint.model.values import Reference
from sls_lint.rules.secrets._secret_names import identifies_only, secret_name


class _Ref:
    """The shape of a CloudFormation/Terraform resource reference (`!Ref X`, `!GetAtt X.Y`)."""

    def __init__(self, logical_id: str, attribute: str | None = None) -> None:
        self.logical_id = logical_id
        self.attribute = attribute


@pytest.mark.parametrize(
    "name",
    ["DB_PASSWORD", "API_TOKEN", "CLIENT_SECRET", "STRIPE_API_KEY", "GITHUB_TOKEN", "PASSWORD"],
)
def test_names_that_hold_a_secret(name):
    assert secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT",
        "PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL",
        "PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED",
        "PASSWORD_MIN_LENGTH",
        "PASSWORD_ITERATIONS",
        "TOKEN_COUNT",
        "SECRET_ARN",
        "TOKEN_TABLE",
        "SECRETS_MANAGER_TTL",
        "DB_PASSWORD_SECRET_ARN",
    ],
)
def test_names_that_locate_or_configure_a_secret(name):
    assert not secret_name(name)


@pytest.mark.parametrize(
    "value",
    [
        2773,
        True,
        "2773",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
        Reference(_Ref("DbSecret")),
        Reference(_Ref("DbSecret", "Arn")),
        Reference(_Ref("aws_secretsmanager_secret.db", "arn")),
        Reference(_Ref("aws_ssm_parameter.p", "name")),
    ],
)
def test_values_that_only_identify_a_secret(value):
    assert identifies_only(value)


@pytest.mark.parametrize(
    "value",
    [
        "hunter2-production",
        "12345678901234",
        12345678901234,
        Reference("{{resolve:secretsmanager:db:SecretString:password}}"),
        Reference(_Ref("AppSyncKey", "ApiKey")),
        Reference(_Ref("data.aws_secretsmanager_secret_version.db", "secret_string")),
        Reference(None),
    ],
)
def test_values_that_may_hold_a_secret(value):
    assert not identifies_only(value)


def test_a_secret_arn_reference_is_not_reported_by_sls702_but_its_value_is(lint):
    template = """\
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
          DB_PASSWORD: !Sub '{{resolve:secretsmanager:${Secret}:SecretString:password}}'
"""
    findings = [f for f in lint("cloudformation", template) if f.rule_id == "SLS702"]
    assert len(findings) == 1 and "DB_PASSWORD" in findings[0].message
    assert "DB_SECRET" not in findings[0].message
