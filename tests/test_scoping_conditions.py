"""Conditions that scope a `Resource: "*"` statement for SLS203 (issue #16 item 3)."""

from __future__ import annotations

import pytest
from conftest import by_rule

from sls_lint.model.graph import Kind, Location, Node
from sls_lint.rules.iam._conditions import scoping_condition


def _statement(conditions) -> Node:
    node = Node(Kind.STATEMENT, "S", "AWS::IAM::Policy", "cloudformation", Location("f", None))
    node.set("conditions", conditions)
    return node


@pytest.mark.parametrize(
    "conditions",
    [
        {"StringEquals": {"kms:ViaService": "sqs.eu-west-1.amazonaws.com"}},
        {"StringLike": {"kms:ViaService": ["s3.*.amazonaws.com"]}},
        {"Bool": {"aws:ViaAWSService": "true"}},
        {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
        {"StringLike": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}},
        {"ArnEquals": {"ec2:Subnet": ["arn:aws:ec2:eu-west-1:1:subnet/s-1"]}},
        {"StringEquals": {"aws:ResourceTag/team": "orders"}},
        {"StringEquals": {"ssm:resourceTag/env": "prod"}},
        {"StringEquals": {"kms:RequestAlias": "alias/orders"}},
        {"StringEquals": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b"}},
        {"ForAnyValue:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}},
        {"StringEquals": {"cloudwatch:namespace": "Orders"}},
    ],
)
def test_conditions_that_scope(conditions):
    assert scoping_condition(_statement(conditions)) is not None


@pytest.mark.parametrize(
    "conditions",
    [
        None,
        {},
        {"StringNotEquals": {"kms:ViaService": "sqs.eu-west-1.amazonaws.com"}},
        {"StringEqualsIfExists": {"kms:ViaService": "sqs.eu-west-1.amazonaws.com"}},
        {"ForAllValues:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}},
        {"Null": {"aws:ResourceTag/team": "false"}},
        {"Bool": {"aws:ViaAWSService": "false"}},
        {"StringLike": {"kms:ViaService": "*"}},
        {"StringEquals": {"aws:ResourceAccount": "123456789012"}},
        {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    ],
)
def test_conditions_that_do_not_scope(conditions):
    assert scoping_condition(_statement(conditions)) is None


def test_terraform_condition_block_scopes_and_its_absence_does_not(lint):
    template = """\
resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = jsonencode({ Statement = [] })
}
data "aws_iam_policy_document" "fn" {
  statement {
    actions   = ["ec2:CreateNetworkInterface"]
    resources = ["*"]
    CONDITION
  }
}
resource "aws_iam_role_policy" "fn" {
  role   = aws_iam_role.fn.id
  policy = data.aws_iam_policy_document.fn.json
}
"""
    condition = (
        'condition {\n test = "StringEquals"\n variable = "ec2:Vpc"\n'
        ' values = ["arn:aws:ec2:eu-west-1:1:vpc/vpc-1"]\n }'
    )
    assert not by_rule(lint("terraform", template.replace("CONDITION", condition)), "SLS203")
    assert by_rule(lint("terraform", template.replace("CONDITION", "")), "SLS203")
