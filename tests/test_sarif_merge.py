"""`merge-sarif`: the SARIF files of `check --shard K/N` runs become one valid run."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, SHARED

from sls_lint.cli.main import main
from sls_lint.state.sarif_merge import merge

SCHEMA = SHARED / "sarif-schema-2.1.0.json"
SHARDS = 3


def _sarif(*args: str) -> dict:
    result = CliRunner().invoke(
        main,
        ["check", "--isolated", str(SAMPLES), "-f", "sarif", "--sarif-category", "iac/", *args],
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def whole() -> dict:
    return _sarif()


@pytest.fixture(scope="module")
def shards() -> list[dict]:
    return [_sarif("--shard", f"{k}/{SHARDS}") for k in range(1, SHARDS + 1)]


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.exists():
        pytest.skip(f"SARIF schema not found at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text())
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def _canonical(results: list[dict]) -> list[str]:
    """Results without `ruleIndex` (the merged rule list is sorted by id, a run's is not)."""
    return sorted(
        json.dumps({k: v for k, v in r.items() if k != "ruleIndex"}, sort_keys=True)
        for r in results
    )


def test_merged_shards_are_schema_valid(validator, shards):
    merged = merge(shards)
    errors = sorted(validator.iter_errors(merged), key=str)
    assert not errors, errors[:3]
    assert len(merged["runs"]) == 1


def test_merged_shards_equal_the_unsharded_run(whole, shards):
    assert sum(bool(s["runs"][0]["results"]) for s in shards) >= 2, "shards should find things"
    merged = merge(shards)
    run, expected = merged["runs"][0], whole["runs"][0]
    assert _canonical(run["results"]) == _canonical(expected["results"])
    assert run["automationDetails"] == expected["automationDetails"] == {"id": "iac/"}
    assert run["tool"]["driver"]["name"] == "sls-lint"
    merged_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert merged_ids == sorted({r["id"] for r in expected["tool"]["driver"]["rules"]})


def test_every_rule_index_points_at_its_rule(shards):
    run = merge(shards)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_rule_lists_that_differ_are_unioned_and_reindexed(shards):
    """A shard that added an internal rule (SLS000) shifts no other shard's indices."""
    first = copy.deepcopy(shards[0])
    driver = first["runs"][0]["tool"]["driver"]
    extra = {"id": "SLS999", "name": "made-up", "shortDescription": {"text": "x"}}
    driver["rules"].insert(0, extra)
    for result in first["runs"][0]["results"]:
        result["ruleIndex"] += 1
    first["runs"][0]["results"].append(
        {"ruleId": "SLS999", "ruleIndex": 0, "message": {"text": "made up"}, "locations": []}
    )
    run = merge([first, *shards[1:]])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert any(r["ruleId"] == "SLS999" for r in run["results"])


def test_merge_is_deterministic_whatever_the_input_order(shards):
    expected = json.dumps(merge(shards))
    assert json.dumps(merge(list(reversed(shards)))) == expected
    assert json.dumps(merge([shards[1], shards[2], shards[0]])) == expected


def test_merge_does_not_change_its_inputs(shards):
    before = json.dumps(shards)
    merge(shards)
    assert json.dumps(shards) == before


def test_a_single_input_is_one_run_of_its_own(whole):
    merged = merge([whole])
    assert _canonical(merged["runs"][0]["results"]) == _canonical(whole["runs"][0]["results"])


def test_different_tools_are_not_merged(shards):
    other = copy.deepcopy(shards[1])
    other["runs"][0]["tool"]["driver"]["version"] = "9.9.9"
    with pytest.raises(ValueError, match="different tools"):
        merge([shards[0], other])


def test_different_categories_are_not_merged(shards):
    other = copy.deepcopy(shards[1])
    other["runs"][0]["automationDetails"] = {"id": "other/"}
    with pytest.raises(ValueError, match="automationDetails"):
        merge([shards[0], other])


@pytest.mark.parametrize("bad", [{}, {"runs": "x"}, {"version": "2.0.0", "runs": []}, []])
def test_what_is_not_sarif_is_an_error(bad):
    with pytest.raises(ValueError):
        merge([bad])


def test_merge_sarif_command(tmp_path, shards, validator):
    inputs = []
    for number, document in enumerate(shards, 1):
        path = tmp_path / f"shard{number}.sarif"
        path.write_text(json.dumps(document), encoding="utf-8")
        inputs.append(str(path))
    out = tmp_path / "merged.sarif"
    result = CliRunner().invoke(main, ["merge-sarif", str(out), *inputs])
    assert result.exit_code == 0, result.output
    merged = json.loads(out.read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(merged))
    assert merged == merge(shards)
