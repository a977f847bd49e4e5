"""Which files to lint, in which format, grouped into the units loaders read together.

Content decides the format, not the extension alone: a `.yaml` file is a CloudFormation
template only if it looks like one, and YAML/JSON that is not infrastructure is skipped silently
(a pre-commit hook sees every YAML file of a commit). A Terraform directory is one module, so
its `.tf` files form one unit; every other file is its own unit.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sls_lint.sources.files import SourceFile, Unit, display_path, real_path
from sls_lint.sources.limits import MAX_FILE_BYTES

DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        ".terraform",
        ".serverless",
        ".aws-sam",
        "cdk.out",
        "__pycache__",
        ".venv",
        ".tox",
        ".hg",
        ".svn",
    }
)
CANDIDATE_SUFFIXES = (".yml", ".yaml", ".json", ".template", ".tf", ".tfvars")
SNIFF_BYTES = 65536

_SERVERLESS_NAME = re.compile(r"^serverless(\.[\w-]+)?\.(ya?ml|json)$", re.I)
_COMPOSE_NAME = re.compile(r"^serverless-compose\.(ya?ml|json)$", re.I)
_TOP_SERVICE = re.compile(r"""^["']?service["']?\s*:""", re.M)
_TOP_PROVIDER = re.compile(r"""^["']?provider["']?\s*:""", re.M)
_JSON_SERVICE = re.compile(r'"service"\s*:')
_TOP_SERVICES = re.compile(r"^services\s*:", re.M)
_RESOURCES = re.compile(r"""^\s*["']?Resources["']?\s*:""", re.M)
_AWS_TYPE = re.compile(r"""["']?Type["']?\s*:\s*["']?(AWS|Alexa)::\w+::\w+""")
_SAM = re.compile(r"AWS::Serverless-2016-10-31|AWS::Serverless::")
_PLAN = re.compile(r'"(planned_values|resource_changes)"\s*:')
_TF_VERSION = re.compile(r'"terraform_version"\s*:')


@dataclass
class DiscoveryOptions:
    exclude: tuple[str, ...] = ()
    max_file_bytes: int = MAX_FILE_BYTES


def _excluded(display: str, name: str, patterns: tuple[str, ...]) -> bool:
    """Does an exclude glob match this file or directory (its name, path, or a parent)?"""
    return _ExcludeMatcher.of(patterns).matches(display, name)


class _ExcludeMatcher:
    """Exclude globs compiled once into three regexes (by name, relative path, absolute path).

    A glob `p` excludes a path whose name or path matches `p`, or whose path matches `p/*`
    (inside it) or `*/p` (ending with it). An absolute glob (a config file's pattern, anchored
    at the config's directory) is matched against the absolute path, so that it means the same
    from any working directory. Matching each glob with `fnmatch` for every file and directory
    of a tree cost ~0.05 s per glob on the corpus; this costs a few regex matches per path.
    """

    _compiled: dict[tuple[str, ...], _ExcludeMatcher] = {}

    def __init__(self, patterns: tuple[str, ...]) -> None:
        globs = [p.rstrip("/") for p in patterns]
        self.by_name = _any_glob(globs)
        self.by_path = _any_glob(_path_globs(g for g in globs if not g.startswith("/")))
        self.by_absolute = _any_glob(_path_globs(g for g in globs if g.startswith("/")))

    @classmethod
    def of(cls, patterns: tuple[str, ...]) -> _ExcludeMatcher:
        matcher = cls._compiled.get(patterns)
        if matcher is None:
            matcher = cls._compiled[patterns] = cls(patterns)
        return matcher

    def matches(self, display: str, name: str) -> bool:
        if self.by_name is not None and self.by_name.match(os.path.normcase(name)):
            return True
        if self.by_path is not None and self.by_path.match(os.path.normcase(display)):
            return True
        if self.by_absolute is None:
            return False
        absolute = Path(os.path.abspath(display)).as_posix()
        return self.by_absolute.match(os.path.normcase(absolute)) is not None


def _path_globs(globs: Iterable[str]) -> list[str]:
    return [variant for g in globs for variant in (g, f"{g}/*", f"*/{g}")]


def _any_glob(globs: list[str]) -> re.Pattern[str] | None:
    """One regex matching what `fnmatch.fnmatch` matches for any of `globs` (None if none)."""
    if not globs:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(os.path.normcase(g))})" for g in globs))


def _walk(root: Path, options: DiscoveryOptions) -> Iterator[Path]:
    """Files under `root` in a deterministic order, pruning excluded directories."""
    for directory, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in DEFAULT_EXCLUDED_DIRS
            and not (
                options.exclude and _excluded(display_path(Path(directory, d)), d, options.exclude)
            )
        )
        for name in sorted(files):
            if name.endswith(CANDIDATE_SUFFIXES):
                yield Path(directory, name)


