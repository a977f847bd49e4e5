"""`check --format html` as a document: self-contained, complete, and fast on big runs.

The browser test (`test_html_browser.py`) judges the rendered page; these tests judge the file
itself and run everywhere, Chromium or not.
"""

from __future__ import annotations

import copy
import re
import time
from pathlib import Path

from conftest import SAMPLES

from sls_lint.model.findings import Suppression
from sls_lint.reporters import Report, render
from sls_lint.reporters.html import PAGE_SIZE
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import lint_paths
from sls_lint.run.registry import load_rules


def _run(path: Path):
    rules = load_rules()
    result = lint_paths([path], [cls() for cls in rules], LintOptions(view="condensed"))
    return result, rules


def sample_report(path: Path = SAMPLES, **extra) -> Report:
    result, rules = _run(path)
    return Report(
        findings=result.findings,
        rules=rules,
        files=result.files,
        texts=result.texts,
        version="test",
        extra={"views": result.views, **extra},
    )


def big_report(count: int) -> str:
    """The samples' findings copied over many files until there are `count` of them."""
    base = sample_report(SAMPLES / "sam" / "vulnerable.yaml", graphviz=False)
    findings, texts, copies = [], {}, 0
    while len(findings) < count:
        for finding in base.findings:
            if len(findings) == count:
                break
            clone = copy.copy(finding)
            name = f"copy{copies:03d}/{finding.location.file}"
            clone.location = type(finding.location)(name, finding.location.mark)
            texts[name] = base.texts.get(finding.location.file, "")
            findings.append(clone)
        copies += 1
    findings.sort(key=lambda f: f.sort_key())
    report = Report(findings, base.rules, sorted(texts), texts, "test", extra=base.extra)
    return render("html", report)


def test_self_contained_and_offline():
    html = render("html", sample_report())
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r'<(script|link|img|iframe)[^>]*\s(src|href)="(https?:)?//', html)
    assert "@import" not in html and "url(http" not in html
    assert "prefers-color-scheme: dark" in html
    assert html.count("<svg") >= 8


def test_summary_rules_and_examples_labelled():
    html = render("html", sample_report(SAMPLES / "sam" / "vulnerable.yaml"))
    assert re.search(r'class="count sev-error"><span class="n">\d+', html)
    assert 'id="rule-SLS201"' in html
    assert "<figcaption>Fails (sam)</figcaption>" in html
    assert "<figcaption>Passes (sam)</figcaption>" in html


def test_findings_link_to_their_node_and_nodes_to_findings():
    html = render("html", sample_report(SAMPLES / "sam" / "vulnerable.yaml"))
    nodes = set(re.findall(r'data-rule="SLS201" data-node="(u\d+n\d+)"', html))
    assert len(nodes) == 1
    (node,) = nodes
    assert f'id="node-{node}"' in html and f'href="#node-{node}"' in html


def test_suppressed_section_with_reason_and_expiry(tmp_path, monkeypatch):
    template = (SAMPLES / "sam" / "vulnerable.yaml").read_text(encoding="utf-8")
    lines = template.splitlines()
    runtime = next(i for i, line in enumerate(lines) if "Runtime: python3.8" in line)
    lines[runtime] += "  # sls-lint: ignore[SLS601] until=2999-01-31 migration planned"
    (tmp_path / "template.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from click.testing import CliRunner

    from sls_lint.cli.main import main

    result = CliRunner().invoke(main, ["check", "template.yaml", "-f", "html"])
    html = result.output
    section = html.split('id="suppressed"', 1)[1]
    assert "<summary><h2>Suppressed" in section
    assert "migration planned" in section and "2999-01-31" in section
    assert "inline" in section


def test_baseline_suppression_has_no_expiry():
    report = sample_report(SAMPLES / "cloudformation" / "vulnerable.yaml")
    report.findings[0].suppression = Suppression("baseline", "recorded in baseline.json")
    html = render("html", report)
    assert "recorded in baseline.json</td><td>never</td>" in html


def test_ten_thousand_findings_are_paginated_and_render_fast():
    started = time.perf_counter()
    html = big_report(10_000)
    elapsed = time.perf_counter() - started
    pages = re.findall(r'<div class="page" data-page="(\d+)"( hidden)?>', html)
    assert len(pages) == 10_000 // PAGE_SIZE
    assert [hidden for _, hidden in pages].count("") == 1  # only the first page is displayed
    assert html.count('<article class="finding ') == 10_000
    assert elapsed < 30, f"rendering 10,000 findings took {elapsed:.1f} s"


def test_no_findings_still_renders():
    report = Report([], [], ["a.yaml"], version="test")
    html = render("html", report)
    assert "No findings." in html and "</html>" in html


def test_hostile_names_are_escaped(lint):
    findings = lint(
        "cloudformation",
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
        "      Runtime: python3.8\n      Handler: '<script>alert(1)</script>'\n"
        "      Role: arn:aws:iam::123456789012:role/r\n      Code: {ZipFile: x}\n",
    )
    texts = {"template.yaml": Path("template.yaml").read_text(encoding="utf-8")}
    html = render("html", Report(findings, load_rules(), ["template.yaml"], texts, "t"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pictures_drawn_in_worker_processes_equal_serial(monkeypatch, tmp_path):
    """Workers draw each unit where its graph is; the page is byte-identical to a serial run."""
    from click.testing import CliRunner

    from sls_lint.cli.main import main
    from sls_lint.run import parallel

    monkeypatch.setattr(parallel, "MIN_PARALLEL_UNITS", 0)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    pages = []
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.html"
        result = CliRunner().invoke(
            main, ["check", str(SAMPLES), "--isolated", "-f", "html", "-o", str(out), "-j", jobs]
        )
        assert result.exit_code == 1, result.output
        pages.append(out.read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    assert pages[0].count('<figure class="unit">') == 8
