"""`--format`/`--output` pairings that would corrupt a report are exit 2 (#17 item 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from sls_lint.cli.main import main

VULNERABLE = str(SAMPLES / "cloudformation" / "vulnerable.yaml")


def run(*args: str):
    return CliRunner().invoke(main, ["check", VULNERABLE, *args])


def test_the_old_readme_recipe_is_refused_with_the_pairing(tmp_path):
    target = tmp_path / "sls-lint.sarif"
    result = run("--format", "github", "--format", "sarif", "--output", str(target))
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert f"-f github -> {target}, -f sarif -> stdout" in message
    assert f"-f github -o - -f sarif -o {target}" in message  # what was meant
    assert not target.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("-f", "json", "-f", "text"),
        ("-f", "text", "-f", "junit"),
        ("-f", "gitlab", "-o", "-", "-f", "sarif", "-o", "-"),
        ("-f", "json", "-f", "sarif", "-o", "OUT"),
    ],
)
def test_machine_format_on_stdout_next_to_another_is_exit_2(args, tmp_path):
    args = tuple(str(tmp_path / "r.out") if a == "OUT" else a for a in args)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "--format/--output pairing" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("-f", "json"),
        ("-f", "text", "-f", "github"),
        ("-f", "sarif", "-o", "OUT", "-f", "text"),
        ("-f", "github", "-o", "-", "-f", "sarif", "-o", "OUT"),
        ("-f", "json", "-o", "-", "-f", "text", "-o", "OUT"),
    ],
)
def test_sound_pairings_run(args, tmp_path):
    args = tuple(str(tmp_path / "r.out") if a == "OUT" else a for a in args)
    result = run(*args)
    assert result.exit_code == 1, result.output


def test_github_recipe_writes_sarif_to_the_file_and_annotations_to_stdout(tmp_path):
    target = tmp_path / "sls-lint.sarif"
    result = run(
        "--format", "github", "--output", "-", "--format", "sarif", "--output", str(target)
    )
    assert result.exit_code == 1
    assert result.output.startswith("::error ")
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_formats_from_the_configuration_are_checked_too(tmp_path, monkeypatch):
    (tmp_path / ".sls-lint.toml").write_text('format = ["json", "sarif"]\n')
    (tmp_path / "t.yaml").write_text(Path(VULNERABLE).read_text())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "t.yaml"])
    assert result.exit_code == 2 and "json and sarif" in result.output
