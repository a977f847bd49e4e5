"""`--format html`: one self-contained page a person opens from a CI artifact.

Everything is inline (styles, the script, the SVG); a Content-Security-Policy forbids any
network request, so the page works offline and leaks nothing. It shows the summary by
severity and family, the application's picture (`model/view`, as SVG: `graph_svg`) whose nodes
link to their findings, the findings grouped by file with their code frames, the documentation
of every rule that fired (fail/pass examples labelled), and the suppressed findings in a
collapsed section with their reasons and expiry.

Large reports stay responsive: findings are split into pages of `PAGE_SIZE` and only the
current page is displayed (the others are `hidden`, so the browser lays out a few hundred
findings, never ten thousand); code frames of the hidden pages cost parsing only.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape
from itertools import groupby
from typing import Any

from sls_lint.model.findings import SEVERITIES, Finding
from sls_lint.model.rule import FAMILIES
from sls_lint.model.view import View, annotate
from sls_lint.reporters import Report
from sls_lint.reporters.catalogue import INTERNAL_RULES
from sls_lint.reporters.graph_render import dom_id
from sls_lint.reporters.html_assets import SCRIPT, STYLE
from sls_lint.reporters.text import FRAME_CONTEXT

PAGE_SIZE = 250
_CODE = re.compile(r"`([^`]+)`")
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def render(report: Report) -> str:
    views: list[View] = sorted(report.extra.get("views", ()), key=lambda v: v.unit)
    for view in views:
        annotate(view, report.active)
    node_of = _node_index(views)
    rules = {rule.id: rule for rule in report.rules}
    rules.update(INTERNAL_RULES)
    active = report.active
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>sls-lint report: {len(active)} finding{'s' if len(active) != 1 else ''}</title>",
        f"<style>{STYLE}</style></head><body>",
        '<header><h1>sls-lint report</h1>',
        f'<p class="meta">sls-lint {escape(report.version)} · {len(report.files)} file'
        f"{'s' if len(report.files) != 1 else ''} · fails on {escape(report.fail_on)} and above"
        "</p></header><main>",
        _summary(report, rules),
    ]
    out.append('<div class="columns">')
    out.append(_graph_section(views, report))
    out.append(_findings_section(active, report, node_of))
    out.append("</div>")
    out.append(_rules_section(report, rules))
    out.append(_suppressed_section(report))
    out.append(f"</main><script>{SCRIPT}</script></body></html>")
    return "\n".join(out) + "\n"


def _node_index(views: list[View]) -> dict[tuple[str, str], str]:
    """(file, resource address) -> the DOM id of the picture's node holding it."""
    index: dict[tuple[str, str], str] = {}
    for unit_index, view in enumerate(views):
        for node_index, node in enumerate(view.nodes):
            for member in node.members:
                for file in view.files:
                    index.setdefault((file, member), dom_id(unit_index, node_index))
    return index


def _family(rule_id: str) -> str:
    return FAMILIES.get(rule_id[3:4], "other") if rule_id.startswith("SLS") else "other"


def _summary(report: Report, rules: dict[str, Any]) -> str:
    active = report.active
    severities = Counter(f.severity for f in active)
    families = Counter(_family(f.rule_id) for f in active)
    cells = "".join(
        f'<div class="count sev-{s}"><span class="n">{severities.get(s, 0)}</span> {s}'
        f"{'s' if severities.get(s, 0) != 1 else ''}</div>"
        for s in SEVERITIES
    )
    chips = "".join(
        f'<li><span class="n">{count}</span> {escape(family)}</li>'
        for family, count in sorted(families.items(), key=lambda item: (-item[1], item[0]))
    )
    verdict = "No findings." if not active else f"{len(active)} findings."
    suppressed = len(report.suppressed)
    return (
        f'<section id="summary"><h2>Summary</h2><p class="verdict">{verdict}'
        f"{f' {suppressed} suppressed.' if suppressed else ''}</p>"
        f'<div class="counts">{cells}</div>'
        + (f'<ul class="families" aria-label="findings by family">{chips}</ul>' if chips else "")
        + "</section>"
    )


