"""Pool workers never outlive the run (issue #17, item 16).

The parent is killed with SIGKILL mid-run (a CI timeout, the OOM killer): no worker may survive
it by more than 5 s. SIGINT/SIGTERM end the whole pool promptly, with exit 130/143.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_cli_contract import _slow_tree

from sls_lint.run.parallel import usable_cpus

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or usable_cpus() < 2,
    reason="needs Linux /proc and two usable CPUs for a pool",
)
EXE = [sys.executable, "-m", "sls_lint"]


def _alive(pid: int) -> bool:
    """Running or sleeping (a zombie has exited: only its parent has not reaped it yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _start_pool(tree: Path, session: bool = False) -> tuple[subprocess.Popen, list[int]]:
    process = subprocess.Popen(
        [*EXE, "check", str(tree), "--jobs", "2", "-f", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=session,
    )
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        workers = _children(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the run did not start a pool of workers"
    time.sleep(0.3)  # mid-run: the workers are busy with their tasks
    assert process.poll() is None, "the run ended before the test could signal it"
    return process, workers


def _gone_within(workers: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in workers):
            return []
        time.sleep(0.1)
    return [pid for pid in workers if _alive(pid)]


def _cleanup(workers: list[int]) -> None:
    for pid in workers:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return _slow_tree(tmp_path_factory.mktemp("pool"))


def test_no_worker_survives_a_parent_killed_with_sigkill(tree):
    process, workers = _start_pool(tree)
    process.kill()
    process.wait(timeout=10)
    survivors = _gone_within(workers, 5.0)
    _cleanup(survivors)
    assert not survivors, f"workers {survivors} outlived their killed parent"


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_sigint_and_sigterm_end_the_pool_promptly(tree, signum, code):
    process, workers = _start_pool(tree)
    started = time.monotonic()
    process.send_signal(signum)
    try:
        _, stderr = process.communicate(timeout=10)
    finally:
        _cleanup(workers)
    assert process.returncode == code, stderr
    assert time.monotonic() - started < 3.0
    assert "Traceback" not in stderr
    assert not _gone_within(workers, 2.0)


def test_ctrl_c_in_a_terminal_reaches_the_whole_group_and_exits_130(tree):
    """A terminal sends SIGINT to every process of the group: workers leave it to the parent."""
    process, workers = _start_pool(tree, session=True)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=10)
    finally:
        _cleanup(workers)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert not _gone_within(workers, 2.0)


def test_a_worker_without_prctl_watches_its_parent(tmp_path):
    """The fallback of other platforms: a thread that sees the parent go and ends the worker."""
    script = textwrap.dedent(
        """
        import os, sys, time
        from sls_lint.run import worker_life
        worker_life._set_parent_death_signal = lambda: False
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            worker_life.bind_to_parent(parent)
            time.sleep(30)
            os._exit(0)
        print(pid, flush=True)
        os._exit(0)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30
    )
    child = int(done.stdout.strip())
    survivors = _gone_within([child], 3.0)
    _cleanup(survivors)
    assert not survivors


def test_forkserver_workers_know_their_run_is_alive(monkeypatch):
    """Under `forkserver` (macOS) a worker's OS parent is the fork server, not the run: the
    parent check must not mistake that for a dead run (every worker would quit at once)."""
    import multiprocessing

    from conftest import SAMPLES

    from sls_lint.run import parallel
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import collect_units
    from sls_lint.run.registry import load_rules

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no forkserver start method")
    monkeypatch.setattr(parallel, "_start_method", lambda: "forkserver")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_UNITS", 0)
    in_parent: list[str] = []
    serial_lint = parallel.lint_unit

    def counted(unit, rules, context):
        in_parent.append(unit.key)
        return serial_lint(unit, rules, context)

    monkeypatch.setattr(parallel, "lint_unit", counted)
    options = LintOptions(jobs=2)
    units = collect_units([SAMPLES], options)
    rules = [cls() for cls in load_rules()]
    reports = parallel.lint_parallel(units, rules, options)
    assert len(reports) == len(units)
    assert in_parent == [], "the workers quit and the parent linted the units itself"
