"""The Serverless Framework loader: the framework's semantics, located at the user's lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, by_rule, ids

from sls_lint.loaders import LoadContext, load_unit
from sls_lint.model.graph import Kind
from sls_lint.model.values import Reference, Unknown
from sls_lint.run.discovery import discover, group_units


def graph_of(tmp_path: Path, text: str, **context):
    (tmp_path / "serverless.yml").write_text(text, encoding="utf-8")
    (unit,) = group_units(discover([tmp_path]))
    result = load_unit(unit, LoadContext(**context))
    return result


SERVICE = """\
service: shop
provider:
  name: aws
  runtime: python3.12
  iam:
    role:
      statements:
        - Effect: Allow
          Action: '*'
          Resource: '*'
functions:
  users:
    handler: users.main
    events:
      - http:
          path: users/{id}
          method: get
      - httpApi: 'POST /users'
  admin:
    handler: admin.main
    events:
      - http:
          path: admin
          method: post
          authorizer: aws_iam
"""


def test_framework_logical_ids_and_shared_role(tmp_path):
    graph = graph_of(tmp_path, SERVICE).graph
    for address in (
        "UsersLambdaFunction",
        "AdminLambdaFunction",
        "IamRoleLambdaExecution",
        "ApiGatewayRestApi",
        "ApiGatewayMethodUsersIdVarGet",
        "ApiGatewayMethodAdminPost",
        "HttpApi",
        "HttpApiRoutePostUsers",
        "UsersLogGroup",
        "HttpApiStage",
    ):
        assert graph.get(address) is not None, address
    role = graph.get("IamRoleLambdaExecution")
    assert sorted(fn.address for fn in graph.functions_assuming(role)) == [
        "AdminLambdaFunction",
        "UsersLambdaFunction",
    ]
    route = graph.get("ApiGatewayMethodUsersIdVarGet")
    assert route.get("path") == "/users/{id}"
    assert [fn.address for fn in graph.functions_invoked_by(route)] == ["UsersLambdaFunction"]
    assert graph.get("ApiGatewayMethodAdminPost").get("authorization_type") == "AWS_IAM"
    assert graph.get("UsersLambdaFunction").format == "serverless"


def test_findings_point_at_the_user_lines(lint):
    findings = lint("serverless", SERVICE)
    assert [f.location.line for f in by_rule(findings, "SLS201")] == [9]
    routes = sorted((f.location.line, f.resource) for f in by_rule(findings, "SLS101"))
    assert routes == [(15, "ApiGatewayMethodUsersIdVarGet"), (18, "HttpApiRoutePostUsers")]
    assert [f.location.line for f in by_rule(findings, "SLS208")] == [5]
    assert {f.location.line for f in by_rule(findings, "SLS304")} == {12, 19}


def test_old_iam_role_statements_and_existing_role(tmp_path, lint):
    old = (
        "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n"
        "  iamRoleStatements:\n    - Effect: Allow\n      Action: s3:*\n"
        "      Resource: arn:aws:s3:::b/*\nfunctions:\n  f:\n    handler: h.f\n"
    )
    assert [f.location.line for f in by_rule(lint("serverless", old), "SLS202")] == [7]
    existing = (
        "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n  iam:\n"
        "    role: arn:aws:iam::123456789012:role/existing\n"
        "functions:\n  f:\n    handler: h.f\n  g:\n    handler: h.g\n"
    )
    graph = graph_of(tmp_path, existing).graph
    assert graph.roles() == [] and graph.nodes(Kind.STATEMENT) == []
    assert graph.get("FLambdaFunction").get("role") == "arn:aws:iam::123456789012:role/existing"


def test_function_role_from_resources_connects(tmp_path):
    text = """\
service: s
provider:
  name: aws
  runtime: python3.12
functions:
  f:
    handler: h.f
    role: WorkerRole
resources:
  Resources:
    WorkerRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument:
          Statement:
            - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
