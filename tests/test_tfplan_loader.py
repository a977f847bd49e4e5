"""`terraform show -json` plans: resolved values, references from the configuration, lines."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import by_rule

from sls_lint.loaders import LoadContext, load_unit
from sls_lint.model.graph import Kind
from sls_lint.run.discovery import discover, group_units

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tfplan" / "plan.json"


def load_plan(tmp_path: Path, monkeypatch, text: str | None = None):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plan.json"
    if text is None:
        shutil.copy(FIXTURE, path)
    else:
        path.write_text(text)
    (unit,) = group_units(discover([Path("plan.json")]))
    assert unit.format == "tfplan"
    return load_unit(unit, LoadContext())


def test_plan_nodes_addresses_and_lines(tmp_path, monkeypatch):
    result = load_plan(tmp_path, monkeypatch)
    assert not result.problems
    graph = result.graph
    fn = graph.get('aws_lambda_function.orders["eu"]')
    assert fn.format == "terraform" and fn.resource_type == "aws_lambda_function"
    assert (fn.location.file, fn.location.line) == ("plan.json", 49)
    assert fn.get("runtime") == "python3.8" and fn.loc("runtime").line == 60
    assert fn.get("reserved_concurrency") is None  # -1 means unreserved
    assert fn.get("tracing") == "PassThrough"
    assert fn.loc("environment.STRIPE_API_KEY").line == 70
    # unknown after apply, wired through the configuration's references
    assert graph.role_of(fn).address == "aws_iam_role.orders"
    assert [g.address for g in graph.security_groups_of(fn)] == ["aws_security_group.orders"]
    assert graph.log_group_of(fn).address == "aws_cloudwatch_log_group.orders"
    url = graph.get("aws_lambda_function_url.orders")
    assert graph.functions_invoked_by(url) == [fn]


def test_plan_child_modules_and_module_inputs(tmp_path, monkeypatch):
    graph = load_plan(tmp_path, monkeypatch).graph
    route = graph.get("module.api.aws_apigatewayv2_route.post")
    assert route.get("route_key") == "POST /orders" and route.location.line == 173
    assert graph.api_of(route).address == "module.api.aws_apigatewayv2_api.this"
    # var.function_arn of module.api is followed to the root module's function
    assert [f.address for f in graph.functions_invoked_by(route)] == [
        'aws_lambda_function.orders["eu"]'
    ]


def test_plan_policies_and_attachments(tmp_path, monkeypatch):
    graph = load_plan(tmp_path, monkeypatch).graph
    role = graph.get("aws_iam_role.orders")
    assert role.get("managed_policy_arns") == ["arn:aws:iam::aws:policy/AdministratorAccess"]
    assert role.loc("managed_policy_arns[0]").line == 44
    (statement,) = graph.statements_of(role)
    assert statement.get("actions") == ["*"] and statement.location.line == 32
    (trust,) = graph.trust_statements_of(role)
    assert trust.get("principals") == {"Service": ["lambda.amazonaws.com"]}
    group = graph.get("aws_security_group.orders")
    assert group.get("default_egress") is False
    assert group.get("egress")[0]["cidr_ipv4"] == "0.0.0.0/0"
    assert group.get("egress")[0]["location"].line == 114
    assert len(graph.nodes(Kind.FUNCTION)) == 1


def test_plan_findings_match_the_configuration(lint, tmp_path):
    findings = lint("terraform", FIXTURE.read_text(), name="plan.json")
    got = {(f.rule_id, f.location.line) for f in findings}
    for expected in [
        ("SLS201", 32),
        ("SLS207", 44),
        ("SLS601", 60),
        ("SLS701", 70),
        ("SLS102", 96),
        ("SLS401", 114),
        ("SLS101", 182),
    ]:
        assert expected in got, (expected, sorted(got))
    assert by_rule(findings, "SLS000") == [] and by_rule(findings, "SLS001") == []


def test_broken_plans_are_problems(tmp_path, monkeypatch):
    result = load_plan(
        tmp_path,
        monkeypatch,
        '{\n  "terraform_version": "1.7.0",\n  "planned_values": {"root_module": ]}\n}\n',
    )
    (problem,) = result.problems
    assert (problem.file, problem.line) == ("plan.json", 3)
    odd = load_plan(
        tmp_path,
        monkeypatch,
        '{"terraform_version": "1.7.0", "planned_values": {"root_module": {"resources": '
        '[{"address": 3}, "x", {"address": "a.b", "type": "aws_lambda_function"}]}}}',
    )
    assert odd.problems == [] and [n.address for n in odd.graph.functions()] == ["a.b"]
