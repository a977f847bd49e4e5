"""APIs declared as OpenAPI documents, in every format, and who can reach an API at all.

Each test lints a small application and checks the rule ids, the subjects and the exact line
(and file) of the findings, so that a route read from a definition is located where the user
wrote its method.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import by_rule, lint_text

from sls_lint.run.engine import LintOptions

FN_URI = (
    "!Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
    "${Fn.Arn}/invocations"
)


def _lint(tmp_path: Path, monkeypatch, fmt: str, text: str, name: str | None = None, **files):
    monkeypatch.chdir(tmp_path)
    for file_name, content in files.items():
        Path(file_name.replace("__", "/").replace("_DOT_", ".")).write_text(
            textwrap.dedent(content), encoding="utf-8"
        )
    return lint_text(Path("."), fmt, textwrap.dedent(text), name)


def _line(text: str, needle: str, occurrence: int = 1) -> int:
    lines = textwrap.dedent(text).splitlines()
    found = [i + 1 for i, line in enumerate(lines) if needle in line]
    return found[occurrence - 1]


CFN_BODY = f"""\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: {{ZipFile: x}}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: demo
      Body:
        swagger: "2.0"
        info: {{title: demo, version: "1"}}
        security:
          - Cognito: []
        x-amazon-apigateway-request-validators:
          all: {{validateRequestBody: true, validateRequestParameters: true}}
          none: {{validateRequestBody: false, validateRequestParameters: false}}
        paths:
          /items:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: {FN_URI}
            post:
              x-amazon-apigateway-request-validator: all
              security: []
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: {FN_URI}
          /items/{{id}}:
            put:
              x-amazon-apigateway-request-validator: none
            x-amazon-apigateway-any-method:
              security:
                - key: []
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: {FN_URI}
        securityDefinitions:
          key: {{type: apiKey, name: x-api-key, in: header}}
          Cognito:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: cognito_user_pools
            x-amazon-apigateway-authorizer:
              type: cognito_user_pools
              providerARNs: [arn:aws:cognito-idp:eu-west-1:123456789012:userpool/x]
