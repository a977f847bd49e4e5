"""The files a run reads, the units loaders read together, and how their paths are shown.

These are the plain records every layer passes around (discovery makes them, loaders read
them, reporters show their paths), so they live at the bottom of the stack.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: The files of a Terraform or OpenTofu module directory.
TERRAFORM_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")


@dataclass
class SourceFile:
    """One file to lint: where it is, how to show its path, what it is, and its text."""

    path: Path
    display: str
    format: str
    text: str | None = None
    problem: str | None = None  # set when the file cannot be read (reported as SLS000)
    problem_line: int = 1  # where the problem is, when it has a place (an invalid byte)
    problem_column: int = 1


@dataclass
class Unit:
    """Files a loader reads together (one template, one service, one Terraform module)."""

    format: str
    directory: Path
    files: list[SourceFile] = field(default_factory=list)

    @property
    def primary(self) -> SourceFile:
        return self.files[0]

    @property
    def key(self) -> str:
        """A stable name for sharding and ordering."""
        return self.primary.display if self.format != "terraform" else display_path(self.directory)


def module_files(names: Iterable[str]) -> list[str]:
    """The Terraform/OpenTofu files of a module directory that OpenTofu reads, sorted.

    OpenTofu reads `x.tofu` (`x.tofu.json`) in place of a `x.tf` (`x.tf.json`) of the same
    name, so a module can hold a Terraform and an OpenTofu variant side by side; the `.tf`
    one is ignored then, by OpenTofu and by us.
    """
    chosen = sorted(n for n in names if n.endswith(TERRAFORM_SUFFIXES))
    present = set(chosen)
    return [n for n in chosen if _tofu_variant(n) not in present]


def _tofu_variant(name: str) -> str | None:
    if name.endswith(".tf"):
        return name[:-3] + ".tofu"
    if name.endswith(".tf.json"):
        return name[:-8] + ".tofu.json"
    return None


def display_path(path: Path | str) -> str:
    """The path users see: relative to the working directory when inside it, POSIX slashes.

    Called for every file and directory of a tree (and every finding); `os.path.relpath`
    plus `Path` cost ~25 µs a call, this prefix test a few (same answers: both are lexical).
    """
    text = os.fspath(path)
    cwd = os.getcwd()
    absolute = os.path.normpath(text if os.path.isabs(text) else os.path.join(cwd, text))
    if absolute == cwd:
        return "."
    prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
    if absolute.startswith(prefix):
        relative = absolute[len(prefix) :]
        return relative if os.sep == "/" else relative.replace(os.sep, "/")
    logical = _logical_cwd(cwd)
    if logical is not None and (absolute == logical or absolute.startswith(logical + os.sep)):
        # The working directory was reached through a symbolic link (`cd ~/link/repo`), and
        # the path was written through it too (`$PWD/template.yaml`): still inside.
        relative = absolute[len(logical) + 1 :] or "."
        return relative if os.sep == "/" else relative.replace(os.sep, "/")
    linked = _inside_through_links(absolute, cwd, prefix)
    if linked is not None:
        return linked if os.sep == "/" else linked.replace(os.sep, "/")
    if os.sep == "/":
        return absolute  # outside the working directory: shown absolute
    return _display_outside(Path(text))


# Real path of each directory met outside the working directory (bounded by the tree's size).
_real_directories: dict[str, str] = {}


def _inside_through_links(absolute: str, cwd: str, prefix: str) -> str | None:
    """The path relative to `cwd` when its directory is inside `cwd` once symbolic links are
    resolved (`lint ../link/corpus` run from the real directory the link points to, or a
    process whose `PWD` is stale), else None. Each directory is resolved once, through the
    cache `real_path` uses, and only for paths that are not lexically inside; the file name
    itself is kept (it may be a link)."""
    directory, name = os.path.split(absolute)
    real = _real_directory(directory, _real_directories)
    path = os.path.join(real, name) if name else real
    if path == cwd:
        return "."
    return path[len(prefix) :] if path.startswith(prefix) else None


_logical_cwds: dict[tuple[str, str], str | None] = {}


def _logical_cwd(cwd: str) -> str | None:
    """`$PWD` when it names the working directory `cwd` through a symbolic link, else None.

    `os.getcwd()` is the real path; shells keep the path the user typed in `PWD`. Only a path
    outside `cwd` asks, and the answer is kept per (cwd, PWD), so it costs one `realpath`.
    """
    pwd = os.environ.get("PWD")
    if not pwd or pwd == cwd or not os.path.isabs(pwd):
        return None
    key = (cwd, pwd)
    if key not in _logical_cwds:
        same = os.path.realpath(pwd) == cwd
        _logical_cwds[key] = os.path.normpath(pwd).rstrip(os.sep) if same else None
    return _logical_cwds[key]


def _display_outside(path: Path) -> str:
    """`display_path` of a path outside the working directory, on Windows (drives differ)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    if relative.startswith(".."):
        return Path(os.path.abspath(path)).as_posix()
    return Path(relative).as_posix()


def real_path(path: str | os.PathLike[str], real_directories: dict[str, str]) -> str:
    """`os.path.realpath(path)`, resolving each directory only once per run.

    `realpath` costs an `lstat` per path component, for every file. Here a component that is
    not a symbolic link is answered from its directory's cached real path, so a run pays one
    `lstat` per file and per directory, whatever the depth of the tree (the corpus: ~7 system
    calls fewer per file). Anything unusual (a link, a missing file, a `.`/`..` name) takes
    the full `realpath`, so the answer is always `realpath`'s own.
    """
    text = os.fspath(path)
    directory, name = os.path.split(text)
    if name in ("", ".", ".."):
        return os.path.realpath(text)
    try:
        if stat.S_ISLNK(os.lstat(text).st_mode):
            return os.path.realpath(text)
    except (OSError, ValueError):
        return os.path.realpath(text)
    return os.path.join(_real_directory(directory, real_directories), name)


def _real_directory(directory: str, cache: dict[str, str]) -> str:
    """`os.path.realpath(directory)` through `cache` (see `real_path`)."""
    real = cache.get(directory)
    if real is not None:
        return real
    parent, name = os.path.split(directory)
    if name in ("", ".", "..") or parent == directory:
        real = os.path.realpath(directory)
    else:
        try:
            link = stat.S_ISLNK(os.lstat(directory).st_mode)
        except (OSError, ValueError):
            link = True  # missing or unreadable: let realpath decide
        real = (
            os.path.realpath(directory)
            if link
            else os.path.join(_real_directory(parent, cache), name)
        )
    cache[directory] = real
    return real
