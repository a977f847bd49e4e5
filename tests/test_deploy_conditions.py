"""Deploy conditions: halves that are never deployed together (SLS110, issue #16 item 7)."""

from __future__ import annotations

import pytest
from conftest import by_rule

from sls_lint.loaders.cloudformation.conditions import TemplateConditions
from sls_lint.model.conditions import TRUE, can_coexist


def test_formulas():
    prod = ("eq", "p:Stage", "prod")
    assert can_coexist([prod, None, TRUE])
    assert not can_coexist([prod, ("not", prod)])
    assert not can_coexist([prod, ("eq", "p:Stage", "dev")])
    assert can_coexist([prod, ("eq", "p:Other", "dev")])
    assert not can_coexist([("atom", "a"), ("and", ("not", ("atom", "a")), ("atom", "b"))])
    assert can_coexist([("or", ("atom", "a"), ("atom", "b")), ("not", ("atom", "a"))])
    assert not can_coexist([("const", False)])
    # malformed or huge formulas never hide a finding
    assert can_coexist([("weird",), ("not", ("weird",))])
    many = [("eq", f"k{i}", "x") for i in range(20)]
    assert can_coexist([("and", *many), ("not", many[0]), ("or", *many)])


def _conditions(**overrides):
    parameters = {
        "Stage": {"Type": "String", "AllowedValues": ["dev", "prod"]},
        "Open": {"Type": "String"},
    }
    conditions = {
        "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
        "IsDev": {"Fn::Equals": ["dev", {"Ref": "Stage"}]},
        "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
        "IsOpen": {"Fn::Equals": [{"Ref": "Open"}, "yes"]},
        "ProdAndOpen": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "IsOpen"}]},
        "Loop": {"Fn::Not": [{"Condition": "Loop"}]},
        "Region": {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]},
    }
    return TemplateConditions(conditions, parameters, overrides)


def test_template_conditions_exclusion():
    c = _conditions()
    assert not can_coexist([c.named("IsProd"), c.named("IsDev")])
    assert not can_coexist([c.named("IsProd"), c.named("NotProd")])
    # AllowedValues: not prod means dev
    assert can_coexist([c.named("NotProd"), c.named("IsDev")])
    assert not can_coexist([c.named("ProdAndOpen"), c.named("IsDev")])
    assert can_coexist([c.named("IsOpen"), c.named("IsProd")])
    # unknown facts and cycles may be anything
    assert can_coexist([c.named("Region"), c.named("IsProd")])
    assert can_coexist([c.named("Loop"), c.named("IsProd")])
    assert can_coexist([c.named("Missing"), c.named("IsProd")])


def test_a_parameter_fixed_on_the_command_line_decides():
    c = _conditions(Stage="prod")
    assert c.named("IsProd") == ("const", True)
    assert not can_coexist([c.named("IsDev")])


def test_terraform_count_conditions(lint):
    template = """\
variable "env" {
  type = string
}
resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = jsonencode({ Statement = [] })
}
resource "aws_iam_role_policy" "admin" {
  count  = ADMIN
  role   = aws_iam_role.fn.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
resource "aws_lambda_function" "fn" {
  function_name = "orders"
  role          = aws_iam_role.fn.arn
}
resource "aws_lambda_function_url" "fn" {
  count              = var.env == "dev" ? 1 : 0
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"
}
"""
    exclusive = template.replace("ADMIN", 'var.env != "dev" ? 1 : 0')
    assert not [f for f in lint("terraform", exclusive) if f.rule_id == "SLS110"]
    overlapping = template.replace("ADMIN", 'var.env == "prod" || var.env == "dev" ? 1 : 0')
    assert [f for f in lint("terraform", overlapping) if f.rule_id == "SLS110"]


def test_hostile_conditions_do_not_crash():
    chain = {f"C{i}": {"Fn::Not": [{"Condition": f"C{i + 1}"}]} for i in range(3000)}
    weird = {
        "List": ["not", "a", "condition"],
        "Equals": {"Fn::Equals": "x"},
        "And": {"Fn::And": []},
        "Deep": {"Fn::Not": [{"Fn::Not": [{"Fn::Not": [{"Fn::Or": [{"Ref": "X"}]}]}]}]},
    }
    c = TemplateConditions({**chain, **weird}, {"X": "not a mapping"})
    for name in ("C0", "List", "Equals", "And", "Deep"):
        assert can_coexist([c.named(name)]) in (True, False)
    assert c.of_resource({"Condition": {"bad": 1}}) is None
    assert c.of_resource("not a resource") is None


