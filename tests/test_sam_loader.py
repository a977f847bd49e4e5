"""The SAM loader: generated resources, Globals, implicit APIs, policies, events, bad input.

Every test names the exact SAM line a node, attribute or finding must point at.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import by_rule

from sls_lint.loaders import LoadContext, load_unit
from sls_lint.model.graph import Edge, Kind
from sls_lint.run.discovery import discover, group_units

HEAD = "Transform: AWS::Serverless-2016-10-31\n"


def load(tmp_path: Path, body: str):
    path = tmp_path / "template.yaml"
    path.write_text(HEAD + textwrap.dedent(body))
    (unit,) = group_units(discover([path]))
    assert unit.format == "sam"
    return load_unit(unit, LoadContext())


GLOBALS = """\
Globals:
  Function:
    Runtime: python3.8
    Tracing: PassThrough
    Environment:
      Variables:
        SHARED: one
        API_TOKEN: from-globals-123456
    Layers: [arn:aws:lambda:eu-west-1:123456789012:layer:common:1]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Environment:
        Variables:
          SHARED: two
          OWN: three
      Layers: [arn:aws:lambda:eu-west-1:123456789012:layer:own:1]
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.13
      Tracing: Active
"""


def test_globals_merge_maps_lists_and_scalars(tmp_path):
    result = load(tmp_path, GLOBALS)
    assert not result.problems
    fn = result.graph.get("Fn")
    assert fn.format == "sam" and fn.resource_type == "AWS::Serverless::Function"
    assert fn.location.line == 12
    assert fn.get("runtime") == "python3.8" and fn.loc("runtime").line == 4
    assert fn.get("tracing") == "PassThrough" and fn.loc("tracing").line == 5
    assert fn.get("environment") == {
        "SHARED": "two",
        "API_TOKEN": "from-globals-123456",
        "OWN": "three",
    }
    assert fn.loc("environment.SHARED").line == 18
    assert fn.loc("environment.API_TOKEN").line == 9
    assert fn.loc("environment.OWN").line == 19
    assert fn.get("layers") == [
        "arn:aws:lambda:eu-west-1:123456789012:layer:common:1",
        "arn:aws:lambda:eu-west-1:123456789012:layer:own:1",
    ]
    other = result.graph.get("Other")
    assert other.get("runtime") == "python3.13" and other.loc("runtime").line == 25
    assert other.get("tracing") == "Active" and other.loc("tracing").line == 26


def test_findings_caused_by_globals_point_at_the_globals_line(lint):
    findings = lint("sam", HEAD + GLOBALS)
    assert [(f.resource, f.location.line) for f in by_rule(findings, "SLS601")] == [("Fn", 4)]
    assert [(f.resource, f.location.line) for f in by_rule(findings, "SLS304")] == [("Fn", 5)]
    assert [(f.resource, f.location.line) for f in by_rule(findings, "SLS701")] == [
        ("Fn", 9),
        ("Other", 9),
    ]


def test_generated_role_policies_and_templates(tmp_path):
    result = load(
        tmp_path,
        """\
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Tracing: Active
              Policies:
                - AmazonS3ReadOnlyAccess
                - arn:aws:iam::123456789012:policy/custom
                - S3CrudPolicy:
                    BucketName: !Ref Bucket
                - Statement:
                    - Effect: Allow
                      Action: sqs:SendMessage
                      Resource: "*"
                - VPCAccessPolicy: {}
        """,
    )
    assert not result.problems
    graph = result.graph
    fn = graph.get("Fn")
    role = graph.role_of(fn)
    assert role.address == "FnRole" and role.location.line == 5
    assert role.get("managed_policy_arns") == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "arn:aws:iam::123456789012:policy/custom",
    ]
    assert role.loc("managed_policy_arns[2]").line == 12
    assert role.loc("managed_policy_arns[3]").line == 13
    trust = graph.trust_statements_of(role)
    assert trust[0].get("principals") == {"Service": ["lambda.amazonaws.com"]}
    statements = {s.address: s for s in graph.statements_of(role)}
    crud = statements["FnRole.Policies[0].Statement[0]"]
    assert crud.get("source") == "sam-template:S3CrudPolicy"
    assert "s3:PutObject" in crud.get("actions")
    assert crud.location.line == 14 and crud.loc("actions[0]").line == 14
    assert crud.loc("resources[0]").line == 15  # the BucketName parameter's line
    inline = statements["FnRole.Policies[1].Statement[0]"]
    assert inline.get("source") == "inline:FnRolePolicy1"
    assert inline.loc("resources[0]").line == 19
    vpc = statements["FnRole.Policies[2].Statement[0]"]
    assert vpc.get("source") == "sam-template:VPCAccessPolicy" and vpc.location.line == 20


def test_policy_template_finding_points_at_template_line(lint):
    findings = lint(
        "sam",
        HEAD
        + textwrap.dedent(
            """\
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.13
                  Handler: app.handler
                  Policies:
                    - SQSSendMessagePolicy:
                        QueueName: jobs
                    - DynamoDBCrudPolicy:
                        TableName: "*"
            """
        ),
    )
    wildcard = by_rule(findings, "SLS202") + by_rule(findings, "SLS203")
    assert not [f for f in wildcard if f.location.line == 9]
    assert not by_rule(findings, "SLS201")


def test_explicit_role_means_no_generated_role(tmp_path):
    result = load(
        tmp_path,
        """\
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: []}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Role: !GetAtt Role.Arn
              Policies: [AdministratorAccess]
        """,
    )
    graph = result.graph
    assert graph.get("FnRole") is None
    assert graph.role_of(graph.get("Fn")).address == "Role"


IMPLICIT = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Events:
        ListOrders:
          Type: Api
          Properties:
            Path: /orders
            Method: get
        GetOrder:
          Type: Api
          Properties:
            Path: /orders/{id}
            Method: GET
            Auth:
              Authorizer: AWS_IAM
        Preflight:
          Type: Api
          Properties:
            Path: /orders
            Method: options
        Photos:
          Type: HttpApi
          Properties:
            Path: /photos
            Method: post
        Fallback:
          Type: HttpApi
"""


