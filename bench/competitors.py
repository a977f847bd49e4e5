"""Competitor linters for the sls-lint benchmark: checkov and cfn-lint (+ serverless rules).

Each competitor lives in its own virtualenv under ``bench/.venvs/`` (gitignored) so that its
dependency pins (checkov pins ``networkx<2.7``, ``boto3``...) never clash with sls-lint's own.

Command lines (what :func:`commands` returns; ``$V`` is ``bench/.venvs``)::

    $V/checkov/bin/checkov --quiet --compact -o json --skip-download \
        --framework cloudformation,serverless,terraform -f FILE [-f FILE ...]
    $V/checkov/bin/checkov ...same flags... -d DIR [-d DIR ...]
    $V/cfnlint/bin/cfn-lint --append-rules cfn_lint_serverless.rules -f json -- FILE [FILE ...]

Scope of each tool:

* checkov reads CloudFormation and SAM templates (``cloudformation`` framework), Serverless
  Framework files (``serverless`` framework, only files *named* ``serverless.yml``/``.yaml``,
  see ``CKV_SLS_FILE_MASK``) and Terraform. With ``-f`` each ``.tf`` file is scanned on its own,
  without the other files of its module; pass the module *directory* (``-d``) to get
  cross-file variables/locals resolved. ``-f`` and ``-d`` cannot be mixed in one run, so a mixed
  list yields two commands.
* cfn-lint reads CloudFormation and SAM templates only. It cannot read ``serverless.yml`` or
  Terraform: the caller must pass it only ``cloudformation``/``sam`` files (column 4 of
  ``corpus/SOURCES.tsv``). Directories are rejected.

Exit codes: both tools exit non-zero when they report findings. That is expected; use
:func:`is_crash` to tell a crash from findings (checkov: 0 clean, 1 findings, 2 crash;
cfn-lint: bitmask 2 error | 4 warning | 8 informational findings, 1 usage error / crash).

Pitfalls found on the corpus (checkov 3.3.30, cfn-lint 1.58.0):

* One bad file aborts the whole batch, with no JSON on stdout. checkov exits 2 with
  ``TypeError: unhashable type: 'dict'`` on Rain templates (``Type: !Rain::Module ...``, 12 files
  of ``aws-cloudformation__aws-cloudformation-templates``); cfn-lint exits 1 with
  ``AttributeError: 'NoneType' object has no attribute 'items'`` on SAM templates whose
  ``Resources:`` is empty (6 copies of serverless-patterns' ``_pattern-model`` template).
  :func:`crashing_files` isolates such files by bisection so a benchmark can exclude or count
  them (``bench/run.py`` does so on any crash and caches the result per tool version under
  ``bench/.venvs/``). A static look at the YAML misses some: sls-lint's loader keeps an unknown
  tag such as ``!Rain::Module`` as a string, where checkov builds a mapping; bisection over the
  CloudFormation list found 7 such templates that a "``Type`` is not a string" check let
  through.
* Unparseable files are *not* crashes: checkov logs ``YAML error parsing ...`` and counts them in
  ``summary.parsing_errors``; cfn-lint reports rule ``E0000``.
* checkov's ``serverless`` framework silently skips Serverless files not named
  ``serverless.yml``/``serverless.yaml`` (18 of the 446 ``serverless`` corpus files, e.g.
  ``serverless.template.yml``), even when passed with ``-f``.
* checkov's ``file_path`` is relative to the working directory (``/../../shared/...``); use
  ``file_abs_path``. Its JSON is one object for one framework, a list for several.
* Terraform: ``-d`` on ``terraform-aws-lambda`` expands the examples' module calls (1658
  resources, ~90 s) while ``-f`` on the same 81 ``.tf`` files sees 89 resources in ~8 s.

Offline operation (verified with ``strace -e trace=connect``: no socket other than AF_UNIX is
opened when run with :func:`competitor_env`):

* ``CKV_SKIP_PACKAGE_UPDATE_CHECK=true`` -- without it checkov queries
  ``https://pypi.org/pypi/checkov/json`` on *every* start (even ``--version`` and ``--quiet``),
  at import time of ``checkov.common.util.banner``; the answer is cached for a while in
  ``~/.cache/checkov/update_checker_cache.json``, which hides the call on a warm machine.
* ``BC_SKIP_MAPPING=TRUE`` and ``--skip-download`` -- without them checkov fetches
  ``https://api0.prismacloud.io/bridgecrew/api/v2/guidelines`` (check-id mapping) and, offline,
  logs a long traceback on stderr before scanning.
* no API key: ``BC_API_KEY``/``PRISMA_*`` are removed from the environment and ``HOME`` points to
  an empty directory, so ``~/.bridgecrew/credentials`` (an API key there turns on platform
  calls and uploads), ``~/.checkov.yaml`` and ``~/.cfnlintrc`` are not picked up.
* ``DOWNLOAD_EXTERNAL_MODULES=false`` -- never fetch Terraform registry/git modules (the
  default, pinned here anyway). ``CKV_VALIDATE_SECRETS=false`` likewise (secret validation
  calls vendor APIs; the secrets framework is not enabled by our ``--framework`` anyway).
* ``CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false`` -- not read by checkov 3.3.x (SCA only runs with an
  API key), kept for older/newer versions.
* ``HTTP(S)_PROXY=http://127.0.0.1:9`` -- safety net: any call we missed fails at once
  (connection refused) instead of leaking or waiting on DNS.

cfn-lint never touches the network unless asked to (``--update-specs``). Both tools read a
config file from the working directory (``.checkov.yaml``, ``.cfnlintrc``): run them from a
neutral directory such as :data:`RUN_CWD`.

Run ``python bench/competitors.py [--force]`` to create the venvs and print the versions, or
``python bench/competitors.py --smoke`` to also time each tool on a few corpus files.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
VENVS_DIR = BENCH_DIR / ".venvs"
#: Empty directory used as ``HOME`` (and working directory) for competitor runs.
RUN_CWD = VENVS_DIR / "home"
CORPUS_DIR = Path("/work/shared/corpus")

#: Requirements of each competitor venv. Pinned so that benchmark numbers stay comparable from
#: one run to the next; bump deliberately (then ``ensure_venvs(force=True)``).
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "checkov": ("checkov==3.3.30",),
    "cfnlint": ("cfn-lint==1.58.0", "cfn-lint-serverless==0.3.6"),
}
#: Distribution names whose versions :func:`tool_versions` reports, per tool.
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "checkov": ("checkov",),
    "cfnlint": ("cfn-lint", "cfn-lint-serverless"),
}
TOOLS: tuple[str, ...] = tuple(REQUIREMENTS)

CHECKOV_FRAMEWORKS = "cloudformation,serverless,terraform"
CHECKOV_BASE_ARGS: tuple[str, ...] = (
    "--quiet",
    "--compact",
    "-o",
    "json",
    "--skip-download",
    "--framework",
    CHECKOV_FRAMEWORKS,
)
CFNLINT_BASE_ARGS: tuple[str, ...] = ("--append-rules", "cfn_lint_serverless.rules", "-f", "json")

#: Environment overrides that keep the competitors offline (see the module docstring).
OFFLINE_ENV: dict[str, str] = {
    "BC_SKIP_MAPPING": "TRUE",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
    "DOWNLOAD_EXTERNAL_MODULES": "false",
    "CKV_VALIDATE_SECRETS": "false",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "PYTHONDONTWRITEBYTECODE": "1",
}
#: Variables dropped from the inherited environment: credentials and tool configuration that
#: would change what the competitors do (``CKV_*`` covers e.g. ``CKV_FRAMEWORK``).
_DROPPED_PREFIXES: tuple[str, ...] = ("BC_", "CKV_", "CHECKOV_", "PRISMA_", "CFN_LINT", "CFNLINT")
_DROPPED_NAMES: frozenset[str] = frozenset({"NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"})

#: Upper bound on the characters of file arguments in one command (ARG_MAX is far larger).
_MAX_ARGS_CHARS = 400_000
_MARKER = ".sls-lint-bench-installed"


def _log(message: str) -> None:
    print(f"[competitors] {message}", file=sys.stderr, flush=True)


def _check_tool(tool: str) -> None:
    if tool not in REQUIREMENTS:
        raise ValueError(f"unknown competitor {tool!r}; expected one of {', '.join(TOOLS)}")


def venv_dir(tool: str) -> Path:
    """Return the virtualenv directory of ``tool`` (``checkov`` or ``cfnlint``)."""
    _check_tool(tool)
    return VENVS_DIR / tool


def venv_bin(tool: str, executable: str) -> Path:
    """Return the path of ``executable`` inside the virtualenv of ``tool``."""
    return venv_dir(tool) / "bin" / executable


def _marker_text(tool: str) -> str:
    return "\n".join(REQUIREMENTS[tool]) + "\n"


def _is_installed(tool: str) -> bool:
    marker = venv_dir(tool) / _MARKER
    return (
        venv_bin(tool, "python").exists()
        and marker.is_file()
        and marker.read_text() == _marker_text(tool)
    )


def _install(tool: str) -> None:
    target = venv_dir(tool)
    if target.exists():
        shutil.rmtree(target)
    _log(f"creating venv {target}")
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python = str(venv_bin(tool, "python"))
    pip = [python, "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    _log(f"pip install {' '.join(REQUIREMENTS[tool])} (may take a minute)")
    subprocess.run([*pip, *REQUIREMENTS[tool]], check=True, stdout=sys.stderr)
    (target / _MARKER).write_text(_marker_text(tool))
    _log(f"{tool} ready")


def ensure_venvs(force: bool = False) -> dict[str, Path]:
    """Create the competitor virtualenvs when missing; return ``{tool: venv directory}``.

    A venv counts as installed when its marker file lists exactly the current
    :data:`REQUIREMENTS`, so an interrupted install or a version bump triggers a reinstall.
    ``force=True`` rebuilds both venvs from scratch.
    """
    VENVS_DIR.mkdir(parents=True, exist_ok=True)
    RUN_CWD.mkdir(parents=True, exist_ok=True)
    for tool in TOOLS:
        if force or not _is_installed(tool):
            _install(tool)
        else:
            _log(f"{tool} venv up to date ({venv_dir(tool)})")
    return {tool: venv_dir(tool) for tool in TOOLS}


def competitor_env() -> dict[str, str]:
    """Return the environment to run the competitors with: offline, no API key, no user config.

    Starts from ``os.environ``, drops credentials and tool-configuration variables, points
    ``HOME`` at the empty :data:`RUN_CWD` and adds :data:`OFFLINE_ENV`.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _DROPPED_NAMES and not name.startswith(_DROPPED_PREFIXES)
    }
    RUN_CWD.mkdir(parents=True, exist_ok=True)
    env["HOME"] = str(RUN_CWD)
    env.pop("XDG_CACHE_HOME", None)
    env.pop("XDG_CONFIG_HOME", None)
    env.update(OFFLINE_ENV)
    return env


