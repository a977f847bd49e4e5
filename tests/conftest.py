"""Shared test helpers: lint a snippet written in one of the four formats."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from sls_lint.model.findings import Finding
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import lint_paths
from sls_lint.run.registry import load_rules

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "samples"


def tool(name: str) -> str | None:
    """A console script of this environment, else one on PATH (None when there is none).

    `.venv/bin/python -m pytest` runs without the virtualenv on PATH: its scripts (`sls-lint`,
    `pre-commit`) sit next to the interpreter, and a test must find them there rather than skip.
    """
    folder = Path(sys.executable).parent
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


FILE_NAMES = {
    "cloudformation": "template.yaml",
    "sam": "template.yaml",
    "serverless": "serverless.yml",
    "terraform": "main.tf",
}


def lint_text(
    directory: Path,
    fmt: str,
    text: str,
    name: str | None = None,
    options: LintOptions | None = None,
) -> list[Finding]:
    """Write `text` as a file of `fmt` in `directory` and lint it with every rule."""
    path = directory / (name or FILE_NAMES[fmt])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    rules = [cls() for cls in load_rules()]
    return lint_paths([directory], rules, options or LintOptions()).findings


@pytest.fixture
def lint(tmp_path, monkeypatch):
    """`lint(fmt, text)` -> findings; paths in findings are relative to tmp_path."""
    monkeypatch.chdir(tmp_path)

    def run(fmt: str, text: str, name: str | None = None, **kwargs) -> list[Finding]:
        return lint_text(Path("."), fmt, text, name, **kwargs)

    return run


def ids(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


def by_rule(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]