def test_terraform_module_count_conditions(lint):
    module = """\
resource "aws_lambda_function" "fn" {
  function_name = "orders"
  role          = var.role
}
variable "role" {}
resource "aws_lambda_function_url" "fn" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"
}
"""
    root = """\
variable "public" {
  type = bool
}
resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = jsonencode({ Statement = [] })
}
resource "aws_iam_role_policy" "admin" {
  count  = var.public ? 0 : 1
  role   = aws_iam_role.fn.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
module "api" {
  count  = var.public ? 1 : 0
  source = "./api"
  role   = aws_iam_role.fn.arn
}
"""
    from pathlib import Path

    Path("api").mkdir()
    Path("api/main.tf").write_text(module, encoding="utf-8")
    findings = lint("terraform", root)
    assert by_rule(findings, "SLS102")  # the URL itself is still public
    assert not by_rule(findings, "SLS110")


def test_serverless_function_condition(lint):
    text = """\
service: demo
provider:
  name: aws
  runtime: python3.12
functions:
  hello:
    handler: handler.main
    condition: CONDITION
    url: true
resources:
  Parameters:
    Mode:
      Type: String
  Conditions:
    IsOpen: !Equals [!Ref Mode, open]
    IsAdmin: !Equals [!Ref Mode, admin]
  Resources:
    Admin:
      Type: AWS::IAM::Policy
      Condition: IsAdmin
      Properties:
        PolicyName: admin
        Roles: [!Ref IamRoleLambdaExecution]
        PolicyDocument:
          Statement:
            - {Effect: Allow, Action: "*", Resource: "*"}
"""
    assert not by_rule(lint("serverless", text.replace("CONDITION", "IsOpen")), "SLS110")
    assert by_rule(lint("serverless", text.replace("CONDITION", "IsAdmin")), "SLS110")


IF_TEMPLATE = """\
Parameters:
  Public:
    Type: String
    AllowedValues: ["yes", "no"]
Conditions:
  IsPublic: !Equals [!Ref Public, "yes"]
  IsPrivate: !Not [!Condition IsPublic]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Admin:
    Type: AWS::IAM::Policy
    Condition: GRANT
    Properties:
      PolicyName: admin
      Roles: [!Ref Role]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt Role.Arn
      Code: {ZipFile: x}
  Url:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: !GetAtt Fn.Arn
      AuthType: !If [IsPublic, NONE, AWS_IAM]
"""


def test_fn_if_branch_that_opens_the_door_and_a_conditional_grant(lint):
    exclusive = lint("cloudformation", IF_TEMPLATE.replace("GRANT", "IsPrivate"))
    assert by_rule(exclusive, "SLS102") and not by_rule(exclusive, "SLS110")
    together = lint("cloudformation", IF_TEMPLATE.replace("GRANT", "IsPublic"))
    assert by_rule(together, "SLS110")


GRANT_IF = """\
Parameters:
  Admin:
    Type: String
    AllowedValues: ["yes", "no"]
Conditions:
  IsAdmin: !Equals [!Ref Admin, "yes"]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      GRANT
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt Role.Arn
      Code: {ZipFile: x}
  Url:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: !GetAtt Fn.Arn
      AuthType: !If [IsAdmin, AUTH, OTHER]
"""
MANAGED = """ManagedPolicyArns:
        - !If [IsAdmin, arn:aws:iam::aws:policy/AdministratorAccess, !Ref AWS::NoValue]"""
INLINE = """Policies:
        - !If
          - IsAdmin
          - PolicyName: admin
            PolicyDocument:
              Statement:
                - {Effect: Allow, Action: "*", Resource: "*"}
          - !Ref AWS::NoValue"""


@pytest.mark.parametrize("grant", [MANAGED, INLINE])
def test_fn_if_on_the_grant_side(lint, grant):
    text = GRANT_IF.replace("GRANT", grant)
    exclusive = lint("cloudformation", text.replace("AUTH", "AWS_IAM").replace("OTHER", "NONE"))
    assert by_rule(exclusive, "SLS102") and not by_rule(exclusive, "SLS110")
    together = lint("cloudformation", text.replace("AUTH", "NONE").replace("OTHER", "AWS_IAM"))
    assert by_rule(together, "SLS110")
