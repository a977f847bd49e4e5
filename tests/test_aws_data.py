"""Data read from cfn-lint's package, and what happens when a cfn-lint version lacks a file."""

from __future__ import annotations

import pytest

from sls_lint.model import aws_data


@pytest.fixture
def without_cfnlint_policy_list(monkeypatch):
    """Simulate cfn-lint >= 1.58, which no longer ships Serverless/ManagedPolicies.json."""
    original = aws_data._json

    def missing(relative: str):
        if relative.startswith("Serverless/"):
            raise aws_data.DataMissing(relative)
        return original(relative)

    monkeypatch.setattr(aws_data, "_json", missing)
    aws_data.aws_managed_policies.cache_clear()
    yield
    aws_data.aws_managed_policies.cache_clear()


def test_managed_policy_arns_without_cfnlint_list(without_cfnlint_policy_list):
    assert aws_data.managed_policy_arn("AmazonS3ReadOnlyAccess") == (
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    )
    assert aws_data.managed_policy_arn("AWSLambdaBasicExecutionRole") == (
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    )
    assert aws_data.managed_policy_arn("ViewOnlyAccess") == (
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
    )


def test_sam_admin_policy_by_name_without_cfnlint_list(without_cfnlint_policy_list, lint):
    findings = lint(
        "sam",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: python3.13\n      Handler: a.h\n      CodeUri: .\n"
        "      Policies:\n        - AdministratorAccess\n",
    )
    admin = [f for f in findings if f.rule_id == "SLS207"]
    assert len(admin) == 1 and admin[0].location.line == 10


def test_runtime_lifecycle_and_iam_catalogue_are_readable():
    assert "python3.12" in aws_data.runtime_lifecycle()
    assert "s3" in aws_data.iam_catalogue()
