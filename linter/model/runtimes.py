"""Lambda runtime lifecycle (from cfn-lint's data): is a runtime deprecated, or about to be?"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sls_lint.model.aws_data import runtime_lifecycle

NEAR_DEPRECATION_DAYS = 90


@dataclass(frozen=True)
class RuntimeStatus:
    runtime: str
    state: str  # "deprecated", "deprecating", "supported", "unknown"
    deprecated_on: dt.date | None
    update_block_on: dt.date | None
    successor: str | None


def today() -> dt.date:
    """The date checks are made against; `SLS_LINT_TODAY=YYYY-MM-DD` pins it (reproducible CI)."""
    pinned = os.environ.get("SLS_LINT_TODAY")
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            pass
    return dt.date.today()


def _date(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def runtime_status(runtime: str, on: dt.date | None = None) -> RuntimeStatus:
    on = on or today()
    entry = runtime_lifecycle().get(runtime)
    if not isinstance(entry, dict):
        return RuntimeStatus(runtime, "unknown", None, None, None)
    deprecated = _date(entry.get("deprecated"))
    update_block = _date(entry.get("update-block"))
    successor = entry.get("successor")
    if deprecated is None:
        state = "supported"
    elif deprecated <= on:
        state = "deprecated"
    elif (deprecated - on).days <= NEAR_DEPRECATION_DAYS:
        state = "deprecating"
    else:
        state = "supported"
    return RuntimeStatus(runtime, state, deprecated, update_block, successor)
