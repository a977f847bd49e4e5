"""Benchmark sls-lint against checkov and cfn-lint (+ serverless rules), side by side.

    python bench/run.py                 # full run: corpus per format and whole, 1 file, scaling
    python bench/run.py --quick         # CI smoke: no competitors, a tiny slice, one repeat
    python bench/run.py --repeat 5 --output bench/RESULTS.md

Every tool runs as its own process, the way users run it, in rounds: each round runs every
tool on a case before the next round starts, so a noisy neighbour slows all tools alike, and
the table reports the median of the rounds. Measured per process with `os.wait4`: wall time,
CPU time (user + system, including worker processes; far less sensitive to other load on a
shared machine than wall time) and peak resident memory (the largest of the process and its
children).

Cases: one small file (what a pre-commit hook pays), the corpus per format (`SOURCES.tsv`
column 4) and whole, and a scaling series of 10, 100 and 1,000 YAML/JSON files. cfn-lint only
gets CloudFormation and SAM files (it reads nothing else). The *parse floor* is
`bench/parse_floor.py`: a process that imports sls-lint's parsers and reads and parses the same
files, doing nothing else.

Fairness: the competitors run from their own venvs (bench/competitors.py) with their
bytecode compiled at install time; sls-lint is installed editable here, so its bytecode is
compiled once into `bench/.venvs/pycache` (`PYTHONPYCACHEPREFIX`) before timing, as a `pip
install` would. sls-lint's Terraform parse cache starts empty in every run (a fresh
`XDG_CACHE_HOME`) unless the case says "warm cache": competitors have no such cache.

Crashes: one bad file ends a competitor's whole run with no result. Files matching a known
crash pattern are left out of that competitor's list before running (`survivable`); if a run
still crashes, the crashed list is bisected (`competitors.crashing_files`, untimed), the files
found are cached per tool version in `bench/.venvs/crashes-<tool>-<version>.json` (gitignored;
delete it to bisect again) and the run is retried without them. sls-lint always gets the full
list; where a competitor got fewer files, the report says so and also times sls-lint on exactly
the competitor's list ("sls-lint@checkov").
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import competitors  # noqa: E402 - a sibling script, not a package

CORPUS = competitors.CORPUS_DIR
SMALL_FILE = REPO / "samples" / "cloudformation" / "fixed.yaml"
PYCACHE = competitors.VENVS_DIR / "pycache"
RESULTS = BENCH_DIR / "RESULTS.md"
YAML_FORMATS = ("cloudformation", "sam", "serverless")
CFN_FORMATS = ("cloudformation", "sam")
COMPETITORS = ("checkov", "cfn-lint")
#: Every tool a case may run, in the order of a round. "sls-lint@X" is sls-lint on exactly the
#: files competitor X was given, when X had to be spared files that crash it.
ALL_TOOLS = ("sls-lint", "floor", "checkov", "sls-lint@checkov", "cfn-lint", "sls-lint@cfn-lint")
#: Templates left out of a competitor's runs by a known crash pattern (see `survivable`).
SKIPPED: dict[str, set[Path]] = {}


def _key(tool: str) -> str:
    """competitors.py's name of a competitor ("cfn-lint" is its "cfnlint" venv)."""
    return "cfnlint" if tool == "cfn-lint" else tool


