"""`sls-lint check`: flags layered over the configuration, then lint, filter and report.

The pipeline after the command line: which rules run (selection, severity overrides), what is
linted (discovery, `--force-exclude`, `--shard`), what counts (inline and metadata suppressions,
baseline), and one report per `--format`. Returns the exit code.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Any

import click

from sls_lint import __version__
from sls_lint.cli.support import (
    SEVERITY_CHOICES,
    UsageError,
    available_rules,
    excluded,
    load_config,
    parse_vars,
    severity_map,
    split_values,
    use_color,
    write_report,
)

EXIT_CLEAN, EXIT_FINDINGS = 0, 1
# Notes (hardening advice: tracing, code signing, log-group KMS) are shown but do not fail a
# run by default, as in most linters: a first run fails on what is worth stopping a merge for.
DEFAULT_FAIL_ON = "warning"
# Kept in step with sls_lint.reporters.REPORTERS (not imported here: start-up time).
FORMATS = ("text", "concise", "json", "sarif", "junit", "github", "gitlab", "html")


class CheckSettings:
    """Command-line flags layered over the configuration file and the defaults."""

    def __init__(self, paths: list[Path], flags: dict[str, Any]) -> None:
        self.flags = flags
        self.config = load_config(paths, flags["config_file"], flags["isolated"])
        self.paths = paths
        cfg = self.config
        # The configuration's values are checked even when a flag overrides them: a typo in
        # a shared config must not wait for the one job that runs without the flag.
        bad = [f for f in cfg.format or () if f not in FORMATS]
        if bad:
            raise UsageError(f"{cfg.path}: unknown format '{bad[0]}' in 'format'")
        self.formats = tuple(flags["formats"]) or tuple(cfg.format or ("text",))
        self.outputs = tuple(flags["outputs"])
        if len(self.outputs) > len(self.formats):
            raise UsageError("more --output files than --format options")
        from sls_lint.cli.pairing import pairing_problem

        problem = pairing_problem(self.formats, self.outputs)
        if problem is not None:
            raise UsageError(problem)
        self.select = split_values(flags["select"]) or cfg.select
        self.extend_select = [*cfg.extend_select, *split_values(flags["extend_select"])]
        self.ignore = [
            *cfg.ignore,
            *cfg.extend_ignore,
            *split_values(flags["ignore"]),
            *split_values(flags["extend_ignore"]),
        ]
        self.fail_on = flags["fail_on"] or cfg.fail_on or DEFAULT_FAIL_ON
        self.exclude = list(flags["exclude"]) or self._config_paths_glob(cfg.exclude or [])
        self.exclude += self._config_paths_glob(cfg.extend_exclude) + list(flags["extend_exclude"])
        self.force_exclude = _first(flags["force_exclude"], cfg.force_exclude, False)
        self.fail_on_empty = _first(flags.get("fail_on_empty"), cfg.fail_on_empty, False)
        self.lint_owners = _first(flags.get("lint_owners"), cfg.lint_owners, False)
        self.inline = _first(flags["inline_suppressions"], cfg.inline_suppressions, True)
        self.report_unused = _first(
            flags["report_unused_suppressions"], cfg.report_unused_suppressions, False
        )
        self.include_suppressed = _first(flags["include_suppressed"], cfg.include_suppressed, True)
        self.show_source = _first(flags["show_source"], cfg.show_source, True)
        self.baseline = flags["baseline"] or cfg.baseline
        jobs = _first(flags["jobs"], cfg.jobs, 0)
        self.jobs = (os.cpu_count() or 1) if jobs == 0 else max(1, jobs)
        self.sarif_category = flags["sarif_category"] or cfg.sarif_category
        self.variables = {**cfg.vars, **parse_vars(flags["variables"])}
        self.var_files = [*cfg.var_files, *flags["var_files"]]
        self.resolve_env = _first(flags["resolve_env"], cfg.resolve_env, False)
        self.severity_flags = dict(
            _parse_severity(item) for item in split_values(flags["severity_overrides"])
        )

    def _config_paths_glob(self, patterns: list[str]) -> list[str]:
        from sls_lint.state.config import anchored_pattern

        return [anchored_pattern(p, self.config.directory) for p in patterns]

    @functools.cached_property
    def parent(self) -> Path:
        """The deepest directory holding every path; computed once, as it stats each path."""
        from sls_lint.state.config import common_parent

        return common_parent(self.paths)

    @functools.cached_property
    def repository(self) -> Path | None:
        """The repository root above `parent` (None outside a repository)."""
        from sls_lint.state.config import repository_root

        return repository_root(self.parent)

    def root(self) -> Path:
        """The repository root that report paths are relative to."""
        if self.flags["sarif_root"] is not None:
            return Path(os.path.abspath(self.flags["sarif_root"]))
        return self.repository or Path.cwd()

    def check_sarif_root(self) -> None:
        """`--sarif-root` must be a directory holding every scanned path.

        Why: a root elsewhere gives `../../x.yaml` or absolute URIs, which code scanning
        cannot place in the repository: the alerts would be dropped without a word.
        """
        given = self.flags["sarif_root"]
        if given is None:
            return
        if not given.is_dir():
            raise UsageError(f"--sarif-root {given}: no such directory")
        roots = {os.path.abspath(given), os.path.realpath(given)}
        for path in self.paths or [Path(".")]:
            candidates = {os.path.abspath(path), os.path.realpath(path)}
            if not any(_inside(c, r) for c in candidates for r in roots):
                raise UsageError(
                    f"--sarif-root {given} does not contain the scanned path {path}; "
                    "report paths must be relative to it"
                )

    def describe(self) -> dict[str, Any]:
        """The effective settings, for `--show-config`."""
        return {
            "config_file": str(self.config.path) if self.config.path else None,
            "config": self.config.as_dict(),
            "effective": {
                "formats": list(self.formats),
                "outputs": [str(o) for o in self.outputs],
                "select": self.select,
                "extend-select": self.extend_select,
                "ignore": self.ignore,
                "severity": {**self.config.severity, **self.severity_flags},
                "fail-on": self.fail_on,
                "exclude": self.exclude,
                "force-exclude": self.force_exclude,
                "fail-on-empty": self.fail_on_empty,
                "lint-owners": self.lint_owners,
                "inline-suppressions": self.inline,
                "report-unused-suppressions": self.report_unused,
                "include-suppressed": self.include_suppressed,
                "baseline": str(self.baseline) if self.baseline else None,
                "stage": self.flags["stage"] or self.config.stage,
                "region": self.flags["region"] or self.config.region,
                "vars": self.variables,
                "var-files": [str(p) for p in self.var_files],
                "resolve-env": self.resolve_env,
                "rule-folders": [
                    str(p) for p in [*self.config.rule_folders, *self.flags["rule_folders"]]
                ],
                "policy-folders": [
                    str(p) for p in [*self.config.policy_folders, *self.flags["policy_folders"]]
                ],
                "plugins": self.config.plugins,
                "jobs": self.jobs,
                "root": str(self.root()),
            },
        }


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _check_var_files(paths: list[Path] | tuple[Path, ...], origin: str) -> None:
    """A missing variable file is a usage error (exit 2), like a missing baseline."""
    for path in paths:
        if not Path(path).is_file():
            raise UsageError(f"{origin}: variable file not found: {path}")


def _first(*values: Any) -> Any:
    return next(v for v in values if v is not None)


def _parse_severity(item: str) -> tuple[str, str]:
    rule, sep, level = item.partition("=")
    if not sep or level.strip() not in SEVERITY_CHOICES:
        raise UsageError(f"--severity expects RULE=error|warning|note, got '{item}'")
    return rule.strip(), level.strip()


def lint_options(settings: CheckSettings) -> Any:
    from dataclasses import fields, replace

    from sls_lint.loaders import LoadContext
    from sls_lint.run.discovery import DiscoveryOptions
    from sls_lint.run.engine import LintOptions
    from sls_lint.sources.yaml_source import YamlLimits

    cfg = settings.config
    limits = YamlLimits()
    limit_fields = {f.name for f in fields(YamlLimits)}
    for name in ("max_depth", "max_alias_nodes", "max_nodes"):
        value = getattr(cfg, name)
        if value is not None and name in limit_fields:
            limits = replace(limits, **{name: value})
    discovery = DiscoveryOptions(exclude=tuple(settings.exclude))
    if cfg.max_file_bytes is not None:
        discovery = replace(discovery, max_file_bytes=cfg.max_file_bytes)
    return LintOptions(
        discovery=discovery,
        context=LoadContext(
            stage=settings.flags["stage"] or cfg.stage,
            region=settings.flags["region"] or cfg.region,
            variables=settings.variables,
            var_files=tuple(settings.var_files),
            resolve_env=settings.resolve_env,
            project_root=settings.repository or settings.parent,
            yaml_limits=limits,
        ),
        jobs=settings.jobs,
        view="condensed" if "html" in settings.formats else None,  # the report's picture
    )


def _lint(settings: CheckSettings, rules: list[Any]) -> Any:
    """Discover and lint; `--force-exclude` and `--shard` narrow what is linted."""
    from sls_lint.run.engine import LintResult, tune_gc
    from sls_lint.run.pipeline import collect_units, lint_units

    tune_gc()
    options = lint_options(settings)
    paths = settings.paths or [Path(".")]
    notes: list[tuple[str, str]] = []
    if settings.force_exclude and settings.paths:
        kept = [p for p in paths if p.is_dir() or not excluded(p, settings.exclude)]
        notes += [(str(p), "excluded (force-exclude)") for p in paths if p not in kept]
        paths = kept
    try:
        units = collect_units(paths, options, notes) if paths else []
        if settings.lint_owners and paths:
            from sls_lint.run.owners import with_owners

            project = settings.repository or Path.cwd()
            units, through = with_owners(paths, options, units, notes, project)
            for shown, users in through.items():
                click.echo(f"sls-lint: {shown}: linted through {', '.join(users)}", err=True)
    except FileNotFoundError as error:
        raise UsageError(f"path does not exist: {error}") from None
    for shown, why in notes:
        click.echo(f"sls-lint: skipped: {shown}: {why}", err=True)
    if not units:
        _nothing_linted(settings)
        return LintResult([], [], {})
    if settings.flags["shard"]:
        from sls_lint.run.sharding import parse_shard, select_shard

        try:
            k, n = parse_shard(settings.flags["shard"])
        except ValueError as error:
            raise UsageError(str(error)) from None
        units = select_shard(units, k - 1, n)
    from sls_lint.run.progress import Progress, wanted

    with Progress(len(units), sys.stderr, enabled=wanted(sys.stderr)) as progress:
        return lint_units(units, [rule() for rule in rules], options, progress.advance)


def _nothing_linted(settings: CheckSettings) -> None:
    """A run that lints 0 files says so (a mistyped CI path must be visible), or fails."""
    named = ", ".join(str(p) for p in settings.paths) or "."
    message = (
        f"no files linted in {named} (no CloudFormation, SAM, Serverless or Terraform file "
        "found, or every one excluded)"
    )
    if settings.fail_on_empty:
        raise UsageError(f"{message} (fail-on-empty)")
    click.echo(f"sls-lint: warning: {message}", err=True)


def _apply_baseline(settings: CheckSettings, findings: list[Any]) -> None:
    """`--write-baseline` records the findings (and then applies them); `--baseline` applies."""
    from sls_lint.state import baseline

    try:
        if settings.flags["write_baseline"] is not None:
            target = settings.flags["write_baseline"]
            count = baseline.write(findings, target)
            click.echo(f"sls-lint: wrote {count} findings to baseline {target}", err=True)
            baseline.apply(findings, target)
        elif settings.baseline is not None:
            baseline.apply(findings, Path(settings.baseline))
    except baseline.BaselineError as error:
        raise UsageError(str(error)) from None


def run_check(settings: CheckSettings) -> int:
    from sls_lint.model.findings import SEVERITY_RANK, Finding
    from sls_lint.reporters import Report, render
    from sls_lint.reporters.catalogue import INTERNAL_RULES
    from sls_lint.run.selection import (
        SelectorError,
        explicitly_selected,
        internal_enabled,
        select_rules,
        validate,
    )
    from sls_lint.state import suppressions

    cfg = settings.config
    settings.check_sarif_root()
    _check_var_files(cfg.var_files, f"{cfg.path}: 'var-files'")
    _check_var_files(settings.flags["var_files"], "--var-file")
    available = available_rules(
        cfg, tuple(settings.flags["rule_folders"]), tuple(settings.flags["policy_folders"])
    )
    internal = list(INTERNAL_RULES.values())
    # Every rule is addressed the same way: the internal ids too (select, ignore, --severity).
    addressable = [*available, *internal]
    flags = settings.flags
    checks = [
        (cfg.select or [], f"{cfg.path}: 'select'"),
        (cfg.extend_select, f"{cfg.path}: 'extend-select'"),
        ([*cfg.ignore, *cfg.extend_ignore], f"{cfg.path}: 'ignore'"),
        (split_values(flags["select"]), "--select"),
        (split_values(flags["extend_select"]), "--extend-select"),
        (split_values(flags["ignore"]) + split_values(flags["extend_ignore"]), "--ignore"),
    ]
    try:
        for selectors, origin in checks:
            validate(selectors, addressable, origin)
    except SelectorError as error:
        raise UsageError(str(error)) from None
    enabled = select_rules(available, settings.select, settings.ignore, settings.extend_select)
    kept_internal = internal_enabled(
        internal, settings.select, settings.ignore, settings.extend_select
    )
    report_unused = settings.report_unused or explicitly_selected(
        INTERNAL_RULES[suppressions.UNUSED_ID], settings.select, settings.extend_select
    )
    overrides = severity_map(cfg.severity, addressable, str(cfg.path or "configuration"))
    overrides.update(severity_map(settings.severity_flags, addressable, "--severity"))
    result = _lint(settings, enabled)
    findings: list[Finding] = result.findings
    if settings.inline:
        internal_pairs = [(r.id, r.name) for r in kept_internal]
        findings.extend(
            suppressions.apply(
                findings,
                result.texts,
                enabled=[(r.id, r.name) for r in enabled] + internal_pairs,
                known=[(r.id, r.name) for r in addressable],
                report_unused=report_unused,
            )
        )
    else:
        for finding in findings:
            if finding.suppression is not None and finding.suppression.kind == "metadata":
                finding.suppression = None
    dropped = {r.id for r in internal} - {r.id for r in kept_internal}
    if dropped:
        findings[:] = [f for f in findings if f.rule_id not in dropped]
    for finding in findings:
        if finding.rule_id in overrides:
            finding.severity = overrides[finding.rule_id]
    if settings.flags["write_baseline"] is not None or settings.baseline is not None:
        _apply_baseline(settings, findings)
    findings.sort(key=Finding.sort_key)
    stdout_color = use_color(settings.flags["color"], sys.stdout)
    for index, fmt in enumerate(settings.formats):
        target = settings.outputs[index] if index < len(settings.outputs) else None
        to_stdout = target is None or str(target) == "-"
        report = Report(
            findings=findings,
            rules=enabled,
            files=result.files,
            texts=result.texts,
            version=__version__,
            color=fmt == "text" and to_stdout and stdout_color,
            show_source=settings.show_source,
            sarif_root=str(settings.root()),
            sarif_category=settings.sarif_category,
            fail_on=settings.fail_on,
            include_suppressed=settings.include_suppressed,
            severity_overrides={k: v for k, v in overrides.items()},
            extra={"views": result.views} if fmt == "html" else {},
        )
        write_report(target, render(fmt, report), color=report.color)
    threshold = SEVERITY_RANK[settings.fail_on]
    failing = [
        f
        for f in findings
        if f.suppression is None and SEVERITY_RANK.get(f.severity, 0) >= threshold
    ]
    return EXIT_FINDINGS if failing and not settings.flags["exit_zero"] else EXIT_CLEAN
