"""Output formats. Each reporter module has `render(report) -> str`; imported on demand."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from sls_lint.findings import Finding

REPORTERS = {
    "text": "sls_lint.reporters.text",
    "json": "sls_lint.reporters.json_report",
    "sarif": "sls_lint.reporters.sarif",
}


@dataclass
class Report:
    """Everything a reporter may show; built once per run by the CLI."""

    findings: list[Finding]
    rules: list[Any]  # enabled rule classes, in id order
    files: list[str]
    texts: dict[str, str] = field(default_factory=dict)
    version: str = ""
    color: bool = False
    show_source: bool = True
    sarif_root: str | None = None
    sarif_category: str | None = None
    fail_on: str = "note"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def active(self) -> list[Finding]:
        """Findings that count (not suppressed)."""
        return [f for f in self.findings if f.suppression is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is not None]


def render(fmt: str, report: Report) -> str:
    module = REPORTERS.get(fmt)
    if module is None:
        raise KeyError(fmt)
    return importlib.import_module(module).render(report)
