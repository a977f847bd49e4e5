"""Discovery's fast path helpers give the answers of the straightforward `os.path`/`fnmatch` code.

`display_path`, the exclude matcher and `real_path` run for every file and directory of a tree,
so they were rewritten for speed; these tests hold them to the obvious implementations.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

import pytest

from sls_lint.run.discovery import _excluded
from sls_lint.sources.files import display_path, real_path


def reference_display_path(path: Path) -> str:
    relative = os.path.relpath(path)
    if relative.startswith(".."):
        return Path(os.path.abspath(path)).as_posix()
    return Path(relative).as_posix()


def reference_excluded(display: str, name: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        target = Path(os.path.abspath(display)).as_posix() if pattern.startswith("/") else display
        if fnmatch.fnmatch(target, pattern) or fnmatch.fnmatch(name, pattern):
            return True
        if fnmatch.fnmatch(target, f"{pattern}/*") or fnmatch.fnmatch(target, f"*/{pattern}"):
            return True
    return False


PATHS = [
    ".",
    "a",
    "a/b.yaml",
    "./a/b.yaml",
    "a//b",
    "a/./b",
    "a/../b",
    "a/b/..",
    "..",
    "../x",
    "../../x/y",
    "a/",
    "deep/er/still/template.yaml",
    "name with space/t.yml",
    "ünï/çødé.tf",
]


@pytest.mark.parametrize("text", PATHS)
def test_display_path_is_relpath_or_absolute(tmp_path, monkeypatch, text):
    work = tmp_path / "work" / "dir"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    for path in (Path(text), Path(os.path.abspath(text)), Path("/"), tmp_path):
        assert display_path(path) == reference_display_path(path)
        assert display_path(str(path)) == reference_display_path(path)


def test_display_path_at_the_filesystem_root(monkeypatch):
    monkeypatch.chdir("/")
    for text in ("tmp", "tmp/x.yaml", "/", "/tmp/x"):
        assert display_path(Path(text)) == reference_display_path(Path(text))


PATTERNS = [
    ("generated",),
    ("*.out.yaml",),
    ("build/",),
    ("a/b",),
    ("**/vendor",),
    ("[ab]*.tf", "x?z"),
    ("/abs/anchored/dir",),
    ("a/b", "/somewhere/else/*", "node_modules", "*.json"),
]
CANDIDATES = [
    ("generated/t.yaml", "t.yaml"),
    ("src/generated", "generated"),
    ("x.out.yaml", "x.out.yaml"),
    ("build", "build"),
    ("build/main.tf", "main.tf"),
    ("a/b", "b"),
    ("a/b/c.yml", "c.yml"),
    ("z/a/b", "b"),
    ("lib/vendor/x.tf", "x.tf"),
    ("b1.tf", "b1.tf"),
    ("c.tf", "c.tf"),
    ("xyz", "xyz"),
    ("q/x.json", "x.json"),
    ("other.yaml", "other.yaml"),
]


@pytest.mark.parametrize("patterns", PATTERNS, ids=[" ".join(p) for p in PATTERNS])
def test_exclude_matcher_agrees_with_fnmatch(tmp_path, monkeypatch, patterns):
    monkeypatch.chdir(tmp_path)
    anchored = tuple(p.replace("/abs", str(tmp_path / "abs"), 1) for p in patterns)
    candidates = CANDIDATES + [("abs/anchored/dir/t.yaml", "t.yaml"), ("abs/anchored", "anchored")]
    decided = [_excluded(display, name, anchored) for display, name in candidates]
    assert decided == [reference_excluded(d, n, anchored) for d, n in candidates]
    assert any(decided) or patterns == ("/abs/anchored/dir",)


def test_real_path_is_realpath_through_links(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "sub" / "t.yaml").write_text("x: 1\n")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "file-link.yaml").symlink_to(tmp_path / "real" / "sub" / "t.yaml")
    cache: dict[str, str] = {}
    for text in (
        "real/sub/t.yaml",
        "link/sub/t.yaml",
        "real/file-link.yaml",
        "link/file-link.yaml",
        "real/sub/../sub/t.yaml",
        "missing/x.yaml",
        str(tmp_path / "link" / "sub"),
        ".",
    ):
        assert real_path(text, cache) == os.path.realpath(text)
