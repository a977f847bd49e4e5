"""The whole run up to reporting: discover the units, lint them (serially or in the pool), merge.

It sits above both the engine (one unit) and the pool (many units in worker processes), so
neither calls back up into the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from sls_lint.model.findings import Finding
from sls_lint.model.rule import Rule
from sls_lint.run.discovery import discover, group_units
from sls_lint.run.engine import LintOptions, LintResult, UnitReport, lint_unit
from sls_lint.sources.files import Unit


def collect_units(
    paths: Iterable[Path], options: LintOptions, notes: list[tuple[str, str]] | None = None
) -> list[Unit]:
    """The units to lint under `paths`; `notes` gets a line for each named file skipped."""
    files = discover(paths, options.discovery, notes)
    return group_units(files, options.discovery)


def lint_units(
    units: Sequence[Unit],
    rules: Sequence[Rule],
    options: LintOptions,
    progress: Callable[[int], None] | None = None,
) -> LintResult:
    """Lint units (in parallel when asked) and merge the reports in a stable order.

    `progress(n)` is called as units finish (per unit when serial, per task in the pool).
    """
    if options.jobs > 1 and len(units) >= 2:
        from sls_lint.run.parallel import lint_parallel  # starts processes: only when used

        reports = lint_parallel(units, rules, options, progress)
    elif progress is None:
        reports = [lint_unit(unit, rules, options.context, options.view) for unit in units]
    else:
        reports = []
        for unit in units:
            reports.append(lint_unit(unit, rules, options.context, options.view))
            progress(1)
    findings: list[Finding] = []
    files: list[str] = []
    texts: dict[str, str] = {}
    views = [report.view for report in reports if report.view is not None]
    reported_by: dict[tuple[str, str, int, int], str] = {}
    for report in reports:
        findings.extend(_first_report_only(report, reported_by))
        files.extend(report.files)
        texts.update(report.texts)
    findings.sort(key=Finding.sort_key)
    return LintResult(findings, sorted(set(files)), texts, views)


def _first_report_only(
    report: UnitReport, reported_by: dict[tuple[str, str, int, int], str]
) -> list[Finding]:
    """Drop findings another unit already reported at the same rule, file, line and column.

    A Terraform module is linted through every configuration of the scan that calls it
    (`examples/*` calling `../../`; `run/terraform_roots`): the same line would be reported
    once per caller under a different module address. Units arrive sorted by key, so its first
    caller keeps the finding; within one unit nothing is dropped.
    """
    kept = []
    for finding in report.findings:
        where = finding.location
        key = (finding.rule_id, where.file, where.line, where.column)
        owner = reported_by.setdefault(key, report.key)
        if owner == report.key:
            kept.append(finding)
    return kept


def lint_paths(paths: Iterable[Path], rules: Sequence[Rule], options: LintOptions) -> LintResult:
    """The whole pipeline up to (not including) filtering and reporting."""
    return lint_units(collect_units(paths, options), rules, options)
