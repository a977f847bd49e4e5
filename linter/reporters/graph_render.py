"""The picture of an application (`sls_lint.model.view`) as DOT, Mermaid or JSON.

One drawing for every output: the same nodes, the same lines of text, the same marks and
colours, whatever the format, so a reviewer who reads the Mermaid diagram in a pull request and
the SVG in the HTML report sees one application. The JSON is the documented, versioned shape
(docs/graph.md); DOT and Mermaid are drawn from exactly the data it holds.

Colours: each node is filled by its worst finding (error red, warning amber, note blue);
public entry points get a thick red border, admin-like roles a double red border, and both
say so in words too (`[public]`, `[admin]`), for readers without colour.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sls_lint.model.view import View, ViewNode

SCHEMA_VERSION = 1
FILL = {"error": "#f9d0cc", "warning": "#fde7b0", "note": "#d4e6f9", None: "#ffffff"}
STROKE = {"error": "#b3261e", "warning": "#9a6700", "note": "#0b5cad", None: "#57606a"}
MARK_TEXT = {"public": "[public]", "admin": "[admin]", "internet": "[internet]"}
_SHAPES = {"internet": "ellipse", "api": "box", "function": "box"}


def label_lines(node: ViewNode) -> list[str]:
    """The text of a node after its title, as every format shows it."""
    lines = list(node.lines)
    marks = [MARK_TEXT[m] for m in node.marks if m in MARK_TEXT]
    if marks:
        lines.insert(0, " ".join(marks))
    if node.findings:
        lines.append(" ".join(node.findings))
    return lines


def dom_id(unit_index: int, node_index: int) -> str:
    """A node's id in DOT, Mermaid and the HTML report's SVG (plain ASCII, unit-unique)."""
    return f"u{unit_index}n{node_index}"


def document(views: Sequence[View], version: str = "", detail: str = "condensed") -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "detail": detail,
        "tool": {"name": "sls-lint", "version": version},
        "graphs": [view.as_dict() for view in views],
    }


def to_json(views: Sequence[View], version: str = "", detail: str = "condensed") -> str:
    return json.dumps(document(views, version, detail), indent=2, ensure_ascii=False) + "\n"


# -- DOT ----------------------------------------------------------------------------------
def _html(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", " ")
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _dot_label(node: ViewNode) -> str:
    """An HTML-like label: a bold title, then one line per detail (real line breaks)."""
    parts = [f"<B>{_html(node.title)}</B>"]
    for line in node.lines:
        parts.append(f'<FONT POINT-SIZE="10">{_html(line)}</FONT>')
    marks = [MARK_TEXT[m] for m in node.marks if m in MARK_TEXT]
    if marks:
        parts.insert(1, f'<FONT POINT-SIZE="10" COLOR="#b3261e">{_html(" ".join(marks))}</FONT>')
    if node.findings:
        color = STROKE[node.severity]
        text = _html(" ".join(node.findings))
        parts.append(f'<FONT POINT-SIZE="10" COLOR="{color}"><B>{text}</B></FONT>')
    return "<" + "<BR/>".join(parts) + ">"


def _dot_node(node: ViewNode, node_id: str, link: bool) -> str:
    attrs = {
        "id": _quote(node_id),
        "label": _dot_label(node),
        "shape": _SHAPES.get(node.kind, "box"),
        "style": '"rounded,filled"' if node.kind != "internet" else "filled",
        "fillcolor": _quote(FILL[node.severity]),
        "color": _quote(STROKE[node.severity]),
        "class": _quote(
            " ".join(["node-" + node.kind, f"sev-{node.severity or 'none'}"] + node.marks)
        ),
        "tooltip": _quote(", ".join(node.members) or node.title),
    }
    if "public" in node.marks or "admin" in node.marks:
        attrs["color"] = _quote("#b3261e")
        attrs["penwidth"] = "2.5"
    if "admin" in node.marks:
        attrs["peripheries"] = "2"
    if link:
        attrs["URL"] = _quote(f"#node-{node_id}")
        attrs["target"] = _quote("_self")
    body = ", ".join(f"{key}={value}" for key, value in attrs.items())
    return f"{_quote(node_id)} [{body}];"


def to_dot(views: Sequence[View], links: bool = False, first_unit: int = 0) -> str:
    """DOT for Graphviz: one cluster per unit, one rank per column (left to right).

    `first_unit` numbers the units' node ids from there (the HTML report draws each unit on its
    own and needs ids unique in the page); `links` makes each node a link to `#node-<id>`.
    """
    out = [
        "digraph sls_lint {",
        "  rankdir=LR;",
        "  newrank=true;",
        "  nodesep=0.25;",
        "  ranksep=0.6;",
        '  node [fontname="Helvetica", fontsize=12, margin="0.15,0.06"];',
        '  edge [color="#57606a", arrowsize=0.7];',
    ]
    for unit_index, view in enumerate(views, start=first_unit):
        ids = {node.id: dom_id(unit_index, i) for i, node in enumerate(view.nodes)}
        out.append(f"  subgraph cluster_{unit_index} {{")
        out.append(f"    label={_quote(view.unit)};")
        out.append('    fontname="Helvetica"; color="#d0d7de"; style=rounded;')
        columns: dict[int, list[str]] = {}
        for node in view.nodes:
            out.append("    " + _dot_node(node, ids[node.id], links))
            columns.setdefault(node.column, []).append(ids[node.id])
        for column in sorted(columns):
            members = "; ".join(_quote(i) for i in columns[column])
            out.append(f"    {{ rank=same; {members}; }}")
        out.append("  }")
        for edge in view.edges:
            if edge.source in ids and edge.target in ids:
                out.append(
                    f"  {_quote(ids[edge.source])} -> {_quote(ids[edge.target])} "
                    f"[class={_quote('edge-' + edge.kind.replace(' ', '-'))}];"
                )
    out.append("}")
    return "\n".join(out) + "\n"


# -- Mermaid ------------------------------------------------------------------------------
def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label, shown as written.

    HTML entities, not Mermaid's `#code;` ones: labels are HTML, and Mermaid 11 leaves its own
    numeric codes mangled in them. `#` becomes `&num;` so that text like `#91;` stays text.
    """
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("#", "&num;")
    )


