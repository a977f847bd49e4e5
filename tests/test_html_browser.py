"""The HTML report in a real browser: headless Chromium loads the report of `samples/`.

What is checked is the page Chromium *rendered* (`--dump-dom`, after the scripts ran), not the
HTML string: every finding is in the DOM with its rule, the picture's SVG is there with a node
per box, the script finished (`data-ready`), the console holds no error and the page made no
network request (Chromium's net log, restricted to requests the page itself made: the browser's
own update and sign-in pings are not the report's). A first test feeds the same checks a page
that does misbehave, so that a silent checker cannot pass the report.

Chromium is Debian's `chromium` package; `.ci/run` installs it with apt when it is absent. Where
it cannot be installed the tests skip and say why.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from sls_lint.cli.main import main

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
CHROMIUM = next((path for name in BROWSERS if (path := shutil.which(name))), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run "
    "installs it): the browser test of the HTML report cannot run here",
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=5000",
)


@dataclass
class Loaded:
    dom: str
    console: list[str]
    requests: list[str]
    seconds: float


def load(page: Path, tmp_path: Path) -> Loaded:
    """Open `page` in headless Chromium: the rendered DOM, console messages, page requests."""
    net_log = tmp_path / "net-log.json"
    profile = tmp_path / "profile"
    started = time.monotonic()
    done = subprocess.run(
        [
            str(CHROMIUM),
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--log-net-log={net_log}",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return Loaded(done.stdout, console, _page_requests(net_log), seconds)


def _page_requests(net_log: Path) -> list[str]:
    """URLs the page requested: requests whose network isolation key is the file:// page's."""
    if not net_log.is_file():
        return []
    text = net_log.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
    if not text.endswith("}"):
        text += "]}"  # a log cut short by the browser's exit: close the event list
    try:
        events = json.loads(text).get("events", [])
    except json.JSONDecodeError:
        return re.findall(r'"url":"((?:https?|wss?|ftp):[^"]+)"', text)
    urls = set()
    for event in events:
        params = event.get("params") or {}
        if "url" in params and "file://" in str(params.get("network_isolation_key", "")):
            urls.add(params["url"])
    return sorted(urls)


def errors(loaded: Loaded) -> list[str]:
    """Console output of the page. Chromium logs every console message at one level, so the
    report must log nothing at all: an uncaught exception, a `console.error` or a CSP
    violation each leave a line here."""
    return list(loaded.console)


def report(tmp_path: Path, *paths: Path) -> tuple[Path, dict]:
    out = tmp_path / "report.html"
    as_json = tmp_path / "report.json"
    result = CliRunner().invoke(
        main,
        ["check", *map(str, paths), "-f", "html", "-o", str(out), "-f", "json", "-o", str(as_json)],
    )
    assert result.exit_code in (0, 1), result.output
    return out, json.loads(as_json.read_text(encoding="utf-8"))


