"""The condensed picture of a unit: what a reviewer reads, computed from the graph alone.

Entry points are routes (with their auth), function URLs, public invoke permissions, event
sources and load balancers; what a function reaches is its role summarised in one box (every
statement folded in: "s3:* on *"), its security groups (an open one reaches the internet), its
log group and its KMS key; an API box holds its stages, WAF, domain and authorizers. Titles
never depend on a format's naming ("GET /orders", "log group", "REST API"), so the same
application written in four formats draws the same picture (tests/test_graph_picture.py).
Columns and the JSON shape: `sls_lint.model.view`, docs/graph.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sls_lint.model.graph import Edge, Kind, Node, ResourceGraph
from sls_lint.model.iam import ADMIN_POLICY_NAMES, is_full_wildcard, managed_policy_name
from sls_lint.model.values import Choice, Reference, Unknown, as_list
from sls_lint.model.view import View, ViewEdge, ViewNode, printable

MAX_LINES = 6  # detail lines per node before "+N more"
_OPEN_CIDRS = ("0.0.0.0/0", "::/0")
_AUTH_NAMES = {
    "NONE": "none",
    "AWS_IAM": "IAM",
    "CUSTOM": "custom authorizer",
    "COGNITO_USER_POOLS": "Cognito",
    "JWT": "JWT",
}


# -- reading values for people ------------------------------------------------------------
_REF = re.compile(r"\$\{([^}.]+)(?:\.[^}]*)?\}")
_PSEUDO = re.compile(r"\$\{(?:AWS::\w+|\?)\}")
_ARN = re.compile(r"^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$")


def short(value: Any) -> str:
    """A value as a short, readable name: ARNs lose their partition/region/account prefix,
    references show what they name, unknowns say so."""
    if isinstance(value, Unknown):
        return "(unknown)"
    if isinstance(value, Choice):
        return " | ".join(short(option) for option in value.options)
    if isinstance(value, Reference):
        return short(value.value)
    if isinstance(value, (list, tuple)):
        return ", ".join(short(item) for item in value)
    text = str(value)
    if text.startswith("${") and text.endswith("}") and text.count("${") == 1:
        match = _REF.fullmatch(text)
        if match:
            return match.group(1)
    if text.startswith("arn:"):
        match = _ARN.match(_PSEUDO.sub("", text))
        if match:
            text = match.group(1)
    return text if len(text) <= 48 else text[:47] + "…"


def _auth(value: Any) -> str:
    """An authorization type as people say it (any value: the graph holds what was written)."""
    if isinstance(value, str) and value.upper() in _AUTH_NAMES:
        return _AUTH_NAMES[value.upper()]
    return short(value)


def _listed(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" +{len(items) - limit}" if len(items) > limit else "")


def _strings(value: Any) -> list[str]:
    return [short(item) for item in as_list(value)]


# -- the condensed view -------------------------------------------------------------------
class _Builder:
    def __init__(self, graph: ResourceGraph, unit: str, fmt: str, files: list[str]) -> None:
        self.graph = graph
        self.view = View(unit, fmt, "condensed", list(files))
        self.owner: dict[str, str] = {}  # graph address -> view node id
        self.by_id: dict[str, ViewNode] = {}
        self._edges: set[tuple[str, str, str]] = set()

    def add(self, kind: str, key: str, title: str, node: Node | None) -> ViewNode:
        node_id = f"{kind}:{key}"
        existing = self.by_id.get(node_id)
        if existing is not None:
            return existing
        item = ViewNode(node_id, kind, title)
        if node is not None:
            item.file, item.line = node.location.file, node.location.line
        self.view.nodes.append(item)
        self.by_id[node_id] = item
        return item

    def owner_of(self, node: Node) -> ViewNode | None:
        node_id = self.owner.get(node.address)
        return self.by_id.get(node_id) if node_id is not None else None

    def fold(self, node: Node, into: ViewNode) -> None:
        if node.address not in self.owner:
            self.owner[node.address] = into.id
            into.members.append(node.address)

    def connect(self, source: ViewNode, kind: str, target: ViewNode) -> None:
        key = (source.id, target.id, kind)
        if key not in self._edges:
            self._edges.add(key)
            self.view.edges.append(ViewEdge(source.id, target.id, kind))


def condense(
    graph: ResourceGraph, unit: str = "", fmt: str = "", files: Iterable[str] = ()
) -> View:
    """The condensed picture of one unit's graph (see the module docstring)."""
    b = _Builder(graph, unit, fmt, list(files))
    functions: dict[str, ViewNode] = {}
    for fn in graph.functions():
        item = b.add("function", fn.address, fn.address, fn)
        b.fold(fn, item)
        item.lines = _function_lines(fn)
        functions[fn.address] = item
    for fn in graph.functions():
        _reach(b, fn, functions[fn.address])
    for fn in graph.functions():
        _entries(b, fn, functions[fn.address])
    _apis(b)
    _leftovers(b)
    _order(b.view)
    return b.view