def sniff(name: str, head: str) -> str | None:
    """The format of a file from its name and the start of its text, or None to skip it."""
    lower = name.lower()
    if lower.endswith((".tf", ".tf.json")):
        return "terraform"
    if lower.endswith((".tfvars", ".tfvars.json")):
        return "tfvars"
    # The `^...` (MULTILINE) patterns are tried at every offset of up to 64 KiB of text; a
    # substring test (C speed) first skips them when their literal cannot occur, which is what
    # most CloudFormation/SAM files need. Same answers, a fraction of the time.
    service = "service" in head
    if _COMPOSE_NAME.match(name) or (
        service and _TOP_SERVICES.search(head) and not _TOP_SERVICE.search(head)
    ):
        return None
    if _SERVERLESS_NAME.match(name):
        if (service and _TOP_SERVICE.search(head)) or _JSON_SERVICE.search(head):
            return "serverless"
    elif (
        service and "functions" in head and _TOP_SERVICE.search(head) and _TOP_PROVIDER.search(head)
    ):
        return "serverless"
    if lower.endswith(".json") and _PLAN.search(head) and _TF_VERSION.search(head):
        return "tfplan"
    if "AWSTemplateFormatVersion" in head or (_RESOURCES.search(head) and _AWS_TYPE.search(head)):
        return "sam" if _SAM.search(head) else "cloudformation"
    return None


def _looks_like_iac_name(name: str) -> bool:
    lower = name.lower()
    return bool(
        _SERVERLESS_NAME.match(name)
        or lower.endswith((".tf", ".template"))
        or re.match(r"^(template|cloudformation|sam|stack).*\.(ya?ml|json)$", lower)
    )


def read_source(path: Path, options: DiscoveryOptions, explicit: bool = False) -> SourceFile | None:
    """Read and classify one file; None when it is not infrastructure (skipped silently)."""
    display = display_path(path)
    name = path.name
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device would block or never end: never open one.
            raise OSError(0, "not a regular file (a pipe, socket or device)")
        # Read one byte past the limit, so a file that grew since stat() is still caught; an
        # oversized file is only sniffed, to name its format in the finding.
        budget = options.max_file_bytes + 1 if info.st_size <= options.max_file_bytes else 0
        with open(path, "rb") as handle:
            data = handle.read(budget or SNIFF_BYTES)
        size = info.st_size if budget == 0 else len(data)
    except OSError as error:
        if explicit or _looks_like_iac_name(name):
            return SourceFile(
                path, display, "unknown", None, f"cannot read file: {error.strerror or error}"
            )
        return None
    head_bytes = data[:SNIFF_BYTES]
    if b"\x00" in head_bytes[:8192]:
        if _looks_like_iac_name(name):
            return SourceFile(path, display, "unknown", None, "binary file (contains NUL bytes)")
        return None
    head = head_bytes.decode("utf-8", errors="replace")
    fmt = sniff(name, head)
    if fmt is None:
        return None
    if size > options.max_file_bytes:
        return SourceFile(
            path,
            display,
            fmt,
            None,
            f"file is {size:,} bytes, over the {options.max_file_bytes:,}-byte limit "
            "(max-file-bytes)",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        line = body.count(b"\n", 0, error.start) + 1
        column = error.start - body.rfind(b"\n", 0, error.start)
        return SourceFile(
            path,
            display,
            fmt,
            None,
            f"not valid UTF-8 (byte 0x{body[error.start]:02x}); save the file as UTF-8",
            line,
            column,
        )
    return SourceFile(path, display, fmt, text)


def discover(paths: Iterable[Path], options: DiscoveryOptions | None = None) -> list[SourceFile]:
    """Every infrastructure file under `paths`, each once, in a stable order.

    Raises FileNotFoundError for a path that does not exist (a usage error, never a silent 0).
    """
    options = options or DiscoveryOptions()
    seen: set[str] = set()
    real_directories: dict[str, str] = {}
    found: list[SourceFile] = []
    for path in paths:
        try:
            is_directory = stat.S_ISDIR(os.stat(path).st_mode)
        except (OSError, ValueError):
            if not path.is_symlink():
                raise FileNotFoundError(str(path)) from None
            is_directory = False
        explicit = not is_directory  # a named broken symlink or pipe is reported, not walked
        candidates = [path] if explicit else _walk(path, options)
        for candidate in candidates:
            resolved = real_path(candidate, real_directories)
            if resolved in seen:
                continue
            seen.add(resolved)
            if (
                not explicit
                and options.exclude  # display_path costs two abspath calls: only when needed
                and _excluded(display_path(candidate), candidate.name, options.exclude)
            ):
                continue
            source = read_source(candidate, options, explicit)
            if source is not None:
                found.append(source)
    return found


def group_units(files: list[SourceFile], options: DiscoveryOptions | None = None) -> list[Unit]:
    """Group files into loader units; a Terraform file brings its whole module directory."""
    options = options or DiscoveryOptions()
    units: list[Unit] = []
    modules: dict[Path, Unit] = {}
    for source in files:
        if source.format in ("terraform", "tfvars"):
            directory = source.path.parent.resolve()
            unit = modules.get(directory)
            if unit is None:
                unit = Unit("terraform", source.path.parent)
                modules[directory] = unit
                units.append(unit)
            unit.files.append(source)
        else:
            units.append(Unit(source.format, source.path.parent, [source]))
    for directory, unit in modules.items():
        _complete_module(unit, directory, options)
    units.sort(key=lambda u: u.key)
    return units


def _complete_module(unit: Unit, directory: Path, options: DiscoveryOptions) -> None:
    """Add the sibling `.tf`/`.tfvars` files of a module that was named file by file."""
    present = {f.path.resolve() for f in unit.files}
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        names = []
    for name in names:
        path = directory / name
        if path in present or not name.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json")):
            continue
        source = read_source(Path(unit.directory, name), options)
        if source is not None:
            unit.files.append(source)
    unit.files.sort(key=lambda f: (f.format != "terraform", f.display))
