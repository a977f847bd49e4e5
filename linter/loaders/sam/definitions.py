"""SAM API definitions: where the OpenAPI document comes from, and what SAM writes into it.

SAM hands its OpenAPI document to API Gateway as the RestApi / Api `Body`, after editing it:
events add paths, `Auth.DefaultAuthorizer` is added to every operation with an integration that
names no authorizer of its own, `Auth.ApiKeyRequired` adds the API key to every operation, and
each `Auth.Authorizers` entry becomes a security scheme. This module reproduces that edit on a
copy (marks kept, added security located at the `DefaultAuthorizer:` / `ApiKeyRequired:` line)
so that the shared OpenAPI reader of the CloudFormation builder sees what API Gateway will.

The document is `DefinitionBody` (inline, or `Fn::Transform: AWS::Include` of a local file) or
`DefinitionUri` naming a local file; a file is read only inside the project root, and findings
point into it. A definition in S3 or given by an intrinsic cannot be read: the API is written
with `BodyS3Location` / an Unknown `Body`, which SLS004 reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sls_lint.loaders.cloudformation import openapi
from sls_lint.loaders.sam.common import Translation, llist, new, put
from sls_lint.sources.files import display_path
from sls_lint.sources.limits import MAX_FILE_BYTES
from sls_lint.sources.located import LDict, LList, Mark
from sls_lint.sources.yaml_source import SourceError, load_json, load_yaml


@dataclass
class Definition:
    """An API's OpenAPI document, or why it cannot be read (and where that is said)."""

    body: LDict | None = None
    unreadable: str | None = None
    mark: Mark | None = None


def read_definition(tr: Translation, props: LDict) -> Definition:
    """`DefinitionBody` / `DefinitionUri` of an `AWS::Serverless::Api` or `HttpApi`."""
    if "DefinitionBody" in props:
        body, mark = props["DefinitionBody"], props.mark_of("DefinitionBody")
        include = _include_location(body)
        if include is not None:
            return _local(tr, include, mark)
        if isinstance(body, LDict) and not _intrinsic(body):
            return Definition(body=body, mark=mark)
        return Definition(unreadable="its DefinitionBody is computed by an intrinsic", mark=mark)
    if "DefinitionUri" in props:
        uri, mark = tr.resolver.resolve(props["DefinitionUri"]), props.mark_of("DefinitionUri")
        if isinstance(uri, str):
            return _local(tr, uri, mark)
        if isinstance(uri, dict):
            return Definition(unreadable="its DefinitionUri is an S3 object", mark=mark)
        return Definition(unreadable="its DefinitionUri is not known statically", mark=mark)
    return Definition()


def _include_location(body: Any) -> str | None:
    transform = body.get("Fn::Transform") if isinstance(body, LDict) and len(body) == 1 else None
    if not isinstance(transform, dict) or transform.get("Name") != "AWS::Include":
        return None
    parameters = transform.get("Parameters")
    location = parameters.get("Location") if isinstance(parameters, dict) else None
    return location if isinstance(location, str) else ""


def _intrinsic(body: LDict) -> bool:
    return len(body) == 1 and str(next(iter(body))).startswith(("Fn::", "Ref"))


def _local(tr: Translation, uri: str, mark: Mark) -> Definition:
    """Read a definition file next to the template (never outside the project root)."""

    def unreadable(why: str) -> Definition:
        shown = uri or "(no location)"
        return Definition(unreadable=f"its OpenAPI definition {shown} {why}", mark=mark)

    if not uri or "://" in uri:
        return unreadable("is in S3" if uri.startswith("s3://") else "is not a local file")
    if tr.directory is None:
        return unreadable("was not read")
    try:
        target = (tr.directory / uri).resolve()
        root = (tr.root or tr.directory).resolve()
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a symlink loop
        return unreadable("cannot be resolved")
    if not target.is_relative_to(root):
        return unreadable("is outside the project root: not read")
    try:
        if target.stat().st_size > MAX_FILE_BYTES:
            return unreadable("is too large to read")
        text = target.read_text(encoding="utf-8")
    except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
        return unreadable("is missing or cannot be read")
    loader = load_json if text.lstrip().startswith("{") else load_yaml
    try:
        document = loader(text)
    except (SourceError, RecursionError, ValueError):
        return unreadable("cannot be parsed")
    if not isinstance(document, LDict):
        return unreadable("is not a mapping")
    display = display_path(Path(target))
    tr.included[display] = text
    return Definition(body=openapi.in_file(document, display), mark=mark)


