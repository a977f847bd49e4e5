"""`--jobs N`: worker processes give byte-for-byte the output of a serial run."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, SHARED

from sls_lint.cli.main import main
from sls_lint.run import parallel
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import collect_units, lint_units
from sls_lint.run.registry import load_rules

CORPUS = SHARED / "corpus"


@pytest.fixture
def force_pool(monkeypatch):
    """Use the pool even for a handful of units and on a one-CPU machine."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_UNITS", 0)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)


def _json(*args: str) -> str:
    result = CliRunner().invoke(main, ["check", "--isolated", "-f", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.output


def _corpus_slice() -> list[str]:
    if not CORPUS.is_dir():
        pytest.skip("corpus not available")
    return [
        str(CORPUS / "aws-samples__serverless-samples"),
        str(CORPUS / "terraform-aws-modules__terraform-aws-apigateway-v2"),
        str(CORPUS / "serverless__examples"),
    ]


def test_samples_in_parallel_equal_serial(force_pool):
    serial = _json(str(SAMPLES), "-j", "1")
    assert _json(str(SAMPLES), "-j", "2") == serial
    assert _json(str(SAMPLES), "-j", "0") == serial


def test_corpus_slice_in_parallel_equals_serial(monkeypatch):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    paths = _corpus_slice()
    serial = _json(*paths, "-j", "1")
    assert _json(*paths, "-j", "2") == serial
    assert _json(*paths, "-j", "3") == serial


def test_reports_and_texts_equal_serial(force_pool):
    """Texts the worker did not send back are restored from the parent's copy."""
    rules = [cls() for cls in load_rules()]
    units = collect_units([SAMPLES], LintOptions())
    serial = lint_units(units, rules, LintOptions(jobs=1))
    parallel_result = lint_units(units, rules, LintOptions(jobs=2))
    assert parallel_result.texts == serial.texts
    assert list(parallel_result.texts) == list(serial.texts)
    assert parallel_result.files == serial.files
    assert [f.fingerprint for f in parallel_result.findings] == [
        f.fingerprint for f in serial.findings
    ]
    reports = parallel.lint_parallel(units, rules, LintOptions(jobs=2))
    assert [r.key for r in reports] == [u.key for u in units]


def _die(chunk):
    os._exit(3)


def test_a_dead_worker_falls_back_to_serial(force_pool, monkeypatch):
    if parallel._start_method() != "fork":
        pytest.skip("the patched task function reaches workers only through fork")
    rules = [cls() for cls in load_rules()]
    units = collect_units([SAMPLES], LintOptions())
    serial = lint_units(units, rules, LintOptions(jobs=1))
    monkeypatch.setattr(parallel, "_lint_chunk", _die)
    result = lint_units(units, rules, LintOptions(jobs=2))
    assert [f.fingerprint for f in result.findings] == [f.fingerprint for f in serial.findings]


def test_small_runs_and_one_cpu_stay_serial(monkeypatch):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 8)
    assert parallel.effective_jobs(4, parallel.MIN_PARALLEL_UNITS - 1) == 1
    assert parallel.effective_jobs(0, 10_000) == 8
    assert parallel.effective_jobs(16, 10_000) == 8  # never more processes than CPUs
    assert parallel.effective_jobs(4, 10_000) == 4
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 1)
    assert parallel.effective_jobs(0, 10_000) == 1


def test_chunks_cover_every_unit_once():
    units = collect_units([SAMPLES], LintOptions())
    tasks = parallel._chunks(units, 4)
    positions = sorted(position for task in tasks for position, _ in task)
    assert positions == list(range(len(units)))


def test_unpicklable_rules_without_fork_lint_serially(force_pool, monkeypatch):
    """Under spawn/forkserver, rules from a local rule folder cannot reach workers."""
    from sls_lint.model.rule import Rule

    class LocalRule(Rule):  # defined in a function: pickle cannot name it
        id = "SLS999"
        name = "local-rule"

        def check(self, graph):
            return iter(())

    monkeypatch.setattr(parallel, "_start_method", lambda: "spawn")
    rules = [*(cls() for cls in load_rules()), LocalRule()]
    units = collect_units([SAMPLES], LintOptions())
    assert not parallel._picklable(rules)
    reports = parallel.lint_parallel(units, rules, LintOptions(jobs=2))
    assert [r.key for r in reports] == [u.key for u in units]
