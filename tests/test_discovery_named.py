"""What discovery must never drop silently (#17): named files, minified templates, unreadable
paths, symbolic links and OpenTofu files.

A security gate that lints nothing and says "No findings" is worse than no gate: each test here
is a way a real file used to slip through with exit 0.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from sls_lint.cli.main import main
from sls_lint.run.discovery import discover, group_units

WILDCARD_POLICY = {
    "Type": "AWS::IAM::ManagedPolicy",
    "Properties": {
        "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    },
}
MINIFIED = json.dumps({"Resources": {"P": WILDCARD_POLICY}}, separators=(",", ":"))
YAML_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
"""
TERRAFORM = """\
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "%s", Resource = "*" }]
  })
}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def findings_of(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


# -- 1. minified and flow-style templates ---------------------------------------------------


@pytest.mark.parametrize(
    "name, text",
    [
        ("stack.json", MINIFIED),
        ("stack.json", MINIFIED.replace('"Resources"', '  \n"Resources"', 1)),
        ("flow.yaml", "{Resources: {P: " + json.dumps(WILDCARD_POLICY) + "}}\n"),
        ("custom.json", json.dumps({"Resources": {"C": {"Type": "Custom::Thing"}}})),
    ],
)
def test_template_recognised_by_its_parsed_keys(tmp_path, monkeypatch, name, text):
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(text)
    for given in (Path(name), Path(".")):
        (source,) = discover([given])
        assert source.format == "cloudformation"
    if "Custom" not in text:
        result = run("check", name, "-f", "json")
        assert result.exit_code == 1
        assert [f["rule_id"] for f in findings_of(result)] == ["SLS201"]


def test_minified_sam_template_is_sam(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fn = {"Type": "AWS::Serverless::Function", "Properties": {"Runtime": "python3.12"}}
    Path("t.json").write_text(json.dumps({"Resources": {"F": fn}}, separators=(",", ":")))
    (source,) = discover([Path("t.json")])
    assert source.format == "sam"


@pytest.mark.parametrize(
    "text",
    [
        '{"Resources": ["AWS::S3::Bucket"]}',  # not a mapping
        '{"Resources": {"A": {"Type": "Microsoft.Storage/x"}}, "note": "AWS::S3::Bucket"}',
        '{"items": {"Resources": {"A": {"Type": "AWS::S3::Bucket"}}}}',  # not top level
        "Resources: [AWS::S3::Bucket\n",  # not even YAML
    ],
)
def test_other_documents_mentioning_resources_are_not_templates(tmp_path, text):
    (tmp_path / "x.json").write_text(text)
    assert discover([tmp_path]) == []


# -- 2. named files are never dropped without a word ----------------------------------------


def test_named_file_that_is_not_infrastructure_is_reported_on_stderr(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    Path("template.yaml").write_text(YAML_TEMPLATE)
    result = run("check", "compose.yml", "template.yaml")
    assert result.exit_code == 1
    assert (
        "skipped: compose.yml: not a CloudFormation, SAM, Serverless or Terraform file"
        in result.stderr
    )
    assert "warning" not in result.stderr  # one file was linted


def test_a_run_that_lints_nothing_warns_and_can_fail(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("notes.yml").write_text("a: 1\n")
    Path("empty").mkdir()
    result = run("check", "notes.yml", "empty")
    assert result.exit_code == 0
    assert "warning: no files linted in notes.yml, empty" in result.stderr
    assert run("check", "empty", "--fail-on-empty").exit_code == 2
    Path(".sls-lint.yaml").write_text("fail-on-empty: true\n")
    failed = run("check", "empty")
    assert failed.exit_code == 2 and "fail-on-empty" in failed.stderr
    assert run("check", "empty", "--no-fail-on-empty").exit_code == 0


def test_force_excluded_named_file_is_mentioned(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("gen").mkdir()
    Path("gen/template.yaml").write_text(YAML_TEMPLATE)
    result = run("check", "gen/template.yaml", "--exclude", "gen", "--force-exclude")
    assert result.exit_code == 0
    assert "skipped: gen/template.yaml: excluded" in result.stderr
    assert "no files linted" in result.stderr


def test_named_serverless_file_without_service_is_a_finding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("serverless.yml").write_text("provider:\n  name: aws\nfunctions: {}\n")
    Path("serverless.env.yml").write_text("TABLE: t\n")  # an include: named otherwise
    result = run("check", "serverless.yml", "serverless.env.yml", "-f", "json")
    assert result.exit_code == 1
    (finding,) = findings_of(result)
    assert finding["rule_id"] == "SLS000" and "'service'" in finding["message"]
    assert "skipped: serverless.env.yml" in result.stderr


# -- 3. unreadable paths, as a user root is not ---------------------------------------------


def as_unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run sls-lint as a user that permissions apply to (root reads everything)."""
    command = [sys.executable, "-m", "sls_lint", *args]
    env = {**os.environ, "HOME": str(cwd), "PYTHONPATH": os.pathsep.join(sys.path)}
    if os.geteuid() == 0:
        try:
            nobody = pwd.getpwnam("nobody")
        except KeyError:
            pytest.skip("running as root with no 'nobody' user: no unprivileged user to test as")
        if shutil.which("setpriv") is None:
            pytest.skip("running as root and setpriv is missing: no unprivileged user to test as")
        user = ["--reuid", str(nobody.pw_uid), "--regid", str(nobody.pw_gid), "--clear-groups"]
        command = ["setpriv", *user, *command]
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def shared_tree():
    """A tree outside root's private temp dir, so that the unprivileged user can reach it."""
    base = Path(tempfile.mkdtemp(prefix="sls-lint-perm-"))
    base.chmod(0o755)
    (base / "tree" / "ok").mkdir(parents=True)
    (base / "tree" / "ok" / "template.yaml").write_text(YAML_TEMPLATE)
    for sub in ("locked", "unsearchable"):
        (base / "tree" / sub).mkdir()
        (base / "tree" / sub / "template.yaml").write_text(YAML_TEMPLATE)
    (base / "tree" / "secret.yaml").write_text(YAML_TEMPLATE)
    for path in base.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (base / "tree" / "locked").chmod(0o000)
    (base / "tree" / "unsearchable").chmod(0o600)
    (base / "tree" / "secret.yaml").chmod(0o000)
    yield base
    for path in (base / "tree" / "locked", base / "tree" / "unsearchable"):
        path.chmod(0o755)
    shutil.rmtree(base)


