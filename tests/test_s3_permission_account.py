"""SLS104 on S3 permissions: a bucket ARN names no account, so `SourceArn` alone leaves the
permission open to a bucket of the same name re-created in another account."""

from __future__ import annotations

import pytest

TEMPLATE = """\
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {{ZipFile: x}}
  FromS3:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: {principal}
{extra}"""


def sls104(lint, principal: str, extra: str) -> list:
    findings = lint("cloudformation", TEMPLATE.format(principal=principal, extra=extra))
    return [f for f in findings if f.rule_id == "SLS104"]


@pytest.mark.parametrize(
    "source_arn",
    ["!GetAtt Uploads.Arn", "arn:aws:s3:::uploads-bucket", "!Sub 'arn:aws:s3:::${Uploads}'"],
)
def test_s3_source_arn_without_account_is_reported_at_the_source_arn(lint, source_arn):
    (finding,) = sls104(lint, "s3.amazonaws.com", f"      SourceArn: {source_arn}\n")
    assert "bucket ARNs carry no account" in finding.message
    assert finding.message.endswith("add SourceAccount")
    assert (finding.location.line, finding.location.column) == (17, 18)  # the SourceArn value


@pytest.mark.parametrize(
    "extra",
    [
        "      SourceArn: !GetAtt Uploads.Arn\n      SourceAccount: !Ref AWS::AccountId\n",
        "      SourceArn: !GetAtt Uploads.Arn\n      PrincipalOrgID: o-abc123\n",
        # a literal that is no bucket ARN says nothing about a bucket: benefit of the doubt
        "      SourceArn: lambda.amazonaws.com\n",
    ],
)
def test_account_or_org_or_no_bucket_is_silent(lint, extra):
    assert sls104(lint, "s3.amazonaws.com", extra) == []


def test_other_services_arns_carry_their_account(lint):
    extra = "      SourceArn: arn:aws:sns:us-east-1:123456789012:topic\n"
    assert sls104(lint, "sns.amazonaws.com", extra) == []
