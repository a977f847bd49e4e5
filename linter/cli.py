"""The `sls-lint` command line.

Exit codes: 0 clean (or only findings below `--fail-on`), 1 findings at or above it,
2 usage, configuration or internal error (or a report that could not be written). Reports go to
stdout or `--output`; diagnostics to stderr, so machine formats are never mixed with logs.
Settings are layered: command line > configuration file > defaults (docs/cli.md).
Everything heavy is imported inside the commands, so `--version` and a pre-commit run on one
file start fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sls_lint import __version__

if TYPE_CHECKING:  # pragma: no cover
    from sls_lint.config import Config

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Kept in step with sls_lint.reporters.REPORTERS (not imported here: start-up time).
FORMATS = ("text", "concise", "json", "sarif", "junit", "github", "gitlab")
SEVERITY_CHOICES = ("error", "warning", "note")


class UsageError(click.UsageError):
    """Exit 2 with a message (click's own usage errors also exit 2)."""


def _use_color(choice: str, stream: Any) -> bool:
    """Flag > NO_COLOR > FORCE_COLOR > TERM=dumb > isatty (pre-commit gives hooks a pty)."""
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
        if not sep or not name.strip():
            raise UsageError(f"--var expects NAME=VALUE, got '{pair}'")
        variables[name.strip()] = value
    return variables


def _split(values: tuple[str, ...] | list[str]) -> list[str]:
    """Repeatable options also take comma-separated lists (`--select SLS1,SLS2`)."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _severity_map(overrides: dict[str, str], rules: list[Any], origin: str) -> dict[str, str]:
    """Per-rule severity overrides keyed by id, prefix or name -> rule id -> severity.

    The most specific key wins (a name or exact id beats a prefix), as in selection.
    """
    resolved: dict[str, tuple[int, str]] = {}
    for key, severity in overrides.items():
        matched = False
        upper = key.strip().upper()
        for rule in rules:
            if key == rule.name or upper == rule.id:
                weight = 100
            elif upper.startswith("SLS") and rule.id.startswith(upper):
                weight = len(upper)
            else:
                continue
            matched = True
            if weight >= resolved.get(rule.id, (-1, ""))[0]:
                resolved[rule.id] = (weight, severity)
        if not matched:
            raise UsageError(f"{origin}: severity override '{key}' matches no rule")
    return {rule_id: severity for rule_id, (_, severity) in resolved.items()}


def _load_config(paths: list[Path], config_file: Path | None, isolated: bool) -> Config:
    from sls_lint.config import Config, ConfigError, discover, load_file

    try:
        if config_file is not None:
            return load_file(config_file)
        if isolated:
            return Config()
        return discover(paths)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def _plugin_rules(names: list[str], origin: str) -> list[Any]:
    """Rule classes from importable modules named in `plugins` (besides entry points)."""
    import importlib

    from sls_lint.rule import iter_rule_classes

    found = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - any import failure is a config error
            raise UsageError(f"{origin}: plugin '{name}' cannot be imported: {error}") from None
        listed = getattr(module, "RULES", None)
        found.extend(iter_rule_classes(listed if listed is not None else vars(module).values()))
    return found


def _available_rules(config: Config, extra_folders: tuple[Path, ...] = ()) -> list[Any]:
    from sls_lint.registry import RuleLoadError, load_rules

    for folder in config.rule_folders:
        if not folder.is_dir():
            raise UsageError(f"{config.path}: 'rule-folders': rule folder not found: {folder}")
    try:
        rules = load_rules([*config.rule_folders, *extra_folders])
    except RuleLoadError as error:
        raise UsageError(str(error)) from None
    known = {rule.id for rule in rules}
    for rule in _plugin_rules(config.plugins, f"{config.path}: 'plugins'"):
        if rule.id not in known:
            rules.append(rule)
            known.add(rule.id)
    return sorted(rules, key=lambda r: r.id)


def _excluded(path: Path, patterns: list[str]) -> bool:
    """`--force-exclude`: does an exclude glob match this named file or one of its parents?"""
    import fnmatch

    from sls_lint.discovery import display_path

    display = display_path(path)
    absolute = Path(os.path.abspath(path)).as_posix()
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        target = absolute if pattern.startswith("/") else display
        parts = target.split("/")
        prefixes = {"/".join(parts[:i]) for i in range(1, len(parts) + 1)}
        if any(fnmatch.fnmatch(c, pattern) for c in prefixes | set(parts)):
            return True
    return False


def _write(target: Path | None, text: str, color: bool = False) -> None:
    if target is None or str(target) == "-":
        # click strips ANSI codes when stdout is not a TTY unless told otherwise.
        click.echo(text, nl=False, color=color)
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror or error}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="sls-lint")
def main() -> None:
    """Security policy linter for serverless infrastructure-as-code."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
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
    help="Lowest severity that makes the exit code 1 [default: note].",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (replaces the config's).")
@click.option("--extend-exclude", multiple=True, help="Glob of paths to skip, in addition.")
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply excludes to files named explicitly too (pre-commit).",
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
    type=click.Path(path_type=Path, file_okay=False),
    help="Make report paths relative to this directory [default: the git root].",
)
@click.option("--sarif-category", help="SARIF automationDetails.id (code-scanning category).")
@click.option("--shard", metavar="K/N", help="Lint only the K-th of N shares of the units.")
@click.option(
    "-j",
    "--jobs",
    type=int,
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
    settings = _Settings(list(paths), flags)
    if flags["show_config"]:
        import json

        click.echo(json.dumps(settings.describe(), indent=2))
        return
    sys.exit(_run_check(settings))


class _Settings:
    """Command-line flags layered over the configuration file and the defaults."""

    def __init__(self, paths: list[Path], flags: dict[str, Any]) -> None:
        self.flags = flags
        self.config = _load_config(paths, flags["config_file"], flags["isolated"])
        self.paths = paths
        cfg = self.config
        self.formats = tuple(flags["formats"]) or tuple(cfg.format or ("text",))
        bad = [f for f in self.formats if f not in FORMATS]
        if bad:
            raise UsageError(f"{cfg.path}: unknown format '{bad[0]}' in 'format'")
        self.outputs = tuple(flags["outputs"])
        if len(self.outputs) > len(self.formats):
            raise UsageError("more --output files than --format options")
        self.select = _split(flags["select"]) or cfg.select
        self.extend_select = [*cfg.extend_select, *_split(flags["extend_select"])]
        self.ignore = [
            *cfg.ignore,
            *cfg.extend_ignore,
            *_split(flags["ignore"]),
            *_split(flags["extend_ignore"]),
        ]
        self.fail_on = flags["fail_on"] or cfg.fail_on or "note"
        self.exclude = list(flags["exclude"]) or self._config_paths_glob(cfg.exclude or [])
        self.exclude += self._config_paths_glob(cfg.extend_exclude) + list(flags["extend_exclude"])
        self.force_exclude = _first(flags["force_exclude"], cfg.force_exclude, False)
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
        self.variables = {**cfg.vars, **_parse_vars(flags["variables"])}
        self.var_files = [*cfg.var_files, *flags["var_files"]]
        self.resolve_env = _first(flags["resolve_env"], cfg.resolve_env, False)
        self.severity_flags = dict(
            _parse_severity(item) for item in _split(flags["severity_overrides"])
        )

    def _config_paths_glob(self, patterns: list[str]) -> list[str]:
        from sls_lint.config import anchored_pattern

        return [anchored_pattern(p, self.config.directory) for p in patterns]

    def root(self) -> Path:
        """The repository root that report paths are relative to."""
        from sls_lint.config import common_parent, repository_root

        if self.flags["sarif_root"] is not None:
            return Path(os.path.abspath(self.flags["sarif_root"]))
        return repository_root(common_parent(self.paths)) or Path.cwd()

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
                "plugins": self.config.plugins,
                "jobs": self.jobs,
                "root": str(self.root()),
            },
        }


