"""The `sls-lint` command line.

Exit codes: 0 clean (or only findings below `--fail-on`), 1 findings at or above it,
2 usage, configuration or internal error. Reports go to stdout or `--output`; diagnostics to
stderr, so machine formats are never mixed with logs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from sls_lint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif")


class UsageError(click.UsageError):
    """Exit 2 with a message (click's own usage errors also exit 2)."""


def _use_color(choice: str, stream) -> bool:
    """Flag > NO_COLOR > FORCE_COLOR > TERM=dumb > isatty."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _parse_vars(pairs: tuple[str, ...]) -> dict[str, str]:
    variables = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--var expects NAME=VALUE, got '{pair}'")
        variables[name.strip()] = value
    return variables


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="sls-lint")
def main() -> None:
    """Security policy linter for serverless infrastructure-as-code."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Output format; repeat to write several (paired with --output in order).",
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Write the matching --format to this file instead of stdout.",
)
@click.option("--select", "select", multiple=True, help="Only these rules (id, prefix or name).")
@click.option("--ignore", "ignore", multiple=True, help="Skip these rules (id, prefix or name).")
@click.option("--extend-select", multiple=True, help="Add rules to the selection.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "note"]),
    default="note",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--stage", help="Stage for ${opt:stage}/${sls:stage} (Serverless Framework).")
@click.option("--region", help="Region for ${opt:region} (Serverless Framework).")
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a template parameter / Terraform variable.",
)
@click.option(
    "--jobs",
    "-j",
    type=int,
    default=1,
    show_default=True,
    help="Parallel workers (0 = one per CPU).",
)
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@click.option("--show-source/--no-show-source", default=True, help="Code frame in text output.")
def check(
    paths: tuple[Path, ...],
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    fail_on: str,
    exit_zero: bool,
    stage: str | None,
    region: str | None,
    variables: tuple[str, ...],
    jobs: int,
    color: str,
    show_source: bool,
) -> None:
    """Lint PATHS (files or directories; default: the current directory)."""
    from sls_lint.discovery import DiscoveryOptions
    from sls_lint.engine import LintOptions, lint_paths
    from sls_lint.findings import SEVERITY_RANK
    from sls_lint.loaders import LoadContext
    from sls_lint.registry import RuleLoadError, load_rules
    from sls_lint.reporters import Report, render
    from sls_lint.selection import SelectorError, select_rules, validate

    if len(outputs) > max(1, len(formats)):
        raise UsageError("more --output files than --format options")
    try:
        available = load_rules()
        validate(select, available, "--select")
        validate(ignore, available, "--ignore")
        validate(extend_select, available, "--extend-select")
    except (RuleLoadError, SelectorError) as error:
        raise UsageError(str(error)) from None
    enabled = select_rules(available, list(select) if select else None, ignore, extend_select)
    options = LintOptions(
        discovery=DiscoveryOptions(),
        context=LoadContext(
            stage=stage, region=region, variables=_parse_vars(variables), project_root=Path.cwd()
        ),
        jobs=(os.cpu_count() or 1) if jobs == 0 else max(1, jobs),
    )
    try:
        result = lint_paths(list(paths) or [Path(".")], [rule() for rule in enabled], options)
    except FileNotFoundError as error:
        raise UsageError(f"path does not exist: {error}") from None
    formats = formats or ("text",)
    for index, fmt in enumerate(formats):
        target = outputs[index] if index < len(outputs) else None
        stream = sys.stdout if target is None else None
        report = Report(
            findings=result.findings,
            rules=enabled,
            files=result.files,
            texts=result.texts,
            version=__version__,
            color=fmt == "text" and stream is not None and _use_color(color, stream),
            show_source=show_source,
            fail_on=fail_on,
        )
        text = render(fmt, report)
        if target is None:
            click.echo(text, nl=False)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    threshold = SEVERITY_RANK[fail_on]
    failing = [
        f
        for f in result.findings
        if f.suppression is None and SEVERITY_RANK.get(f.severity, 0) >= threshold
    ]
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_command(fmt: str) -> None:
    """List the rule catalogue."""
    import json

    from sls_lint.registry import load_rules

    rules = load_rules()
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "name": r.name,
                        "severity": r.severity,
                        "family": r.family(),
                        "summary": r.summary,
                        "security_severity": r.security_severity,
                        "formats": list(r.formats),
                        "help_uri": r.help_uri(),
                    }
                    for r in rules
                ],
                indent=2,
            )
        )
        return
    for rule in rules:
        click.echo(f"{rule.id}  {rule.name:<42} {rule.severity:<8} {rule.summary}")


@main.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show a rule's documentation, with failing and passing examples."""
    from sls_lint.registry import load_rules

    for rule in load_rules():
        if rule_id.upper() == rule.id or rule_id == rule.name:
            click.echo(f"{rule.id} {rule.name} ({rule.severity})\n")
            click.echo(rule.documentation())
            return
    raise UsageError(f"no rule '{rule_id}'; `sls-lint rules` lists them")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["dot", "json"]), default="dot")
def graph(paths: tuple[Path, ...], fmt: str) -> None:
    """Export the resource graph of PATHS (DOT for Graphviz, or node-link JSON)."""
    from sls_lint.graph_export import export

    try:
        click.echo(export(list(paths) or [Path(".")], fmt), nl=False)
    except FileNotFoundError as error:
        raise UsageError(f"path does not exist: {error}") from None


def entry() -> None:
    """Console-script entry: an unexpected exception is exit 2 with a message, never exit 1."""
    try:
        main()
    except SystemExit:
        raise
    except Exception as error:  # noqa: BLE001
        import traceback

        traceback.print_exc()
        click.echo(f"sls-lint: internal error: {type(error).__name__}: {error}", err=True)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":  # pragma: no cover
    entry()
