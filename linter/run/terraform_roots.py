"""Terraform modules are linted in the context of their callers.

A directory that another Terraform directory of the scan calls (`module "x" { source =
"../modules/x" }`) is a child module: its variables get their values from the caller, and
linting it again on its own, with defaults or unknowns, reports findings that contradict the
real instantiation. Such a directory is therefore not a unit of its own: the loader follows
the call from each root and lints the module with the root's arguments. A directory nobody in
the scan calls (a module repository, an example, a file named on the command line alone) stays
a unit and is linted with its defaults. If calls only go round in a circle, nobody is a root and
every directory of the circle is linted alone.

Only local sources (`./`, `../`) are read here, textually, before any parsing: the `source` of a
module call is a literal string in practice, and a missed call only means a module is also
linted alone, as before.
"""

from __future__ import annotations

import json
import os
import re

from sls_lint.sources.files import Unit

_MODULE_HEADER = re.compile(r'^[ \t]*module[ \t]+"[^"\n]*"[ \t]*\{', re.M)
_SOURCE = re.compile(r'^[ \t]*source[ \t]*=[ \t]*"(\.{1,2}(?:/[^"\n]*)?)"', re.M)
_NEXT_BLOCK = re.compile(r"^[ \t]*[A-Za-z_][\w-]*[ \t]+\"", re.M)


def local_module_sources(text: str, json_file: bool) -> list[str]:
    """The local `source` paths of the module calls in one `.tf` / `.tf.json` text."""
    if json_file:
        return _json_sources(text)
    if "module" not in text:
        return []
    found: list[str] = []
    for header in _MODULE_HEADER.finditer(text):
        start = header.end()
        following = _NEXT_BLOCK.search(text, start)
        end = following.start() if following else len(text)
        source = _SOURCE.search(text, start, end)
        if source is not None:
            found.append(source.group(1))
    return found


def _json_sources(text: str) -> list[str]:
    if '"module"' not in text:
        return []
    try:
        document = json.loads(text)
    except ValueError:
        return []
    modules = document.get("module") if isinstance(document, dict) else None
    calls = modules if isinstance(modules, dict) else {}
    found = []
    for config in calls.values():
        for item in config if isinstance(config, list) else [config]:
            source = item.get("source") if isinstance(item, dict) else None
            if isinstance(source, str) and source.startswith(("./", "../", ".")):
                found.append(source)
    return found


def drop_called_modules(units: list[Unit]) -> list[Unit]:
    """`units` without the Terraform directories that a root of the scan calls."""
    directories = {
        os.path.realpath(u.directory): u for u in units if u.format == "terraform"
    }
    if len(directories) < 2:
        return units
    calls: dict[str, set[str]] = {}
    for directory, unit in directories.items():
        targets: set[str] = set()
        for source in unit.files:
            if source.format != "terraform" or not source.text:
                continue
            for path in local_module_sources(source.text, source.path.name.endswith(".json")):
                target = os.path.realpath(os.path.join(directory, path))
                if target != directory and target in directories:
                    targets.add(target)
        if targets:
            calls[directory] = targets
    if not calls:
        return units
    called = set().union(*calls.values())
    roots = [d for d in directories if d not in called]
    reached: set[str] = set()
    pending = list(roots)
    while pending:
        current = pending.pop()
        for target in calls.get(current, ()):
            if target not in reached:
                reached.add(target)
                pending.append(target)
    children = reached - set(roots)
    return [
        u
        for u in units
        if u.format != "terraform" or os.path.realpath(u.directory) not in children
    ]


__all__ = ["drop_called_modules", "local_module_sources"]
