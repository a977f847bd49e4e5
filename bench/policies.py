"""What policies cost: loading 50 of them, and running them on the corpus beside built-in rules.

    python bench/policies.py                  # full: 50-policy start-up and the corpus
    python bench/policies.py --quick          # smoke: fewer rounds, a corpus slice
    python bench/policies.py --output bench/POLICIES.md

1. Start-up: `sls-lint check ONE_FILE` as its own process, with and without
   `--policy-folder` holding 50 policies (the shipped policies of docs/policies and
   examples/policies, copied under fresh ids up to 50), in alternating rounds; the median
   difference is what loading 50 policies adds to a pre-commit run (target: < 50 ms). The
   in-process time of `load_policies` alone is shown too.
2. Per-rule cost: every unit of the corpus is loaded once, then each built-in rule and each
   policy runs over all the graphs, in rounds; the table gives the least CPU time per rule.
   The re-expressed built-in rules (examples/policies) stand beside their originals; the
   target is a policy costing no more than a built-in rule (the mean over the catalogue).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SHIPPED = [ROOT / "docs" / "policies", ROOT / "examples" / "policies"]
ONE_FILE = ROOT / "samples" / "serverless" / "vulnerable" / "serverless.yml"


def make_fifty(target: Path) -> int:
    """Write 50 policies: the shipped policies over and over, each copy under a fresh id."""
    files = sorted(p for folder in SHIPPED for p in folder.glob("*.yaml"))
    count = 0
    copy = 0
    while count < 50:
        for path in files[: 50 - count]:
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"\bid: ([A-Z]+)(\d+)", rf"id: \g<1>{copy}\2", text)
            text = re.sub(r"\bname: ([a-z-]+)", rf"name: b{copy}-\1", text)
            (target / f"{copy}-{path.name}").write_text(text, encoding="utf-8")
            count += 1
        copy += 1
    return count


PYCACHE = ROOT / "bench" / ".venvs" / "pycache"


def _env(cache: Path) -> dict[str, str]:
    """As bench/run.py: compiled bytecode kept (as an installed package has it), a chosen
    user cache directory, a pinned date."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["XDG_CACHE_HOME"] = str(cache)
    env.setdefault("SLS_LINT_TODAY", "2025-06-01")
    return env


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user + system) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    error = process.stderr.read() if process.stderr else b""
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(args)} exited {code}: {error[-500:]!r}")
    return elapsed, usage.ru_utime + usage.ru_stime


def startup(rounds: int, folder: Path) -> dict[str, float]:
    exe = [sys.executable, "-m", "sls_lint", "check", str(ONE_FILE), "-f", "json", "--isolated"]
    with_policies = [*exe, "--policy-folder", str(folder)]
    env = _env(folder.parent / "user-cache")
    _run(exe, env)  # bytecode and the page cache
    cold = _run(with_policies, env)  # the first run compiles the policies and fills the cache
    plain, loaded = [], []
    for _ in range(rounds):
        plain.append(_run(exe, env))
        loaded.append(_run(with_policies, env))
    from sls_lint.policies import load_policies
    from sls_lint.run.registry import load_rules

    builtin = load_rules()
    in_process = []
    for _ in range(rounds):
        start = time.process_time()
        load_policies([folder], builtin)
        in_process.append(time.process_time() - start)
    return {
        "plain": statistics.median(w for w, _ in plain),
        "policies": statistics.median(w for w, _ in loaded),
        "added": statistics.median(b[0] - a[0] for a, b in zip(plain, loaded, strict=True)),
        "plain_cpu": statistics.median(c for _, c in plain),
        "policies_cpu": statistics.median(c for _, c in loaded),
        "added_cpu": statistics.median(b[1] - a[1] for a, b in zip(plain, loaded, strict=True)),
        "load_only": statistics.median(in_process),
        "cold_cpu": cold[1] - statistics.median(c for _, c in plain),
    }


