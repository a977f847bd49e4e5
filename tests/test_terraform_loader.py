"""The Terraform loader: located nodes, evaluation, modules, policies in every form, hostility."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from conftest import SAMPLES, by_rule

from sls_lint.loaders import LoadContext, load_unit
from sls_lint.loaders.terraform.cache import ParseCache
from sls_lint.loaders.terraform.hcl import HclError, parse_hcl
from sls_lint.model.graph import Kind
from sls_lint.model.values import Reference, Unknown
from sls_lint.run.discovery import discover, group_units

ROLE = """\
resource "aws_iam_role" "fn" {
  name               = "fn-role"
  assume_role_policy = jsonencode({ Statement = [] })
}
"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Parse caches of these tests go to a temporary directory, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def write(directory: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


_CACHE: dict[str, Path] = {}


@pytest.fixture(autouse=True, scope="module")
def _parse_cache(tmp_path_factory):
    """One throw-away parse cache for the module: never the samples' folder, nor ~/.cache."""
    _CACHE["dir"] = tmp_path_factory.mktemp("parse-cache")
    yield
    _CACHE.clear()


def load(directory: Path, **context):
    """Load the Terraform unit of `directory` (paths shown relative to the working directory)."""
    units = [
        u
        for u in group_units(discover([directory]))
        if u.format == "terraform" and u.directory.resolve() == directory.resolve()
    ]
    assert len(units) == 1, units
    inside_samples = directory.resolve().is_relative_to(SAMPLES.resolve())
    context.setdefault("cache_dir", _CACHE["dir"] if inside_samples else directory / ".." / "cache")
    return load_unit(units[0], LoadContext(**context))


def load_files(tmp_path: Path, files: dict[str, str], **context):
    root = tmp_path / "root"
    write(root, files)
    os.chdir(tmp_path)
    return load(root, **context)


# -- the sample application ------------------------------------------------------------------
def test_sample_graph_nodes_edges_and_lines(monkeypatch):
    monkeypatch.chdir(SAMPLES.parent)
    result = load(Path("samples/terraform/vulnerable"))
    graph = result.graph
    assert not result.problems
    fn = graph.get("aws_lambda_function.orders")
    assert fn.kind == Kind.FUNCTION and fn.format == "terraform"
    assert fn.resource_type == "aws_lambda_function"
    assert (fn.location.file, fn.location.line) == ("samples/terraform/vulnerable/main.tf", 5)
    assert fn.get("runtime") == "python3.8" and fn.loc("runtime").line == 8
    assert fn.get("function_name") == "orders-api"  # local built from a variable default
    assert fn.loc("environment.STRIPE_API_KEY").line == 17
    assert fn.get("environment")["STRIPE_API_KEY"].startswith("sk_live_")
    assert isinstance(fn.get("environment")["TABLE_NAME"], Reference)
    assert graph.role_of(fn).address == "aws_iam_role.orders"
    groups = graph.security_groups_of(fn)
    assert [g.address for g in groups] == ["aws_security_group.orders"]
    assert groups[0].get("default_egress") is False
    egress = groups[0].get("egress")
    assert egress[0]["cidr_ipv4"] == "0.0.0.0/0"
    assert (egress[0]["location"].file, egress[0]["location"].line) == (
        "samples/terraform/vulnerable/network.tf",
        11,
    )
    assert graph.log_group_of(fn).address == "aws_cloudwatch_log_group.orders"
    route = graph.get("aws_apigatewayv2_route.post_order")
    assert (route.get("method"), route.get("path")) == ("POST", "/orders")
    assert route.location.file == "samples/terraform/vulnerable/api.tf"
    assert graph.functions_invoked_by(route) == [fn]
    assert graph.api_of(route).address == "aws_apigatewayv2_api.orders"
    url = graph.get("aws_lambda_function_url.orders")
    assert url.get("auth_type") == "NONE" and graph.functions_invoked_by(url) == [fn]
    statements = graph.statements_of(graph.get("aws_iam_role.orders"))
    assert [s.loc("actions[0]").line for s in statements] == [24, 29, 34]
    assert {s.location.file for s in statements} == {"samples/terraform/vulnerable/iam.tf"}
    trust = graph.trust_statements_of(graph.get("aws_iam_role.orders"))
    assert trust[0].get("principals") == {"Service": ["lambda.amazonaws.com"]}
    assert trust[0].loc("actions[0]").line == 3


