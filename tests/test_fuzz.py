"""Property-based fuzzing: whatever a template contains, the CLI answers with a valid report.

Each test starts from small, realistic seed documents of one format, applies random structural
mutations (a list where a string is expected, a number for `Properties`, null `Resources`,
`!GetAtt` with five parts, `!Sub` of a map, a `Ref` to itself, `!If` with one argument, huge
numbers, unicode, `${file()}` / `${env:}` variables ...) and random text mutations (BOM, CRLF,
tabs, several YAML documents, truncation, suppression comments), then runs the real CLI with
every output format at once. The promises checked for every example:

- no exception escapes, the exit code is 0 or 1 (2 is for usage errors only), no SLS001, and no
  SLS000 that hides a loader crash ("internal error");
- every format is well formed: json and gitlab parse, sarif validates against the SARIF 2.1.0
  schema, junit is XML, github is workflow commands.

Volume: `SLS_LINT_FUZZ_SCALE` multiplies the number of examples (default 1: 960 examples in
about 45 s on 2 cores). Runs are derandomized so CI is deterministic; use
`SLS_LINT_FUZZ_SCALE=20 SLS_LINT_FUZZ_RANDOM=1` locally to search further.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import math
import os
import re
import tempfile
import xml.etree.ElementTree as ElementTree
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sls_lint.cli.main import main
from sls_lint.reporters import REPORTERS
from sls_lint.sources.yaml_source import load_yaml

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "sarif-schema-2.1.0.json"
SCALE = float(os.environ.get("SLS_LINT_FUZZ_SCALE", "1"))
EXAMPLES_RUN: dict[str, int] = {}


def fuzz_settings(examples: int):
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        derandomize=not os.environ.get("SLS_LINT_FUZZ_RANDOM"),
        database=None,  # no .hypothesis/ folder in the checkout; derandomized runs need none
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )


def has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def needs_loader(fmt: str):
    from sls_lint.loaders import LOADERS

    return pytest.mark.skipif(
        not has_module(LOADERS[fmt]), reason=f"the {fmt} loader is not in this build"
    )


# -- seeds ------------------------------------------------------------------------------------

CFN_SEED = """
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Mappings:
  M: {us-east-1: {Runtime: python3.8}}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: '*', Resource: '*'}
              - Effect: Allow
                NotAction: 's3:*'
                NotResource: !Sub 'arn:${AWS::Partition}:s3:::b/*'
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: !FindInMap [M, !Ref 'AWS::Region', Runtime]
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Environment: {Variables: {API_KEY: sk_live_0123456789abcdefghijklmn, T: !Ref Stage}}
      VpcConfig: {SecurityGroupIds: [!Ref Sg], SubnetIds: [subnet-1]}
      TracingConfig: {Mode: !If [IsProd, Active, PassThrough]}
      DeadLetterConfig: {TargetArn: !GetAtt Queue.Arn}
  Queue: {Type: AWS::SQS::Queue}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
      SecurityGroupIngress: [{IpProtocol: '-1', CidrIp: 0.0.0.0/0}]
      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIpv6: '::/0'}]
  Url:
    Type: AWS::Lambda::Url
    Properties: {AuthType: NONE, TargetFunctionArn: !Ref Fn}
  Perm:
    Type: AWS::Lambda::Permission
    Properties: {Action: 'lambda:InvokeFunction', FunctionName: !Ref Fn, Principal: '*'}
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: api}}
  Res:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: '{x+}'}
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Res
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/inv'
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      MethodSettings: [{HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'OFF'}]
  Http: {Type: AWS::ApiGatewayV2::Api, Properties: {Name: h, ProtocolType: HTTP}}
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      {ApiId: !Ref Http, RouteKey: 'GET /x', Target: !Join ['/', [integrations, !Ref Integ]]}
  Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref Http, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt Fn.Arn}
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: !Sub '/aws/lambda/${Fn}', RetentionInDays: 7}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Queue.Arn, FunctionName: !Ref Fn}
"""

SAM_SEED = """
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: nodejs14.x, Tracing: PassThrough, Environment: {Variables: {A: b}}}
  Api: {TracingEnabled: false}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      Policies:
        - AWSLambdaBasicExecutionRole
        - S3CrudPolicy: {BucketName: !Ref Bucket}
        - DynamoDBReadPolicy: {TableName: '*'}
        - Statement: [{Effect: Allow, Action: 'iam:PassRole', Resource: '*'}]
      FunctionUrlConfig: {AuthType: NONE, Cors: {AllowOrigins: ['*']}}
      Events:
        Get: {Type: Api, Properties: {Path: /items, Method: get, RestApiId: !Ref Api}}
        Post: {Type: HttpApi, Properties: {Path: /items, Method: post}}
        Queue: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn, BatchSize: 10}}
        Cron: {Type: Schedule, Properties: {Schedule: rate(1 minute)}}
        Files: {Type: S3, Properties: {Bucket: !Ref Bucket, Events: 's3:ObjectCreated:*'}}
      EventInvokeConfig: {DestinationConfig: {OnFailure: {Type: SQS, Destination: !GetAtt Q.Arn}}}
  Other:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: 'exports.handler = async () => 1'
      Handler: index.handler
      Runtime: python2.7
      Role: !GetAtt Fn.Arn
      AutoPublishAlias: live
      Events:
        Ws: {Type: HttpApi}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth: {DefaultAuthorizer: Cog, Authorizers: {Cog: {UserPoolArn: !GetAtt Pool.Arn}}}
      MethodSettings: [{ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 10}]
      AccessLogSetting: {DestinationArn: !GetAtt Logs.Arn, Format: '$context.requestId'}
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /x:
            get:
              x-amazon-apigateway-integration:
                uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/functions/${Fn.Arn}/i'
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties: {Auth: {Authorizers: {J: {JwtConfiguration: {issuer: x}}}, DefaultAuthorizer: J}}
  Bucket: {Type: AWS::S3::Bucket}
  Q: {Type: AWS::SQS::Queue}
  Pool: {Type: AWS::Cognito::UserPool}
  Logs: {Type: AWS::Logs::LogGroup}
  Table: {Type: AWS::Serverless::SimpleTable}
