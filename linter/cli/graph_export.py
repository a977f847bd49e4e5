"""`sls-lint graph`: the picture of each application, as DOT, Mermaid or versioned JSON.

The picture needs the findings (each node is coloured by its worst one and lists their ids),
so the command lints like `check` does, with the configuration's rule selection and inline
suppressions, and draws each unit where its graph is (`LintOptions.view`). Files that cannot be
parsed are reported on stderr: exit 2 when nothing could be drawn, 1 when the picture misses
some files, 0 otherwise (docs/cli.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sls_lint.cli.support import UsageError, available_rules, load_config

EXIT_CLEAN, EXIT_PARTIAL, EXIT_NOTHING = 0, 1, 2
PARSE_ERROR_ID = "SLS000"


def lint_for_picture(
    paths: list[Path], config_file: Path | None, isolated: bool, detail: str, stage: str | None
) -> Any:
    """Lint `paths` with the configuration's rules, drawing every unit; suppressions applied."""
    from sls_lint.loaders import LoadContext
    from sls_lint.reporters.catalogue import INTERNAL_RULES
    from sls_lint.run.discovery import DiscoveryOptions
    from sls_lint.run.engine import LintOptions, tune_gc
    from sls_lint.run.pipeline import lint_paths
    from sls_lint.run.selection import SelectorError, select_rules
    from sls_lint.state import suppressions
    from sls_lint.state.config import anchored_pattern, common_parent

    config = load_config(paths, config_file, isolated)
    available = available_rules(config)
    try:
        enabled = select_rules(
            available, config.select, [*config.ignore, *config.extend_ignore], config.extend_select
        )
    except (SelectorError, ValueError) as error:
        raise UsageError(str(error)) from None
    tune_gc()
    excludes = [*(config.exclude or []), *config.extend_exclude]
    options = LintOptions(
        discovery=DiscoveryOptions(
            exclude=tuple(anchored_pattern(p, config.directory) for p in excludes)
        ),
        context=LoadContext(
            stage=stage or config.stage, region=config.region, project_root=common_parent(paths)
        ),
        view=detail,
    )
    try:
        result = lint_paths(paths, [rule() for rule in enabled], options)
    except FileNotFoundError as error:
        raise UsageError(f"path does not exist: {error}") from None
    if config.inline_suppressions is not False:
        internal = [(r.id, r.name) for r in INTERNAL_RULES.values()]
        suppressions.apply(
            result.findings,
            result.texts,
            enabled=[(r.id, r.name) for r in enabled] + internal,
            known=[(r.id, r.name) for r in available] + internal,
        )
    return result


def run_graph(
    paths: list[Path],
    fmt: str,
    output: Path | None,
    detail: str,
    config_file: Path | None = None,
    isolated: bool = False,
    stage: str | None = None,
) -> int:
    """Draw, write and return the exit code."""
    from sls_lint import __version__
    from sls_lint.cli.support import write_report
    from sls_lint.model.view import annotate
    from sls_lint.reporters.graph_render import render

    result = lint_for_picture(paths, config_file, isolated, detail, stage)
    active = [f for f in result.findings if f.suppression is None]
    for view in result.views:
        annotate(view, active)
    errors = [f for f in result.findings if f.rule_id == PARSE_ERROR_ID]
    for error in errors:
        where = error.location
        click.echo(
            f"sls-lint: {where.file}:{where.line}:{where.column}: {PARSE_ERROR_ID} {error.message}",
            err=True,
        )
    if errors and not result.views:
        click.echo("sls-lint: nothing to draw: no file could be parsed", err=True)
        return EXIT_NOTHING
    write_report(output, render(result.views, fmt, __version__, detail))
    if errors:
        click.echo(
            f"sls-lint: the picture misses {len({e.location.file for e in errors})} file(s) "
            "that could not be parsed",
            err=True,
        )
        return EXIT_PARTIAL
    return EXIT_CLEAN
