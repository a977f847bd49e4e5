"""Every rule's documented examples are executed: `fail` must fire, `pass` must not.

A rule must document a failing and a passing example for each format whose loader exists and
that the rule claims (`Rule.formats`), so the docs cannot drift from the behaviour.
"""

from __future__ import annotations

import importlib.util

import pytest
from conftest import lint_text

from sls_lint.loaders import LOADERS
from sls_lint.run.registry import load_rules

RULES = load_rules()
CASES = [
    pytest.param(rule, example, id=f"{rule.id}-{example.format}-{example.expect}-{index}")
    for rule in RULES
    for index, example in enumerate(rule.examples())
]


def _loader_exists(fmt: str) -> bool:
    return importlib.util.find_spec(LOADERS[fmt]) is not None


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule, example, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    findings = lint_text(tmp_path, example.format, example.source)
    errors = [f for f in findings if f.rule_id in ("SLS000", "SLS001")]
    assert not errors, [f.message for f in errors]
    fired = [f for f in findings if f.rule_id == rule.id]
    if example.expect == "fail":
        assert fired, f"{rule.id} did not fire on its failing {example.format} example"
    else:
        assert not fired, [f.message for f in fired]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_claimed_format_has_both_examples(rule):
    documented = {(e.format, e.expect) for e in rule.examples()}
    for fmt in rule.formats:
        if not _loader_exists(fmt):
            continue
        assert (fmt, "fail") in documented, f"{rule.id} lacks a failing {fmt} example"
        assert (fmt, "pass") in documented, f"{rule.id} lacks a passing {fmt} example"


def test_rule_metadata_is_complete():
    seen = set()
    for rule in RULES:
        assert rule.id.startswith("SLS") and len(rule.id) == 6, rule.id
        assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
        assert rule.name not in seen
        seen.add(rule.name)
        assert rule.severity in ("error", "warning", "note")
        assert 0 < rule.security_severity <= 10
        assert rule.summary and rule.description()
        assert "Why it matters" in rule.documentation()
