"""Registry and git modules: read from `.terraform/modules/modules.json` after `terraform init`,
otherwise one SLS005 note per module call, never silence (issue #16, item 8)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import by_rule

from sls_lint.cli.main import main

CALLS = """\
module "functions" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.0.0"
  for_each = toset(["a", "b"])
  function_name = each.key
}

module "from_git" {
  source = "git::https://example.com/infra.git//modules/api"
}

module "local_missing" {
  source = "./modules/gone"
}
"""

ADMIN_POLICY = """\
resource "aws_iam_role_policy" "admin" {
  role = "r"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_each_unavailable_module_call_is_one_note(lint):
    findings = lint("terraform", CALLS)
    notes = by_rule(findings, "SLS005")
    assert [(n.location.line, n.resource, n.severity) for n in notes] == [
        (1, "module.functions", "note"),
        (8, "module.from_git", "note"),
        (12, "module.local_missing", "note"),
    ]
    assert "run `terraform init`" in notes[0].message
    assert "terraform-aws-modules/lambda/aws" in notes[0].message
    assert "not a directory" in notes[2].message


def test_installed_modules_are_read_from_the_manifest(lint, tmp_path):
    manifest = {
        "Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "functions", "Source": "x", "Dir": ".terraform/modules/functions"},
            {"Key": "from_git", "Source": "y", "Dir": ".terraform/modules/from_git"},
        ]
    }
    _write(
        tmp_path,
        {
            ".terraform/modules/modules.json": json.dumps(manifest),
            ".terraform/modules/functions/main.tf": ADMIN_POLICY,
            ".terraform/modules/from_git/main.tf": ADMIN_POLICY,
            "modules/gone/main.tf": "",
        },
    )
    findings = lint("terraform", CALLS)
    assert not by_rule(findings, "SLS005")
    addresses = sorted(f.resource for f in by_rule(findings, "SLS201"))
    assert addresses == [
        "module.from_git.aws_iam_role_policy.admin.Statement[0]",
        'module.functions["a"].aws_iam_role_policy.admin.Statement[0]',
        'module.functions["b"].aws_iam_role_policy.admin.Statement[0]',
    ]


def test_the_note_can_be_suppressed_inline(tmp_path, monkeypatch):
    text = CALLS.replace(
        'module "from_git" {', '# sls-lint: ignore[SLS005] vendored elsewhere\nmodule "from_git" {'
    )
    _write(tmp_path, {"main.tf": text})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["check", ".", "-f", "json", "--isolated", "--fail-on", "note"]
    )
    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)["findings"]
    notes = {f["resource"]: f.get("suppressed") for f in findings if f["rule_id"] == "SLS005"}
    assert sorted(notes) == ["module.from_git", "module.functions", "module.local_missing"]
    assert notes["module.from_git"] and not notes["module.functions"]