def test_sample_findings_and_fixed_sample_is_clean(lint, monkeypatch):
    monkeypatch.chdir(SAMPLES.parent)
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import lint_paths
    from sls_lint.run.registry import load_rules

    rules = [cls() for cls in load_rules()]
    vulnerable = lint_paths([Path("samples/terraform/vulnerable")], rules, LintOptions())
    found = {(f.rule_id, Path(f.location.file).name, f.location.line) for f in vulnerable.findings}
    assert ("SLS201", "iam.tf", 24) in found
    assert ("SLS202", "iam.tf", 29) in found
    assert ("SLS101", "api.tf", 15) in found
    assert ("SLS401", "network.tf", 11) in found
    assert ("SLS701", "main.tf", 17) in found
    assert ("SLS601", "main.tf", 8) in found
    fixed = lint_paths([Path("samples/terraform/fixed")], rules, LintOptions())
    assert fixed.findings == []


# -- lines of policy items in every form ------------------------------------------------------
def test_policy_document_items_keep_their_lines(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf": ROLE
            + """\
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject",
                 "*"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["123456789012"]
    }
  }
}

resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.fn.id
  policy = data.aws_iam_policy_document.p.json
}
"""
        },
    )
    (statement,) = result.graph.statements_of(result.graph.get("aws_iam_role.fn"))
    assert statement.get("actions") == ["s3:GetObject", "*"]
    assert statement.loc("actions[0]").line == 7
    assert (statement.loc("actions[1]").line, statement.loc("actions[1]").column) == (8, 18)
    assert statement.get("conditions") == {"StringEquals": {"aws:SourceAccount": ["123456789012"]}}
    assert statement.get("source") == "policy:aws_iam_role_policy.p"


def test_jsonencode_heredoc_and_file_policies(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf": ROLE
            + """\
resource "aws_iam_role_policy" "encoded" {
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "iam:*"]
      Resource = aws_s3_bucket.b.arn
    }]
  })
}

resource "aws_iam_role_policy" "heredoc" {
  role   = aws_iam_role.fn.name
  policy = <<-EOT
    {
      "Statement": [{"Effect": "Allow",
                     "Action": "kms:*", "Resource": "${aws_s3_bucket.b.arn}/*"}]
    }
  EOT
}

resource "aws_iam_role_policy" "from_file" {
  role   = "fn-role"
  policy = file("${path.module}/policies/read.json")
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}
""",
            "policies/read.json": '{\n  "Statement": [\n    {"Effect": "Allow", "Action": "sqs:*",'
            ' "Resource": "*"}\n  ]\n}\n',
        },
    )
    graph = result.graph
    statements = {s.address: s for s in graph.statements_of(graph.get("aws_iam_role.fn"))}
    encoded = statements["aws_iam_role_policy.encoded.Statement[0]"]
    assert encoded.loc("actions[1]").line == 10
    assert encoded.get("resources") == ["${aws_s3_bucket.b.arn}"]
    heredoc = statements["aws_iam_role_policy.heredoc.Statement[0]"]
    assert heredoc.get("actions") == ["kms:*"]
    assert (heredoc.loc("actions[0]").line, heredoc.loc("actions[0]").column) == (21, 32)
    assert heredoc.get("resources") == ["${aws_s3_bucket.b.arn}/*"]
    from_file = statements["aws_iam_role_policy.from_file.Statement[0]"]
    assert from_file.get("actions") == ["sqs:*"]
    assert from_file.loc("actions[0]").file == "root/policies/read.json"
    assert from_file.loc("actions[0]").line == 3


def test_attachments_inline_and_managed_policies(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf": """\
resource "aws_iam_role" "fn" {
  name                = "fn-role"
  assume_role_policy  = "{}"
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  inline_policy {
    name   = "logs"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }] })
  }
}

resource "aws_iam_policy" "extra" {
  name   = "extra"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "extra" {
  role       = aws_iam_role.fn.name
  policy_arn = aws_iam_policy.extra.arn
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = "fn-role"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""
        },
    )
    role = result.graph.get("aws_iam_role.fn")
    managed = role.get("managed_policy_arns")
    assert managed[0] == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    assert managed[-1] == "arn:aws:iam::aws:policy/AdministratorAccess"
    assert role.loc("managed_policy_arns[0]").line == 4
    assert role.loc("managed_policy_arns[2]").line == 23
    sources = sorted(s.get("source") for s in result.graph.statements_of(role))
    assert sources == ["inline:logs", "policy:aws_iam_policy.extra"]


