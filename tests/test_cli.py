"""The command line: exit codes, formats, rule catalogue commands."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, tool

from sls_lint.cli.main import main

VULNERABLE = str(SAMPLES / "cloudformation" / "vulnerable.yaml")
FIXED = str(SAMPLES / "cloudformation" / "fixed.yaml")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


CLEAN = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"


def test_findings_exit_1_clean_exit_0(tmp_path):
    assert run("check", VULNERABLE).exit_code == 1
    clean = tmp_path / "template.yaml"
    clean.write_text(CLEAN)
    assert run("check", str(clean)).exit_code == 0


def test_fixed_sample_is_clean():
    result = run("check", FIXED)
    assert result.exit_code == 0, result.output


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
    assert dot.exit_code == 0 and "digraph" in dot.output and "OrdersFunction" in dot.output
    data = json.loads(run("graph", VULNERABLE, "--format", "json", "--detail", "full").output)
    (graph,) = data["graphs"]
    kinds = {n["kind"] for n in graph["nodes"]}
    assert {"function", "role", "route", "api", "stage", "statement"} <= kinds
    assert "invokes" in {e["kind"] for e in graph["edges"]}


def test_console_script_version():
    exe = tool("sls-lint")
    if exe is None:
        pytest.skip("sls-lint is not installed as a console script")
    done = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "sls-lint" in done.stdout


def test_module_entry_point(tmp_path):
    clean = tmp_path / "template.yaml"
    clean.write_text(CLEAN)
    done = subprocess.run(
        [sys.executable, "-m", "sls_lint", "check", str(clean)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_outputs_pair_with_formats_and_dash_is_stdout(tmp_path):
    sarif, junit = tmp_path / "a.sarif", tmp_path / "r" / "junit.xml"
    result = run(
        "check", VULNERABLE, "-f", "sarif", "-o", str(sarif), "-f", "json", "-o", "-",
        "-f", "junit", "-o", str(junit),
    )  # fmt: skip
    assert result.exit_code == 1
    assert json.loads(sarif.read_text())["runs"][0]["results"]
    assert json.loads(result.output)["schema_version"] == 1
    assert junit.read_text().startswith("<?xml")
    assert run("check", VULNERABLE, "-o", "x.sarif", "-o", "y.sarif").exit_code == 2


def test_unwritable_output_is_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("check", VULNERABLE, "-f", "json", "-o", str(blocker / "out.json"))
    assert result.exit_code == 2 and "cannot write" in result.output


def test_bad_flags_are_usage_errors():
    assert run("check", VULNERABLE, "--var", "novalue").exit_code == 2
    assert run("check", VULNERABLE, "--severity", "SLS201=high").exit_code == 2
    assert run("check", VULNERABLE, "--severity", "SLS999=note").exit_code == 2
    assert run("check", VULNERABLE, "-f", "xml").exit_code == 2
    assert run("check", VULNERABLE, "--shard", "3/2").exit_code == 2


def test_fail_on_thresholds(tmp_path):
    args = ("check", VULNERABLE, "--select", "SLS304,SLS202")  # a note and a warning
    assert run(*args).exit_code == 1
    assert run(*args, "--fail-on", "warning").exit_code == 1
    assert run(*args, "--fail-on", "error").exit_code == 0
    assert run(*args, "--fail-on", "error", "--severity", "SLS304=error").exit_code == 1


def test_comma_separated_selectors():
    out = json.loads(run("check", VULNERABLE, "-f", "json", "--select", "SLS201,SLS202").output)
    assert {f["rule_id"] for f in out["findings"]} == {"SLS201", "SLS202"}


def test_rules_json_matches_sarif_rules():
    listing = {r["id"]: r for r in json.loads(run("rules", "--format", "json").output)}
    assert {"SLS000", "SLS001", "SLS002", "SLS003"} <= set(listing)
    sarif = json.loads(run("check", VULNERABLE, "-f", "sarif").output)
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
        entry = listing[rule["id"]]
        assert entry["name"] == rule["name"]
        assert entry["summary"] == rule["shortDescription"]["text"]
        assert entry["severity"] == rule["defaultConfiguration"]["level"]
        assert entry["help_uri"] == rule["helpUri"]
        assert f"{entry['security_severity']:.1f}" == rule["properties"]["security-severity"]


def test_explain_internal_rules_and_names():
    assert "unused" in run("explain", "SLS002").output
    assert run("explain", "iam-wildcard-action").output.startswith("SLS201")


def test_load_context_is_fed_from_flags_and_config(tmp_path, monkeypatch):
    from sls_lint.cli.check import CheckSettings, lint_options

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".sls-lint.toml").write_text(
        'region = "eu-west-1"\nvar-files = ["prod.tfvars"]\nmax-depth = 50\n'
        'max-file-bytes = 1000\nresolve-env = true\n[vars]\nenv = "prod"\n'
    )
    repeatable = (
        "formats", "outputs", "select", "extend_select", "ignore", "extend_ignore",
        "severity_overrides", "exclude", "extend_exclude", "rule_folders",
    )  # fmt: skip
    flags: dict = {name: () for name in repeatable}
    flags.update(
        config_file=None, isolated=False, show_config=False, fail_on=None, exit_zero=False,
        force_exclude=None, stage="dev", region=None, resolve_env=None, baseline=None,
        write_baseline=None, inline_suppressions=None, report_unused_suppressions=None,
        include_suppressed=None, sarif_root=None, sarif_category=None, shard=None, jobs=None,
        color="never", show_source=None, variables=("size=3",), var_files=(Path("x.tfvars"),),
    )  # fmt: skip
    options = lint_options(CheckSettings([Path(".")], flags))
    context = options.context
    assert (context.stage, context.region) == ("dev", "eu-west-1")
    assert context.variables == {"env": "prod", "size": "3"}
    assert context.var_files == (tmp_path / "prod.tfvars", Path("x.tfvars"))
    assert context.resolve_env is True and context.yaml_limits.max_depth == 50
    assert context.project_root == tmp_path
    assert options.discovery.max_file_bytes == 1000


def test_shard_and_merge_sarif(tmp_path):
    pytest.importorskip("sls_lint.run.sharding")
    pytest.importorskip("sls_lint.state.sarif_merge")
    parts = []
    for k in (1, 2):
        out = tmp_path / f"part{k}.sarif"
        result = run("check", str(SAMPLES), "--shard", f"{k}/2", "-f", "sarif", "-o", str(out))
        assert result.exit_code in (0, 1), result.output
        parts.append(str(out))
    merged = tmp_path / "all.sarif"
    assert run("merge-sarif", str(merged), *parts).exit_code == 0
    whole = json.loads(run("check", str(SAMPLES), "-f", "sarif").output)
    combined = json.loads(merged.read_text())
    assert len(combined["runs"]) == 1
    assert len(combined["runs"][0]["results"]) == len(whole["runs"][0]["results"])
