"""The pre-commit hooks, run for real by pre-commit on a throw-away repository.

pre-commit installs the hook's virtualenv from the repository (`pip install .`), which takes
a minute or more, so this module keeps a single end-to-end test, and installs once: instead of
`pre-commit try-repo` (which builds a fresh store, hence a fresh virtualenv, on every call),
it writes the same configuration try-repo would and runs `pre-commit run` twice with one
`PRE_COMMIT_HOME`. It tests the working tree as it is: the checkout's files (tracked and
untracked, minus ignored ones) are committed into a temporary copy, because try-repo and
pre-commit only see committed (try-repo: tracked) content.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, tool

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd)}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def snapshot_of_checkout(target: Path) -> Path:
    """The working tree of REPO committed into a fresh repository at `target`."""
    listed = git(REPO, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if not source.is_file():
            continue  # deleted in the working tree
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return target


def test_manifest_is_valid():
    if tool("pre-commit") is None:
        pytest.skip("pre-commit is not installed")
    done = subprocess.run(
        [tool("pre-commit"), "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_file_hook_fails_on_vulnerable_and_passes_on_fixed(tmp_path):
    if tool("pre-commit") is None or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed")
    hooks_repo = snapshot_of_checkout(tmp_path / "hooks")
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    (project / "template.yaml").write_text(
        (SAMPLES / "cloudformation" / "vulnerable.yaml").read_text()
    )
    (project / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    git(project, "add", "-A")
    env = {
        **os.environ,
        **GIT_ENV,
        "HOME": str(tmp_path),
        "PRE_COMMIT_COLOR": "never",
        "PRE_COMMIT_HOME": str(tmp_path / "store"),
    }
    env.pop("VIRTUAL_ENV", None)
    revision = git(hooks_repo, "rev-parse", "HEAD").strip()
    config = tmp_path / "pre-commit-config.yaml"
    config.write_text(
        f"repos:\n- repo: {hooks_repo}\n  rev: {revision}\n  hooks:\n  - id: sls-lint\n"
    )

    def try_repo(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [tool("pre-commit"), "run", "--config", str(config), "sls-lint", "--files", *files],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )

    failing = try_repo("template.yaml", "docker-compose.yml")
    output = failing.stdout + failing.stderr
    if failing.returncode != 1 and "An unexpected error has occurred" in output:
        pytest.skip(f"the hook environment could not be installed:\n{output[-2000:]}")
    assert failing.returncode == 1, output
    assert "SLS201" in output and "Failed" in output
    # Named, so mentioned (never dropped without a word), but not linted: no finding in it.
    assert "skipped: docker-compose.yml" in output
    assert not re.search(r"docker-compose\.yml:\d+", output)

    (project / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
    )
    git(project, "add", "-A")
    passing = try_repo("template.yaml", "docker-compose.yml")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout

    # A commit that changes only a `${file()}` include is linted through its service.
    (project / "svc" / "config").mkdir(parents=True)
    (project / "svc" / "serverless.yml").write_text(
        "service: s\nprovider:\n  name: aws\n  iam:\n    role:\n"
        "      statements: ${file(./config/iam.yml):statements}\n"
        "functions:\n  f:\n    handler: h.h\n"
    )
    (project / "svc" / "config" / "iam.yml").write_text(
        'statements:\n  - Effect: Allow\n    Action: "*"\n    Resource: "*"\n'
    )
    git(project, "add", "-A")
    include_only = try_repo("svc/config/iam.yml")
    output = include_only.stdout + include_only.stderr
    assert include_only.returncode == 1, output
    assert "SLS201" in output and "svc/config/iam.yml" in output.split("Failed", 1)[1]
