"""Each output format checked against its consumer's specification."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from sls_lint.cli.main import main
from sls_lint.model.findings import Finding, Suppression
from sls_lint.model.graph import Location
from sls_lint.reporters import Report, render
from sls_lint.reporters.github import ANNOTATION_CAP, escape_data, escape_property
from sls_lint.sources.located import Mark

VULNERABLE = str(SAMPLES / "cloudformation" / "vulnerable.yaml")
CLEAN = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def finding(line: int, severity: str = "error", rule: str = "SLS201", **kw) -> Finding:
    return Finding(
        rule_id=rule,
        rule_name="iam-wildcard-action",
        severity=severity,
        message=kw.pop("message", f"problem on line {line}"),
        location=Location(kw.pop("file", "t.yaml"), Mark(line, 3, line, 8)),
        resource=kw.pop("resource", f"R{line}"),
        **kw,
    )


def report(findings: list[Finding], files=("t.yaml",)) -> Report:
    return Report(findings=findings, rules=[], files=list(files), version="0.1.0")


# -- JUnit ---------------------------------------------------------------------------------


def test_junit_suite_per_file_failure_per_finding():
    root = ET.fromstring(cli("check", VULNERABLE, "-f", "junit"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["samples/cloudformation/vulnerable.yaml"]
    cases = suites[0].findall("testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    assert len(failures) == int(suites[0].get("failures")) == int(root.get("failures")) > 5
    assert int(suites[0].get("tests")) == len(cases)
    first = failures[0]
    assert first.get("classname") == "samples/cloudformation/vulnerable.yaml"
    assert first.get("name").startswith("SLS")
    assert re.match(
        r"samples/cloudformation/vulnerable\.yaml:\d+:\d+: ", first.find("failure").text
    )


def test_junit_clean_file_has_one_passing_testcase(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(CLEAN)
    root = ET.fromstring(cli("check", "t.yaml", "-f", "junit"))
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert case.find("failure") is None and suite.get("failures") == "0"
    assert suite.get("tests") == "1"


def test_junit_suppressed_is_skipped_and_xml_escapes():
    quoted = finding(4, message='bad <"&> value')
    quoted.suppression = Suppression("inline", "accepted risk")
    root = ET.fromstring(render("junit", report([finding(2, message="a < b & c"), quoted])))
    cases = root.find("testsuite").findall("testcase")
    assert cases[0].find("failure").get("message") == "a < b & c"
    assert "accepted risk" in cases[1].find("skipped").get("message")
    assert root.get("skipped") == "1" and root.get("failures") == "1"


def test_junit_with_no_files_is_still_a_valid_document():
    root = ET.fromstring(render("junit", report([], files=())))
    assert root.find("testsuite/testcase").get("name") == "no findings"


# -- GitHub annotations ----------------------------------------------------------------------

_COMMAND = re.compile(
    r"^::(error|warning|notice) ((?:[A-Za-z]+=[^,:]*)(?:,[A-Za-z]+=[^,:]*)*)::(.*)$"
)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = _COMMAND.match(line)
    assert match, line
    props = dict(item.split("=", 1) for item in match.group(2).split(","))
    return match.group(1), props, match.group(3)


def test_github_command_syntax_and_escaping():
    tricky = finding(3, message="100% bad,\nreally: yes", file="dir,a:b/t.yaml", resource="")
    (line, summary) = render("github", report([tricky])).splitlines()
    command, props, message = parse_command(line)
    assert command == "error"
    assert props["file"] == "dir%2Ca%3Ab/t.yaml"
    assert (props["line"], props["col"], props["endLine"], props["endColumn"]) == (
        "3",
        "3",
        "3",
        "8",
    )
    assert props["title"] == "sls-lint SLS201 (iam-wildcard-action)"
    assert message == "100%25 bad,%0Areally: yes"
    assert "\n" not in message
    assert summary.startswith("sls-lint: 1 finding")


def test_github_escape_functions():
    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_multiline_span_omits_columns():
    spanning = finding(3)
    spanning.location = Location("t.yaml", Mark(3, 5, 7, 2))
    _, props, _ = parse_command(render("github", report([spanning])).splitlines()[0])
    assert "col" not in props and "endColumn" not in props and props["endLine"] == "7"


def test_github_highest_severity_first_and_cap_per_type():
    findings = [finding(i, "note", message=f"n{i}") for i in range(1, 13)]
    findings += [finding(100 + i, "error", message=f"e{i}") for i in range(12)]
    findings.append(finding(200, "warning"))
    lines = render("github", report(findings)).splitlines()
    commands = [parse_command(x)[0] for x in lines if x.startswith("::")]
    assert commands[:ANNOTATION_CAP] == ["error"] * ANNOTATION_CAP
    assert commands.count("error") == commands.count("notice") == ANNOTATION_CAP
    assert commands.count("warning") == 1
    assert commands.index("warning") < commands.index("notice")
    plain = [x for x in lines if not x.startswith("::")]
    assert len(plain) == 4 + 1  # 2 errors and 2 notes over the cap, then the summary
    assert "4 not annotated" in plain[-1] and "SARIF" in plain[-1]


def test_github_suppressed_findings_are_not_annotated():
    quiet = finding(3)
    quiet.suppression = Suppression("baseline")
    out = render("github", report([quiet]))
    assert "::" not in out and "1 suppressed" in out


# -- GitLab Code Quality -----------------------------------------------------------------------


def test_gitlab_code_quality_required_fields():
    issues = json.loads(cli("check", VULNERABLE, "-f", "gitlab"))
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert issue["description"] and issue["check_name"]
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"] == "samples/cloudformation/vulnerable.yaml"
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["location"]["lines"]["begin"] >= 1
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_gitlab_same_identity_twice_gets_distinct_fingerprints():
    twins = [finding(3, resource="R"), finding(3, resource="R")]
    issues = json.loads(render("gitlab", report(twins)))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_gitlab_has_no_bom_and_skips_suppressed():
    quiet = finding(3)
    quiet.suppression = Suppression("inline")
    text = render("gitlab", report([quiet, finding(5)]))
    assert not text.startswith("\ufeff")
    assert [i["location"]["lines"]["begin"] for i in json.loads(text)] == [5]


# -- text, concise, json -------------------------------------------------------------------------


def test_text_summary_by_severity_with_suppressed_counts():
    quiet = finding(9, "warning")
    quiet.suppression = Suppression("inline")
    base = finding(10, "warning")
    base.suppression = Suppression("baseline")
    out = render("text", report([finding(2), finding(3, "note"), quiet, base]))
    assert "Found 2 findings (1 error, 1 note) in 1 file" in out
    assert "2 suppressed (1 baseline, 1 inline)." in out
    assert "\033[" not in out


def test_text_color_only_when_asked(monkeypatch):
    assert "\033[" not in cli("check", VULNERABLE)  # CliRunner is not a TTY
    assert "\033[31m" in cli("check", VULNERABLE, "--color", "always")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\033[" in cli("check", VULNERABLE)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in cli("check", VULNERABLE)
    assert "\033[" in cli("check", VULNERABLE, "--color", "always")


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "gitlab", "concise"])
def test_machine_formats_are_never_coloured(fmt):
    assert "\033[" not in cli("check", VULNERABLE, "-f", fmt, "--color", "always")


def test_concise_one_line_per_finding():
    lines = cli("check", VULNERABLE, "-f", "concise").splitlines()
    assert all(
        re.match(
            r"^samples/cloudformation/vulnerable\.yaml:\d+:\d+: (error|warning|note) SLS\d{3} ", x
        )
        for x in lines[:-1]
    )
    assert lines[-1] == f"Found {len(lines) - 1} findings."


def test_json_documented_fields():
    document = json.loads(cli("check", VULNERABLE, "-f", "json"))
    assert document["schema_version"] == 1
    assert set(document["summary"]) >= {"files", "findings", "suppressed", "by_severity"}
    item = document["findings"][0]
    assert set(item) == {
        "rule_id", "rule_name", "severity", "message", "location", "path", "resource",
        "resource_type", "property_path", "format", "fingerprint", "related", "suppressed",
    }  # fmt: skip
    assert set(item["location"]) == {"file", "line", "column", "end_line", "end_column"}
    assert document["summary"]["findings"] == len(document["findings"])
