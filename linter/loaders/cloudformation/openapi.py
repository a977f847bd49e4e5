"""OpenAPI / Swagger documents of API Gateway: the routes, their security and integrations.

Why one reader for every format: many real applications declare their API as an OpenAPI
document instead of resources or events, and each format ends in the same CloudFormation
shape - `AWS::ApiGateway::RestApi.Body` / `AWS::ApiGatewayV2::Api.Body`. SAM puts its
`DefinitionBody` (or a local `DefinitionUri` / `AWS::Include`) there, Terraform its `body`,
Serverless `resources:` are CloudFormation already. So this module is the only place that
knows OpenAPI: which operations exist (`x-amazon-apigateway-any-method` is `ANY`), what
protects them (an operation's `security` over the document's, `security: []` is public, an
`apiKey` scheme is an API key and not an authorizer), the authorizers declared with
`x-amazon-apigateway-authorizer`, request validators and the Lambda integration.

Values keep their marks, so a route is located at its method key in the user's file; a
document read from another file carries `FileMark`s that name that file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sls_lint.model.values import Unknown
from sls_lint.sources.located import LDict, LList, Mark

OPERATIONS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
ANY_METHOD = "x-amazon-apigateway-any-method"
# x-amazon-apigateway-authtype / x-amazon-apigateway-authorizer.type -> AuthorizationType
_AUTH_TYPES = {
    "cognito_user_pools": "COGNITO_USER_POOLS",
    "awssigv4": "AWS_IAM",
    "aws_iam": "AWS_IAM",
    "custom": "CUSTOM",
    "token": "CUSTOM",
    "request": "CUSTOM",
    "jwt": "JWT",
}
API_KEY = "API_KEY"
# A security scheme a translation links to an authorizer resource it wrote (SAM's
# `Auth.Authorizers` become `AWS::ApiGateway(V2)::Authorizer`s named `<Api><Name>Authorizer`).
LINKED_AUTHORIZER = "x-sls-lint-authorizer"
_FUNCTION_NAME = re.compile(r":function:([A-Za-z0-9_-]+)")


class FileMark(Mark):
    """A mark in a file other than the template's (a definition read from a local file)."""

    file: str


def file_mark(mark: Mark, file: str) -> FileMark:
    moved = FileMark(*mark)
    moved.file = file
    return moved


def in_file(value: Any, file: str, depth: int = 0) -> Any:
    """A copy of a document parsed from `file` whose marks say so."""
    if depth > 100:
        return value
    if isinstance(value, LDict):
        result = LDict(mark=file_mark(value.mark, file))
        for key, item in value.items():
            result[key] = in_file(item, file, depth + 1)
        result.key_marks = {k: file_mark(m, file) for k, m in value.key_marks.items()}
        result.value_marks = {k: file_mark(m, file) for k, m in value.value_marks.items()}
        return result
    if isinstance(value, LList):
        items = LList([in_file(i, file, depth + 1) for i in value])
        items.mark = file_mark(value.mark, file)
        items.item_marks = [file_mark(m, file) for m in value.item_marks]
        return items
    return value


@dataclass
class Security:
    """What protects one operation, and where that was written."""

    kind: Any  # NONE / AWS_IAM / CUSTOM / COGNITO_USER_POOLS / JWT, or Unknown
    mark: Mark
    api_key: bool = False
    schemes: list[str] = field(default_factory=list)  # the authorizing scheme names used


@dataclass(frozen=True)
class Operation:
    """One path + method of a document."""

    path: str
    method: str  # upper case, ANY for x-amazon-apigateway-any-method
    body: LDict
    mark: Mark  # the method key


def operations(document: LDict) -> Iterator[Operation]:
    """Every operation of `paths`, in document order."""
    paths = document.get("paths")
    if not isinstance(paths, LDict):
        return
    for path, item in paths.items():
        if not isinstance(path, str) or not isinstance(item, LDict):
            continue
        for name, operation in item.items():
            lowered = str(name).lower()
            if not isinstance(operation, LDict):
                continue
            if lowered == ANY_METHOD:
                yield Operation(path, "ANY", operation, item.key_mark(name))
            elif lowered in OPERATIONS:
                yield Operation(path, lowered.upper(), operation, item.key_mark(name))


