"""Which files to lint, in which format, grouped into the units loaders read together.

Content decides the format, not the extension alone: a `.yaml` file is a CloudFormation
template only if it looks like one. YAML/JSON met in a tree that is not infrastructure is
skipped silently (a pre-commit hook sees every YAML file of a commit); a file *named* on the
command line is never dropped without a word: the caller gets a note to print. A Terraform (or
OpenTofu) directory is one module, so its `.tf`/`.tofu` files form one unit; every other file
is its own unit.
"""

from __future__ import annotations

import errno
import fnmatch
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sls_lint.sources.files import (
    TERRAFORM_SUFFIXES,
    SourceFile,
    Unit,
    display_path,
    module_files,
    real_path,
)
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
CANDIDATE_SUFFIXES = (".yml", ".yaml", ".json", ".template", ".tf", ".tofu", ".tfvars")
#: What a note says about a named file that is not infrastructure.
NOT_INFRASTRUCTURE = "not a CloudFormation, SAM, Serverless or Terraform file"
SNIFF_BYTES = 65536

_SERVERLESS_NAME = re.compile(r"^serverless(\.[\w-]+)?\.(ya?ml|json)$", re.I)
_SERVICE_FILE = re.compile(r"^serverless\.(ya?ml|json)$", re.I)
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
_RESOURCE_TYPE = re.compile(r"(AWS|Alexa|Custom)::[\w-]+")


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


def walk_files(root: Path, options: DiscoveryOptions, problems: list[SourceFile]) -> Iterator[Path]:
    """Files under `root` in a deterministic order, pruning excluded directories.

    Symbolic links to directories are followed, each real directory once: the tree's own
    directories first, then the linked ones in the order met, so a file reachable both ways
    keeps its real path. A link to a directory already walked, or to one of its own ancestors
    (a loop), is not followed again. A directory that cannot be listed is a problem (SLS000),
    not a silent hole in the run.
    """
    root_real = os.path.realpath(root)
    visited = {root_real}
    queue: list[tuple[str, str]] = [(os.fspath(root), root_real)]
    links: list[tuple[str, str]] = []
    while queue or links:
        if not queue:
            directory, real = links.pop(0)
            if real in visited:
                continue
            visited.add(real)
            queue.append((directory, real))
        directory, real = queue.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            problems.append(_unreadable(Path(directory), "cannot list directory", error))
            continue
        subdirectories: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            try:
                is_directory = entry.is_dir()
            except OSError:
                is_directory = False
            if not is_directory:
                if name.endswith(CANDIDATE_SUFFIXES):
                    yield Path(directory, name)
                continue
            if name in DEFAULT_EXCLUDED_DIRS:
                continue
            path = os.path.join(directory, name)
            if options.exclude and _excluded(display_path(path), name, options.exclude):
                continue
            if entry.is_symlink():
                target = os.path.realpath(path)
                if target not in visited and not _contains(target, real):
                    links.append((path, target))
                continue
            child_real = os.path.join(real, name)
            visited.add(child_real)
            subdirectories.append((path, child_real))
        queue.extend(reversed(subdirectories))


def _contains(directory: str, path: str) -> bool:
    """Is `path` (a real path) `directory` or inside it?"""
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _unreadable(path: Path, what: str, error: OSError) -> SourceFile:
    return SourceFile(
        path, display_path(path), "unknown", None, f"{what}: {error.strerror or error}"
    )


def sniff(name: str, head: str) -> str | None:
    """The format of a file from its name and the start of its text, or None to skip it."""
    lower = name.lower()
    if lower.endswith(TERRAFORM_SUFFIXES):
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


def sniff_parsed(text: str) -> str | None:
    """The format of a template that the line-anchored `sniff` misses, from its parsed keys.

    A minified JSON template (`{"Resources": {...}}` on one line, with the optional
    `AWSTemplateFormatVersion` left out) or a flow-style YAML one is still a template when its
    top level holds a `Resources` mapping of entries typed `AWS::...`/`Custom::...`. Parsing
    costs far more than `sniff`'s regexes, so it runs only for the few files that mention both
    a `Resources` key and such a type but were not recognised by `sniff`.
    """
    if "Resources" not in text or not _RESOURCE_TYPE.search(text):
        return None
    document = _parse_quietly(text)
    resources = document.get("Resources") if isinstance(document, dict) else None
    if not isinstance(resources, dict):
        return None
    types = [r.get("Type") for r in resources.values() if isinstance(r, dict)]
    typed = [t for t in types if isinstance(t, str) and _RESOURCE_TYPE.match(t)]
    if not typed:
        return None
    transform = document.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    if any(t.startswith("AWS::Serverless::") for t in typed) or any(
        isinstance(t, str) and t.startswith("AWS::Serverless-") for t in transforms
    ):
        return "sam"
    return "cloudformation"


