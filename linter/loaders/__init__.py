"""Format loaders: each turns a `Unit` of files into the common resource graph.

A loader module is imported only when a file of its format is seen (`LOADERS` names modules,
not objects), so a run over CloudFormation templates never pays for python-hcl2.
"""

from __future__ import annotations

import importlib
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sls_lint.model.findings import Finding
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
    """A file (or part of one) that could not be read: an SLS000 finding.

    `internal` marks a bug of sls-lint met while loading (an SLS001 finding): the user's file
    is not broken, and saying so would send them hunting for a mistake they did not make.
    """

    file: str
    message: str
    line: int = 1
    column: int = 1
    internal: bool = False

    @property
    def location(self) -> Location:
        return Location(self.file, Mark(self.line, self.column, self.line, self.column + 1))


def internal_problem(
    file: str, doing: str, error: BaseException, line: int = 1, column: int = 1
) -> ParseProblem:
    """An exception raised inside a loader, as an internal problem naming where it happened."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return ParseProblem(
        file,
        f"internal error while {doing} ({type(error).__name__}: {error}{where}); please report it",
        line,
        column,
        internal=True,
    )


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
    # What the loader tells about the input itself (SLS005 module-unavailable, SLS006
    # duplicate-key): findings of the internal rules, reported with the rules' findings.
    notices: list[Finding] = field(default_factory=list)

    def notice(self, finding: Finding) -> None:
        """Add a notice once (a module called from many instances is reported once)."""
        key = (finding.rule_id, finding.location, finding.property_path)
        if not any((n.rule_id, n.location, n.property_path) == key for n in self.notices):
            self.notices.append(finding)
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
