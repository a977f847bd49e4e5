"""Split the units of a run into N shards for `check --shard K/N` (one CI job per shard).

Every job of a sharded CI run discovers the same units independently and keeps only its own
share, so the split must be a pure function of the *set* of units: never of the order they were
found in, of the process (Python's `hash()` is salted per process), or of the machine. The
shards' SARIF files are merged afterwards (`sls-lint merge-sarif`).

A unit is the atom: a Terraform module or a Serverless service with its includes is already
one unit (`discovery.group_units`), so it lands whole in one shard.

Balance: units are dealt largest first to the least-loaded shard (the classic LPT greedy),
ties broken by the SHA-1 of `unit.key`. The weight is the unit's size in characters plus a
fixed per-unit cost, times a factor for Terraform (python-hcl2 parses several times slower per
byte than libyaml). Sizes come from the texts discovery already read, so sharding costs no I/O.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Sequence

from sls_lint.sources.files import Unit

# Per-unit cost (process the unit, build its graph, run the rules) expressed in characters of
# YAML, and the relative per-character cost of each format; rough measurements on the corpus
# (bench/run.py). They only shape the balance, never which units exist.
UNIT_OVERHEAD_CHARS = 2000
FORMAT_FACTOR = {"terraform": 4}


def parse_shard(text: str) -> tuple[int, int]:
    """`"2/4"` -> `(2, 4)`: the 1-based shard K of N; ValueError with a clear message."""
    index, sep, count = text.strip().partition("/")
    try:
        k, n = int(index), int(count)
    except ValueError:
        k = n = 0
    if not sep or n < 1 or not 1 <= k <= n:
        raise ValueError(
            f"--shard expects K/N with whole numbers 1 <= K <= N (e.g. 2/4), got '{text}'"
        )
    return k, n


def unit_weight(unit: Unit) -> int:
    """Estimated cost of linting `unit`, in YAML-character equivalents."""
    chars = sum(len(f.text) for f in unit.files if f.text is not None)
    return (UNIT_OVERHEAD_CHARS + chars) * FORMAT_FACTOR.get(unit.format, 1)


def _digest(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()


def assign_shards(units: Sequence[Unit], count: int) -> dict[str, int]:
    """`unit.key` -> 0-based shard number, for every unit; the same for any order of `units`."""
    if count < 1:
        raise ValueError(f"shard count must be at least 1, got {count}")
    # Heaviest first; equal weights ordered by digest then key (a digest collision must not
    # make the order depend on the input order).
    ordered = sorted(units, key=lambda u: (-unit_weight(u), _digest(u.key), u.key))
    loads = [(0, shard) for shard in range(count)]  # (load, shard): a min-heap
    assignment: dict[str, int] = {}
    for unit in ordered:
        if unit.key in assignment:  # the same key twice (never from discovery): keep together
            continue
        load, shard = heapq.heappop(loads)
        assignment[unit.key] = shard
        heapq.heappush(loads, (load + unit_weight(unit), shard))
    return assignment


def select_shard(units: Sequence[Unit], index: int, count: int) -> list[Unit]:
    """The units of shard `index` (0-based, `K - 1` for `--shard K/N`), in their input order."""
    if not 0 <= index < count:
        raise ValueError(f"shard index {index} is outside 0..{count - 1}")
    assignment = assign_shards(units, count)
    return [unit for unit in units if assignment[unit.key] == index]