"""

SERVERLESS_SEED = """
service: app
frameworkVersion: '3'
custom:
  stage: ${opt:stage, 'dev'}
  table: ${self:service}-${self:custom.stage}
  included: ${file(./extra.yml):settings}
  secret: ${ssm:/app/secret}
  home: ${env:HOME, 'none'}
provider:
  name: aws
  runtime: nodejs12.x
  stage: ${self:custom.stage}
  tracing: {lambda: false, apiGateway: false}
  logs: {restApi: false}
  iam:
    role:
      statements:
        - {Effect: Allow, Action: ['*'], Resource: '*'}
        - Effect: Allow
          Action: 'dynamodb:*'
          Resource: 'arn:aws:dynamodb:*:*:table/${self:custom.table}'
  iamRoleStatements:
    - {Effect: Allow, Action: 's3:Put*', Resource: '*'}
  vpc: {securityGroupIds: [sg-1], subnetIds: [subnet-1]}
  apiGateway: {apiKeys: [k], usagePlan: {throttle: {rateLimit: 10}}}
  environment: {DB_PASSWORD: hunter2hunter2, TABLE: '${self:custom.table}'}
functions:
  hello:
    handler: handler.hello
    runtime: python3.6
    url: true
    events:
      - http: {path: /hello, method: get}
      - http: POST /items
      - httpApi: 'GET /x'
      - httpApi: {path: /y, method: post, authorizer: {name: jwt}}
      - sqs: {arn: 'arn:aws:sqs:us-east-1:1:q'}
      - schedule: rate(5 minutes)
      - alb: {listenerArn: arn, priority: 1, conditions: {path: /x}}
      - websocket: $connect
      - s3: {bucket: b, event: 's3:ObjectCreated:*'}
      - stream: {type: dynamodb, arn: {Fn::GetAtt: [Table, StreamArn]}}
  other:
    handler: other.main
    role: arn:aws:iam::123456789012:role/r
    iamRoleStatements: [{Effect: Allow, Action: 'iam:PassRole', Resource: '*'}]
    url: {authorizer: aws_iam}
    environment: ${file(./extra.yml):env}
resources:
  Resources:
    Table:
      Type: AWS::DynamoDB::Table
      Properties: {TableName: '${self:custom.table}'}
    ExtraRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: p
            PolicyDocument: {Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}
