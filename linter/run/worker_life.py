"""Worker processes never outlive the run that started them.

Why: a CI job that times out, or the OOM killer, ends the parent with SIGKILL, which no handler
sees. Pool workers are then orphans blocked on a pipe that nobody will write to again; they used
to sleep there indefinitely, holding memory (and, in a CI container, keeping the job's cgroup
alive). Two mechanisms, so that every platform is covered:

* Linux: `prctl(PR_SET_PDEATHSIG, SIGKILL)` asks the kernel to kill the worker the moment its
  parent dies. It is set first thing in the worker, then the parent is checked once more, since
  the parent may have died between the fork and the `prctl` call.
* elsewhere (or when `prctl` is unavailable): a daemon thread polls the parent's pid and ends
  the worker within `WATCH_INTERVAL` seconds of the parent's death.

Workers also ignore SIGINT: Ctrl-C in a terminal reaches the whole process group, and the
parent, not each worker, decides how the run ends (it kills the pool, exits 130).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

#: How often a watching thread checks its parent (seconds), where `prctl` is not available.
WATCH_INTERVAL = 0.25
_PR_SET_PDEATHSIG = 1


def _exit_now() -> None:
    os._exit(1)  # no clean-up: the results have nowhere to go


def _set_parent_death_signal() -> bool:
    """Have the kernel kill this process when its parent dies (Linux); False if not done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _parent_alive(parent: int) -> bool:
    """Whether the run is still alive, from inside a worker on any platform.

    multiprocessing gives every worker a sentinel of the process that started it (closed when
    that process dies), whatever the start method; under `forkserver` the worker's OS parent is
    the fork server, so `getppid` alone would not do. Without a sentinel: the parent pid.
    """
    import multiprocessing

    watched = multiprocessing.parent_process()
    if watched is not None:
        return watched.is_alive()
    return os.getppid() == parent


def _watch(parent: int) -> None:
    while True:
        time.sleep(WATCH_INTERVAL)
        if not _parent_alive(parent):
            _exit_now()


def bind_to_parent(parent: int) -> None:
    """Called first in every worker: end this process when `parent` (the run) is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the parent's SIGTERM handler (which raises to stop the pool):
    # here SIGTERM must simply end the process.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # The kernel's death signal follows the OS parent: only use it when that is the run.
    armed = os.getppid() == parent and _set_parent_death_signal()
    if not armed:
        threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()
    if not _parent_alive(parent) or (armed and os.getppid() != parent):
        _exit_now()  # died before the death signal was armed
