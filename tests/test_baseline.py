"""Baselines: only new findings fail; line moves and unrelated edits do not resurrect old ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from sls_lint.cli.main import main
from sls_lint.model.findings import Finding
from sls_lint.model.graph import Location
from sls_lint.sources.located import Mark
from sls_lint.state import baseline

VULNERABLE = (SAMPLES / "cloudformation" / "vulnerable.yaml").read_text()


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("stacks").mkdir()
    Path("stacks/t.yaml").write_text(VULNERABLE)
    return tmp_path


def active(*args: str) -> list[dict]:
    result = cli("check", *args, "-f", "json")
    assert result.exit_code in (0, 1), result.output
    return [f for f in json.loads(result.output)["findings"] if f["suppressed"] is None]


def test_write_then_check_is_clean_and_new_findings_fail(project):
    written = cli("check", "stacks", "--write-baseline", "baseline.json")
    assert written.exit_code == 0, written.output
    assert cli("check", "stacks", "--baseline", "baseline.json").exit_code == 0
    text = Path("stacks/t.yaml").read_text()
    assert 'Action: "*"' in text
    Path("stacks/t.yaml").write_text(text.replace('Action: "*"', 'Action: ["*", "iam:*"]', 1))
    new = active("stacks", "--baseline", "baseline.json")
    ids = {f["rule_id"] for f in new}
    assert "SLS202" in ids and "SLS201" not in ids  # iam:* is new; Action '*' was recorded
    assert cli("check", "stacks", "--baseline", "baseline.json").exit_code == 1


def test_line_moves_and_unrelated_edits_do_not_resurrect(project):
    cli("check", "stacks", "--write-baseline", "baseline.json")
    moved = "# header comment\n# another one\n\n" + VULNERABLE.replace(
        "Resources:", "Resources:\n  Extra:\n    Type: AWS::S3::Bucket", 1
    )
    Path("stacks/t.yaml").write_text(moved)
    assert active("stacks", "--baseline", "baseline.json") == []


def test_same_resource_in_two_files_is_not_confused(project):
    Path("stacks/second.yaml").write_text(VULNERABLE)
    cli("check", "stacks/t.yaml", "--write-baseline", "baseline.json")
    remaining = active("stacks", "--baseline", "baseline.json")
    assert remaining and {f["path"] for f in remaining} == {"stacks/second.yaml"}


def test_baseline_works_from_another_directory(project, monkeypatch):
    cli("check", "stacks", "--write-baseline", "baseline.json")
    monkeypatch.chdir(project / "stacks")
    assert cli("check", ".", "--baseline", "../baseline.json").exit_code == 0


def test_baseline_file_is_deterministic_and_documented_shape(project):
    cli("check", "stacks", "--write-baseline", "a.json")
    cli("check", "stacks", "--write-baseline", "b.json")
    assert Path("a.json").read_bytes() == Path("b.json").read_bytes()
    document = json.loads(Path("a.json").read_text())
    assert document["version"] == 1 and document["tool"] == "sls-lint"
    row = document["findings"][0]
    assert set(row) == {"rule_id", "file", "resource", "fingerprint", "message"}
    assert row["file"] == "stacks/t.yaml"
    assert document["findings"] == sorted(
        document["findings"],
        key=lambda r: (r["file"], r["rule_id"], r["resource"], r["fingerprint"]),
    )


def test_counts_matter_for_identical_findings(tmp_path):
    def twin() -> Finding:
        return Finding("SLS201", "x", "error", "m", Location("t.yaml", Mark(1, 1, 1, 2)), "R")

    path = tmp_path / "b.json"
    baseline.write([twin()], path)
    findings = [twin(), twin()]
    assert baseline.apply(findings, path) == 1
    assert [f.suppression is None for f in findings] == [False, True]


def test_baselined_findings_are_suppressed_not_hidden(project):
    cli("check", "stacks", "--write-baseline", "baseline.json")
    data = json.loads(cli("check", "stacks", "-f", "json", "--baseline", "baseline.json").output)
    assert data["summary"]["findings"] == 0
    assert data["summary"]["suppressed_by_kind"] == {"baseline": data["summary"]["suppressed"]}


@pytest.mark.parametrize(
    "content", ["not json", '{"version": 99, "findings": []}', '{"version": 1, "findings": [{}]}']
)
def test_bad_baseline_is_usage_error(project, content):
    Path("b.json").write_text(content)
    result = cli("check", "stacks", "--baseline", "b.json")
    assert result.exit_code == 2 and "b.json" in result.output


def test_missing_baseline_is_usage_error(project):
    result = cli("check", "stacks", "--baseline", "nope.json")
    assert result.exit_code == 2 and "not found" in result.output


def test_baseline_from_config_is_relative_to_it(project):
    cli("check", "stacks", "--write-baseline", "ci/baseline.json")
    Path("stacks/.sls-lint.toml").write_text('baseline = "../ci/baseline.json"\n')
    assert cli("check", "stacks").exit_code == 0
