"""A content-addressed cache of the HCL trees only python-hcl2 could build.

The fast reader (`hcl_reader`) builds an average corpus file's tree in ~1 ms, less than storing
it costs (~1 ms to create the entry on a cold run) and not much more than loading it (~0.2 ms),
so its trees are not cached. A file it hands over costs ~7 ms in python-hcl2 on every run: those
trees are kept, so that a pre-commit run does not pay for them twice. Entries live under the
user cache directory (`$XDG_CACHE_HOME/sls-lint`, else `~/.cache/sls-lint`, or
`LoadContext.cache_dir`), in a folder versioned by sls-lint, python-hcl2 and the tree format, so
an upgrade never reads a stale shape. Entries are JSON (never pickle: a cache file is data, not
code), named by the SHA-256 of the text and checked against it on read; a corrupt, truncated or
foreign entry is ignored and re-parsed. An unwritable directory silently disables the cache.

The cache stays bounded: the first run of a new version, when it creates its folder, removes
the folders of every other version (`hcl-*` beside it), so upgrades never pile up trees that
no installed sls-lint can read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

TREE_FORMAT = 1


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/sls-lint`, or `~/.cache/sls-lint`."""
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "sls-lint"


class ParseCache:
    """Parsed trees by content hash; every failure degrades to "not cached"."""

    def __init__(self, directory: Path | None, versions: str) -> None:
        self.enabled = directory is not None
        self.root = Path(directory) if directory is not None else Path()
        self.folder = self.root / f"hcl-{versions}-t{TREE_FORMAT}"
        self.hits = 0
        self.misses = 0
        self._checked_folders: set[Path] = set()  # made, and verified to be inside the root

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, text: str) -> Any | None:
        """The cached tree for `text`, or None (missing, corrupt, or cache disabled)."""
        if not self.enabled:
            return None
        key = self.key(text)
        try:
            with open(self._entry(key), encoding="utf-8") as handle:
                entry = json.load(handle)
        except (OSError, ValueError, RecursionError):
            self.misses += 1
            return None
        if not isinstance(entry, dict) or entry.get("sha256") != key or "tree" not in entry:
            self.misses += 1
            return None
        self.hits += 1
        return entry["tree"]

    def put(self, text: str, tree: Any) -> None:
        """Store `tree` for `text`; gives up quietly (and stops trying) when it cannot write."""
        if not self.enabled:
            return
        key = self.key(text)
        path = self._entry(key)
        try:
            if path.parent not in self._checked_folders:
                if not self.folder.exists():
                    self.folder.mkdir(parents=True, exist_ok=True)
                    remove_other_versions(self.root, self.folder.name)
                path.parent.mkdir(parents=True, exist_ok=True)
                if not _inside(path.parent, self.root):
                    self.enabled = False
                    return
                self._checked_folders.add(path.parent)
            data = json.dumps({"sha256": key, "tree": tree}, separators=(",", ":"))
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                    handle.write(data)
                os.replace(temporary, path)
            except BaseException:
                _remove(temporary)
                raise
        except (OSError, ValueError, RecursionError):
            self.enabled = False


def remove_other_versions(root: Path, keep: str) -> None:
    """Delete the `hcl-*` folders under `root` except `keep` (other versions' caches).

    Only real directories directly under `root` whose name has the cache's shape are touched;
    a link is unlinked, never followed. Failures (another run using it, permissions) are
    ignored: the next new version tries again.
    """
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        if entry.name == keep or not entry.name.startswith("hcl-") or "-t" not in entry.name:
            continue
        with contextlib.suppress(OSError):
            if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)
            else:
                shutil.rmtree(entry.path)


def _inside(path: Path, root: Path) -> bool:
    """True when `path` (after following links) is inside `root` (a planted link is refused)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