def _mermaid_label(node: ViewNode) -> str:
    lines = [f"<b>{_mermaid_text(node.title)}</b>"]
    lines += [_mermaid_text(line) for line in label_lines(node)]
    return "<br/>".join(lines)


def to_mermaid(views: Sequence[View]) -> str:
    """A Mermaid flowchart (renders in GitHub markdown inside a ```mermaid block)."""
    out = ["flowchart LR"]
    for severity, fill in FILL.items():
        name = severity or "clean"
        out.append(f"  classDef {name} fill:{fill},stroke:{STROKE[severity]},color:#1f2328")
    for unit_index, view in enumerate(views):
        ids = {node.id: dom_id(unit_index, i) for i, node in enumerate(view.nodes)}
        out.append(f'  subgraph s{unit_index}["{_mermaid_text(view.unit)}"]')
        out.append("    direction LR")
        for node in view.nodes:
            opening, closing = ('(("', '"))') if node.kind == "internet" else ('["', '"]')
            label = _mermaid_label(node)
            style = node.severity or "clean"
            out.append(f"    {ids[node.id]}{opening}{label}{closing}:::{style}")
        out.append("  end")
        for edge in view.edges:
            if edge.source in ids and edge.target in ids:
                out.append(f"  {ids[edge.source]} --> {ids[edge.target]}")
        for node in view.nodes:
            if "public" in node.marks or "admin" in node.marks:
                dash = ",stroke-dasharray:6 3" if "admin" in node.marks else ""
                out.append(f"  style {ids[node.id]} stroke:#b3261e,stroke-width:3px{dash}")
    return "\n".join(out) + "\n"


def render(views: Sequence[View], fmt: str, version: str = "", detail: str = "condensed") -> str:
    if fmt == "json":
        return to_json(views, version, detail)
    if fmt == "mermaid":
        return to_mermaid(views)
    if fmt == "dot":
        return to_dot(views)
    raise KeyError(fmt)


def summary(views: Sequence[View]) -> dict[str, Any]:
    """Counts for people (`sls-lint graph` prints them on stderr)."""
    return {
        "units": len(views),
        "nodes": sum(len(v.nodes) for v in views),
        "edges": sum(len(v.edges) for v in views),
    }
