"""`sls-lint graph`: the resource graph as DOT or node-link JSON, so people can see it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sls_lint.loaders import ParseProblem, load_unit
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import collect_units


@dataclass
class ExportLog:
    """What an export met besides the graph: files it could not read, nodes it found."""

    problems: list[ParseProblem] = field(default_factory=list)
    nodes: int = 0


def _graphs(paths: Iterable[Path], log: ExportLog | None = None):
    """Each unit's graph; what could not be read is added to `log` (shown by the CLI)."""
    options = LintOptions()
    for unit in collect_units(paths, options):
        result = load_unit(unit, options.context)
        if log is not None:
            log.problems.extend(result.problems)
            log.nodes += len(result.graph)
        yield unit, result.graph


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def export(paths: Iterable[Path], fmt: str, log: ExportLog | None = None) -> str:
    """All units' graphs; node ids are `unit-key#address` so units never collide.

    Files that cannot be parsed are recorded in `log`: a graph missing them must not
    look complete.
    """
    if fmt == "json":
        document = {"directed": True, "multigraph": True, "nodes": [], "links": []}
        for unit, graph in _graphs(paths, log):
            prefix = unit.key + "#"
            for node in graph.nodes():
                document["nodes"].append(
                    {
                        "id": prefix + node.address,
                        "kind": node.kind,
                        "type": node.resource_type,
                        "format": node.format,
                        "file": node.location.file,
                        "line": node.location.line,
                    }
                )
            for source, edge, target in graph.edges():
                document["links"].append(
                    {
                        "source": prefix + source.address,
                        "target": prefix + target.address,
                        "kind": edge,
                    }
                )
        return json.dumps(document, indent=2) + "\n"
    lines = ["digraph sls_lint {", "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];"]
    for index, (unit, graph) in enumerate(_graphs(paths, log)):
        prefix = unit.key + "#"
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={_quote(unit.key)};")
        for node in graph.nodes():
            label = f"{node.kind}\\n{node.address}"
            lines.append(f"    {_quote(prefix + node.address)} [label={_quote(label)}];")
        lines.append("  }")
        for source, edge, target in graph.edges():
            lines.append(
                f"  {_quote(prefix + source.address)} -> "
                f"{_quote(prefix + target.address)} [label={_quote(edge)}];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"