def test_implicit_apis_stages_and_routes(tmp_path):
    result = load(tmp_path, IMPLICIT)
    graph = result.graph
    fn = graph.get("Fn")
    rest = graph.get("ServerlessRestApi")
    assert rest.kind == Kind.API and rest.get("protocol") == "rest" and rest.location.line == 9
    (stage,) = graph.stages_of(rest)
    assert stage.address == "ServerlessRestApiProdStage" and stage.get("name") == "Prod"
    routes = {(r.get("method"), r.get("path")): r for r in graph.routes_of(rest)}
    assert set(routes) == {("GET", "/orders"), ("GET", "/orders/{id}"), ("OPTIONS", "/orders")}
    get = routes[("GET", "/orders")]
    assert get.address == "ServerlessRestApi GET /orders" and get.location.line == 9
    assert get.get("authorization_type") == "NONE" and get.loc("authorization_type").line == 9
    assert graph.functions_invoked_by(get) == [fn]
    iam = routes[("GET", "/orders/{id}")]
    assert iam.get("authorization_type") == "AWS_IAM" and iam.loc("authorization_type").line == 20
    http = graph.get("ServerlessHttpApi")
    assert http.get("protocol") == "http" and http.location.line == 26
    (http_stage,) = graph.stages_of(http)
    assert http_stage.address == "ServerlessHttpApiApiGatewayDefaultStage"
    assert http_stage.get("name") == "$default"
    keys = sorted(r.get("route_key") for r in graph.routes_of(http))
    assert keys == ["$default", "POST /photos"]
    assert all(graph.functions_invoked_by(r) == [fn] for r in graph.routes_of(http))
    permissions = {p.address for p in graph.permissions_for(fn)}
    assert "FnListOrdersPermissionProd" in permissions and "FnPhotosPermission" in permissions


def test_implicit_api_findings_lines(lint):
    findings = lint("sam", HEAD + IMPLICIT)
    assert sorted((f.location.line, f.resource) for f in by_rule(findings, "SLS101")) == [
        (9, "ServerlessRestApi GET /orders"),
        (26, "ServerlessHttpApi POST /photos"),
        (31, "ServerlessHttpApi $default"),
    ]
    assert sorted((f.location.line, f.resource) for f in by_rule(findings, "SLS301")) == [
        (9, "ServerlessRestApiProdStage"),
        (26, "ServerlessHttpApiApiGatewayDefaultStage"),
    ]


EXPLICIT = """\
Globals:
  Api:
    Auth:
      DefaultAuthorizer: Users
      Authorizers:
        Users:
          UserPoolArn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/x
    AccessLogSetting:
      DestinationArn: arn:aws:logs:eu-west-1:123456789012:log-group:access
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      TracingEnabled: true
      EndpointConfiguration: REGIONAL
      Domain:
        DomainName: api.example.com
        CertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/x
        SecurityPolicy: TLS_1_0
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Events:
        Private:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /me
            Method: get
        Public:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /health
            Method: get
            Auth:
              Authorizer: NONE
"""


