"""The text output, as a person reads it: snapshots of whole reports, and the rules they show.

Snapshots live in `tests/snapshots/`; after a deliberate change to the output, regenerate them
with `SLS_LINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_text_output.py` and
review the diff like code.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, lint_text

from sls_lint.cli.main import main
from sls_lint.model.findings import Finding, Suppression
from sls_lint.model.graph import Location
from sls_lint.reporters import Report, render
from sls_lint.reporters.terminal_safe import printable
from sls_lint.run.registry import load_rules
from sls_lint.sources.located import Mark

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = bool(os.environ.get("SLS_LINT_UPDATE_SNAPSHOTS"))


def check(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args], env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no snapshot {name}; run with SLS_LINT_UPDATE_SNAPSHOTS=1 to create it")
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; see the module docstring"


@pytest.fixture
def at_repo(monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


# -- snapshots of real runs --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("cloudformation-vulnerable.txt", ["samples/cloudformation/vulnerable.yaml"]),
        (
            "cloudformation-vulnerable-no-source.txt",
            ["samples/cloudformation/vulnerable.yaml", "--no-show-source"],
        ),
        ("terraform-vulnerable.txt", ["samples/terraform/vulnerable", "--jobs", "1"]),
        ("cloudformation-fixed.txt", ["samples/cloudformation/fixed.yaml"]),
        (
            "notes-only.txt",
            ["samples/cloudformation/vulnerable.yaml", "--select", "SLS303,SLS304,SLS602"],
        ),
        (
            "colour.txt",
            ["samples/cloudformation/vulnerable.yaml", "--select", "SLS3", "--color", "always"],
        ),
    ],
)
def test_text_report_snapshot(at_repo, name, args):
    _, output = check(*args)
    assert_snapshot(name, output)


def test_hostile_content_snapshot(at_repo, tmp_path):
    """A template's escapes and bidi controls reach neither a terminal nor a CI log."""
    folder = tmp_path / "evil\x1b]0;owned\x07"
    folder.mkdir()
    (folder / "main.tf").write_text(
        'resource "aws_lambda_function" "f\u202eX" {\n'
        '  function_name = "x\x1b]0;pwned\x07"\n'
        '  runtime       = "python3.8" # \x1b[2J \u2066evil\u2069\n'
        '  role          = "arn:aws:iam::123456789012:role/r"\n'
        "}\n",
        encoding="utf-8",
    )
    for fmt in ("text", "concise", "github"):
        for colour in ("never", "always"):
            args = ["--select", "SLS601,SLS304", "-f", fmt, "--color", colour, "--jobs", "1"]
            _, output = check(str(folder), *args)
            plain = re.sub(r"\x1b\[[0-9;]*m", "", output)  # the reporter's own colours
            assert "\x1b" not in plain and "\x07" not in plain, (fmt, colour)
            assert not set(plain) & {"\u202e", "\u2066", "\u2069"}, (fmt, colour)
            assert "f\\u202eX" in plain and "evil\\x1b]0;owned\\x07" in plain
            if fmt == "text":
                assert "\\x1b[2J \\u2066evil\\u2069" in plain
                if colour == "never":
                    assert_snapshot("hostile.txt", plain.replace(str(tmp_path), "TMP"))


# -- the shape, on synthetic reports ----------------------------------------------------------


def finding(line: int, column: int, rule: str, severity: str, **kw) -> Finding:
    return Finding(
        rule_id=rule,
        rule_name="name",
        severity=severity,
        message=kw.pop("message", f"{rule} message"),
        location=Location("t.yaml", Mark(line, column, line, column + 1)),
        resource=kw.pop("resource", "R"),
        **kw,
    )


TEXT = "a: 1\nb:\n\tc: 2\nd: 3\n"


def text_report(findings, **kw) -> str:
    report = Report(findings=findings, rules=[], files=["t.yaml"], texts={"t.yaml": TEXT}, **kw)
    return render("text", report)


def test_findings_on_one_line_share_one_frame_with_a_caret_per_column():
    out = text_report(
        [
            finding(3, 2, "SLS201", "error"),
            finding(3, 2, "SLS304", "note"),
            finding(3, 5, "X1", "warning"),
        ]
    )
    assert out.count("> 3 |") == 1
    lines = out.splitlines()
    frame = lines.index("  > 3 | \tc: 2")
    assert [line.split()[2] for line in lines[frame - 4 : frame - 1]] == ["SLS201", "SLS304", "X1"]
    assert lines[frame + 1] == "      | \t^  ^"  # under the tab, then under the value


def test_each_finding_says_where_to_learn_more():
    out = text_report([finding(1, 1, "SLS201", "error"), finding(4, 1, "CUSTOM9", "note")])
    assert "SLS201 message [R] (sls-lint explain SLS201)" in out
    assert "CUSTOM9 message [R] (sls-lint explain CUSTOM9)" in out