def tool_versions() -> dict[str, str]:
    """Return the installed version of each competitor distribution.

    Keys are distribution names: ``checkov``, ``cfn-lint``, ``cfn-lint-serverless``. Versions
    are read from package metadata (``checkov --version`` alone takes ~3.5 s).
    """
    versions: dict[str, str] = {}
    for tool in TOOLS:
        names = DISTRIBUTIONS[tool]
        code = (
            "import importlib.metadata as m, json, sys; "
            "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
        )
        out = subprocess.run(
            [str(venv_bin(tool, "python")), "-c", code, *names],
            check=True,
            capture_output=True,
            text=True,
            env=competitor_env(),
        ).stdout
        versions.update(json.loads(out))
    return versions


def _chunks(paths: Sequence[str], flag: str | None) -> Iterator[list[str]]:
    """Split ``paths`` into argument lists of bounded length, prefixing each with ``flag``."""
    chunk: list[str] = []
    size = 0
    for path in paths:
        args = [flag, path] if flag else [path]
        cost = sum(len(a) + 1 for a in args)
        if chunk and size + cost > _MAX_ARGS_CHARS:
            yield chunk
            chunk, size = [], 0
        chunk.extend(args)
        size += cost
    if chunk:
        yield chunk


def commands(tool: str, paths: Iterable[Path]) -> list[list[str]]:
    """Return the command line(s) that lint ``paths`` with ``tool``, the way a user would.

    checkov: files are passed with ``-f`` and directories with ``-d`` (in separate commands,
    checkov refuses to mix them). cfn-lint: only CloudFormation/SAM template files; a directory
    raises :class:`ValueError`. Long lists are split into several commands; run them with
    :func:`competitor_env` and, ideally, ``cwd=RUN_CWD``. Paths are made absolute.
    """
    _check_tool(tool)
    resolved = [Path(p).absolute() for p in paths]
    if not resolved:
        return []
    files = [str(p) for p in resolved if not p.is_dir()]
    dirs = [str(p) for p in resolved if p.is_dir()]
    if tool == "checkov":
        exe = [str(venv_bin(tool, "checkov")), *CHECKOV_BASE_ARGS]
        cmds = [[*exe, *chunk] for chunk in _chunks(files, "-f")]
        cmds += [[*exe, *chunk] for chunk in _chunks(dirs, "-d")]
        return cmds
    if dirs:
        raise ValueError(f"cfn-lint takes template files, not directories: {dirs[0]}")
    exe = [str(venv_bin(tool, "cfn-lint")), *CFNLINT_BASE_ARGS, "--"]
    return [[*exe, *chunk] for chunk in _chunks(files, None)]


