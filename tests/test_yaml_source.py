"""The located YAML/JSON loader: positions, CloudFormation tags, limits."""

from __future__ import annotations

import pytest

from sls_lint.sources.located import LDict, LList
from sls_lint.sources.yaml_source import SourceError, YamlLimits, load_json, load_yaml

TEMPLATE = """\
AWSTemplateFormatVersion: 2010-09-09
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      Other: !GetAtt [FnRole, Arn]
      Name: !Sub "${AWS::StackName}-fn"
      Long: !Sub
        - "${A}-x"
        - A: !Ref Param
      Flag: yes
      Count: 010
      Items:
        - one
        - !If [Cond, a, !Ref AWS::NoValue]
"""


def test_every_value_keeps_its_line_and_column():
    doc = load_yaml(TEMPLATE)
    assert isinstance(doc, LDict)
    assert doc["AWSTemplateFormatVersion"] == "2010-09-09"  # a version, not a date
    props = doc["Resources"]["Fn"]["Properties"]
    assert props.key_mark("Role")[:2] == (6, 7)
    assert props.mark_of("Role")[:2] == (6, 13)
    assert props["Role"] == {"Fn::GetAtt": ["FnRole", "Arn"]}
    assert props["Other"] == {"Fn::GetAtt": ["FnRole", "Arn"]}
    assert props["Name"] == {"Fn::Sub": "${AWS::StackName}-fn"}
    assert props["Long"]["Fn::Sub"][1] == {"A": {"Ref": "Param"}}
    assert props["Flag"] is True
    assert props["Count"] == 8  # YAML 1.1 octal, as CloudFormation reads it
    items = props["Items"]
    assert isinstance(items, LList)
    assert [m.line for m in items.item_marks] == [15, 16]
    assert items[1] == {"Fn::If": ["Cond", "a", {"Ref": "AWS::NoValue"}]}


@pytest.mark.parametrize(
    ("tag", "long_form"),
    [
        ("!Join", "Fn::Join"),
        ("!Select", "Fn::Select"),
        ("!Split", "Fn::Split"),
        ("!FindInMap", "Fn::FindInMap"),
        ("!ImportValue", "Fn::ImportValue"),
        ("!Base64", "Fn::Base64"),
        ("!Cidr", "Fn::Cidr"),
        ("!GetAZs", "Fn::GetAZs"),
        ("!Condition", "Condition"),
        ("!Equals", "Fn::Equals"),
        ("!And", "Fn::And"),
        ("!Or", "Fn::Or"),
        ("!Not", "Fn::Not"),
        ("!Ref", "Ref"),
    ],
)
def test_short_tags_become_long_forms(tag, long_form):
    doc = load_yaml(f"Value: {tag} [a, b]\n")
    assert list(doc["Value"]) == [long_form]


def test_json_templates_get_locations():
    text = (
        '{\n\t"Resources": {\n\t\t"Fn": {\n\t\t\t"Type": "AWS::Lambda::Function"\n\t\t}\n\t}\n}\n'
    )
    doc = load_json(text)
    fn = doc["Resources"]["Fn"]
    assert fn.key_mark("Type")[:2] == (4, 4)
    assert fn["Type"] == "AWS::Lambda::Function"


def test_syntax_error_has_a_position():
    with pytest.raises(SourceError) as raised:
        load_yaml("Resources:\n  Fn:\n    Type: [unclosed\n")
    assert raised.value.line >= 3


def test_billion_laughs_is_bounded():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(SourceError, match="alias"):
        load_yaml("\n".join(lines) + "\n")


def test_nesting_depth_is_bounded():
    with pytest.raises(SourceError, match="nesting"):
        load_yaml("[" * 500 + "]" * 500, YamlLimits(max_depth=100))


def test_multiple_documents_are_an_error():
    with pytest.raises(SourceError):
        load_yaml("a: 1\n---\nb: 2\n")


def test_merge_keys_are_applied():
    doc = load_yaml("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n")
    assert doc["thing"] == {"x": 1, "y": 3}
