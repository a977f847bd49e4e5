"""Linting never reaches the network, runs nothing, writes nothing but its reports and cache.

The files linted may be hostile (a pull request from a stranger), so a run over them must not
be a way to exfiltrate (network), execute (subprocess, shell, `eval` of template text, YAML
`!!python/...` tags, Terraform `external` data sources, Serverless `.js` variable files) or
tamper (writes outside `--output`, except the Terraform parse cache under the user cache
directory). `${env:...}` is read only when asked for.

Every forbidden call is both refused (it raises) and recorded, and the test fails on the record:
the tool catches broad exceptions around loaders and rules, which could otherwise hide a refusal.
"""

from __future__ import annotations

import builtins
import hashlib
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from sls_lint.cli.main import main

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_SLICE = [
    "aws-samples__serverless-patterns/lambda-vpc-secrets-sls",
    "aws-samples__serverless-patterns/apigw-lambda-dynamodb-terraform",
    "aws-cloudformation__aws-cloudformation-templates/APIGateway",
    "serverless__serverless/packages/sf-core/tests/resolvers",
    "terraform-aws-modules__terraform-aws-lambda/examples/complete",
]
CANARY = "canary-6f1d2b"

# Each file tries one way of making the linter do something; none may work.
HOSTILE = {
    "yaml-tag/template.yaml": (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        f"Description: !!python/object/apply:os.system ['touch {CANARY}-yaml']\n"
        "Resources:\n  B: {Type: AWS::S3::Bucket}\n"
    ),
    "include/template.yaml": (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Transform: {Name: 'AWS::Include', Parameters: {Location: 's3://bucket/x.yaml'}}\n"
        "Resources:\n"
        "  B:\n    Type: AWS::S3::Bucket\n"
        "    Properties:\n"
        "      Fn::Transform: {Name: AWS::Include, Parameters: {Location: 'https://example.com/'}}\n"
    ),
    "sls/serverless.yml": (
        "service: app\nprovider:\n  name: aws\n  runtime: ${env:SLS_LINT_TEST_RUNTIME}\n"
        "custom:\n  js: ${file(./config.js):value}\n  ts: ${file(./config.ts)}\n"
        "  url: ${s3:bucket/key}\n  ssm: ${ssm:/x}\n  cf: ${cf:stack.out}\n"
        "  env: ${env:SLS_LINT_TEST_SECRET}\n"
        "plugins: [serverless-offline]\n"
        "functions:\n  hello:\n    handler: h.main\n"
        "    environment: {SECRET: '${env:SLS_LINT_TEST_SECRET}'}\n"
    ),
    "sls/config.js": (
        f"require('fs').writeFileSync('{CANARY}-js', 'x');\nmodule.exports = {{ value: 1 }};\n"
    ),
    "sls/config.ts": f"import fs from 'fs'; fs.writeFileSync('{CANARY}-ts', 'x');\n",
    "tf/main.tf": (
        'data "external" "x" {\n'
        f'  program = ["sh", "-c", "touch {CANARY}-tf; echo {{}}"]\n'
        "}\n"
        'data "http" "x" { url = "https://example.com/policy.json" }\n'
        'module "remote" { source = "git::https://example.com/module.git" }\n'
        'resource "null_resource" "x" {\n'
        '  provisioner "local-exec" { command = "touch ' + CANARY + '-exec" }\n'
        "}\n"
        'resource "aws_iam_role_policy" "p" {\n'
        '  role   = "r"\n'
        "  policy = data.http.x.response_body\n"
        "}\n"
        'locals { secret = file("/etc/hostname") }\n'
    ),
}


_REAL_EXEC = builtins.exec
_REAL_EVAL = builtins.eval


class Forbidden(Exception):
    """Raised (and recorded) by every guarded call."""