# -- evaluation -------------------------------------------------------------------------------
def test_count_and_for_each_instances_are_addressed_like_terraform(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf": """\
variable "functions" {
  default = { b = "nodejs18.x", a = "python3.12" }
}

resource "aws_lambda_function" "f" {
  for_each      = var.functions
  function_name = "fn-${each.key}"
  runtime       = each.value
  role          = aws_iam_role.r[1].arn
}

resource "aws_iam_role" "r" {
  count              = 2
  name               = "role-${count.index}"
  assume_role_policy = "{}"
}

resource "aws_lambda_function" "off" {
  count         = false ? 1 : 0
  function_name = "never"
}
"""
        },
    )
    graph = result.graph
    names = sorted(n.address for n in graph.functions())
    assert names == ['aws_lambda_function.f["a"]', 'aws_lambda_function.f["b"]']
    fn = graph.get('aws_lambda_function.f["b"]')
    assert fn.get("runtime") == "nodejs18.x" and fn.get("function_name") == "fn-b"
    assert graph.role_of(fn).address == "aws_iam_role.r[1]"
    assert graph.get("aws_iam_role.r[0]").get("role_name") == "role-0"


def test_variable_precedence(tmp_path):
    files = {
        "main.tf": """\
variable "runtime" { default = "python3.8" }
variable "handler" { default = "default.handler" }
variable "memory" { default = 128 }
variable "timeout" { default = 3 }
variable "layers" { default = [] }

resource "aws_lambda_function" "f" {
  function_name = "f"
  runtime       = var.runtime
  handler       = var.handler
  memory_size   = var.memory
  timeout       = var.timeout
  layers        = var.layers
}
""",
        "terraform.tfvars": 'runtime = "python3.9"\nhandler = "tfvars.handler"\nmemory = 256\n',
        "a.auto.tfvars": 'runtime = "python3.10"\nmemory = 512\n',
        "b.auto.tfvars.json": '{"runtime": "python3.11"}\n',
        "prod.tfvars": 'runtime = "not-auto-loaded"\n',
        "extra.tfvars": 'timeout = 30\nruntime = "python3.12"\n',
    }
    result = load_files(
        tmp_path,
        files,
        var_files=(Path("root/extra.tfvars"),),
        variables={"runtime": "python3.13", "layers": '["arn:aws:lambda:l:1"]'},
    )
    fn = result.graph.get("aws_lambda_function.f")
    assert fn.get("runtime") == "python3.13"  # --var wins
    assert fn.get("timeout") == 30  # var file over defaults
    assert fn.get("memory") == 512  # *.auto.tfvars over terraform.tfvars
    assert fn.get("handler") == "tfvars.handler"  # terraform.tfvars over the default
    assert fn.get("layers") == ["arn:aws:lambda:l:1"]  # an HCL list given with --var
    assert fn.loc("runtime").line == 9
    without_cli = load(tmp_path / "root", var_files=(Path("root/extra.tfvars"),))
    assert without_cli.graph.get("aws_lambda_function.f").get("runtime") == "python3.12"
    auto_only = load(tmp_path / "root")
    assert auto_only.graph.get("aws_lambda_function.f").get("runtime") == "python3.11"


def test_functions_locals_and_unknowns(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf": """\
variable "no_default" {}
variable "tags" { default = { team = "orders" } }

locals {
  base    = { A = "1" }
  env     = merge(local.base, { B = lookup(var.tags, "team", "x"), C = var.no_default })
  actions = concat(["s3:GetObject"], tolist(["s3:PutObject"]), [for a in ["sqs:*"] : a])
  name    = format("%s-%s", "orders", coalesce("", "api"))
}

resource "aws_lambda_function" "f" {
  function_name = local.name
  runtime       = var.no_default
  environment {
    variables = local.env
  }
}

data "aws_iam_policy_document" "p" {
  statement {
    actions   = toset(local.actions)
    resources = ["*"]
  }
}

resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}

resource "aws_iam_policy" "decoded" {
  policy = jsonencode(jsondecode(jsonencode({ Statement = [] })))
}
"""
        },
    )
    fn = result.graph.get("aws_lambda_function.f")
    assert fn.get("function_name") == "orders-api"
    assert isinstance(fn.get("runtime"), Unknown)
    environment = fn.get("environment")
    assert environment["A"] == "1"  # written literally (in a local)
    assert environment["B"] == Reference("orders")  # computed
    assert isinstance(environment["C"].value, Unknown)
    (statement,) = result.graph.nodes(Kind.STATEMENT)
    assert statement.get("actions") == ["s3:GetObject", "s3:PutObject", "sqs:*"]
    assert statement.loc("actions[2]").line == 7


def test_dynamic_blocks_and_security_group_rule_resources(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf": """\
variable "ports" { default = [443, 5432] }