"""

SERVERLESS_EXTRA = """
settings: {a: 1, b: '${self:custom.stage}'}
env: {KEY: sk_live_abcdefghijklmnopqrstuvwx}
"""

TERRAFORM_BLOCKS = [
    """resource "aws_lambda_function" "fn" {
  function_name = "fn-${var.stage}"
  role          = aws_iam_role.role.arn
  runtime       = var.runtime
  handler       = "index.handler"
  environment {
    variables = { API_KEY = "sk_live_0123456789abcdefghijklmn", STAGE = local.stage }
  }
  vpc_config {
    security_group_ids = [aws_security_group.sg.id]
    subnet_ids         = ["subnet-1"]
  }
  tracing_config { mode = "PassThrough" }
}""",
    """resource "aws_iam_role" "role" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  inline_policy {
    name   = "p"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
  }
}""",
    """data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}""",
    """resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.role.id
  policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
EOF
}""",
    """resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.role.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}""",
    """resource "aws_security_group" "sg" {
  name = "sg"
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}""",
    """resource "aws_lambda_function_url" "url" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"
}""",
    """resource "aws_lambda_permission" "any" {
  count         = var.enabled ? 2 : 0
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn.arn
  principal     = "*"
}""",
    """resource "aws_apigatewayv2_api" "http" {
  name          = "h"
  protocol_type = "HTTP"
}""",
    """resource "aws_apigatewayv2_route" "r" {
  for_each           = toset(["GET /a", "POST /b"])
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = each.value
  authorization_type = "NONE"
  target             = "integrations/${aws_apigatewayv2_integration.i.id}"
}""",
    """resource "aws_apigatewayv2_integration" "i" {
  api_id           = aws_apigatewayv2_api.http.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.fn.invoke_arn
}""",
    """resource "aws_cloudwatch_log_group" "logs" {
  name = "/aws/lambda/${aws_lambda_function.fn.function_name}"
}""",
    """variable "runtime" {
  type    = string
  default = "python3.7"
}""",
    """variable "ports" { default = [22, 443] }