"""


def test_cloudformation_body_routes_security_and_validators(tmp_path, monkeypatch):
    findings = _lint(tmp_path, monkeypatch, "cloudformation", CFN_BODY)
    routes = {f.resource: f for f in by_rule(findings, "SLS101")}
    # GET inherits the document's Cognito security: silent.
    assert set(routes) == {"Api POST /items", "Api ANY /items/{id}"}
    post = routes["Api POST /items"]
    assert post.location.line == _line(CFN_BODY, "security: []")
    assert "invokes Fn" in post.message and "no authorization" in post.message
    key_only = routes["Api ANY /items/{id}"]
    assert "only by an API key" in key_only.message
    assert key_only.location.line == _line(CFN_BODY, "- key: []")
    # The validator named `none` validates nothing; `all` does; GET has no body.
    assert {f.resource for f in by_rule(findings, "SLS503")} == {"Api PUT /items/{id}"}
    # SLS110/SLS803 see the open POST route: the function is reachable.
    assert by_rule(findings, "SLS803")


def test_cloudformation_json_body_and_http_api_jwt(tmp_path, monkeypatch):
    text = """\
    {
      "Resources": {
        "Api": {
          "Type": "AWS::ApiGatewayV2::Api",
          "Properties": {
            "Body": {
              "openapi": "3.0.1",
              "info": {"title": "h", "version": "1"},
              "paths": {
                "/open": {"get": {}},
                "/closed": {"get": {"security": [{"jwt": []}]}},
                "/$default": {"x-amazon-apigateway-any-method": {}}
              },
              "components": {"securitySchemes": {"jwt": {
                "type": "oauth2",
                "x-amazon-apigateway-authorizer": {"type": "jwt"}
              }}}
            }
          }
        }
      }
    }
    """
    findings = _lint(tmp_path, monkeypatch, "cloudformation", text, "template.json")
    found = {f.resource: f.location.line for f in by_rule(findings, "SLS101")}
    assert found == {"Api GET /open": 10, "Api $default": 12}


def test_body_in_s3_is_a_note_once_per_api_and_can_be_ignored(tmp_path, monkeypatch):
    text = """\
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties:
          BodyS3Location: {Bucket: specs, Key: api.yaml}
      Http:
        Type: AWS::ApiGatewayV2::Api
        Properties:
          Body:
            Fn::Transform:
              Name: AWS::Include
              Parameters: {Location: s3://specs/http.yaml}
    """
    findings = _lint(tmp_path, monkeypatch, "cloudformation", text)
    notes = by_rule(findings, "SLS004")
    assert [(f.resource, f.location.line, f.severity) for f in notes] == [
        ("Api", 5, "note"),
        ("Http", 10, "note"),
    ]
    assert "S3" in notes[0].message
    from sls_lint.run.registry import load_rules
    from sls_lint.run.selection import select_rules

    chosen = select_rules(load_rules(), ignore=["api-definition-unreadable"])
    assert "SLS004" not in {rule.id for rule in chosen}


SAM_MERGE = f"""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Protected:
          Type: Api
          Properties: {{RestApiId: !Ref Api, Path: /items, Method: get}}
        Overridden:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /items
            Method: delete
            Auth:
              Authorizer: NONE
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        swagger: "2.0"
        info: {{title: x, version: "1"}}
        paths:
          /items:
            get:
              security:
                - Lambda: []
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: {FN_URI}
            delete:
              security:
                - Lambda: []
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: {FN_URI}
        securityDefinitions:
          Lambda:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: custom
"""


def test_sam_event_merged_into_the_body_keeps_the_body_security(tmp_path, monkeypatch):
    findings = _lint(tmp_path, monkeypatch, "sam", SAM_MERGE)
    found = {f.resource: f.location.line for f in by_rule(findings, "SLS101")}
    # The event without Auth keeps the body's authorizer; the event with its own Auth wins.
    assert found == {"Api DELETE /items": _line(SAM_MERGE, "Authorizer: NONE")}


def test_sam_default_authorizer_and_api_key_reach_body_only_paths(tmp_path, monkeypatch):
    text = f"""\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties: {{Runtime: python3.12, Handler: app.handler, CodeUri: src/}}
      Authorized:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          Auth:
            DefaultAuthorizer: AWS_IAM
          DefinitionBody:
            swagger: "2.0"
            info: {{title: x, version: "1"}}
            paths:
              /a:
                get:
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    uri: {FN_URI}
              /mock:
                get: {{}}
      Keyed:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          Auth:
            ApiKeyRequired: true
          DefinitionBody:
            swagger: "2.0"
            info: {{title: x, version: "1"}}
            paths:
              /b:
                get:
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    uri: {FN_URI}
    """
    findings = _lint(tmp_path, monkeypatch, "sam", text)
    assert not by_rule(findings, "SLS000")
    found = {f.resource: (f.location.line, f.message) for f in by_rule(findings, "SLS101")}
    # SAM adds the default authorizer only to operations with an integration.
    assert set(found) == {"Authorized GET /mock", "Keyed GET /b"}
    line, message = found["Keyed GET /b"]
    assert line == _line(text, "ApiKeyRequired: true")
    assert "only by an API key" in message and "invokes Fn" in message


def test_sam_definition_uri_local_file_findings_point_into_it(tmp_path, monkeypatch):
    spec = """\
    openapi: "3.0.1"
    info: {title: x, version: "1"}
    paths:
      /pets:
        post:
          x-amazon-apigateway-integration:
            type: aws_proxy
            uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/functions/${Fn.Arn}/invocations
    """
    text = """\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/}
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          DefinitionUri: specs/openapi.yaml
      Included:
        Type: AWS::Serverless::HttpApi
        Properties:
          DefinitionBody:
            Fn::Transform:
              Name: AWS::Include
              Parameters: {Location: ./specs/openapi.yaml}
      Outside:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          DefinitionUri: ../../etc/openapi.yaml
      Remote:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          DefinitionUri: {Bucket: specs, Key: openapi.yaml}
    """
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "openapi.yaml").write_text(textwrap.dedent(spec), encoding="utf-8")
    findings = _lint(tmp_path, monkeypatch, "sam", text)
    routes = {(f.resource, f.location.file, f.location.line) for f in by_rule(findings, "SLS101")}
    assert routes == {
        ("Api POST /pets", "specs/openapi.yaml", 5),
        ("Included POST /pets", "specs/openapi.yaml", 5),
    }
    notes = {f.resource: f.location.line for f in by_rule(findings, "SLS004")}
    assert notes == {"Outside": 22, "Remote": 27}
    fn_findings = [f for f in by_rule(findings, "SLS803") if f.resource == "Fn"]
    assert fn_findings, "the function behind the included route is reachable"


TF_BODY = """\
resource "aws_lambda_function" "fn" {
  function_name = "orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  role          = "arn:aws:iam::123456789012:role/orders"
}

