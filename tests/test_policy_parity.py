"""The built-in rules re-expressed as policies (examples/policies/) find exactly what the rules
find on the real-world corpus: same files, lines, columns and resources, rule id aside.

This is the proof that the policy format is as precise as a Python rule for these families
(exposure, IAM, logging, network, currency, resilience); docs/policies.md says what it cannot
express. Marked `corpus`; skips when the corpus is absent.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from sls_lint.policies import load_policies
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import lint_paths
from sls_lint.run.registry import load_rules

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
POLICIES = ROOT / "examples" / "policies"
PAIRS = {
    "SLS102": "EX102",
    "SLS201": "EX201",
    "SLS207": "EX207",
    "SLS208": "EX208",
    "SLS303": "EX303",
    "SLS401": "EX401",
    "SLS601": "EX601",
    "SLS803": "EX803",
}
#: Built-in findings a policy cannot express yet (docs/policies.md, "What the format cannot
#: express"): SLS208's functions that name the same role by value (no role node in the graph:
#: an ARN literal, a parameter, `var.role_arn`) need a join of nodes on an attribute's value.
NOT_EXPRESSIBLE = {"SLS208": lambda finding: finding.property_path.startswith("shared-role:")}


def _key(finding) -> tuple:
    where = finding.location
    mark = where.mark
    return (where.file, mark.line, mark.column, mark.end_line, mark.end_column, finding.resource)


@pytest.fixture(scope="module")
def corpus_findings():
    builtin = load_rules()
    policies = load_policies([POLICIES], builtin)
    rules = [r() for r in builtin if r.id in PAIRS] + [
        p() for p in policies if p.id in PAIRS.values()
    ]
    assert len(rules) == 2 * len(PAIRS)
    found: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for finding in lint_paths([CORPUS], rules, LintOptions()).findings:
        skip = NOT_EXPRESSIBLE.get(finding.rule_id)
        if skip is not None and skip(finding):
            found[f"{finding.rule_id}-not-expressible"][_key(finding)] += 1
            continue
        found[finding.rule_id][_key(finding)] += 1
    return found


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize(("rule_id", "policy_id"), sorted(PAIRS.items()))
def test_policy_finds_what_the_rule_finds(corpus_findings, rule_id, policy_id):
    rule, policy = corpus_findings[rule_id], corpus_findings[policy_id]
    assert not rule - policy, f"{policy_id} misses {sorted(rule - policy)[:5]}"
    assert not policy - rule, f"{policy_id} adds {sorted(policy - rule)[:5]}"


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
def test_the_comparison_is_not_vacuous(corpus_findings):
    counts = {rule_id: sum(corpus_findings[rule_id].values()) for rule_id in PAIRS}
    assert sum(counts.values()) > 1000, counts
    assert sum(1 for n in counts.values() if n) >= 6, counts


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
def test_what_is_left_out_is_only_what_policies_cannot_express(corpus_findings):
    """The by-value SLS208 findings left out above exist; the day none does, drop the
    exclusion."""
    left_out = corpus_findings["SLS208-not-expressible"]
    assert left_out, "no by-value SLS208 finding in the corpus: drop the exclusion"
