"""Hostile files end quickly, in bounded memory, as an SLS000 finding, and spoil nothing else.

The linter runs on files it did not choose (every YAML file of a commit, pull requests from
strangers), so each way a file can cost too much is tried here against the real CLI, in a
subprocess, so that a crash of libyaml's C code (SIGSEGV) or a hang fails the test instead of
killing pytest, and so the memory high-water mark is that run's own. Each hostile file sits
next to a good template whose findings must come out exactly as when it is linted alone.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES

from sls_lint.loaders import LoadContext
from sls_lint.run import discovery
from sls_lint.run.discovery import DiscoveryOptions
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import lint_paths
from sls_lint.run.registry import load_rules
from sls_lint.sources.yaml_source import YamlLimits

GOOD = (SAMPLES / "cloudformation" / "vulnerable.yaml").read_text(encoding="utf-8")
HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
BUCKET = "  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n"
# Generous: CI machines are shared and a cold interpreter start alone can take a second.
MAX_SECONDS = 10.0
MAX_RSS_MB = 600

_RUNNER = """
import resource, sys
from sls_lint.cli.main import entry
sys.argv[0] = "sls-lint"
try:
    entry()
finally:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stderr.write(f"\\nSLS_LINT_TEST_MAXRSS_KB={peak}\\n")
"""


class Run:
    """One CLI run: exit code, parsed JSON report, stderr, wall time and peak memory."""

    def __init__(self, args: list[str], cwd: Path, timeout: float = 60) -> None:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", _RUNNER, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.seconds = time.monotonic() - started
        self.code = proc.returncode
        self.stderr = proc.stderr
        self.stdout = proc.stdout
        marker = [ln for ln in proc.stderr.splitlines() if ln.startswith("SLS_LINT_TEST_MAXRSS")]
        self.rss_mb = int(marker[-1].split("=")[1]) / 1024 if marker else float("nan")

    @property
    def report(self) -> dict:
        return json.loads(self.stdout)

    def findings(self, file: str | None = None, rule: str | None = None) -> list[dict]:
        return [
            f
            for f in self.report["findings"]
            if (file is None or f["location"]["file"] == file)
            and (rule is None or f["rule_id"] == rule)
        ]


def _essential(findings: list[dict]) -> list[tuple]:
    return sorted(
        (f["rule_id"], f["location"]["line"], f["location"]["column"], f["message"])
        for f in findings
    )


@pytest.fixture(scope="module")
def good_alone(tmp_path_factory) -> list[tuple]:
    """The good template's findings when nothing hostile is beside it."""
    root = tmp_path_factory.mktemp("alone")
    (root / "good").mkdir()
    (root / "good" / "template.yaml").write_text(GOOD, encoding="utf-8")
    run = Run(["check", ".", "-f", "json"], root)
    assert run.code == 1, run.stderr
    found = run.findings("good/template.yaml")
    assert found and not [f for f in found if f["rule_id"] in ("SLS000", "SLS001")]
    return _essential(found)


def _write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _check_hostile(
    root: Path, bad: str, reason: str | None, good_alone: list[tuple], rss_mb: float = MAX_RSS_MB
) -> Run:
    """Lint `root` (hostile `bad` + good template) and check every promise of the tool."""
    _write(root, "good/template.yaml", GOOD)
    run = Run(["check", ".", "-f", "json"], root)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == 1, run.stderr
    assert run.seconds < MAX_SECONDS, f"took {run.seconds:.1f}s"
    assert run.rss_mb < rss_mb, f"peak memory {run.rss_mb:.0f} MB"
    assert not run.findings(rule="SLS001")
    assert _essential(run.findings("good/template.yaml")) == good_alone
    if reason is not None:
        errors = run.findings(bad, "SLS000")
        assert len(errors) == 1, run.findings(bad)
        assert reason in errors[0]["message"], errors[0]["message"]
        assert errors[0]["location"]["line"] >= 1
    return run


def billion_laughs(levels: int = 9) -> str:
    """9 ** (levels + 1) values from a few hundred bytes: 10^9 by default."""
    text = HEADER + BUCKET + "      Tags: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    previous = "a"
    for level in "bcdefghij"[:levels]:
        text += f"      X{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = level
    return text


def test_billion_laughs(tmp_path, good_alone):
    _write(tmp_path, "template.yaml", billion_laughs())
    _check_hostile(tmp_path, "template.yaml", "alias expansion", good_alone)


