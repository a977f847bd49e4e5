"""Housekeeping (#17 item 15): relative JUnit paths, bounded caches, a clean samples folder, and
console scripts found next to the interpreter (so `.venv/bin/python -m pytest` skips nothing)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner
from conftest import REPO, SAMPLES, tool

from sls_lint.cli.main import main
from sls_lint.loaders.terraform.cache import ParseCache
from sls_lint.model import aws_data


def test_junit_paths_are_relative_to_the_root_even_for_absolute_arguments(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "infra").mkdir(parents=True)
    (project / ".git").mkdir()
    target = project / "infra" / "template.yaml"
    target.write_text((SAMPLES / "cloudformation" / "vulnerable.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", str(target.resolve()), "-f", "junit"])
    assert result.exit_code == 1, result.output
    root = ET.fromstring(result.output)
    names = {suite.get("name") for suite in root.iter("testsuite")}
    files = {case.get("file") for case in root.iter("testcase")}
    classes = {case.get("classname") for case in root.iter("testcase")}
    assert names == files == classes == {"infra/template.yaml"}
    failure = next(root.iter("failure"))
    assert failure.text.startswith("infra/template.yaml:")


def test_parse_cache_keeps_only_the_current_version(tmp_path):
    old = tmp_path / "hcl-0.0.9-8.1.0-t1" / "ab"
    old.mkdir(parents=True)
    (old / "ab12.json").write_text("{}")
    unrelated = tmp_path / "iam-actions-v1-1-2.json"
    unrelated.write_text("{}")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-outside"
    elsewhere.mkdir()
    (tmp_path / "hcl-link-t1").symlink_to(elsewhere, target_is_directory=True)
    cache = ParseCache(tmp_path, "0.2.0-8.1.4")
    cache.put('resource "a" "b" {}\n', [{"resource": []}])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "hcl-0.2.0-8.1.4-t1",
        "iam-actions-v1-1-2.json",
    ]
    assert elsewhere.is_dir()  # a link is removed, never followed
    assert cache.get('resource "a" "b" {}\n') == [{"resource": []}]
    # A second version in the same process keeps the first one's folder until it writes.
    ParseCache(tmp_path, "0.3.0-8.1.4").put("x = 1\n", [])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("hcl-")] == [
        "hcl-0.3.0-8.1.4-t1"
    ]


def test_iam_catalogue_cache_keeps_one_file(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "sls-lint"
    folder.mkdir()
    (folder / "iam-actions-v1-10-20.json").write_text("{}")
    (folder / "hcl-0.1.0-8.1.4-t1").mkdir()
    aws_data.iam_actions.cache_clear()
    try:
        aws_data.iam_actions()
    finally:
        aws_data.iam_actions.cache_clear()
    names = sorted(p.name for p in folder.iterdir())
    assert len([n for n in names if n.startswith("iam-actions-")]) == 1
    assert "iam-actions-v1-10-20.json" not in names and "hcl-0.1.0-8.1.4-t1" in names


def test_no_cache_files_in_samples():
    """Samples hold applications only: a test or run must never leave parse caches there."""
    strays = [
        p.relative_to(REPO).as_posix()
        for p in SAMPLES.rglob("*")
        if p.name.startswith("hcl-") or p.name == "cache" or p.suffix == ".tmp"
    ]
    assert strays == []
    tracked = subprocess.run(
        ["git", "ls-files", "samples"], cwd=REPO, capture_output=True, text=True, check=False
    )
    if tracked.returncode == 0:
        assert not [line for line in tracked.stdout.splitlines() if "/cache/" in line]


def test_console_scripts_are_found_next_to_the_interpreter(monkeypatch):
    monkeypatch.setenv("PATH", os.defpath if os.name != "nt" else "")
    exe = tool("sls-lint")
    assert exe is not None, "sls-lint must be installed next to sys.executable"
    assert Path(exe).parent == Path(sys.executable).parent
