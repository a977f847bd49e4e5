"""Baselines: adopt sls-lint in a legacy repository and fail only on *new* findings.

`sls-lint check --write-baseline FILE` records today's findings; `--baseline FILE` then marks
the findings it recorded as suppressed (kind `baseline`). Identity is what survives edits: the
rule, the file, the resource and a fingerprint of rule + file + resource + property path, never
the line number, so moving a resource or editing another one does not resurrect old findings,
and the same logical id in two templates is two entries. Paths are stored relative to the
baseline file's directory, so the file works from any working directory and on any machine.
Entries are counted: if a resource had two identical findings and now has three, one is new.

This module also defines the stable fingerprint that the SARIF, JSON and GitLab reports carry,
so that every consumer tracks a finding by the same identity.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sls_lint.model.findings import Finding, Suppression
from sls_lint.sources.atomic import write_atomic
from sls_lint.sources.files import real_path

BASELINE_VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read (a usage error: exit 2)."""


def relative_path(file: str, root: Path | str | None) -> str:
    """`file` (as displayed) relative to `root`, POSIX slashes; unchanged if outside `root`.

    Symlinks are resolved first, as code scanning cannot place results on a link's path.
    Memoized per working directory: reporters ask once per finding, and `realpath` costs a
    system call per path component (0.5 s of a corpus-wide JSON report before caching).
    """
    return _relative_path(file, None if root is None else os.fspath(root), os.getcwd())


@functools.lru_cache(maxsize=16384)
def _relative_path(file: str, root: str | None, cwd: str) -> str:
    file = file.replace("\\", "/")
    if root is None:
        return Path(os.path.normpath(file)).as_posix()
    # Files share directories (and every call shares `root`): resolve each directory once.
    directories = _real_directories(cwd)
    absolute = real_path(file, directories)
    try:
        relative = os.path.relpath(absolute, real_path(root, directories))
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix()
    if relative.startswith(".."):
        return Path(os.path.normpath(file)).as_posix()
    return Path(relative).as_posix()


@functools.lru_cache(maxsize=8)
def _real_directories(cwd: str) -> dict[str, str]:
    """The real path of each directory met so far, per working directory (relative paths)."""
    return {}


def fingerprint(finding: Finding, path: str) -> str:
    """Rule + path + resource + property path, hashed; `path` as the consumer will see it."""
    text = "\x1f".join((finding.rule_id, path, finding.resource, finding.property_path))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Entry:
    rule_id: str
    file: str
    resource: str
    fingerprint: str


def _entry(finding: Finding, root: Path) -> Entry:
    path = relative_path(finding.location.file, root)
    return Entry(finding.rule_id, path, finding.resource, fingerprint(finding, path))


def render(findings: Iterable[Finding], baseline_file: Path) -> str:
    """The baseline document for the findings that count (suppressed ones are not recorded)."""
    root = Path(os.path.abspath(baseline_file)).parent
    rows = []
    for finding in findings:
        if finding.suppression is not None:
            continue
        entry = _entry(finding, root)
        rows.append(
            {
                "rule_id": entry.rule_id,
                "file": entry.file,
                "resource": entry.resource,
                "fingerprint": entry.fingerprint,
                "message": finding.message,
            }
        )
    rows.sort(key=lambda r: (r["file"], r["rule_id"], r["resource"], r["fingerprint"]))
    document = {"version": BASELINE_VERSION, "tool": "sls-lint", "findings": rows}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(findings: Iterable[Finding], baseline_file: Path) -> int:
    """Write the baseline; returns the number of findings recorded."""
    text = render(findings, baseline_file)
    write_atomic(baseline_file, text)
    return len(json.loads(text)["findings"])


def load(baseline_file: Path) -> Counter[Entry]:
    """The recorded entries with their counts; a malformed file is a BaselineError."""
    try:
        document = json.loads(baseline_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {baseline_file}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{baseline_file}: not a readable baseline: {error}") from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise BaselineError(
            f"{baseline_file}: not a version-{BASELINE_VERSION} sls-lint baseline "
            "(write one with --write-baseline)"
        )
    entries: Counter[Entry] = Counter()
    for index, row in enumerate(document.get("findings", [])):
        try:
            entries[Entry(row["rule_id"], row["file"], row["resource"], row["fingerprint"])] += 1
        except (KeyError, TypeError):
            raise BaselineError(f"{baseline_file}: entry {index} is malformed") from None
    return entries


def apply(findings: Iterable[Finding], baseline_file: Path) -> int:
    """Suppress the findings recorded in the baseline; returns how many matched."""
    remaining = load(baseline_file)
    root = Path(os.path.abspath(baseline_file)).parent
    matched = 0
    for finding in findings:
        if finding.suppression is not None:
            continue
        entry = _entry(finding, root)
        if remaining[entry] > 0:
            remaining[entry] -= 1
            finding.suppression = Suppression("baseline", f"recorded in {baseline_file.name}")
            matched += 1
    return matched
