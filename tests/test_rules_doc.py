"""`docs/rules.md` (where every SARIF `helpUri` points) is generated and must stay current."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import REPO

from sls_lint.cli.main import main
from sls_lint.run.registry import load_rules


def test_committed_catalogue_matches_the_rules():
    generated = CliRunner().invoke(main, ["rules", "--format", "markdown", "--isolated"])
    assert generated.exit_code == 0, generated.output
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == generated.output, (
        "docs/rules.md is stale: run `sls-lint rules --format markdown --isolated > docs/rules.md`"
    )


def test_every_rule_has_an_anchor_its_help_uri_points_at():
    page = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in load_rules():
        anchor = rule.help_uri().rsplit("#", 1)[1]
        assert f'<a name="{anchor}"></a>' in page, rule.id
        assert f"## {rule.id} {rule.name}" in page
