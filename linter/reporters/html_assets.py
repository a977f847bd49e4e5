"""The HTML report's inline style and script (no external file, font or request).

Light and dark follow the reader's system setting (`prefers-color-scheme`); the picture's
colours are overridden in dark mode through the classes both SVG engines put on nodes. The
script only shows and hides: pages of findings, a node's findings when its box is clicked
(links are `#node-<id>`, so they also work when scripts are off), and the page holding a
finding a link points at.
"""

STYLE = """
:root{--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d0d7de;--panel:#f6f8fa;
--error:#b3261e;--warning:#9a6700;--note:#0b5cad;--error-bg:#f9d0cc;--warning-bg:#fde7b0;
--note-bg:#d4e6f9;--none-bg:#ffffff;--hit:#fff8c5;color-scheme:light dark}
@media (prefers-color-scheme: dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;
--line:#3d444d;--panel:#151b23;--error:#ff7b72;--warning:#d29922;--note:#58a6ff;
--error-bg:#5a1e1b;--warning-bg:#4b3a0b;--note-bg:#0f2d52;--none-bg:#1c2128;--hit:#3b2e00}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
header{padding:16px 24px;border-bottom:1px solid var(--line)}
h1{margin:0;font-size:22px}h2{font-size:18px;margin:8px 0}h3{font-size:15px;margin:6px 0}
.meta,.where,.legend,small{color:var(--muted)}
main{padding:8px 24px 48px}
a{color:var(--note)}
#summary{display:flex;gap:24px;flex-wrap:wrap;align-items:center}
#summary h2{width:100%;margin-bottom:0}
.counts{display:flex;gap:12px;flex-wrap:wrap}
.count{padding:8px 14px;border-radius:6px;border:1px solid var(--line);background:var(--panel)}
.count .n{font-size:20px;font-weight:700}
ul.families{display:flex;gap:8px;flex-wrap:wrap;list-style:none;padding:0;margin:0}
ul.families li{border:1px solid var(--line);border-radius:12px;padding:1px 10px}
ul.families .n{font-weight:700}
.count.sev-error .n{color:var(--error)}.count.sev-warning .n{color:var(--warning)}
.count.sev-note .n{color:var(--note)}
table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
.columns{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:24px;
align-items:start}
@media (max-width:1100px){.columns{grid-template-columns:minmax(0,1fr)}}
#graph{position:sticky;top:0;max-height:100vh;overflow:auto}
@media (max-width:1100px){#graph{position:static;max-height:none}}
.graph-box{border:1px solid var(--line);border-radius:6px;padding:6px;background:var(--bg);
overflow:auto}
.graph-svg{width:100%;height:auto;display:block}
figure.unit{margin:0 0 14px;content-visibility:auto;contain-intrinsic-size:auto 260px}
figure.unit figcaption{font-weight:600;margin:2px 0}
.graph-svg .cluster>text,.graph-svg .cluster>path{display:none}
.graph-svg .graph>polygon{fill:transparent}
.graph-svg text{fill:var(--fg)}
.graph-svg .cluster path{stroke:var(--line)}
.graph-svg .edge path,.graph-svg path.edge{stroke:var(--muted);fill:none}
.graph-svg .edge polygon,.graph-svg .arrow-head{fill:var(--muted);stroke:var(--muted)}
.graph-svg .unit-title{font-weight:600;font-size:13px}
figure.unit .graph-svg .unit-title{display:none}
.graph-svg text.title{font-weight:700;font-size:12px;text-anchor:middle}
.graph-svg text.line,.graph-svg text.mark,.graph-svg text.ids{font-size:10.5px;
text-anchor:middle}
.graph-svg text.mark{fill:var(--error)}.graph-svg text.ids{font-weight:700}
.graph-svg .node{cursor:pointer}
.graph-svg .node:hover rect:first-of-type,.graph-svg .node:hover path,
.graph-svg .node:hover polygon,.graph-svg .node:hover ellipse{stroke-width:3}
@media (prefers-color-scheme: dark){
.graph-svg .sev-error>rect:first-of-type,.graph-svg .sev-error path,
.graph-svg .sev-error polygon{fill:var(--error-bg)}
.graph-svg .sev-warning>rect:first-of-type,.graph-svg .sev-warning path,
.graph-svg .sev-warning polygon{fill:var(--warning-bg)}
.graph-svg .sev-note>rect:first-of-type,.graph-svg .sev-note path,
.graph-svg .sev-note polygon{fill:var(--note-bg)}
.graph-svg .sev-none>rect:first-of-type,.graph-svg .sev-none path,
.graph-svg .sev-none polygon,.graph-svg .sev-none ellipse{fill:var(--none-bg)}
.graph-svg .node text[fill]{fill:var(--fg)}}
.graph-svg .selected rect:first-of-type,.graph-svg .selected path,
.graph-svg .selected polygon{stroke:var(--note);stroke-width:4}
.legend .sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin:0 2px 0 8px;
vertical-align:-1px;border:1px solid var(--line)}
.sw.sev-error{background:var(--error-bg)}.sw.sev-warning{background:var(--warning-bg)}
.sw.sev-note{background:var(--note-bg)}.sw.public{border:2px solid var(--error)}
.node-panel{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin-top:8px;
background:var(--panel)}
.node-panel:target{display:block}
ul.inline{display:flex;gap:10px;flex-wrap:wrap;list-style:none;padding:0;margin:4px 0}
.file{margin:10px 0 18px}.file h3{border-bottom:1px solid var(--line);padding-bottom:4px}
.finding{border-left:4px solid var(--line);padding:4px 10px;margin:8px 0;
content-visibility:auto;contain-intrinsic-size:auto 110px}
.finding.sev-error{border-color:var(--error)}.finding.sev-warning{border-color:var(--warning)}
.finding.sev-note{border-color:var(--note)}
.finding:target{background:var(--hit)}
.finding .pos{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
color:var(--muted)}
.finding .sev{font-weight:700;text-transform:uppercase;font-size:11px}
.sev-error .sev,.sev.sev-error{color:var(--error)}
.sev-warning .sev,.sev.sev-warning{color:var(--warning)}
.sev-note .sev,.sev.sev-note{color:var(--note)}
.finding .rule{font-weight:700}
.resource{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted)}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:6px 8px;
overflow:auto;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:6px 0}
pre.frame span{display:block;white-space:pre}
pre.frame i{display:inline-block;min-width:3.5em;color:var(--muted);font-style:normal;
user-select:none}
pre.frame .hit{background:var(--hit)}
.related{margin:2px 0;color:var(--muted)}
.pages{margin:6px 0}.pages button{margin:0 2px}
.pages button[aria-current=true]{font-weight:700}
#findings.filtered .finding:not(.match){display:none}
#findings.filtered .file:not(:has(.match)){display:none}
details.rule{border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:6px 0}
details.rule summary{cursor:pointer}
figure.example{margin:6px 0}figure.example figcaption{font-weight:700}
figure.example.fail figcaption{color:var(--error)}
figure.example.pass figcaption{color:#1a7f37}
@media (prefers-color-scheme: dark){figure.example.pass figcaption{color:#3fb950}}
#suppressed summary h2{display:inline}
button{font:inherit;color:inherit;background:var(--panel);border:1px solid var(--line);
border-radius:6px;padding:2px 10px;cursor:pointer}
"""

