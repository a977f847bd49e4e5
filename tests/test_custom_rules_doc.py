"""docs/custom-rules.md: its worked example runs, and every rule is addressed the same way.

Issue #17 item 12: internal ids (every `INTERNAL_RULES` entry) and custom rules whose ids do
not start with `SLS` can be selected, ignored, re-graded, suppressed inline and explained; a
custom rule's SARIF `helpUri` is its own or absent, never a link into sls-lint's docs.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SAMPLES, lint_text

from sls_lint.cli.main import main
from sls_lint.reporters.catalogue import INTERNAL_RULES

DOC = REPO / "docs" / "custom-rules.md"
RULE_FILE = "acme_timeout.py"


def _blocks(fence: str, language: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{fence}{language}\n(.*?)^{fence}$", re.S | re.M)
    return pattern.findall(text)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The page's rule in `policies/`, its template as `template.yaml`, cwd in the project."""
    (code,) = _blocks("````", "python")
    yaml_blocks = _blocks("```", "yaml")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / RULE_FILE).write_text(code, encoding="utf-8")
    (tmp_path / "template.yaml").write_text(yaml_blocks[0], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def findings(*args: str) -> list[dict]:
    result = run("check", "template.yaml", "--rule-folder", "policies", "-f", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)["findings"]


def _rule_class(project: Path):
    spec = importlib.util.spec_from_file_location("doc_acme_rule", project / "policies" / RULE_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["doc_acme_rule"] = module
    spec.loader.exec_module(module)
    return module.FunctionTimeoutOverLimit


def test_the_worked_example_finds_the_long_timeout(project):
    found = [f for f in findings() if f["rule_id"] == "ACME001"]
    assert len(found) == 1
    assert found[0]["location"]["line"] == 10 and "900 s" in found[0]["message"]


def test_the_worked_example_rule_passes_its_own_examples(project, tmp_path_factory):
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import lint_paths

    rule = _rule_class(project)
    examples = rule.examples()
    assert {(e.format, e.expect) for e in examples} == {
        (fmt, expect)
        for fmt in ("cloudformation", "sam", "serverless", "terraform")
        for expect in ("fail", "pass")
    }
    for index, example in enumerate(examples):
        folder = tmp_path_factory.mktemp(f"example{index}")
        lint_text(folder, example.format, example.source)  # writes the file
        os.chdir(folder)
        result = lint_paths([folder], [rule()], LintOptions())
        errors = [f.message for f in result.findings if f.rule_id in ("SLS000", "SLS001")]
        assert not errors
        fired = [f for f in result.findings if f.rule_id == "ACME001"]
        assert bool(fired) == (example.expect == "fail"), (example.format, example.expect)


def test_custom_ids_are_selected_ignored_and_regraded(project):
    assert {f["rule_id"] for f in findings("--select", "ACME001")} == {"ACME001"}
    assert {f["rule_id"] for f in findings("--select", "acme")} == {"ACME001"}
    assert "ACME001" not in {f["rule_id"] for f in findings("--ignore", "ACME001")}
    assert "ACME001" not in {f["rule_id"] for f in findings("--ignore", "acme")}
    regraded = findings("--select", "ACME001", "--severity", "ACME001=error")
    assert [f["severity"] for f in regraded] == ["error"]


def test_custom_ids_are_suppressed_inline(project):
    template = project / "template.yaml"
    template.write_text(
        template.read_text().replace(
            "Timeout: 900", "Timeout: 900  # sls-lint: ignore[ACME001] nightly batch"
        )
    )
    found = [f for f in findings("--select", "ACME001") if f["rule_id"] == "ACME001"]
    assert len(found) == 1 and found[0]["suppressed"], found


def test_explain_accepts_rule_folder_and_config(project):
    result = run("explain", "ACME001", "--rule-folder", "policies")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ACME001 function-timeout-over-limit")
    assert "More: https://wiki.example.com/platform/lambda-limits" in result.output
    assert run("explain", "acme001", "--rule-folder", "policies").exit_code == 0
    (project / "ci.toml").write_text('rule-folders = ["policies"]\n')
    by_config = run("explain", "function-timeout-over-limit", "--config", "ci.toml")
    assert by_config.exit_code == 0, by_config.output
    assert run("explain", "ACME001").exit_code == 2  # not loaded without the folder


def test_sarif_help_uri_comes_from_the_rule_or_is_omitted(project):
    def descriptor(rule_file: str) -> dict:
        result = run(
            "check", "template.yaml", "--rule-folder", "policies", "--select", "ACME001",
            "-f", "sarif",
        )  # fmt: skip
        rules = json.loads(result.output)["runs"][0]["tool"]["driver"]["rules"]
        return next(r for r in rules if r["id"] == "ACME001")

    assert descriptor(RULE_FILE)["helpUri"] == "https://wiki.example.com/platform/lambda-limits"
    source = project / "policies" / RULE_FILE
    source.write_text(
        source.read_text().replace(
            '    help_url = "https://wiki.example.com/platform/lambda-limits"\n', ""
        )
    )
    assert "helpUri" not in descriptor(RULE_FILE)


def test_internal_ids_are_addressable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "template.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A: [\n'
    )

    def ids(*args: str) -> list[tuple[str, str]]:
        result = run("check", "template.yaml", "-f", "json", *args)
        assert result.exit_code in (0, 1), result.output
        return [(f["rule_id"], f["severity"]) for f in json.loads(result.output)["findings"]]

    assert ids() == [("SLS000", "error")]
    assert ids("--select", "SLS2") == [("SLS000", "error")]  # still told: nothing was checked
    assert ids("--select", "SLS000") == [("SLS000", "error")]
    assert ids("--ignore", "SLS000") == []
    assert ids("--severity", "SLS000=warning") == [("SLS000", "warning")]
    assert ids("--severity", "parse-error=note") == [("SLS000", "note")]


def test_loader_notices_are_addressable_like_any_rule(tmp_path, monkeypatch):
    """SLS006 (and every other internal id the loaders raise) is selected, ignored, re-graded
    and suppressed inline through the same catalogue-driven mechanism as SLS000-SLS003."""
    monkeypatch.chdir(tmp_path)
    template = (
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Topic:\n'
        "    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: a\n"
        "      TopicName: b{comment}\n"
    )
    (tmp_path / "template.yaml").write_text(template.format(comment=""))

    def ids(*args: str) -> list[tuple[str, str, bool]]:
        result = run("check", "template.yaml", "-f", "json", "--include-suppressed", *args)
        assert result.exit_code in (0, 1), result.output
        return [
            (f["rule_id"], f["severity"], bool(f.get("suppressed")))
            for f in json.loads(result.output)["findings"]
        ]

    assert ids() == [("SLS006", "warning", False)]
    assert ids("--select", "SLS2") == [("SLS006", "warning", False)]
    assert ids("--ignore", "SLS006") == []
    assert ids("--ignore", "duplicate-key") == []
    assert ids("--severity", "sls006=error") == [("SLS006", "error", False)]
    (tmp_path / "template.yaml").write_text(
        template.format(comment="  # sls-lint: ignore[SLS006] reviewed")
    )
    assert ids("--report-unused-suppressions") == [("SLS006", "warning", True)]


@pytest.mark.parametrize("rule_id", sorted(INTERNAL_RULES))
def test_every_internal_id_is_explained_and_listed(rule_id, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    explained = run("explain", rule_id.lower())
    assert explained.exit_code == 0 and explained.output.startswith(rule_id), explained.output
    (tmp_path / ".sls-lint.toml").write_text(f'ignore = ["{rule_id}"]\n')
    listing = {r["id"]: r for r in json.loads(run("rules", "--format", "json").output)}
    assert not listing[rule_id]["enabled"]


def test_select_sls002_reports_unused_suppressions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (SAMPLES / "cloudformation" / "fixed.yaml").read_text()
    (tmp_path / "template.yaml").write_text("# sls-lint: ignore[SLS201] stale\n" + text)
    result = run("check", "template.yaml", "-f", "json", "--extend-select", "SLS002")
    assert [f["rule_id"] for f in json.loads(result.output)["findings"]] == ["SLS002"]
    quiet = run("check", "template.yaml", "-f", "json")
    assert json.loads(quiet.output)["findings"] == []


def test_internal_rules_are_listed_with_overrides(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".sls-lint.toml").write_text('ignore = ["SLS003"]\n[severity]\nSLS000 = "note"\n')
    listing = {r["id"]: r for r in json.loads(run("rules", "--format", "json").output)}
    assert listing["SLS000"]["severity"] == "note" and listing["SLS000"]["enabled"]
    assert not listing["SLS003"]["enabled"]


def test_custom_ids_are_suppressed_by_template_metadata(project):
    template = project / "template.yaml"
    template.write_text(
        template.read_text().replace(
            "    Properties:\n",
            "    Metadata:\n      sls-lint:\n        ignore: [{id: acme001, reason: batch}]\n"
            "    Properties:\n",
            1,
        )
    )
    found = [f for f in findings("--select", "ACME001") if f["rule_id"] == "ACME001"]
    assert len(found) == 1 and found[0]["suppressed"], found


def test_rules_lists_custom_rules_from_a_folder(project):
    listing = json.loads(run("rules", "--format", "json", "--rule-folder", "policies").output)
    entry = next(r for r in listing if r["id"] == "ACME001")
    assert entry["help_uri"] == "https://wiki.example.com/platform/lambda-limits"
    assert entry["enabled"]
