"""Unauthenticated ways into a function: shared by SLS110 and SLS803.

An entry point is public when anyone on the internet (or any AWS account) can make the
function run: a route without authorization (OPTIONS, private APIs and API-key routes
excepted, as in SLS101), a function URL with auth type NONE, or a resource-policy permission
for principal `*` without a source or organisation condition (SLS103's test). A permission
that only backs a public function URL is folded into the URL, so one door is reported once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sls_lint.model.graph import Node, ResourceGraph
from sls_lint.model.values import possible

_SOURCE_CONDITIONS = ("source_arn", "source_account", "principal_org_id")


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
    """A route anyone can call (same exemptions as SLS101), an API key not required.

    WebSocket APIs authorize only `$connect`; their other routes are public when the
    API's `$connect` is (or when it has none).
    """
    return route.get("api_key_required") is not True and _unauthenticated(graph, route)


def route_needs_only_api_key(graph: ResourceGraph, route: Node) -> bool:
    """A route whose only protection is an API key: it identifies a client, it does not
    authenticate one (keys are shared with every client and sent in clear headers)."""
    return route.get("api_key_required") is True and _unauthenticated(graph, route)


def reachable_by_anyone(graph: ResourceGraph, api: Node) -> bool:
    """Whether anyone on the internet can send a request to the API at all.

    With `DisableExecuteApiEndpoint: true` the execute-api URL answers nobody: only custom
    domains mapped to the API reach it, and a domain with mutual TLS only for holders of a
    client certificate. While the default endpoint is on it bypasses any domain's mutual TLS.
    A mapping to a domain declared elsewhere counts as open (its settings are unknown).
    """
    if api.get("disable_execute_api_endpoint") is not True:
        return True
    if api.get("served_by_unknown_domain"):
        return True
    domains = graph.sources(api, "serves", "domain")
    return any(not domain.get("mutual_tls") for domain in domains)


def _unauthenticated(graph: ResourceGraph, route: Node) -> bool:
    method = route.get("method")
    if isinstance(method, str) and method.upper() == "OPTIONS":
        return False
    api = graph.api_of(route)
    if api is not None and str(api.get("endpoint_type", "")).upper() == "PRIVATE":
        return False
    if api is not None and not reachable_by_anyone(graph, api):
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


def public_entry_points(graph: ResourceGraph) -> Iterator[EntryPoint]:
    """Every public entry point and the function behind it, each pair once."""
    public_urls: set[str] = set()
    for url in graph.function_urls():
        if url_is_public(url):
            for fn in graph.functions_invoked_by(url):
                public_urls.add(fn.address)
                yield EntryPoint(url, fn, "auth_type", f"function URL {url.address}")
    for route in graph.routes():
        if route_is_public(graph, route):
            label = f"route {route.get('method', '?')} {route.get('path', '?')}"
            for fn in graph.functions_invoked_by(route):
                yield EntryPoint(route, fn, "authorization_type", label)
    for permission in graph.permissions():
        if not permission_is_public(permission):
            continue
        url_only = "NONE" in [
            str(v).upper() for v in possible(permission.get("function_url_auth_type"))
        ]
        for fn in graph.targets(permission, "allows", "function"):
            if url_only and fn.address in public_urls:
                continue
            yield EntryPoint(permission, fn, "principal", f"permission {permission.address}")