def is_crash(tool: str, returncode: int) -> bool:
    """Tell whether ``returncode`` of ``tool`` means a crash rather than findings.

    checkov: 0 = no failed check, 1 = failed checks, 2 = crash / bad usage. cfn-lint: OR of
    2 (errors), 4 (warnings), 8 (informational); 1 = bad usage or uncaught exception.
    Negative codes (killed by a signal) are crashes for both.
    """
    _check_tool(tool)
    if tool == "checkov":
        return returncode not in (0, 1)
    return returncode < 0 or returncode & 1 == 1 or returncode > 15


@dataclass
class RunResult:
    """Outcome of one competitor command."""

    argv: list[str]
    returncode: int
    seconds: float
    stdout: str
    stderr: str
    crashed: bool


def run(
    tool: str,
    paths: Iterable[Path],
    timeout: float | None = None,
    env: dict[str, str] | None = None,
) -> list[RunResult]:
    """Run :func:`commands` for ``tool`` on ``paths`` offline and time each command.

    ``env`` replaces :func:`competitor_env` (start from it, e.g. to add
    ``CHECKOV_PARALLELIZATION_TYPE``).
    """
    results = []
    env = competitor_env() if env is None else env
    for argv in commands(tool, paths):
        start = time.perf_counter()
        proc = subprocess.run(
            argv, capture_output=True, text=True, env=env, cwd=RUN_CWD, timeout=timeout
        )
        elapsed = time.perf_counter() - start
        results.append(
            RunResult(
                argv=argv,
                returncode=proc.returncode,
                seconds=elapsed,
                stdout=proc.stdout,
                stderr=proc.stderr,
                crashed=is_crash(tool, proc.returncode),
            )
        )
    return results