def test_explicit_api_with_globals_auth_and_override(tmp_path):
    result = load(tmp_path, EXPLICIT)
    assert not result.problems
    graph = result.graph
    api = graph.get("Api")
    assert api.resource_type == "AWS::Serverless::Api"
    assert api.get("endpoint_type") == "REGIONAL"
    (stage,) = graph.stages_of(api)
    assert stage.address == "ApiliveStage" and stage.get("name") == "live"
    assert stage.get("tracing") is True
    assert stage.get("access_log_destination").endswith("log-group:access")
    assert stage.loc("access_log_destination").line == 10
    routes = {r.get("path"): r for r in graph.routes_of(api)}
    me = routes["/me"]
    assert me.get("authorization_type") == "COGNITO_USER_POOLS"
    assert me.loc("authorization_type").line == 5  # the Globals DefaultAuthorizer line
    assert [a.address for a in graph.authorizers_of(me)] == ["ApiUsersAuthorizer"]
    health = routes["/health"]
    assert health.get("authorization_type") == "NONE"
    assert health.loc("authorization_type").line == 41
    (domain,) = graph.sources(api, Edge.SERVES)
    assert domain.get("security_policy") == "TLS_1_0" and domain.loc("security_policy").line == 21


def test_explicit_api_findings(lint):
    findings = lint("sam", HEAD + EXPLICIT)
    assert [(f.location.line, f.resource) for f in by_rule(findings, "SLS101")] == [
        (41, "Api GET /health")
    ]
    assert not by_rule(findings, "SLS301")


def test_openapi_definition_routes(tmp_path):
    result = load(
        tmp_path,
        """\
        Resources:
          Api:
            Type: AWS::Serverless::HttpApi
            Properties:
              DefinitionBody:
                openapi: "3.0.1"
                components:
                  securitySchemes:
                    jwt:
                      type: oauth2
                      x-amazon-apigateway-authorizer: {type: jwt}
                paths:
                  /items:
                    get:
                      security: [{jwt: []}]
                      x-amazon-apigateway-integration:
                        uri: !GetAtt Fn.Arn
                    post:
                      x-amazon-apigateway-integration:
                        uri: !GetAtt Fn.Arn
          Fn:
            Type: AWS::Serverless::Function
            Properties: {Runtime: python3.13, Handler: app.handler}
        """,
    )
    graph = result.graph
    routes = {r.get("route_key"): r for r in graph.routes_of(graph.get("Api"))}
    assert routes["GET /items"].get("authorization_type") == "JWT"
    assert routes["GET /items"].loc("authorization_type").line == 16
    assert routes["POST /items"].get("authorization_type") == "NONE"
    assert routes["POST /items"].location.line == 19
    assert graph.functions_invoked_by(routes["POST /items"]) == [graph.get("Fn")]


def test_event_sources_and_destinations(tmp_path):
    result = load(
        tmp_path,
        """\
        Resources:
          Queue:
            Type: AWS::SQS::Queue
          Topic:
            Type: AWS::SNS::Topic
          Bucket:
            Type: AWS::S3::Bucket
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Queue.Arn}
              EventInvokeConfig:
                DestinationConfig:
                  OnFailure: {Type: SQS, Destination: !GetAtt Queue.Arn}
              Events:
                Jobs:
                  Type: SQS
                  Properties: {Queue: !GetAtt Queue.Arn}
                Stream:
                  Type: Kinesis
                  Properties:
                    Stream: arn:aws:kinesis:eu-west-1:123456789012:stream/s
                    StartingPosition: LATEST
                    DestinationConfig:
                      OnFailure: {Type: SQS, Destination: !GetAtt Queue.Arn}
                Note:
                  Type: SNS
                  Properties: {Topic: !Ref Topic}
                Upload:
                  Type: S3
                  Properties: {Bucket: !Ref Bucket, Events: s3:ObjectCreated:*}
                Nightly:
                  Type: Schedule
                  Properties: {Schedule: rate(1 day)}
                Logs:
                  Type: CloudWatchLogs
                  Properties: {LogGroupName: app, FilterPattern: ERROR}
        """,
    )
    assert not result.problems
    graph = result.graph
    fn = graph.get("Fn")
    assert fn.get("dead_letter_target") is not None and fn.loc("dead_letter_target").line == 14
    assert fn.get("on_failure") is not None and fn.loc("on_failure").line == 17
    sources = {s.address: s for s in graph.invokers_of(fn) if s.kind == Kind.EVENT_SOURCE}
    kinds = {address: (s.get("source_kind"), s.get("invocation")) for address, s in sources.items()}
    assert kinds == {
        "FnJobs": ("sqs", "poll"),
        "FnStream": ("kinesis", "poll"),
        "FnNote": ("sns", "async"),
        "Bucket": ("s3", "async"),
        "FnNightly": ("eventbridge", "async"),
        "FnLogs": ("cloudwatch_logs", "async"),
    }
    assert sources["FnStream"].get("on_failure") is not None
    assert sources["FnStream"].loc("on_failure").line == 28
    assert sources["FnJobs"].location.line == 19
    role = graph.role_of(fn)
    assert any("AWSLambdaSQSQueueExecutionRole" in a for a in role.get("managed_policy_arns"))