def test_failing_run_ends_with_one_hint_naming_its_most_frequent_rule():
    out = text_report(
        [
            finding(1, 1, "SLS203", "warning"),
            finding(2, 1, "SLS203", "warning"),
            finding(4, 1, "SLS201", "error"),
        ],
        fail_on="warning",
    )
    last = out.splitlines()[-1]
    assert last.startswith("hint: `sls-lint explain SLS203`")
    for needle in ("--ignore SLS203", "ignore[SLS203]", "--write-baseline", "--fail-on error"):
        assert needle in last


def test_passing_run_with_notes_says_why_it_passed():
    out = text_report([finding(1, 1, "SLS304", "note")], fail_on="warning")
    assert out.splitlines()[-1] == (
        "Notes do not fail the run (--fail-on warning); `--fail-on note` makes them fail it."
    )
    assert "hint:" not in text_report([], fail_on="warning")
    clean = text_report([finding(1, 1, "SLS304", "note")], fail_on="note")
    assert clean.splitlines()[-1].startswith("hint:")


def test_suppressed_findings_are_counted_not_shown():
    hidden = finding(2, 1, "SLS201", "error", suppression=Suppression("inline", "ok"))
    out = text_report([hidden])
    assert "No findings in 1 file." in out and "1 suppressed (1 inline)." in out
    assert "SLS201" not in out


def test_frames_count_lines_as_the_parsers_do():
    """\\x0c, \\x1c and friends are not line breaks for YAML or HCL: frames must not shift."""
    report = Report(
        findings=[finding(2, 1, "SLS201", "error")],
        rules=[],
        files=["t.yaml"],
        texts={"t.yaml": "a: '\x0c\x1c'\nb: 2\nc: 3\n"},
    )
    out = render("text", report)
    assert "> 2 | b: 2" in out and "1 | a: '\\x0c\\x1c'" in out


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text", "plain text"),
        ("tab\tstays", "tab\tstays"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("\x1b]8;;http://x\x07link", "\\x1b]8;;http://x\\x07link"),
        ("a\u202eb\u2066c\u2069\u200f", "a\\u202eb\\u2066c\\u2069\\u200f"),
        ("line\nbreak\r", "line\\x0abreak\\x0d"),
        ("\x9b2J", "\\x9b2J"),
    ],
)
def test_printable(raw, shown):
    assert printable(raw) == shown


@pytest.mark.parametrize("fmt", ["concise", "github", "text"])
def test_every_terminal_format_escapes_file_content(fmt):
    hostile = finding(
        1,
        1,
        "SLS201",
        "error",
        message="Role \x1b]0;title\x07 of \u202eFn",
        resource="R\x1b[2J",
    )
    hostile.location = Location("d\x1b[1m/t.yaml", Mark(1, 1, 1, 2))
    report = Report(
        findings=[hostile],
        rules=[],
        files=["d\x1b[1m/t.yaml"],
        texts={"d\x1b[1m/t.yaml": "x: \x1b[2J\u202e\n"},
        color=False,
    )
    out = render(fmt, report)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;title\\x07" in out and "\\u202eFn" in out


# -- every message says how to fix ------------------------------------------------------------

# A message ends with "; <what to do>", starting with one of these verbs.
FIX_VERBS = {
    "add",
    "allow",
    "associate",
    "attach",
    "authenticate",
    "declare",
    "enable",
    "give",
    "keep",
    "list",
    "move",
    "name",
    "reference",
    "remove",
    "replace",
    "require",
    "reserve",
    "scope",
    "send",
    "set",
    "trust",
    "use",
}
RULES = load_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_message_says_how_to_fix(rule, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    messages = set()
    for index, example in enumerate(e for e in rule.examples() if e.expect == "fail"):
        findings = lint_text(tmp_path / str(index), example.format, example.source)
        messages |= {f.message for f in findings if f.rule_id == rule.id}
    assert messages, f"{rule.id} has no failing example that fires"
    for message in messages:
        _, sep, fix = message.rpartition("; ")
        assert sep and fix.split(" ", 1)[0] in FIX_VERBS, f"{rule.id}: no fix in {message!r}"


def test_junit_stays_well_formed_xml_with_hostile_content():
    from xml.etree import ElementTree as ET

    hostile = finding(1, 1, "SLS201", "error", message="a\x1b]0;t\x07b", resource="R\x00")
    hostile.location = Location("d\x1b/t.yaml", Mark(1, 1, 1, 2))
    report = Report(findings=[hostile], rules=[], files=["d\x1b/t.yaml"])
    root = ET.fromstring(render("junit", report))
    assert next(root.iter("failure")).get("message") == "a\\x1b]0;t\\x07b"