def crashing_files(
    tool: str,
    files: Sequence[Path],
    env: dict[str, str] | None = None,
    known_crash: bool = False,
    reasons: dict[Path, str] | None = None,
) -> list[Path]:
    """Return the files on which ``tool`` crashes, isolated by bisection.

    Runs the whole list first (skipped when ``known_crash``: the caller just saw it crash),
    then halves every crashing batch down to single files, so the cost stays close to one batch
    run when crashes are rare. Assumes a file crashes the tool on its own, independently of the
    other files of the batch (true for the crashes seen so far); if a batch crashes while
    neither half does, the crash needs files of both halves and the whole batch is returned.
    ``env`` is passed to :func:`run`; ``reasons``, when given, receives the last line of the
    tool's stderr for each crashing file (the exception, usually).
    """
    if not files:
        return []
    if not known_crash or len(files) == 1:
        crashed = [result for result in run(tool, files, env=env) if result.crashed]
        if not crashed:
            return []
        if len(files) == 1:
            if reasons is not None:
                lines = [line for line in crashed[0].stderr.splitlines() if line.strip()]
                reasons[files[0]] = lines[-1].strip() if lines else f"exit {crashed[0].returncode}"
            return list(files)
    middle = len(files) // 2
    found = crashing_files(tool, files[:middle], env, reasons=reasons) + crashing_files(
        tool, files[middle:], env, reasons=reasons
    )
    if not found:
        _log(f"{tool}: {len(files)} files crash together but no half does; keeping them all")
        return list(files)
    return found


def corpus_files(formats: Iterable[str], repo: str | None = None) -> list[Path]:
    """List corpus files whose detected format (SOURCES.tsv column 4) is in ``formats``.

    ``repo`` optionally restricts to one repository (``owner/name``, as in SOURCES.tsv).
    """
    wanted = set(formats)
    found = []
    with (CORPUS_DIR / "SOURCES.tsv").open(encoding="utf-8") as handle:
        next(handle)  # header
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 4 or fields[3] not in wanted:
                continue
            if repo is not None and fields[0] != repo:
                continue
            found.append(CORPUS_DIR / fields[0].replace("/", "__") / fields[2])
    return found


def _smoke() -> None:
    """Time each tool on a few corpus files; print a summary on stdout."""
    sam = corpus_files({"sam"}, repo="aws-samples/serverless-patterns")
    tf_dir = CORPUS_DIR / "terraform-aws-modules__terraform-aws-lambda"
    cases: list[tuple[str, str, list[Path]]] = [
        ("checkov", "1 SAM file", sam[:1]),
        ("checkov", f"{len(sam[:100])} SAM files", sam[:100]),
        ("checkov", f"dir {tf_dir.name}", [tf_dir]),
        ("cfnlint", "1 SAM file", sam[:1]),
        ("cfnlint", f"{len(sam[:100])} SAM files", sam[:100]),
    ]
    for tool, label, paths in cases:
        for result in run(tool, paths, timeout=1800):
            status = "CRASH" if result.crashed else "ok"
            timing = f"rc={result.returncode:<3} {status:5} {result.seconds:7.2f} s"
            print(f"{tool:8} {label:45} {timing}")
            if result.crashed:
                print(result.stderr[-2000:])


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: create the venvs, print versions, optionally smoke-test."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild the venvs from scratch")
    parser.add_argument("--smoke", action="store_true", help="time each tool on corpus files")
    args = parser.parse_args(argv)
    ensure_venvs(force=args.force)
    print(json.dumps(tool_versions(), indent=2))
    if args.smoke:
        _smoke()
    return 0


if __name__ == "__main__":
    sys.exit(main())