def test_function_url_and_public_permission(lint):
    findings = lint(
        "sam",
        HEAD
        + textwrap.dedent(
            """\
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.13
                  Handler: app.handler
                  FunctionUrlConfig:
                    AuthType: NONE
                    Cors: {AllowOrigins: ["*"]}
              Private:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.13
                  Handler: app.handler
                  FunctionUrlConfig:
                    AuthType: AWS_IAM
            """
        ),
    )
    assert [(f.location.line, f.resource) for f in by_rule(findings, "SLS102")] == [(9, "FnUrl")]
    # The generated permission is the URL's own: one problem, one finding (SLS102).
    assert by_rule(findings, "SLS103") == []


def test_metadata_suppression_covers_generated_resources(lint):
    findings = lint(
        "sam",
        HEAD
        + textwrap.dedent(
            """\
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Metadata:
                  sls-lint:
                    ignore: [SLS201, SLS102]
                Properties:
                  Runtime: python3.13
                  Handler: app.handler
                  FunctionUrlConfig: {AuthType: NONE}
                  Policies:
                    - Statement: [{Effect: Allow, Action: "*", Resource: arn:aws:s3:::b}]
            """
        ),
    )
    suppressed = {f.rule_id for f in findings if f.suppression is not None}
    assert {"SLS201", "SLS102"} <= suppressed
    assert all(f.suppression is None for f in by_rule(findings, "SLS103"))


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("Globals: [1]\nResources: {Q: {Type: AWS::SQS::Queue}}\n", "Globals must be", 2),
        (
            "Globals: {Function: 3}\nResources: {Q: {Type: AWS::SQS::Queue}}\n",
            "Globals.Function must be",
            2,
        ),
        (
            "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      Events: [1, 2]\n",
            "Events of F must be a mapping",
            6,
        ),
        (
            "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      Policies: [[1], 7]\n",
            "Policies of F",
            6,
        ),
        (
            "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: 5\n",
            "Properties of F must be a mapping",
            5,
        ),
        (
            "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      Events:\n        E: {Type: Api, Properties: [x]}\n",
            "Properties of event E of F",
            7,
        ),
    ],
)
def test_malformed_input_is_a_located_problem(tmp_path, body, message, line):
    result = load(tmp_path, body)
    problems = [p for p in result.problems if message in p.message]
    assert problems and problems[0].line == line, result.problems


@pytest.mark.parametrize(
    "body",
    [
        "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Events:\n        E: {Type: Api, Properties: {Path: !Ref P, Method: [get]}}\n"
        "        H: {Type: HttpApi, Properties: {ApiId: !GetAtt [X, Y], Auth: 3}}\n"
        "      FunctionUrlConfig: x\n      EventInvokeConfig: [1]\n"
        "      Tracing: !If [C, Active, PassThrough]\n      DeadLetterQueue: 4\n",
        "Resources:\n  A:\n    Type: AWS::Serverless::Api\n    Properties:\n"
        "      Auth: {Authorizers: [1], DefaultAuthorizer: !Ref X, UsagePlan: 3}\n"
        "      DefinitionBody: {paths: {/x: [1], /y: {get: 3, post: {security: 4}}}}\n"
        "      Domain: 7\n      EndpointConfiguration: {VPCEndpointIds: []}\n",
        "Resources:\n  S:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
        "      Policies: [{Statement: 3}, {Unknown: {}}, {A: 1, B: 2}]\n",
    ],
)
def test_odd_but_parseable_input_never_crashes(tmp_path, body):
    result = load(tmp_path, body)
    assert not [p for p in result.problems if "internal error" in p.message]


def test_real_world_sam_templates_never_crash():
    """Every `sam` file of the shared corpus loads without an internal error."""
    from conftest import SHARED

    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import lint_paths
    from sls_lint.run.registry import load_rules

    corpus = SHARED / "corpus"
    if not (corpus / "SOURCES.tsv").is_file():
        pytest.skip("the shared corpus is not present")
    paths = []
    for line in (corpus / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        repo, _commit, path, fmt, *_ = line.split("\t")
        if fmt == "sam":
            paths.append(corpus / repo.replace("/", "__") / path)
    assert len(paths) > 500
    findings = lint_paths(paths, [cls() for cls in load_rules()], LintOptions()).findings
    internal = [f for f in findings if f.rule_id == "SLS001" or "internal error" in f.message]
    assert not internal, [(f.location.file, f.message) for f in internal[:5]]
