"""One problem, one finding: a function URL's permission is SLS102's, not SLS103's (#16 item 4)."""

from __future__ import annotations

from conftest import by_rule

FUNCTION = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: x}
"""

URL = """\
  Url:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: !GetAtt Fn.Arn
      AuthType: AUTH
"""


def _permission(**properties: str) -> str:
    lines = "".join(f"      {k}: {v}\n" for k, v in properties.items())
    return (
        "  Perm:\n    Type: AWS::Lambda::Permission\n    Properties:\n"
        "      FunctionName: !Ref Fn\n      Principal: '*'\n" + lines
    )


def _rules(lint, text: str) -> tuple[int, int]:
    findings = lint("cloudformation", text)
    return len(by_rule(findings, "SLS102")), len(by_rule(findings, "SLS103"))


def test_url_permissions_of_a_public_url_are_reported_once(lint):
    for permission in (
        _permission(Action="lambda:InvokeFunctionUrl", FunctionUrlAuthType="NONE"),
        _permission(Action="lambda:InvokeFunction", InvokedViaFunctionUrl="true"),
    ):
        assert _rules(lint, FUNCTION + URL.replace("AUTH", "NONE") + permission) == (1, 0)


def test_a_none_scoped_permission_on_an_iam_url_never_applies(lint):
    permission = _permission(Action="lambda:InvokeFunctionUrl", FunctionUrlAuthType="NONE")
    assert _rules(lint, FUNCTION + URL.replace("AUTH", "AWS_IAM") + permission) == (0, 0)


def test_any_account_on_an_iam_url_is_still_reported(lint):
    permission = _permission(Action="lambda:InvokeFunction", InvokedViaFunctionUrl="true")
    assert _rules(lint, FUNCTION + URL.replace("AUTH", "AWS_IAM") + permission) == (0, 1)


def test_url_permission_without_the_url_in_the_scan_is_still_reported(lint):
    permission = _permission(Action="lambda:InvokeFunctionUrl", FunctionUrlAuthType="NONE")
    assert _rules(lint, FUNCTION + permission) == (0, 1)


def test_plain_public_permission_next_to_a_public_url_is_its_own_problem(lint):
    permission = _permission(Action="lambda:InvokeFunction")
    assert _rules(lint, FUNCTION + URL.replace("AUTH", "NONE") + permission) == (1, 1)


def _pair(findings) -> tuple[int, int]:
    return len(by_rule(findings, "SLS102")), len(by_rule(findings, "SLS103"))


def test_generated_url_permission_in_sam(lint):
    sam = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
        "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: a.b\n      CodeUri: src/\n"
        "      FunctionUrlConfig:\n        AuthType: NONE\n"
    )
    assert _pair(lint("sam", sam)) == (1, 0)


def test_generated_url_permission_in_serverless(lint):
    serverless = (
        "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n"
        "functions:\n  hello:\n    handler: h.main\n    url: true\n"
    )
    assert _pair(lint("serverless", serverless)) == (1, 0)


def test_invoked_via_function_url_in_terraform(lint):
    terraform = """\
resource "aws_lambda_function" "fn" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
}
resource "aws_lambda_function_url" "fn" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"
}
resource "aws_lambda_permission" "via" {
  action                   = "lambda:InvokeFunction"
  function_name            = aws_lambda_function.fn.function_name
  principal                = "*"
  invoked_via_function_url = true
}
"""
    assert _pair(lint("terraform", terraform)) == (1, 0)
