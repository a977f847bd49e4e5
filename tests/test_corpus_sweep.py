"""Sweep the real-world corpus: no traceback, no internal error, every file linted or reported.

2,156 files from eight public repositories (unrendered cookiecutter templates, every odd
`serverless.yml` syntax of the framework's own fixtures, Terraform modules) are the best proof
that real input never crashes the tool. The run goes through the installed CLI in a subprocess,
as users run it. Marked `corpus` so it can be deselected locally (`-m "not corpus"`); CI runs it.
It skips when the corpus (`../shared/corpus` beside the repository) is absent.

Run `python tests/test_corpus_sweep.py` for the statistics (findings per family, SLS000 reasons
grouped, slowest files) that the assertions do not show.
"""

from __future__ import annotations

import collections
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# Measured at ~3 s for the CloudFormation part alone; the whole corpus with every loader must
# stay far below this (a hang or a quadratic blow-up on some real file is what it catches).
MAX_SECONDS = 300

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}"),
]


def _missing_loaders() -> set[str]:
    """Loader modules this build does not ship: not a crash."""
    from sls_lint.loaders import LOADERS

    return {name for name, module in LOADERS.items() if importlib.util.find_spec(module) is None}


def sweep(output: Path) -> tuple[subprocess.CompletedProcess, float, dict]:
    """Lint the whole corpus into `output` as JSON; returns the process, seconds, report."""
    command = [sys.executable, "-m", "sls_lint", "check", str(CORPUS), "-f", "json"]
    command += ["-o", str(output)]
    if importlib.util.find_spec("sls_lint.run.parallel"):  # 2 cores in CI
        command += ["--jobs", "2"]
    started = time.monotonic()
    proc = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=MAX_SECONDS * 2,
        env={**os.environ, "NO_COLOR": "1"},
        cwd=CORPUS.parent,
    )
    seconds = time.monotonic() - started
    report = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
    return proc, seconds, report


def _crash_findings(report: dict) -> list[dict]:
    """SLS001 (a rule raised) and SLS000 that hide a loader crash rather than bad input."""
    missing = _missing_loaders()
    crashes = []
    for finding in report.get("findings", []):
        if finding["rule_id"] == "SLS001":
            crashes.append(finding)
        elif finding["rule_id"] == "SLS000" and "internal error" in finding["message"]:
            module = re.search(r"No module named 'sls_lint\.loaders\.(\w+)'", finding["message"])
            if module is None or module.group(1) not in missing:
                crashes.append(finding)
    return crashes


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    output = tmp_path_factory.mktemp("sweep") / "report.json"
    return sweep(output)


def test_sweep_never_crashes(corpus_run):
    proc, seconds, report = corpus_run
    assert "Traceback" not in proc.stderr, proc.stderr[-5000:]
    assert proc.returncode in (0, 1), proc.stderr[-5000:]
    crashes = _crash_findings(report)
    shown = "\n".join(
        f"{f['location']['file']}:{f['location']['line']}: {f['message']}" for f in crashes[:20]
    )
    assert not crashes, f"{len(crashes)} internal errors, first ones:\n{shown}"
    assert seconds < MAX_SECONDS, f"sweep took {seconds:.0f}s"


def test_every_file_is_linted_or_reported(corpus_run):
    """Each infrastructure file is in the report; each SLS000 says why and where."""
    _, _, report = corpus_run
    files = set(report["files"])
    sources = CORPUS / "SOURCES.tsv"
    expected = set()
    for line in sources.read_text(encoding="utf-8").splitlines()[1:]:
        repo, _, path, fmt, *_ = line.split("\t")
        if fmt in ("cloudformation", "sam", "terraform", "tfvars"):
            expected.add(f"corpus/{repo.replace('/', '__')}/{path}")
    assert len(expected) > 1500
    assert not expected - files, sorted(expected - files)[:20]
    # Some serverless-named files are not services (metadata, env files): those may be skipped.
    assert len([f for f in files if re.search(r"/serverless[^/]*\.ya?ml$", f)]) > 400
    for finding in report["findings"]:
        location = finding["location"]
        # Included files (`${file()}` of serverless.yml) are not listed but must exist.
        assert location["file"] in files or (CORPUS.parent / location["file"]).is_file()
        assert location["line"] >= 1 and location["column"] >= 1
        if finding["rule_id"] == "SLS000":
            assert len(finding["message"]) > 10, finding


def _family(rule_id: str) -> str:
    return rule_id[:4] + "xx" if rule_id != "SLS000" else "SLS000"


def _reason(message: str) -> str:
    """Group SLS000 messages: drop the positions and names that differ from file to file."""
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    message = re.sub(r"\d[\d,]*", "N", message)
    return message[:90]


def statistics(report: dict) -> str:
    """Findings per family and SLS000 reasons grouped, for the lead's report."""
    counts = collections.Counter(_family(f["rule_id"]) for f in report["findings"])
    reasons = collections.Counter(
        _reason(f["message"]) for f in report["findings"] if f["rule_id"] == "SLS000"
    )
    lines = [f"files: {len(report['files'])}, findings: {len(report['findings'])}"]
    lines += [f"  {family}: {count}" for family, count in sorted(counts.items())]
    lines.append("SLS000 reasons:")
    lines += [f"  {count:5d}  {reason}" for reason, count in reasons.most_common()]
    return "\n".join(lines)


def slowest_units(count: int = 10) -> list[tuple[float, str]]:
    """Lint each unit of the corpus alone, in-process, and return the slowest ones."""
    from sls_lint.run.engine import LintOptions, lint_unit
    from sls_lint.run.pipeline import collect_units
    from sls_lint.run.registry import load_rules

    options = LintOptions()
    rules = [rule() for rule in load_rules()]
    timings = []
    for unit in collect_units([CORPUS], options):
        started = time.perf_counter()
        lint_unit(unit, rules, options.context)
        timings.append((time.perf_counter() - started, unit.key))
    return sorted(timings, reverse=True)[:count]


if __name__ == "__main__":  # pragma: no cover - a measuring aid, not a test
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/sls-lint-corpus.json")
    proc, seconds, report = sweep(target)
    print(f"exit {proc.returncode} in {seconds:.1f}s; stderr: {proc.stderr[-2000:]}")
    print(statistics(report))
    print("slowest units (in-process, warm):")
    for unit_seconds, key in slowest_units():
        print(f"  {unit_seconds * 1000:7.1f} ms  {key}")