variable "enabled" { default = true }
variable "stage" {}
locals {
  stage = upper(var.stage)
  names = [for p in var.ports : "p-${p}"]
}""",
    """module "inner" {
  source = "./modules/inner"
  role   = aws_iam_role.role.arn
}""",
]

HCL_EXPRESSIONS = [
    '"*"',
    '"${var.missing}"',
    '"%{if var.enabled}x%{endif}"',
    "null",
    "true",
    "-1",
    "1e400",
    "99999999999999999999999999999999",
    "[]",
    "{}",
    '["*", 1, null, {a = 1}]',
    "var.nope",
    "local.names[99]",
    "aws_iam_role.role.arn",
    "aws_lambda_function.fn",
    "aws_security_group.sg[*].id",
    "module.inner.output",
    "data.aws_iam_policy_document.assume.json",
    'jsonencode({ Statement = "*" })',
    'jsonencode([for s in ["a", "b"] : { Action = "${s}:*", Resource = "*", Effect = "Allow" }])',
    'file("../../../../etc/passwd")',
    'templatefile("${path.module}/nope.tpl", {})',
    "merge(var.ports, 1)",
    'lookup({}, "k", "d")',
    "try(var.x.y.z, null)",
    "length(var.ports) > 1 ? var.ports[0] : null",
    "unknown_function(1, 2)",
    "each.value",
    "count.index",
    "self.id",
    '<<-EOT\n  {"Statement": [}\n  EOT',
    '"\\u00e9\\u202e\\U0001F600"',
]


# -- values -----------------------------------------------------------------------------------

INTERESTING_STRINGS = [
    "*",
    "s3:*",
    "iam:PassRole",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "0.0.0.0/0",
    "::/0",
    "-1",
    "NONE",
    "AWS_IAM",
    "python2.7",
    "nodejs",
    "provided.al2",
    "Active",
    "sk_live_0123456789abcdefghijklmn",
    "AKIAIOSFODNN7EXAMPLE",
    "${self:custom.nope}",
    "${self:}",
    "${file(./extra.yml)}",
    "${file(./serverless.yml)}",
    "${file(../../../../etc/passwd)}",
    "${file(/etc/passwd):root}",
    "${env:HOME}",
    "${env:}",
    "${opt:stage, ${opt:other, 'x'}}",
    "${ssm:/a/b}",
    "${aws:accountId}",
    "${cf:stack.output}",
    "${{}}",
    "${",
    "}",
    "${AWS::Region}",
    "${Fn.Arn}",
    "${!Literal}",
    "{{resolve:secretsmanager:x}}",
    "GET /",
    "ANY /{proxy+}",
    "$connect",
    "OPTIONS",
    "",
    " ",
    "yes",
    "~",
    "0x1F",
    "1_000",
    "2010-09-09",
    ".inf",
    "\u202e\u0000\ufeff",
    "\x85\x8f\x1b[31m",
    "\U0001f600" * 3,
    "a" * 300,
]
INTRINSICS = [
    "Ref",
    "Condition",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::If",
    "Fn::Select",
    "Fn::Split",
    "Fn::FindInMap",
    "Fn::ImportValue",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::GetAZs",
    "Fn::Equals",
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Fn::Transform",
    "Fn::ToJsonString",
    "Fn::Length",
    "Fn::ForEach::Loop",
]
KEYS = [
    "Type",
    "Properties",
    "Resources",
    "Runtime",
    "Handler",
    "Role",
    "Policies",
    "PolicyDocument",
    "Statement",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "Condition",
    "Environment",
    "Variables",
    "Events",
    "Path",
    "Method",
    "Auth",
    "AuthType",
    "AuthorizationType",
    "FunctionUrlConfig",
    "VpcConfig",
    "SecurityGroupIds",
    "SecurityGroupEgress",
    "CidrIp",
    "TracingConfig",
    "Tracing",
    "MethodSettings",
    "AccessLogSetting",
    "Metadata",
    "DependsOn",
    "Globals",
    "DefinitionBody",
    "functions",
    "events",
    "provider",
    "iam",
    "role",
    "statements",
    "http",
    "httpApi",
    "url",
    "handler",
    "runtime",
    "environment",
    "resources",
    "<<",
    "",
    "\U0001f600",
]
TYPES = [
    "AWS::Lambda::Function",
    "AWS::Serverless::Function",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Stage",
    "AWS::Lambda::Url",
    "AWS::Lambda::Permission",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::Logs::LogGroup",
    "AWS::Lambda::EventSourceMapping",
    "AWS::WAFv2::WebACLAssociation",
    "AWS::Serverless::Application",
    "AWS::CloudFormation::Stack",
    "Custom::Thing",
    "AWS::Nope::Nope",
]

PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(INTERESTING_STRINGS),
    # Printable text: raw control characters make every document a YAML syntax error, which
    # hides everything behind the parser (a few of them are in INTERESTING_STRINGS).
    st.text(PRINTABLE, max_size=20),
)


def intrinsic(children: st.SearchStrategy) -> st.SearchStrategy:
    """An intrinsic function with any arguments: too many, too few, of the wrong type."""
    name_refs = st.sampled_from(["Fn", "Role", "Api", "Fn.Arn", "AWS::Region", "Nope", "Stage"])
    args = st.one_of(
        children,
        name_refs,
        st.lists(st.one_of(name_refs, children), max_size=5),
        st.dictionaries(st.sampled_from(["a", "Fn", "${x}", "Ref"]), children, max_size=3),
    )
    return st.builds(lambda name, arg: {name: arg}, st.sampled_from(INTRINSICS), args)


values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(KEYS) | st.text(PRINTABLE, max_size=8), children, max_size=4
        ),
        intrinsic(children),
    ),
    max_leaves=12,
)


def resource(kind: str | None, properties: Any) -> dict:
    return {"Type": kind, "Properties": properties}


resources = st.builds(resource, st.sampled_from(TYPES) | values, values)


# -- structural mutation ----------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Located values -> plain dicts and lists (so that mutation and rendering stay simple)."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@cache
def seed(text: str) -> Any:
    return plain(load_yaml(text))


def slots(document: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) of the document, in a deterministic order."""
    found: list[tuple[Any, Any]] = []
    stack = [document]
    while stack:
        container = stack.pop()
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, child in items:
            found.append((container, key))
            if isinstance(child, (dict, list)):
                stack.append(child)
    return found