def sam_body(
    tr: Translation,
    body: LDict,
    authorizers: dict[str, tuple[str, str]],
    default: tuple[str, Mark] | None,
    api_key: Mark | None,
) -> LDict:
    """The document SAM deploys: `body` with its default authorizer, API key and schemes.

    `default` is the default authorizer's name (`AWS_IAM` included) and where it was set;
    `api_key` where `ApiKeyRequired: true` was set.
    """
    if default is None and api_key is None and not authorizers:
        return body
    result = _shallow(body)
    schemes = _shallow(result.get("securityDefinitions") or LDict(mark=body.mark))
    known = openapi.schemes(body)
    for name, (logical_id, kind) in authorizers.items():
        existing = known.get(name)
        scheme = _shallow(existing) if isinstance(existing, LDict) else new(body.mark)
        if "x-amazon-apigateway-authtype" not in scheme:
            put(scheme, "x-amazon-apigateway-authtype", kind.lower(), scheme.mark)
        put(scheme, openapi.LINKED_AUTHORIZER, logical_id, scheme.mark)
        put(schemes, name, scheme, scheme.mark)
    if default is not None and default[0] == "AWS_IAM" and "AWS_IAM" not in known:
        scheme = new(default[1], [("x-amazon-apigateway-authtype", "awsSigv4")])
        put(schemes, "AWS_IAM", scheme, default[1])
    if api_key is not None and "api_key" not in known:
        put(schemes, "api_key", new(api_key, [("type", "apiKey")]), api_key)
    put(result, "securityDefinitions", schemes, body.mark_of("securityDefinitions"))
    names = set(authorizers) | {"AWS_IAM"}
    paths = body.get("paths")
    if not isinstance(paths, LDict):
        return result
    new_paths = _shallow(paths)
    for path, item in paths.items():
        if not isinstance(item, LDict):
            continue
        new_item = _shallow(item)
        for name, operation in item.items():
            lowered = str(name).lower()
            if lowered not in openapi.OPERATIONS and lowered != openapi.ANY_METHOD:
                continue
            if isinstance(operation, LDict):
                new_item[name] = _operation(operation, names, default, api_key)
        new_paths[path] = new_item
    put(result, "paths", new_paths, body.mark_of("paths"), body.key_mark("paths"))
    return result


def _operation(
    operation: LDict, names: set[str], default: tuple[str, Mark] | None, api_key: Mark | None
) -> LDict:
    security = operation.get("security")
    security = security if isinstance(security, LList) else None
    requirements = list(security) if security is not None else []
    marks = [security.mark_of(i) for i in range(len(requirements))] if security else []
    changed = False
    has_authorizer = any(isinstance(r, dict) and set(r) & names for r in requirements)
    if any(isinstance(r, dict) and "NONE" in r for r in requirements):
        # SAM's `NONE` requirement: no default authorizer here (and no NONE left behind).
        requirements = [r for r in requirements if not (isinstance(r, dict) and "NONE" in r)]
        marks = [operation.mark_of("security")] * len(requirements)
        default, changed, has_authorizer = None, True, True
    if default is not None and not has_authorizer and openapi.integration(operation) is not None:
        requirements = [r for r in requirements if isinstance(r, dict) and r]
        requirements.insert(0, new(default[1], [(default[0], llist(default[1], []))]))
        marks = [default[1]] * len(requirements)
        changed = True
        where = default[1]
    else:
        where = operation.mark_of("security")
    if api_key is not None:
        key = new(api_key, [("api_key", llist(api_key, []))])
        requirements = [_with_key(r, api_key) for r in requirements] if requirements else [key]
        marks = marks or [api_key]
        changed = True
        if default is None:
            where = api_key
    if not changed:
        return operation
    result = _shallow(operation)
    put(result, "security", llist(where, requirements, marks), where)
    return result


def _with_key(requirement: Any, mark: Mark) -> Any:
    if not isinstance(requirement, LDict):
        return requirement
    result = _shallow(requirement)
    put(result, "api_key", llist(mark, []), mark)
    return result


def _shallow(value: LDict) -> LDict:
    result = LDict(value, mark=value.mark)
    result.key_marks = dict(value.key_marks)
    result.value_marks = dict(value.value_marks)
    return result
