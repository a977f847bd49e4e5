"""`--shard K/N`: every unit in exactly one shard, the same split whatever the order."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
from conftest import SAMPLES, SHARED

from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import collect_units
from sls_lint.run.sharding import assign_shards, parse_shard, select_shard, unit_weight
from sls_lint.sources.files import Unit

CORPUS = SHARED / "corpus"


def _units() -> list[Unit]:
    units = collect_units([SAMPLES], LintOptions())
    if CORPUS.is_dir():
        units += collect_units(
            [CORPUS / "terraform-aws-modules__terraform-aws-lambda"], LintOptions()
        )
        units += collect_units([CORPUS / "serverless__examples"], LintOptions())
    return units


@pytest.fixture(scope="module")
def units() -> list[Unit]:
    found = _units()
    assert len({u.key for u in found}) == len(found)
    return found


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 16])
def test_shards_partition_the_units(units, count):
    shards = [select_shard(units, index, count) for index in range(count)]
    keys = [u.key for shard in shards for u in shard]
    assert sorted(keys) == sorted(u.key for u in units)  # union is everything, none twice
    assert len(keys) == len(set(keys))


def test_shards_keep_the_input_order(units):
    for index in range(3):
        shard = select_shard(units, index, 3)
        positions = [units.index(u) for u in shard]
        assert positions == sorted(positions)


def test_split_does_not_depend_on_the_order_of_units(units):
    expected = assign_shards(units, 4)
    shuffled = list(units)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert assign_shards(shuffled, 4) == expected


def test_split_is_balanced_by_weight(units):
    count = 3
    if len(units) < 30:
        pytest.skip("needs the corpus for a meaningful balance")
    loads = [sum(unit_weight(u) for u in select_shard(units, i, count)) for i in range(count)]
    heaviest = max(unit_weight(u) for u in units)
    # LPT: no shard exceeds the lightest by more than the heaviest single unit.
    assert max(loads) - min(loads) <= heaviest


def test_a_terraform_module_stays_whole(units):
    modules = [u for u in units if u.format == "terraform" and len(u.files) > 1]
    assert modules
    for count in (2, 5):
        for index in range(count):
            for unit in select_shard(units, index, count):
                if unit in modules:
                    assert len(unit.files) > 1  # the unit is the atom: all its files go along


_SPLIT_SCRIPT = """
from pathlib import Path
from sls_lint.sources.files import SourceFile, Unit
from sls_lint.run.sharding import assign_shards
units = [
    Unit("sam", Path("."), [SourceFile(Path(f"t{i}.yaml"), f"t{i}.yaml", "sam", "x")])
    for i in range(40)
]
print(sorted(assign_shards(units, 3).items()))
"""


def test_split_is_stable_across_processes():
    """sha1 of the key, never Python's per-process salted hash(): every CI job agrees."""
    outputs = {
        subprocess.run(
            [sys.executable, "-c", _SPLIT_SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(
    ("text", "expected"), [("1/1", (1, 1)), ("2/4", (2, 4)), (" 3/3 ", (3, 3))]
)
def test_parse_shard(text, expected):
    assert parse_shard(text) == expected


@pytest.mark.parametrize("text", ["0/4", "5/4", "2", "a/b", "2/0", "-1/3", "", "1/2/3"])
def test_parse_shard_rejects_nonsense(text):
    with pytest.raises(ValueError, match="K/N"):
        parse_shard(text)


def test_select_shard_rejects_an_index_out_of_range(units):
    with pytest.raises(ValueError):
        select_shard(units, 3, 3)