@st.composite
def mutated(draw, seed_text: str, max_mutations: int = 6) -> Any:
    """A seed with a few random replacements, deletions, insertions and re-typings."""
    document = json.loads(json.dumps(seed(seed_text)))  # a fresh copy
    for _ in range(draw(st.integers(0, max_mutations))):
        places = slots(document)
        if not places:
            break
        container, key = places[draw(st.integers(0, len(places) - 1))]
        operation = draw(st.sampled_from(["replace", "delete", "insert", "wrap", "resource"]))
        if operation == "replace":
            container[key] = draw(values)
        elif operation == "delete":
            del container[key]
        elif operation == "insert" and isinstance(container, dict):
            container[draw(st.sampled_from(KEYS))] = draw(values)
        elif operation == "insert":
            container.insert(key, draw(values))
        elif operation == "wrap":
            container[key] = draw(
                st.sampled_from([[container[key]], {"Ref": container[key]}, {"k": container[key]}])
            )
        elif isinstance(container, dict):
            container[draw(st.sampled_from(["New", "Fn", "Role", str(key)]))] = draw(resources)
    if draw(st.sampled_from([False] * 9 + [True])):  # the top level itself of the wrong type
        document = draw(values)
    return document


# -- rendering --------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_./-]*$")
_SHORT = {"Ref": "!Ref", "Condition": "!Condition"}


def _short_tag(key: str) -> str | None:
    if key in _SHORT:
        return _SHORT[key]
    if key.startswith("Fn::") and "::" not in key[4:]:
        return "!" + key[4:]
    return None


def flow(value: Any, short: bool) -> str:
    """One YAML flow node; intrinsics in short-tag form when `short`."""
    if isinstance(value, dict):
        if short and len(value) == 1:
            ((key, inner),) = value.items()
            tag = _short_tag(str(key))
            if tag is not None:
                return f"{tag} {flow(inner, short)}"
        pairs = (f"{flow(str(k), short)}: {flow(v, short)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v, short) for v in value) + "]"
    if isinstance(value, str):
        return value if _PLAIN.match(value) else json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    return json.dumps(value)


def block(value: Any, short: bool, indent: int = 0) -> str:
    """Block style for the first levels (as people write), flow style further in."""
    pad = " " * indent
    if isinstance(value, dict) and value and indent < 8:
        lines = []
        for key, child in value.items():
            head = f"{pad}{flow(str(key), short)}:"
            if isinstance(child, (dict, list)) and child and _short_tag(_only_key(child)) is None:
                lines.append(head + "\n" + block(child, short, indent + 2))
            else:
                lines.append(f"{head} {flow(child, short)}")
        return "\n".join(lines)
    if isinstance(value, list) and value and indent < 8:
        return "\n".join(f"{pad}- {flow(item, short)}" for item in value)
    return pad + flow(value, short)


def _only_key(value: Any) -> str:
    return str(next(iter(value))) if isinstance(value, dict) and len(value) == 1 else ""


def render(document: Any, style: str) -> str:
    if style == "json":
        return json.dumps(document, ensure_ascii=False, indent=1)
    return block(document, short=style == "yaml-short") + "\n"


TEXT_MUTATIONS = [
    "none",
    "bom",
    "crlf",
    "cr",
    "tabs",
    "two-documents",
    "document-start",
    "empty",
    "truncate",
    "insert",
    "duplicate-line",
    "suppression",
]


@st.composite
def text_mutation(draw, text: str, yaml: bool = True) -> str:
    """One random change to the text (YAML document markers only for YAML)."""
    kinds = TEXT_MUTATIONS if yaml else [k for k in TEXT_MUTATIONS if "document" not in k]
    kind = draw(st.sampled_from(kinds))
    if kind == "bom":
        return "\ufeff" + text
    if kind == "crlf":
        return text.replace("\n", "\r\n")
    if kind == "cr":
        return text.replace("\n", "\r")
    if kind == "tabs":
        return text.replace("  ", "\t", draw(st.integers(1, 5)))
    if kind == "two-documents":
        return text + "\n---\n" + text
    if kind == "document-start":
        return "--- # comment\n" + text + "\n...\n"
    if kind == "empty":
        return draw(st.sampled_from(["", "\n", "---\n", "# only a comment\n", "\ufeff", "null"]))
    position = draw(st.integers(0, len(text)))
    if kind == "truncate":
        return text[:position]
    if kind == "insert":
        return text[:position] + draw(st.text(PRINTABLE, max_size=5)) + text[position:]
    lines = text.split("\n")
    index = draw(st.integers(0, len(lines) - 1))
    if kind == "duplicate-line":
        lines.insert(index, lines[index])
    else:
        comment = draw(
            st.sampled_from(
                [
                    "# sls-lint: ignore",
                    "# sls-lint: ignore[SLS201] reason",
                    "# sls-lint: ignore[] until=2020-13-45",
                    "# sls-lint: ignore[SLS999,,nope] until=",
                    "// sls-lint: ignore SLS2 \U0001f600",
                    "# sls-lint: ignore[" * 3,
                ]
            )
        )
        lines[index] = lines[index] + "  " + comment
    return "\n".join(lines)


