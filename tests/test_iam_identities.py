"""IAM users and groups hold policies like roles: SLS201-SLS207 judge them with messages that
say user/group (issue #16, item 10)."""

from __future__ import annotations

from conftest import by_rule

CFN_USER = """
Resources:
  Alice:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
      Policies:
        - PolicyName: all
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}
  Admins:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - PolicyName: pass
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: iam:PassRole, Resource: "*"}
  Extra:
    Type: AWS::IAM::UserPolicy
    Properties:
      PolicyName: extra
      UserName: !Ref Alice
      PolicyDocument:
        Statement:
          - {Effect: Allow, NotAction: s3:DeleteBucket, Resource: "*"}
"""

CFN_USER_PASS = """
Resources:
  Alice:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::bucket/*}
  Admins:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - PolicyName: pass
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: iam:PassRole
                Resource: arn:aws:iam::123456789012:role/app
"""

TF_USER = """
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_user_policy" "all" {
  name = "all"
  user = aws_iam_user.alice.name
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_group_policy" "s3" {
  name  = "s3"
  group = "admins"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }]
  })
}

resource "aws_iam_group_policy_attachment" "admin" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user_policy_attachment" "iam" {
  user       = aws_iam_user.alice.name
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess"
}
"""


def test_cloudformation_users_and_groups(lint):
    findings = lint("cloudformation", CFN_USER)
    [wildcard] = by_rule(findings, "SLS201")
    assert "of user Alice" in wildcard.message
    assert wildcard.location.line == 12
    [admin] = by_rule(findings, "SLS207")
    assert admin.message.startswith("User Alice has the AWS managed policy AdministratorAccess")
    assert admin.location.line == 7
    [passrole] = by_rule(findings, "SLS205")
    assert "of group Admins" in passrole.message
    [not_action] = by_rule(findings, "SLS204")
    assert "of user Alice" in not_action.message


def test_cloudformation_scoped_users_and_groups_pass(lint):
    findings = lint("cloudformation", CFN_USER_PASS)
    assert not [f for f in findings if f.rule_id.startswith("SLS2")], [f.message for f in findings]


def test_terraform_users_and_groups(lint):
    findings = lint("terraform", TF_USER)
    [wildcard] = by_rule(findings, "SLS201")
    assert "of user aws_iam_user.alice" in wildcard.message
    [service] = by_rule(findings, "SLS202")
    assert "of group aws_iam_group.admins" in service.message
    admins = sorted(f.message.partition(";")[0] for f in by_rule(findings, "SLS207"))
    assert admins == [
        "Group aws_iam_group.admins has the AWS managed policy AdministratorAccess attached",
        "User aws_iam_user.alice has the AWS managed policy IAMFullAccess attached",
    ]


def test_terraform_scoped_user_passes(lint):
    text = TF_USER.replace('Action = "*"', 'Action = "s3:GetObject"')
    text = text.replace('"s3:*"', '"s3:GetObject"')
    text = text.replace('Resource = "*"', 'Resource = "arn:aws:s3:::b/*"')
    for admin in ("AdministratorAccess", "IAMFullAccess"):
        text = text.replace(admin, "ReadOnlyAccess")
    findings = lint("terraform", text)
    assert not [f for f in findings if f.rule_id.startswith("SLS2")], [
        f.message for f in findings
    ]
