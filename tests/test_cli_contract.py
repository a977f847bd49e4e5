"""The command line's contract under misuse and failure (issue #17, items 13 and 17).

Validation (exit 2 for what cannot be right), Ctrl-C (exit 130), and output failures (one line,
exit 2; report files whole or not at all).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from sls_lint.cli.main import main

VULNERABLE = str(SAMPLES / "cloudformation" / "vulnerable.yaml")
EXE = [sys.executable, "-m", "sls_lint"]


def run(*args: str, cwd: Path | None = None):
    if cwd is None:
        return CliRunner().invoke(main, list(args))
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


# -- item 13: validate what is checked ---------------------------------------------------------


def test_sarif_root_must_exist(tmp_path):
    result = run("check", VULNERABLE, "-f", "sarif", "--sarif-root", str(tmp_path / "nope"))
    assert result.exit_code == 2, result.output


def test_sarif_root_must_contain_the_scanned_paths(tmp_path):
    result = run("check", VULNERABLE, "-f", "sarif", "--sarif-root", str(tmp_path))
    assert result.exit_code == 2
    assert "does not contain" in result.output
    # A root above the scanned paths is fine.
    ok = run("check", VULNERABLE, "-f", "sarif", "--sarif-root", str(SAMPLES))
    assert ok.exit_code == 1, ok.output


def test_config_format_is_validated_even_when_the_flag_overrides_it(tmp_path):
    (tmp_path / ".sls-lint.toml").write_text('format = ["xml"]\n')
    template = tmp_path / "template.yaml"
    template.write_text(Path(VULNERABLE).read_text())
    result = run("check", str(template), "-f", "json", cwd=tmp_path)
    assert result.exit_code == 2
    assert "unknown format 'xml'" in result.output


def test_negative_jobs_are_refused():
    result = run("check", VULNERABLE, "--jobs", "-1")
    assert result.exit_code == 2
    assert "--jobs" in result.output


def test_missing_var_file_is_exit_2(tmp_path):
    result = run("check", VULNERABLE, "--var-file", str(tmp_path / "missing.tfvars"))
    assert result.exit_code == 2
    assert "missing.tfvars" in result.output


def test_missing_var_file_in_config_is_exit_2(tmp_path):
    (tmp_path / ".sls-lint.toml").write_text('var-files = ["prod.tfvars"]\n')
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    result = run("check", str(tmp_path), cwd=tmp_path)
    assert result.exit_code == 2
    assert "prod.tfvars" in result.output


def test_graph_of_unparseable_input_reports_the_errors_and_exits_2(tmp_path):
    (tmp_path / "template.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A: [\n'
    )
    done = subprocess.run(
        [*EXE, "graph", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert "template.yaml:" in done.stderr and "SLS000" in done.stderr
    assert "Traceback" not in done.stderr


def test_graph_with_some_parse_errors_still_shows_the_graph(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "template.yaml").write_text("AWSTemplateFormatVersion: x\nResources: [\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "template.yaml").write_text(
        "AWSTemplateFormatVersion: x\nResources:\n  B:\n    Type: AWS::IAM::Role\n"
    )
    done = subprocess.run(
        [*EXE, "graph", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # Exit 1: drawn, but the picture misses a file (exit 0 only when every file was drawn).
    assert done.returncode == 1, done.stderr
    assert "SLS000" in done.stderr and '"nodes"' in done.stdout


def _slow_tree(root: Path, count: int = 400) -> Path:
    body = "".join(
        f"  Role{i}:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n"
        "        - PolicyDocument:\n            Statement:\n"
        "              - {Effect: Allow, Action: '*', Resource: '*'}\n"
        for i in range(40)
    )
    for index in range(count):
        folder = root / f"svc{index:04d}"
        folder.mkdir(parents=True)
        (folder / "template.yaml").write_text(
            f"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n{body}"
        )
    return root


def test_ctrl_c_exits_130(tmp_path):
    tree = _slow_tree(tmp_path / "tree")
    process = subprocess.Popen(
        [*EXE, "check", str(tree), "--jobs", "1", "-f", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr


# -- item 17: output failures are clean and atomic ---------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["check", VULNERABLE, "-f", "json"], ["rules"]])
def test_write_error_on_stdout_is_one_line_and_exit_2(command):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*EXE, *command], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "cannot write to stdout" in lines[0]


def test_report_file_is_replaced_whole_or_not_at_all(tmp_path):
    """A write that fails half-way (here: text that cannot be encoded) keeps the old report."""
    from sls_lint.cli.support import write_report

    target = tmp_path / "report.sarif"
    target.write_text("previous complete report\n")
    with pytest.raises(UnicodeEncodeError):
        write_report(target, "x" * 100_000 + "\ud800" + "tail")
    assert target.read_text() == "previous complete report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.sarif"]


def test_report_file_keeps_its_permissions(tmp_path):
    from sls_lint.cli.support import write_report

    target = tmp_path / "report.json"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_report(target, "new")
    assert target.read_text() == "new"
    assert os.stat(target).st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.json"
    write_report(fresh, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(fresh).st_mode & 0o777 == 0o666 & ~umask


def test_baseline_file_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    from sls_lint.state import baseline

    target = tmp_path / "baseline.json"
    target.write_text("previous baseline\n")

    def broken_render(findings, baseline_file):
        return '{"half": "' + "\ud800"

    monkeypatch.setattr(baseline, "render", broken_render)
    with pytest.raises(UnicodeEncodeError):
        baseline.write([], target)
    assert target.read_text() == "previous baseline\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]


def test_special_files_and_links_are_written_in_place(tmp_path):
    """`-o /dev/null` must not replace the device with a file (as root it could); a link to a
    report stays a link."""
    import stat

    from sls_lint.cli.support import write_report

    write_report(Path(os.devnull), "discarded\n")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    real = tmp_path / "real.sarif"
    real.write_text("old")
    link = tmp_path / "link.sarif"
    link.symlink_to(real)
    write_report(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
