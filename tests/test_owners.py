"""`--lint-owners` (the pre-commit hook): a changed include is linted through what uses it.

A commit that changes only `config/iam.yml` (pulled into a `serverless.yml` by `${file()}`),
an OpenAPI file of a SAM template, or a Terraform module's `.tf` used to pass the hook: the
file alone is "not infrastructure" (or a module whose inputs are unknown), so an `Action: "*"`
written there went through. These tests change only such a file and expect the owner's finding.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sls_lint.cli.main import main
from sls_lint.run.owners import find_owners

SERVICE = """\
service: s
provider:
  name: aws
  runtime: python3.12
  iam:
    role:
      statements: ${file(./config/iam.yml):statements}
functions:
  f:
    handler: h.h
"""
WILDCARD_STATEMENTS = 'statements:\n  - Effect: Allow\n    Action: "*"\n    Resource: "*"\n'
MODULE = """\
variable "action" {}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = var.action, Resource = "*" }]
  })
}
"""


def write(files: dict[str, str]) -> None:
    for name, text in files.items():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(text)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path(".git").mkdir()
    write(
        {
            "svc/serverless.yml": SERVICE,
            "svc/config/iam.yml": WILDCARD_STATEMENTS,
            "other/config/iam.yml": WILDCARD_STATEMENTS,  # same name, used by nobody
            "other/serverless.yml": SERVICE.replace("./config/iam.yml", "./config/none.yml"),
            "api/template.yaml": (
                "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n"
                "    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n"
                "      DefinitionUri: ./spec/openapi.yaml\n"
            ),
            "api/spec/openapi.yaml": "openapi: 3.0.0\npaths: {}\n",
            "modules/policy/main.tf": MODULE,
            "modules/wrapper/main.tf": (
                'variable "action" {}\nmodule "inner" {\n  source = "../policy"\n'
                "  action = var.action\n}\n"
            ),
            "envs/prod/main.tf": (
                'module "w" {\n  source = "../../modules/wrapper"\n  action = "*"\n}\n'
            ),
            "envs/prod/policy.json": '{"Statement": []}',
            "envs/prod/extra.tf": (
                'resource "aws_iam_policy" "q" {\n'
                '  policy = file("${path.module}/policy.json")\n}\n'
            ),
        }
    )
    return tmp_path


def owners_of(*names: str) -> list[str]:
    found = find_owners([Path(n) for n in names], Path("."))
    return sorted({str(o.relative_to(Path.cwd().resolve())) for v in found.values() for o in v})


def test_owners_of_includes_openapi_files_and_modules(project):
    assert owners_of("svc/config/iam.yml") == ["svc/serverless.yml"]
    assert owners_of("other/config/iam.yml") == []
    assert owners_of("api/spec/openapi.yaml") == ["api/template.yaml"]
    # A module's callers, up the chain to the root.
    assert owners_of("modules/policy/main.tf") == ["envs/prod", "modules/wrapper"]
    assert owners_of("envs/prod/policy.json") == ["envs/prod"]
    assert owners_of("envs/prod/main.tf") == []


def test_an_include_named_by_variables_is_matched_as_a_pattern(project):
    write(
        {
            "stages/serverless.yml": SERVICE.replace(
                "./config/iam.yml", "./config/${sls:stage}/iam.${opt:region, 'eu'}.yml"
            ),
            "stages/config/prod/iam.us.yml": WILDCARD_STATEMENTS,
            "stages/elsewhere/prod/iam.us.yml": WILDCARD_STATEMENTS,
        }
    )
    assert owners_of("stages/config/prod/iam.us.yml") == ["stages/serverless.yml"]
    assert owners_of("stages/elsewhere/prod/iam.us.yml") == []


def test_a_minified_template_owns_its_openapi_file(project):
    api = {"Type": "AWS::Serverless::Api", "Properties": {"DefinitionUri": "spec.yaml"}}
    write({"min/t.json": json.dumps({"Resources": {"A": api}}), "min/spec.yaml": "openapi: 3\n"})
    assert owners_of("min/spec.yaml") == ["min/t.json"]


def test_an_include_of_an_include_reaches_the_service(project):
    write(
        {
            "svc/config/iam.yml": "statements: ${file(./parts/wild.yml)}\n",
            "svc/config/parts/wild.yml": '- Effect: Allow\n  Action: "*"\n  Resource: "*"\n',
        }
    )
    assert owners_of("svc/config/parts/wild.yml") == ["svc/serverless.yml"]


def run(*args: str):
    return CliRunner().invoke(main, ["check", *args, "-f", "json"])


def wildcard_files(result) -> list[str]:
    findings = json.loads(result.stdout)["findings"]
    return sorted(f["location"]["file"] for f in findings if f["rule_id"] == "SLS201")


def test_changed_include_alone_fails_through_its_service(project):
    assert run("svc/config/iam.yml").exit_code == 0  # what the hook did before
    result = run("svc/config/iam.yml", "--lint-owners")
    assert result.exit_code == 1
    assert wildcard_files(result) == ["svc/config/iam.yml"]
    assert "svc/config/iam.yml: linted through svc/serverless.yml" in result.stderr
    assert "skipped: svc/config/iam.yml" not in result.stderr


def test_changed_module_alone_fails_through_its_root(project):
    assert wildcard_files(run("modules/policy/main.tf")) == []  # `var.action` is unknown
    result = run("modules/policy/main.tf", "--lint-owners")
    assert result.exit_code == 1
    assert wildcard_files(result) == ["modules/policy/main.tf"]


def test_a_file_nobody_uses_is_still_reported_as_skipped(project):
    result = run("other/config/iam.yml", "--lint-owners")
    assert result.exit_code == 0
    assert "skipped: other/config/iam.yml" in result.stderr


def test_the_default_hook_lints_owners():
    import yaml
    from conftest import REPO

    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert "--lint-owners" in hooks["sls-lint"]["entry"].split()
