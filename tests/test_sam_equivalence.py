"""A SAM application and the CloudFormation SAM generates from it get the same findings.

`samples/sam/*.yaml` are compared with `tests/fixtures/sam_equivalent/*.yaml`, the same apps
written by hand in plain CloudFormation with SAM's generated logical ids. Routes are the one
thing whose ids differ (SAM generates none for implicit APIs), so findings are compared per
rule and per subject, where a route's subject is its method and path.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES

from sls_lint.loaders import LoadContext, load_unit
from sls_lint.model.graph import Kind
from sls_lint.run.discovery import discover, group_units
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import lint_paths
from sls_lint.run.registry import load_rules

EQUIVALENT = REPO / "tests" / "fixtures" / "sam_equivalent"


def subjects(path: Path) -> Counter[tuple[str, str]]:
    """(rule id, subject) of every finding on `path`, routes named by method and path."""
    (unit,) = group_units(discover([path]))
    graph = load_unit(unit, LoadContext()).graph
    findings = lint_paths([path], [cls() for cls in load_rules()], LintOptions()).findings
    found: Counter[tuple[str, str]] = Counter()
    for finding in findings:
        node = graph.get(finding.resource)
        if node is not None and node.kind == Kind.ROUTE:
            subject = f"route {node.get('method')} {node.get('path')}"
        else:
            subject = finding.resource
        found[(finding.rule_id, subject)] += 1
    return found


@pytest.mark.parametrize("name", ["vulnerable", "fixed"])
def test_sam_sample_matches_its_cloudformation(name):
    sam = subjects(SAMPLES / "sam" / f"{name}.yaml")
    cloudformation = subjects(EQUIVALENT / f"{name}.yaml")
    assert not [key for key in sam if key[0] in ("SLS000", "SLS001")]
    assert sam == cloudformation


def test_vulnerable_sample_is_vulnerable_and_fixed_is_clean():
    vulnerable = subjects(SAMPLES / "sam" / "vulnerable.yaml")
    for expected in [
        ("SLS101", "route POST /orders"),
        ("SLS101", "route GET /photos/{id}"),
        ("SLS102", "OrdersFunctionUrl"),
        ("SLS201", "OrdersFunctionRole.Policies[1].Statement[0]"),
        ("SLS202", "OrdersFunctionRole.Policies[1].Statement[1]"),
        ("SLS203", "OrdersFunctionRole.Policies[1].Statement[2]"),
        ("SLS301", "ServerlessRestApiProdStage"),
        ("SLS301", "ServerlessHttpApiApiGatewayDefaultStage"),
        ("SLS304", "OrdersFunction"),
        ("SLS304", "PhotosFunction"),
        ("SLS401", "FunctionSecurityGroup"),
        ("SLS601", "OrdersFunction"),
        ("SLS601", "PhotosFunction"),
        ("SLS701", "OrdersFunction"),
    ]:
        assert expected in vulnerable, expected
    assert ("SLS103", "OrdersFunctionUrlPublicPermissions") not in vulnerable
    assert subjects(SAMPLES / "sam" / "fixed.yaml") == Counter()
