"""The pre-commit hooks choose files by name; sls-lint by name and content. They must agree.

A suffix the hook lets through that sls-lint never reads is a hook that runs for nothing; a
suffix sls-lint reads that the hook filters out is a change that is never linted (OpenTofu's
`.tofu` was the second kind). Each alternative of every hook's `files:` pattern must be
exercised by a file that the linter really lints, and each such file must pass the pattern.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from sls_lint.run.discovery import CANDIDATE_SUFFIXES, DEFAULT_EXCLUDED_DIRS
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import lint_paths
from sls_lint.sources.files import TERRAFORM_SUFFIXES

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())

CFN = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
TF = 'resource "aws_s3_bucket" "b" {\n  bucket = var.name\n}\n'
SLS = "service: s\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: h.h\n"
#: One infrastructure file per name pattern sls-lint reads, each in a directory of its own.
LINTED = {
    "cfn-yml/template.yml": CFN,
    "cfn-yaml/template.yaml": CFN,
    "cfn-json/template.json": json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}),
    "cfn-template/stack.template": CFN,
    "sls/serverless.yml": SLS,
    "sls-json/serverless.json": json.dumps({"service": "s", "provider": {"name": "aws"}}),
    "tf/main.tf": TF,
    "tf-json/main.tf.json": json.dumps({"resource": {"aws_s3_bucket": {"b": {}}}}),
    "tofu/main.tofu": TF,
    "tofu-json/main.tofu.json": json.dumps({"resource": {"aws_s3_bucket": {"b": {}}}}),
    "tfvars/terraform.tfvars": 'name = "x"\n',
    "tfvars-json/terraform.tfvars.json": json.dumps({"name": "x"}),
}


@pytest.fixture(scope="module")
def linted(tmp_path_factory) -> set[str]:
    root = tmp_path_factory.mktemp("hooks")
    for name, text in LINTED.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    result = lint_paths([root], [], LintOptions())
    assert not result.findings, result.findings  # every file was read without a problem
    return {Path(f).relative_to(root).as_posix() for f in result.files}


def alternatives(pattern: str) -> list[str]:
    """The `a|b|c` of a `\\.(a|b|c)$` suffix pattern."""
    match = re.fullmatch(r"\\\.\((.*)\)\$", pattern)
    assert match, f"unexpected files: pattern {pattern!r}; teach this test to read it"
    return match.group(1).split("|")


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_every_alternative_of_the_files_pattern_has_a_file_the_linter_lints(hook, linted):
    assert linted == set(LINTED)
    for alternative in alternatives(hook["files"]):
        covered = [n for n in LINTED if re.search(rf"\.(?:{alternative})$", n)]
        assert covered, f"{hook['id']}: no file sls-lint lints ends in .{alternative}"


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_every_file_the_linter_lints_passes_the_hook(hook):
    for name in LINTED:
        assert re.search(hook["files"], name), f"{hook['id']} would never pass {name}"
        assert not re.search(hook["exclude"], name)
    for suffix in (*CANDIDATE_SUFFIXES, *TERRAFORM_SUFFIXES):
        assert re.search(hook["files"], f"x{suffix}"), f"{hook['id']} filters out *{suffix}"


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_the_hook_excludes_what_a_directory_walk_skips(hook):
    """Named files bypass the walk's pruning: the hook must not name what a walk never reads."""
    for directory in sorted(DEFAULT_EXCLUDED_DIRS):
        for name in (f"{directory}/template.yaml", f"app/{directory}/x/main.tf"):
            assert re.search(hook["exclude"], name), f"{hook['id']} passes {name}"
    assert not re.search(hook["exclude"], "my.venv/template.yaml")