resource "aws_api_gateway_rest_api" "inline" {
  name = "inline"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "orders", version = "1" }
    paths = {
      "/orders" = {
        get = {
          x-amazon-apigateway-integration = {
            type = "aws_proxy"
            uri  = aws_lambda_function.fn.invoke_arn
          }
        }
      }
    }
  })
}

resource "aws_apigatewayv2_api" "from_file" {
  name          = "from-file"
  protocol_type = "HTTP"
  body          = file("${path.module}/openapi.json")
}

resource "aws_apigatewayv2_api" "from_template" {
  name          = "from-template"
  protocol_type = "HTTP"
  body          = templatefile("openapi.json", { arn = aws_lambda_function.fn.invoke_arn })
}

variable "spec" {
  type = string
}

resource "aws_api_gateway_rest_api" "unknown" {
  name = "unknown"
  body = var.spec
}
"""

OPENAPI_JSON = """\
{
  "openapi": "3.0.1",
  "info": {"title": "h", "version": "1"},
  "paths": {
    "/pets": {
      "get": {"x-amazon-apigateway-integration": {"type": "aws_proxy", "uri": "${arn}"}}
    }
  }
}
"""


def test_terraform_body_jsonencode_file_templatefile_and_unknown(tmp_path, monkeypatch):
    (tmp_path / "openapi.json").write_text(OPENAPI_JSON, encoding="utf-8")
    findings = _lint(tmp_path, monkeypatch, "terraform", TF_BODY)
    routes = {(f.resource, f.location.file, f.location.line) for f in by_rule(findings, "SLS101")}
    assert routes == {
        ("aws_api_gateway_rest_api.inline GET /orders", "main.tf", 16),
        ("aws_apigatewayv2_api.from_file GET /pets", "openapi.json", 6),
        ("aws_apigatewayv2_api.from_template GET /pets", "openapi.json", 6),
    }
    invoking = {f.resource for f in by_rule(findings, "SLS101") if "invokes aws_" in f.message}
    assert invoking == {
        "aws_api_gateway_rest_api.inline GET /orders",
        "aws_apigatewayv2_api.from_template GET /pets",  # ${arn} stood for the function
    }
    notes = [(f.resource, f.location.line) for f in by_rule(findings, "SLS004")]
    assert notes == [("aws_api_gateway_rest_api.unknown", _line(TF_BODY, "body = var.spec"))]


def test_serverless_resources_carry_openapi_apis(tmp_path, monkeypatch):
    text = """\
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
    resources:
      Resources:
        Api:
          Type: AWS::ApiGateway::RestApi
          Properties:
            Name: demo
            Body:
              openapi: "3.0.1"
              info: {title: demo, version: "1"}
              paths:
                /items:
                  get:
                    x-amazon-apigateway-integration:
                      type: aws_proxy
                      uri:
                        Fn::Sub: arn:aws:apigateway:lambda:${HelloLambdaFunction.Arn}/invocations
        Remote:
          Type: AWS::ApiGateway::RestApi
          Properties:
            BodyS3Location: {Bucket: b, Key: k}
    """
    findings = _lint(tmp_path, monkeypatch, "serverless", text)
    assert [(f.resource, f.location.line) for f in by_rule(findings, "SLS101")] == [
        ("Api GET /items", 19)
    ]
    assert "invokes HelloLambdaFunction" in by_rule(findings, "SLS101")[0].message
    assert [f.resource for f in by_rule(findings, "SLS004")] == ["Remote"]


def test_serverless_empty_authorizer_is_no_authorizer(tmp_path, monkeypatch):
    text = """\
    service: demo
    provider:
      name: aws
      runtime: python3.12
    custom:
      auth: ""
    functions:
      hello:
        handler: handler.main
        events:
          - http: {path: a, method: get, authorizer: "${self:custom.auth}"}
          - httpApi: {path: /b, method: get, authorizer: ""}
    """
    findings = _lint(tmp_path, monkeypatch, "serverless", text)
    assert sorted(f.location.line for f in by_rule(findings, "SLS101")) == [11, 12]


def test_api_key_only_routes_in_every_format(tmp_path, monkeypatch):
    text = """\
    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
    }

    resource "aws_api_gateway_method" "keyed" {
      rest_api_id      = aws_api_gateway_rest_api.api.id
      resource_id      = aws_api_gateway_rest_api.api.root_resource_id
      http_method      = "GET"
      authorization    = "NONE"
      api_key_required = true
    }

    resource "aws_api_gateway_method" "keyed_and_iam" {
      rest_api_id      = aws_api_gateway_rest_api.api.id
      resource_id      = aws_api_gateway_rest_api.api.root_resource_id
      http_method      = "POST"
      authorization    = "AWS_IAM"
      api_key_required = true
    }
    """
    findings = _lint(tmp_path, monkeypatch, "terraform", text)
    found = by_rule(findings, "SLS101")
    assert [(f.resource, f.location.line) for f in found] == [
        ("aws_api_gateway_method.keyed", 10)
    ]
    assert "does not authenticate" in found[0].message


REACH = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: demo
      EndpointConfiguration: {{Types: [REGIONAL]}}
      {disable}
  GetItems:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
{domain}
"""