class CrashList:
    """Files that crash one competitor and end its whole run, found by bisection.

    Cached in `bench/.venvs/crashes-<tool>-<version>.json` (gitignored, beside the venv that
    crashed), so a later run of the same version skips the bisection; a version bump starts a
    new, empty list. Maps each file to the last line of the tool's stderr on it alone.
    """

    def __init__(self, tool: str, version: str) -> None:
        self.tool = tool
        self.version = version
        name = re.sub(r"[^A-Za-z0-9.+-]+", "_", f"{_key(tool)}-{version}")
        self.path = competitors.VENVS_DIR / f"crashes-{name}.json"
        self.files: dict[Path, str] = {}
        with contextlib.suppress(OSError, ValueError, KeyError, AttributeError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.files = {Path(path): reason for path, reason in data["files"].items()}

    def add(self, found: dict[Path, str]) -> None:
        self.files.update(found)
        payload = {
            "tool": self.tool,
            "version": self.version,
            "files": {str(path): reason for path, reason in sorted(self.files.items())},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


@dataclass
class Sample:
    """One timed process."""

    wall: float
    cpu: float
    peak_kb: int
    returncode: int
    stderr_tail: str = ""
    failed: bool = False  # crashed or timed out: not a timing


@dataclass
class Case:
    """What every tool lints in one row of the table."""

    name: str
    files: int
    sls: list[Path]  # paths given to sls-lint
    floor: list[Path]  # files the parse floor reads
    checkov: list[Path] = field(default_factory=list)
    cfnlint: list[Path] = field(default_factory=list)
    sls_extra: tuple[str, ...] = ()
    warm_cache: bool = False
    checkov_groups: list[list[Path]] = field(default_factory=list)  # separate runs, summed


@dataclass
class Row:
    case: Case
    samples: dict[str, list[Sample]] = field(default_factory=dict)

    def median(self, tool: str, attribute: str) -> float | None:
        values = [getattr(s, attribute) for s in self.samples.get(tool, []) if not s.failed]
        return statistics.median(values) if values else None

    def peak_mb(self, tool: str) -> float | None:
        values = [s.peak_kb for s in self.samples.get(tool, []) if not s.failed]
        return max(values) / 1024 if values else None

    def cell(self, tool: str, attribute: str, digits: int) -> str:
        """The median, or why there is none (every run of the tool failed)."""
        value = self.median(tool, attribute)
        failures = [s for s in self.samples.get(tool, []) if s.failed]
        if value is None and failures:
            code = failures[0].returncode
            return "timeout" if code == -9 else f"crash (exit {code})"
        return _fmt(value, digits)


# -- running a process ------------------------------------------------------------------------
def measure(argv: Sequence[str], env: dict[str, str], cwd: Path, timeout: float) -> Sample:
    """Run `argv` to completion; its wall time, CPU time and peak RSS (via `os.wait4`)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, usage.ru_maxrss, process.returncode, tail)


def sls_env(cache: Path | None) -> dict[str, str]:
    """sls-lint's environment: compiled bytecode kept, a chosen (or fresh) parse cache."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["XDG_CACHE_HOME"] = str(cache or tempfile.mkdtemp(prefix="sls-bench-cache-"))
    env.setdefault("SLS_LINT_TODAY", "2025-06-01")
    env["NO_COLOR"] = "1"
    return env


def sls_command() -> list[str]:
    script = Path(sys.executable).with_name("sls-lint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sls_lint"]


def _commands(tool: str, paths: Sequence[Path]) -> list[list[str]]:
    """The fewest commands for `paths`: competitors.py splits long lists at 100,000 characters
    (ARG_MAX is far larger, and every extra start-up would be charged to the competitor);
    checkov needs files (`-f`) and directories (`-d`) in separate commands."""
    files = [p for p in paths if not p.is_dir()]
    dirs = [p for p in paths if p.is_dir()]
    merged = []
    for group in (files, dirs):
        commands = competitors.commands(tool, group)
        if not commands:
            continue
        first = commands[0]
        base = (
            first.index("--") + 1 if tool == "cfnlint" else 1 + len(competitors.CHECKOV_BASE_ARGS)
        )
        merged.append([*first, *(arg for command in commands[1:] for arg in command[base:])])
    return merged


class Runner:
    """Builds each tool's command line for a case and times it."""

    def __init__(
        self,
        workdir: Path,
        timeout: float,
        with_competitors: bool,
        crash_lists: dict[str, CrashList] | None = None,
    ) -> None:
        self.workdir = workdir
        self.timeout = timeout
        self.with_competitors = with_competitors
        self.warm_cache = workdir / "warm-cache"
        self.checkov_parallel = False
        self.crash_lists = crash_lists or {}

    def tools(self, case: Case) -> list[str]:
        names = ["sls-lint", "floor"] if case.floor else ["sls-lint"]
        if self.with_competitors:
            for tool in COMPETITORS:
                if self.given(tool, case):
                    names.append(tool)
                    if self.excluded(tool, case):
                        names.append(f"sls-lint@{tool}")
        return names

    # -- what each competitor gets ----------------------------------------------------------
    def given(self, tool: str, case: Case) -> list[list[Path]]:
        """The path lists `tool` is run on (one process each), before exclusions."""
        if tool == "checkov":
            return case.checkov_groups or ([case.checkov] if case.checkov else [])
        return [case.cfnlint] if case.cfnlint else []

    def usable(self, tool: str, paths: list[Path]) -> list[Path]:
        """`paths` minus the files known to crash `tool` (by pattern or by bisection)."""
        crashers = self.crash_lists[tool].files if tool in self.crash_lists else {}
        return [p for p in survivable(tool, paths) if p not in crashers]

    def groups(self, tool: str, case: Case) -> list[list[Path]]:
        return [self.usable(tool, group) for group in self.given(tool, case)]

    def excluded(self, tool: str, case: Case) -> set[Path]:
        """The paths of `case` that `tool` is spared because they crash it."""
        given = {p for group in self.given(tool, case) for p in group}
        kept = {p for group in self.groups(tool, case) for p in group}
        return given - kept

    def env(self, tool: str) -> dict[str, str]:
        env = competitors.competitor_env()
        if tool == "checkov" and not self.checkov_parallel:
            # checkov 3.3.30's fork parallelism deadlocks on the whole corpus (the parent in
            # waitpid, a worker blocked writing its results to a full pipe), and sequential
            # was faster on this 2-CPU machine anyway (828 SAM files: 38 s vs 68 s).
            env["CHECKOV_PARALLELIZATION_TYPE"] = "none"
        return env

    def sls_paths(self, case: Case, like: str | None) -> tuple[list[str], list[str]]:
        """sls-lint's path arguments for `case` and extra options: all of `case.sls`, or (with
        `like`) only what competitor `like` was given, excluding the files spared it."""
        if like is None:
            return list(map(str, case.sls)), []
        spared = self.excluded(like, case)
        paths = [p for p in case.sls if not any(p == s or p.is_relative_to(s) for s in spared)]
        options = []
        for path in sorted(spared):
            if any(d.is_dir() and path.is_relative_to(d) for d in paths):
                escaped = re.sub(r"([*?[])", r"[\1]", str(path.absolute()))
                options += ["--extend-exclude", escaped]
        return list(map(str, paths)), options

    def command(self, tool: str, case: Case) -> tuple[list[list[str]], dict[str, str]]:
        if tool.startswith("sls-lint"):
            like = tool.partition("@")[2] or None
            # What a user runs in CI: `sls-lint check PATHS`, default --jobs (0: one worker
            # per CPU, serial below 100 units); JSON output, like the competitors.
            paths, options = self.sls_paths(case, like)
            argv = [*sls_command(), "check", "-f", "json", *case.sls_extra, *options]
            cache = self.warm_cache if case.warm_cache else None
            return [[*argv, *paths]], sls_env(cache)
        if tool == "floor":
            listing = self.workdir / f"floor-{hashlib.sha1(case.name.encode()).hexdigest()}.txt"
            listing.write_text("".join(f"{p}\n" for p in case.floor), encoding="utf-8")
            argv = [sys.executable, str(BENCH_DIR / "parse_floor.py"), f"@{listing}"]
            return [argv], sls_env(None)
        key = _key(tool)
        commands = [c for group in self.groups(tool, case) for c in _commands(key, group)]
        return commands, self.env(tool)

    def run(self, tool: str, case: Case) -> Sample:
        if tool in COMPETITORS:
            return self.run_competitor(tool, case)
        commands, env = self.command(tool, case)
        parts = [measure(argv, env, self.workdir, self.timeout) for argv in commands]
        sample = _combine(parts)
        if not case.warm_cache or tool == "floor":
            shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
        sample.failed = sample.returncode not in (0, 1)
        if sample.failed:
            print(f"  ! {tool} exited {sample.returncode} on {case.name}", file=sys.stderr)
            print(sample.stderr_tail, file=sys.stderr)
        return sample

    def run_competitor(self, tool: str, case: Case, attempts: int = 3) -> Sample:
        """Time `tool` on `case`; when a run crashes, find the files that crash it by bisection
        (untimed, remembered in its `CrashList`), leave them out, and run again."""
        key = _key(tool)
        env = self.env(tool)
        for attempt in range(attempts + 1):
            parts: list[Sample] = []
            crashed: list[list[Path]] = []
            for group in self.groups(tool, case):
                runs = [
                    measure(argv, env, competitors.RUN_CWD, self.timeout)
                    for argv in _commands(key, group)
                ]
                parts += runs
                # A timeout (killed, -9) is not something bisection can explain.
                if any(r.returncode > 0 and competitors.is_crash(key, r.returncode) for r in runs):
                    crashed.append(group)
            sample = _combine(parts)
            sample.returncode = max(p.returncode for p in parts)
            sample.failed = competitors.is_crash(key, sample.returncode)
            if not sample.failed:
                return sample
            print(f"  ! {tool} exited {sample.returncode} on {case.name}", file=sys.stderr)
            print(sample.stderr_tail, file=sys.stderr)
            if not crashed or attempt == attempts or not self.bisect(tool, crashed, env):
                return sample
            print(f"  retrying {tool} on {case.name} without those files", file=sys.stderr)
        return sample

    def bisect(self, tool: str, groups: list[list[Path]], env: dict[str, str]) -> bool:
        """Find the crashing files of `groups`; True when new ones were found and recorded."""
        if tool not in self.crash_lists:
            return False
        found: dict[Path, str] = {}
        for group in groups:
            print(f"  bisecting {len(group)} paths to find what crashes {tool}", file=sys.stderr)
            start = time.perf_counter()
            reasons: dict[Path, str] = {}
            crashers = competitors.crashing_files(
                _key(tool), group, env=env, known_crash=True, reasons=reasons
            )
            seconds = time.perf_counter() - start
            print(f"  {len(crashers)} found in {seconds:.0f} s: {crashers[:5]}", file=sys.stderr)
            if len(crashers) > max(20, len(group) // 10):
                # Not a few bad files but the batch as a whole (or most of it): excluding them
                # would leave nothing worth comparing; report the crash instead.
                continue
            found.update({path: reasons.get(path, "crash") for path in crashers})
        if not found:
            return False
        self.crash_lists[tool].add(found)
        return True


def _combine(parts: list[Sample]) -> Sample:
    """One sample for several processes run one after the other: summed times, largest peak."""
    worst = max(parts, key=lambda part: part.returncode not in (0, 1))
    return Sample(
        sum(p.wall for p in parts),
        sum(p.cpu for p in parts),
        max(p.peak_kb for p in parts),
        worst.returncode,
        worst.stderr_tail,
    )


# -- cases ------------------------------------------------------------------------------------
def corpus_index() -> list[tuple[str, Path]]:
    """(format, path) of every corpus file, from SOURCES.tsv."""
    rows = []
    with (CORPUS / "SOURCES.tsv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 4:
                rows.append((fields[3], CORPUS / fields[0].replace("/", "__") / fields[2]))
    return rows


def _stable_sample(paths: list[Path], count: int) -> list[Path]:
    """`count` paths chosen by the SHA-1 of their name: the same slice on every machine."""
    ranked = sorted(paths, key=lambda p: hashlib.sha1(str(p).encode()).hexdigest())
    return sorted(ranked[:count])


_CFN_SECTIONS = ("Parameters", "Mappings", "Conditions", "Resources", "Outputs", "Globals")


@functools.cache
def _template_survivable(path: Path, tool: str) -> bool:
    """Whether `tool` can get through this template without a crash that ends its whole run.

    Known crashes on the corpus: cfn-lint 1.x on a section that is present but not a mapping
    (`Parameters:` with nothing under it: `AttributeError` in its graph builder); checkov 3.3 on
    a resource whose `Type` is not a string (`TypeError: unhashable type`). Such templates are
    left out of that tool's list (the report says how many), since a crashed run's time means
    nothing. Templates that do not parse at all stay in: both tools report those, as sls-lint.
    """
    from sls_lint.sources.yaml_source import load_json, load_yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
        data = (load_json if path.suffix == ".json" else load_yaml)(text)
    except Exception:  # noqa: BLE001 - unparsable: reported by the tool, keep it
        return True
    if not isinstance(data, dict):
        return tool == "checkov"
    if tool == "cfn-lint":
        return isinstance(data.get("Resources"), dict) and all(
            isinstance(data[key], dict) for key in _CFN_SECTIONS if key in data
        )
    for resources in (data.get("Resources"), _get(data.get("resources"), "Resources")):
        if isinstance(resources, dict) and not all(
            isinstance(r, dict) and isinstance(r.get("Type", ""), str) for r in resources.values()
        ):
            return False
    return True


def _get(mapping: object, key: str) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None


def survivable(tool: str, paths: list[Path]) -> list[Path]:
    """`paths` minus the templates that crash `tool` (recorded in `SKIPPED`)."""
    kept = []
    for path in paths:
        if path.is_dir() or path.suffix in (".tf", ".tfvars") or _template_survivable(path, tool):
            kept.append(path)
        else:
            SKIPPED.setdefault(tool, set()).add(path)
    return kept


def build_cases(quick: bool) -> list[Case]:
    cases = [
        Case("1 small file", 1, [SMALL_FILE], [SMALL_FILE], [SMALL_FILE], [SMALL_FILE]),
    ]
    index = corpus_index() if CORPUS.is_dir() else []
    yaml_files = [p for fmt, p in index if fmt in YAML_FORMATS]
    if quick:
        slice_ = _stable_sample(yaml_files, 10)
        if slice_:
            cases.append(Case("scaling 10 files", 10, slice_, slice_))
        return cases
    by_format: dict[str, list[Path]] = {}
    for fmt, path in index:
        by_format.setdefault(fmt, []).append(path)
    for fmt in ("cloudformation", "sam", "serverless", "terraform"):
        files = by_format.get(fmt, [])
        floor = list(files)
        checkov = list(files)
        if fmt == "serverless":
            floor += by_format.get("serverless-ref", []) + by_format.get("serverless-compose", [])
        if fmt == "terraform":
            floor += by_format.get("tfvars", [])
            checkov = sorted({p.parent for p in files})  # modules, as competitors.py advises
        cfnlint = files if fmt in CFN_FORMATS else []
        cases.append(Case(f"corpus: {fmt}", len(files), files, floor, checkov, cfnlint))
    every = [p for _, p in index]
    cfn = [p for fmt, p in index if fmt in CFN_FORMATS]
    # checkov: its per-format runs, summed. In one run it crashes (`-d` on the corpus root
    # deadlocks; all files with `-f` ends in a TypeError in its CloudFormation runner) although
    # each format alone goes through; the extra start-ups cost it ~3 x 3 s.
    groups = [cases[-4].checkov, cases[-3].checkov, cases[-2].checkov, cases[-1].checkov]
    cases.append(
        Case(
            "corpus: all", len(every), [CORPUS], every, [CORPUS], cfnlint=cfn, checkov_groups=groups
        )
    )
    # The default --jobs is 0 (one worker per CPU); the serial run shows what the workers buy.
    cases.append(Case("corpus: all, --jobs 1", len(every), [CORPUS], [], sls_extra=("-j", "1")))
    terraform = by_format.get("terraform", [])
    cases.append(
        Case("corpus: terraform, warm cache", len(terraform), terraform, [], [], [], (), True)
    )
    for count in (10, 100, 1000):
        slice_ = _stable_sample(yaml_files, count)
        cases.append(Case(f"scaling {count} files", len(slice_), slice_, slice_))
    return cases


# -- reporting --------------------------------------------------------------------------------
def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None or denominator <= 0:
        return "–"
    return f"{numerator / denominator:.1f}×"


def _competitor_ratio(row: Row, tool: str, attribute: str, runner: Runner | None) -> str:
    """`tool` ÷ sls-lint, saying so when `tool` ran on fewer files than sls-lint."""
    ratio = _ratio(row.median(tool, attribute), row.median("sls-lint", attribute))
    spared = len(runner.excluded(tool, row.case)) if runner and row.samples.get(tool) else 0
    if ratio == "–" or not spared:
        return ratio
    return f"{ratio} (on {row.case.files - spared} of {row.case.files})"


def table(rows: list[Row], attribute: str, unit: str, runner: Runner | None = None) -> str:
    """A markdown table of medians of `attribute` (wall or cpu) with ratios to sls-lint."""
    lines = [
        f"| case | files | sls-lint {unit} | parse floor {unit} | sls-lint ÷ floor "
        f"| checkov {unit} | checkov ÷ sls-lint | cfn-lint {unit} | cfn-lint ÷ sls-lint |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        sls = row.median("sls-lint", attribute)
        floor = row.median("floor", attribute)
        lines.append(
            f"| {row.case.name} | {row.case.files} | {row.cell('sls-lint', attribute, 3)} "
            f"| {row.cell('floor', attribute, 3)} | {_ratio(sls, floor)} "
            f"| {row.cell('checkov', attribute, 2)} "
            f"| {_competitor_ratio(row, 'checkov', attribute, runner)} "
            f"| {row.cell('cfn-lint', attribute, 2)} "
            f"| {_competitor_ratio(row, 'cfn-lint', attribute, runner)} |"
        )
    return "\n".join(lines)


def same_files_table(rows: list[Row], runner: Runner) -> str:
    """sls-lint on exactly the files a competitor got, for the cases where that is fewer."""
    lines = [
        "| case | competitor | files | competitor s | sls-lint s (same files) | ratio "
        "| competitor cpu s | sls-lint cpu s (same files) | cpu ratio |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        for tool in COMPETITORS:
            same = f"sls-lint@{tool}"
            if not row.samples.get(same):
                continue
            files = row.case.files - len(runner.excluded(tool, row.case))
            cells = []
            for attribute, digits in (("wall", 2), ("cpu", 2)):
                theirs = row.median(tool, attribute)
                ours = row.median(same, attribute)
                cells += [_fmt(theirs, digits), _fmt(ours, 3), _ratio(theirs, ours)]
            lines.append(f"| {row.case.name} | {tool} | {files} | {' | '.join(cells)} |")
    return "\n".join(lines) if len(lines) > 2 else "(no competitor was spared any file)"


def exclusions(runner: Runner) -> str:
    """How many files each competitor was spared, and why."""
    if not runner.with_competitors:
        return "(competitors not run)"
    out = []
    for tool in COMPETITORS:
        by_pattern = sorted(SKIPPED.get(tool, ()))
        crash_list = runner.crash_lists.get(tool)
        bisected = dict(sorted(crash_list.files.items())) if crash_list else {}
        reason = (
            "a section (`Parameters:`, `Resources:`...) present but not a mapping"
            if tool == "cfn-lint"
            else "a resource that is not a mapping with a string `Type`, in a template or a "
            "Serverless `resources:` section (this check sees `Type: !Rain::Module ...` as a "
            "string, as sls-lint's loader does, so bisection finds those)"
        )
        out.append(
            f"- **{tool}**: {len(by_pattern) + len(bisected)} files in all. "
            f"{len(by_pattern)} by a known crash pattern, checked before running: {reason}."
        )
        if bisected:
            where = crash_list.path.relative_to(REPO) if crash_list else ""
            out.append(
                f"  {len(bisected)} more found by bisection after a crashed run "
                f"(cached in `{where}`):"
            )
            for path, why in bisected.items():
                shown = path.relative_to(CORPUS) if path.is_relative_to(CORPUS) else path
                out.append(f"  - `{shown}`: `{why[:160]}`")
        else:
            out.append("  Bisection found no other crashing file.")
    return "\n".join(out)


def _target(label: str, goal: str, value: str, met: bool | None) -> str:
    verdict = "–" if met is None else ("met" if met else "**not met**")
    return f"| {label} | {goal} | {value} | {verdict} |"


def targets(rows: list[Row], runner: Runner) -> str:
    """The goals of the project, checked against this run (wall time unless said)."""
    by_name = {row.case.name: row for row in rows}
    lines = ["| target | goal | this run | verdict |", "| --- | --- | --- | --- |"]
    whole = by_name.get("corpus: all")
    for tool, goal in (("checkov", 30), ("cfn-lint", 5)):
        if whole is None:
            continue
        wall = whole.median(tool, "wall")
        sls = whole.median("sls-lint", "wall")
        value = _competitor_ratio(whole, tool, "wall", runner)
        cpu = _ratio(whole.median(tool, "cpu"), whole.median("sls-lint", "cpu"))
        met = None if wall is None or not sls else wall / sls >= goal
        lines.append(
            _target(f"whole corpus vs {tool}", f"≥ {goal}× faster", f"{value} (cpu {cpu})", met)
        )
    if whole is not None:
        sls, floor = whole.median("sls-lint", "wall"), whole.median("floor", "wall")
        met = None if sls is None or not floor else sls / floor <= 2
        cpu = _ratio(whole.median("sls-lint", "cpu"), whole.median("floor", "cpu"))
        lines.append(
            _target("whole corpus vs parse floor", "≤ 2×", f"{_ratio(sls, floor)} (cpu {cpu})", met)
        )
    single = by_name.get("1 small file")
    if single is not None:
        wall = single.median("sls-lint", "wall")
        met = None if wall is None else wall <= 0.3
        lines.append(_target("single file", "≤ 0.3 s", f"{_fmt(wall, 3)} s", met))
    peaks = [
        (row.peak_mb("sls-lint"), row.case.name)
        for row in rows
        if row.peak_mb("sls-lint") is not None
    ]
    if peaks:
        peak, name = max(peaks)
        lines.append(_target("peak memory", "≤ 150 MB", f"{peak:.0f} MB ({name})", peak <= 150))
    scaling = {row.case.files: row for row in rows if row.case.name.startswith("scaling")}
    if 100 in scaling and 1000 in scaling:
        small = scaling[100].median("sls-lint", "cpu")
        large = scaling[1000].median("sls-lint", "cpu")
        if small and large:
            per_small, per_large = 1000 * small / 100, 1000 * large / 1000
            lines.append(
                _target(
                    "linear scaling",
                    "cost per file at 1,000 files ≤ at 100",
                    f"{per_large:.1f} vs {per_small:.1f} ms cpu per file",
                    per_large <= per_small,
                )
            )
    return "\n".join(lines)


def memory_table(rows: list[Row]) -> str:
    lines = [
        "| case | sls-lint MB | parse floor MB | checkov MB | cfn-lint MB |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        cells = [
            _fmt(row.peak_mb(tool), 0) for tool in ("sls-lint", "floor", "checkov", "cfn-lint")
        ]
        lines.append(f"| {row.case.name} | {' | '.join(cells)} |")
    return "\n".join(lines)


def scaling_table(rows: list[Row]) -> str:
    lines = [
        "| files | sls-lint wall s | ms per file | cpu s | ms cpu per file | floor cpu s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        if not row.case.name.startswith("scaling"):
            continue
        wall = row.median("sls-lint", "wall")
        cpu = row.median("sls-lint", "cpu")
        floor = row.median("floor", "cpu")
        per_wall = None if wall is None else 1000 * wall / row.case.files
        per_cpu = None if cpu is None else 1000 * cpu / row.case.files
        lines.append(
            f"| {row.case.files} | {_fmt(wall, 3)} | {_fmt(per_wall, 1)} | {_fmt(cpu, 3)} "
            f"| {_fmt(per_cpu, 1)} | {_fmt(floor, 3)} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, str]:
    memory = "?"
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            kb = int(handle.readline().split()[1])
            memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "nproc": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load average (1/5/15 min)": load,
    }


def _source_state() -> str:
    """Which sources were measured (sls-lint is installed editable): commit, edited files."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "linter"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return ""
    edits = f" + {len(changed)} uncommitted file(s) under linter/" if changed else ""
    return f" (commit {head}{edits})"


def version_of_sls(source: str) -> str:
    from importlib.metadata import version

    return version("sls-lint") + source


def versions(with_competitors: bool) -> dict[str, str]:
    from importlib.metadata import version

    found = {"sls-lint": version("sls-lint") + _source_state()}
    for name in ("PyYAML", "python-hcl2", "lark", "cfn-lint"):
        with contextlib.suppress(Exception):  # informational only
            found[f"{name} (sls-lint's)"] = version(name)
    if with_competitors:
        found.update(competitors.tool_versions())
    return found


def report(
    rows: list[Row],
    repeat: int,
    info: dict[str, str],
    tools: dict[str, str],
    runner: Runner | None = None,
) -> str:
    details = "\n".join(f"- {key}: {value}" for key, value in {**info, **tools}.items())
    competitor_sections = ""
    if runner is not None and runner.with_competitors:
        competitor_sections = f"""
## Targets

{targets(rows, runner)}

## Files each competitor was spared

A file that crashes a competitor ends its whole run with no result, so it is left out of
*that competitor's* list only; sls-lint's number for a case is always measured on the full
list. Known crash patterns are checked before running; any other crash makes `bench/run.py`
bisect the crashed list (`competitors.crashing_files`, untimed), cache the files found per
tool version under `bench/.venvs/`, and run again without them. Where a competitor ran on
fewer files, its ratio says "on N of M", and sls-lint is also timed on exactly the same
files (table below).

{exclusions(runner)}

### Same files: competitor vs sls-lint on the competitor's reduced list

{same_files_table(rows, runner)}
"""
    return f"""# sls-lint benchmark

Produced by `python bench/run.py` ({time.strftime("%Y-%m-%d %H:%M")}); median of {repeat}
round(s) (a competitor run longer than `--slow` seconds is not repeated); each tool is a
separate process, as users run it. Ratios compare medians measured in
the same rounds. "÷" columns: how many times slower than sls-lint (competitors) or than the
parse floor (sls-lint). CPU time is user + system of the process and its workers: on a shared,
loaded machine it is the steadier number; wall time is what a user waits. Output is JSON for
every tool. sls-lint runs as in CI, `sls-lint check -f json PATHS` with its default `--jobs`
(0: one worker per CPU, serial below 100 units): on the corpus directory for the whole corpus,
on the file list for a per-format case (formats are mixed within repositories). checkov runs
with `CHECKOV_PARALLELIZATION_TYPE=none` (its fork workers deadlock on the whole corpus;
sequential was also faster here), unless `--checkov-parallel`. cfn-lint gets the
CloudFormation/SAM files. For the whole corpus, checkov's time is the sum of its four
per-format runs (in one run it deadlocks with `-d` on the corpus root); checkov gets the
Terraform module directories (`-d`), so that it resolves cross-file references. Files that
crash a competitor are left out of its list only (see "Files each competitor was spared").
sls-lint's Terraform parse cache starts empty except in the "warm cache" case.

{details}
{competitor_sections}
## Wall time (seconds)

{table(rows, "wall", "s", runner)}

## CPU time (seconds)

{table(rows, "cpu", "cpu s", runner)}

## Peak memory (largest resident set of the process or its workers)

{memory_table(rows)}

## Scaling (YAML/JSON files, a stable slice of the corpus)

{scaling_table(rows)}
"""


# -- main -------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: no competitors")
    parser.add_argument("--repeat", type=int, help="rounds per case [3; 1 with --quick]")
    parser.add_argument("--no-competitors", action="store_true", help="sls-lint and floor only")
    parser.add_argument("--output", type=Path, help=f"write the report here [{RESULTS}]")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per process")
    parser.add_argument(
        "--slow",
        type=float,
        default=120,
        help="a competitor run longer than this many seconds is not repeated [120]",
    )
    parser.add_argument(
        "--checkov-parallel",
        action="store_true",
        help="let checkov fork its workers (its default; it deadlocks on the whole corpus)",
    )
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    with_competitors = not (args.quick or args.no_competitors)
    crash_lists: dict[str, CrashList] = {}
    if with_competitors:
        competitors.ensure_venvs()
        found = competitors.tool_versions()
        crash_lists["checkov"] = CrashList("checkov", found["checkov"])
        crash_lists["cfn-lint"] = CrashList(
            "cfn-lint", f"{found['cfn-lint']}+serverless-{found['cfn-lint-serverless']}"
        )
    cases = build_cases(args.quick)
    if args.only:
        cases = [c for c in cases if args.only in c.name]
    info = machine()
    source_at_start = _source_state()
    with tempfile.TemporaryDirectory(prefix="sls-bench-") as tmp:
        runner = Runner(Path(tmp), args.timeout, with_competitors, crash_lists)
        runner.checkov_parallel = args.checkov_parallel
        # Compile sls-lint's bytecode (and warm the page cache) before anything is timed.
        runner.run("sls-lint", cases[0])
        for case in cases:
            if case.warm_cache:  # fill the parse cache, so that every timed round is warm
                runner.run("sls-lint", case)
        rows = [Row(case) for case in cases]
        for round_number in range(1, repeat + 1):
            for row in rows:
                for tool in ALL_TOOLS:
                    # Evaluated tool by tool: a competitor's first run may find files that
                    # crash it, which adds the "sls-lint on the same files" run after it.
                    if tool not in runner.tools(row.case):
                        continue
                    done = row.samples.get(tool, [])
                    if (
                        done
                        and tool in COMPETITORS
                        and (done[0].failed or done[0].wall > args.slow)
                    ):
                        continue  # one run of a minutes-long competitor is a stable number
                    print(
                        f"[round {round_number}/{repeat}] {row.case.name}: {tool}", file=sys.stderr
                    )
                    row.samples.setdefault(tool, []).append(runner.run(tool, row.case))
    info["load average (1/5/15 min)"] += (
        " at start; " + machine()["load average (1/5/15 min)"] + " at end"
    )
    found_versions = versions(with_competitors)
    if found_versions["sls-lint"] != version_of_sls(source_at_start):
        found_versions["sls-lint"] += (
            f"; at start:{source_at_start} (sources changed during the run)"
        )
    text = report(rows, repeat, info, found_versions, runner)
    print(text)
    output = args.output if args.output is not None else (None if args.quick else RESULTS)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