# -- running and checking ---------------------------------------------------------------------


@cache
def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        return None
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


_VALIDATED_RULES: set[str] = set()
_RUNS = [0]
SARIF_EVERY = 3
"""Render and validate SARIF in one example out of this many: rendering it and validating it
against the schema costs twice as much as all the other formats together."""


def validate_sarif(sarif: dict) -> None:
    """Validate against the schema; the rule catalogue (90% of the cost) once per content.

    The catalogue is the same in every example, so after its first validation it is stripped
    from the copy that is validated: the results, locations and artifacts are always checked.
    """
    validator = sarif_validator()
    if validator is None:
        return
    for run in sarif.get("runs", []):
        driver = run.get("tool", {}).get("driver", {})
        key = json.dumps(driver.get("rules"), sort_keys=True)
        if key in _VALIDATED_RULES:
            driver["rules"] = []
        else:
            _VALIDATED_RULES.add(key)
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, errors[0]


def available_formats() -> list[str]:
    return [name for name, module in REPORTERS.items() if has_module(module)]


def lint_files(files: dict[str, str], paths: tuple[str, ...] = (".",)) -> dict:
    """Write `files` into a fresh directory, run the CLI with every format, check everything."""
    with tempfile.TemporaryDirectory() as root, contextlib.chdir(root):
        for name, text in files.items():
            Path(name).parent.mkdir(parents=True, exist_ok=True)
            Path(name).write_text(text, encoding="utf-8", errors="surrogatepass")
        formats = available_formats()
        _RUNS[0] += 1
        if _RUNS[0] % SARIF_EVERY and "sarif" in formats:
            formats.remove("sarif")  # SARIF costs 3x the rest; see SARIF_EVERY
        args = ["check", *paths]
        for fmt in formats:
            args += ["-f", fmt, "-o", f"out/report.{fmt}"]
        result = CliRunner().invoke(main, args, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code in (0, 1), result.output
        outputs = {fmt: Path(f"out/report.{fmt}").read_text(encoding="utf-8") for fmt in formats}
    report = json.loads(outputs["json"])
    for finding in report["findings"]:
        assert finding["rule_id"] != "SLS001", finding
        assert "internal error" not in finding["message"], finding
    active = [f for f in report["findings"] if not f.get("suppressed")]
    rank = {"error": 3, "warning": 2, "note": 1}
    threshold = rank[report["summary"]["fail_on"]]
    failing = [f for f in active if rank[f["severity"]] >= threshold]
    assert result.exit_code == (1 if failing else 0), (result.exit_code, active)
    check_formats(outputs, report)
    return report


def check_formats(outputs: dict[str, str], report: dict) -> None:
    if "sarif" in outputs:
        validate_sarif(json.loads(outputs["sarif"]))
    if "gitlab" in outputs:
        assert isinstance(json.loads(outputs["gitlab"]), list)
    if "junit" in outputs:
        ElementTree.fromstring(outputs["junit"].encode("utf-8"))
    if "github" in outputs:
        for line in outputs["github"].splitlines():
            assert "\r" not in line
            if line.startswith("::"):
                assert re.match(r"^::(error|warning|notice)( [^:]*)?::", line), line
    assert "Traceback" not in outputs["text"]


def count(name: str) -> None:
    EXAMPLES_RUN[name] = EXAMPLES_RUN.get(name, 0) + 1


# -- the properties ---------------------------------------------------------------------------

STYLES = st.sampled_from(["yaml-short", "yaml-long", "json"])


@fuzz_settings(250)
@given(document=mutated(CFN_SEED), style=STYLES, data=st.data())
def test_cloudformation(document, style, data):
    text = data.draw(text_mutation(render(document, style)))
    name = "template.json" if style == "json" else "template.yaml"
    lint_files({name: text}, (name,))
    count("cloudformation")


@needs_loader("sam")
@fuzz_settings(200)
@given(document=mutated(SAM_SEED), style=STYLES, data=st.data())
def test_sam(document, style, data):
    text = data.draw(text_mutation(render(document, style)))
    lint_files({"template.yaml": text, "src/app.js": "exports.handler = 1\n"}, ("template.yaml",))
    count("sam")


@needs_loader("serverless")
@fuzz_settings(200)
@given(
    document=mutated(SERVERLESS_SEED),
    extra=mutated(SERVERLESS_EXTRA, 3),
    style=st.sampled_from(["yaml-long", "json"]),
    data=st.data(),
)
def test_serverless(document, extra, style, data):
    name = "serverless.json" if style == "json" else "serverless.yml"
    text = data.draw(text_mutation(render(document, style)))
    lint_files({name: text, "extra.yml": render(extra, "yaml-long")}, (name,))
    count("serverless")


@st.composite
def terraform_module(draw) -> dict[str, str]:
    """Seed blocks, some attribute values replaced by odd expressions, some text mutated."""
    blocks = draw(st.lists(st.sampled_from(TERRAFORM_BLOCKS), min_size=1, max_size=8))
    text = "\n\n".join(blocks)
    for _ in range(draw(st.integers(0, 4))):
        assignments = list(re.finditer(r"(?m)^(\s+[a-z_]+\s*=\s*)(.+)$", text))
        if not assignments:
            break
        match = assignments[draw(st.integers(0, len(assignments) - 1))]
        text = (
            text[: match.start(2)] + draw(st.sampled_from(HCL_EXPRESSIONS)) + text[match.end(2) :]
        )
    text = draw(text_mutation(text, yaml=False))
    files = {"main.tf": text}
    if draw(st.booleans()):
        files["terraform.tfvars"] = draw(
            st.sampled_from(['runtime = "nodejs10.x"\n', "ports = 1\n", "stage = [\n", ""])
        )
    if draw(st.booleans()):
        files["modules/inner/main.tf"] = draw(st.sampled_from(TERRAFORM_BLOCKS[:3]))
    return files


@needs_loader("terraform")
@fuzz_settings(200)
@given(files=terraform_module())
def test_terraform(files):
    lint_files(files)
    count("terraform")


@needs_loader("tfplan")
@fuzz_settings(50)
@given(
    resources=st.lists(
        st.tuples(st.sampled_from(["aws_lambda_function", "aws_iam_role", "x"]), values), max_size=4
    )
)
def test_terraform_plan(resources):
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": {
            "root_module": {
                "resources": [
                    {"address": f"{kind}.r{i}", "type": kind, "name": f"r{i}", "values": value}
                    for i, (kind, value) in enumerate(resources)
                ]
            }
        },
        "resource_changes": [],
    }
    lint_files({"plan.json": json.dumps(plan)}, ("plan.json",))
    count("tfplan")


