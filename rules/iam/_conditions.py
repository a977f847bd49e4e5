"""Conditions that limit a statement to specific resources or to one calling service.

`Resource: "*"` is not broad when the statement's `Condition` only lets the request through
for a named service or specific resources. SLS203 treats a statement as scoped when one of
its conditions uses a positive operator (`StringEquals`, `StringLike`, `ArnLike`, `Bool`...,
or their `ForAnyValue:` forms; not the `Not` forms, `...IfExists`, `ForAllValues:` or `Null`,
which let requests without the key through) with a value that is not just `*`, on one of
these keys:

- the calling service: `aws:ViaAWSService` (true), `aws:CalledVia`, `aws:CalledViaFirst`,
  `aws:CalledViaLast`, `kms:ViaService`;
- the role or service-linked role being handed over: `iam:PassedToService`,
  `iam:AWSServiceName`;
- the network a resource lives in: `ec2:Subnet`, `ec2:Vpc`;
- tags on the resource (attribute-based access control): `aws:ResourceTag/<key>` and each
  service's own `<service>:ResourceTag/<key>`;
- KMS keys by alias or use: `kms:RequestAlias`, `kms:ResourceAliases`,
  `kms:EncryptionContext:<key>`, `kms:GrantIsForAWSResource`;
- a service's own narrowing keys: `cloudwatch:namespace`, `ecs:cluster`,
  `secretsmanager:SecretId`, `ssm:resourceTag/<key>` (a tag key, as above).

Conditions on the account or organisation (`aws:ResourceAccount`, `aws:ResourceOrgID`) or on
the network path (`aws:SourceVpc`, `aws:SourceIp`) are not on the list: they still reach every
resource the account owns.
"""

from __future__ import annotations

import re
from typing import Any

from sls_lint.model.graph import Node

SCOPING_KEYS = frozenset(
    {
        "aws:viaawsservice",
        "aws:calledvia",
        "aws:calledviafirst",
        "aws:calledvialast",
        "kms:viaservice",
        "iam:passedtoservice",
        "iam:awsservicename",
        "ec2:subnet",
        "ec2:vpc",
        "kms:requestalias",
        "kms:resourcealiases",
        "kms:grantisforawsresource",
        "cloudwatch:namespace",
        "ecs:cluster",
        "secretsmanager:secretid",
    }
)
_SCOPING_PREFIX = re.compile(r"^([a-z0-9-]+:resourcetag/.+|kms:encryptioncontext:.+)$", re.I)
_POSITIVE = re.compile(
    r"^(foranyvalue:)?(string(equals|like)(ignorecase)?|arn(equals|like)|bool|"
    r"numeric(equals|lessthan|lessthanequals|greaterthan|greaterthanequals))$",
    re.I,
)


def scoping_condition(statement: Node) -> str | None:
    """`Operator key` of the first condition that scopes `statement`, or None."""
    conditions = statement.get("conditions")
    if not isinstance(conditions, dict):
        return None
    for operator, tests in conditions.items():
        if not isinstance(operator, str) or not _POSITIVE.match(operator):
            continue
        if not isinstance(tests, dict):
            continue
        for key, value in tests.items():
            if not isinstance(key, str) or not _scoping_key(key):
                continue
            if _narrows(operator, value):
                return f"{operator} {key}"
    return None


def _scoping_key(key: str) -> bool:
    lowered = key.lower()
    return lowered in SCOPING_KEYS or bool(_SCOPING_PREFIX.match(lowered))


def _narrows(operator: str, value: Any) -> bool:
    """A known value other than `*` (for `Bool`: true, as in `aws:ViaAWSService: true`)."""
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    texts = [v for v in values if isinstance(v, (str, bool, int))]
    if not texts or len(texts) != len(values):
        return False
    if operator.lower().endswith("bool"):
        return all(str(v).lower() == "true" for v in texts)
    return all(str(v).strip() not in ("", "*") for v in texts)