resource "aws_security_group" "sg" {
  name = "sg"
  dynamic "ingress" {
    for_each = var.ports
    iterator = port
    content {
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}

resource "aws_security_group_rule" "all_out" {
  type              = "egress"
  security_group_id = aws_security_group.sg.id
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "world" {
  security_group_id = aws_security_group.sg.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/0"
}
"""
        },
    )
    group = result.graph.get("aws_security_group.sg")
    assert [r["from_port"] for r in group.get("ingress")] == [443, 5432, 22]
    assert group.get("ingress")[0]["location"].line == 12
    assert group.get("default_egress") is False
    assert [(r["protocol"], r["cidr_ipv4"]) for r in group.get("egress")] == [("-1", "0.0.0.0/0")]


def test_group_without_egress_blocks_has_no_egress(lint):
    text = """\
resource "aws_security_group" "sg" {
  name = "sg"
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  runtime       = "python3.12"
  vpc_config {
    subnet_ids         = ["subnet-1"]
    security_group_ids = [aws_security_group.sg.id]
  }
}
"""
    assert by_rule(lint("terraform", text), "SLS401") == []
    with_egress = text.replace(
        '  name = "sg"\n',
        '  name = "sg"\n  egress {\n    protocol    = "-1"\n    from_port   = 0\n'
        '    to_port     = 0\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n',
    )
    (finding,) = by_rule(lint("terraform", with_egress), "SLS401")
    assert finding.location.line == 7


def test_rest_api_paths_integrations_and_method_settings(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf": """\
resource "aws_api_gateway_rest_api" "api" { name = "api" }

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_resource" "order" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.orders.id
  path_part   = "{id}"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.order.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "get" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.order.id
  http_method             = aws_api_gateway_method.get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.f.invoke_arn
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level          = "INFO"
    throttling_rate_limit  = 10
  }
}

resource "aws_lambda_function" "f" { function_name = "f" }
"""
        },
    )
    graph = result.graph
    route = graph.get("aws_api_gateway_method.get")
    assert (route.get("method"), route.get("path")) == ("GET", "/orders/{id}")
    assert route.get("authorization_type") == "NONE" and route.loc("authorization_type").line == 19
    assert route.get("integration_type") == "AWS_PROXY"
    assert [f.address for f in graph.functions_invoked_by(route)] == ["aws_lambda_function.f"]
    stage = graph.get("aws_api_gateway_stage.prod")
    (setting,) = stage.get("method_settings")
    assert (setting["http_method"], setting["resource_path"]) == ("*", "/*")
    assert setting["logging_level"] == "INFO" and setting["location"].line == 41


def test_log_group_connects_by_literal_name(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf": """\
resource "aws_lambda_function" "f" { function_name = "orders" }

resource "aws_cloudwatch_log_group" "literal" {
  name              = "/aws/lambda/orders"
  retention_in_days = 0
}
"""
        },
    )
    fn = result.graph.get("aws_lambda_function.f")
    group = result.graph.log_group_of(fn)
    assert group.address == "aws_cloudwatch_log_group.literal"
    assert group.get("retention_days") is None  # 0 means "never expire"


# -- modules ----------------------------------------------------------------------------------
MODULE_FILES = {
    "main.tf": """\
module "api" {
  source        = "./modules/lambda"
  for_each      = toset(["eu", "us"])
  name          = "api-${each.key}"
  role_arn      = aws_iam_role.shared.arn
  extra_actions = ["*"]
}

resource "aws_iam_role" "shared" {
  name               = "shared"
  assume_role_policy = "{}"
}

resource "aws_lambda_function_url" "eu" {
  function_name      = module.api["eu"].function_name
  authorization_type = "NONE"
}
""",
    "modules/lambda/main.tf": """\
variable "name" {}
variable "role_arn" {}
variable "extra_actions" { default = [] }

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = var.role_arn
  runtime       = "python3.12"
}