def problems(done: subprocess.CompletedProcess) -> dict[str, str]:
    assert "Traceback" not in done.stderr, done.stderr
    return {
        f["location"]["file"]: f["message"]
        for f in json.loads(done.stdout)["findings"]
        if f["rule_id"] == "SLS000"
    }


def test_directory_that_cannot_be_listed_is_a_finding(shared_tree):
    done = as_unprivileged(["check", "tree", "-f", "json"], shared_tree)
    assert done.returncode == 1, done.stderr
    found = problems(done)
    assert found["tree/locked"] == "cannot list directory: Permission denied"
    assert found["tree/unsearchable"] == "cannot list directory: Permission denied"
    assert "tree/ok/template.yaml" not in found  # the rest of the tree is linted
    assert '"SLS201"' in done.stdout


def test_named_paths_that_cannot_be_read_are_findings_not_an_abort(shared_tree):
    named = ["tree/unsearchable/template.yaml", "tree/secret.yaml", "tree/locked", "tree/ok"]
    done = as_unprivileged(["check", *named, "-f", "json"], shared_tree)
    assert done.returncode == 1, done.stderr
    found = problems(done)
    assert found == {
        "tree/unsearchable/template.yaml": "cannot read file: Permission denied",
        "tree/secret.yaml": "cannot read file: Permission denied",
        "tree/locked": "cannot list directory: Permission denied",
    }


# -- 4. symbolic links ----------------------------------------------------------------------


