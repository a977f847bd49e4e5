"""Terraform `null` means "not set" wherever the evaluator builds arguments (issue #16 item 1)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import by_rule

ROLE = """\
resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = jsonencode({ Statement = [] })
}
resource "aws_iam_role_policy" "fn" {
  role   = aws_iam_role.fn.id
  policy = data.aws_iam_policy_document.fn.json
}
"""


def _document(not_actions: str) -> str:
    return ROLE + textwrap.dedent(
        f"""\
        variable "statements" {{
          default = {{ read = {{ actions = ["s3:GetObject"], resources = ["*"] }} }}
        }}
        data "aws_iam_policy_document" "fn" {{
          dynamic "statement" {{
            for_each = var.statements
            content {{
              actions     = try(statement.value.actions, null)
              not_actions = {not_actions}
              resources   = lookup(statement.value, "resources", null)
            }}
          }}
        }}
        """
    )


def test_null_argument_in_a_dynamic_statement_is_not_set(lint):
    for written in ("try(statement.value.not_actions, null)", 'lookup(statement.value, "x", null)'):
        assert not by_rule(lint("terraform", _document(written)), "SLS204")


def test_a_written_not_actions_is_still_reported(lint):
    findings = by_rule(lint("terraform", _document('["iam:*"]')), "SLS204")
    assert [f.location.line for f in findings] == [17]


def test_null_in_jsonencode_statement_is_not_set(lint):
    policy = (
        'jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject",'
        ' Resource = "arn:aws:s3:::b/*", NotResource = null }] })'
    )
    text = ROLE.replace("data.aws_iam_policy_document.fn.json", policy)
    assert not by_rule(lint("terraform", text), "SLS204")


def test_null_module_argument_keeps_null_unless_the_variable_is_not_nullable(lint):
    module = """\
    variable "kms" {
      default = "arn:aws:kms:eu-west-1:111122223333:key/k"
      nullable = NULLABLE
    }
    resource "aws_lambda_function" "f" {
      function_name = "f"
      role          = "arn:aws:iam::111122223333:role/r"
      runtime       = "python3.12"
      handler       = "a.b"
      filename      = "x.zip"
      kms_key_arn   = var.kms
      environment { variables = { DB_PASSWORD = var.password } }
    }
    variable "password" { default = null }
    """
    root = 'module "m" {\n  source = "./m"\n  kms = null\n  password = "x"\n}\n'

    for nullable, expected in (("false", 0), ("true", 1)):
        Path("m").mkdir(exist_ok=True)
        Path("m/main.tf").write_text(textwrap.dedent(module).replace("NULLABLE", nullable))
        findings = by_rule(lint("terraform", root), "SLS702")
        assert len(findings) == expected, (nullable, findings)


def test_null_count_and_for_each_mean_a_single_instance(tmp_path):
    from test_terraform_loader import load_files

    result = load_files(
        tmp_path,
        {
            "main.tf": """\
            resource "aws_lambda_function" "a" {
              count = null
              function_name = "a"
            }
            resource "aws_lambda_function" "b" {
              for_each = null
              function_name = "b"
            }
            resource "aws_lambda_function" "c" {
              function_name = "c"
              kms_key_arn   = null
            }
            """
        },
    )
    graph = result.graph
    assert graph.get("aws_lambda_function.a") is not None
    assert graph.get("aws_lambda_function.b") is not None
    assert graph.get("aws_lambda_function.c").get("kms_key_arn") is None


def test_null_environment_value_is_not_a_variable(lint):
    text = """\
variable "password" {
  default = null
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
  environment {
    variables = { DB_PASSWORD = var.password, TABLE = "t" }
  }
}
"""
    assert not by_rule(lint("terraform", text), "SLS702")
    assert by_rule(lint("terraform", text.replace("default = null", 'default = "x"')), "SLS702")