resource "aws_iam_policy" "this" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = var.extra_actions, Resource = "*" }]
  })
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}
""",
}


def test_local_module_inputs_outputs_and_addresses(tmp_path):
    result = load_files(tmp_path, MODULE_FILES)
    assert not result.problems
    graph = result.graph
    eu = graph.get('module.api["eu"].aws_lambda_function.this')
    us = graph.get('module.api["us"].aws_lambda_function.this')
    assert eu.get("function_name") == "api-eu" and us.get("function_name") == "api-us"
    assert eu.location.file == "root/modules/lambda/main.tf" and eu.location.line == 5
    assert graph.role_of(eu).address == "aws_iam_role.shared"
    url = graph.get("aws_lambda_function_url.eu")
    assert graph.functions_invoked_by(url) == [eu]
    statement = graph.get('module.api["eu"].aws_iam_policy.this.Statement[0]')
    assert statement.get("actions") == ["*"]
    # the "*" was written in the caller's file
    assert (statement.loc("actions[0]").file, statement.loc("actions[0]").line) == (
        "root/main.tf",
        6,
    )


def test_remote_modules_need_a_local_copy(tmp_path):
    files = {
        "main.tf": """\
module "remote" {
  source = "terraform-aws-modules/lambda/aws"
  name   = "remote"
}

resource "aws_lambda_function_url" "u" {
  function_name      = module.remote.function_name
  authorization_type = "NONE"
}
""",
        ".terraform/modules/remote/main.tf": MODULE_FILES["modules/lambda/main.tf"].replace(
            'variable "role_arn" {}', 'variable "role_arn" { default = null }'
        ),
    }
    result = load_files(tmp_path, files)
    assert result.graph.get("module.remote.aws_lambda_function.this") is None
    assert result.graph.functions_invoked_by(result.graph.get("aws_lambda_function_url.u")) == []
    manifest = {"Modules": [{"Key": "remote", "Source": "x", "Dir": ".terraform/modules/remote"}]}
    (tmp_path / "root/.terraform/modules/modules.json").write_text(json.dumps(manifest))
    result = load(tmp_path / "root")
    fn = result.graph.get("module.remote.aws_lambda_function.this")
    assert fn is not None and fn.get("function_name") == "remote"
    assert result.graph.functions_invoked_by(result.graph.get("aws_lambda_function_url.u")) == [fn]


# -- hostile input ----------------------------------------------------------------------------
def test_invalid_syntax_is_a_located_problem_and_other_files_load(tmp_path):
    result = load_files(
        tmp_path,
        {
            "a.tf": 'resource "aws_lambda_function" "ok" {\n  function_name = "ok"\n}\n',
            "b.tf": "locals {\n  x = 1\n  y = = 2\n}\n",
        },
    )
    (problem,) = result.problems
    assert (problem.file, problem.line) == ("root/b.tf", 3)
    assert "syntax error" in problem.message
    assert result.graph.get("aws_lambda_function.ok") is not None


def test_parse_error_is_reported_as_sls000(lint):
    findings = lint("terraform", 'resource "x" "y" {\n  a = "unterminated\n}\n')
    (error,) = by_rule(findings, "SLS000")
    assert error.location.line == 2


def test_cycles_and_self_including_modules_do_not_hang(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf": """\
locals {
  a = local.b
  b = local.a
  c = "${local.c}-x"
}

module "me" {
  source = "./"
}

