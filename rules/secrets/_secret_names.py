"""Which environment variables hold a secret: shared by SLS701 and SLS702.

A name holds a secret when a secret word (`PASSWORD`, `TOKEN`, `API_KEY`...) appears in it and
its last word does not say it is something else about the secret: where it is (`SECRET_ARN`,
`TOKEN_TABLE`), how it is configured (`PASSWORD_MIN_LENGTH`, `PASSWORD_ITERATIONS`) or a
setting of the tool that fetches it (`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`). A value holds
no secret when it can only identify one: a boolean or a short number (a port, a length, a
count), an ARN, or a reference to a resource's name, id or ARN (`!Ref MySecret` is the
secret's ARN).
"""

from __future__ import annotations

import re
from typing import Any

from sls_lint.model.values import Reference

# Names that say "this holds a secret"...
SECRET_NAME = re.compile(
    r"(pass(word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|"
    r"access[_-]?key|credential|auth[_-]?key|client[_-]?secret|signing[_-]?key|"
    r"encryption[_-]?key|conn(ection)?[_-]?str(ing)?|dsn)",
    re.I,
)
# ...unless their last word says they name, locate or configure the secret instead.
REFERENCE_NAME = re.compile(
    r"((_|-)?(arn|name|id|path|param(eter)?|table|url|uri|endpoint|ttl|expiry|expires|header|"
    r"length|type|region|file|bucket|key_id|version|policy|secret_key_ref)"
    r"|[_-](len|port|host|count|iterations|rounds|size|timeout|millis|ms|seconds|minutes|"
    r"enabled|disabled|level|limit|min|max|connections|mode|algorithm|format|prefix|"
    r"location|provider|source|store|strategy))$",
    re.I,
)
# Values that are references to a secret store, not secrets.
REFERENCE_VALUE = re.compile(
    r"^(arn:|\{\{resolve:|\$\{|ssm:|/aws/reference/|secretsmanager:|https?://[^:@/]*(/|$))",
    re.I,
)
# Attributes of a referenced resource that identify it (`!GetAtt Secret.Arn`, `aws_x.y.id`).
_IDENTITY_ATTRIBUTE = re.compile(r"(arn|id|name|url|uri|endpoint(address)?|address|port)$", re.I)
_SMALL_NUMBER = re.compile(r"^\d{1,5}$")


def secret_name(name: str) -> bool:
    """`DB_PASSWORD`, `API_TOKEN`; not `SECRET_ARN`, `TOKEN_TABLE`, `PASSWORD_MIN_LENGTH`."""
    return bool(SECRET_NAME.search(name)) and not REFERENCE_NAME.search(name)


def identifies_only(value: Any) -> bool:
    """True for a value that cannot be a secret, only point at one (or configure it)."""
    if isinstance(value, Reference):
        return _identity_reference(value.value)
    if isinstance(value, (bool, float)):
        return True
    if isinstance(value, int):
        return abs(value) < 100_000  # a port, a length, a count; not a long numeric secret
    if isinstance(value, str):
        text = value.strip()
        return text.lower().startswith("arn:") or bool(_SMALL_NUMBER.match(text))
    return False


def _identity_reference(value: Any) -> bool:
    """A reference to another resource's identity: `!Ref X`, `!GetAtt X.Arn`, `aws_x.y.arn`."""
    logical_id = getattr(value, "logical_id", None)
    if not isinstance(logical_id, str):
        return identifies_only(value) if isinstance(value, str) else False
    attribute = getattr(value, "attribute", None)
    return attribute is None or bool(_IDENTITY_ATTRIBUTE.search(str(attribute)))