@fuzz_settings(60)
@given(
    cfn=mutated(CFN_SEED, 3),
    sam=mutated(SAM_SEED, 3),
    junk=st.binary(max_size=200),
    data=st.data(),
)
def test_mixed_directory(cfn, sam, junk, data):
    """Several formats and junk side by side: one bad file never spoils the others' run."""
    files = {
        "a/template.yaml": render(cfn, "yaml-short"),
        "b/template.json": render(sam, "json"),
        "c/template.yaml": junk.decode("utf-8", errors="replace"),
        "d/serverless.yml": data.draw(text_mutation(SERVERLESS_SEED)),
        "e/main.tf": data.draw(text_mutation(TERRAFORM_BLOCKS[0], yaml=False)),
    }
    lint_files(files)
    count("mixed")


# Minimal files the fuzzer found crashing a rule (SLS001), kept as fixed examples.
REGRESSIONS = {
    "cfn-list-as-cidr": (
        "template.yaml",
        CFN_SEED.replace("CidrIpv6: '::/0'", "CidrIpv6: []"),
    ),
    "tf-list-as-authorization": (
        "main.tf",
        TERRAFORM_BLOCKS[8]
        + "\n"
        + TERRAFORM_BLOCKS[9].replace('authorization_type = "NONE"', "authorization_type = []"),
    ),
}


@pytest.mark.parametrize("case", sorted(REGRESSIONS))
def test_regressions(case):
    name, text = REGRESSIONS[case]
    assert "[]" in text
    lint_files({name: text})


def test_report_fuzzing_volume():
    """Runs last in this module (pytest keeps file order): prints how many examples ran."""
    print(f"\nfuzz examples run: {EXAMPLES_RUN} (total {sum(EXAMPLES_RUN.values())})")
