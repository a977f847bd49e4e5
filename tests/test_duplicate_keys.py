"""A key written twice in one YAML/JSON mapping is reported at the second key as SLS006
(issue #16, item 14); YAML merge keys (`<<:`) overridden by an explicit key are not."""

from __future__ import annotations

import pytest
from conftest import by_rule

from sls_lint.sources.yaml_source import load_json, load_yaml

TEMPLATE = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Role: arn:aws:iam::123456789012:role/reader
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/admin
      Code: {ZipFile: x}
"""

SERVICE = """\
service: s
provider:
  name: aws
  runtime: python3.12
functions:
  api:
    handler: a.h
  api:
    handler: b.h
"""


@pytest.mark.parametrize(
    ("fmt", "text", "line", "key"),
    [
        ("cloudformation", TEMPLATE, 8, "Role"),
        ("sam", "Transform: AWS::Serverless-2016-10-31\n" + TEMPLATE, 9, "Role"),
        ("serverless", SERVICE, 8, "api"),
    ],
)
def test_second_key_is_reported(lint, fmt, text, line, key):
    (finding,) = by_rule(lint(fmt, text), "SLS006")
    assert finding.location.line == line and finding.severity == "warning"
    assert f"Key '{key}' is written twice" in finding.message
    assert f"first at line {line - 2}" in finding.message


def test_json_template(lint):
    text = (
        '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Fn": {"Type": '
        '"AWS::Lambda::Function", "Properties": {"Handler": "a", "Runtime": "python3.12",\n'
        '"Handler": "b"}}}}\n'
    )
    (finding,) = by_rule(lint("cloudformation", text, name="template.json"), "SLS006")
    assert (finding.location.line, finding.location.column) == (2, 1)


def test_clean_files_and_merge_keys_pass(lint):
    assert not by_rule(
        lint(
            "cloudformation",
            TEMPLATE.replace("      Role: arn:aws:iam::123456789012:role/reader\n", ""),
        ),
        "SLS006",
    )
    merged = """\
service: s
custom:
  base: &base
    handler: a.h
    timeout: 3
provider:
  name: aws
  runtime: python3.12
functions:
  api:
    <<: *base
    timeout: 6
"""
    assert not by_rule(lint("serverless", merged), "SLS006")


def test_last_value_wins_and_fingerprint_ignores_lines():
    duplicates: list = []
    document = load_yaml("a: 1\nb: 2\na: 3\n", duplicates=duplicates)
    assert document["a"] == 3
    assert [(d.key, d.first.line, d.second.line) for d in duplicates] == [("a", 1, 3)]
    assert load_json('{"x": 1, "x": 2}')["x"] == 2  # no list given: nothing collected


def test_fingerprint_survives_moving_lines(lint):
    (before,) = by_rule(lint("cloudformation", TEMPLATE), "SLS006")
    (after,) = by_rule(lint("cloudformation", "# a comment\n" + TEMPLATE), "SLS006")
    assert before.location.line + 1 == after.location.line
    assert before.fingerprint == after.fingerprint
