"""Property names as each format spells them, for messages.

Rules are written once against the graph, but a message that says `KmsKeyArn` to someone who
wrote `kms_key_arn` in Terraform (or `kmsKeyArn` in serverless.yml) makes them translate.
`spelled(node, "KmsKeyArn")` gives the name in the format the node was written in; a name with
no entry for a format is the CloudFormation one (SAM, and a Serverless `resources:` section,
use it too).
"""

from __future__ import annotations

from sls_lint.model.graph import Node

PROPERTY_SPELLINGS: dict[str, dict[str, str]] = {
    "KmsKeyArn": {"serverless": "kmsKeyArn", "terraform": "kms_key_arn"},
    "KmsKeyId": {"terraform": "kms_key_id"},
    "AuthType": {"terraform": "authorization_type"},
    "Principal": {"terraform": "principal"},
    "SourceArn": {"terraform": "source_arn"},
    "SourceAccount": {"terraform": "source_account"},
    "PrincipalOrgID": {"terraform": "principal_org_id"},
    "LoggingLevel": {"terraform": "logging_level"},
}


def spelled(node: Node, name: str) -> str:
    """`name` (a CloudFormation property) as the format of `node` spells it."""
    return PROPERTY_SPELLINGS.get(name, {}).get(node.format, name)
