"""Data that cfn-lint ships as JSON, read directly (importing cfn-lint costs ~0.4 s).

`find_spec` locates the installed package without executing it; the files are read only when
a rule first needs them, and cached for the process.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Any


class DataMissing(RuntimeError):
    """cfn-lint is not installed or no longer ships a file we read."""


@functools.cache
def cfnlint_data_dir() -> Path:
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise DataMissing("cfn-lint is not installed; sls-lint reads its IAM and runtime data")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@functools.cache
def _json(relative: str) -> Any:
    path = cfnlint_data_dir() / relative
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as error:
        raise DataMissing(f"cannot read {path}: {error}") from error


def runtime_lifecycle() -> dict[str, dict[str, Any]]:
    """Lambda runtime -> {deprecated, create-block, update-block, successor} (ISO dates)."""
    return _json("AdditionalSpecs/LmbdRuntimeLifecycle.json")


def iam_catalogue() -> dict[str, Any]:
    """IAM service prefix -> {"Actions": {lowercase action: {"Resources": [...]}}, ...}."""
    return _json("AdditionalSpecs/Policies.json")


IAM_ACTIONS_FORMAT = 1


def _user_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/sls-lint`, or `~/.cache/sls-lint` (as the Terraform parse cache)."""
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "sls-lint"


def _remove_stale_iam_caches(current: Path) -> None:
    """Delete the compact catalogues of other cfn-lint data files (older upgrades), so the
    cache directory holds one."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(current.parent):
            if (
                entry.name != current.name
                and entry.name.startswith("iam-actions-v")
                and entry.name.endswith(".json")
                and entry.is_file(follow_symlinks=False)
            ):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _compact_iam(catalogue: dict[str, Any]) -> dict[str, list[list[str]]]:
    """service -> [actions that take resource ARNs, actions that only take `*`] (lowercase)."""
    compact: dict[str, list[list[str]]] = {}
    for service, entry in catalogue.items():
        if not isinstance(entry, dict):
            continue
        actions = entry.get("Actions", {}) or {}
        scoped = sorted(a for a, spec in actions.items() if (spec or {}).get("Resources"))
        unscoped = sorted(a for a, spec in actions.items() if not (spec or {}).get("Resources"))
        compact[service] = [scoped, unscoped]
    return compact


@functools.cache
def iam_actions() -> dict[str, list[list[str]]]:
    """The IAM catalogue reduced to what the rules ask (`_compact_iam`), cached on disk.

    cfn-lint's Policies.json is 1.9 MB and takes ~23 ms to parse, a tenth of a pre-commit run;
    the compact form (a quarter of the size, ~2.5 ms) is kept in the user cache directory,
    keyed by the source file's size and modification time, so a cfn-lint upgrade rebuilds it.
    Any failure to read or write the cache falls back to the full file.
    """
    source = cfnlint_data_dir() / "AdditionalSpecs/Policies.json"
    try:
        info = source.stat()
    except OSError as error:
        raise DataMissing(f"cannot read {source}: {error}") from error
    name = f"iam-actions-v{IAM_ACTIONS_FORMAT}-{info.st_size}-{info.st_mtime_ns}.json"
    cached = _user_cache_dir() / name
    with contextlib.suppress(OSError, ValueError, RecursionError):
        with open(cached, encoding="utf-8") as handle:
            data = json.load(handle)
        if isinstance(data, dict) and all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(x, list) for x in v)
            for v in data.values()
        ):
            return data
    compact = _compact_iam(iam_catalogue())
    with contextlib.suppress(OSError, ValueError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(compact, handle, separators=(",", ":"))
            os.replace(temporary, cached)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _remove_stale_iam_caches(cached)
    return compact


@functools.cache
def aws_managed_policies() -> dict[str, str]:
    """AWS managed policy name -> ARN (SAM `Policies: [AmazonS3FullAccess]`).

    cfn-lint up to 1.5x ships the full list; later versions dropped it. Without it, the names
    whose path is not the root (`service-role/`, `job-function/`) come from our own small
    table and `managed_policy_arn` puts every other name at the root path, which is where
    AWS keeps them.
    """
    try:
        listed = _json("Serverless/ManagedPolicies.json")
    except DataMissing:
        listed = None
    if isinstance(listed, dict) and listed:
        return listed
    text = (files("sls_lint") / "data" / "aws_managed_policy_paths.json").read_text("utf-8")
    paths = json.loads(text).get("paths", {})
    return {name: f"arn:aws:iam::aws:policy/{path}{name}" for name, path in paths.items()}


def managed_policy_arn(name: str) -> str:
    """The ARN of the AWS managed policy called `name`."""
    return aws_managed_policies().get(name) or f"arn:aws:iam::aws:policy/{name}"
