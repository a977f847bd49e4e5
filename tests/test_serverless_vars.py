"""Serverless variable resolution: values, fallbacks, includes, and hostile input."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import by_rule

from sls_lint.loaders.serverless.variables import (
    MAX_INCLUDE_DEPTH,
    MAX_STRING,
    Derived,
    VariableContext,
    VariableResolver,
)
from sls_lint.model.values import Unknown
from sls_lint.sources.yaml_source import load_yaml


def resolve(directory: Path, text: str, **options):
    path = directory / "serverless.yml"
    path.write_text(text, encoding="utf-8")
    resolver = VariableResolver(load_yaml(text), VariableContext(path, "serverless.yml", **options))
    return resolver.resolve_config(), resolver


def test_self_opt_sls_and_fallbacks(tmp_path):
    config, resolver = resolve(
        tmp_path,
        "service: shop\n"
        "custom:\n  table: ${self:service}-${sls:stage}\n  mem: {dev: 256}\n"
        "provider:\n  stage: ${opt:stage, 'dev'}\n  region: ${opt:region, 'eu-west-1'}\n"
        "  memorySize: ${self:custom.mem.${sls:stage}, 1024}\n"
        "  timeout: ${opt:timeout, 10}\n  missing: ${self:custom.nope, self:custom.table}\n",
    )
    assert config["custom"]["table"] == "shop-dev"
    assert config["provider"]["memorySize"] == 256
    assert config["provider"]["timeout"] == 10
    assert config["provider"]["missing"] == "shop-dev"
    assert resolver.stage() == "dev" and resolver.region() == "eu-west-1"
    config, resolver = resolve(
        tmp_path, "service: shop\nprovider:\n  stage: ${opt:stage, 'dev'}\n", stage="prod"
    )
    assert config["provider"]["stage"] == "prod" and resolver.stage() == "prod"


def test_deploy_time_sources_are_unknown(tmp_path):
    config, _ = resolve(
        tmp_path,
        "a: ${ssm:/x}\nb: ${cf:stack.out}\nc: ${s3:bucket/key}\nd: ${aws:accountId}\n"
        "e: ${param:db}\nf: ${sls:instanceId}\ng: ${env:HOME}\nh: pre-${ssm:/y}\n"
        "i: ${custom:plugin}\nj: ${file(./code.js)}\n",
    )
    for key in "abcdefgij":
        assert isinstance(config[key], Unknown), key
    assert isinstance(config["h"], Derived) and config["h"] == "pre-${ssm:/y}"


def test_env_and_param_when_allowed(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOP_REGION", "ap-south-1")
    config, _ = resolve(
        tmp_path,
        "a: ${env:SHOP_REGION}\nb: ${param:db}\nparams:\n  default:\n    other: x\n",
        resolve_env=True,
        variables={"db": "orders"},
    )
    assert config["a"] == "ap-south-1" and isinstance(config["a"], Derived)
    assert config["b"] == "orders"


def test_cloudformation_substitutions_are_left_alone(tmp_path):
    config, _ = resolve(
        tmp_path, "a: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/${self:x}'\nx: k\n"
    )
    assert config["a"] == {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/k"}


def test_file_include_and_key(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "dev.yml").write_text(
        "vpc:\n  subnets:\n    - subnet-1\n    - ${self:service}\n"
    )
    config, resolver = resolve(
        tmp_path,
        "service: shop\nall: ${file(./config/${sls:stage}.yml)}\n"
        "subnets: ${file(./config/dev.yml):vpc.subnets}\nnone: ${file(./absent.yml), 'x'}\n",
    )
    assert config["subnets"] == ["subnet-1", "shop"]
    assert config["all"]["vpc"]["subnets"][1] == "shop"
    assert config["none"] == "x"
    mark = config["subnets"].item_marks[1]
    assert (mark.line, mark.file.endswith("config/dev.yml")) == (4, True)
    assert any(path.endswith("config/dev.yml") for path in resolver.texts)


def test_finding_in_included_file_points_into_it(lint):
    Path("iam.yml").write_text(
        "statements:\n  - Effect: Allow\n    Action: '*'\n    Resource: '*'\n", encoding="utf-8"
    )
    findings = lint(
        "serverless",
        "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n  iam:\n    role:\n"
        "      statements: ${file(./iam.yml):statements}\nfunctions:\n  f:\n    handler: h.f\n",
    )
    (finding,) = by_rule(findings, "SLS201")
    assert (finding.location.file, finding.location.line) == ("iam.yml", 3)


def test_finding_on_resolved_scalar_points_at_the_variable(lint):
    findings = lint(
        "serverless",
        "service: s\ncustom:\n  action: '*'\nprovider:\n  name: aws\n  runtime: python3.12\n"
        "  iamRoleStatements:\n    - Effect: Allow\n      Action: ${self:custom.action}\n"
        "      Resource: '*'\nfunctions:\n  f:\n    handler: h.f\n",
    )
    (finding,) = by_rule(findings, "SLS201")
    assert (finding.location.file, finding.location.line) == ("serverless.yml", 9)


# -- hostile input ----------------------------------------------------------------------------
def test_path_traversal_is_refused(tmp_path):
    service = tmp_path / "svc"
    service.mkdir()
    config, resolver = resolve(
        service, "a: ${file(../../../etc/passwd)}\nb: ${file(/etc/passwd)}\n"
    )
    assert isinstance(config["a"], Unknown) and isinstance(config["b"], Unknown)
    assert len(resolver.problems) == 2
    assert resolver.problems[0].mark.line == 1 and "outside the project root" in (
        resolver.problems[0].message
    )
    assert resolver.texts == {}


def test_project_root_allows_a_sibling_but_not_beyond(tmp_path):
    (tmp_path / "shared.yml").write_text("x: 1\n")
    service = tmp_path / "svc"
    service.mkdir()
    config, _ = resolve(service, "a: ${file(../shared.yml):x}\n", project_root=tmp_path)
    assert config["a"] == 1
    config, _ = resolve(service, "a: ${file(../shared.yml):x}\n")
    assert isinstance(config["a"], Unknown)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_pointing_outside_is_refused(tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text("secret: 1\n")
    service = tmp_path / "svc"
    service.mkdir()
    (service / "link.yml").symlink_to(outside)
    config, resolver = resolve(service, "a: ${file(./link.yml):secret}\n")
    assert isinstance(config["a"], Unknown)
    assert "outside the project root" in resolver.problems[0].message


def test_include_loop_is_stopped(tmp_path):
    (tmp_path / "a.yml").write_text("next: ${file(./b.yml)}\n")
    (tmp_path / "b.yml").write_text("next: ${file(./a.yml)}\n")
    config, resolver = resolve(tmp_path, "start: ${file(./a.yml)}\n")
    assert isinstance(config["start"]["next"]["next"], Unknown)
    assert any("loop" in p.message for p in resolver.problems)


def test_include_depth_is_bounded(tmp_path):
    for index in range(MAX_INCLUDE_DEPTH + 5):
        (tmp_path / f"f{index}.yml").write_text(f"v: ${{file(./f{index + 1}.yml):v}}\n")
    config, resolver = resolve(tmp_path, "a: ${file(./f0.yml):v}\n")
    assert isinstance(config["a"], Unknown)
    assert any("nested deeper" in p.message for p in resolver.problems)


def test_self_reference_loops_and_deep_nesting(tmp_path):
    nested = "${self:a, " * 40 + "'x'" + "}" * 40
    config, _ = resolve(tmp_path, f"a: ${{self:b}}\nb: ${{self:a}}\nc: ${{self:c}}\nd: {nested}\n")
    assert isinstance(config["a"], Unknown) and isinstance(config["c"], Unknown)
    assert isinstance(config["d"], (Unknown, str))


def test_exponential_fan_out_is_bounded(tmp_path):
    lines = ["v0: xxxxxxxxxxxxxxxx"]
    lines += [f"v{i}: ${{self:v{i - 1}}}${{self:v{i - 1}}}" for i in range(1, 60)]
    started = time.monotonic()
    config, _ = resolve(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - started < 5
    assert config["v10"] == "x" * 16 * 2**10  # small expansions are exact
    v59 = config["v59"]
    assert isinstance(v59, (Unknown, Derived)) and len(str(v59)) <= MAX_STRING  # never built


def test_many_includes_are_bounded(tmp_path):
    for index in range(250):
        (tmp_path / f"i{index}.yml").write_text(f"v: {index}\n")
    text = "".join(f"k{index}: ${{file(./i{index}.yml):v}}\n" for index in range(250))
    config, resolver = resolve(tmp_path, text)
    assert config["k0"] == 0 and isinstance(config["k249"], Unknown)
    assert any("included files" in p.message for p in resolver.problems)


def test_hostile_include_is_sls000_and_linting_goes_on(lint):
    Path("bad.yml").write_text("a: [\n", encoding="utf-8")
    findings = lint(
        "serverless",
        "service: s\ncustom:\n  x: ${file(./bad.yml)}\n  y: ${file(../../etc/passwd)}\n"
        "provider:\n  name: aws\n  runtime: python3.8\nfunctions:\n  f:\n    handler: h.f\n",
    )
    problems = sorted((f.location.file, f.location.line) for f in by_rule(findings, "SLS000"))
    # bad.yml has one line: its error is at the end of that line, not on a line past the end.
    assert problems == [("bad.yml", 1), ("serverless.yml", 4)]
    assert by_rule(findings, "SLS601")  # the service itself was still linted
