"""The picture of an application as SVG, for the HTML report: Graphviz when it is installed,
else a built-in layered layout.

Why a built-in layout at all: the report must work on any machine (a CI runner without
Graphviz), and the condensed picture needs no general graph layout: every node already has a
column (API -> entry -> function -> reach -> internet), so stacking each column and ordering
it by the average position of its neighbours (one barycentre sweep each way) gives a readable
drawing in linear time. Graphviz, when present, routes edges better; both produce nodes with
the same ids and links (`#node-<id>`), so the report's script treats them alike.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from html import escape

from sls_lint.model.view import View, ViewNode
from sls_lint.reporters.graph_render import FILL, MARK_TEXT, STROKE, dom_id, label_lines, to_dot

DOT_TIMEOUT = 30  # seconds; a huge picture falls back to the built-in layout
CHAR_WIDTH, LINE_HEIGHT, PAD = 6.6, 15, 8
COLUMN_GAP, ROW_GAP, UNIT_GAP = 70, 14, 36
MAX_CHARS = 60


#: Units drawn by Graphviz at most (one `dot` process each); the rest use the built-in layout.
MAX_GRAPHVIZ_UNITS = 40


def render_svgs(views: Sequence[View], use_graphviz: bool = True) -> list[tuple[str, str]]:
    """One (svg markup, engine) per view; engine is "graphviz" or "built-in".

    Each unit is its own drawing, so that a small service is not shrunk to fit the width of
    the largest one; node ids stay unique in the page (`dom_id(unit index, node index)`).
    """
    graphviz = use_graphviz and shutil.which("dot") is not None
    drawn = []
    for index, view in enumerate(views):
        svg = _graphviz(view, index) if graphviz and index < MAX_GRAPHVIZ_UNITS else None
        if svg is None:
            drawn.append((layered_svg([view], index), "built-in"))
        else:
            drawn.append((svg, "graphviz"))
    return drawn


def _graphviz(view: View, index: int) -> str | None:
    try:
        done = subprocess.run(
            ["dot", "-Tsvg"],
            input=to_dot([view], links=True, first_unit=index),
            capture_output=True,
            text=True,
            timeout=DOT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or "<svg" not in done.stdout:
        return None
    svg = done.stdout[done.stdout.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    # Fixed pt sizes would overflow the page: let CSS scale the drawing to its box.
    return re.sub(
        r'<svg width="([^"]*)" height="[^"]*"',
        r'<svg class="graph-svg" style="max-width:\1"',
        svg,
        count=1,
    )


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def _size(node: ViewNode) -> tuple[float, float]:
    lines = [node.title, *label_lines(node)]
    width = max(len(_clip(line)) for line in lines) * CHAR_WIDTH + 2 * PAD
    return max(width, 90.0), len(lines) * LINE_HEIGHT + 2 * PAD - 4


def _ordered_columns(view: View) -> list[list[ViewNode]]:
    """Nodes per column, ordered to keep edges short (barycentre sweeps, stable)."""
    columns: dict[int, list[ViewNode]] = {}
    for node in view.nodes:
        columns.setdefault(node.column, []).append(node)
    keys = sorted(columns)
    ordered = [columns[k] for k in keys]
    neighbours: dict[str, list[str]] = {}
    for edge in view.edges:
        neighbours.setdefault(edge.source, []).append(edge.target)
        neighbours.setdefault(edge.target, []).append(edge.source)
    for sweep in (range(1, len(ordered)), range(len(ordered) - 2, -1, -1)):
        for index in sweep:
            rank = {n.id: i for column in ordered for i, n in enumerate(column)}

            def centre(node: ViewNode, rank: dict[str, int] = rank) -> float:
                near = [rank[n] for n in neighbours.get(node.id, ()) if n in rank]
                return sum(near) / len(near) if near else rank[node.id]

            ordered[index] = sorted(ordered[index], key=centre)
    return ordered


def layered_svg(views: Sequence[View], first_unit: int = 0) -> str:
    """The built-in layout: one band per unit, columns left to right, Bézier edges."""
    parts: list[str] = []
    y0 = 0.0
    total_width = 0.0
    arrow = f"arrow-{first_unit}"
    for unit_index, view in enumerate(views, start=first_unit):
        ids = {node.id: dom_id(unit_index, i) for i, node in enumerate(view.nodes)}
        columns = _ordered_columns(view)
        sizes = {node.id: _size(node) for node in view.nodes}
        boxes: dict[str, tuple[float, float, float, float]] = {}
        x = 10.0
        heights = []
        for column in columns:
            width = max(sizes[n.id][0] for n in column)
            y = y0 + 28
            for node in column:
                w, h = sizes[node.id]
                boxes[node.id] = (x + (width - w) / 2, y, w, h)
                y += h + ROW_GAP
            heights.append(y)
            x += width + COLUMN_GAP
        bottom = max(heights, default=y0 + 28)
        total_width = max(total_width, x)
        parts.append(
            f'<g class="cluster"><text class="unit-title" x="10" y="{y0 + 16:.0f}">'
            f"{escape(view.unit)}</text></g>"
        )
        for edge in view.edges:
            if edge.source not in boxes or edge.target not in boxes:
                continue
            sx, sy, sw, sh = boxes[edge.source]
            tx, ty, tw, th = boxes[edge.target]
            x1, y1, x2, y2 = sx + sw, sy + sh / 2, tx, ty + th / 2
            bend = max(30.0, (x2 - x1) / 2)
            parts.append(
                f'<path class="edge edge-{escape(edge.kind.replace(" ", "-"))}" '
                f'd="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} '
                f'{x2 - 6:.1f},{y2:.1f}" marker-end="url(#{arrow})"/>'
            )
        for node in view.nodes:
            parts.append(_node_svg(node, ids[node.id], boxes[node.id]))
        y0 = bottom + UNIT_GAP
    height = max(y0 - UNIT_GAP + 10, 40.0)
    return (
        f'<svg class="graph-svg" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {total_width:.0f} {height:.0f}" style="max-width:{total_width:.0f}px" '
        'role="img" '
        f'aria-label="The application: entry points, functions and what they reach">'
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'class="arrow-head"/></marker></defs>' + "".join(parts) + "</svg>"
    )


def _node_svg(node: ViewNode, node_id: str, box: tuple[float, float, float, float]) -> str:
    x, y, w, h = box
    classes = " ".join(["node", "node-" + node.kind, f"sev-{node.severity or 'none'}", *node.marks])
    fill, stroke = FILL[node.severity], STROKE[node.severity]
    width = 1.2
    if "public" in node.marks or "admin" in node.marks:
        stroke, width = "#b3261e", 2.5
    radius = h / 2 if node.kind == "internet" else 6
    shape = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{radius:.1f}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>'
    )
    if "admin" in node.marks:
        shape += (
            f'<rect class="inner" x="{x + 3:.1f}" y="{y + 3:.1f}" width="{w - 6:.1f}" '
            f'height="{h - 6:.1f}" rx="4" fill="none" stroke="{stroke}" stroke-width="1"/>'
        )
    texts = [
        f'<text x="{x + w / 2:.1f}" y="{y + PAD + 11:.1f}" class="title">'
        f"{escape(_clip(node.title))}</text>"
    ]
    marks = " ".join(MARK_TEXT[m] for m in node.marks if m in MARK_TEXT)
    rows = ([("mark", marks)] if marks else []) + [("line", line) for line in node.lines]
    if node.findings:
        rows.append(("ids", " ".join(node.findings)))
    for index, (css, line) in enumerate(rows, start=1):
        texts.append(
            f'<text x="{x + w / 2:.1f}" y="{y + PAD + 11 + index * LINE_HEIGHT:.1f}" '
            f'class="{css}">{escape(_clip(line))}</text>'
        )
    tooltip = escape(", ".join(node.members) or node.title)
    return (
        f'<a href="#node-{node_id}" target="_self"><g id="{node_id}" class="{classes}">'
        f"<title>{tooltip}</title>{shape}{''.join(texts)}</g></a>"
    )
