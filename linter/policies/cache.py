"""A content-addressed cache of policy files that compiled: their plain documents as JSON.

Why: reading YAML with a location on every value costs ~1-2 ms per policy file, so 50 policies
would cost a pre-commit run more than everything else it does. A file that compiled once is
known to be valid, so its document is kept as plain JSON (a C-speed read) with the line of each
policy and example, and later runs compile it again from there without locations (compiling
is the cheap part). Entries live in the user cache directory (`$XDG_CACHE_HOME/sls-lint`, else
`~/.cache/sls-lint`), in a folder versioned by sls-lint and the entry format, named by the
SHA-256 of the text and checked against it on read. JSON, never pickle: a cache file is data,
not code. Any failure (unreadable, corrupt, unwritable) degrades to "not cached".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sls_lint import __version__

ENTRY_FORMAT = 1


def cache_dir() -> Path:
    """`$XDG_CACHE_HOME/sls-lint/policies-...`, or under `~/.cache` (as the other caches)."""
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "sls-lint" / f"policies-{__version__}-e{ENTRY_FORMAT}"


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def get(text: str) -> dict[str, Any] | None:
    """The entry stored for `text` (`document`, `lines`), or None."""
    key = _key(text)
    try:
        with open(cache_dir() / f"{key}.json", encoding="utf-8") as handle:
            entry = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(entry, dict) or entry.get("sha256") != key:
        return None
    if not isinstance(entry.get("lines"), list) or "document" not in entry:
        return None
    return entry


def put(text: str, document: Any, lines: list[list[int]]) -> None:
    """Store the plain `document` of a file that compiled, and its policy/example lines."""
    import tempfile  # only on a miss: its import costs more than a cache hit

    key = _key(text)
    folder = cache_dir()
    with contextlib.suppress(OSError, ValueError, TypeError, RecursionError):
        folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"sha256": key, "lines": lines, "document": document})
        descriptor, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(payload)
            os.replace(temporary, folder / f"{key}.json")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
