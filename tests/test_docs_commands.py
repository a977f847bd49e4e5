"""Every `sls-lint ...` command line in the documentation runs, so the docs cannot drift.

The commands are taken from the fenced blocks of README.md and docs/*.md (shell lines, YAML
`run:`/`script:` entries and their folded continuation lines) and run in order, in a sandbox
holding a copy of the samples, a `template.yaml` and a `policies/` folder (the tutorial policies
of docs/policies, which docs/policies.md lints with), with the working directory there: a
command that names an option that no longer exists, pairs formats wrongly (exit 2) or crashes
fails this test. Reports written to files must parse as their format.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from conftest import REPO, SAMPLES

from sls_lint.cli.main import main
from sls_lint.cli.pairing import pairing

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SUBCOMMANDS = ("check", "rules", "explain", "test-policies", "graph", "merge-sarif")
COMMAND = re.compile(rf"(?:^|(?<=[\s/]))sls-lint (?:{'|'.join(SUBCOMMANDS)})\b")
SHELL_BREAKS = {">", ">>", "|", "&&", "||", ";", "2>", "&"}


def fenced_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(language, lines) of each fenced code block."""
    blocks, current, language = [], None, ""
    for line in text.splitlines():
        fence = line.strip().startswith("```")
        if fence and current is None:
            current, language = [], line.strip()[3:].strip()
        elif fence:
            blocks.append((language, current))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def commands_in(text: str) -> list[str]:
    """The `sls-lint <subcommand> ...` command lines of the fenced blocks, joined."""
    found = []
    for language, lines in fenced_blocks(text):
        if language in ("text", "console-output", "json", "toml", "hcl"):
            continue  # example output and configuration, not commands
        index = 0
        while index < len(lines):
            line = lines[index]
            match = COMMAND.search(line)
            index += 1
            if match is None:
                continue
            command = line[match.start() :]
            base = _indent(line)
            while command.rstrip().endswith("\\") and index < len(lines):
                command = command.rstrip()[:-1] + " " + lines[index].strip()
                index += 1
            if language in ("yaml", "yml"):  # a folded scalar continues on deeper lines
                while index < len(lines):
                    following = lines[index]
                    stripped = following.strip()
                    if (
                        not stripped
                        or _indent(following) < base
                        or stripped.startswith("- ")
                        or re.match(r"^[\w-]+:(\s|$)", stripped)
                    ):
                        break
                    command += " " + stripped
                    index += 1
            found.append(command)
    return found


def arguments(command: str) -> list[str]:
    """shlex words up to the first shell operator, with `[OPTIONAL]` parts unwrapped."""
    words = []
    for word in shlex.split(command, comments=True):
        if word in SHELL_BREAKS:
            break
        if word.startswith("[") and word.endswith("...]"):
            continue  # `[PATHS...]`: the default
        words.append(word.strip("[]"))
    assert words[0] == "sls-lint", command
    return words[1:]


def _documented() -> list[tuple[str, list[str]]]:
    return [
        (path.relative_to(REPO).as_posix(), commands_in(path.read_text(encoding="utf-8")))
        for path in DOCUMENTS
    ]


DOCUMENTED = [(name, commands) for name, commands in _documented() if commands]


def test_the_readme_commands_are_found():
    readme = dict(DOCUMENTED)["README.md"]
    assert len(readme) >= 10
    assert any("--format github --output - --format sarif" in c for c in readme), readme
    assert any(c.startswith("sls-lint check . --exit-zero -f gitlab") for c in readme), readme
    assert arguments("sls-lint rules [--format json]  # a comment") == ["rules", "--format", "json"]
    assert arguments("sls-lint graph t.yaml > graph.dot") == ["graph", "t.yaml"]
    assert arguments("sls-lint check [PATHS...]") == ["check"]


def _check_written_reports(args: list[str], sandbox: Path) -> None:
    if not args or args[0] != "check":
        return
    formats, outputs = [], []
    for flag, value in zip(args, args[1:], strict=False):
        if flag in ("-f", "--format", "--output-format"):
            formats.append(value)
        elif flag in ("-o", "--output"):
            outputs.append(Path(value))
    for fmt, target in pairing(formats, outputs):
        if target is None or str(target) == "-":
            continue
        text = (sandbox / target).read_text(encoding="utf-8")
        if fmt in ("json", "sarif", "gitlab"):
            document = json.loads(text)
            if fmt == "sarif":
                assert document["version"] == "2.1.0"
        elif fmt == "junit":
            ET.fromstring(text)


@pytest.mark.parametrize(("document", "commands"), DOCUMENTED, ids=[d for d, _ in DOCUMENTED])
def test_documented_commands_run_on_the_samples(document, commands, tmp_path, monkeypatch):
    sandbox = tmp_path / "project"
    shutil.copytree(SAMPLES, sandbox / "samples")
    shutil.copy(SAMPLES / "cloudformation" / "vulnerable.yaml", sandbox / "template.yaml")
    shutil.copytree(REPO / "docs" / "policies", sandbox / "policies")
    (sandbox / ".git").mkdir()
    monkeypatch.chdir(sandbox)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for command in commands:
        args = arguments(command)
        result = CliRunner().invoke(main, args)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{document}: `{command}` crashed") from result.exception
        assert result.exit_code in (0, 1), (
            f"{document}: `{command}` exit {result.exit_code}:\n" + (result.output[-2000:])
        )
        _check_written_reports(args, sandbox)
