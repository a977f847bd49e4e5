"""The `sls-lint` command line.

Exit codes: 0 clean (or only findings below `--fail-on`), 1 findings at or above it,
2 usage, configuration or internal error (or a report that could not be written). Reports go to
stdout or `--output`; diagnostics to stderr, so machine formats are never mixed with logs.
Settings are layered: command line > configuration file > defaults (docs/cli.md).
Everything heavy is imported inside the commands, so `--version` and a pre-commit run on one
file start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sls_lint import __version__
from sls_lint.cli.check import FORMATS, CheckSettings, run_check
from sls_lint.cli.support import (
    SEVERITY_CHOICES,
    UsageError,
    available_rules,
    load_config,
    severity_map,
    write_report,
)

if TYPE_CHECKING:  # pragma: no cover
    pass

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="sls-lint")
def main() -> None:
    """Security policy linter for serverless infrastructure-as-code."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, readable=False))
@click.option(
    "-f",
    "--format",
    "--output-format",
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
    help="Write the matching --format to this file ('-' = stdout).",
)
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Use this file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--show-config", is_flag=True, help="Print the settings in effect and exit.")
@click.option("--select", multiple=True, help="Only these rules (id, prefix or name).")
@click.option("--extend-select", multiple=True, help="Add rules to the selection.")
@click.option("--ignore", multiple=True, help="Skip these rules (id, prefix or name).")
@click.option("--extend-ignore", multiple=True, help="Skip these rules too.")
@click.option(
    "--severity",
    "severity_overrides",
    multiple=True,
    metavar="RULE=LEVEL",
    help="Override a rule's severity (error, warning, note).",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_CHOICES),
    help="Lowest severity that makes the exit code 1 [default: warning; notes are shown].",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--fail-on-empty/--no-fail-on-empty",
    default=None,
    help="Exit 2 when no file was linted (a mistyped path in CI).",
)
@click.option("--exclude", multiple=True, help="Glob of paths to skip (replaces the config's).")
@click.option("--extend-exclude", multiple=True, help="Glob of paths to skip, in addition.")
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply excludes to files named explicitly too (pre-commit).",
)
@click.option(
    "--lint-owners/--no-lint-owners",
    default=None,
    help="Also lint what uses each named file: the service of a ${file()} include, the "
    "template of an OpenAPI file, the Terraform roots calling a module (pre-commit).",
)
@click.option("--stage", help="Stage for ${opt:stage}/${sls:stage} (Serverless Framework).")
@click.option("--region", help="Region for ${opt:region} (Serverless Framework).")
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a template parameter / Terraform variable / Serverless option.",
)
@click.option(
    "--var-file",
    "var_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A .tfvars / parameters file.",
)
@click.option(
    "--resolve-env/--no-resolve-env",
    default=None,
    help="Read ${env:NAME} from the environment (off: they are Unknown).",
)
@click.option(
    "--rule-folder",
    "rule_folders",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra folder of rule modules.",
)
@click.option(
    "--policy-folder",
    "policy_folders",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra folder (or file) of YAML policies (docs/policies.md).",
)
@click.option("--baseline", type=click.Path(path_type=Path), help="Only findings not in FILE fail.")
@click.option(
    "--write-baseline", type=click.Path(path_type=Path), help="Record the findings in FILE."
)
@click.option(
    "--inline-suppressions/--no-inline-suppressions",
    default=None,
    help="Honour `sls-lint: ignore` comments and template Metadata [default: on].",
)
@click.option(
    "--report-unused-suppressions/--no-report-unused-suppressions",
    default=None,
    help="Report suppression comments that silence nothing (SLS002).",
)
@click.option(
    "--include-suppressed/--no-include-suppressed",
    default=None,
    help="Carry suppressed findings in json/sarif/junit [default: include].",
)
@click.option(
    "--sarif-root",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="Make report paths relative to this directory [default: the git root].",
)
@click.option("--sarif-category", help="SARIF automationDetails.id (code-scanning category).")
@click.option("--shard", metavar="K/N", help="Lint only the K-th of N shares of the units.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    help="Parallel workers (0 = one per CPU; small runs stay serial) [default: 0].",
)
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@click.option(
    "--show-source/--no-show-source", default=None, help="Code frame in text output [on]."
)
def check(paths: tuple[Path, ...], **flags: Any) -> None:
    """Lint PATHS (files or directories; default: the current directory)."""
    settings = CheckSettings(list(paths), flags)
    if flags["show_config"]:
        import json

        click.echo(json.dumps(settings.describe(), indent=2))
        return
    sys.exit(run_check(settings))