def test_the_checks_catch_a_page_that_misbehaves(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><script src="http://127.0.0.1:9/x.js"></script></head>'
        '<body><img src="http://example.invalid/a.png"><script>console.error("boom");'
        "undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    loaded = load(page, tmp_path)
    assert "http://127.0.0.1:9/x.js" in loaded.requests
    found = errors(loaded)
    assert any("Uncaught ReferenceError" in line for line in found), found
    assert any('"boom"' in line for line in found), found


def test_samples_report_renders_every_finding_and_the_picture(tmp_path):
    page, data = report(tmp_path, SAMPLES)
    loaded = load(page, tmp_path)
    assert loaded.requests == [], "the report made network requests"
    assert errors(loaded) == [], loaded.console
    dom = loaded.dom
    assert 'data-ready="true"' in dom, "the report's script did not finish"
    active = [f for f in data["findings"] if f["suppressed"] is None]
    assert len(active) > 50
    rendered = re.findall(r'<article class="finding sev-(\w+)" id="f-(\d+)" data-rule="(\w+)"', dom)
    assert len(rendered) == len(active)
    assert sorted((s, r) for s, _, r in rendered) == sorted(
        (f["severity"], f["rule_id"]) for f in active
    )
    for finding in active:  # each message, as the browser holds it (HTML-escaped)
        message = finding["message"].replace("&", "&amp;").replace("<", "&lt;")
        assert message.replace(">", "&gt;") in dom, finding["message"]
    svgs = re.findall(r'<svg[^>]*class="graph-svg"', dom)
    units = {Path(f["location"]["file"]).parts[1] for f in active}
    assert len(svgs) >= 8 and units == {"cloudformation", "sam", "serverless", "terraform"}
    # Nodes are boxes in the SVG, linked to their findings' panel.
    assert re.search(r'<g id="u\d+n\d+" class="node node-function', dom)
    assert re.search(r'href="#node-u\d+n\d+"', dom)
    assert "SLS201" in re.sub(r"<(?!/?text)[^>]*>", " ", dom.split('id="findings"')[0])


def test_built_in_layout_renders_without_graphviz(tmp_path, monkeypatch):
    import sls_lint.reporters.graph_svg as graph_svg

    monkeypatch.setattr(graph_svg.shutil, "which", lambda name: None)
    page, data = report(tmp_path, SAMPLES / "sam" / "vulnerable.yaml")
    loaded = load(page, tmp_path)
    assert loaded.requests == [] and errors(loaded) == [], loaded.console
    assert "layout: built-in" in loaded.dom
    assert re.search(r'<svg class="graph-svg" xmlns="http://www.w3.org/2000/svg"', loaded.dom)
    nodes = re.findall(r'<g id="(u0n\d+)" class="node ', loaded.dom)
    assert len(nodes) >= 8


def test_ten_thousand_findings_stay_responsive(tmp_path):
    """10,000 findings: one page of findings is displayed, the script is ready quickly."""
    from test_html_report import big_report

    page = tmp_path / "big.html"
    page.write_text(big_report(10_000), encoding="utf-8")
    loaded = load(page, tmp_path)
    assert errors(loaded) == [] and loaded.requests == []
    dom = loaded.dom
    assert len(re.findall(r'<article class="finding ', dom)) == 10_000
    shown = re.findall(r'<div class="page" data-page="(\d+)"(?! hidden)', dom)
    assert shown == ["0"], "more than one page of findings is displayed"
    ready = re.search(r'data-ready-ms="(\d+)"', dom)
    assert ready is not None and int(ready.group(1)) < 10_000, ready
    assert loaded.seconds < 60


def test_clicking_a_node_shows_its_findings(tmp_path):
    """Following a node's link (`#node-<id>`, what a click on its box does) shows that node's
    panel and only its findings, across pages."""
    page, _ = report(tmp_path, SAMPLES / "sam" / "vulnerable.yaml")
    html = page.read_text(encoding="utf-8")
    (node,) = set(re.findall(r'data-rule="SLS201" data-node="(u\d+n\d+)"', html))
    expected = len(re.findall(f'data-node="{node}"', html.split('id="findings"')[1]))
    target = tmp_path / "page.html"
    target.write_text(html, encoding="utf-8")
    net_log = tmp_path / "net.json"
    done = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'p'}", f"--log-net-log={net_log}",
         "--dump-dom", target.resolve().as_uri() + f"#node-{node}"],
        capture_output=True, text=True, timeout=180, check=False,
    )
    dom = done.stdout
    assert re.search(r'<section id="findings" class="filtered">', dom), dom[:300]
    assert len(re.findall(r'<article class="finding sev-\w+ match"', dom)) == expected > 0
    assert re.search(f'<div class="node-panel" id="node-{node}" data-node="{node}">', dom)
    assert re.search(f'<g id="{node}" class="[^"]*selected', dom)


MERMAID = Path(__file__).resolve().parents[1] / ".ci/node/node_modules/mermaid/dist/mermaid.min.js"


@pytest.mark.skipif(
    not MERMAID.is_file(),
    reason="mermaid is not installed in .ci/node (.ci/run installs it with npm)",
)
def test_mermaid_output_renders_in_mermaid(tmp_path):
    """`sls-lint graph -f mermaid` of every sample, rendered by Mermaid 11 in Chromium: no
    syntax error, one box per node, and each box shows the title and lines of the JSON."""
    import html as html_module

    runner = CliRunner()
    diagram = runner.invoke(main, ["graph", str(SAMPLES), "-f", "mermaid"]).output
    data = json.loads(runner.invoke(main, ["graph", str(SAMPLES), "-f", "json"]).output)
    page = tmp_path / "mermaid.html"
    page.write_text(
        f'<!DOCTYPE html><html><body><pre class="mermaid" id="d">{html_module.escape(diagram)}'
        f'</pre><script src="{MERMAID.as_uri()}"></script><script>'
        'mermaid.initialize({startOnLoad: false, securityLevel: "strict"});'
        'mermaid.run({querySelector: "#d"}).then(function () {'
        'document.body.setAttribute("data-done", "ok"); }).catch(function (e) {'
        'document.body.setAttribute("data-done", "error: " + e.message); });'
        "</script></body></html>",
        encoding="utf-8",
    )
    loaded = load(page, tmp_path)
    assert 'data-done="ok"' in loaded.dom, re.findall(r'data-done="[^"]*"', loaded.dom)
    labels = re.findall(r'<span [^>]*class="nodeLabel"[^>]*><p>(.*?)</p></span>', loaded.dom)
    shown = {
        tuple(html_module.unescape(re.sub(r"<[^>]+>", "", part)) for part in label.split("<br>"))
        for label in labels
    }
    from sls_lint.reporters.graph_render import label_lines

    class _Node:
        def __init__(self, node: dict) -> None:
            self.lines, self.marks, self.findings = node["lines"], node["marks"], node["findings"]

    for view in data["graphs"]:
        for node in view["nodes"]:
            assert (node["title"], *label_lines(_Node(node))) in shown, node["title"]
