"""The files a run reads, the units loaders read together, and how their paths are shown.

These are the plain records every layer passes around (discovery makes them, loaders read
them, reporters show their paths), so they live at the bottom of the stack.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


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
    if os.sep == "/":
        return absolute  # outside the working directory: shown absolute
    return _display_outside(Path(text))


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
