"""Lint units in worker processes (`--jobs N`) with exactly the results of a serial run.

Why processes: loading and rules are pure Python (the GIL rules out threads). Why only for
large runs: measured on a 2-CPU machine, a pool of two costs ~75 ms (fork, a manager thread,
shipping units and reports) while a YAML unit lints in ~2-4 ms, so the pool breaks even around
50 units and pays clearly from a few hundred (the whole corpus, 1,824 units: 1.7x faster wall
time with 2 workers). Below `MIN_PARALLEL_UNITS` units, or with one usable CPU, the run stays
serial, which is what makes "one worker per CPU" a safe default for a pre-commit hook.

Choices, deliberately:

* start method `fork` on Linux: workers inherit the parent's imported modules, the rule
  instances and the options, so nothing but units and reports crosses the pipe and no worker
  re-imports anything. The parent imports the loaders the run needs *before* forking, so their
  import cost is paid once, not once per worker. The parent is single-threaded at that point
  (the CLI starts no threads), which is what makes `fork` safe. Elsewhere (macOS, Windows)
  `forkserver`/`spawn` is used: the rules and options are then pickled once per worker (an
  initializer), never once per task.
* chunks: units are dealt to tasks heaviest first (sizes as in `sharding.unit_weight`), about
  `CHUNKS_PER_WORKER` tasks per worker, so one large Terraform module does not leave the other
  workers idle at the end, and per-task overhead stays small.
* reports return in the order of `units`, whatever order workers finish in; the engine sorts
  findings afterwards anyway. Texts the parent already holds (a unit's own files) are not
  sent back: the worker replaces them by `None` and the parent puts its own copy back.
* a worker that dies (a crash in a C extension, the OOM killer) breaks the pool: the units not
  yet reported are then linted serially in the parent, so the run still has every result.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from sls_lint.loaders import LOADERS
from sls_lint.run.engine import UnitReport, lint_unit, tune_gc

if TYPE_CHECKING:  # pragma: no cover
    from sls_lint.loaders import LoadContext
    from sls_lint.model.rule import Rule
    from sls_lint.run.engine import LintOptions
    from sls_lint.sources.files import Unit

#: Below this many units a run stays serial: the pool costs more than it saves (bench/run.py).
MIN_PARALLEL_UNITS = 100
#: Tasks per worker: enough to even out unequal units, few enough to keep IPC cheap.
CHUNKS_PER_WORKER = 8

# What `fork` workers inherit, or what the initializer sets under `spawn`/`forkserver`.
_rules: Sequence[Rule] = ()
_context: LoadContext | None = None
_view: str | None = None


def usable_cpus() -> int:
    """CPUs this process may run on (the affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # macOS, Windows
        return os.cpu_count() or 1


def effective_jobs(requested: int, unit_count: int) -> int:
    """How many processes a run of `unit_count` units should use when `requested` are asked.

    `requested <= 0` means "one per usable CPU". Small runs and single-CPU machines get 1, so
    a default of "auto" costs a pre-commit run on a few files nothing.
    """
    if unit_count < MIN_PARALLEL_UNITS:
        return 1
    cpus = usable_cpus()
    jobs = cpus if requested <= 0 else requested
    # Each worker should get at least half the threshold's worth of units to pay for itself.
    per_worker = max(1, MIN_PARALLEL_UNITS // 2)
    return max(1, min(jobs, cpus, unit_count // per_worker or 1))


def _start_method() -> str:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _init_worker(rules: Sequence[Rule], context: LoadContext, view: str | None = None) -> None:
    global _rules, _context, _view
    _rules, _context, _view = rules, context, view
    if context is not None:
        tune_gc()  # a `spawn`/`forkserver` worker starts with the default collector settings


def _lint_chunk(chunk: list[tuple[int, Unit]]) -> list[tuple[int, UnitReport]]:
    """Worker side: lint each unit; drop the texts the parent already has."""
    assert _context is not None
    done = []
    for position, unit in chunk:
        report = lint_unit(unit, _rules, _context, _view)
        own = {f.display: f.text for f in unit.files}
        report.texts = {
            name: (None if own.get(name) is text else text) for name, text in report.texts.items()
        }
        done.append((position, report))
    return done


def _restore_texts(report: UnitReport, unit: Unit) -> UnitReport:
    if any(text is None for text in report.texts.values()):
        own = {f.display: f.text for f in unit.files}
        report.texts = {
            name: (own[name] if text is None else text) for name, text in report.texts.items()
        }
    return report


def _chunks(units: Sequence[Unit], count: int) -> list[list[tuple[int, Unit]]]:
    """`count` tasks of roughly equal weight, heaviest units dealt first (LPT greedy)."""
    from sls_lint.run.sharding import unit_weight

    weights = [unit_weight(unit) for unit in units]
    order = sorted(range(len(units)), key=lambda i: -weights[i])
    tasks: list[list[tuple[int, Unit]]] = [[] for _ in range(count)]
    loads = [0] * count
    for position in order:
        lightest = min(range(count), key=loads.__getitem__)
        tasks[lightest].append((position, units[position]))
        loads[lightest] += weights[position]
    # Heaviest tasks first, so the longest one starts at once.
    paired = sorted(zip(loads, range(count), tasks, strict=True), key=lambda t: (-t[0], t[1]))
    return [task for _, _, task in paired if task]


def _picklable(value: object) -> bool:
    """Whether `spawn`/`forkserver` workers can receive `value` (rules loaded from a rule
    folder live in modules a fresh interpreter cannot import by name)."""
    import pickle

    try:
        pickle.loads(pickle.dumps(value))
    except Exception:  # noqa: BLE001 - any failure means "not here": lint serially
        return False
    return True


def _preload_loaders(units: Sequence[Unit]) -> None:
    """Import the loaders the run needs once in the parent, so forked workers share them."""
    for fmt in sorted({unit.format for unit in units}):
        module = LOADERS.get(fmt)
        if module is not None:
            importlib.import_module(module)


def lint_parallel(
    units: Sequence[Unit],
    rules: Sequence[Rule],
    options: LintOptions,
    progress: Callable[[int], None] | None = None,
) -> list[UnitReport]:
    """Lint `units` with up to `options.jobs` processes; the reports of a serial run, in order."""
    jobs = effective_jobs(options.jobs, len(units))
    if jobs <= 1:
        return [lint_unit(unit, rules, options.context, options.view) for unit in units]
    import multiprocessing

    method = _start_method()
    context = multiprocessing.get_context(method)
    if method == "fork":
        _preload_loaders(units)
        _init_worker(rules, options.context, options.view)
        pool_args: dict = {}
    else:
        if not _picklable((rules, options.context)):  # e.g. rules from a local rule folder
            return [lint_unit(unit, rules, options.context, options.view) for unit in units]
        pool_args = {
            "initializer": _init_worker,
            "initargs": (rules, options.context, options.view),
        }
    reports: list[UnitReport | None] = [None] * len(units)
    tasks = _chunks(units, jobs * CHUNKS_PER_WORKER)
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, **pool_args) as pool:
            futures = [pool.submit(_lint_chunk, task) for task in tasks]
            for task, future in zip(tasks, futures, strict=True):
                for position, report in future.result():
                    reports[position] = _restore_texts(report, units[position])
                if progress is not None:
                    progress(len(task))
    except BrokenProcessPool:
        pass  # the units left over are linted below, in this process
    finally:
        if method == "fork":
            _init_worker((), None)  # type: ignore[arg-type]
    return [
        report if report is not None else lint_unit(unit, rules, options.context, options.view)
        for unit, report in zip(units, reports, strict=True)
    ]
