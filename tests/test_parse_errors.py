"""Parse errors a user can act on (issue #17, item 14).

JSON errors speak JSON (with JSON's line and column), every position is the error's own and
inside the file (never `1:1` by default, never a line past the end), and Terraform errors say
what HCL expected instead of showing the parser's tokens.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import lint_text

from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import lint_paths


def parse_errors(directory: Path, name: str, text: str) -> list:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return [f for f in lint_paths([directory], [], LintOptions()).findings if f.rule_id == "SLS000"]


def only_error(directory: Path, name: str, text: str):
    errors = parse_errors(directory, name, text)
    assert len(errors) == 1, [e.message for e in errors]
    error = errors[0]
    lines = text.splitlines()
    assert 1 <= error.location.line <= len(lines), "the position must be inside the file"
    return error


def test_json_template_error_says_json_with_json_position(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (
        "{\n"
        '  "AWSTemplateFormatVersion": "2010-09-09",\n'
        '  "Resources": {\n'
        '    "A": {"Type": "AWS::IAM::Role" "Properties": {}}\n'
        "  }\n"
        "}\n"
    )
    error = only_error(tmp_path, "template.json", text)
    assert error.message.startswith("JSON syntax error: Expecting ',' delimiter")
    assert "YAML" not in error.message
    assert (error.location.line, error.location.column) == (4, 36)


def test_terraform_json_error_says_json(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = '{\n  "resource": {\n    "aws_s3_bucket": {"b": {"bucket": "x"\n  }\n}\n'
    error = only_error(tmp_path, "main.tf.json", text)
    assert error.message.startswith("JSON syntax error")


def test_yaml_error_at_the_end_points_at_the_last_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A: [\n\n'
    error = only_error(tmp_path, "template.yaml", text)
    assert (error.location.line, error.location.column) == (3, 7)


HCL_CASES = [
    # (text, line, column, words the message must hold)
    ('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  acl = \n}\n', 3, 9, ["a value"]),
    ('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n', 2, 15, ["'}'", "end of the file"]),
    ('resource "aws_s3_bucket" "b" {\n  bucket = "x" "y"\n}\n', 2, 16, ["a new line"]),
    ('variable "x" {\n  default = [1, 2 }\n}\n', 2, 19, ["']'", "','"]),
    ('locals {\n  a = "unterminated\n}\n', 2, 8, ["closing '\"'", "end of the line"]),
]


@pytest.mark.parametrize(("text", "line", "column", "words"), HCL_CASES)
def test_terraform_errors_speak_hcl(tmp_path, monkeypatch, text, line, column, words):
    monkeypatch.chdir(tmp_path)
    error = only_error(tmp_path, "main.tf", text)
    assert error.message.startswith("HCL syntax error: expected ")
    assert "Token(" not in error.message and "STRING_CHARS" not in error.message
    assert "\n" not in error.message
    for word in words:
        assert word in error.message, error.message
    assert (error.location.line, error.location.column) == (line, column), error.message


def test_no_parser_internals_in_any_hcl_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for index, text in enumerate(
        [
            "x = 1 @ 2\n",
            "locals {\n a = ]\n}\n",
            'resource "a" "b" {\n foo bar\n}\n',
            "a = <<EOF\nx\n",
        ]
    ):
        folder = tmp_path / str(index)
        folder.mkdir()
        findings = lint_text(folder, "terraform", text)
        messages = [f.message for f in findings if f.rule_id == "SLS000"]
        assert messages, text
        for message in messages:
            assert "Token(" not in message and "$END" not in message, message