DOMAIN = """\
  Domain:
    Type: AWS::ApiGateway::DomainName
    Properties:
      DomainName: api.example.com
      RegionalCertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
      {mtls}
  Mapping:
    Type: AWS::ApiGateway::BasePathMapping
    Properties: {{DomainName: {target}, RestApiId: !Ref Api}}
"""


def _reach(disable: bool, domain: bool, mtls: bool, target: str = "!Ref Domain") -> str:
    mtls_line = "MutualTlsAuthentication: {TruststoreUri: s3://trust/ca.pem}" if mtls else ""
    return REACH.format(
        disable="DisableExecuteApiEndpoint: true" if disable else "",
        domain=DOMAIN.format(mtls=mtls_line, target=target) if domain else "",
    )


def test_who_can_reach_the_api(tmp_path, monkeypatch):
    cases = {
        (False, False, False): True,  # the default endpoint answers anyone
        (True, False, False): False,  # no endpoint at all
        (True, True, True): False,  # only client-certificate holders
        (True, True, False): True,  # a plain custom domain
        (False, True, True): True,  # execute-api bypasses the domain's mutual TLS
    }
    for index, ((disable, domain, mtls), public) in enumerate(cases.items()):
        directory = tmp_path / str(index)
        directory.mkdir()
        findings = _lint(directory, monkeypatch, "cloudformation", _reach(disable, domain, mtls))
        assert bool(by_rule(findings, "SLS101")) is public, (disable, domain, mtls)
    # A mapping to a domain declared elsewhere: its settings are unknown, so it stays open.
    directory = tmp_path / "elsewhere"
    directory.mkdir()
    text = _reach(True, True, True, target="other.example.com")
    assert by_rule(_lint(directory, monkeypatch, "cloudformation", text), "SLS101")


