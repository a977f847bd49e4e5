"""Inline `sls-lint: ignore` comments in YAML and HCL: placement, scope, expiry, unused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLES

from sls_lint.cli.main import main
from sls_lint.model.findings import Finding, Suppression
from sls_lint.model.graph import Location
from sls_lint.sources.located import Mark
from sls_lint.state.suppressions import apply, parse

RULES = [("SLS201", "iam-wildcard-action"), ("SLS203", "iam-wildcard-resource")]
TODAY = dt.date(2025, 6, 1)

YAML = """\
Resources:
  # sls-lint: ignore[SLS203] read-only role, reviewed in SEC-12
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyDocument:
            Statement:
              - Effect: Allow
                Action: "*"  # sls-lint: ignore[iam-wildcard-action] break-glass role
                Resource: "*"
  Other:
    Type: AWS::IAM::Role
"""

HCL = """\
// sls-lint: ignore[SLS201, SLS203] until=2025-12-31 migrating in Q3
resource "aws_iam_policy" "admin" {
  policy = jsonencode({
    Statement = [{ Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "other" {
  policy = "{}" # sls-lint: ignore SLS201 generated
}
"""


def at(line: int, rule: str = "SLS201", file: str = "t.yaml") -> Finding:
    names = dict(RULES)
    return Finding(
        rule, names.get(rule, rule), "error", "m", Location(file, Mark(line, 1, line, 2))
    )


def run(findings, texts, report_unused=False, today=TODAY):
    return apply(findings, texts, RULES, RULES, report_unused=report_unused, today=today)


def test_parse_ids_names_reason_and_scope():
    first, second = parse("t.yaml", YAML)
    assert first.rules == ("SLS203",) and first.reason == "read-only role, reviewed in SEC-12"
    assert (first.line, first.target, first.end) == (2, 3, 11)  # the whole Role resource
    assert second.rules == ("iam-wildcard-action",) and second.reason == "break-glass role"
    assert (second.target, second.end) == (10, 10)  # a trailing comment covers its line


def test_trailing_and_resource_level_comments_suppress(tmp_path):
    findings = [at(10), at(11, "SLS203"), at(13, "SLS203"), at(11)]
    extra = run(findings, {"t.yaml": YAML})
    assert extra == []
    assert [f.suppression is not None for f in findings] == [True, True, False, False]
    assert findings[0].suppression.kind == "inline"
    assert findings[0].suppression.reason == "break-glass role"
    assert findings[0].suppression.location.line == 10


def test_comment_above_a_list_item_covers_the_item():
    text = (
        "Statement:\n  # sls-lint: ignore[SLS201] ok\n"
        "  - Effect: Allow\n    Action: '*'\n  - Effect: Deny\n"
    )
    findings = [at(4), at(5)]
    run(findings, {"t.yaml": text})
    assert findings[0].suppression is not None and findings[1].suppression is None


def test_mapping_key_with_same_indent_sequence_is_covered():
    text = "Action:  # sls-lint: ignore[SLS201] ok\n- s3:*\n- '*'\nResource: x\n"
    findings = [at(3), at(4)]
    run(findings, {"t.yaml": text})
    assert findings[0].suppression is not None and findings[1].suppression is None


def test_hcl_block_comment_covers_the_braces_and_until_is_honoured():
    sup, trailing = parse("main.tf", HCL)
    assert (sup.target, sup.end) == (2, 6)
    assert sup.rules == ("SLS201", "SLS203") and sup.until == dt.date(2025, 12, 31)
    assert trailing.rules == ("SLS201",) and trailing.target == 9
    findings = [at(4, file="main.tf"), at(4, "SLS203", file="main.tf"), at(9, file="main.tf")]
    assert run(findings, {"main.tf": HCL}) == []
    assert all(f.suppression is not None for f in findings)


def test_expired_suppression_stops_working_and_is_reported():
    findings = [at(4, file="main.tf")]
    extra = run(findings, {"main.tf": HCL}, today=dt.date(2026, 1, 1))
    assert findings[0].suppression is None
    assert [(f.rule_id, f.location.line) for f in extra] == [("SLS003", 1)]
    assert "expired on 2025-12-31" in extra[0].message


def test_invalid_until_date_fails_closed():
    text = "x: 1  # sls-lint: ignore[SLS201] until=someday reason\n"
    findings = [at(1)]
    extra = run(findings, {"t.yaml": text})
    assert findings[0].suppression is None
    assert extra[0].rule_id == "SLS003" and "invalid date" in extra[0].message


def test_unused_and_unknown_are_reported_only_when_asked():
    text = "a: 1  # sls-lint: ignore[SLS201,SLS999] nothing here\nb: 2\n"
    assert run([at(2)], {"t.yaml": text}) == []
    extra = run([at(2)], {"t.yaml": text}, report_unused=True)
    assert sorted((f.rule_id, f.message.split(":")[0].split(";")[0]) for f in extra) == [
        ("SLS002", "Suppression names 'SLS999', which is no rule id, prefix or name"),
        ("SLS002", "Unused suppression"),
    ]
    # each says what to do about it
    assert all(f.message.rpartition("; ")[2].split(" ")[0] in ("correct", "remove") for f in extra)
    assert all(f.severity == "note" and f.location.line == 1 for f in extra)


def test_unused_is_not_judged_for_rules_that_did_not_run():
    text = "a: 1  # sls-lint: ignore[SLS203] fine\n"
    extra = apply([], {"t.yaml": text}, [RULES[0]], RULES, report_unused=True, today=TODAY)
    assert extra == []


def test_prefix_matches_and_other_files_are_untouched():
    text = "a: 1  # sls-lint: ignore[SLS2] family\n"
    findings = [at(1), at(1, file="other.yaml")]
    run(findings, {"t.yaml": text, "other.yaml": "a: 1\n"})
    assert findings[0].suppression is not None and findings[1].suppression is None


def test_strings_that_merely_mention_the_marker_are_not_comments():
    text = 'a: "x#sls-lint: ignore[SLS201]"\nb: http://example.com//sls-lint: ignore[SLS201]\n'
    assert parse("t.yaml", text) == []


def test_already_suppressed_findings_keep_their_kind_but_mark_the_comment_used():
    text = "a: 1  # sls-lint: ignore[SLS201] dup\n"
    metadata = at(1)
    metadata.suppression = Suppression("metadata", "from template")
    assert run([metadata], {"t.yaml": text}, report_unused=True) == []
    assert metadata.suppression.kind == "metadata"


# -- through the command line ------------------------------------------------------------------


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_inline_suppression_and_audit_mode(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (SAMPLES / "cloudformation" / "vulnerable.yaml").read_text()
    text = text.replace('Action: "*"\n', 'Action: "*" # sls-lint: ignore[SLS201] legacy\n', 1)
    Path("t.yaml").write_text(text)
    data = json.loads(_cli("check", "t.yaml", "-f", "json", "--select", "SLS201").output)
    assert data["summary"]["findings"] == 0 and data["summary"]["suppressed"] == 1
    assert data["findings"][0]["suppressed"] == {"kind": "inline", "reason": "legacy"}
    assert _cli("check", "t.yaml", "--select", "SLS201").exit_code == 0
    audit = _cli("check", "t.yaml", "--select", "SLS201", "--no-inline-suppressions")
    assert audit.exit_code == 1
    out = _cli("check", "t.yaml", "--select", "SLS201")
    assert "1 suppressed (1 inline)" in out.output


def test_cli_no_inline_suppressions_also_ignores_template_metadata(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("t.yaml").write_text(
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Url\n"
        "    Metadata:\n      sls-lint:\n        ignore:\n"
        "          - {id: SLS102, reason: public by design}\n"
        "    Properties:\n      AuthType: NONE\n      TargetFunctionArn: arn\n"
    )
    honoured = json.loads(_cli("check", "t.yaml", "-f", "json", "--select", "SLS102").output)
    assert honoured["summary"]["findings"] == 0
    assert honoured["summary"]["suppressed_by_kind"] == {"metadata": 1}
    audited = json.loads(
        _cli(
            "check", "t.yaml", "-f", "json", "--select", "SLS102", "--no-inline-suppressions"
        ).output
    )
    assert audited["summary"]["findings"] == 1


def test_cli_report_unused_suppressions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (SAMPLES / "cloudformation" / "vulnerable.yaml").read_text()
    Path("t.yaml").write_text("# sls-lint: ignore[SLS205] nothing to see\n" + text)
    plain = json.loads(_cli("check", "t.yaml", "-f", "json", "--select", "SLS2").output)
    assert "SLS002" not in {f["rule_id"] for f in plain["findings"]}
    asked = json.loads(
        _cli(
            "check", "t.yaml", "-f", "json", "--select", "SLS2", "--report-unused-suppressions"
        ).output
    )
    unused = [f for f in asked["findings"] if f["rule_id"] == "SLS002"]
    assert len(unused) == 1 and unused[0]["location"]["line"] == 1
