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
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import platform
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
#: Templates left out of a competitor's runs because they crash it (see `survivable`).
SKIPPED: dict[str, set[Path]] = {}


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

    def __init__(self, workdir: Path, timeout: float, with_competitors: bool) -> None:
        self.workdir = workdir
        self.timeout = timeout
        self.with_competitors = with_competitors
        self.warm_cache = workdir / "warm-cache"
        self.checkov_parallel = False

    def tools(self, case: Case) -> list[str]:
        names = ["sls-lint", "floor"]
        if self.with_competitors:
            names += ["checkov"] if case.checkov else []
            names += ["cfn-lint"] if case.cfnlint else []
        return names

    def command(self, tool: str, case: Case) -> tuple[list[list[str]], dict[str, str]]:
        if tool == "sls-lint":
            argv = [*sls_command(), "check", "--isolated", "-f", "json", *case.sls_extra]
            cache = self.warm_cache if case.warm_cache else None
            return [[*argv, *map(str, case.sls)]], sls_env(cache)
        if tool == "floor":
            listing = self.workdir / f"floor-{hashlib.sha1(case.name.encode()).hexdigest()}.txt"
            listing.write_text("".join(f"{p}\n" for p in case.floor), encoding="utf-8")
            argv = [sys.executable, str(BENCH_DIR / "parse_floor.py"), f"@{listing}"]
            return [argv], sls_env(None)
        key = "checkov" if tool == "checkov" else "cfnlint"
        paths = case.checkov if tool == "checkov" else case.cfnlint
        groups = case.checkov_groups if tool == "checkov" and case.checkov_groups else [paths]
        env = competitors.competitor_env()
        if tool == "checkov" and not self.checkov_parallel:
            # checkov 3.3.30's fork parallelism deadlocks on the whole corpus (the parent in
            # waitpid, a worker blocked writing its results to a full pipe), and sequential
            # was faster on this 2-CPU machine anyway (828 SAM files: 38 s vs 68 s).
            env["CHECKOV_PARALLELIZATION_TYPE"] = "none"
        return [c for group in groups for c in _commands(key, survivable(tool, group))], env

    def run(self, tool: str, case: Case) -> Sample:
        commands, env = self.command(tool, case)
        cwd = competitors.RUN_CWD if tool in COMPETITORS else self.workdir
        parts = [measure(argv, env, cwd, self.timeout) for argv in commands]
        worst = max(parts, key=lambda part: part.returncode not in (0, 1))
        sample = Sample(
            sum(p.wall for p in parts),
            sum(p.cpu for p in parts),
            max(p.peak_kb for p in parts),
            worst.returncode if tool == "sls-lint" else max(p.returncode for p in parts),
            worst.stderr_tail,
        )
        if tool == "sls-lint" and not case.warm_cache:
            shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
        if tool == "floor":
            shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
        key = "checkov" if tool == "checkov" else "cfnlint"
        crashed = (
            competitors.is_crash(key, sample.returncode)
            if tool in ("checkov", "cfn-lint")
            else sample.returncode not in (0, 1)
        )
        sample.failed = crashed
        if crashed:
            print(f"  ! {tool} exited {sample.returncode} on {case.name}", file=sys.stderr)
            print(sample.stderr_tail, file=sys.stderr)
        return sample


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


def _template_survivable(path: Path, tool: str) -> bool:
    """Whether `tool` can get through this template without a crash that ends its whole run.

    Known crashes on the corpus: cfn-lint 1.x on a section that is present but not a mapping
    (`Parameters:` with nothing under it: `AttributeError` in its graph builder); checkov 3.3 on
    a resource whose `Type` is not a string (`TypeError: unhashable type`). Such templates are
    left out of that tool's list (the report says how many), since a crashed run's time means
    nothing. Templates that do not parse at all stay in: both tools report those, as sls-lint.
    """
    from sls_lint.yaml_source import load_json, load_yaml

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
    cases.append(Case("corpus: all, --jobs 0", len(every), [CORPUS], [], sls_extra=("-j", "0")))
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