def _first(*values: Any) -> Any:
    return next(v for v in values if v is not None)


def _parse_severity(item: str) -> tuple[str, str]:
    rule, sep, level = item.partition("=")
    if not sep or level.strip() not in SEVERITY_CHOICES:
        raise UsageError(f"--severity expects RULE=error|warning|note, got '{item}'")
    return rule.strip(), level.strip()


def _lint_options(settings: _Settings) -> Any:
    from dataclasses import fields, replace

    from sls_lint.config import common_parent, repository_root
    from sls_lint.discovery import DiscoveryOptions
    from sls_lint.engine import LintOptions
    from sls_lint.loaders import LoadContext
    from sls_lint.yaml_source import YamlLimits

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
    parent = common_parent(settings.paths)
    return LintOptions(
        discovery=discovery,
        context=LoadContext(
            stage=settings.flags["stage"] or cfg.stage,
            region=settings.flags["region"] or cfg.region,
            variables=settings.variables,
            var_files=tuple(settings.var_files),
            resolve_env=settings.resolve_env,
            project_root=repository_root(parent) or parent,
            yaml_limits=limits,
        ),
        jobs=settings.jobs,
    )


def _parse_shard(text: str) -> tuple[int, int]:
    index, sep, count = text.partition("/")
    try:
        k, n = int(index), int(count)
    except ValueError:
        k = n = 0
    if not sep or n < 1 or not 1 <= k <= n:
        raise UsageError(f"--shard expects K/N with 1 <= K <= N, got '{text}'")
    return k, n


