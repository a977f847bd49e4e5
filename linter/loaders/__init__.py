"""Format loaders: each turns a `Unit` of files into the common resource graph.

A loader module is imported only when a file of its format is seen (`LOADERS` names modules,
not objects), so a run over CloudFormation templates never pays for python-hcl2.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sls_lint.model.graph import Location, ResourceGraph
from sls_lint.sources.files import Unit
from sls_lint.sources.located import Mark
from sls_lint.sources.yaml_source import YamlLimits

LOADERS = {
    "cloudformation": "sls_lint.loaders.cloudformation.loader",
    "sam": "sls_lint.loaders.sam.loader",
    "serverless": "sls_lint.loaders.serverless.loader",
    "terraform": "sls_lint.loaders.terraform.loader",
    "tfplan": "sls_lint.loaders.terraform.plan",
}


@dataclass(frozen=True)
class ParseProblem:
    """A file (or part of one) that could not be read: becomes an SLS000 finding."""

    file: str
    message: str
    line: int = 1
    column: int = 1

    @property
    def location(self) -> Location:
        return Location(self.file, Mark(self.line, self.column, self.line, self.column + 1))


@dataclass
class LoadContext:
    """What loaders may be told from the command line and configuration."""

    stage: str | None = None
    region: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    var_files: tuple[Path, ...] = ()
    resolve_env: bool = False
    project_root: Path | None = None
    yaml_limits: YamlLimits = field(default_factory=YamlLimits)
    cache_dir: Path | None = None


@dataclass
class LoadResult:
    """A unit's graph, the problems met while loading, and the texts read (for suppressions)."""

    graph: ResourceGraph = field(default_factory=ResourceGraph)
    problems: list[ParseProblem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    # Resource-level suppressions from template metadata: address -> [(rule id, reason)].
    metadata_suppressions: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # Files linted with the unit that are not among its own (a Terraform root's local modules).
    linted_with: list[str] = field(default_factory=list)


def load_unit(unit: Unit, context: LoadContext) -> LoadResult:
    """Load a unit with its format's loader; unreadable files become problems."""
    result = LoadResult()
    readable = []
    for source in unit.files:
        if source.problem is not None:
            result.problems.append(
                ParseProblem(
                    source.display, source.problem, source.problem_line, source.problem_column
                )
            )
        else:
            readable.append(source)
    if not readable:
        return result
    module_name = LOADERS.get(unit.format)
    if module_name is None:
        return result
    unit = Unit(unit.format, unit.directory, readable)
    module = importlib.import_module(module_name)
    module.load(unit, context, result)
    return result
