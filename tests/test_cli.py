"""The command line: exit codes, formats, rule catalogue commands."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from sls_lint.cli import main

VULNERABLE = str(SAMPLES / "cloudformation" / "vulnerable.yaml")
FIXED = str(SAMPLES / "cloudformation" / "fixed.yaml")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_findings_exit_1_clean_exit_0():
    assert run("check", VULNERABLE).exit_code == 1
    assert run("check", FIXED).exit_code == 0


def test_missing_path_is_usage_error():
    result = run("check", "does/not/exist.yaml")
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_unknown_selector_is_usage_error():
    assert run("check", FIXED, "--select", "SLS999").exit_code == 2


def test_exit_zero_and_fail_on():
    assert run("check", VULNERABLE, "--exit-zero").exit_code == 0
    only_notes = run("check", VULNERABLE, "--select", "SLS304", "--fail-on", "warning")
    assert only_notes.exit_code == 0
    assert "SLS304" in only_notes.output


def test_select_and_ignore_by_id_prefix_and_name():
    out = json.loads(run("check", VULNERABLE, "-f", "json", "--select", "SLS2").output)
    assert {f["rule_id"] for f in out["findings"]} == {"SLS201", "SLS202", "SLS203"}
    out = json.loads(
        run(
            "check", VULNERABLE, "-f", "json", "--select", "SLS2", "--ignore", "iam-wildcard-action"
        ).output
    )
    assert {f["rule_id"] for f in out["findings"]} == {"SLS202", "SLS203"}


def test_parse_error_is_a_finding_and_the_run_goes_on(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X: [\n")
    shutil.copy(VULNERABLE, tmp_path / "good.yaml")
    result = run("check", str(tmp_path), "-f", "json")
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    parse_errors = [f for f in findings if f["rule_id"] == "SLS000"]
    assert len(parse_errors) == 1 and parse_errors[0]["location"]["line"] >= 3
    assert any(f["rule_id"] == "SLS201" for f in findings)


def test_non_infrastructure_yaml_is_skipped_silently(tmp_path):
    (tmp_path / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    (tmp_path / "package.json").write_text('{"name": "x"}')
    result = run("check", str(tmp_path))
    assert result.exit_code == 0
    assert "No findings in 0 files" in result.output


def test_several_formats_in_one_run(tmp_path):
    target = tmp_path / "out.sarif"
    result = run(
        "check", VULNERABLE, "--format", "sarif", "--output", str(target), "--format", "text"
    )
    assert result.exit_code == 1
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert "SLS201" in result.output


def test_rules_and_explain():
    listing = run("rules")
    assert listing.exit_code == 0 and "SLS101" in listing.output
    data = json.loads(run("rules", "--format", "json").output)
    assert {"SLS101", "SLS601"} <= {r["id"] for r in data}
    explained = run("explain", "SLS201")
    assert explained.exit_code == 0
    assert "```cloudformation fail" in explained.output
    assert run("explain", "SLS999").exit_code == 2


def test_graph_export_dot_and_json():
    dot = run("graph", VULNERABLE)
    assert dot.exit_code == 0 and "invokes" in dot.output
    data = json.loads(run("graph", VULNERABLE, "--format", "json").output)
    kinds = {n["kind"] for n in data["nodes"]}
    assert {"function", "role", "route", "api", "stage", "statement"} <= kinds


def test_console_script_version():
    exe = shutil.which("sls-lint")
    if exe is None:
        pytest.skip("sls-lint is not installed as a console script")
    done = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "sls-lint" in done.stdout


def test_module_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "sls_lint", "check", FIXED],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