def _graph_section(views: list[View], report: Report) -> str:
    if not views:
        return '<section id="graph"><h2>Application</h2><p>No resources to draw.</p></section>'
    from sls_lint.reporters.graph_svg import render_svgs

    drawn = render_svgs(views, use_graphviz=report.extra.get("graphviz", True))
    figures = "".join(
        f'<figure class="unit"><figcaption>{escape(view.unit)}'
        + (
            " <small>(every graph node: the condensed picture could not be drawn; please "
            "report it)</small>"
            if view.detail == "full"
            else ""
        )
        + "</figcaption>"
        f'<div class="graph-box">{svg}</div></figure>'
        for view, (svg, _) in zip(views, drawn, strict=True)
    )
    engine = ", ".join(sorted({engine for _, engine in drawn}))
    panels = []
    for unit_index, view in enumerate(views):
        for node_index, node in enumerate(view.nodes):
            node_id = dom_id(unit_index, node_index)
            items = "".join(
                f'<li><a href="#rule-{escape(rule_id)}">{escape(rule_id)}</a></li>'
                for rule_id in node.findings
            )
            where = f"{escape(node.file)}:{node.line}" if node.file else ""
            panels.append(
                f'<div class="node-panel" id="node-{node_id}" data-node="{node_id}" hidden>'
                f"<h3>{escape(node.title)}</h3><p class=\"where\">{where} · "
                f"{escape(', '.join(node.members))}</p>"
                + (
                    f'<p>{len(node.findings)} rule(s): </p><ul class="inline">{items}</ul>'
                    '<p><button type="button" class="show-node" '
                    f'data-node="{node_id}">show these findings</button> '
                    '<button type="button" class="show-all">show all</button></p>'
                    if node.findings
                    else "<p>No findings.</p>"
                )
                + "</div>"
            )
    legend = (
        '<p class="legend"><span class="sw sev-error"></span>error '
        '<span class="sw sev-warning"></span>warning <span class="sw sev-note"></span>note '
        '<span class="sw public"></span>public entry / admin-like role (double border) · '
        f"click a node for its findings · layout: {engine}</p>"
    )
    return (
        f'<section id="graph"><h2>Application</h2>{legend}{figures}'
        + "".join(panels)
        + "</section>"
    )


def _frame(text: str | None, finding: Finding) -> str:
    if text is None:
        return ""
    lines = text.splitlines()
    line = finding.location.line
    if not 1 <= line <= len(lines):
        return ""
    first, last = max(1, line - FRAME_CONTEXT), min(len(lines), line + FRAME_CONTEXT)
    rows = []
    for number in range(first, last + 1):
        content = lines[number - 1]
        if len(content) > 300:
            content = content[:300] + "…"
        css = ' class="hit"' if number == line else ""
        rows.append(f'<span{css}><i>{number}</i>{escape(content)}</span>')
    return f'<pre class="frame">{"".join(rows)}</pre>'


def _finding(index: int, finding: Finding, report: Report, node_of: dict) -> str:
    where = finding.location
    node = node_of.get((where.file, finding.resource), "")
    resource = (
        f' <span class="resource">{escape(finding.resource)}</span>' if finding.resource else ""
    )
    frame = _frame(report.texts.get(where.file), finding) if report.show_source else ""
    related = "".join(
        f"<li>{escape(r.location.file)}:{r.location.line}: {escape(r.message)}</li>"
        for r in finding.related
    )
    return (
        f'<article class="finding sev-{finding.severity}" id="f-{index}" '
        f'data-rule="{escape(finding.rule_id)}" data-node="{node}">'
        f'<div class="head"><span class="pos">{where.line}:{where.column}</span> '
        f'<span class="sev">{finding.severity}</span> '
        f'<a class="rule" href="#rule-{escape(finding.rule_id)}">{escape(finding.rule_id)}</a> '
        f'<span class="msg">{escape(finding.message)}</span>{resource}</div>'
        f"{frame}"
        + (f'<ul class="related">{related}</ul>' if related else "")
        + "</article>"
    )