def _parse_quietly(text: str) -> object:
    """JSON or YAML (CloudFormation tags allowed) parsed, or None when it is neither."""
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        try:
            return json.loads(text.lstrip("\ufeff"))
        except (ValueError, RecursionError):
            pass  # not strict JSON: YAML's flow style may still read it
    from sls_lint.sources.yaml_source import SourceError, load_yaml

    try:
        return load_yaml(text)
    except (SourceError, RecursionError, ValueError):
        return None


def _looks_like_iac_name(name: str) -> bool:
    lower = name.lower()
    return bool(
        _SERVERLESS_NAME.match(name)
        or lower.endswith((".tf", ".tofu", ".template"))
        or re.match(r"^(template|cloudformation|sam|stack).*\.(ya?ml|json)$", lower)
    )


def read_source(path: Path, options: DiscoveryOptions, explicit: bool = False) -> SourceFile | None:
    """Read and classify one file; None when it is not infrastructure.

    An unreadable, binary or broken file is a `SourceFile` with a problem (SLS000) when it was
    named on the command line (`explicit`) or is named like infrastructure.
    """
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
    if fmt is None and size <= options.max_file_bytes and b"Resources" in data:
        fmt = sniff_parsed(data.decode("utf-8-sig", errors="replace"))
    if fmt is None:
        if explicit and _SERVICE_FILE.match(name):
            # Named on the command line and named like a service: a broken one, not another
            # kind of file (an include is named otherwise: `serverless.env.yml`).
            return SourceFile(
                path,
                display,
                "unknown",
                None,
                "not a Serverless Framework service: no top-level "
                "'service' key (or a 'services' key, which belongs in serverless-compose.yml)",
            )
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


def discover(
    paths: Iterable[Path],
    options: DiscoveryOptions | None = None,
    notes: list[tuple[str, str]] | None = None,
) -> list[SourceFile]:
    """Every infrastructure file under `paths`, each once, in a stable order.

    A file named in `paths` that is not infrastructure adds (its display path, why) to `notes`:
    a path typed in a CI script must never vanish without a word. Raises FileNotFoundError
    for a path that does not exist (a usage error, never a silent 0); a path that exists but
    cannot be read or listed is a problem (SLS000) instead, and the run goes on.
    """
    options = options or DiscoveryOptions()
    seen: set[str] = set()
    real_directories: dict[str, str] = {}
    found: list[SourceFile] = []
    for path in paths:
        try:
            is_directory = stat.S_ISDIR(os.stat(path).st_mode)
        except (OSError, ValueError) as error:
            missing = not isinstance(error, OSError) or error.errno in (errno.ENOENT, errno.ENOTDIR)
            if missing and not path.is_symlink():
                raise FileNotFoundError(str(path)) from None
            is_directory = False
        explicit = not is_directory  # a named broken symlink or pipe is reported, not walked
        candidates = [path] if explicit else walk_files(path, options, found)
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
            elif explicit and notes is not None:
                notes.append((display_path(candidate), NOT_INFRASTRUCTURE))
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
    if len(modules) > 1:
        from sls_lint.run.terraform_roots import drop_called_modules

        units = drop_called_modules(units)
    units.sort(key=lambda u: u.key)
    return units


def _complete_module(unit: Unit, directory: Path, options: DiscoveryOptions) -> None:
    """Add the sibling `.tf`/`.tofu`/`.tfvars` files of a module that was named file by file.

    OpenTofu reads `x.tofu` instead of `x.tf` when both exist; so does the module's unit.
    """
    present = {f.path.resolve() for f in unit.files}
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        names = []
    for name in names:
        path = directory / name
        if path in present or not name.endswith((*TERRAFORM_SUFFIXES, ".tfvars", ".tfvars.json")):
            continue
        source = read_source(Path(unit.directory, name), options)
        if source is not None:
            unit.files.append(source)
    kept = set(module_files(f.path.name for f in unit.files if f.format == "terraform"))
    unit.files = [f for f in unit.files if f.format != "terraform" or f.path.name in kept]
    unit.files.sort(key=lambda f: (f.format != "terraform", f.display))
