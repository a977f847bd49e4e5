"""Per-function roles as each Serverless Framework version builds them (issue #16, item 12):
v4 natively (`iam.role`, `inheritStatements`, `mode: perFunction`, the legacy keys), v3 only
with the serverless-iam-roles-per-function plugin, and no per-function role at all under a
provider-level role."""

from __future__ import annotations

from conftest import by_rule
from test_serverless_loader import graph_of

PROVIDER_ADMIN = """\
service: s
frameworkVersion: '4'
provider:
  name: aws
  runtime: python3.12
  iam:
    role:
{mode}      statements:
        - Effect: Allow
          Action: '*'
          Resource: '*'
      managedPolicies:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
      permissionsBoundary: arn:aws:iam::123456789012:policy/boundary
functions:
  reader:
    handler: h.r
    iam:
{inherit}      role:
        statements:
          - Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::b/*
  writer:
    handler: h.w
"""


def _actions(graph, role) -> list[str]:
    return sorted(
        action
        for statement in graph.statements_of(role)
        for action in statement.get("actions") or ()
    )


def test_v4_function_iam_role_gets_its_own_role_without_provider_statements(tmp_path):
    graph = graph_of(tmp_path, PROVIDER_ADMIN.format(mode="", inherit="")).graph
    reader = graph.role_of(graph.get("ReaderLambdaFunction"))
    assert reader.address == "ReaderIamRoleLambdaExecution"
    assert "*" not in _actions(graph, reader) and "s3:GetObject" in _actions(graph, reader)
    assert reader.get("managed_policy_arns") in (None, [])
    writer = graph.role_of(graph.get("WriterLambdaFunction"))
    assert writer.address == "IamRoleLambdaExecution" and "*" in _actions(graph, writer)


def test_v4_inherit_statements_merges_the_provider_statements(tmp_path):
    text = PROVIDER_ADMIN.format(mode="", inherit="      inheritStatements: true\n")
    graph = graph_of(tmp_path, text).graph
    reader = graph.role_of(graph.get("ReaderLambdaFunction"))
    assert "*" in _actions(graph, reader)


def test_v4_per_function_mode_gives_every_function_a_role(tmp_path):
    graph = graph_of(
        tmp_path, PROVIDER_ADMIN.format(mode="      mode: perFunction\n", inherit="")
    ).graph
    assert graph.get("IamRoleLambdaExecution") is None
    writer = graph.role_of(graph.get("WriterLambdaFunction"))
    assert writer.address == "WriterIamRoleLambdaExecution"
    assert "*" in _actions(graph, writer)
    assert writer.get("managed_policy_arns") == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    assert writer.get("permissions_boundary") == "arn:aws:iam::123456789012:policy/boundary"
    reader = graph.role_of(graph.get("ReaderLambdaFunction"))
    assert "*" in _actions(graph, reader)  # inherits by default in this mode


def test_v4_per_function_mode_inherit_false_drops_provider_statements(tmp_path):
    text = PROVIDER_ADMIN.format(
        mode="      mode: perFunction\n", inherit="      inheritStatements: false\n"
    )
    graph = graph_of(tmp_path, text).graph
    reader = graph.role_of(graph.get("ReaderLambdaFunction"))
    assert "*" not in _actions(graph, reader)
    # managed policies are list-like fields that every per-function role inherits
    assert reader.get("managed_policy_arns") == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]


def test_provider_level_role_disables_per_function_roles(tmp_path):
    text = """\
service: s
frameworkVersion: '4'
provider:
  name: aws
  runtime: python3.12
  iam:
    role: arn:aws:iam::123456789012:role/shared
functions:
  reader:
    handler: h.r
    iam:
      role:
        statements:
          - {Effect: Allow, Action: '*', Resource: '*'}
"""
    graph = graph_of(tmp_path, text).graph
    assert graph.role_of(graph.get("ReaderLambdaFunction")) is None
    assert not graph.roles()


LEGACY = """\
service: s
{header}provider:
  name: aws
  runtime: python3.12
  iamRoleStatements:
    - {{Effect: Allow, Action: '*', Resource: '*'}}
functions:
  f:
    handler: h.f
    iamRoleStatements:
      - {{Effect: Allow, Action: 'sqs:*', Resource: '*'}}
"""


def test_v3_without_plugin_the_function_runs_with_the_provider_role(lint, tmp_path):
    """The legacy keys do nothing in v3 without the plugin: the provider's `Action: '*'` is
    what the function runs with, and its own statements are not deployed."""
    text = LEGACY.format(header="frameworkVersion: '3'\n")
    findings = lint("serverless", text)
    (finding,) = by_rule(findings, "SLS201")
    assert finding.location.line == 7
    assert not by_rule(findings, "SLS202")  # sqs:* is in no deployed policy
    graph = graph_of(tmp_path, text).graph
    assert graph.role_of(graph.get("FLambdaFunction")).address == "IamRoleLambdaExecution"


def test_v3_with_plugin_and_absent_version_give_the_function_its_role(lint, tmp_path):
    """With the plugin (v3) or natively (v4, also when frameworkVersion is absent) the
    function gets its own role; the shared role is still deployed with the provider
    statements, so both wildcards are reported."""
    for header in ("frameworkVersion: '3'\nplugins:\n  - serverless-iam-roles-per-function\n", ""):
        text = LEGACY.format(header=header)
        findings = lint("serverless", text)
        assert [f.location.line for f in by_rule(findings, "SLS201")] == [
            len(header.splitlines()) + 6
        ]
        assert by_rule(findings, "SLS202")
        graph = graph_of(tmp_path, text).graph
        role = graph.role_of(graph.get("FLambdaFunction"))
        assert role.address == "FIamRoleLambdaExecution"
        assert "*" not in _actions(graph, role)
        assert graph.get("IamRoleLambdaExecution") is not None


def test_legacy_keys_in_v4_name_boundary_and_inherit(tmp_path):
    text = """\
service: s
frameworkVersion: '4'
provider:
  name: aws
  runtime: python3.12
  iam:
    role:
      statements:
        - {Effect: Allow, Action: 'sqs:SendMessage', Resource: '*'}
functions:
  f:
    handler: h.f
    iamRoleStatementsName: f-role
    iamPermissionsBoundary: arn:aws:iam::123456789012:policy/b
    iamRoleStatementsInherit: true
    iamRoleStatements:
      - {Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::b/*}
"""
    graph = graph_of(tmp_path, text).graph
    role = graph.role_of(graph.get("FLambdaFunction"))
    assert role.get("role_name") == "f-role"
    assert role.get("permissions_boundary") == "arn:aws:iam::123456789012:policy/b"
    assert "sqs:SendMessage" in _actions(graph, role)