def find_operation(document: LDict | None, path: str, method: str) -> Operation | None:
    """The operation of `document` for `method` on `path` (`ANY` is the any-method)."""
    if not isinstance(document, LDict):
        return None
    wanted = method.upper()
    for operation in operations(document):
        if operation.path.rstrip("/") == path.rstrip("/") and operation.method == wanted:
            return operation
    return None


def schemes(document: LDict) -> dict[str, Any]:
    """Security schemes of OpenAPI 3 (`components.securitySchemes`) and Swagger 2."""
    found: dict[str, Any] = {}
    for container in (document.get("securityDefinitions"), _components(document)):
        if isinstance(container, dict):
            found.update(container)
    return found


def _components(document: LDict) -> Any:
    components = document.get("components")
    return components.get("securitySchemes") if isinstance(components, dict) else None


def scheme_kind(scheme: Any) -> str:
    """The authorization type a security scheme gives, or `API_KEY` for a plain API key."""
    if not isinstance(scheme, dict):
        return "CUSTOM"  # named but defined where we cannot see it: assume it authorizes
    authtype = str(scheme.get("x-amazon-apigateway-authtype", "")).lower()
    authorizer = scheme.get("x-amazon-apigateway-authorizer")
    declared = str(authorizer.get("type", "")).lower() if isinstance(authorizer, dict) else ""
    for text in (authtype, declared):
        if text in _AUTH_TYPES:
            return _AUTH_TYPES[text]
    kind = str(scheme.get("type", "")).lower()
    if kind == "apikey":
        return API_KEY
    if kind in ("oauth2", "openidconnect"):
        return "JWT"
    return "CUSTOM"


def operation_security(document: LDict, operation: LDict) -> Security | None:
    """The security of an operation: its own `security` over the document's; None when
    neither sets one (the route is then open unless something outside the document says)."""
    owner = operation if "security" in operation else document
    if "security" not in owner:
        return None
    where = owner.mark_of("security")
    requirements = owner["security"]
    if not isinstance(requirements, list):
        return Security(Unknown("security is not a list"), where)
    known = schemes(document)
    security = Security("NONE", where)
    open_alternative = not requirements
    for requirement in requirements:
        if not isinstance(requirement, dict):
            continue
        if not requirement or (set(requirement) == {"NONE"} and "NONE" not in known):
            # `- {}` asks for nothing; so does `- NONE: []`, how SAM writes "no authorizer".
            open_alternative = True
            continue
        for name in requirement:
            kind = scheme_kind(known.get(name))
            if kind == API_KEY:
                security.api_key = True
            elif security.kind == "NONE":
                security.kind = kind
                security.schemes.append(str(name))
    if open_alternative:
        security.kind, security.api_key, security.schemes = "NONE", False, []
    return security


def request_validator(document: LDict, operation: LDict) -> Any:
    """The validator an operation uses when it validates something, else None."""
    owner = operation if "x-amazon-apigateway-request-validator" in operation else document
    name = owner.get("x-amazon-apigateway-request-validator")
    if not isinstance(name, str):
        return None
    validators = document.get("x-amazon-apigateway-request-validators")
    spec = validators.get(name) if isinstance(validators, dict) else None
    if not isinstance(spec, dict):
        return name  # declared elsewhere (a merged document): trust the name
    validates = spec.get("validateRequestBody") is True or (
        spec.get("validateRequestParameters") is True
    )
    return name if validates else None


def integration(operation: LDict) -> LDict | None:
    found = operation.get("x-amazon-apigateway-integration")
    return found if isinstance(found, LDict) else None


def function_name_in(uri: Any) -> str | None:
    """`arn:...:function:orders/invocations` -> `orders` (a literal ARN in an integration)."""
    if isinstance(uri, str):
        match = _FUNCTION_NAME.search(uri)
        if match:
            return match.group(1)
    return None


def v2_path(path: str) -> str:
    """An HTTP API's `/$default` path is the `$default` route."""
    return "$default" if path.strip("/") == "$default" else path


__all__ = [
    "ANY_METHOD",
    "API_KEY",
    "LINKED_AUTHORIZER",
    "FileMark",
    "Operation",
    "Security",
    "find_operation",
    "function_name_in",
    "in_file",
    "integration",
    "operation_security",
    "operations",
    "request_validator",
    "scheme_kind",
    "schemes",
    "v2_path",
]
