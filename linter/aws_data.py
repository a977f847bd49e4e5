"""Data that cfn-lint ships as JSON, read directly (importing cfn-lint costs ~0.4 s).

`find_spec` locates the installed package without executing it; the files are read only when
a rule first needs them, and cached for the process.
"""

from __future__ import annotations

import functools
import importlib.util
import json
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


def aws_managed_policies() -> dict[str, str]:
    """AWS managed policy name -> ARN (SAM `Policies: [AmazonS3FullAccess]`)."""
    return _json("Serverless/ManagedPolicies.json")
