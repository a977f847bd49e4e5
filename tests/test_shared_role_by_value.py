"""SLS208 groups functions that name the same role by value, not only a role resource of the
template (issue #16, item 9)."""

from __future__ import annotations

from conftest import by_rule

CFN = """\
Parameters:
  RoleArn:
    Type: String
  OtherRoleArn:
    Type: String
Resources:
  A:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: x}, Role: !Ref RoleArn}
  B:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: b.h, Code: {ZipFile: x}, Role: !Ref RoleArn}
  C:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: c.h, Code: {ZipFile: x}, Role: !Ref OtherRoleArn}
  D:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: d.h
      Code: {ZipFile: x}
      Role: arn:aws:iam::123456789012:role/shared
  E:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: e.h
      Code: {ZipFile: x}
      Role: arn:aws:iam::123456789012:role/shared
  F:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: f.h
      Code: {ZipFile: x}
      Role: !ImportValue shared-role
  G:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: g.h
      Code: {ZipFile: x}
      Role: !ImportValue shared-role
  H:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: h.h
      Code: {ZipFile: x}
      Role: !ImportValue other-role
"""

TF = """\
variable "role_arn" {
  type = string
}

variable "other_role_arn" {
  type = string
}

data "aws_iam_role" "existing" {
  name = "existing"
}

resource "aws_lambda_function" "a" {
  function_name = "a"
  runtime       = "python3.12"
  handler       = "a.h"
  filename      = "a.zip"
  role          = var.role_arn
}

resource "aws_lambda_function" "b" {
  function_name = "b"
  runtime       = "python3.12"
  handler       = "b.h"
  filename      = "b.zip"
  role          = var.role_arn
}

resource "aws_lambda_function" "c" {
  function_name = "c"
  runtime       = "python3.12"
  handler       = "c.h"
  filename      = "c.zip"
  role          = var.other_role_arn
}

resource "aws_lambda_function" "workers" {
  for_each      = toset(["x", "y"])
  function_name = "worker-${each.key}"
  runtime       = "python3.12"
  handler       = "w.h"
  filename      = "w.zip"
  role          = data.aws_iam_role.existing.arn
}
"""

SERVICE = """\
service: s
provider:
  name: aws
  runtime: python3.12
  iam:
    role: arn:aws:iam::123456789012:role/existing
functions:
  one:
    handler: one.h
  two:
    handler: two.h
"""


def _groups(findings) -> list[tuple[str, int]]:
    return sorted((f.message.split("(", 1)[1].split(")")[0], f.location.line) for f in findings)


def test_cloudformation_same_parameter_literal_or_import(lint):
    findings = by_rule(lint("cloudformation", CFN), "SLS208")
    assert _groups(findings) == [
        (
            "Fn::ImportValue shared-role",
            1 + CFN.splitlines().index("      Role: !ImportValue shared-role"),
        ),
        (
            "arn:aws:iam::123456789012:role/shared",
            1 + CFN.splitlines().index("      Role: arn:aws:iam::123456789012:role/shared"),
        ),
        ("parameter RoleArn", 9),
    ]
    assert all(len(f.related) == 1 for f in findings)


def test_terraform_same_variable_or_data_source(lint):
    findings = by_rule(lint("terraform", TF), "SLS208")
    messages = sorted(f.message for f in findings)
    assert len(messages) == 2
    assert messages[0].startswith(
        "Functions aws_lambda_function.a, aws_lambda_function.b all run with the same role "
        "(var.role_arn)"
    )
    assert 'aws_lambda_function.workers["x"], aws_lambda_function.workers["y"]' in messages[1]
    assert "(data.aws_iam_role.existing.arn)" in messages[1]


def test_terraform_distinct_values_pass(lint):
    text = TF.replace('"b.zip"\n  role          = var.role_arn', '"b.zip"\n  role = "arn:b"')
    text = text.replace('toset(["x", "y"])', 'toset(["x"])')
    assert not by_rule(lint("terraform", text), "SLS208")


def test_serverless_provider_role_arn_shared_by_every_function(lint):
    (finding,) = by_rule(lint("serverless", SERVICE), "SLS208")
    assert "(arn:aws:iam::123456789012:role/existing)" in finding.message
    single = SERVICE.replace("  two:\n    handler: two.h\n", "")
    assert not by_rule(lint("serverless", single), "SLS208")


def test_serverless_same_deploy_time_variable(lint):
    text = """\
service: s
custom:
  apiRole: ${ssm:/roles/api}
provider:
  name: aws
  runtime: python3.12
functions:
  one:
    handler: one.h
    role: ${ssm:/roles/api}
  two:
    handler: two.h
    role: ${self:custom.apiRole}
  three:
    handler: three.h
    role: ${ssm:/roles/other}
"""
    (finding,) = by_rule(lint("serverless", text), "SLS208")
    assert "OneLambdaFunction, TwoLambdaFunction all run" in finding.message
    assert "(${ssm:/roles/api})" in finding.message


def test_terraform_same_output_of_a_module_not_on_disk(lint):
    text = """\
module "iam" {
  source = "terraform-aws-modules/iam/aws"
}

resource "aws_lambda_function" "a" {
  function_name = "a"
  runtime       = "python3.12"
  handler       = "a.h"
  filename      = "a.zip"
  role          = module.iam.role_arn
}

resource "aws_lambda_function" "b" {
  function_name = "b"
  runtime       = "python3.12"
  handler       = "b.h"
  filename      = "b.zip"
  role          = module.iam.role_arn
}
"""
    (finding,) = by_rule(lint("terraform", text), "SLS208")
    assert "(module.iam.role_arn)" in finding.message
    assert by_rule(lint("terraform", text), "SLS005")
