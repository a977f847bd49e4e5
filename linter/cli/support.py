"""Helpers the command line shares between its commands: usage errors, colour, configuration
loading, rule discovery with plugins and folders, writing reports.

Kept apart from `main.py` so that the click declarations read as the user-facing surface and
this module as the plumbing behind it. Heavy imports stay inside the functions (start-up time).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # pragma: no cover
    from sls_lint.state.config import Config

SEVERITY_CHOICES = ("error", "warning", "note")


class UsageError(click.UsageError):
    """Exit 2 with a message (click's own usage errors also exit 2)."""


def use_color(choice: str, stream: Any) -> bool:
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


def parse_vars(pairs: tuple[str, ...]) -> dict[str, str]:
    variables = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--var expects NAME=VALUE, got '{pair}'")
        variables[name.strip()] = value
    return variables


def split_values(values: tuple[str, ...] | list[str]) -> list[str]:
    """Repeatable options also take comma-separated lists (`--select SLS1,SLS2`)."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def severity_map(overrides: dict[str, str], rules: list[Any], origin: str) -> dict[str, str]:
    """Per-rule severity overrides keyed by id, prefix or name -> rule id -> severity.

    The most specific key wins (a name or exact id beats a prefix), as in selection.
    """
    from sls_lint.model.rule import id_prefix_matches

    resolved: dict[str, tuple[int, str]] = {}
    for key, severity in overrides.items():
        matched = False
        upper = key.strip().upper()
        for rule in rules:
            rule_id = rule.id.upper()
            if key == rule.name or upper == rule_id:
                weight = 100
            elif id_prefix_matches(upper, rule_id):
                weight = len(upper)
            else:
                continue
            matched = True
            if weight >= resolved.get(rule.id, (-1, ""))[0]:
                resolved[rule.id] = (weight, severity)
        if not matched:
            raise UsageError(f"{origin}: severity override '{key}' matches no rule")
    return {rule_id: severity for rule_id, (_, severity) in resolved.items()}


def load_config(paths: list[Path], config_file: Path | None, isolated: bool) -> Config:
    from sls_lint.state.config import Config, ConfigError, discover, load_file

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

    from sls_lint.model.rule import iter_rule_classes

    found = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - any import failure is a config error
            raise UsageError(f"{origin}: plugin '{name}' cannot be imported: {error}") from None
        listed = getattr(module, "RULES", None)
        found.extend(iter_rule_classes(listed if listed is not None else vars(module).values()))
    return found


def available_rules(
    config: Config, extra_folders: tuple[Path, ...] = (), extra_policies: tuple[Path, ...] = ()
) -> list[Any]:
    """Built-in rules, plugins, rule folders, then policies (whose ids must not clash)."""
    from sls_lint.run.registry import RuleLoadError, load_policy_rules, load_rules

    for key, folders in (("rule", config.rule_folders), ("policy", config.policy_folders)):
        for folder in folders:
            if not folder.exists():
                raise UsageError(
                    f"{config.path}: '{key}-folders': {key} folder not found: {folder}"
                )
    try:
        rules = load_rules([*config.rule_folders, *extra_folders])
    except RuleLoadError as error:
        raise UsageError(str(error)) from None
    known = {rule.id for rule in rules}
    for rule in _plugin_rules(config.plugins, f"{config.path}: 'plugins'"):
        if rule.id not in known:
            rules.append(rule)
            known.add(rule.id)
    try:
        rules.extend(load_policy_rules([*config.policy_folders, *extra_policies], rules))
    except RuleLoadError as error:
        raise UsageError(str(error)) from None
    return sorted(rules, key=lambda r: r.id)


def excluded(path: Path, patterns: list[str]) -> bool:
    """`--force-exclude`: does an exclude glob match this named file or one of its parents?"""
    import fnmatch

    from sls_lint.sources.files import display_path

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


def write_report(target: Path | None, text: str, color: bool = False) -> None:
    """Write a report to stdout (`None` or '-') or, atomically, to a file (cli/output.py)."""
    from sls_lint.cli.output import OutputError, write_atomic, write_stdout

    if target is None or str(target) == "-":
        write_stdout(text, color=color)
        return
    try:
        write_atomic(target, text)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
