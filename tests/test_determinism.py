"""Same input, same bytes: for every output format, whatever the hash seed or the file order.

Baselines, SARIF upload deduplication and cached CI steps all compare outputs byte for byte, so
any dict/set iteration order, directory listing order or timestamp that leaks into a report is
a bug. Each run is a fresh interpreter (the CLI in a subprocess) with its own `PYTHONHASHSEED`,
over the samples plus a slice of the real-world corpus copied into a temporary directory in a
different creation order each time.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

from sls_lint.reporters import REPORTERS

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# A few directories of each repository of the corpus: every format, includes, modules.
CORPUS_SLICE = [
    "aws-samples__serverless-patterns/apigw-lambda-dynamodb-terraform",
    "aws-samples__serverless-patterns/lambda-vpc-secrets-sls",
    "aws-samples__serverless-patterns/apigw-http-api-lambda",
    "aws-samples__serverless-patterns/lambda-function-url",
    "aws-cloudformation__aws-cloudformation-templates/APIGateway",
    "aws-cloudformation__aws-cloudformation-templates/Lambda",
    "aws-cloudformation__aws-cloudformation-templates/SQS",
    "serverless__examples/aws-node-http-api",
    "serverless__examples/aws-python-rest-api-with-dynamodb",
    "serverless__serverless/packages/sf-core/tests/resolvers",
    "terraform-aws-modules__terraform-aws-lambda/examples/complete",
    "terraform-aws-modules__terraform-aws-apigateway-v2/examples/complete-http",
    "terraform-aws-modules__terraform-aws-apigateway-v2/examples/websocket",
    "aws__aws-sam-cli-app-templates/python3.12/hello",
    "aws-samples__serverless-samples/apigw-log-analytic",
]


def formats() -> list[str]:
    return [name for name, module in REPORTERS.items() if importlib.util.find_spec(module)]


def populate(root: Path, reverse: bool) -> None:
    """Copy the inputs into `root`, creating files (and directories) in forward or reverse
    order, so that directory listing order differs between runs."""
    sources: list[tuple[Path, Path]] = []
    for path in sorted(SAMPLES.rglob("*")):
        if path.is_file():
            sources.append((path, root / "samples" / path.relative_to(SAMPLES)))
    for folder in CORPUS_SLICE:
        base = CORPUS / folder
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            if path.is_file():
                sources.append((path, root / "corpus" / path.relative_to(CORPUS)))
    for source, target in reversed(sources) if reverse else sources:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())


def run(root: Path, seed: str, extra: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every format of one CLI run over `root`, as bytes."""
    out = root.parent / f"out-{root.name}-{seed}-{len(extra)}"
    args = [sys.executable, "-m", "sls_lint", "check", ".", "--color", "never", *extra]
    for fmt in formats():
        args += ["-f", fmt, "-o", str(out / f"report.{fmt}")]
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
    proc = subprocess.run(args, cwd=root, env=env, capture_output=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr.decode(errors="replace")
    assert b"Traceback" not in proc.stderr
    return {fmt: (out / f"report.{fmt}").read_bytes() for fmt in formats()}


@pytest.fixture(scope="module")
def trees(tmp_path_factory) -> tuple[Path, Path]:
    forward = tmp_path_factory.mktemp("tree") / "project"
    backward = tmp_path_factory.mktemp("tree") / "project"
    populate(forward, reverse=False)
    populate(backward, reverse=True)
    return forward, backward


def test_same_bytes_whatever_the_hash_seed_and_file_order(trees):
    forward, backward = trees
    reference = run(forward, "0")
    assert b'"rule_id"' in reference["json"]  # the inputs do produce findings
    for root, seed in ((backward, "1"), (forward, "12345")):
        outputs = run(root, seed)
        for fmt, data in reference.items():
            assert outputs[fmt] == data, f"{fmt} differs with PYTHONHASHSEED={seed}"


@pytest.mark.skipif(
    importlib.util.find_spec("sls_lint.run.parallel") is None, reason="no parallel runs yet"
)
def test_parallel_run_gives_the_same_bytes(trees):
    forward, backward = trees
    assert run(backward, "7", ("--jobs", "2")) == run(forward, "0")