def _function_lines(fn: Node) -> list[str]:
    lines = []
    runtime = fn.get("runtime")
    if fn.get("package_type") == "Image":
        lines.append("container image")
    elif runtime is not None:
        lines.append(short(runtime))
    if fn.get("vpc_subnets") or fn.get("vpc_security_groups"):
        lines.append("in a VPC")
    return lines


def _reach(b: _Builder, fn: Node, item: ViewNode) -> None:
    graph = b.graph
    role = graph.role_of(fn)
    if role is not None:
        role_item = b.add("role", role.address, role.address, role)
        if role.address not in b.owner:
            b.fold(role, role_item)
            _summarise_role(b, role, role_item)
        b.connect(item, "assumes", role_item)
    for group in graph.security_groups_of(fn):
        group_item = b.add("security_group", group.address, group.address, group)
        if group.address not in b.owner:
            b.fold(group, group_item)
            _summarise_security_group(b, group, group_item)
        b.connect(item, "uses", group_item)
    log_group = graph.log_group_of(fn)
    if log_group is not None:
        log_item = b.add("log_group", log_group.address, "log group", log_group)
        if log_group.address not in b.owner:
            b.fold(log_group, log_item)
            log_item.lines = _log_group_lines(log_group)
        b.connect(item, "logs to", log_item)
    key = fn.get("kms_key_arn")
    if key is not None and not isinstance(key, Unknown):
        name = short(key)
        kms = b.add("kms_key", name, "KMS key", None)
        kms.lines = [name]
        b.connect(item, "encrypts with", kms)


def _summarise_role(b: _Builder, role: Node, item: ViewNode) -> None:
    lines: list[str] = []
    admin = False
    for arn in as_list(role.get("managed_policy_arns")):
        name = managed_policy_name(arn) or short(arn)
        lines.append(f"managed: {name}")
        admin = admin or name in ADMIN_POLICY_NAMES
    for statement in b.graph.statements_of(role):
        b.fold(statement, item)
        line, wide = _statement_line(statement)
        if line:
            lines.append(line)
        admin = admin or wide
    for statement in b.graph.trust_statements_of(role):
        b.fold(statement, item)
    if admin:
        item.marks.append("admin")
    item.lines = _capped(lines)


def _statement_line(statement: Node) -> tuple[str, bool]:
    """'s3:GetObject, s3:PutObject on bucket/*' and whether it grants everything on everything."""
    effect = statement.get("effect")
    actions = _strings(statement.get("actions"))
    if statement.get("not_actions") is not None:
        actions = ["all but " + _listed(_strings(statement.get("not_actions")))]
    resources = _strings(statement.get("resources"))
    if statement.get("not_resources") is not None:
        resources = ["all but " + _listed(_strings(statement.get("not_resources")))]
    if not actions:
        return "", False
    text = _listed(actions) + (f" on {_listed(resources, 2)}" if resources else "")
    if effect == "Deny":
        return "deny " + text, False
    everything = any(is_full_wildcard(a) for a in as_list(statement.get("actions")))
    everywhere = "*" in as_list(statement.get("resources"))
    return text, everything and everywhere


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return lines[: MAX_LINES - 1] + [f"+{len(lines) - MAX_LINES + 1} more"]


