"""SLS209 broad-trust-policy."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Node, ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import Unknown, possible

# Lambda itself, and Lambda@Edge's replicator: the only principals a function role needs.
LAMBDA_SERVICES = ("lambda.", "edgelambda.")


def _principals(statement: Node) -> list[tuple[str, object]]:
    """(type, id) pairs of a trust statement, each option of a `Choice` separately."""
    pairs: list[tuple[str, object]] = []
    for kind, ids in (statement.get("principals") or {}).items():
        for item in ids if isinstance(ids, list) else [ids]:
            pairs.extend((str(kind), option) for option in possible(item))
    return pairs


def _is_lambda(kind: str, ident: object) -> bool:
    return (
        kind.lower() == "service"
        and isinstance(ident, str)
        and ident.strip().lower().startswith(LAMBDA_SERVICES)
    )


def _is_everyone(kind: str, ident: object) -> bool:
    return ident == "*" or (isinstance(ident, str) and ident.strip() == "arn:aws:iam::*:root")


def _allows(statement: Node) -> bool:
    effect = statement.get("effect")
    return isinstance(effect, str) and effect.lower() == "allow"


class BroadTrustPolicy(Rule):
    """Finds function roles that can be assumed by more than the Lambda service.

    What it finds: the trust policy (`AssumeRolePolicyDocument`, Terraform
    `assume_role_policy`) of a role used by a function, or trusting `lambda.amazonaws.com`,
    that also trusts other principals: `Principal: "*"`, AWS accounts or users, or other
    services. `edgelambda.amazonaws.com` (Lambda@Edge) is expected. A `"*"` principal with a
    `Condition` is given the benefit of the doubt.

    Why it matters: whoever the trust policy names can obtain the function's credentials. A
    role meant for one function that another service or account can assume is a side door
    around every other control.

    How to fix: trust only `lambda.amazonaws.com`; give the other principal a role of its
    own.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal:
                  Service: lambda.amazonaws.com
                  AWS: arn:aws:iam::210987654321:root
                Action: sts:AssumeRole
    ```

    ```cloudformation pass
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: [lambda.amazonaws.com, edgelambda.amazonaws.com]}
                Action: sts:AssumeRole
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal:
                  Service: lambda.amazonaws.com
                  AWS: arn:aws:iam::210987654321:root
                Action: sts:AssumeRole
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        role: HelloRole
    resources:
      Resources:
        HelloRole:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument:
              Statement:
                - Effect: Allow
                  Principal: {AWS: '*'}
                  Action: sts:AssumeRole
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        role: HelloRole
    resources:
      Resources:
        HelloRole:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument:
              Statement:
                - Effect: Allow
                  Principal: {Service: lambda.amazonaws.com}
                  Action: sts:AssumeRole
    ```

    ```terraform fail
    data "aws_iam_policy_document" "trust" {
      statement {
        actions = ["sts:AssumeRole"]
        principals {
          type        = "Service"
          identifiers = ["lambda.amazonaws.com", "ec2.amazonaws.com"]
        }
      }
    }

    resource "aws_iam_role" "fn" {
      name               = "fn"
      assume_role_policy = data.aws_iam_policy_document.trust.json
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = aws_iam_role.fn.arn
    }
    ```

    ```terraform pass
    data "aws_iam_policy_document" "trust" {
      statement {
        actions = ["sts:AssumeRole"]
        principals {
          type        = "Service"
          identifiers = ["lambda.amazonaws.com"]
        }
      }
    }

    resource "aws_iam_role" "fn" {
      name               = "fn"
      assume_role_policy = data.aws_iam_policy_document.trust.json
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = aws_iam_role.fn.arn
    }
    ```
    """

    id = "SLS209"
    name = "broad-trust-policy"
    summary = "Function role trusted by principals other than the Lambda service"
    severity = "warning"
    security_severity = 6.8
    tags = ("security", "iam", "trust-policy", "CWE-284")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for role in graph.roles():
            trust = [s for s in graph.trust_statements_of(role) if _allows(s)]
            pairs = [(s, kind, ident) for s in trust for kind, ident in _principals(s)]
            is_function_role = bool(graph.functions_assuming(role)) or any(
                _is_lambda(kind, ident) for _s, kind, ident in pairs
            )
            if not is_function_role:
                continue
            for statement in trust:
                extra = self._extra_principals(statement)
                if not extra:
                    continue
                yield self.finding(
                    statement,
                    f"Trust policy of function role {role.address} also trusts "
                    f"{', '.join(extra)}: they can obtain the function's credentials; trust only "
                    "lambda.amazonaws.com and give the others a role of their own",
                    at=("principals",),
                    related=[
                        (fn, f"function {fn.address}") for fn in graph.functions_assuming(role)
                    ],
                    path="principals",
                )

    @staticmethod
    def _extra_principals(statement: Node) -> list[str]:
        extra: list[str] = []
        for kind, ident in _principals(statement):
            if isinstance(ident, Unknown) or _is_lambda(kind, ident):
                continue
            if _is_everyone(kind, ident):
                if not statement.get("conditions"):
                    extra.append("any principal ('*')")
                continue
            label = f"{kind} {ident}"
            if label not in extra:
                extra.append(label)
        return extra
