"""The same application written in all four formats gets the same findings.

`tests/fixtures/equivalence/<app>/` holds three small applications, each written as plain
CloudFormation, AWS SAM, a Serverless Framework service and Terraform. For every format the test
lints the app, loads its graph, and projects each finding to `(rule id, subject)`, where the
subject is a format-neutral name:

- functions, roles and security groups: an explicit table per app maps each format's address
  (`ListOrdersFunction`, `ListOrdersLambdaFunction`, `aws_lambda_function.list_orders`) to one
  name (`list-orders`); an address missing from the table fails the test, so a new resource must
  be named on purpose;
- nodes that belong to one of those are named after it through the graph's own edges (a log group
  by the function that `logs_to` it, a function URL / event source / permission by the function
  it invokes or allows, a statement by the role that grants it plus its actions);
- routes by `METHOD path`, stages by protocol (each app has one API).

The projected sets must be equal across the four formats, except for the explicit allow-list of
real semantic differences (`ALLOWED`), each with its reason; an allow-list entry that no longer
happens fails the test, so the list stays minimal. The same projection of the graph's edges
(which route invokes which function, which role each function assumes, ...) must be equal too,
so that the fixed app's zero findings cannot come from a loader that silently dropped resources.
Spot checks pin, per format and app, the exact file and line of findings on the line where the
offending value is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO

from sls_lint.loaders import LoadContext, load_unit
from sls_lint.model.findings import Finding
from sls_lint.model.graph import Kind, Node, ResourceGraph
from sls_lint.run.discovery import discover, group_units
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import lint_paths
from sls_lint.run.registry import load_rules

FIXTURES = REPO / "tests" / "fixtures" / "equivalence"
FORMATS = ("cloudformation", "sam", "serverless", "terraform")
CFN, SAM, SLS, TF = FORMATS

Key = tuple[str, str]  # (rule id, subject)


@dataclass(frozen=True)
class Allowed:
    """A finding only some formats have, because the formats really mean different things."""

    fmt: str
    key: Key
    reason: str


@dataclass(frozen=True)
class Spot:
    """A finding that must be reported at exactly this line, which holds `text`."""

    fmt: str
    key: Key
    file: str
    line: int
    text: str


@dataclass
class App:
    name: str
    # neutral name -> format -> address, for functions, roles and security groups
    names: dict[str, dict[str, str]]
    allowed: list[Allowed] = field(default_factory=list)
    spots: list[Spot] = field(default_factory=list)


def per_format(cfn: str, sam: str, sls: str, tf: str) -> dict[str, str]:
    return dict(zip(FORMATS, (cfn, sam, sls, tf), strict=True))


ORDERS_FUNCTIONS = {
    "list-orders": per_format(
        "ListOrdersFunction",
        "ListOrdersFunction",
        "ListOrdersLambdaFunction",
        "aws_lambda_function.list_orders",
    ),
    "create-order": per_format(
        "CreateOrderFunction",
        "CreateOrderFunction",
        "CreateOrderLambdaFunction",
        "aws_lambda_function.create_order",
    ),
    "export-orders": per_format(
        "ExportOrdersFunction",
        "ExportOrdersFunction",
        "ExportOrdersLambdaFunction",
        "aws_lambda_function.export_orders",
    ),
    "process-order": per_format(
        "ProcessOrderFunction",
        "ProcessOrderFunction",
        "ProcessOrderLambdaFunction",
        "aws_lambda_function.process_order",
    ),
    "notify-customer": per_format(
        "NotifyCustomerFunction",
        "NotifyCustomerFunction",
        "NotifyCustomerLambdaFunction",
        "aws_lambda_function.notify_customer",
    ),
}
ORDERS_SECURITY_GROUP = {
    "functions-sg": per_format(
        "FunctionSecurityGroup",
        "FunctionSecurityGroup",
        "FunctionSecurityGroup",
        "aws_security_group.functions",
    ),
}


def function_roles(functions: Iterable[str]) -> dict[str, dict[str, str]]:
    """One role per function: `ListOrdersRole` (CloudFormation), `ListOrdersFunctionRole` (SAM
    generates it from `Policies`), `ListOrdersIamRoleLambdaExecution` (the per-function roles
    plugin of the Serverless Framework), `aws_iam_role.list_orders`."""
    roles = {}
    for name in functions:
        camel = "".join(part.capitalize() for part in name.split("-"))
        roles[f"{name}-role"] = per_format(
            f"{camel}Role",
            f"{camel}FunctionRole",
            f"{camel}IamRoleLambdaExecution",
            f"aws_iam_role.{name.replace('-', '_')}",
        )
    return roles


VULNERABLE = App(
    "orders-api-vulnerable",
    names={
        **ORDERS_FUNCTIONS,
        **ORDERS_SECURITY_GROUP,
        # The one role every function shares: the framework's own IamRoleLambdaExecution.
        "shared-role": per_format(
            "OrdersRole", "OrdersRole", "IamRoleLambdaExecution", "aws_iam_role.orders"
        ),
    },
    spots=[
        Spot(CFN, ("SLS601", "list-orders"), "template.yaml", 47, "Runtime: python3.8"),
        Spot(CFN, ("SLS201", "shared-role *"), "template.yaml", 23, 'Action: "*"'),
        Spot(CFN, ("SLS101", "GET /orders"), "template.yaml", 182, "AuthorizationType: NONE"),
        Spot(SAM, ("SLS701", "create-order"), "template.yaml", 75, "DB_PASSWORD:"),
        Spot(SAM, ("SLS102", "url of export-orders"), "template.yaml", 100, "AuthType: NONE"),
        Spot(SAM, ("SLS203", "shared-role s3:*"), "template.yaml", 34, 'Resource: "*"'),
        Spot(SLS, ("SLS601", "list-orders"), "serverless.yml", 26, "runtime: python3.8"),
        Spot(SLS, ("SLS202", "shared-role s3:*"), "serverless.yml", 17, "Action: s3:*"),
        Spot(SLS, ("SLS401", "functions-sg"), "serverless.yml", 76, 'IpProtocol: "-1"'),
        Spot(SLS, ("SLS102", "url of export-orders"), "serverless.yml", 48, "url: true"),
        Spot(TF, ("SLS201", "shared-role *"), "iam.tf", 28, 'Action   = "*"'),
        Spot(TF, ("SLS401", "functions-sg"), "network.tf", 10, 'cidr_blocks = ["0.0.0.0/0"]'),
        Spot(TF, ("SLS701", "create-order"), "main.tf", 38, "DB_PASSWORD ="),
        Spot(TF, ("SLS101", "GET /orders"), "api.tf", 15, 'authorization = "NONE"'),
    ],
)

FIXED = App(
    "orders-api-fixed",
    names={**ORDERS_FUNCTIONS, **ORDERS_SECURITY_GROUP, **function_roles(ORDERS_FUNCTIONS)},
)

HTTP_FUNCTIONS = {
    "get-order": per_format(
        "GetOrderFunction",
        "GetOrderFunction",
        "GetOrderLambdaFunction",
        "aws_lambda_function.get_order",
    ),
    "health": per_format(
        "HealthFunction", "HealthFunction", "HealthLambdaFunction", "aws_lambda_function.health"
    ),
    "track-events": per_format(
        "TrackEventsFunction",
        "TrackEventsFunction",
        "TrackEventsLambdaFunction",
        "aws_lambda_function.track_events",
    ),
}

HTTP_API = App(
    "http-api",
    names={**HTTP_FUNCTIONS, **function_roles(HTTP_FUNCTIONS)},
    spots=[
        Spot(CFN, ("SLS101", "GET /health"), "template.yaml", 183, "RouteKey: GET /health"),
        Spot(SAM, ("SLS101", "GET /health"), "template.yaml", 88, "Authorizer: NONE"),
        Spot(SLS, ("SLS802", "kinesis source of track-events"), "serverless.yml", 66, "stream:"),
        Spot(TF, ("SLS101", "GET /health"), "api.tf", 42, 'route_key = "GET /health"'),
    ],
)

APPS = {app.name: app for app in (VULNERABLE, FIXED, HTTP_API)}

# Edges whose projection must agree across formats (the app's shape, findings or not).
SHAPE_EDGES = ("invokes", "assumes", "uses_security_group", "logs_to", "allows", "authorized_by")


class Projection:
    """Names a format's graph nodes with the app's neutral subjects."""

    def __init__(self, app: App, fmt: str, graph: ResourceGraph) -> None:
        self.graph = graph
        self.fmt = fmt
        self.names = {addresses[fmt]: name for name, addresses in app.names.items()}

    def named(self, node: Node) -> str:
        assert node.address in self.names, f"{self.fmt}: {node.address} is not in the table"
        return self.names[node.address]

    def owner(self, nodes: list[Node], what: Node) -> str:
        assert len(nodes) == 1, f"{self.fmt}: {what.address} belongs to {nodes}"
        return self.named(nodes[0])

    def subject(self, node: Node) -> str:
        graph = self.graph
        if node.kind in (Kind.FUNCTION, Kind.ROLE, Kind.SECURITY_GROUP):
            return self.named(node)
        if node.kind == Kind.ROUTE:
            return f"{node.get('method')} {node.get('path')}"
        if node.kind == Kind.STAGE:
            return f"{node.get('protocol')} stage"
        if node.kind == Kind.AUTHORIZER:
            return f"{str(node.get('type')).lower()} authorizer"
        if node.kind == Kind.STATEMENT:
            role = self.owner(graph.sources(node, "grants", Kind.ROLE), node)
            actions = node.get("actions")
            shown = "+".join(actions) if isinstance(actions, list) else str(actions)
            return f"{role} {shown}"
        if node.kind == Kind.LOG_GROUP:
            return f"log group of {self.owner(graph.sources(node, 'logs_to', Kind.FUNCTION), node)}"
        if node.kind == Kind.FUNCTION_URL:
            return f"url of {self.owner(graph.functions_invoked_by(node), node)}"
        if node.kind == Kind.EVENT_SOURCE:
            owner = self.owner(graph.functions_invoked_by(node), node)
            return f"{node.get('source_kind')} source of {owner}"
        if node.kind == Kind.PERMISSION:
            owner = self.owner(graph.targets(node, "allows", Kind.FUNCTION), node)
            return f"permission for {node.get('principal')} on {owner}"
        raise AssertionError(f"{self.fmt}: no neutral subject for {node.kind} {node.address}")

    def shape(self) -> set[tuple[str, str, str]]:
        found = set()
        for source, edge, target in self.graph.edges():
            if edge not in SHAPE_EDGES:
                continue
            if edge == "logs_to" and source.kind != Kind.FUNCTION:
                continue  # API stages log elsewhere; SLS301 judges them, not the shape
            found.add((self.subject(source), edge, self.subject(target)))
        return found


@dataclass
class Linted:
    findings: list[Finding]
    by_key: dict[Key, Finding]
    shape: set[tuple[str, str, str]]

    @property
    def keys(self) -> set[Key]:
        return set(self.by_key)


def lint_format(app: App, fmt: str, monkeypatch: pytest.MonkeyPatch) -> Linted:
    """Lint one format of an app (paths in findings relative to the app's folder)."""
    monkeypatch.chdir(FIXTURES / app.name)
    path = Path(fmt)
    (unit,) = group_units(discover([path]))
    graph = load_unit(unit, LoadContext()).graph
    findings = lint_paths([path], [cls() for cls in load_rules()], LintOptions()).findings
    projection = Projection(app, fmt, graph)
    by_key: dict[Key, Finding] = {}
    for finding in findings:
        node = graph.get(finding.resource)
        assert node is not None, f"{fmt}: {finding.rule_id} on unknown {finding.resource}"
        key = (finding.rule_id, projection.subject(node))
        assert key not in by_key, f"{fmt}: {key} reported twice"
        by_key[key] = finding
    return Linted(findings, by_key, projection.shape())


@pytest.fixture(scope="module")
def linted() -> dict[tuple[str, str], Linted]:
    """Every app in every format, linted once for all the tests of this module."""
    results = {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        for app in APPS.values():
            for fmt in FORMATS:
                results[app.name, fmt] = lint_format(app, fmt, monkeypatch)
    return results


def without_allowed(app: App, fmt: str, keys: set[Key]) -> set[Key]:
    return keys - {entry.key for entry in app.allowed if entry.fmt == fmt}


@pytest.mark.parametrize("name", APPS)
def test_every_format_has_the_same_findings(name, linted):
    app = APPS[name]
    reference = without_allowed(app, CFN, linted[name, CFN].keys)
    for fmt in FORMATS[1:]:
        keys = without_allowed(app, fmt, linted[name, fmt].keys)
        assert sorted(keys - reference) == [], f"{fmt} has findings CloudFormation has not"
        assert sorted(reference - keys) == [], f"{fmt} misses findings CloudFormation has"


@pytest.mark.parametrize("name", APPS)
def test_allow_list_entries_still_happen(name, linted):
    """An allow-listed difference that no longer happens must leave the list."""
    app = APPS[name]
    for entry in app.allowed:
        assert entry.key in linted[name, entry.fmt].keys, entry


@pytest.mark.parametrize("name", APPS)
def test_every_format_has_the_same_shape(name, linted):
    reference = linted[name, CFN].shape
    assert reference, "the CloudFormation graph has no edges at all"
    for fmt in FORMATS[1:]:
        shape = linted[name, fmt].shape
        assert sorted(shape - reference) == [], f"{fmt} has edges CloudFormation has not"
        assert sorted(reference - shape) == [], f"{fmt} misses edges CloudFormation has"


@pytest.mark.parametrize("name", APPS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_findings_point_into_the_file_the_user_wrote(name, fmt, linted):
    folder = FIXTURES / name / fmt
    for finding in linted[name, fmt].findings:
        where = finding.location
        path = Path(where.file)
        assert path.parts[0] == fmt, f"{finding.rule_id} points at {where.file}"
        lines = (FIXTURES / name / path).read_text(encoding="utf-8").splitlines()
        assert folder.joinpath(*path.parts[1:]).is_file()
        assert 1 <= where.line <= len(lines), f"{finding.rule_id} at {where}"


@pytest.mark.parametrize("name", [name for name, app in APPS.items() if app.spots])
def test_spot_checked_lines(name, linted):
    app = APPS[name]
    assert {spot.fmt for spot in app.spots} == set(FORMATS), "spot-check every format"
    for spot in app.spots:
        where = linted[name, spot.fmt].by_key[spot.key].location
        assert (where.file, where.line) == (f"{spot.fmt}/{spot.file}", spot.line), spot
        text = (FIXTURES / name / spot.fmt / spot.file).read_text(encoding="utf-8")
        assert spot.text in text.splitlines()[spot.line - 1], spot


def test_fixed_app_is_clean_in_every_format(linted):
    for fmt in FORMATS:
        assert linted[FIXED.name, fmt].keys == set(), fmt


def test_vulnerable_app_has_every_planted_problem(linted):
    """The vulnerable app really contains what it was written to contain (in every format)."""
    expected = {
        ("SLS101", "GET /orders"),
        ("SLS102", "url of export-orders"),
        ("SLS110", "GET /orders"),
        ("SLS201", "shared-role *"),
        ("SLS202", "shared-role s3:*"),
        ("SLS203", "shared-role s3:*"),
        ("SLS208", "shared-role"),
        ("SLS301", "rest stage"),
        ("SLS302", "rest stage"),
        ("SLS401", "functions-sg"),
        ("SLS501", "rest stage"),
        ("SLS502", "rest stage"),
        ("SLS503", "POST /orders"),
        ("SLS601", "list-orders"),
        ("SLS701", "create-order"),
        ("SLS801", "notify-customer"),
    }
    for fmt in FORMATS:
        assert expected <= linted[VULNERABLE.name, fmt].keys, fmt
        # The URL's own permission is SLS102's problem, not a second finding (issue #16).
        assert ("SLS103", "permission for * on export-orders") not in linted[
            VULNERABLE.name, fmt
        ].keys, fmt


def test_http_api_has_its_planted_problems(linted):
    expected = {
        ("SLS101", "GET /health"),
        ("SLS802", "kinesis source of track-events"),
        ("SLS501", "http stage"),
    }
    for fmt in FORMATS:
        keys = linted[HTTP_API.name, fmt].keys
        assert expected <= keys, fmt
        assert ("SLS101", "GET /orders/{id}") not in keys, fmt  # the JWT authorizer counts
        assert ("SLS301", "http stage") not in keys, fmt  # access logs are on


HTTP_STAGE = """\
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: a
      ProtocolType: HTTP
  Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: $default
"""


def test_cloudformation_http_stage_without_access_logs_points_at_the_stage(lint):
    """Regression: SLS301 on an `AWS::ApiGatewayV2::Stage` pointed at its `Type:` line while
    every other stage finding (and SLS301 on REST stages, and the other formats) points at the
    stage itself."""
    findings = {f.rule_id: f for f in lint("cloudformation", HTTP_STAGE)}
    assert findings["SLS301"].location.line == findings["SLS501"].location.line == 7


SECURITY_GROUP_WITHOUT_EGRESS = {
    "cloudformation": """\
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: functions
      VpcId: vpc-0123456789abcdef0
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: x}
      VpcConfig:
        SecurityGroupIds: [!Ref Sg]
        SubnetIds: [subnet-0123456789abcdef0]
""",
    "terraform": """\
resource "aws_security_group" "sg" {
  name   = "functions"
  vpc_id = "vpc-0123456789abcdef0"
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/r"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "fn.zip"

  vpc_config {
    security_group_ids = [aws_security_group.sg.id]
    subnet_ids         = ["subnet-0123456789abcdef0"]
  }
}
""",
}


@pytest.mark.parametrize(("fmt", "reported"), [("cloudformation", True), ("terraform", False)])
def test_security_group_without_egress_rules_differs_by_format(lint, fmt, reported):
    """A real semantic difference, which is why the fixtures write their egress rules out: AWS
    gives a security group created without egress rules an allow-all rule (CloudFormation, SAM
    and Serverless `resources:` keep it), while Terraform's `aws_security_group` removes it."""
    findings = lint(fmt, SECURITY_GROUP_WITHOUT_EGRESS[fmt])
    assert any(f.rule_id == "SLS401" for f in findings) is reported


STREAM_SERVICE = """\
service: tracking
provider:
  name: aws
  runtime: python3.13
functions:
  ingest:
    handler: app.ingest
    events:
      - stream:
          type: kinesis
          arn: !GetAtt Stream.Arn
          startingPosition: LATEST
{destinations}
resources:
  Resources:
    Stream:
      Type: AWS::Kinesis::Stream
      Properties: {{ShardCount: 1}}
    Failures:
      Type: AWS::SQS::Queue
"""


@pytest.mark.parametrize(
    ("destinations", "reported"),
    [
        ("", True),
        ("          destinations:\n            onFailure: !GetAtt Failures.Arn", False),
        (
            "          destinations:\n            onFailure:\n"
            "              arn: !GetAtt Failures.Arn\n              type: sqs",
            False,
        ),
    ],
)
def test_serverless_stream_failure_destination_written_as_intrinsic(lint, destinations, reported):
    """Regression: a stream event's `destinations.onFailure` given as `!GetAtt` was read as
    absent (SLS802), while the same value on a function's `destinations` counted."""
    findings = lint("serverless", STREAM_SERVICE.format(destinations=destinations))
    assert any(f.rule_id == "SLS802" for f in findings) is reported