def _rule_text(direction: str, rule: dict) -> tuple[str, bool]:
    protocol = str(rule.get("protocol"))
    ports = "all" if protocol in ("-1", "all") else protocol
    low, high = rule.get("from_port"), rule.get("to_port")
    if ports != "all" and low is not None:
        ports += f" {low}" + (f"-{high}" if high not in (None, low) else "")
    peer = rule.get("cidr_ipv4") or rule.get("cidr_ipv6") or rule.get("prefix_list")
    peer = peer or rule.get("peer_group")
    open_ = isinstance(peer, str) and peer in _OPEN_CIDRS
    return f"{direction} {short(peer) if peer is not None else '?'} {ports}", open_


def _summarise_security_group(b: _Builder, group: Node, item: ViewNode) -> None:
    lines = []
    open_egress = open_ingress = False
    rules = [("egress", r) for r in as_list(group.get("egress")) if isinstance(r, dict)]
    rules += [("ingress", r) for r in as_list(group.get("ingress")) if isinstance(r, dict)]
    for direction, rule in rules:
        text, is_open = _rule_text(direction, rule)
        lines.append(text)
        if is_open:
            open_egress = open_egress or direction == "egress"
            open_ingress = open_ingress or direction == "ingress"
    if group.get("default_egress") is True and not any(d == "egress" for d, _ in rules):
        lines.append("egress 0.0.0.0/0 all (AWS default)")
        open_egress = True
    item.lines = _capped(lines)
    if open_egress or open_ingress:
        item.marks.append("internet")
        internet = b.add("internet", "internet", "internet", None)
        if open_egress:
            b.connect(item, "egress", internet)
        if open_ingress:
            b.connect(internet, "ingress", item)


def _log_group_lines(group: Node) -> list[str]:
    days = group.get("retention_days")
    if days is None:
        retention = "kept forever"
    elif isinstance(days, Unknown):
        retention = "retention unknown"
    else:
        retention = f"kept {short(days)} days"
    encryption = "KMS encrypted" if group.get("kms_key_id") is not None else "not KMS encrypted"
    return [retention, encryption]


def is_public_principal(principal: Any) -> bool:
    """`*` or `{"AWS": "*"}`: anyone may invoke."""
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return any("*" in as_list(values) for values in principal.values())
    return False


def _entries(b: _Builder, fn: Node, item: ViewNode) -> None:
    graph = b.graph
    url: ViewNode | None = None
    for invoker in graph.invokers_of(fn):
        if invoker.kind == Kind.ROUTE:
            entry = b.add("route", invoker.address, _route_title(invoker), invoker)
            if invoker.address not in b.owner:
                b.fold(invoker, entry)
                _route_details(b, invoker, entry)
        elif invoker.kind == Kind.FUNCTION_URL:
            entry = b.add("function_url", invoker.address, "function URL", invoker)
            if invoker.address not in b.owner:
                b.fold(invoker, entry)
                auth = invoker.get("auth_type")
                entry.lines = [f"auth: {_auth(auth)}"]
                if auth == "NONE":
                    entry.marks.append("public")
            url = entry
        elif invoker.kind == Kind.EVENT_SOURCE:
            kind = invoker.get("source_kind")
            title = f"{short(kind)} events" if kind is not None else "events"
            entry = b.add("event_source", invoker.address, title, invoker)
            if invoker.address not in b.owner:
                b.fold(invoker, entry)
                source = invoker.get("source_arn")
                entry.lines = [short(source)] if source is not None else []
        elif invoker.kind == Kind.LOAD_BALANCER:
            entry = b.add("load_balancer", invoker.address, "load balancer", invoker)
            b.fold(invoker, entry)
        else:
            continue
        b.connect(entry, "invokes", item)
    for permission in graph.permissions_for(fn):
        if permission.address in b.owner:
            continue
        if url is not None and permission.get("function_url_auth_type") is not None:
            b.fold(permission, url)  # the URL's own permission: part of the URL
            if is_public_principal(permission.get("principal")) and "public" not in url.marks:
                url.marks.append("public")
        elif is_public_principal(permission.get("principal")):
            entry = b.add("permission", permission.address, "invoke permission", permission)
            b.fold(permission, entry)
            entry.lines = ["principal: *"]
            entry.marks.append("public")
            b.connect(entry, "invokes", item)
        else:
            b.fold(permission, item)  # the plumbing behind a route or an event source


def _route_title(route: Node) -> str:
    method, path = route.get("method"), route.get("path")
    if isinstance(method, str) and isinstance(path, str):
        return f"{method} {path}"
    key = route.get("route_key")
    return short(key) if key is not None else "route"


