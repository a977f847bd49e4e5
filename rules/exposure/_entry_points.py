"""Unauthenticated ways into a function: shared by SLS110 and SLS803.

An entry point is public when anyone on the internet (or any AWS account) can make the
function run: a route without authorization (OPTIONS, private APIs and API-key routes
excepted, as in SLS101), a function URL with auth type NONE, or a resource-policy permission
for principal `*` without a source or organisation condition (SLS103's test). A permission
that only backs a function URL is folded into the URL (`belongs_to_function_url`), so one door
is reported once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sls_lint.model.graph import Node, ResourceGraph
from sls_lint.model.values import Choice, possible

_SOURCE_CONDITIONS = ("source_arn", "source_account", "principal_org_id")
_ALWAYS = ("const", True)
_NEVER = ("const", False)


@dataclass(frozen=True)
class EntryPoint:
    """A public door (`node`, located at `at`) into `function`; `label` names it for people."""

    node: Node
    function: Node
    at: str
    label: str


def is_public_principal(principal: object) -> bool:
    """`*`, or `{"AWS": "*"}` as some formats spell it."""
    return principal in ("*", "arn:aws:iam::*:root") or (
        isinstance(principal, dict) and "*" in (principal.get("AWS"), principal.get("*"))
    )


def _open(authorization: object) -> bool:
    return any(option in ("NONE", None) for option in possible(authorization))


def route_is_public(graph: ResourceGraph, route: Node) -> bool:
    """A route anyone can call (same exemptions as SLS101).

    WebSocket APIs authorize only `$connect`; their other routes are public when the
    API's `$connect` is (or when it has none).
    """
    method = route.get("method")
    if isinstance(method, str) and method.upper() == "OPTIONS":
        return False
    api = graph.api_of(route)
    if api is not None and str(api.get("endpoint_type", "")).upper() == "PRIVATE":
        return False
    if route.get("api_key_required") is True:
        return False
    if route.get("protocol") == "websocket" and route.get("path") != "$connect":
        connects = [r for r in graph.routes_of(api) if r.get("path") == "$connect"] if api else []
        return not connects or any(_open(r.get("authorization_type")) for r in connects)
    return _open(route.get("authorization_type"))


def url_is_public(url: Node) -> bool:
    """A function URL with auth type NONE (in any branch)."""
    return "NONE" in [str(v).upper() for v in possible(url.get("auth_type"))]


def permission_is_public(permission: Node) -> bool:
    """Principal `*` with no source, account or organisation condition (Unknown counts as set)."""
    if not any(is_public_principal(p) for p in possible(permission.get("principal"))):
        return False
    return all(permission.get(key) in (None, "") for key in _SOURCE_CONDITIONS)


def _is_url_permission(permission: Node) -> bool:
    """A permission that only applies to calls through the function's URL.

    `FunctionUrlAuthType` (any value), `InvokedViaFunctionUrl: true`, or the action
    `lambda:InvokeFunctionUrl`: what SAM `FunctionUrlConfig` and Serverless `url: true`
    generate, and what users write next to an `AWS::Lambda::Url` by hand.
    """
    if permission.get("function_url_auth_type") is not None:
        return True
    if True in possible(permission.get("invoked_via_function_url")):
        return True
    return any(
        isinstance(a, str) and a.lower() == "lambda:invokefunctionurl"
        for a in possible(permission.get("action"))
    )


def belongs_to_function_url(graph: ResourceGraph, permission: Node, function: Node) -> bool:
    """True when a public `permission` on `function` is part of a door SLS102 already covers.

    A URL permission opens nothing by itself: it takes effect through the function's URL.
    When the function's URL (in this unit) has auth type NONE, SLS102 reports that door and
    the permission is the same problem; when the permission is scoped to
    `FunctionUrlAuthType: NONE` and the URL requires IAM, the permission never applies. Only a
    URL permission for a function whose URL is not in the scan, or one that lets any AWS
    account call an IAM-authenticated URL, stays a finding of its own.
    """
    if not _is_url_permission(permission):
        return False
    urls = graph.sources(function, "invokes", "function_url")
    if not urls:
        return False
    if any(url_is_public(url) for url in urls):
        return True
    auth = [
        str(v).upper() for v in possible(permission.get("function_url_auth_type")) if v is not None
    ]
    return bool(auth) and all(a == "NONE" for a in auth)


def open_when(value: Any, is_open: Callable[[Any], bool]) -> Any:
    """The deploy condition under which `value` makes a door open (`Fn::If` branches that do),
    as a formula of `sls_lint.model.conditions`; `("const", True)` when it always does."""
    if isinstance(value, Choice) and value.when is not None:
        parts = []
        for option, condition in zip(value.options, value.when, strict=True):
            inner = open_when(option, is_open)
            if inner == _NEVER:
                continue
            parts.append(condition if inner == _ALWAYS else ("and", condition, inner))
        return ("or", *parts) if parts else _NEVER
    return _ALWAYS if any(is_open(v) for v in possible(value)) else _NEVER


def entry_condition(entry: EntryPoint) -> Any:
    """When `entry` is open: its `Fn::If` branches that open it (the resource's own `Condition`
    is its node's `deploy_condition`)."""
    if entry.at == "auth_type":
        return open_when(entry.node.get("auth_type"), lambda v: str(v).upper() == "NONE")
    if entry.at == "authorization_type":
        return open_when(entry.node.get("authorization_type"), lambda v: v in ("NONE", None))
    if entry.at == "principal":
        return open_when(entry.node.get("principal"), is_public_principal)
    return _ALWAYS


def public_entry_points(graph: ResourceGraph) -> Iterator[EntryPoint]:
    """Every public entry point and the function behind it, each pair once."""
    for url in graph.function_urls():
        if url_is_public(url):
            for fn in graph.functions_invoked_by(url):
                yield EntryPoint(url, fn, "auth_type", f"function URL {url.address}")
    for route in graph.routes():
        if route_is_public(graph, route):
            label = f"route {route.get('method', '?')} {route.get('path', '?')}"
            for fn in graph.functions_invoked_by(route):
                yield EntryPoint(route, fn, "authorization_type", label)
    for permission in graph.permissions():
        if not permission_is_public(permission):
            continue
        for fn in graph.targets(permission, "allows", "function"):
            if belongs_to_function_url(graph, permission, fn):
                continue
            yield EntryPoint(permission, fn, "principal", f"permission {permission.address}")