def table(rows: list[Row], attribute: str, unit: str) -> str:
    """A markdown table of medians of `attribute` (wall or cpu) with ratios to sls-lint."""
    lines = [
        f"| case | files | sls-lint {unit} | parse floor {unit} | sls-lint ÷ floor "
        f"| checkov {unit} | checkov ÷ sls-lint | cfn-lint {unit} | cfn-lint ÷ sls-lint |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        sls = row.median("sls-lint", attribute)
        floor = row.median("floor", attribute)
        checkov = row.median("checkov", attribute)
        cfnlint = row.median("cfn-lint", attribute)
        lines.append(
            f"| {row.case.name} | {row.case.files} | {row.cell('sls-lint', attribute, 3)} "
            f"| {row.cell('floor', attribute, 3)} | {_ratio(sls, floor)} "
            f"| {row.cell('checkov', attribute, 2)} | {_ratio(checkov, sls)} "
            f"| {row.cell('cfn-lint', attribute, 2)} | {_ratio(cfnlint, sls)} |"
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


def versions(with_competitors: bool) -> dict[str, str]:
    from importlib.metadata import version

    found = {"sls-lint": version("sls-lint")}
    for name in ("PyYAML", "python-hcl2", "lark", "cfn-lint"):
        with contextlib.suppress(Exception):  # informational only
            found[f"{name} (sls-lint's)"] = version(name)
    if with_competitors:
        found.update(competitors.tool_versions())
    return found


def report(rows: list[Row], repeat: int, info: dict[str, str], tools: dict[str, str]) -> str:
    details = "\n".join(f"- {key}: {value}" for key, value in {**info, **tools}.items())
    return f"""# sls-lint benchmark

Produced by `python bench/run.py` ({time.strftime("%Y-%m-%d %H:%M")}); median of {repeat}
round(s) (a competitor run longer than `--slow` seconds is not repeated); each tool is a
separate process, as users run it. Ratios compare medians measured in
the same rounds. "÷" columns: how many times slower than sls-lint (competitors) or than the
parse floor (sls-lint). CPU time is user + system of the process and its workers: on a shared,
loaded machine it is the steadier number; wall time is what a user waits. Output is JSON for
every tool. checkov runs with `CHECKOV_PARALLELIZATION_TYPE=none` (its fork workers deadlock on
the whole corpus; sequential was also faster here), unless `--checkov-parallel`. cfn-lint gets
the CloudFormation/SAM files; each competitor skips the few templates that crash it and end
its whole run (cfn-lint: {len(SKIPPED.get("cfn-lint", ()))}, a section that is not a
mapping; checkov: {len(SKIPPED.get("checkov", ()))}, a resource that is not a mapping with a string
`Type`, in a template or a Serverless `resources:` section).
For the whole corpus, checkov's time is the sum of its four per-format runs (in one run it
deadlocks with `-d` on the corpus root, and crashes with every file given by `-f`). sls-lint
runs with its default `--jobs` unless the case says otherwise; its Terraform parse cache
starts empty except in the "warm cache" case.

{details}

## Wall time (seconds)

{table(rows, "wall", "s")}

## CPU time (seconds)

{table(rows, "cpu", "cpu s")}

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
    if with_competitors:
        competitors.ensure_venvs()
    cases = build_cases(args.quick)
    if args.only:
        cases = [c for c in cases if args.only in c.name]
    info = machine()
    with tempfile.TemporaryDirectory(prefix="sls-bench-") as tmp:
        runner = Runner(Path(tmp), args.timeout, with_competitors)
        runner.checkov_parallel = args.checkov_parallel
        # Compile sls-lint's bytecode (and warm the page cache) before anything is timed.
        runner.run("sls-lint", cases[0])
        rows = [Row(case) for case in cases]
        for round_number in range(1, repeat + 1):
            for row in rows:
                for tool in runner.tools(row.case):
                    if tool == "floor" and not row.case.floor:
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
    text = report(rows, repeat, info, versions(with_competitors))
    print(text)
    output = args.output if args.output is not None else (None if args.quick else RESULTS)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
