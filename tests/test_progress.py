"""The progress line: drawn on a terminal after the delay, never in CI or into a pipe."""

from __future__ import annotations

import io
import time

from click.testing import CliRunner
from conftest import SAMPLES

from sls_lint.cli.main import main
from sls_lint.run.progress import ERASE, Progress, wanted


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wanted(Terminal())
    assert not wanted(io.StringIO())
    assert not wanted(object())
    monkeypatch.setenv("CI", "true")
    assert not wanted(Terminal())
    monkeypatch.delenv("CI")
    monkeypatch.setenv("TERM", "dumb")
    assert not wanted(Terminal())


def test_drawn_after_the_delay_and_erased_at_the_end():
    stream = Terminal()
    with Progress(10, stream, enabled=True, delay=0.05, interval=0.01) as progress:
        progress.advance(3)
        deadline = time.monotonic() + 5
        while "3/10 units (30%)" not in stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
    text = stream.getvalue()
    assert text.startswith(ERASE + "sls-lint: 3/10 units (30%), ")
    assert text.endswith(ERASE)


def test_a_quick_run_draws_nothing():
    stream = Terminal()
    with Progress(10, stream, enabled=True, delay=5) as progress:
        progress.advance(10)
    assert stream.getvalue() == ""


def test_disabled_progress_starts_no_thread():
    stream = Terminal()
    progress = Progress(10, stream, enabled=False, delay=0)
    with progress:
        assert progress._thread is None
    assert stream.getvalue() == ""


def test_a_closed_stream_never_fails_the_run():
    stream = Terminal()
    stream.close()
    with Progress(2, stream, enabled=True, delay=0, interval=0.01):
        time.sleep(0.05)


def test_cli_draws_on_a_terminal_and_the_report_starts_on_a_clean_line(monkeypatch):
    from sls_lint.run import progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.001)
    monkeypatch.setattr(progress, "wanted", lambda stream: True)
    result = CliRunner().invoke(main, ["check", str(SAMPLES), "--jobs", "1", "-f", "json"])
    assert result.exit_code == 1
    assert " units (" in result.stderr and result.stderr.endswith(ERASE)
    assert "units" not in result.stdout


def test_cli_never_draws_into_a_pipe():
    result = CliRunner().invoke(main, ["check", str(SAMPLES), "--jobs", "1", "-f", "json"])
    assert result.exit_code == 1
    assert "units" not in result.stderr and ERASE not in result.stderr