def test_symlinked_directories_are_walked_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outside" / "stack").mkdir(parents=True)
    (tmp_path / "outside" / "stack" / "template.yaml").write_text(YAML_TEMPLATE)
    (tmp_path / "outside" / "stack" / "loop").symlink_to("..")  # a loop back up
    project = tmp_path / "project"
    (project / "real").mkdir(parents=True)
    (project / "real" / "template.yaml").write_text(YAML_TEMPLATE)
    (project / "a-link").symlink_to("real")  # sorts first: still reported at the real path
    (project / "shared").symlink_to("../outside")
    (project / "self").symlink_to(".")
    monkeypatch.chdir(project)
    displays = [f.display for f in discover([Path(".")])]
    assert displays == ["real/template.yaml", "shared/stack/template.yaml"]
    # A symlinked directory named on the command line is walked too.
    assert [f.display for f in discover([Path("shared")])] == ["shared/stack/template.yaml"]


def test_display_paths_stay_relative_when_cwd_is_reached_through_a_link(tmp_path, monkeypatch):
    (tmp_path / "real" / "project").mkdir(parents=True)
    (tmp_path / "real" / "project" / "stack.json").write_text(MINIFIED)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    logical = tmp_path / "link" / "project"
    monkeypatch.chdir(logical)
    monkeypatch.setenv("PWD", str(logical))
    (source,) = discover([logical / "stack.json"])
    assert source.display == "stack.json"
    monkeypatch.setenv("PWD", str(tmp_path))  # a stale PWD is not trusted, the file system is
    (source,) = discover([logical / "stack.json"])
    assert source.display == "stack.json"


def test_display_paths_stay_relative_when_the_path_goes_through_a_link(tmp_path, monkeypatch):
    """`sls-lint check ../shared/corpus` where `../shared` is a link into the real working
    directory's tree (as CI lays `shared/` out): relative, not absolute, paths."""
    (tmp_path / "real" / "corpus").mkdir(parents=True)
    (tmp_path / "real" / "corpus" / "stack.json").write_text(MINIFIED)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path / "real")
    monkeypatch.delenv("PWD", raising=False)
    (source,) = discover([tmp_path / "link" / "corpus"])
    assert source.display == "corpus/stack.json"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "stack.json").write_text(MINIFIED)
    (source,) = discover([outside / "stack.json"])
    assert source.display == str(outside / "stack.json")  # really outside: absolute


# -- 5. OpenTofu ----------------------------------------------------------------------------


def test_tofu_files_are_terraform_and_win_over_a_tf_of_the_same_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("main.tf").write_text(TERRAFORM % "s3:GetObject")
    Path("main.tofu").write_text(TERRAFORM % "*")
    Path("extra.tofu.json").write_text(json.dumps({"locals": {"x": 1}}))
    (unit,) = group_units(discover([Path(".")]))
    assert unit.format == "terraform"
    assert [f.display for f in unit.files] == ["extra.tofu.json", "main.tofu"]
    for given in ("main.tf", "main.tofu", "."):
        result = run("check", given, "-f", "json")
        assert [f["location"]["file"] for f in findings_of(result) if f["rule_id"] == "SLS201"] == [
            "main.tofu"
        ]


def test_tofu_files_of_a_child_module_are_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path(".git").mkdir()  # the project root, which module sources must stay inside
    Path("modules/p").mkdir(parents=True)
    Path("modules/p/main.tf").write_text(TERRAFORM % "s3:GetObject")
    Path("modules/p/main.tofu").write_text(TERRAFORM % "*")
    Path("root").mkdir()
    Path("root/main.tf").write_text('module "p" {\n  source = "../modules/p"\n}\n')
    result = run("check", "root", "-f", "json")
    wildcard = [f for f in findings_of(result) if f["rule_id"] == "SLS201"]
    assert [f["location"]["file"] for f in wildcard] == ["modules/p/main.tofu"]
    assert stat.S_ISREG(os.stat("modules/p/main.tf").st_mode)
