"""Suppressions that cannot be fooled (issue #17, items 9 and 10).

Only real comments suppress: the same text inside a YAML block scalar, a quoted string or a
Terraform heredoc is data. A suppression past its `until=` date, or with a date that is not one,
is `SLS003`, never "unused" (`SLS002`).
"""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from sls_lint.cli.main import main
from sls_lint.model.findings import Finding
from sls_lint.model.graph import Location
from sls_lint.sources.located import Mark
from sls_lint.state.suppressions import apply, parse

RULES = [("SLS201", "iam-wildcard-action"), ("SLS203", "iam-wildcard-resource")]
TODAY = dt.date(2026, 6, 1)


def at(line: int, rule: str = "SLS201", file: str = "t.yaml") -> Finding:
    names = dict(RULES)
    return Finding(rule, names[rule], "error", "m", Location(file, Mark(line, 1, line, 2)))


def run(findings, texts, report_unused=False):
    return apply(findings, texts, RULES, RULES, report_unused=report_unused, today=TODAY)


# -- item 10: expired is not unused -----------------------------------------------------------


def test_expired_suppression_covering_nothing_is_sls003_not_unused():
    text = "a: 1\nb: 2  # sls-lint: ignore[SLS201] until=2026-01-31 temporary\n"
    extra = run([at(1)], {"t.yaml": text}, report_unused=True)
    assert [f.rule_id for f in extra] == ["SLS003"]
    assert "expired on 2026-01-31" in extra[0].message
    assert "covers no finding" in extra[0].message


def test_invalid_until_covering_nothing_is_sls003_with_a_clear_message():
    text = "b: 2  # sls-lint: ignore[SLS201] until=31/12/2026 temporary\n"
    extra = run([], {"t.yaml": text}, report_unused=True)
    assert [f.rule_id for f in extra] == ["SLS003"]
    assert "invalid date until='31/12/2026'" in extra[0].message
    assert "YYYY-MM-DD" in extra[0].message


def test_expired_suppression_covering_a_finding_is_reported_once():
    text = "b: 2  # sls-lint: ignore[SLS201] until=2026-01-31 temporary\n"
    finding = at(1)
    extra = run([finding], {"t.yaml": text}, report_unused=True)
    assert [f.rule_id for f in extra] == ["SLS003"]
    assert finding.suppression is None  # the finding counts again


def test_expired_typo_is_still_a_typo():
    text = "b: 2  # sls-lint: ignore[SLS999] until=2026-01-31 temporary\n"
    extra = run([], {"t.yaml": text}, report_unused=True)
    assert [f.rule_id for f in extra] == ["SLS002"] and "no rule id" in extra[0].message


def test_cli_never_calls_an_expired_suppression_unused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Resources:\n"
        "  # sls-lint: ignore[SLS201] until=2001-01-01 migrating\n"
        "  Bucket:\n"
        "    Type: AWS::S3::Bucket\n"
        "  # sls-lint: ignore[SLS203] until=2001-02-30 migrating\n"
        "  Other:\n"
        "    Type: AWS::S3::Bucket\n"
    )
    result = CliRunner().invoke(
        main, ["check", "template.yaml", "-f", "json", "--report-unused-suppressions"]
    )
    found = json.loads(result.output)["findings"]
    assert [f["rule_id"] for f in found] == ["SLS003", "SLS003"], found
    assert "invalid date" in found[1]["message"]


# -- item 9: only real comments suppress ------------------------------------------------------


YAML_BLOCK = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Code:
        ZipFile: |
          import os
          # sls-lint: ignore[SLS201] inside the inline code
          def handler(event, context):
              return 1
      Policy: x
"""


def test_marker_inside_a_yaml_block_scalar_is_not_a_comment():
    assert parse("t.yaml", YAML_BLOCK) == []
    assert run([at(9), at(11)], {"t.yaml": YAML_BLOCK}) == []


def test_marker_inside_quoted_yaml_strings_is_not_a_comment():
    text = (
        "Resources:\n"
        "  A:\n"
        '    Description: "see # sls-lint: ignore[SLS201] in the docs"\n'
        "    Other: 'x # sls-lint: ignore[SLS201] y'\n"
        '    Multi: "first line\n'
        '      # sls-lint: ignore[SLS201] still the string"\n'
        "    Action: '*'\n"
    )
    assert parse("t.yaml", text) == []
    finding = at(7)
    run([finding], {"t.yaml": text})
    assert finding.suppression is None


def test_real_yaml_comments_still_suppress():
    text = YAML_BLOCK + "      Action: '*'  # sls-lint: ignore[SLS201] reviewed\n"
    (sup,) = parse("t.yaml", text)
    assert sup.line == 12
    finding = at(12)
    run([finding], {"t.yaml": text})
    assert finding.suppression is not None


def test_plain_scalar_followed_by_a_comment_is_a_comment():
    text = "a: some text # sls-lint: ignore[SLS201] reason\n"
    assert [s.line for s in parse("t.yaml", text)] == [1]


HCL = """\
resource "aws_lambda_function" "f" {
  description = "run # sls-lint: ignore[SLS201] this"
  policy = <<EOF
{
  # sls-lint: ignore[SLS201] inside a heredoc
  "Statement": [{"Action": "*"}]
}
EOF
  other = <<-JSON
    // sls-lint: ignore[SLS201] inside an indented heredoc
    JSON
  tpl = "${jsonencode({ a = "# sls-lint: ignore[SLS201] nested" })}"
}
"""


def test_markers_inside_hcl_strings_and_heredocs_are_not_comments():
    assert parse("main.tf", HCL) == []
    finding = at(6, file="main.tf")
    run([finding], {"main.tf": HCL})
    assert finding.suppression is None


def test_real_hcl_comments_still_suppress():
    text = HCL + (
        "# sls-lint: ignore[SLS201] reviewed\n"
        'resource "aws_iam_policy" "p" {\n'
        '  policy = "{}" // sls-lint: ignore[SLS203] generated\n'
        '  x = "/*" # sls-lint: ignore[SLS201] after a string holding a comment opener\n'
        "}\n"
    )
    assert [s.line for s in parse("main.tf", text)] == [14, 16, 17]


def test_json_has_no_comments():
    text = '{"Resources": {"A": {"Description": "# sls-lint: ignore[SLS201] x"}}}\n'
    assert parse("template.json", text) == []


def test_cli_block_scalar_does_not_suppress(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Resources:\n"
        "  Role:\n"
        "    Type: AWS::IAM::Role\n"
        "    Metadata:\n"
        "      Notes: |\n"
        "        # sls-lint: ignore[SLS201] not a comment\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, "
        "Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n"
        "      Policies:\n"
        "        - PolicyName: p\n"
        "          PolicyDocument:\n"
        "            Statement:\n"
        "              - {Effect: Allow, Action: '*', Resource: arn:aws:s3:::b/*}\n"
    )
    result = CliRunner().invoke(main, ["check", "template.yaml", "-f", "json"])
    found = json.loads(result.output)["findings"]
    assert any(f["rule_id"] == "SLS201" and not f["suppressed"] for f in found), found
