"""Read policy files and folders into rule classes.

A folder holds `*.yaml`, `*.yml` and `*.json` files (searched recursively, in sorted order, so
the catalogue is deterministic); each file holds one policy, a list of policies, or a mapping
with a `policies:` list. Anything wrong is a `PolicyError` naming the file and line: a broken
policy stops the run (exit 2) rather than silently not checking what it should.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sls_lint.policies import cache
from sls_lint.policies.compiler import Compiler, PolicyError
from sls_lint.policies.policy_rule import PolicyRule, build_rule_class
from sls_lint.sources.yaml_source import SourceError, load_yaml

SUFFIXES = (".yaml", ".yml", ".json")
MAX_POLICY_FILE_BYTES = 1_000_000


def policy_files(path: Path) -> list[Path]:
    """The policy files of a folder (recursively), or the file itself."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise PolicyError(f"policy folder not found: {path}")
    return sorted(
        p
        for p in path.rglob("*")
        if p.suffix.lower() in SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )


def read_policy_file(path: Path) -> list[type[PolicyRule]]:
    """The policies of one file, compiled."""
    label = str(path)
    try:
        if path.stat().st_size > MAX_POLICY_FILE_BYTES:
            raise PolicyError(f"{label}: larger than {MAX_POLICY_FILE_BYTES:,} bytes")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PolicyError(f"{label}: not UTF-8 text") from None
    except OSError as error:
        raise PolicyError(f"{label}: cannot read: {error.strerror or error}") from None
    return compile_policies(text, label, cached=True)


def compile_policies(text: str, label: str, cached: bool = False) -> list[type[PolicyRule]]:
    """Compile the policies in `text` (`label` names it in errors).

    With `cached`, a text that compiled before is compiled again from its cached plain
    document (see `cache.py`), and a text that compiles now is stored.
    """
    if cached:
        entry = cache.get(text)
        if entry is not None:
            with contextlib.suppress(PolicyError, TypeError, KeyError, IndexError, ValueError):
                return _from_entry(entry, label)
    try:
        document: Any = load_yaml(text)
    except SourceError as error:
        raise PolicyError(f"{label}:{error.line}:{error.column}: {error.message}") from None
    compiler = Compiler(label)
    attributes = [compiler.policy(spec) for spec in compiler.policies(document)]
    if cached:
        lines = [
            [a["policy_line"], *(example[4] for example in a["policy_examples"])]
            for a in attributes
        ]
        cache.put(text, document, lines)
    return [build_rule_class(a) for a in attributes]


def _from_entry(entry: dict[str, Any], label: str) -> list[type[PolicyRule]]:
    """Rule classes from a cache entry, with the lines the located parse found."""
    compiler = Compiler(label)
    classes = []
    specs = compiler.policies(entry["document"])
    if len(specs) != len(entry["lines"]):
        raise ValueError("stale entry")
    for spec, lines in zip(specs, entry["lines"], strict=True):
        attributes = compiler.policy(spec)
        examples = attributes["policy_examples"]
        if len(lines) != len(examples) + 1:
            raise ValueError("stale entry")
        attributes["policy_line"] = int(lines[0])
        attributes["policy_examples"] = tuple(
            (*example[:4], int(line)) for example, line in zip(examples, lines[1:], strict=True)
        )
        classes.append(build_rule_class(attributes))
    return classes


def _owner(rule: Any) -> str:
    kind = "built-in rule" if rule.__module__.startswith("sls_lint.rules") else "rule"
    return f"{kind} {rule.id} {rule.name}"


def load_policies(paths: Iterable[Path], existing: Iterable[Any] = ()) -> list[type[PolicyRule]]:
    """Every policy under `paths`; an id or name of an `existing` rule (built-in, plugin, rule
    folder) or of another policy is an error naming both places."""
    rules = list(existing)
    owners: dict[str, str] = {rule.id: _owner(rule) for rule in rules}
    names: dict[str, str] = {rule.name: _owner(rule) for rule in rules}
    found: list[type[PolicyRule]] = []
    for root in paths:
        for file in policy_files(Path(root)):
            for cls in read_policy_file(file):
                where = f"{cls.policy_file}:{cls.policy_line}"
                if cls.id in owners:
                    raise PolicyError(
                        f"{where}: 'id': {cls.id} is already used by {owners[cls.id]}; give the "
                        "policy an id of its own, such as ORG001"
                    )
                if cls.id.startswith("SLS"):
                    raise PolicyError(
                        f"{where}: 'id': {cls.id} uses the SLS prefix, which is reserved for "
                        "sls-lint's built-in rules; use your own, such as ORG001"
                    )
                if cls.name in names:
                    raise PolicyError(
                        f"{where}: 'name': {cls.name} is already used by {names[cls.name]}"
                    )
                owners[cls.id] = f"policy {cls.name} ({where})"
                names[cls.name] = f"{cls.id} ({where})"
                found.append(cls)
    return found