def _route_details(b: _Builder, route: Node, item: ViewNode) -> None:
    protocol = route.get("protocol")
    lines = [f"{str(protocol).upper() if protocol != 'websocket' else 'WebSocket'} API"]
    auth = route.get("authorization_type")
    authorizers = b.graph.authorizers_of(route)
    if authorizers:
        kind = authorizers[0].get("type")
        lines.append(f"auth: {_auth(kind)}")
    else:
        lines.append(f"auth: {_auth(auth) if auth is not None else 'none'}")
    if route.get("api_key_required") is True:
        lines.append("API key required")
    item.lines = lines
    open_ = not authorizers and auth in (None, "NONE") and route.get("api_key_required") is not True
    if open_ and route.get("path") != "$disconnect":
        item.marks.append("public")


def _apis(b: _Builder) -> None:
    graph = b.graph
    for api in graph.apis():
        routes = [b.owner_of(route) for route in graph.routes_of(api)]
        protocol = api.get("protocol")
        title = f"{str(protocol).upper() if protocol != 'websocket' else 'WebSocket'} API"
        item = b.add("api", api.address, title, api)
        b.fold(api, item)
        lines = []
        for stage in graph.stages_of(api):
            b.fold(stage, item)
            lines.append(f"stage {short(stage.get('name'))}")
            access_logs = graph.log_group_of(stage)
            if access_logs is not None and access_logs.address not in b.owner:
                b.fold(access_logs, item)
                lines.append("access logs")
            for acl in graph.web_acls_of(stage):
                b.fold(acl, item)
            for plan in graph.sources(stage, Edge.THROTTLES):
                b.fold(plan, item)
        for acl in graph.web_acls_of(api):
            b.fold(acl, item)
        if any(m for m in item.members if (n := graph.get(m)) and n.kind == Kind.WAF_ACL):
            lines.append("WAF")
        for domain in graph.sources(api, Edge.SERVES):
            b.fold(domain, item)
            lines.append(f"domain {short(domain.get('domain_name'))}")
        for route in graph.routes_of(api):
            for authorizer in graph.authorizers_of(route):
                b.fold(authorizer, item)
        item.lines = _capped(lines)
        for route in routes:
            if route is not None:
                b.connect(item, "routes", route)


def _leftovers(b: _Builder) -> None:
    """Nodes no function reaches (a role nobody assumes, a stray stage) keep a box of their own,
    so that their findings still show."""
    graph = b.graph
    first = (Kind.ROLE, Kind.SECURITY_GROUP)
    nodes = [n for n in graph.nodes() if n.kind in first]
    nodes += [n for n in graph.nodes() if n.kind not in first]
    for node in nodes:
        if node.address in b.owner:
            continue
        if node.kind == Kind.STATEMENT:
            roles = graph.sources(node, Edge.GRANTS) + graph.sources(node, Edge.TRUSTS)
            holder = b.owner_of(roles[0]) if roles else None
            if holder is not None:
                b.fold(node, holder)
                continue
        if node.kind == Kind.ROLE:
            item = b.add("role", node.address, node.address, node)
            b.fold(node, item)
            _summarise_role(b, node, item)
        elif node.kind == Kind.SECURITY_GROUP:
            item = b.add("security_group", node.address, node.address, node)
            b.fold(node, item)
            _summarise_security_group(b, node, item)
        elif node.kind == Kind.STATEMENT:
            item = b.add("role", node.address, "policy statement", node)
            b.fold(node, item)
            line, wide = _statement_line(node)
            item.lines = [line] if line else []
            if wide:
                item.marks.append("admin")
        else:
            item = b.add(node.kind, node.address, node.kind.replace("_", " "), node)
            b.fold(node, item)
            item.lines = [node.address]


def _order(view: View) -> None:
    """Column by column, each in a stable order (kind, title, first member); text printable."""
    for node in view.nodes:
        node.title = printable(node.title)
        node.lines = [printable(line) for line in node.lines]
    view.nodes.sort(key=lambda n: (n.column, n.kind, n.title, n.members[:1]))
    position = {node.id: index for index, node in enumerate(view.nodes)}
    view.edges.sort(key=lambda e: (position[e.source], position[e.target], e.kind))