def test_file_over_the_size_limit(tmp_path, good_alone):
    row = "        - {Key: owner, Value: team}\n"
    body = HEADER + BUCKET + "      Tags:\n" + row * (50 * 1024 * 1024 // len(row) + 1)
    _write(tmp_path, "template.yaml", body)
    assert (tmp_path / "template.yaml").stat().st_size > 50 * 1024 * 1024
    _check_hostile(tmp_path, "template.yaml", "over the", good_alone)


@pytest.mark.parametrize("depth", [10_000, 100_000])
@pytest.mark.parametrize("style", ["flow", "json", "dashes", "flow-pairs"])
def test_deep_nesting(tmp_path, good_alone, style, depth):
    """100,000 levels once crashed libyaml's recursive composer with SIGSEGV."""
    if style == "flow":
        name, text = "template.yaml", HEADER + BUCKET + "      A: " + "[" * depth + "]" * depth
    elif style == "json":
        name = "template.json"
        text = (
            '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": '
            + '{"a": ' * depth
            + "1"
            + "}" * depth
            + "}}"
        )
    elif style == "dashes":
        name, text = "template.yaml", HEADER + BUCKET + "      A:\n        " + "- " * depth + "x"
    else:
        name, text = "template.yaml", HEADER + BUCKET + "      A: " + "[a: " * depth + "b"
    _write(tmp_path, name, text + "\n")
    _check_hostile(tmp_path, name, "nesting deeper than", good_alone)


def test_deep_block_indentation(tmp_path, good_alone):
    """Nesting by indentation alone (no brackets or dashes) is bounded too."""
    lines = "".join(" " * (6 + i) + f"k{i}:\n" for i in range(3000))
    _write(tmp_path, "template.yaml", HEADER + BUCKET + lines + " " * 3006 + "v: 1\n")
    _check_hostile(tmp_path, "template.yaml", "nesting deeper than", good_alone)


def test_too_many_values(tmp_path, good_alone):
    """A dense document (2.4 MB, 1.2 million values) is refused before it is composed."""
    text = HEADER + BUCKET + "      Tags: [" + ",".join(["1"] * 1_200_000) + "]\n"
    _write(tmp_path, "template.yaml", text)
    _check_hostile(tmp_path, "template.yaml", "values", good_alone)


ROLE = {
    "Type": "AWS::IAM::Role",
    "Properties": {
        "Policies": [
            {
                "PolicyName": "p",
                "PolicyDocument": {
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
                },
            }
        ]
    },
}


def test_one_megabyte_single_lines_are_linted(tmp_path, good_alone):
    """Long lines are not an error: the templates are linted, quickly, with their findings."""
    long_yaml = f"AWSTemplateFormatVersion: '2010-09-09'\nDescription: {'a' * 2**20}\n"
    long_yaml += f"Resources: {{Role: {json.dumps(ROLE)}}}\n"
    _write(tmp_path, "long/template.yaml", long_yaml)
    doc = {"AWSTemplateFormatVersion": "2010-09-09", "Description": "x" * 2**20}
    doc["Resources"] = {"Role": ROLE, "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}}
    _write(tmp_path, "long/template.json", json.dumps(doc))
    run = _check_hostile(tmp_path, "", None, good_alone)
    assert [f["rule_id"] for f in run.findings("long/template.yaml")] == ["SLS201"]
    assert [f["rule_id"] for f in run.findings("long/template.json")] == ["SLS201"]


def test_binary_file_named_like_a_template(tmp_path, good_alone):
    _write(tmp_path, "template.yaml", b"AWSTemplateFormatVersion\x00\x01\x02" + bytes(range(256)))
    _check_hostile(tmp_path, "template.yaml", "binary", good_alone)


def test_invalid_utf8_points_at_the_byte(tmp_path, good_alone):
    _write(tmp_path, "template.yaml", HEADER.encode() + b"  X: \xc3\x28\n")
    run = _check_hostile(tmp_path, "template.yaml", "UTF-8", good_alone)
    location = run.findings("template.yaml", "SLS000")[0]["location"]
    assert (location["line"], location["column"]) == (3, 6)


def test_pipe_named_like_a_template_is_not_opened(tmp_path, good_alone):
    """Opening a FIFO blocks forever; the walk must report it instead."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "template.yaml")
    _check_hostile(tmp_path, "template.yaml", "not a regular file", good_alone)


def test_broken_symlink(tmp_path, good_alone):
    (tmp_path / "template.yaml").symlink_to(tmp_path / "missing.yaml")
    _check_hostile(tmp_path, "template.yaml", "cannot read", good_alone)


def test_broken_symlink_named_on_the_command_line(tmp_path):
    """A path given explicitly is never silently dropped, even a dangling link."""
    (tmp_path / "t.yaml").symlink_to(tmp_path / "missing.yaml")
    run = Run(["check", "t.yaml", "-f", "json"], tmp_path)
    assert run.code == 1, run.stderr
    assert "cannot read" in run.findings("t.yaml", "SLS000")[0]["message"]


def test_directory_named_like_a_template(tmp_path, good_alone):
    (tmp_path / "template.yaml").mkdir()
    _write(tmp_path, "template.yaml/notes.txt", "not infrastructure")
    _check_hostile(tmp_path, "", None, good_alone)


def _lint_in_process(paths: list[Path], **limits) -> list:
    options = LintOptions(
        discovery=DiscoveryOptions(**{k: v for k, v in limits.items() if k == "max_file_bytes"}),
        context=LoadContext(
            yaml_limits=YamlLimits(**{k: v for k, v in limits.items() if k != "max_file_bytes"})
        ),
    )
    return lint_paths(paths, [rule() for rule in load_rules()], options).findings


def test_unreadable_file(tmp_path, monkeypatch):
    """chmod 000 does not deny root (CI), so `open` is made to fail for one file."""
    bad = _write(tmp_path, "bad/template.yaml", HEADER + BUCKET)
    _write(tmp_path, "good/template.yaml", GOOD)
    real_open = open

    def guarded_open(file, *args, **kwargs):
        if Path(file).resolve() == bad.resolve():
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(discovery, "open", guarded_open, raising=False)
    monkeypatch.chdir(tmp_path)
    findings = _lint_in_process([Path(".")])
    errors = [f for f in findings if f.location.file == "bad/template.yaml"]
    assert [(f.rule_id, f.message) for f in errors] == [
        ("SLS000", "cannot read file: Permission denied")
    ]
    assert {f.rule_id for f in findings if f.location.file == "good/template.yaml"} >= {"SLS201"}


def test_limits_are_configurable(tmp_path, monkeypatch):
    """Each limit is a field of DiscoveryOptions / YamlLimits (fed by the configuration keys)."""
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "template.yaml", GOOD)
    nested = "{a: " * 30 + "1" + "}" * 30
    _write(tmp_path, "nested/template.yaml", HEADER + BUCKET + f"      A: {nested}\n")
    _write(tmp_path, "alias/template.yaml", billion_laughs(levels=2))  # 729 values

    def sls000(**limits) -> dict[str, str]:
        return {
            f.location.file: f.message
            for f in _lint_in_process([Path(".")], **limits)
            if f.rule_id == "SLS000"
        }

    assert sls000() == {}
    assert "over the 1,000-byte limit" in sls000(max_file_bytes=1000)["template.yaml"]
    assert "deeper than 20 levels" in sls000(max_depth=20)["nested/template.yaml"]
    assert "100 " in sls000(max_nodes=100)["template.yaml"]
    assert "(max-nodes)" in sls000(max_nodes=100)["template.yaml"]
    assert "alias expansion exceeds 50" in sls000(max_alias_nodes=50)["alias/template.yaml"]


# -- Serverless Framework includes: the serverless loader's job, tested once it exists. ------

needs_serverless = pytest.mark.skipif(
    importlib.util.find_spec("sls_lint.loaders.serverless.loader") is None,
    reason="the Serverless Framework loader is not written yet",
)
SERVICE = (
    "service: app\nframeworkVersion: '3'\nprovider:\n  name: aws\n  runtime: python3.12\n"
    "functions:\n  hello:\n    handler: handler.main\n"
)


def _serverless_messages(run: Run, file: str) -> str:
    return "\n".join(f["message"] for f in run.findings(file))


@needs_serverless
def test_serverless_file_include_loop(tmp_path, good_alone):
    _write(tmp_path, "svc/serverless.yml", SERVICE + "custom: ${file(./a.yml)}\n")
    _write(tmp_path, "svc/a.yml", "b: ${file(./b.yml)}\n")
    _write(tmp_path, "svc/b.yml", "a: ${file(./a.yml)}\n")
    run = _check_hostile(tmp_path, "svc/serverless.yml", None, good_alone)
    loops = [f for f in run.findings(rule="SLS000") if "loop" in f["message"]]
    assert loops, run.report["findings"]
    assert {f["location"]["file"] for f in loops} <= {
        f"svc/{n}" for n in ("serverless.yml", "a.yml", "b.yml")
    }


@needs_serverless
def test_serverless_file_outside_the_project(tmp_path, good_alone):
    _write(
        tmp_path,
        "svc/serverless.yml",
        SERVICE + "custom:\n  secret: ${file(../../../../../../../../etc/passwd)}\n",
    )
    run = _check_hostile(tmp_path, "svc/serverless.yml", None, good_alone)
    assert "root:" not in run.stdout
    assert "outside" in _serverless_messages(run, "svc/serverless.yml")


@needs_serverless
def test_serverless_symlinked_include_outside_the_project(tmp_path, good_alone):
    outside = tmp_path / "outside"
    _write(outside, "secret.yml", "token: sk_live_0123456789abcdefghijklmnop\n")
    project = tmp_path / "project"
    _write(project, "svc/serverless.yml", SERVICE + "custom: ${file(./link.yml)}\n")
    (project / "svc" / "link.yml").symlink_to(outside / "secret.yml")
    run = _check_hostile(project, "svc/serverless.yml", None, good_alone)
    assert "sk_live" not in run.stdout
    assert "outside" in _serverless_messages(run, "svc/serverless.yml")


# -- errors are findings, not crashes ---------------------------------------------------------

BROKEN_RULES = """
from sls_lint.model.findings import Finding
from sls_lint.model.graph import Location
from sls_lint.sources.located import Mark
from sls_lint.model.rule import Rule


class Raises(Rule):
    id, name, summary = "SLS990", "always-raises", "raises"

    def check(self, graph):
        raise ZeroDivisionError("boom")


class YieldsJunk(Rule):
    id, name, summary = "SLS991", "yields-junk", "yields things that are not findings"

    def check(self, graph):
        yield None


class HalfThenRaises(Rule):
    id, name, summary = "SLS992", "half-then-raises", "raises after one finding"

    def check(self, graph):
        for function in graph.functions():
            yield self.finding(function, "before the crash")
        raise KeyError("later")


class OddLocations(Rule):
    id, name, summary = "SLS993", "odd-locations", "points past the end of the file"

    def check(self, graph):
        far = Location(graph.files[0], Mark(99999, 5000, 1, 1))
        yield Finding(self.id, self.name, "warning", "far", far)
        gone = Location("/nowhere/x.yaml", Mark(0, 0, 0, 0))
        yield Finding(self.id, self.name, "warning", "gone", gone)
"""


def test_a_broken_rule_is_a_finding_and_the_others_still_run(tmp_path):
    _write(tmp_path, "rules/broken.py", BROKEN_RULES)
    _write(tmp_path, "template.yaml", GOOD)
    outputs = ["-f", "json", "-o", "out.json", "-f", "sarif", "-o", "out.sarif"]
    run = Run(["check", "template.yaml", "--rule-folder", "rules", *outputs], tmp_path)
    assert run.code == 1, run.stderr
    assert "Traceback" not in run.stderr
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    errors = {f["message"].split(" ")[4]: f for f in report["findings"] if f["rule_id"] == "SLS001"}
    assert set(errors) == {"SLS990", "SLS991", "SLS992"}, errors
    assert all(f["location"]["file"] == "template.yaml" for f in errors.values())
    assert "ZeroDivisionError: boom" in errors["SLS990"]["message"]
    assert "not a Finding" in errors["SLS991"]["message"]
    ids = {f["rule_id"] for f in report["findings"]}
    assert {"SLS201", "SLS601", "SLS701", "SLS992", "SLS993"} <= ids
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = Path(__file__).resolve().parents[2] / "shared" / "sarif-schema-2.1.0.json"
    if schema_path.is_file():
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
        jsonschema.validate(sarif, schema)


def test_usage_errors_exit_2(tmp_path):
    _write(tmp_path, "template.yaml", GOOD)
    _write(tmp_path, "rules/syntax.py", "def broken(:\n")
    assert Run(["check", "missing.yaml"], tmp_path).code == 2
    assert Run(["check", ".", "--rule-folder", "rules"], tmp_path).code == 2
    assert Run(["check", ".", "--rule-folder", "no-such-folder"], tmp_path).code == 2


def test_names_cannot_forge_output_lines(tmp_path):
    """A logical id with a newline or ESC sequence is escaped in every message."""
    evil = '"Evil\\e[2J\\nsls-lint: no findings\\u202e"'
    statement = "{Effect: Allow, Action: '*', Resource: '*'}"
    text = (
        HEADER
        + f"  {evil}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        + f"      Policies: [{{PolicyName: p, PolicyDocument: {{Statement: [{statement}]}}}}]\n"
    )
    _write(tmp_path, "template.yaml", text)
    run = Run(["check", ".", "-f", "concise"], tmp_path)
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert len(lines) == 2, lines  # the finding and the summary, nothing forged
    assert "\\x1b[2J\\nsls-lint: no findings\\u202e" in lines[0]