SCRIPT = """
(function () {
  "use strict";
  var findings = document.getElementById("findings");
  var pages = Array.prototype.slice.call(document.querySelectorAll(".page"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll(".page-button"));
  function showPage(index) {
    pages.forEach(function (page, i) { page.hidden = i !== index; });
    buttons.forEach(function (b, i) { b.setAttribute("aria-current", String(i === index)); });
  }
  function showAll() {
    if (findings) { findings.classList.remove("filtered"); }
    document.querySelectorAll(".finding.match").forEach(function (f) {
      f.classList.remove("match");
    });
    document.querySelectorAll(".graph-svg .selected").forEach(function (n) {
      n.classList.remove("selected");
    });
    var note = document.querySelector("#findings .filter");
    if (note) { note.hidden = true; }
    showPage(0);
  }
  function showNode(id) {
    document.querySelectorAll(".node-panel").forEach(function (p) {
      p.hidden = p.getAttribute("data-node") !== id;
    });
    document.querySelectorAll(".graph-svg .selected").forEach(function (n) {
      n.classList.remove("selected");
    });
    var box = document.getElementById(id);
    if (box) { box.classList.add("selected"); }
  }
  function filterNode(id) {
    if (!findings) { return; }
    var matched = 0;
    findings.querySelectorAll(".finding").forEach(function (f) {
      var hit = f.getAttribute("data-node") === id;
      f.classList.toggle("match", hit);
      if (hit) { matched += 1; }
    });
    findings.classList.add("filtered");
    pages.forEach(function (page) { page.hidden = false; });
    var note = findings.querySelector(".filter");
    if (note) { note.hidden = false; }
    findings.scrollIntoView();
    return matched;
  }
  function follow() {
    var hash = decodeURIComponent(location.hash.slice(1));
    if (hash.indexOf("node-") === 0) {
      showNode(hash.slice(5));
      filterNode(hash.slice(5));
      return;
    }
    if (hash.indexOf("f-") === 0) {
      var target = document.getElementById(hash);
      var page = target && target.closest(".page");
      if (page) { showPage(pages.indexOf(page)); target.scrollIntoView(); }
    }
  }
  buttons.forEach(function (b, i) {
    b.addEventListener("click", function () { showAll(); showPage(i); });
  });
  document.querySelectorAll(".show-all").forEach(function (b) {
    b.addEventListener("click", function () { showAll(); history.replaceState(null, "", "#"); });
  });
  document.querySelectorAll(".show-node").forEach(function (b) {
    b.addEventListener("click", function () { filterNode(b.getAttribute("data-node")); });
  });
  window.addEventListener("hashchange", follow);
  if (pages.length) { showPage(0); }
  follow();
  var root = document.documentElement;
  root.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  root.setAttribute("data-ready", "true");
})();
"""