@pytest.fixture
def forbidden_calls(monkeypatch) -> list[str]:
    """Guard network, process and evaluation primitives; return the list of attempts."""
    calls: list[str] = []

    def guard(name: str):
        def refuse(*args, **kwargs):
            calls.append(f"{name}{[_safe_repr(a) for a in args[:3]]}")
            raise Forbidden(name)

        return refuse

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, guard(f"socket.{name}"))
    monkeypatch.setattr(socket, "create_connection", guard("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", guard("socket.getaddrinfo"))
    monkeypatch.setattr(subprocess.Popen, "__init__", guard("subprocess.Popen"))
    for name in dir(os):
        if name in ("system", "popen", "fork", "forkpty", "posix_spawn", "posix_spawnp") or (
            name.startswith(("exec", "spawn")) and callable(getattr(os, name))
        ):
            monkeypatch.setattr(os, name, guard(f"os.{name}"))
    # Evaluating text (code objects are fine: that is how modules are imported).
    for name, real in (("eval", _REAL_EVAL), ("exec", _REAL_EXEC)):
        monkeypatch.setattr(builtins, name, _text_guard(name, real, calls))
    return calls


def _text_guard(name: str, real, calls: list[str]):
    def run(source, *args, **kwargs):
        if isinstance(source, (str, bytes)):
            calls.append(f"{name}({source[:80]!r})")
            raise Forbidden(name)
        return real(source, *args, **kwargs)

    return run


def _populate(root: Path) -> None:
    shutil.copytree(SAMPLES, root / "samples")
    for folder in CORPUS_SLICE:
        if (CORPUS / folder).is_dir():
            shutil.copytree(CORPUS / folder, root / "corpus" / folder)
    for name, text in HOSTILE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every file below `root`: mode and content hash (mtime is not enough on coarse clocks)."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[path.relative_to(root).as_posix()] = (path.stat().st_mode, digest)
        elif path.is_dir():
            found[path.relative_to(root).as_posix() + "/"] = (path.stat().st_mode, "")
    return found


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A project, a home with its cache directory, and an environment with secrets."""
    project, home = tmp_path / "project", tmp_path / "home"
    _populate(project)
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("SLS_LINT_TEST_RUNTIME", "python2.7")
    monkeypatch.setenv("SLS_LINT_TEST_SECRET", f"{CANARY}-secret")
    monkeypatch.chdir(project)
    return project, home


def _check(path: str, *args: str):
    result = CliRunner().invoke(main, ["check", path, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_no_network_no_process_no_eval(sandbox, forbidden_calls):
    project, _ = sandbox
    # A first run may exec text: it imports the loaders and reporters, whose dataclasses and
    # namedtuples are made with exec. Network and processes are refused in both runs.
    # Serial on purpose: the guards watch this process; worker processes (`--jobs`, forked by
    # sls-lint itself, never from template content) are covered by test_parallel's equality.
    formats = ("--jobs", "1", "-f", "json", "-f", "sarif", "-f", "text")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtins, "exec", _REAL_EXEC)
        patch.setattr(builtins, "eval", _REAL_EVAL)
        _check(
            ".",
            *formats,
            "-o",
            str(project.parent / "warm.json"),
            "-o",
            str(project.parent / "warm.sarif"),
        )
    result = _check(
        ".", *formats, "-o", str(project.parent / "r.json"), "-o", str(project.parent / "r.sarif")
    )
    assert result.exit_code == 1, result.output
    assert forbidden_calls == []
    assert not [p for p in project.rglob(f"{CANARY}-*")]
    assert not list(Path.cwd().glob(f"{CANARY}-*"))


def test_writes_only_the_outputs_and_the_cache(sandbox):
    project, home = sandbox
    before = _snapshot(project)
    home_before = _snapshot(home)
    result = _check(".", "-f", "json", "-o", "out/report.json", "-f", "text", "-o", "report.txt")
    assert result.exit_code == 1, result.output
    after = _snapshot(project)
    assert set(after) - set(before) == {"out/", "out/report.json", "report.txt"}
    assert {k: v for k, v in after.items() if k in before} == before
    created = set(_snapshot(home)) - set(home_before)
    assert all(p.startswith(".cache/") for p in created), created
    assert all(p.startswith(".cache/sls-lint") for p in created if p != ".cache/"), created


def test_environment_is_read_only_when_asked(sandbox):
    """`${env:}` stays Unknown by default; `--resolve-env` is the only way to read it."""
    result = _check("sls", "-f", "json")
    assert f"{CANARY}-secret" not in result.output
    assert "python2.7" not in result.output
    resolved = _check("sls", "-f", "json", "--resolve-env")
    assert "python2.7" in resolved.output  # the deprecated runtime, read from the environment


def test_the_guards_catch_attempts(forbidden_calls):
    """The guards above are real: each kind of attempt is refused and recorded."""
    with pytest.raises(Forbidden):
        subprocess.run(["true"])
    with pytest.raises(Forbidden):
        socket.create_connection(("example.com", 443))
    with pytest.raises(Forbidden):
        os.system("true")
    with pytest.raises(Forbidden):
        eval("1 + 1")
    assert len(forbidden_calls) == 4


def _safe_repr(value: object) -> str:
    try:
        return repr(value)[:80]
    except Exception:  # noqa: BLE001 - a half-built object (Popen whose __init__ was refused)
        return type(value).__name__
