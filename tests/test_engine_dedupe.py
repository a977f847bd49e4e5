"""A Terraform module linted alone and through a caller is reported once per line."""

from __future__ import annotations

from conftest import by_rule


def test_module_line_reported_once_across_units(lint, tmp_path):
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(
        'variable "runtime" {\n  default = "python3.8"\n}\n'
        'resource "aws_lambda_function" "this" {\n  function_name = "f"\n'
        '  role = "arn:aws:iam::123456789012:role/r"\n  handler = "h"\n'
        "  runtime = var.runtime\n}\n"
    )
    findings = lint(
        "terraform",
        'module "m" {\n  source  = "../mod"\n  runtime = "python3.8"\n}\n',
        name="ex/main.tf",
    )
    runtime = by_rule(findings, "SLS601")
    assert len(runtime) == 1
    assert (runtime[0].location.file, runtime[0].location.line) == ("mod/main.tf", 8)


def test_same_line_in_one_unit_is_kept_per_resource(lint):
    findings = lint(
        "sam",
        "Transform: AWS::Serverless-2016-10-31\n"
        "Globals:\n  Function:\n    Runtime: python3.8\n"
        "Resources:\n"
        "  A:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Handler: a.h, CodeUri: .}\n"
        "  B:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Handler: b.h, CodeUri: .}\n",
    )
    runtime = by_rule(findings, "SLS601")
    assert sorted(f.resource for f in runtime) == ["A", "B"]
    assert {f.location.line for f in runtime} == {4}


def test_escaping_related_messages_keeps_their_kind():
    from sls_lint.model.findings import Finding, Related
    from sls_lint.model.graph import Location
    from sls_lint.run.engine import _make_printable
    from sls_lint.sources.located import Mark

    where = Location("main.tf", Mark(1, 1, 1, 2))
    finding = Finding(
        rule_id="SLS101",
        rule_name="x",
        severity="error",
        message="m",
        location=where,
        related=[Related(where, "set by \x1b[31mcaller", "caller")],
    )
    _make_printable([finding])
    assert finding.related[0].kind == "caller"
    assert "\x1b" not in finding.related[0].message
