"""Output formats. Each reporter module has `render(report) -> str`; imported on demand.

Reporters never decide what counts: the CLI applies selection, severity overrides,
suppressions and the baseline first, and hands each reporter the same `Report`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from sls_lint.model.findings import Finding

REPORTERS = {
    "text": "sls_lint.reporters.text",
    "concise": "sls_lint.reporters.concise",
    "json": "sls_lint.reporters.json_report",
    "sarif": "sls_lint.reporters.sarif",
    "junit": "sls_lint.reporters.junit",
    "github": "sls_lint.reporters.github",
    "gitlab": "sls_lint.reporters.gitlab",
    "html": "sls_lint.reporters.html",
}
FORMATS = tuple(REPORTERS)


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
    sarif_root: str | None = None  # repository root: report paths are relative to it
    sarif_category: str | None = None
    fail_on: str = "warning"
    include_suppressed: bool = True
    severity_overrides: dict[str, str] = field(default_factory=dict)  # rule id -> severity
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def active(self) -> list[Finding]:
        """Findings that count (not suppressed)."""
        return [f for f in self.findings if f.suppression is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is not None]

    @property
    def shown(self) -> list[Finding]:
        """Findings machine formats carry: suppressed ones only with `include_suppressed`."""
        return self.findings if self.include_suppressed else self.active

    def rule_severity(self, rule: Any) -> str:
        return self.severity_overrides.get(rule.id, rule.severity)


def render(fmt: str, report: Report) -> str:
    module = REPORTERS.get(fmt)
    if module is None:
        raise KeyError(fmt)
    return importlib.import_module(module).render(report)