def _lint(settings: _Settings, rules: list[Any]) -> Any:
    """Discover and lint; `--force-exclude` and `--shard` narrow what is linted."""
    from sls_lint.engine import LintResult, collect_units, lint_units

    options = _lint_options(settings)
    paths = settings.paths or [Path(".")]
    if settings.force_exclude and settings.paths:
        paths = [p for p in paths if p.is_dir() or not _excluded(p, settings.exclude)]
        if not paths:
            return LintResult([], [], {})
    try:
        units = collect_units(paths, options)
    except FileNotFoundError as error:
        raise UsageError(f"path does not exist: {error}") from None
    if settings.flags["shard"]:
        k, n = _parse_shard(settings.flags["shard"])
        try:
            from sls_lint.sharding import select_shard
        except ImportError:
            raise UsageError("--shard is not available in this build") from None
        units = select_shard(units, k - 1, n)
    return lint_units(units, [rule() for rule in rules], options)


def _apply_baseline(settings: _Settings, findings: list[Any]) -> None:
    """`--write-baseline` records the findings (and then applies them); `--baseline` applies."""
    from sls_lint import baseline

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


def _run_check(settings: _Settings) -> int:
    from sls_lint import suppressions
    from sls_lint.findings import SEVERITY_RANK, Finding
    from sls_lint.reporters import Report, render
    from sls_lint.reporters.catalogue import INTERNAL_RULES
    from sls_lint.selection import SelectorError, select_rules, validate

    cfg = settings.config
    available = _available_rules(cfg, tuple(settings.flags["rule_folders"]))
    flags = settings.flags
    checks = [
        (cfg.select or [], f"{cfg.path}: 'select'"),
        (cfg.extend_select, f"{cfg.path}: 'extend-select'"),
        ([*cfg.ignore, *cfg.extend_ignore], f"{cfg.path}: 'ignore'"),
        (_split(flags["select"]), "--select"),
        (_split(flags["extend_select"]), "--extend-select"),
        (_split(flags["ignore"]) + _split(flags["extend_ignore"]), "--ignore"),
    ]
    try:
        for selectors, origin in checks:
            validate(selectors, available, origin)
    except SelectorError as error:
        raise UsageError(str(error)) from None
    enabled = select_rules(available, settings.select, settings.ignore, settings.extend_select)
    overrides = _severity_map(cfg.severity, available, str(cfg.path or "configuration"))
    overrides.update(_severity_map(settings.severity_flags, available, "--severity"))
    result = _lint(settings, enabled)
    findings: list[Finding] = result.findings
    for finding in findings:
        if finding.rule_id in overrides:
            finding.severity = overrides[finding.rule_id]
    if settings.inline:
        internal = [(r.id, r.name) for r in INTERNAL_RULES.values()]
        findings.extend(
            suppressions.apply(
                findings,
                result.texts,
                enabled=[(r.id, r.name) for r in enabled] + internal,
                known=[(r.id, r.name) for r in available] + internal,
                report_unused=settings.report_unused,
            )
        )
    else:
        for finding in findings:
            if finding.suppression is not None and finding.suppression.kind == "metadata":
                finding.suppression = None
    if settings.flags["write_baseline"] is not None or settings.baseline is not None:
        _apply_baseline(settings, findings)
    findings.sort(key=Finding.sort_key)
    stdout_color = _use_color(settings.flags["color"], sys.stdout)
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
        )
        _write(target, render(fmt, report), color=report.color)
    threshold = SEVERITY_RANK[settings.fail_on]
    failing = [
        f
        for f in findings
        if f.suppression is None and SEVERITY_RANK.get(f.severity, 0) >= threshold
    ]
    return EXIT_FINDINGS if failing and not settings.flags["exit_zero"] else EXIT_CLEAN


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Use this file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
def rules_command(fmt: str, config_file: Path | None, isolated: bool) -> None:
    """List the rule catalogue (the same metadata SARIF `rules[]` carries).

    Rule folders, plugins, selection and severity overrides of the configuration apply, so the
    list shows what `check` would run, with `enabled` telling which rules are selected.
    """
    import json

    from sls_lint.reporters.catalogue import INTERNAL_RULES, rule_metadata
    from sls_lint.selection import select_rules

    config = _load_config([Path(".")], config_file, isolated)
    available = _available_rules(config)
    try:
        enabled = {
            r.id
            for r in select_rules(
                available,
                config.select,
                [*config.ignore, *config.extend_ignore],
                config.extend_select,
            )
        }
    except ValueError as error:
        raise UsageError(str(error)) from None
    overrides = _severity_map(config.severity, available, str(config.path or "configuration"))
    entries = [{**rule_metadata(r), "enabled": True} for r in INTERNAL_RULES.values()]
    entries += [
        {**rule_metadata(r, overrides.get(r.id)), "enabled": r.id in enabled} for r in available
    ]
    if fmt == "json":
        click.echo(json.dumps(entries, indent=2))
        return
    if fmt == "markdown":
        from sls_lint.reporters.rules_markdown import render_catalogue

        click.echo(render_catalogue([*INTERNAL_RULES.values(), *available]), nl=False)
        return
    for entry in entries:
        mark = " " if entry["enabled"] else "-"
        click.echo(
            f"{entry['id']}{mark} {entry['name']:<42} {entry['severity']:<8} {entry['summary']}"
        )


@main.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show a rule's documentation, with failing and passing examples."""
    from sls_lint.registry import load_rules
    from sls_lint.reporters.catalogue import INTERNAL_RULES

    for rule in [*INTERNAL_RULES.values(), *load_rules()]:
        if rule_id.upper() == rule.id or rule_id == rule.name:
            click.echo(f"{rule.id} {rule.name} ({rule.severity})\n")
            click.echo(rule.documentation())
            click.echo(f"\nMore: {rule.help_uri()}")
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


@main.command("merge-sarif")
@click.argument("output", type=click.Path(path_type=Path))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
def merge_sarif(output: Path, inputs: tuple[Path, ...]) -> None:
    """Merge the SARIF files of sharded runs (`check --shard K/N`) into OUTPUT ('-' = stdout)."""
    import json

    try:
        from sls_lint.sarif_merge import merge
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
    _write(output, json.dumps(merged, indent=2, ensure_ascii=False) + "\n")


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
