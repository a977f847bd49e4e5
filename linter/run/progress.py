"""A progress line on stderr for long runs at a terminal, and nothing anywhere else.

A run over a large repository takes seconds; without a sign of life people press Ctrl-C or
wonder whether sls-lint hangs. But progress output is noise in a CI log or a file and breaks
editors that read stderr, so it is drawn only when stderr is a terminal, `CI` is not set and
`TERM` is not `dumb`, and only once the run has taken `delay` seconds (2 s): a pre-commit run
on a few files never shows it. The line is redrawn in place (`\\r`) from a daemon thread and
erased when the run ends, so the report that follows starts on a clean line.

The thread only reads a counter that the linting thread increments, so the cost for the run
is one integer addition per unit; a run that does not want progress starts no thread.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any, TextIO

DELAY = 2.0
INTERVAL = 0.2
ERASE = "\r\033[K"


def wanted(stream: Any) -> bool:
    """Whether progress may be drawn on `stream`: a terminal, outside CI, not a dumb one."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Progress:
    """Counts finished units; draws `sls-lint: 120/2156 units (5%), 3.4 s` after `delay`."""

    def __init__(
        self,
        total: int,
        stream: TextIO,
        enabled: bool,
        delay: float | None = None,
        interval: float | None = None,
    ) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.enabled = enabled and total > 0
        self.delay = DELAY if delay is None else delay
        self.interval = INTERVAL if interval is None else interval
        self.drawn = False
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def advance(self, count: int = 1) -> None:
        self.done += count

    def line(self) -> str:
        elapsed = time.monotonic() - self._started
        done = min(self.done, self.total)
        percent = done * 100 // self.total if self.total else 100
        return f"sls-lint: {done}/{self.total} units ({percent}%), {elapsed:.1f} s"

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self._write(ERASE + self.line())
            self.drawn = True
            self._stop.wait(self.interval)

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self._stop.set()  # stderr went away: stop drawing, never fail the run

    def __enter__(self) -> Progress:
        self._started = time.monotonic()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="sls-lint-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop drawing and erase the line (before the report is printed)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self.drawn:
            self._write(ERASE)
            self.drawn = False
