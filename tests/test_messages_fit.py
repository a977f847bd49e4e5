"""Messages fit their subject and the user's own spelling (issue #16 item 5)."""

from __future__ import annotations

import pytest
from conftest import by_rule

TRUST = """\
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: SERVICE}, Action: sts:AssumeRole}
"""


def _role(service: str, with_function: bool) -> str:
    text = (
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
        + TRUST.replace("SERVICE", service)
        + "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement:\n              - {Effect: Allow, Action: 's3:*', Resource: "
        "'arn:aws:s3:::b/*'}\n"
    )
    if with_function:
        text += (
            "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
            "      Runtime: python3.12\n      Handler: a.b\n      Role: !GetAtt Role.Arn\n"
            "      Code: {ZipFile: x}\n"
        )
    return text


def test_a_pipeline_role_is_not_told_what_the_function_needs(lint):
    (finding,) = by_rule(
        lint("cloudformation", _role("codepipeline.amazonaws.com", False)), "SLS202"
    )
    assert "the role needs" in finding.message and "function" not in finding.message


def test_a_function_role_is(lint):
    (finding,) = by_rule(lint("cloudformation", _role("lambda.amazonaws.com", True)), "SLS202")
    assert finding.message.endswith("list the actions the function needs")


def test_an_unattached_policy_speaks_of_its_users(lint):
    text = (
        "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      PolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Action: 's3:*', Resource: 'arn:aws:s3:::b/*'}\n"
    )
    (finding,) = by_rule(lint("cloudformation", text), "SLS202")
    assert finding.message.endswith("list the actions its users need")


FUNCTIONS = {
    "cloudformation": """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: a.b
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: x}
      Environment: {Variables: {DB_PASSWORD: '{{resolve:ssm:/x}}'}}
""",
    "serverless": """\
service: s
provider: {name: aws, runtime: python3.12}
functions:
  hello:
    handler: h.main
    environment: {DB_PASSWORD: '${ssm:/x}'}
""",
    "terraform": """\
variable "password" {}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
  environment { variables = { DB_PASSWORD = var.password } }
}
""",
}


@pytest.mark.parametrize(
    ("fmt", "spelling"),
    [
        ("cloudformation", "(KmsKeyArn)"),
        ("serverless", "(kmsKeyArn)"),
        ("terraform", "(kms_key_arn)"),
    ],
)
def test_kms_key_property_is_named_as_each_format_spells_it(lint, fmt, spelling):
    (finding,) = by_rule(lint(fmt, FUNCTIONS[fmt]), "SLS702")
    # the property as the user spells it, then (as every built-in message) "; <fix>"
    assert f"{spelling}; " in finding.message, finding.message


def test_terraform_permission_and_url_messages_use_terraform_names(lint):
    text = """\
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
}
resource "aws_lambda_function_url" "u" {
  function_name      = aws_lambda_function.f.function_name
  authorization_type = "NONE"
}
resource "aws_lambda_permission" "any" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.f.function_name
  principal     = "*"
}
resource "aws_lambda_permission" "s3" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.f.function_name
  principal     = "s3.amazonaws.com"
}
"""
    findings = lint("terraform", text)
    assert "has authorization_type NONE" in by_rule(findings, "SLS102")[0].message
    assert "(principal '*' with no source_arn, source_account or principal_org_id)" in (
        by_rule(findings, "SLS103")[0].message
    )
    assert by_rule(findings, "SLS104")[0].message.endswith("add source_arn (and source_account)")


def test_not_actions_named_as_written_in_terraform(lint):
    text = """\
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = jsonencode({ Statement = [] })
}
data "aws_iam_policy_document" "d" {
  statement {
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
}
resource "aws_iam_role_policy" "block" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.d.json
}
resource "aws_iam_role_policy" "json" {
  role   = aws_iam_role.r.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", NotAction = "iam:*", Resource = "*" }] })
}
"""
    messages = sorted(f.message for f in by_rule(lint("terraform", text), "SLS204"))
    assert [m.split(" allows with ")[1].split(":")[0] for m in messages] == [
        "NotAction",
        "not_actions",
    ]


def test_serverless_statements_are_numbered_as_the_user_wrote_them(lint):
    text = """\
service: s
provider:
  name: aws
  runtime: python3.12
  iam:
    role:
      statements:
        - {Effect: Allow, Action: dynamodb:GetItem, Resource: 'arn:aws:dynamodb:::table/t'}
        - {Effect: Allow, Action: 's3:*', Resource: '*'}
functions:
  hello:
    handler: h.main
  other:
    handler: h.main
    iamRoleStatements:
      - {Effect: Allow, Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-1:1:q'}
"""
    resources = sorted(f.resource for f in by_rule(lint("serverless", text), "SLS202"))
    assert resources == [
        "IamRoleLambdaExecution.provider.iam.role.statements[1]",
        "OtherIamRoleLambdaExecution.functions.other.iamRoleStatements[0]",
    ]


def test_serverless_http_api_route_is_shown_with_its_slash(lint):
    text = """\
service: s
provider: {name: aws, runtime: python3.12}
functions:
  hello:
    handler: h.main
    events:
      - httpApi: POST oauth/token
"""
    (finding,) = by_rule(lint("serverless", text), "SLS101")
    assert finding.message.startswith("Route POST /oauth/token ")


def test_execution_logging_setting_named_per_format(lint):
    serverless = """\
service: s
provider: {name: aws, runtime: python3.12}
functions:
  hello:
    handler: h.main
    events:
      - http: GET hello
"""
    (finding,) = by_rule(lint("serverless", serverless), "SLS302")
    assert "(provider.logs.restApi with executionLogging" in finding.message


def test_execution_logging_setting_named_in_terraform(lint):
    terraform = """\
resource "aws_api_gateway_rest_api" "a" {
  name = "a"
}
resource "aws_api_gateway_stage" "s" {
  rest_api_id   = aws_api_gateway_rest_api.a.id
  stage_name    = "prod"
  deployment_id = "x"
}
"""
    (finding,) = by_rule(lint("terraform", terraform), "SLS302")
    assert "(logging_level ERROR or INFO for all methods)" in finding.message