_POLICY_FOLDER = click.option(
    "--policy-folder",
    "policy_folders",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra folder (or file) of YAML policies.",
)


def _catalogue_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Where `rules` and `explain` find rules: the configuration, or none, plus extra folders
    of rule modules and of policies (the same sources `check` reads)."""
    for option in reversed(
        (
            click.option(
                "--config", "config_file", type=click.Path(path_type=Path), help="Use this file."
            ),
            click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
            click.option(
                "--rule-folder",
                "rule_folders",
                multiple=True,
                type=click.Path(path_type=Path),
                help="Extra folder of rule modules.",
            ),
            _POLICY_FOLDER,
        )
    ):
        command = option(command)
    return command


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
@_catalogue_options
def rules_command(
    fmt: str,
    config_file: Path | None,
    isolated: bool,
    rule_folders: tuple[Path, ...],
    policy_folders: tuple[Path, ...],
) -> None:
    """List the rule catalogue (the same metadata SARIF `rules[]` carries).

    Rule folders, plugins, selection and severity overrides of the configuration apply, so the
    list shows what `check` would run, with `enabled` telling which rules are selected.
    """
    import json

    from sls_lint.reporters.catalogue import INTERNAL_RULES, rule_metadata
    from sls_lint.run.selection import internal_enabled, select_rules

    config = load_config([Path(".")], config_file, isolated)
    available = available_rules(config, rule_folders, policy_folders)
    internal = list(INTERNAL_RULES.values())
    ignore = [*config.ignore, *config.extend_ignore]
    try:
        enabled = {
            r.id for r in select_rules(available, config.select, ignore, config.extend_select)
        }
    except ValueError as error:
        raise UsageError(str(error)) from None
    enabled |= {
        r.id for r in internal_enabled(internal, config.select, ignore, config.extend_select)
    }
    overrides = severity_map(
        config.severity, [*available, *internal], str(config.path or "configuration")
    )
    # Internal notices (SLS000-SLS006) and the pack's rules (SLS004 is one) in id order.
    catalogue = sorted([*internal, *available], key=lambda r: r.id)
    entries = [
        {**rule_metadata(r, overrides.get(r.id)), "enabled": r.id in enabled} for r in catalogue
    ]
    if fmt == "json":
        click.echo(json.dumps(entries, indent=2))
        return
    if fmt == "markdown":
        from sls_lint.reporters.rules_markdown import render_catalogue

        click.echo(render_catalogue(catalogue), nl=False)
        return
    for entry in entries:
        mark = " " if entry["enabled"] else "-"
        click.echo(
            f"{entry['id']}{mark} {entry['name']:<42} {entry['severity']:<8} {entry['summary']}"
        )


@main.command()
@click.argument("rule_id")
@_catalogue_options
def explain(
    rule_id: str,
    config_file: Path | None,
    isolated: bool,
    rule_folders: tuple[Path, ...],
    policy_folders: tuple[Path, ...],
) -> None:
    """Show a rule's (or a policy's) documentation, with failing and passing examples.

    RULE_ID is an id (any case) or a name; rules from the configuration's rule folders and
    plugins, its policy folders, and from --rule-folder / --policy-folder, are found too.
    """
    from sls_lint.reporters.catalogue import INTERNAL_RULES

    config = load_config([Path(".")], config_file, isolated)
    wanted = rule_id.strip()
    rules = [*INTERNAL_RULES.values(), *available_rules(config, rule_folders, policy_folders)]
    for rule in rules:
        if wanted.upper() == rule.id.upper() or wanted == rule.name:
            click.echo(f"{rule.id} {rule.name} ({rule.severity})\n")
            click.echo(rule.documentation())
            help_uri = rule.help_uri()
            if help_uri:
                click.echo(f"\nMore: {help_uri}")
            return
    raise UsageError(f"no rule '{rule_id}'; `sls-lint rules` lists them")


@main.command("test-policies")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Print only failing examples and the summary.")
def test_policies(paths: tuple[Path, ...], quiet: bool) -> None:
    """Run the examples of the policies in PATHS (folders or files): exit 1 when one fails."""
    from sls_lint.run.policy_tests import run_examples
    from sls_lint.run.registry import RuleLoadError, load_policy_rules, load_rules

    try:
        policies = load_policy_rules(paths, load_rules())
    except RuleLoadError as error:
        raise UsageError(str(error)) from None
    if not policies:
        raise UsageError("no policies found in " + ", ".join(str(p) for p in paths))
    failed = total = 0
    for result in run_examples(policies):
        total += 1
        failed += not result.ok
        if not quiet or not result.ok:
            click.echo(result.describe())
    click.echo(f"{len(policies)} policies, {total} examples, {failed} failed")
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["dot", "mermaid", "json"]),
    default="dot",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to FILE ('-' = stdout)."
)
@click.option(
    "--detail",
    type=click.Choice(["condensed", "full"]),
    default="condensed",
    show_default=True,
    help="condensed: entry points -> functions -> what they reach; full: every graph node.",
)
@click.option("--stage", help="Stage for ${opt:stage}/${sls:stage} (Serverless Framework).")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Use this file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
def graph(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    detail: str,
    stage: str | None,
    config_file: Path | None,
    isolated: bool,
) -> None:
    """Draw the application in PATHS: DOT for Graphviz, Mermaid, or versioned JSON.

    Exit 0 when every file was drawn, 1 when some could not be parsed (listed on stderr),
    2 when nothing could be drawn.
    """
    from sls_lint.cli.graph_export import run_graph

    sys.exit(
        run_graph(list(paths) or [Path(".")], fmt, output, detail, config_file, isolated, stage)
    )


@main.command("merge-sarif")
@click.argument("output", type=click.Path(path_type=Path))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
def merge_sarif(output: Path, inputs: tuple[Path, ...]) -> None:
    """Merge the SARIF files of sharded runs (`check --shard K/N`) into OUTPUT ('-' = stdout)."""
    import json

    try:
        from sls_lint.state.sarif_merge import merge
    except ImportError:
        raise UsageError("merge-sarif is not available in this build") from None
    documents = []
    for path in inputs:
        try:
            documents.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UsageError(f"{path}: not a readable SARIF file: {error}") from None
    try:
        merged = merge(documents)
    except ValueError as error:
        raise UsageError(str(error)) from None
    write_report(output, json.dumps(merged, indent=2, ensure_ascii=False) + "\n")


EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a run ended by Ctrl-C


def entry() -> None:
    """Console-script entry: an unexpected exception is exit 2 with a message, never exit 1;
    Ctrl-C is exit 130 (click's own handling would make it exit 1, "findings"); a failing
    stdout is one line and exit 2 (cli/output.py)."""
    sys.exit(_run())


def _run() -> Any:
    from sls_lint.cli.output import flush_stdout, is_write_error, report_write_error

    try:
        try:
            code = main(standalone_mode=False)
        except SystemExit as done:
            code = done.code
        flush_stdout()
        return code if code is not None else EXIT_CLEAN
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("sls-lint: interrupted", err=True)
        return EXIT_INTERRUPTED
    except OSError as error:
        if not is_write_error(error):
            return _internal_error(error)
        return report_write_error(error)
    except Exception as error:  # noqa: BLE001
        return _internal_error(error)


def _internal_error(error: BaseException) -> int:
    import traceback

    traceback.print_exc()
    click.echo(f"sls-lint: internal error: {type(error).__name__}: {error}", err=True)
    return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    entry()
