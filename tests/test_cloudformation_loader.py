"""The CloudFormation loader fills the graph with located nodes and resolved edges."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLES

from sls_lint.loaders import LoadContext, load_unit
from sls_lint.model.graph import Edge, Kind
from sls_lint.model.values import Choice, Unknown
from sls_lint.run.discovery import discover, group_units
from sls_lint.sources.files import Unit


def load(path: Path):
    units = group_units(discover([path]))
    assert len(units) == 1
    return load_unit(units[0], LoadContext())


def load_text(tmp_path: Path, text: str, name: str = "template.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return load(path)


def test_sample_graph_nodes_edges_and_lines():
    result = load(SAMPLES / "cloudformation" / "vulnerable.yaml")
    graph = result.graph
    assert not result.problems
    fn = graph.get("OrdersFunction")
    assert fn.kind == Kind.FUNCTION and fn.location.line == 43
    assert fn.get("runtime") == "python3.8" and fn.loc("runtime").line == 46
    assert fn.loc("environment.STRIPE_API_KEY").line == 55
    assert graph.role_of(fn).address == "OrdersRole"
    assert [g.address for g in graph.security_groups_of(fn)] == ["FunctionSecurityGroup"]
    route = graph.get("PostOrder")
    assert route.get("path") == "/orders" and route.get("method") == "POST"
    assert route.loc("authorization_type").line == 94
    assert graph.functions_invoked_by(route) == [fn]
    assert graph.api_of(route).address == "OrdersApi"
    stage = graph.get("OrdersStage")
    assert stage.get("name") == "prod"  # parameter default resolved
    assert graph.api_of(stage).address == "OrdersApi"
    url = graph.get("OrdersFunctionUrl")
    assert graph.functions_invoked_by(url) == [fn]
    permission = graph.get("OrdersUrlPermission")
    assert graph.targets(permission, Edge.ALLOWS) == [fn]
    statements = graph.statements_of(graph.get("OrdersRole"))
    assert [s.loc("actions[0]").line for s in statements] == [26, 30, 34]
    assert statements[1].loc("actions[1]").line == 31
    trust = graph.trust_statements_of(graph.get("OrdersRole"))
    assert trust[0].get("principals") == {"Service": ["lambda.amazonaws.com"]}


def test_intrinsics_resolution(tmp_path):
    result = load_text(
        tmp_path,
        """\
Parameters:
  Runtime: {Type: String, Default: nodejs20.x}
  NoDefault: {Type: String}
Mappings:
  M: {eu: {rt: python3.12}}
Conditions:
  C: !Equals [a, b]
Resources:
  A:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: !Ref Runtime
      Handler: !ImportValue shared-handler
      Role: !If [C, arn:aws:iam::1:role/a, arn:aws:iam::1:role/b]
      MemorySize: !FindInMap [M, eu, rt]
      Timeout: !Ref NoDefault
""",
    )
    fn = result.graph.get("A")
    assert fn.get("runtime") == "nodejs20.x"
    assert isinstance(fn.get("handler"), Unknown)
    assert isinstance(fn.get("role"), Choice)
    assert fn.get("memory") == "python3.12"
    assert isinstance(fn.get("timeout"), Unknown)


def test_http_api_routes_integrations_and_default_egress(tmp_path):
    result = load_text(
        tmp_path,
        """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: h, Role: r, Code: {ZipFile: x}}
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: a, ProtocolType: HTTP}
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt Fn.Arn
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: GET /items/{id}
      Target: !Sub integrations/${Integration}
""",
    )
    graph = result.graph
    route = graph.get("Route")
    assert (route.get("method"), route.get("path")) == ("GET", "/items/{id}")
    assert route.get("authorization_type") == "NONE"
    assert route.loc("authorization_type").line == 18  # no AuthorizationType: the RouteKey line
    assert graph.functions_invoked_by(route) == [graph.get("Fn")]
    assert route.get("protocol") == "http"


def test_json_template_lines(tmp_path):
    result = load_text(
        tmp_path,
        """{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.7",
        "Role": {"Fn::GetAtt": ["R", "Arn"]}
      }
    }
  }
}
""",
        "template.json",
    )
    fn = result.graph.get("Fn")
    assert fn.location.line == 4
    assert fn.loc("runtime").line == 7


def test_parse_error_is_a_problem_not_a_crash(tmp_path):
    result = load_text(tmp_path, "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X: [\n")
    assert len(result.problems) == 1
    assert result.problems[0].line >= 3


def test_unit_of_unreadable_file_reports_problem(tmp_path):
    unit = Unit("cloudformation", tmp_path)
    from sls_lint.sources.files import SourceFile

    unit.files.append(SourceFile(tmp_path / "t.yaml", "t.yaml", "cloudformation", None, "boom"))
    result = load_unit(unit, LoadContext())
    assert result.problems[0].message == "boom"
