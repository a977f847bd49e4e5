"""SARIF output: the official 2.1.0 schema, Microsoft's validator with GitHub's rules, and the
properties code scanning reads (relative URIs, fingerprints, rule metadata, suppressions)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SAMPLES, SHARED

from sls_lint.cli.main import main

SCHEMA = SHARED / "sarif-schema-2.1.0.json"
MULTITOOL = REPO / ".ci/node/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
VULNERABLE = SAMPLES / "cloudformation" / "vulnerable.yaml"


def sarif_of(*args: str) -> dict:
    result = CliRunner().invoke(main, ["check", *args, "-f", "sarif"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # stderr may note a named file that is not linted


def sample_files() -> list[Path]:
    """Every sample file, whatever its format: new formats are covered as they appear."""
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.exists():
        pytest.skip(f"SARIF schema not found at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text())
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def all_samples_sarif(tmp_path_factory) -> Path:
    """SARIF of every sample in one run, with suppressed results and related locations."""
    out = tmp_path_factory.mktemp("sarif") / "samples.sarif"
    result = CliRunner().invoke(
        main,
        ["check", str(SAMPLES), "-f", "sarif", "-o", str(out), "--sarif-category", "iac/"],
    )
    assert result.exit_code in (0, 1), result.output
    return out


def test_every_sample_is_schema_valid(validator):
    for sample in sample_files():
        document = sarif_of(str(sample))
        errors = sorted(validator.iter_errors(document), key=str)
        assert not errors, (sample, errors[:3])


def test_all_samples_together_are_schema_valid(validator, all_samples_sarif):
    document = json.loads(all_samples_sarif.read_text())
    assert not sorted(validator.iter_errors(document), key=str)


def test_microsoft_validator_with_github_rules_reports_nothing(all_samples_sarif, tmp_path):
    if not MULTITOOL.exists():
        pytest.skip("Sarif.Multitool not installed (.ci/run installs it with npm)")
    log = tmp_path / "validation.sarif"
    # `--log` takes a list: the file to validate must not follow it directly.
    done = subprocess.run(
        [
            str(MULTITOOL),
            "validate",
            "-o",
            str(log),
            "--log",
            "ForceOverwrite",
            "--rule-kind",
            "Gh;Sarif",
            "--level",
            "Error;Warning",
            str(all_samples_sarif),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert log.exists(), done.stdout + done.stderr
    results = json.loads(log.read_text())["runs"][0]["results"]
    problems = [
        (r["ruleId"], r.get("level", "warning"), r["message"])
        for r in results
        if r.get("level", "warning") in ("error", "warning")
    ]
    assert problems == []


def test_the_validator_does_catch_problems(tmp_path):
    """Guards the test above: a broken document must produce validator results."""
    if not MULTITOOL.exists():
        pytest.skip("Sarif.Multitool not installed")
    document = sarif_of(str(VULNERABLE))
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"
    ] = "/absolute/path.yaml"
    bad = tmp_path / "bad.sarif"
    bad.write_text(json.dumps(document))
    log = tmp_path / "log.sarif"
    subprocess.run(
        [str(MULTITOOL), "validate", "-o", str(log), "--log", "ForceOverwrite"]
        + ["--rule-kind", "Gh;Sarif", str(bad)],
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert json.loads(log.read_text())["runs"][0]["results"]


def test_one_run_with_driver_and_every_enabled_rule():
    document = sarif_of(str(VULNERABLE), "--select", "SLS2,SLS101")
    assert document["$schema"].endswith("sarif-2.1.0.json")
    assert len(document["runs"]) == 1
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "sls-lint" and driver["version"] and driver["informationUri"]
    ids = [r["id"] for r in driver["rules"]]
    assert "SLS101" in ids and "SLS209" in ids and "SLS301" not in ids
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        props = rule["properties"]
        assert isinstance(props["security-severity"], str)
        assert 0.0 < float(props["security-severity"]) <= 10.0
        assert props["precision"] in ("very-high", "high", "medium", "low")
        assert "security" in props["tags"]
        assert "```yaml" in rule["help"]["markdown"] or "```hcl" in rule["help"]["markdown"]
        assert " fail\n" not in rule["help"]["markdown"]


def test_results_point_at_the_files_and_lines():
    run = sarif_of(str(VULNERABLE))["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "samples/cloudformation/vulnerable.yaml"
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert region["endLine"] >= region["startLine"] and region["endColumn"] >= 1
        assert "primaryLocationLineHash" in result["partialFingerprints"]
        assert "slsLintFingerprint/v1" in result["partialFingerprints"]
        assert result["level"] in ("error", "warning", "note")
    wildcard = next(r for r in run["results"] if r["ruleId"] == "SLS201")
    assert wildcard["locations"][0]["physicalLocation"]["region"]["startLine"] == 26
    logical = wildcard["locations"][0]["logicalLocations"][0]
    assert logical["fullyQualifiedName"].startswith("OrdersRole")


def test_uris_are_relative_to_the_repository_root_from_any_directory(monkeypatch):
    monkeypatch.chdir(SAMPLES / "cloudformation")
    run = sarif_of("vulnerable.yaml")["runs"][0]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {"samples/cloudformation/vulnerable.yaml"}
    run = sarif_of("vulnerable.yaml", "--sarif-root", str(SAMPLES))["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "cloudformation/vulnerable.yaml"


def test_uris_are_percent_encoded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "my stacks"
    folder.mkdir()
    (folder / "t#1.yaml").write_text(VULNERABLE.read_text())
    run = sarif_of(".", "--sarif-root", str(tmp_path))["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20stacks/t%231.yaml"


def test_fingerprints_survive_line_moves(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = VULNERABLE.read_text()
    Path("t.yaml").write_text(text)
    before = sarif_of("t.yaml", "--sarif-root", ".")["runs"][0]["results"]
    Path("t.yaml").write_text("# a comment\n# another\n" + text)
    after = sarif_of("t.yaml", "--sarif-root", ".")["runs"][0]["results"]

    def keys(results, name):
        return sorted(r["partialFingerprints"][name] for r in results)

    assert keys(before, "slsLintFingerprint/v1") == keys(after, "slsLintFingerprint/v1")
    assert keys(before, "primaryLocationLineHash") == keys(after, "primaryLocationLineHash")
    lines = sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after)
    assert lines == sorted(
        r["locations"][0]["physicalLocation"]["region"]["startLine"] + 2 for r in before
    )


def test_category_and_suppressions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = VULNERABLE.read_text().replace(
        '                Action: "*"',
        '                Action: "*"  # sls-lint: ignore[SLS201] legacy',
    )
    Path("t.yaml").write_text(text)
    run = sarif_of("t.yaml", "--sarif-category", "iac/serverless")["runs"][0]
    assert run["automationDetails"]["id"] == "iac/serverless/"
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["SLS201"]
    assert suppressed[0]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "legacy"}
    ]
    run = sarif_of("t.yaml", "--no-include-suppressed")["runs"][0]
    assert not any(r.get("suppressions") for r in run["results"])
    assert "automationDetails" not in run


def test_severity_override_changes_level_and_rule_default():
    run = sarif_of(str(VULNERABLE), "--severity", "SLS201=warning")["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "SLS201")
    assert rule["defaultConfiguration"]["level"] == "warning"
    assert {r["level"] for r in run["results"] if r["ruleId"] == "SLS201"} == {"warning"}


def test_parse_errors_are_results_with_a_described_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("bad.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X: [\n")
    run = sarif_of("bad.yaml")["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["SLS000"]
    rule = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]
    assert rule["id"] == "SLS000" and rule["name"] == "parse-error"


def test_output_is_deterministic():
    assert sarif_of(str(VULNERABLE)) == sarif_of(str(VULNERABLE))
