"""Values passed on the command line or in configuration (`--var`, `vars`) are converted to the
variable's declared type like `.tfvars` values, so addresses and fingerprints do not depend on
how a value was passed (issue #16, item 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sls_lint.loaders import LoadContext, load_unit
from sls_lint.loaders.terraform.types import convert
from sls_lint.run.discovery import discover, group_units
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import lint_paths
from sls_lint.run.registry import load_rules

MAIN = """\
variable "enable_url" {
  type    = bool
  default = true
}

variable "names" {
  type    = set(string)
  default = []
}

variable "copies" {
  type    = number
  default = 0
}

variable "settings" {
  type = object({
    auth    = optional(string, "NONE")
    memory  = optional(number)
  })
  default = {}
}

resource "aws_lambda_function" "fn" {
  for_each      = var.names
  function_name = each.key
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  role          = "arn:aws:iam::123456789012:role/r"
}

resource "aws_lambda_function" "copy" {
  count         = var.copies
  function_name = "copy-${count.index}"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  role          = "arn:aws:iam::123456789012:role/r"
}

resource "aws_lambda_function_url" "url" {
  count              = var.enable_url ? 1 : 0
  function_name      = "copy-0"
  authorization_type = var.settings.auth
}
"""

TFVARS = """\
enable_url = false
names      = ["b", "a", "b"]
copies     = 2
settings   = { auth = "AWS_IAM" }
"""

CLI = {
    "enable_url": "false",
    "names": '["b", "a", "b"]',
    "copies": "2",
    "settings": '{ auth = "AWS_IAM" }',
}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def _addresses(directory: Path, variables: dict | None = None) -> list[str]:
    (unit,) = group_units(discover([directory]))
    result = load_unit(unit, LoadContext(variables=variables or {}))
    return sorted(node.address for node in result.graph.nodes())


def test_cli_values_give_the_addresses_tfvars_give(tmp_path):
    with_file = tmp_path / "tfvars"
    with_file.mkdir()
    (with_file / "main.tf").write_text(MAIN)
    (with_file / "terraform.tfvars").write_text(TFVARS)
    with_cli = tmp_path / "cli"
    with_cli.mkdir()
    (with_cli / "main.tf").write_text(MAIN)
    from_file = _addresses(with_file)
    assert from_file == _addresses(with_cli, CLI)
    assert 'aws_lambda_function.fn["a"]' in from_file
    assert "aws_lambda_function.copy[1]" in from_file
    assert not any(a.startswith("aws_lambda_function_url") for a in from_file)


def test_findings_and_fingerprints_do_not_depend_on_how_a_value_is_passed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(MAIN)
    rules = [cls() for cls in load_rules()]

    def run(variables):
        options = LintOptions()
        options.context.variables = variables
        findings = lint_paths([Path(".")], rules, options).findings
        return sorted((f.rule_id, f.fingerprint) for f in findings)

    on = run({"enable_url": "true", "copies": "1"})
    assert on == run({"enable_url": True, "copies": 1})
    assert any(rule == "SLS102" for rule, _ in on)  # auth NONE from the optional default
    assert not any(rule == "SLS102" for rule, _ in run({"enable_url": "false", "copies": "1"}))


@pytest.mark.parametrize(
    ("value", "type_source", "expected"),
    [
        ("false", "bool", False),
        ("3", "number", 3),
        ("2.5", "number", 2.5),
        (7, "string", "7"),
        (True, "string", "true"),
        ("yes", "bool", "yes"),  # not convertible: left alone
        (["1", "2"], "list(number)", [1, 2]),
        ({"a": "true"}, "map(bool)", {"a": True}),
        (["b", "a", "b"], "set(string)", ["a", "b"]),
        (
            {"x": "1", "extra": 1},
            'object({x = number, y = optional(string, "d")})',
            {"x": 1, "y": "d"},
        ),
        (["a", "1"], "tuple([string, number])", ["a", 1]),
        ("anything", "any", "anything"),
    ],
)
def test_convert(value, type_source, expected):
    from sls_lint.loaders.terraform.hcl import parse_hcl

    type_expr = parse_hcl(f"t = {type_source}")[0][3]

    def evaluate(expr):
        return expr[2] if expr[0] == "lit" else None

    assert convert(value, type_expr, evaluate) == expected
