"""SARIF output validated against the official SARIF 2.1.0 schema (in ../shared)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, SHARED
from sls_lint.cli import main
from sls_lint.reporters.line_hash import line_hashes

SCHEMA = SHARED / "sarif-schema-2.1.0.json"


def sarif_of(*paths: str) -> dict:
    result = CliRunner().invoke(main, ["check", *paths, "-f", "sarif"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.exists():
        pytest.skip(f"SARIF schema not found at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text())
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def test_sarif_is_schema_valid(validator):
    for sample in ("vulnerable.yaml", "fixed.yaml"):
        document = sarif_of(str(SAMPLES / "cloudformation" / sample))
        errors = sorted(validator.iter_errors(document), key=str)
        assert not errors, errors[:3]


def test_results_point_at_the_files_and_lines():
    document = sarif_of(str(SAMPLES / "cloudformation" / "vulnerable.yaml"))
    run = document["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
        assert isinstance(
            run["tool"]["driver"]["rules"][result["ruleIndex"]]["properties"]["security-severity"],
            str,
        )
        assert "primaryLocationLineHash" in result["partialFingerprints"]
    wildcard = next(r for r in run["results"] if r["ruleId"] == "SLS201")
    assert wildcard["locations"][0]["physicalLocation"]["region"]["startLine"] == 26


def test_line_hash_ignores_whitespace_and_counts_repeats():
    hashes = line_hashes("a\nb\na\nb\n")
    assert hashes[1].split(":")[0] != hashes[2].split(":")[0]
    assert line_hashes("  x = 1\n")[1] == line_hashes("x=1\n")[1]
    repeated = line_hashes("same\n" * 3)
    assert len(repeated) == 3