resource "aws_lambda_function" "f" {
  function_name = local.a
  runtime       = module.me.missing
}
""",
        },
    )
    fn = result.graph.get("aws_lambda_function.f")
    assert isinstance(fn.get("function_name"), Unknown)
    assert any("includes itself" in p.message and p.line == 7 for p in result.problems)


def test_module_source_outside_the_project_root_is_refused(tmp_path):
    outside = tmp_path / "outside"
    write(outside, {"main.tf": 'resource "aws_lambda_function" "x" { function_name = "x" }\n'})
    project = tmp_path / "project"
    write(project, {"main.tf": 'module "evil" {\n  source = "../outside"\n}\n'})
    os.chdir(project)
    result = load(Path("."), cache_dir=tmp_path / "cache")
    assert result.graph.get("module.evil.aws_lambda_function.x") is None
    (problem,) = result.problems
    assert "outside the project root" in problem.message and problem.line == 1
    escaping = load_files(
        tmp_path / "t2",
        {
            "main.tf": 'resource "aws_lambda_function" "f" {\n'
            '  function_name = file("/etc/hostname")\n'
            '  handler       = file("../../outside/main.tf")\n'
            '  runtime       = file("inside.txt")\n}\n',
            "inside.txt": "python3.12",
        },
    )
    fn = escaping.graph.get("aws_lambda_function.f")
    assert isinstance(fn.get("function_name"), Unknown)
    assert isinstance(fn.get("handler"), Unknown)
    assert fn.get("runtime") == "python3.12"


def test_thousands_of_instances_are_capped(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf": """\
resource "aws_lambda_function" "f" {
  count         = 5000
  function_name = "f-${count.index}"
}
"""
        },
    )
    assert len(result.graph.functions()) == 1000
    (problem,) = result.problems
    assert "5000 instances" in problem.message and problem.line == 1


def test_deep_nesting_and_huge_files_are_problems_not_crashes(tmp_path):
    deep = "locals {\n  x = " + "[" * 3000 + "]" * 3000 + "\n}\n"
    result = load_files(tmp_path, {"main.tf": deep})
    assert len(result.problems) == 1 and "deep" in result.problems[0].message
    big = 'locals {\n  x = "' + "a" * (1024 * 1024) + '"\n}\n'
    result = load_files(tmp_path / "big", {"main.tf": big})
    assert "not parsed" in result.problems[0].message


# -- parse cache ------------------------------------------------------------------------------
def test_parse_cache_round_trip_and_corruption(tmp_path):
    text = 'resource "a" "b" {\n  x = 1\n}\n'
    cache = ParseCache(tmp_path / "cache", "test")
    assert cache.get(text) is None
    tree = parse_hcl(text)
    cache.put(text, tree)
    assert cache.get(text) == tree and cache.hits == 1
    (entry,) = list((tmp_path / "cache").rglob("*.json"))
    assert entry.is_relative_to(tmp_path / "cache")
    entry.write_text('{"sha256": "forged", "tree": []}')
    assert cache.get(text) is None
    entry.write_text("{ not json")
    assert cache.get(text) is None


def test_unwritable_cache_directory_is_skipped(tmp_path):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    cache = ParseCache(blocker, "test")
    cache.put("x = 1\n", parse_hcl("x = 1\n"))
    assert cache.enabled is False and cache.get("x = 1\n") is None


# python-hcl2 reads a newline before `-` inside brackets as a continuation; the fast reader
# hands such a file over, so only its tree is worth caching.
HANDED_OVER_FILE = """\
resource "aws_lambda_function" "slow" {
  function_name = "slow"
  memory_size   = [128 + 64
    - 64][0]
}
"""


def test_only_trees_python_hcl2_built_are_cached(tmp_path):
    files = {**MODULE_FILES, "slow.tf": HANDED_OVER_FILE}
    cold = load_files(tmp_path, files)
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 1
    assert json.loads(entries[0].read_text())["tree"][0][2] == "resource"
    warm = load(tmp_path / "root")
    assert [(n.address, n.location) for n in cold.graph.nodes()] == [
        (n.address, n.location) for n in warm.graph.nodes()
    ]
    assert cold.graph.get("aws_lambda_function.slow") is not None


def test_a_terraform_file_over_a_mebibyte_is_reported_not_parsed(tmp_path):
    padding = "# " + "x" * 1000 + "\n"
    result = load_files(tmp_path, {"main.tf": ROLE + padding * 1100})
    assert result.graph.get("aws_iam_role.fn") is None
    (problem,) = result.problems
    assert problem.message == "file is over 1,048,576 bytes; not parsed"
    assert (problem.line, problem.column) == (1, 1)


def test_hcl_errors_carry_lines():
    with pytest.raises(HclError) as error:
        parse_hcl("a = 1\nb = {\n  c = ]\n}\n")
    assert error.value.line == 3


def test_tf_json_files_and_unknown_counts(tmp_path):
    result = load_files(
        tmp_path,
        {
            "main.tf.json": """\
{
  "variable": {"name": {"default": "orders"}},
  "resource": {
    "aws_lambda_function": {
      "f": {
        "function_name": "${var.name}-fn",
        "runtime": "python3.8",
        "tracing_config": {"mode": "Active"}
      }
    }
  }
}
""",
            "other.tf": """\
variable "n" {}

resource "aws_lambda_function" "g" {
  count         = var.n
  function_name = "g"
}
""",
        },
    )
    fn = result.graph.get("aws_lambda_function.f")
    assert fn.get("function_name") == "orders-fn" and fn.get("tracing") == "Active"
    assert (fn.location.file, fn.loc("runtime").line) == ("root/main.tf.json", 7)
    # a count known only at apply time: one node stands for every instance
    assert result.graph.get("aws_lambda_function.g[*]") is not None
