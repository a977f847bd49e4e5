"""The services, templates and Terraform roots that use a changed file (the pre-commit case).

A pre-commit hook is given the files of a commit. When the commit changes only a file that a
`serverless.yml` pulls in with `${file(...)}`, an OpenAPI file a SAM template points at, or a
`.tf` file of a Terraform module, linting just those files checks nothing: the include is not
infrastructure on its own, and a module without its caller's inputs is mostly Unknown. Its
*owners* are what must be linted.

Finding them costs one walk of the project and a byte search per candidate file; only files
that mention a changed file's (or module directory's) name are decoded and their references
resolved, relative to the referencing file as the Serverless Framework, SAM and Terraform
resolve them. An owner that is itself an include or a module is followed up, so a change deep
in a chain reaches the service or root at its top.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from sls_lint.run.discovery import DiscoveryOptions, sniff, sniff_parsed, walk_files
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import collect_units
from sls_lint.sources.files import TERRAFORM_SUFFIXES, Unit, display_path, real_path

#: A relative or absolute path ending in a name (`./config/iam.yml`, `api/openapi.yaml`).
_PATH_BEFORE = r"[\w./@+~-]*"
_FILE_INCLUDE = re.compile(r"\$\{file\(([^)\n]*)\)")
_VARIABLE = re.compile(r"\$\{[^{}]*\}")
_MODULE_SOURCE = re.compile(r"""\bsource\s*=\s*"([^"\n]+)"|"source"\s*:\s*"([^"\n]+)\"""")
#: How many links of an include/module chain are followed up.
MAX_ROUNDS = 8


def with_owners(
    paths: list[Path],
    options: LintOptions,
    units: list[Unit],
    notes: list[tuple[str, str]],
    project: Path,
) -> tuple[list[Unit], dict[str, list[str]]]:
    """`units` of the named `paths`, plus the units that use the named includes and modules.

    Looks for owners of the named files that were skipped (`notes`: not infrastructure) and of
    named Terraform files. A skipped file that has owners leaves `notes` (it is linted through
    them); the second result maps its display path to its owners' display paths.
    """
    skipped = {shown for shown, _ in notes}
    orphans = [
        p
        for p in paths
        if display_path(p) in skipped or (p.name.endswith(TERRAFORM_SUFFIXES) and p.is_file())
    ]
    if not orphans:
        return units, {}
    owners = find_owners(orphans, project, options.discovery)
    through: dict[str, list[str]] = {}
    for path, found in owners.items():
        if found and display_path(path) in skipped:
            through[display_path(path)] = [display_path(o) for o in found]
    notes[:] = [n for n in notes if n[0] not in through]
    extra = sorted({o for found in owners.values() for o in found})
    if not extra:
        return units, through
    return collect_units([*paths, *extra], options), through


def find_owners(
    changed: Iterable[Path], project: Path, options: DiscoveryOptions | None = None
) -> dict[Path, list[Path]]:
    """For each changed file, the infrastructure files and Terraform directories using it.

    Terraform owners are directories (a root is linted as a whole); the others are files.
    A changed file nobody uses maps to an empty list.
    """
    options = options or DiscoveryOptions()
    texts = _Texts(project, options)
    owners: dict[Path, list[Path]] = {}
    for path in changed:
        found: dict[str, Path] = {}
        _owners_of(Path(os.path.realpath(path)), texts, found)
        owners[path] = [found[k] for k in sorted(found)]
    return owners


def _owners_of(changed: Path, texts: _Texts, found: dict[str, Path]) -> None:
    """Follow references to `changed` up to the infrastructure that uses it."""
    files = {changed} if not changed.name.endswith(TERRAFORM_SUFFIXES) else set()
    modules = {changed.parent} if changed.name.endswith(TERRAFORM_SUFFIXES) else set()
    done_files: set[Path] = set()
    done_modules: set[Path] = set()
    for _ in range(MAX_ROUNDS):
        new_files: set[Path] = set()
        new_modules: set[Path] = set()
        for target in files - done_files:
            done_files.add(target)
            for user, fmt in texts.referencing(target):
                if fmt == "terraform":  # `file("${path.module}/policy.json")`
                    found.setdefault(str(user.parent), user.parent)
                    new_modules.add(user.parent)
                elif fmt is not None:
                    found.setdefault(str(user), user)
                else:
                    new_files.add(user)  # an include of an include: follow it up
        for module in modules - done_modules:
            done_modules.add(module)
            for caller in texts.calling(module):
                found.setdefault(str(caller), caller)
                new_modules.add(caller)
        if not new_files - done_files and not new_modules - done_modules:
            return
        files |= new_files
        modules |= new_modules


class _Texts:
    """The project's candidate files, read once as bytes and decoded only when they match."""

    def __init__(self, project: Path, options: DiscoveryOptions) -> None:
        self.project = project
        self.root = Path(os.path.realpath(project))
        self.options = options
        self._files: list[tuple[Path, bytes]] | None = None
        self._formats: dict[Path, str | None] = {}
        self._calls: dict[Path, set[Path]] | None = None

    @property
    def files(self) -> list[tuple[Path, bytes]]:
        if self._files is None:
            self._files = []
            real_directories: dict[str, str] = {}
            for path in walk_files(self.project, self.options, []):
                try:
                    if os.path.getsize(path) > self.options.max_file_bytes:
                        continue
                    with open(path, "rb") as handle:
                        data = handle.read()
                except OSError:
                    continue
                self._files.append((Path(real_path(path, real_directories)), data))
        return self._files

    def format_of(self, path: Path, data: bytes) -> str | None:
        if path not in self._formats:
            head = data[:65536].decode("utf-8", errors="replace")
            fmt = sniff(path.name, head)
            if fmt is None and b"Resources" in data:  # a minified template
                fmt = sniff_parsed(data.decode("utf-8-sig", errors="replace"))
            self._formats[path] = fmt
        return self._formats[path]

    def referencing(self, target: Path) -> list[tuple[Path, str | None]]:
        """Files whose text names `target` by a path that resolves to it."""
        needle = target.name.encode()
        pattern = re.compile(_PATH_BEFORE + re.escape(target.name) + r"(?![\w.-])")
        users = []
        for path, data in self.files:
            if path == target or (needle not in data and b"${file(" not in data):
                continue
            text = data.decode("utf-8", errors="replace")
            bases = [path.parent, *(p for p in path.parent.parents if p.is_relative_to(self.root))]
            if self.format_of(path, data) is not None:
                bases = bases[:1]  # an include's service may be above it; a service is not
            if any(
                _resolves(base, written, target)
                for written in _written(pattern, text)
                for base in bases
            ) or any(
                _matches(path.parent, written, target) for written in _variable_includes(text)
            ):
                users.append((path, self.format_of(path, data)))
        return users

    def calling(self, module: Path) -> list[Path]:
        """Terraform directories with a `module` whose local `source` is `module`."""
        if self._calls is None:
            self._calls = self._module_calls()
        return sorted(self._calls.get(module, ()))

    def _module_calls(self) -> dict[Path, set[Path]]:
        """Every local module call of the project: module directory -> calling directories.

        Built once, in one pass over the Terraform files: a chain of modules is followed up
        one level per round, and scanning every file again per level cost seconds.
        """
        calls: dict[Path, set[Path]] = {}
        for path, data in self.files:
            # No test on the module's name: `source = "../../"` does not write it.
            if not path.name.endswith(TERRAFORM_SUFFIXES) or b"source" not in data:
                continue
            text = data.decode("utf-8", errors="replace")
            for match in _MODULE_SOURCE.finditer(text):
                source = match.group(1) or match.group(2)
                if source.startswith(("./", "../")):
                    module = Path(os.path.realpath(os.path.join(path.parent, source)))
                    if module != path.parent:
                        calls.setdefault(module, set()).add(path.parent)
        return calls


def _written(pattern: re.Pattern[str], text: str) -> Iterator[str]:
    """The paths ending in the target's name written in `text`."""
    for match in pattern.finditer(text):
        written = match.group()
        if written.startswith("/") and text[max(match.start() - 1, 0)] == "}":
            written = written[1:]  # `${path.module}/x.json`: relative to the module
        yield written


def _variable_includes(text: str) -> Iterator[str]:
    """`${file(...)}` paths built from variables, as globs (`./config/${sls:stage}.yml`)."""
    if "${file(" not in text:
        return
    for match in _FILE_INCLUDE.finditer(text):
        written = match.group(1).strip().strip("'\"")
        if "${" not in written:
            continue  # a literal path: `_written` found it if it names the target
        for _ in range(8):  # `${self:custom.${sls:stage}}`: innermost first
            written, count = _VARIABLE.subn("*", written)
            if not count:
                break
        if written.strip("*/."):  # nothing but variables: it could be anything
            yield written


def _matches(base: Path, glob: str, target: Path) -> bool:
    """Does the glob `glob`, relative to `base`, match `target`?"""
    pattern = os.path.normpath(glob if os.path.isabs(glob) else os.path.join(base, glob))
    return fnmatch.fnmatchcase(str(target), pattern)


def _resolves(base: Path, written: str, target: Path) -> bool:
    """Does `written`, relative to `base`, name `target` (both through real paths)?"""
    if not written or "://" in written:
        return False
    candidate = written if os.path.isabs(written) else os.path.join(base, written)
    return os.path.realpath(candidate) == str(target)
