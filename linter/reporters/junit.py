"""JUnit XML for test-report viewers (GitLab `reports:junit`, Azure `PublishTestResults`, Jenkins).

Shape (ruff's, which those viewers display well): one `<testsuite>` per linted file, one failing
`<testcase>` per finding (classname = file, name = rule id and name), a `<skipped>` testcase per
suppressed finding, and one passing testcase for a clean file, so that report parsers never see
an empty suite and a clean run still shows what was checked.
"""

from __future__ import annotations

from itertools import groupby
from xml.etree import ElementTree as ET

from sls_lint.model.findings import Finding
from sls_lint.reporters import Report
from sls_lint.reporters.terminal_safe import printable
from sls_lint.state.baseline import relative_path


def _testcase(suite: ET.Element, finding: Finding, path: str) -> tuple[int, int]:
    location = finding.location
    # XML 1.0 cannot carry most control characters at all: file content is escaped visibly.
    case = ET.SubElement(
        suite,
        "testcase",
        name=printable(
            f"{finding.rule_id} {finding.rule_name}"
            + (f" [{finding.resource}]" if finding.resource else "")
        ),
        classname=path,
        file=path,
        line=str(location.line),
    )
    where = f"{path}:{location.line}:{location.column}"
    if finding.suppression is not None:
        reason = finding.suppression.reason or "no reason given"
        skipped = f"suppressed ({finding.suppression.kind}): {reason}"
        ET.SubElement(case, "skipped", message=printable(skipped))
        return 0, 1
    message = printable(finding.message)
    failure = ET.SubElement(case, "failure", message=message, type=finding.severity)
    failure.text = f"{where}: {finding.severity} {finding.rule_id} {message}"
    return 1, 0


def render(report: Report) -> str:
    root = ET.Element("testsuites", name="sls-lint")
    findings = sorted(report.shown, key=lambda f: f.location.file)
    by_file = {
        file: list(group) for file, group in groupby(findings, key=lambda f: f.location.file)
    }
    files = sorted(set(report.files) | set(by_file))
    placeholder = None if files else "sls-lint"  # a suite even when nothing was linted
    files = files or ["sls-lint"]
    total_failures = total_tests = total_skipped = 0
    for file in files:
        # Relative to the repository root like the other formats, so CI viewers can link them.
        path = (
            printable(relative_path(file, report.sarif_root))
            if placeholder is None
            else placeholder
        )
        suite = ET.SubElement(root, "testsuite", name=path)
        failures = skipped = 0
        group = by_file.get(file, [])
        for finding in group:
            failed, skip = _testcase(suite, finding, path)
            failures += failed
            skipped += skip
        tests = len(group)
        if failures == 0:
            ET.SubElement(suite, "testcase", name="no findings", classname=path, file=path)
            tests += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += tests
        total_failures += failures
        total_skipped += skipped
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    root.set("skipped", str(total_skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