def per_rule(rounds: int, limit: int | None) -> tuple[dict[str, float], int]:
    from sls_lint.loaders import load_unit
    from sls_lint.policies import load_policies
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import collect_units
    from sls_lint.run.registry import load_rules

    options = LintOptions()
    units = collect_units([CORPUS], options)
    if limit:
        units = units[:limit]
    graphs = [g for g in (load_unit(u, options.context).graph for u in units) if g is not None]
    builtin = load_rules()
    rules = [cls() for cls in builtin] + [p() for p in load_policies(SHIPPED, builtin)]
    times: dict[str, list[float]] = {rule.id: [] for rule in rules}
    for _ in range(rounds):
        for rule in rules:
            start = time.process_time()
            for graph in graphs:
                for _finding in rule.check(graph) or ():
                    pass
            times[rule.id].append(time.process_time() - start)
    # The least of the rounds: CPU time on a shared machine only ever grows with load.
    return {key: min(values) for key, values in times.items()}, len(graphs)


def report(start: dict[str, float], costs: dict[str, float], graphs: int, rounds: int) -> str:
    builtin = {k: v for k, v in costs.items() if k.startswith("SLS")}
    policies = {k: v for k, v in costs.items() if not k.startswith("SLS")}
    mean_builtin = statistics.mean(builtin.values())
    mean_policy = statistics.mean(policies.values())
    median_builtin = statistics.median(builtin.values())
    median_policy = statistics.median(policies.values())
    twins = [(k, "SLS" + k[2:]) for k in policies if "SLS" + k[2:] in builtin]
    twin_ratio = statistics.mean(policies[p] / builtin[b] for p, b in twins) if twins else 0.0
    lines = [
        "# Policies: load and run cost",
        "",
        f"Produced by `python bench/policies.py` ({time.strftime('%Y-%m-%d %H:%M')}); median of "
        f"{rounds} round(s); nproc {os.cpu_count()}; load average "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        "",
        "## Start-up: one file, 50 policies",
        "",
        "CPU time (user + system) is the steadier number on a shared machine; wall time is what",
        "a user waits. Policy files are cached after their first compile (policies/cache.py).",
        "",
        "| run | wall ms | CPU ms |",
        "| --- | ---: | ---: |",
        f"| `sls-lint check ONE_FILE` | {start['plain'] * 1000:.0f} | "
        f"{start['plain_cpu'] * 1000:.0f} |",
        f"| with `--policy-folder` of 50 policies | {start['policies'] * 1000:.0f} | "
        f"{start['policies_cpu'] * 1000:.0f} |",
        f"| **added** (median of paired rounds; target < 50) | **{start['added'] * 1000:.0f}** | "
        f"**{start['added_cpu'] * 1000:.0f}** |",
        f"| added by the very first run (empty policy cache) | | {start['cold_cpu'] * 1000:.0f} |",
        f"| `load_policies` of the 50 alone, in process | | {start['load_only'] * 1000:.1f} |",
        "",
        f"## Per rule on the corpus ({graphs} graphs already loaded; CPU ms)",
        "",
        f"Mean over the {len(builtin)} built-in rules: {mean_builtin * 1000:.1f} ms (median "
        f"{median_builtin * 1000:.1f}); over the {len(policies)} policies: "
        f"{mean_policy * 1000:.1f} ms (median {median_policy * 1000:.1f}); a re-expressed rule "
        f"costs {twin_ratio:.2f}x its built-in twin on average "
        f"(target: a policy costs no more than a built-in rule).",
        "",
        "| built-in rule | ms | policy | ms |",
        "| --- | ---: | --- | ---: |",
    ]
    paired = set()
    for pid in sorted(policies):
        twin = "SLS" + pid[2:] if pid.startswith("EX") else None
        if twin in builtin:
            paired.add(twin)
            lines.append(
                f"| {twin} | {builtin[twin] * 1000:.1f} | {pid} | {policies[pid] * 1000:.1f} |"
            )
        else:
            lines.append(f"| | | {pid} | {policies[pid] * 1000:.1f} |")
    rest = sorted((k for k in builtin if k not in paired), key=lambda k: -builtin[k])
    lines += [
        "",
        "Other built-in rules, slowest first: "
        + ", ".join(f"{k} {builtin[k] * 1000:.1f}" for k in rest),
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    rounds = args.rounds or (2 if args.quick else 7)
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory) / "policies"
        folder.mkdir()
        assert make_fifty(folder) == 50
        start = startup(rounds * 2, folder)
    costs, graphs = per_rule(rounds if not args.quick else 1, 150 if args.quick else None)
    text = report(start, costs, graphs, rounds)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