def _findings_section(active: list[Finding], report: Report, node_of: dict) -> str:
    if not active:
        return '<section id="findings"><h2>Findings</h2><p>No findings.</p></section>'
    pages: list[list[str]] = [[]]
    count = 0
    index = 0
    for file, group in groupby(active, key=lambda f: f.location.file):
        items = list(group)
        start = 0
        while start < len(items):
            if count >= PAGE_SIZE:
                pages.append([])
                count = 0
            chunk = items[start : start + PAGE_SIZE - count]
            body = []
            for finding in chunk:
                body.append(_finding(index, finding, report, node_of))
                index += 1
            pages[-1].append(
                f'<section class="file"><h3>{escape(file)} <small>{len(items)}</small></h3>'
                + "".join(body)
                + "</section>"
            )
            count += len(chunk)
            start += len(chunk)
    nav = ""
    if len(pages) > 1:
        buttons = "".join(
            f'<button type="button" class="page-button" data-page="{i}">{i + 1}</button>'
            for i in range(len(pages))
        )
        nav = f'<nav class="pages" aria-label="pages of findings">page {buttons}</nav>'
    body = "".join(
        f'<div class="page" data-page="{i}"{" hidden" if i else ""}>{"".join(page)}</div>'
        for i, page in enumerate(pages)
    )
    return (
        f'<section id="findings"><h2>Findings <small>{len(active)}</small></h2>'
        '<p class="filter" hidden>Showing the findings of one node. '
        '<button type="button" class="show-all">show all</button></p>'
        f"{nav}{body}</section>"
    )


def _rule_doc(rule: Any) -> str:
    text = rule.documentation()
    prose, _, examples = text.partition("Examples")
    parts = [
        "<p>" + _CODE.sub(r"<code>\1</code>", escape(paragraph).replace("\n", " ")) + "</p>"
        for paragraph in prose.strip().split("\n\n")
        if paragraph.strip()
    ]
    for example in getattr(rule, "examples", lambda: [])():
        label = "Fails" if example.expect == "fail" else "Passes"
        parts.append(
            f'<figure class="example {example.expect}"><figcaption>{label} '
            f"({escape(example.format)})</figcaption><pre>{escape(example.source)}</pre></figure>"
        )
    return "".join(parts)


def _rules_section(report: Report, rules: dict[str, Any]) -> str:
    fired = sorted({f.rule_id for f in report.findings})
    if not fired:
        return ""
    blocks = []
    for rule_id in fired:
        rule = rules.get(rule_id)
        if rule is None:
            continue
        severity = report.rule_severity(rule) if hasattr(rule, "severity") else ""
        blocks.append(
            f'<details class="rule" id="rule-{escape(rule_id)}"><summary><b>{escape(rule_id)}'
            f"</b> {escape(rule.name)} <span class=\"sev sev-{severity}\">{severity}</span> "
            f"— {escape(rule.summary)}</summary>{_rule_doc(rule)}"
            f'<p><a href="{escape(rule.help_uri())}">{escape(rule.help_uri())}</a></p></details>'
        )
    return f'<section id="rules"><h2>Rules</h2>{"".join(blocks)}</section>'


def _suppressed_section(report: Report) -> str:
    suppressed = report.suppressed
    if not suppressed:
        return ""
    rows = []
    for finding in suppressed:
        sup = finding.suppression
        assert sup is not None
        where = finding.location
        until = getattr(sup, "until", None)
        rows.append(
            f"<tr><td>{escape(where.file)}:{where.line}</td><td>{escape(finding.rule_id)}</td>"
            f"<td>{escape(finding.message)}</td><td>{escape(sup.kind)}</td>"
            f"<td>{escape(sup.reason) or '<i>no reason given</i>'}</td>"
            f"<td>{escape(str(until)) if until else 'never'}</td></tr>"
        )
    return (
        f'<section id="suppressed"><details><summary><h2>Suppressed <small>{len(suppressed)}'
        "</small></h2></summary><table><thead><tr><th>where</th><th>rule</th><th>message</th>"
        "<th>by</th><th>reason</th><th>expires</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></details></section>"
    )
