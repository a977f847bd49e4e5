"""docs/policy.schema.json is current, valid, accepts the shipped policies and rejects typos."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sls_lint.policies.schema import render

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "docs" / "policy.schema.json"
SHIPPED = sorted((ROOT / "docs" / "policies").glob("*.yaml")) + sorted(
    (ROOT / "examples" / "policies").glob("*.yaml")
)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_file_is_current():
    assert SCHEMA_FILE.read_text() == render(), (
        "docs/policy.schema.json is stale: python -m sls_lint.policies.schema > "
        "docs/policy.schema.json"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_policies_validate(validator, path):
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
    assert not errors, [e.message for e in errors]


BASE = {"id": "ORG001", "name": "p", "summary": "s", "subject": "function"}


@pytest.mark.parametrize(
    "change",
    [
        {"condition": {"attribute": "runtime", "equal": "x"}},
        {"condition": {"attribute": "runtme", "equals": "x"}},
        {"condition": {"attribute": "runtime"}},
        {"condition": {"relation": "invoked-by"}},
        {"condition": {"relation": "invoked_by", "quantifier": "some"}},
        {"condition": {"all": []}},
        {"severity": "fatal"},
        {"id": "SLS999"},
        {"subject": "lambda"},
        {"colour": "red"},
        {"examples": [{"format": "cdk", "expect": "fail", "source": "x"}]},
    ],
)
def test_schema_rejects_broken_policies(validator, change):
    assert list(validator.iter_errors({**BASE, **change}))
