"""The picture of an application: boxes, arrows and the findings on them, as plain data.

`sls-lint graph` (DOT, Mermaid, JSON) and the HTML report draw the same picture, so it lives
here, below both. `sls_lint.model.condense` builds the default, condensed picture from a
unit's graph; `full_view` keeps every graph node (`--detail full`). Columns run left to right:

    0 APIs -> 1 entry points -> 2 functions -> 3 what a function reaches -> 4 the internet

Every graph node belongs to exactly one box (`members`), so `annotate` can put each finding
on the box holding its resource, colour the box by its worst finding and list the rule ids.
Annotation is separate from drawing because findings are only final after suppressions and
the baseline, long after the graph was drawn (in a worker process). Everything here is plain,
picklable, JSON-ready data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sls_lint.model.findings import SEVERITY_RANK, Finding
from sls_lint.model.graph import Kind, ResourceGraph

#: Column of each view-node kind, left to right.
COLUMNS = {
    "api": 0,
    "route": 1,
    "function_url": 1,
    "permission": 1,
    "event_source": 1,
    "load_balancer": 1,
    "function": 2,
    "role": 3,
    "security_group": 3,
    "log_group": 3,
    "kms_key": 3,
    "internet": 4,
}
#: `--detail full`: every graph kind in a column, statements last.
FULL_COLUMNS = {
    Kind.API: 0,
    Kind.DOMAIN: 0,
    Kind.WAF_ACL: 0,
    Kind.USAGE_PLAN: 0,
    Kind.STAGE: 1,
    Kind.ROUTE: 1,
    Kind.AUTHORIZER: 1,
    Kind.FUNCTION_URL: 1,
    Kind.PERMISSION: 1,
    Kind.EVENT_SOURCE: 1,
    Kind.LOAD_BALANCER: 1,
    Kind.FUNCTION: 2,
    Kind.ROLE: 3,
    Kind.SECURITY_GROUP: 3,
    Kind.LOG_GROUP: 3,
    Kind.STATEMENT: 4,
}


@dataclass
class ViewNode:
    """One box of the picture; `members` are the graph addresses folded into it."""

    id: str
    kind: str
    title: str
    lines: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # "public", "admin", "internet"
    members: list[str] = field(default_factory=list)
    file: str = ""
    line: int = 0
    findings: list[str] = field(default_factory=list)  # rule ids, sorted, after `annotate`
    severity: str | None = None  # the worst finding's, after `annotate`

    @property
    def column(self) -> int:
        return COLUMNS.get(self.kind, FULL_COLUMNS.get(self.kind, 3))


@dataclass
class ViewEdge:
    source: str
    target: str
    kind: str


@dataclass
class View:
    """The picture of one unit (a template, a service, a Terraform module)."""

    unit: str
    format: str
    detail: str
    files: list[str] = field(default_factory=list)
    nodes: list[ViewNode] = field(default_factory=list)
    edges: list[ViewEdge] = field(default_factory=list)

    def node(self, node_id: str) -> ViewNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON shape of one graph (docs/graph.md, "JSON export")."""
        return {
            "unit": self.unit,
            "format": self.format,
            "files": list(self.files),
            "nodes": [
                {
                    "id": n.id,
                    "kind": n.kind,
                    "column": n.column,
                    "title": n.title,
                    "lines": list(n.lines),
                    "marks": list(n.marks),
                    "members": list(n.members),
                    "file": n.file,
                    "line": n.line,
                    "findings": list(n.findings),
                    "severity": n.severity,
                }
                for n in self.nodes
            ],
            "edges": [{"source": e.source, "target": e.target, "kind": e.kind} for e in self.edges],
        }


# C0/C1 controls, line separators and bidi overrides (as the engine escapes in messages).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with unprintable characters escaped: a name holding a newline or a bidi override
    must not forge a line of a label or reorder what a reviewer reads."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


# -- the full view ------------------------------------------------------------------------
def full_view(
    graph: ResourceGraph, unit: str = "", fmt: str = "", files: Iterable[str] = ()
) -> View:
    """Every graph node and edge as it is (`--detail full`), in the view's shape."""
    view = View(unit, fmt, "full", list(files))
    for node in graph.nodes():
        item = ViewNode(f"{node.kind}:{node.address}", node.kind, node.address, [node.kind])
        item.members = [node.address]
        item.file, item.line = node.location.file, node.location.line
        view.nodes.append(item)
    for source, edge, target in graph.edges():
        view.edges.append(
            ViewEdge(f"{source.kind}:{source.address}", f"{target.kind}:{target.address}", edge)
        )
    for node in view.nodes:
        node.title = printable(node.title)
    return view


# -- findings on the picture --------------------------------------------------------------
def annotate(view: View, findings: Iterable[Finding]) -> None:
    """Put each finding of this unit's files on the node holding its resource."""
    owner = {member: node for node in view.nodes for member in node.members}
    files = set(view.files)
    on: dict[str, set[str]] = {}
    for finding in findings:
        if files and finding.location.file not in files:
            continue
        node = owner.get(finding.resource)
        if node is None:
            continue
        on.setdefault(node.id, set()).add(finding.rule_id)
        rank = SEVERITY_RANK.get(finding.severity, 0)
        if rank > SEVERITY_RANK.get(node.severity or "", 0):
            node.severity = finding.severity
    for node in view.nodes:
        node.findings = sorted(on.get(node.id, ()))
