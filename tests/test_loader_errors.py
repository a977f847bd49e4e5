"""A loader bug is an SLS001 finding, never a lost file; integer logical ids are ids like others.

A template is hostile input: when a shape no one foresaw makes a loader raise, the finding must
say it is sls-lint's fault (SLS001, not SLS000 "your file is broken"), and the file's other
resources must still be linted, since a crash that hides every finding is a green run that
should be red.
"""

from __future__ import annotations

import pytest
from conftest import by_rule

from sls_lint.loaders.cloudformation import builder as cfn_builder
from sls_lint.loaders.sam import loader as sam_loader

SAM_INTEGER_ID = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  0:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      Policies:
        - Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      Policies:
        - Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
"""

POLICIES = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  {first}:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
  Second:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
"""

SERVERLESS_INTEGER_ID = """\
service: s
provider:
  name: aws
  runtime: python3.12
functions:
  f:
    handler: h.h
resources:
  Resources:
    1:
      Type: AWS::IAM::ManagedPolicy
      Properties:
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
"""


def test_sam_integer_logical_id_is_linted_like_any_other(lint):
    findings = lint("sam", SAM_INTEGER_ID)
    assert not by_rule(findings, "SLS000") and not by_rule(findings, "SLS001")
    assert sorted(f.resource for f in by_rule(findings, "SLS201")) == [
        "0Role.Policies[0].Statement[0]",
        "FnRole.Policies[0].Statement[0]",
    ]


@pytest.mark.parametrize("key", ["0", "true", "1.5"])
def test_cloudformation_non_string_logical_ids(lint, key):
    findings = lint("cloudformation", POLICIES.format(first=key))
    assert not by_rule(findings, "SLS000") and not by_rule(findings, "SLS001")
    assert len(by_rule(findings, "SLS201")) == 2


def test_serverless_integer_logical_id_in_resources(lint):
    findings = lint("serverless", SERVERLESS_INTEGER_ID)
    assert not by_rule(findings, "SLS000") and not by_rule(findings, "SLS001")
    assert by_rule(findings, "SLS201")


def test_builder_failure_loses_one_resource_not_the_file(lint, monkeypatch):
    original = cfn_builder._HANDLERS["AWS::IAM::ManagedPolicy"]

    def fragile(builder, logical_id, resource, props):
        if logical_id == "First":
            raise KeyError("boom")
        return original(builder, logical_id, resource, props)

    monkeypatch.setitem(cfn_builder._HANDLERS, "AWS::IAM::ManagedPolicy", fragile)
    findings = lint("cloudformation", POLICIES.format(first="First"))
    internal = by_rule(findings, "SLS001")
    assert len(internal) == 1 and not by_rule(findings, "SLS000")
    assert internal[0].location.line == 3
    assert "building resource First" in internal[0].message
    assert "KeyError" in internal[0].message and "please report it" in internal[0].message
    assert [f.resource.split(".")[0] for f in by_rule(findings, "SLS201")] == ["Second"]


def test_sam_translation_failure_loses_one_resource_not_the_file(lint, monkeypatch):
    original = sam_loader._HANDLERS["AWS::Serverless::Function"]

    def fragile(tr, logical_id, props, mark):
        if logical_id == "0":
            raise TypeError("unexpected shape")
        return original(tr, logical_id, props, mark)

    monkeypatch.setitem(sam_loader._HANDLERS, "AWS::Serverless::Function", fragile)
    findings = lint("sam", SAM_INTEGER_ID)
    internal = by_rule(findings, "SLS001")
    assert len(internal) == 1 and internal[0].location.line == 4
    assert "translating 0" in internal[0].message
    assert not by_rule(findings, "SLS000")
    assert [f.resource for f in by_rule(findings, "SLS201")] == ["FnRole.Policies[0].Statement[0]"]


def test_a_loader_crash_is_sls001_not_a_parse_error(lint, monkeypatch):
    from sls_lint.loaders.cloudformation import loader as cfn_loader

    def crash(unit, context, result):
        raise RuntimeError("loader bug")

    monkeypatch.setattr(cfn_loader, "load", crash)
    findings = lint("cloudformation", POLICIES.format(first="First"))
    assert [f.rule_id for f in findings] == ["SLS001"]
    assert "internal error while loading (RuntimeError: loader bug" in findings[0].message


TERRAFORM_POLICIES = """\
resource "aws_iam_policy" "first" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "second" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
"""


def test_terraform_translation_failure_loses_one_resource(lint, monkeypatch):
    from sls_lint.loaders.terraform import resources

    original = resources.HANDLERS["aws_iam_policy"]

    def fragile(tr, instance):
        if instance.address.endswith(".first"):
            raise AttributeError("unexpected shape")
        return original(tr, instance)

    monkeypatch.setitem(resources.HANDLERS, "aws_iam_policy", fragile)
    findings = lint("terraform", TERRAFORM_POLICIES)
    (internal,) = by_rule(findings, "SLS001")
    assert internal.location.file == "main.tf" and internal.location.line == 1
    assert "translating aws_iam_policy.first" in internal.message
    assert [f.resource.split(".Statement")[0] for f in by_rule(findings, "SLS201")] == [
        "aws_iam_policy.second"
    ]


SERVERLESS_TWO_FUNCTIONS = """\
service: s
provider:
  name: aws
  runtime: python3.12
functions:
  broken:
    handler: h.h
    url: true
  fine:
    handler: h.h
    url: true
"""


def test_serverless_compile_failure_loses_one_function(lint, monkeypatch):
    from sls_lint.loaders.serverless import loader as sls_loader

    original = sls_loader.compile_function

    def fragile(service, name, function, key_mark):
        if name == "broken":
            raise ValueError("unexpected shape")
        return original(service, name, function, key_mark)

    monkeypatch.setattr(sls_loader, "compile_function", fragile)
    findings = lint("serverless", SERVERLESS_TWO_FUNCTIONS)
    (internal,) = by_rule(findings, "SLS001")
    assert internal.location.line == 6 and "compiling function broken" in internal.message
    assert not by_rule(findings, "SLS000")
    assert [f.resource for f in by_rule(findings, "SLS102")] == ["FineLambdaFunctionUrl"]