def test_gateway_settings_as_aws_applies_them(tmp_path, monkeypatch):
    text = """\
    Parameters:
      ApiId: {Type: String}
    Resources:
      Stage:
        Type: AWS::ApiGateway::Stage
        Properties: {RestApiId: !Ref ApiId, StageName: prod}
      Plan:
        Type: AWS::ApiGateway::UsagePlan
        Properties:
          ApiStages: [{ApiId: !Ref ApiId, Stage: prod}]
          Throttle: {RateLimit: 10, BurstLimit: 20}
      Literal:
        Type: AWS::ApiGateway::Stage
        Properties: {RestApiId: abc123, StageName: prod}
      BurstOnly:
        Type: AWS::ApiGateway::UsagePlan
        Properties:
          ApiStages: [{ApiId: abc123, Stage: prod}]
          Throttle: {BurstLimit: 20}
      Ws:
        Type: AWS::ApiGatewayV2::Api
        Properties: {Name: chat, ProtocolType: WEBSOCKET}
      WsStage:
        Type: AWS::ApiGatewayV2::Stage
        Properties:
          ApiId: !Ref Ws
          StageName: prod
          DefaultRouteSettings: {LoggingLevel: "OFF", ThrottlingRateLimit: 5}
      Waf:
        Type: AWS::WAFRegional::WebACLAssociation
        Properties:
          ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/abc123/stages/prod
          WebACLId: acl
    """
    findings = _lint(tmp_path, monkeypatch, "cloudformation", text)
    assert {f.resource for f in by_rule(findings, "SLS501")} == {"Literal"}
    assert {f.resource for f in by_rule(findings, "SLS302")} >= {"WsStage"}


def test_note_does_not_slow_or_break_options(tmp_path, monkeypatch):
    """SLS004 is a rule like any other: `--select SLS004` runs it alone."""
    monkeypatch.chdir(tmp_path)
    Path("template.yaml").write_text(
        "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n"
        "    Properties: {BodyS3Location: {Bucket: b, Key: k}}\n",
        encoding="utf-8",
    )
    from sls_lint.run.pipeline import lint_paths
    from sls_lint.run.registry import load_rules
    from sls_lint.run.selection import select_rules

    rules = [cls() for cls in select_rules(load_rules(), select=["SLS004"])]
    findings = lint_paths([Path(".")], rules, LintOptions()).findings
    assert [f.rule_id for f in findings] == ["SLS004"]


def test_sam_websocket_api_connect_authorization(tmp_path, monkeypatch):
    text = """\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: s3://b/k}
      Open:
        Type: AWS::Serverless::WebSocketApi
        Properties:
          RouteSelectionExpression: $request.body.action
          Routes:
            $connect:
              FunctionArn: !GetAtt Fn.Arn
            send:
              FunctionArn: !GetAtt Fn.Arn
      Guarded:
        Type: AWS::Serverless::WebSocketApi
        Properties:
          RouteSelectionExpression: $request.body.action
          Auth:
            AuthType: CUSTOM
            AuthArn: !GetAtt Fn.Arn
          Routes:
            $connect:
              FunctionArn: !GetAtt Fn.Arn
            send:
              FunctionArn: !GetAtt Fn.Arn
    """
    findings = _lint(tmp_path, monkeypatch, "sam", text)
    found = [(f.resource, f.location.line) for f in by_rule(findings, "SLS101")]
    assert found == [("OpenConnectRoute", _line(text, "$connect:"))]
    stages = {f.resource for f in by_rule(findings, "SLS302")}
    assert stages == {"OpenDefaultStage", "GuardedDefaultStage"}
    assert not by_rule(findings, "SLS104")  # SAM's permissions name the API as source


def test_terraform_yaml_body_and_empty_body(tmp_path, monkeypatch):
    (tmp_path / "openapi.yaml").write_text(
        "openapi: '3.0.1'\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /open:\n"
        "    post: {}\n",
        encoding="utf-8",
    )
    text = """\
    resource "aws_api_gateway_rest_api" "yaml" {
      name = "yaml"
      body = file("openapi.yaml")
    }

    resource "aws_api_gateway_rest_api" "none" {
      name = "none"
      body = null
    }
    """
    findings = _lint(tmp_path, monkeypatch, "terraform", text)
    routes = [(f.resource, f.location.file, f.location.line) for f in by_rule(findings, "SLS101")]
    assert routes == [("aws_api_gateway_rest_api.yaml POST /open", "openapi.yaml", 5)]
    assert not by_rule(findings, "SLS004")
