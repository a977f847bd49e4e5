"""Sanity checks for the bundled AWS SAM policy-template data file."""

import json
import re
from pathlib import Path

import pytest

ACTION_RE = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*]+$")


def _load():
    try:
        from importlib.resources import files

        text = (files("sls_lint") / "data" / "sam_policy_templates.json").read_text(
            encoding="utf-8"
        )
    except (ModuleNotFoundError, FileNotFoundError):
        path = (
            Path(__file__).resolve().parent.parent / "linter" / "data" / "sam_policy_templates.json"
        )
        text = path.read_text(encoding="utf-8")
    return json.loads(text)["templates"]


@pytest.fixture(scope="module")
def templates():
    return _load()


def _grants(template, action):
    """Resources of Allow statements in `template` whose actions include `action`."""
    return [
        r
        for s in template["statements"]
        if s["effect"] == "Allow" and action in s.get("actions", [])
        for r in s["resources"]
    ]


def test_template_count(templates):
    assert len(templates) >= 70


@pytest.mark.parametrize("action", ["s3:PutObject", "s3:DeleteObject"])
def test_s3_crud_policy_writes_to_bucket(templates, action):
    resources = _grants(templates["S3CrudPolicy"], action)
    assert resources
    assert any("${BucketName}" in r for r in resources)


def test_secrets_manager_get_secret_value(templates):
    assert _grants(
        templates["AWSSecretsManagerGetSecretValuePolicy"], "secretsmanager:GetSecretValue"
    )


def test_vpc_access_policy_is_wildcard(templates):
    resources = [r for s in templates["VPCAccessPolicy"]["statements"] for r in s["resources"]]
    assert "*" in resources


def test_action_format(templates):
    bad = [
        (name, action)
        for name, tpl in templates.items()
        for s in tpl["statements"]
        for action in s.get("actions", []) + s.get("not_actions", [])
        if not ACTION_RE.match(action)
    ]
    assert not bad
