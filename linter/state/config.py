"""Project configuration: `.sls-lint.toml`, `.sls-lint.yaml` or `[tool.sls-lint]` in pyproject.

Why a standalone file as well as pyproject: most serverless repositories are not Python
projects. The file nearest to the scanned paths wins (walking up to the repository root, like
ruff); files are never merged, so what applies is always one file you can open. Paths written in
a configuration are relative to that file, so a config behaves the same from any working
directory. A mistake in a configuration (unknown key, wrong type, unreadable TOML/YAML) is a
`ConfigError` naming the file and the key: the CLI turns it into exit 2 rather than guessing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

CONFIG_NAMES = (
    ".sls-lint.toml",
    "sls-lint.toml",
    ".sls-lint.yaml",
    ".sls-lint.yml",
    "pyproject.toml",
)
SEVERITY_NAMES = ("error", "warning", "note")


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass
class Config:
    """Settings from one configuration file (defaults when there is none).

    `None` means "not set here", so that command-line flags and defaults can be layered.
    """

    path: Path | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    exclude: list[str] | None = None
    extend_exclude: list[str] = field(default_factory=list)
    force_exclude: bool | None = None
    fail_on_empty: bool | None = None
    lint_owners: bool | None = None
    stage: str | None = None
    region: str | None = None
    vars: dict[str, str] = field(default_factory=dict)
    var_files: list[Path] = field(default_factory=list)
    resolve_env: bool | None = None
    rule_folders: list[Path] = field(default_factory=list)
    policy_folders: list[Path] = field(default_factory=list)
    plugins: list[str] = field(default_factory=list)
    max_file_bytes: int | None = None
    max_depth: int | None = None
    max_alias_nodes: int | None = None
    max_nodes: int | None = None
    baseline: Path | None = None
    inline_suppressions: bool | None = None
    report_unused_suppressions: bool | None = None
    include_suppressed: bool | None = None
    format: list[str] | None = None
    show_source: bool | None = None
    jobs: int | None = None
    sarif_category: str | None = None

    @property
    def directory(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def as_dict(self) -> dict[str, Any]:
        """Every setting under its configuration key (for `--show-config`)."""
        out: dict[str, Any] = {}
        for item in fields(self):
            if item.name == "path":
                continue
            value = getattr(self, item.name)
            if isinstance(value, Path):
                value = str(value)
            elif isinstance(value, list):
                value = [str(v) if isinstance(v, Path) else v for v in value]
            out[item.name.replace("_", "-")] = value
        return out


# key -> kind: str, bool, int, strs (a string or a list of them), paths/path (relative to the
# file), table (NAME = scalar), severity (RULE = level), severity-name.
_KEYS: dict[str, str] = {
    "select": "strs",
    "extend-select": "strs",
    "ignore": "strs",
    "extend-ignore": "strs",
    "severity": "severity",
    "fail-on": "severity-name",
    "exclude": "strs",
    "extend-exclude": "strs",
    "force-exclude": "bool",
    "fail-on-empty": "bool",
    "lint-owners": "bool",
    "stage": "str",
    "region": "str",
    "vars": "table",
    "var-files": "paths",
    "resolve-env": "bool",
    "rule-folders": "paths",
    "policy-folders": "paths",
    "plugins": "strs",
    "max-file-bytes": "int",
    "max-depth": "int",
    "max-alias-nodes": "int",
    "max-nodes": "int",
    "baseline": "path",
    "inline-suppressions": "bool",
    "report-unused-suppressions": "bool",
    "include-suppressed": "bool",
    "format": "strs",
    "show-source": "bool",
    "jobs": "int",
    "sarif-category": "str",
}


def _type_error(path: Path, key: str, expected: str, value: Any) -> ConfigError:
    return ConfigError(f"{path}: '{key}' must be {expected}, got {type(value).__name__} {value!r}")


def _convert(path: Path, key: str, kind: str, value: Any) -> Any:
    """Check one value's type and normalise it (paths resolved against the config file)."""
    base = path.parent
    if kind == "str":
        if not isinstance(value, str):
            raise _type_error(path, key, "a string", value)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise _type_error(path, key, "true or false", value)
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _type_error(path, key, "a non-negative integer", value)
        return value
    if kind in ("strs", "paths"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise _type_error(path, key, "a string or a list of strings", value)
        return [base / v for v in items] if kind == "paths" else list(items)
    if kind == "path":
        if not isinstance(value, str):
            raise _type_error(path, key, "a path string", value)
        return base / value
    if kind == "table":
        if not isinstance(value, dict):
            raise _type_error(path, key, "a table of NAME = VALUE", value)
        out = {}
        for name, item in value.items():
            if isinstance(item, (dict, list)) or item is None:
                raise _type_error(path, f"{key}.{name}", "a string, number or boolean", item)
            out[str(name)] = item if isinstance(item, str) else _scalar_text(item)
        return out
    if kind == "severity-name":
        if value not in SEVERITY_NAMES:
            raise ConfigError(f"{path}: '{key}' must be one of {', '.join(SEVERITY_NAMES)}")
        return value
    if kind == "severity":
        if not isinstance(value, dict):
            raise _type_error(path, key, "a table of RULE = SEVERITY", value)
        for name, item in value.items():
            if item not in SEVERITY_NAMES:
                raise ConfigError(
                    f"{path}: '{key}.{name}' must be one of {', '.join(SEVERITY_NAMES)}, "
                    f"got {item!r}"
                )
        return {str(k): v for k, v in value.items()}
    raise AssertionError(kind)  # pragma: no cover


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def from_mapping(data: Any, path: Path) -> Config:
    """Validate a parsed configuration table; keys may use `-` or `_`."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a table/mapping of settings")
    config = Config(path=path)
    for raw_key, value in data.items():
        key = str(raw_key).replace("_", "-")
        kind = _KEYS.get(key)
        if kind is None:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"{path}: unknown key '{raw_key}' (known keys: {known})")
        setattr(config, key.replace("-", "_"), _convert(path, key, kind, value))
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: invalid YAML: {error}".replace("\n", " ")) from None


def _section(path: Path) -> Any | None:
    """The sls-lint settings held by `path`, or None when a pyproject has no section.

    Any TOML file may hold them under `[tool.sls-lint]` (so `--config pyproject.toml` and
    `--config ci.toml` both work); a dedicated file may also hold them at the top level.
    """
    if path.suffix != ".toml":
        return _read_yaml(path)
    data = _read_toml(path)
    tool = data.get("tool")
    if isinstance(tool, dict) and "sls-lint" in tool:
        return tool["sls-lint"]
    if path.name == "pyproject.toml":
        return None
    return data


def load_file(path: Path) -> Config:
    """Load one configuration file named on the command line (`--config FILE`)."""
    path = Path(os.path.abspath(path))
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    section = _section(path)
    if section is None:
        raise ConfigError(f"{path}: no [tool.sls-lint] section")
    return from_mapping(section, path)


def repository_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding `.git` (a directory or a file)."""
    current = Path(os.path.abspath(start))
    if current.is_file() or not current.exists():
        current = current.parent
    for directory in (current, *current.parents):
        if (directory / ".git").exists():
            return directory
    return None


def common_parent(paths: Sequence[Path]) -> Path:
    """The deepest directory containing every path (the working directory when none)."""
    if not paths:
        return Path.cwd()
    absolute = [os.path.abspath(p) for p in paths]
    directories = [p if os.path.isdir(p) else os.path.dirname(p) for p in absolute]
    try:
        return Path(os.path.commonpath(directories))
    except ValueError:  # different drives on Windows
        return Path.cwd()


def find_config_file(start: Path) -> Path | None:
    """The nearest configuration file at or above `start`, stopping at the repository root."""
    stop = repository_root(start)
    current = Path(os.path.abspath(start))
    for directory in (current, *current.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file() and _section(candidate) is not None:
                return candidate
        if stop is not None and directory == stop:
            break
    return None


def discover(paths: Iterable[Path]) -> Config:
    """The configuration that applies to `paths`: nearest to their common parent, or defaults."""
    found = find_config_file(common_parent(list(paths)))
    if found is None:
        return Config()
    return from_mapping(_section(found), found)


def anchored_pattern(pattern: str, config_dir: Path) -> str:
    """A config exclude glob anchored at the config file's directory.

    A pattern without `/` names files or directories at any depth (`generated`, `*.out.yaml`)
    and stays as it is; one with `/` is a path relative to the config file, made absolute so
    that it means the same from any working directory (discovery matches absolute globs
    against absolute paths).
    """
    if "/" not in pattern.rstrip("/"):
        return pattern
    return Path(os.path.normpath(os.path.join(os.path.abspath(config_dir), pattern))).as_posix()