"""
    graph = graph_of(tmp_path, text).graph
    assert graph.role_of(graph.get("FLambdaFunction")).address == "WorkerRole"
    assert graph.get("IamRoleLambdaExecution") is None


@pytest.mark.parametrize(
    ("header", "own_role"),
    [
        ("", True),  # no frameworkVersion: the current major (v4) honours them natively
        ("frameworkVersion: '3'\n", False),  # v3 without the plugin ignores them
        ("frameworkVersion: '2.72.3'\n", False),
        ("frameworkVersion: '3'\nplugins:\n  - serverless-iam-roles-per-function\n", True),
        ("plugins:\n  modules: ['@org/serverless-iam-roles-per-function']\n", True),
        ("frameworkVersion: '4'\n", True),  # honoured natively
        ("frameworkVersion: '>=4.0.0 <5.0.0'\n", True),
    ],
)
def test_legacy_per_function_keys_depend_on_version_and_plugin(tmp_path, header, own_role):
    text = f"""\
service: s
{header}provider:
  name: aws
  runtime: python3.12
functions:
  reader:
    handler: h.r
    iamRoleStatements:
      - Effect: Allow
        Action: s3:GetObject
        Resource: arn:aws:s3:::b/*
  writer:
    handler: h.w
"""
    graph = graph_of(tmp_path, text).graph
    expected = "ReaderIamRoleLambdaExecution" if own_role else "IamRoleLambdaExecution"
    assert graph.role_of(graph.get("ReaderLambdaFunction")).address == expected
    assert graph.role_of(graph.get("WriterLambdaFunction")).address == "IamRoleLambdaExecution"


def test_provider_vpc_ref_reaches_security_group_in_resources(lint):
    text = """\
service: s
provider:
  name: aws
  runtime: python3.12
  vpc:
    securityGroupIds: [!Ref WorkerSecurityGroup]
    subnetIds: [subnet-1]
functions:
  f:
    handler: h.f
resources:
  Resources:
    WorkerSecurityGroup:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: workers
        SecurityGroupEgress:
          - {IpProtocol: '-1', CidrIp: 0.0.0.0/0}
"""
    (finding,) = by_rule(lint("serverless", text), "SLS401")
    assert finding.location.line == 18
    fixed = text.replace(
        "{IpProtocol: '-1', CidrIp: 0.0.0.0/0}",
        "{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}",
    )
    assert by_rule(lint("serverless", fixed), "SLS401") == []


def test_url_forms_and_log_retention(tmp_path):
    text = """\
service: s
provider:
  name: aws
  runtime: python3.12
  logRetentionInDays: 14
functions:
  open:
    handler: h.o
    url: true
  closed:
    handler: h.c
    logRetentionInDays: 90
    url:
      authorizer: aws_iam
"""
    graph = graph_of(tmp_path, text).graph
    assert graph.get("OpenLambdaFunctionUrl").get("auth_type") == "NONE"
    assert graph.get("OpenLambdaPermissionFnUrl") is not None
    assert graph.get("ClosedLambdaFunctionUrl").get("auth_type") == "AWS_IAM"
    assert graph.get("ClosedLambdaPermissionFnUrl") is None
    assert graph.log_group_of(graph.get("OpenLambdaFunction")).get("retention_days") == 14
    assert graph.log_group_of(graph.get("ClosedLambdaFunction")).get("retention_days") == 90


def test_http_authorizer_forms(tmp_path):
    text = """\
service: s
provider:
  name: aws
  runtime: python3.12
functions:
  auth:
    handler: h.auth
  a:
    handler: h.a
    events:
      - http: {path: a, method: get, authorizer: auth}
      - http:
          path: b
          method: get
          authorizer: arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_x
      - http:
          path: c
          method: get
          authorizer: {type: COGNITO_USER_POOLS, authorizerId: !Ref Pool}
      - http: {path: d, method: get, private: true}
      - http: {path: e, method: get, authorizer: '${ssm:/authorizer}'}
"""
    graph = graph_of(tmp_path, text).graph
    a = graph.get("ApiGatewayMethodAGet")
    assert a.get("authorization_type") == "CUSTOM"
    assert [z.address for z in graph.authorizers_of(a)] == ["AuthApiGatewayAuthorizer"]
    authorizer = graph.get("AuthApiGatewayAuthorizer")
    assert [f.address for f in graph.functions_invoked_by(authorizer)] == ["AuthLambdaFunction"]
    assert graph.get("ApiGatewayMethodBGet").get("authorization_type") == "COGNITO_USER_POOLS"
    assert graph.get("ApiGatewayMethodCGet").get("authorization_type") == "COGNITO_USER_POOLS"
    assert graph.get("ApiGatewayMethodDGet").get("api_key_required") is True
    assert isinstance(graph.get("ApiGatewayMethodEGet").get("authorization_type"), Unknown)


def test_http_api_authorizers_and_logs(tmp_path, lint):
    text = """\
service: s
provider:
  name: aws
  runtime: python3.12
  logs:
    httpApi: true
  httpApi:
    authorizers:
      jwt:
        issuerUrl: https://example.com
        audience: [x]
functions:
  f:
    handler: h.f
    events:
      - httpApi: {method: get, path: /a, authorizer: jwt}
      - httpApi: {method: get, path: /b, authorizer: {type: aws_iam}}
      - httpApi: '*'
"""
    graph = graph_of(tmp_path, text).graph
    assert graph.get("HttpApiRouteGetA").get("authorization_type") == "JWT"
    assert graph.get("HttpApiRouteGetB").get("authorization_type") == "AWS_IAM"
    assert graph.get("HttpApiRouteDefault").get("path") == "$default"
    assert graph.get("HttpApiStage").get("access_log_destination") is not None
    findings = lint("serverless", text)
    assert [f.location.line for f in by_rule(findings, "SLS101")] == [18]
    assert by_rule(findings, "SLS301") == []


def test_rest_logs_and_tracing_apply_to_the_stage(lint):
    base = (
        "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n{extra}functions:\n"
        "  f:\n    handler: h.f\n    events:\n      - http: GET a\n"
    )
    findings = lint("serverless", base.format(extra=""))
    assert {"SLS301", "SLS302", "SLS305"} <= set(ids(findings))
    assert [f.location.line for f in by_rule(findings, "SLS301")] == [9]
    extra = "  logs:\n    restApi: true\n  tracing:\n    apiGateway: true\n"
    findings = lint("serverless", base.format(extra=extra))
    assert not {"SLS301", "SLS302", "SLS305"} & set(ids(findings))
    extra = "  logs:\n    restApi:\n      accessLogging: false\n"
    findings = lint("serverless", base.format(extra=extra))
    assert [f.location.line for f in by_rule(findings, "SLS301")] == [7]
    assert by_rule(findings, "SLS302") == []


def test_event_sources(tmp_path):
    text = """\
service: s
provider:
  name: aws
  runtime: python3.12
functions:
  f:
    handler: h.f
    events:
      - sqs: arn:aws:sqs:us-east-1:1:jobs
      - stream:
          arn: arn:aws:kinesis:us-east-1:1:stream/clicks
          destinations: {onFailure: arn:aws:sqs:us-east-1:1:dlq}
      - sns: arn:aws:sns:us-east-1:1:topic
      - schedule: rate(5 minutes)
      - s3: uploads
      - alb:
          listenerArn: arn:aws:elasticloadbalancing:us-east-1:1:listener/app/lb/abc/def
          priority: 1
          conditions: {path: /x}
"""
    graph = graph_of(tmp_path, text).graph
    fn = graph.get("FLambdaFunction")
    kinds = sorted(
        (s.get("source_kind"), s.get("invocation"))
        for s in graph.invokers_of(fn)
        if s.kind == Kind.EVENT_SOURCE
    )
    assert kinds == [
        ("kinesis", "poll"),
        ("s3", "async"),
        ("schedule", "async"),
        ("sns", "async"),
        ("sqs", "poll"),
    ]
    assert graph.get("FEventSourceMappingKinesisClicks").get("on_failure") == (
        "arn:aws:sqs:us-east-1:1:dlq"
    )
    assert any(s.kind == Kind.LOAD_BALANCER for s in graph.invokers_of(fn))
    role_actions = {
        a
        for st in graph.statements_of(graph.get("IamRoleLambdaExecution"))
        for a in st.get("actions")
    }
    assert {"sqs:ReceiveMessage", "kinesis:GetRecords"} <= role_actions


def test_environment_references_and_literals(tmp_path):
    text = """\
service: s
custom:
  plain: not-a-secret
provider:
  name: aws
  runtime: python3.12
  environment:
    FROM_SSM: ${ssm:/s/key}
    FROM_SELF: ${self:custom.plain}
    MIXED: prefix-${ssm:/s/x}
functions:
  f:
    handler: h.f
    environment:
      FROM_ENV: ${env:SHOP_TOKEN}
"""
    environment = graph_of(tmp_path, text).graph.get("FLambdaFunction").get("environment")
    assert isinstance(environment["FROM_SSM"], Reference)
    assert environment["FROM_SELF"] == "not-a-secret"
    assert environment["MIXED"] == Reference("prefix-${ssm:/s/x}")
    assert isinstance(environment["FROM_ENV"], Reference)


def test_resources_extensions_merge_into_generated_resources(tmp_path):
    text = """\
service: s
provider:
  name: aws
  runtime: python3.12
functions:
  f:
    handler: h.f
resources:
  extensions:
    FLogGroup:
      Properties:
        RetentionInDays: 7
"""
    graph = graph_of(tmp_path, text).graph
    group = graph.log_group_of(graph.get("FLambdaFunction"))
    assert group.get("retention_days") == 7
    assert group.locations["retention_days"].line == 12


def test_bad_input_never_crashes(lint):
    for text in (
        "service: s\nprovider: [1, 2]\nfunctions: 3\n",
        "service: s\nprovider:\n  name: aws\nfunctions:\n  f: null\n  g: [1]\n"
        "  h:\n    events: x\n",
        "service: s\nprovider:\n  name: aws\nfunctions:\n  f:\n    events:\n      - http: 5\n"
        "      - httpApi: {method: [1]}\n      - {}\n      - sqs: {}\n      - alb: 1\n",
        "service: s\nprovider: {name: aws, iam: {role: {statements: 7}}}\n"
        "functions: {f: {handler: h, url: {authorizer: 1}}}\nresources: 9\n",
        "service: s\nprovider:\n  name: aws\n: bad\n",
    ):
        findings = lint("serverless", text)
        assert not by_rule(findings, "SLS001")
        assert all("internal error" not in f.message for f in findings)


def test_syntax_error_is_sls000_at_its_line(lint):
    findings = lint("serverless", "service: s\nprovider:\n  name: aws\n  x: [\n")
    (problem,) = by_rule(findings, "SLS000")
    assert problem.location.line == 5


def test_samples(lint):
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import lint_paths
    from sls_lint.run.registry import load_rules

    rules = [cls() for cls in load_rules()]
    vulnerable = lint_paths([SAMPLES / "serverless" / "vulnerable"], rules, LintOptions()).findings
    fixed = lint_paths([SAMPLES / "serverless" / "fixed"], rules, LintOptions()).findings
    assert {"SLS101", "SLS102", "SLS201", "SLS202", "SLS203", "SLS401", "SLS701"} <= set(
        ids(vulnerable)
    )
    assert fixed == []
