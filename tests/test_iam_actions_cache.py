"""The compact IAM catalogue cache: same answers as cfn-lint's full file, robust to damage."""

from __future__ import annotations

import json

from sls_lint.model import aws_data


def _fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    aws_data.iam_actions.cache_clear()


def test_compact_form_matches_the_catalogue(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    compact = aws_data.iam_actions()
    catalogue = aws_data.iam_catalogue()
    services = {s for s, e in catalogue.items() if isinstance(e, dict)}
    assert set(compact) == services
    for service in services:
        scoped, unscoped = compact[service]
        for action, spec in catalogue[service].get("Actions", {}).items():
            assert (action in scoped) == bool((spec or {}).get("Resources"))
            assert (action in unscoped) != (action in scoped)


def test_written_once_then_read_back(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    first = aws_data.iam_actions()
    files = list((tmp_path / "sls-lint").glob("iam-actions-*.json"))
    assert len(files) == 1
    aws_data.iam_actions.cache_clear()
    assert aws_data.iam_actions() == first


def test_a_damaged_cache_file_is_rebuilt(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    expected = aws_data.iam_actions()
    (path,) = (tmp_path / "sls-lint").glob("iam-actions-*.json")
    for damage in ("{not json", json.dumps({"s3": "nope"}), json.dumps({"s3": [1, 2]}), "[]"):
        path.write_text(damage, encoding="utf-8")
        aws_data.iam_actions.cache_clear()
        assert aws_data.iam_actions() == expected


def test_an_unwritable_cache_directory_is_harmless(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where a directory should be
    aws_data.iam_actions.cache_clear()
    assert "s3" in aws_data.iam_actions()
    aws_data.iam_actions.cache_clear()
