"""The common resource graph: provider-neutral nodes, typed edges, provenance everywhere.

Every loader (CloudFormation, SAM, Serverless Framework, Terraform) translates its files into
this graph and every rule reads only this graph, so a rule is written once for four formats.

Storage is a pair of adjacency indexes kept by this class; rules query them in O(degree).
`to_networkx()` builds a `networkx.MultiDiGraph` view on demand (graph export, path queries):
importing networkx costs ~110 ms, a third of the pre-commit budget, so it is never imported
on the lint path unless a rule asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sls_lint.sources.located import Mark

if TYPE_CHECKING:  # pragma: no cover
    import networkx


class Kind:
    """Node kinds: concepts, not resource types (a SAM Api event and an aws_api_gateway_method
    are both a `route`)."""

    FUNCTION = "function"
    API = "api"
    STAGE = "stage"
    ROUTE = "route"
    AUTHORIZER = "authorizer"
    FUNCTION_URL = "function_url"
    PERMISSION = "permission"
    LAYER_PERMISSION = "layer_permission"  # who may use a Lambda layer version
    ROLE = "role"
    USER = "user"  # an IAM user: holds policies like a role, but no function assumes it
    GROUP = "group"  # an IAM group: its policies apply to every member user
    STATEMENT = "statement"
    SECURITY_GROUP = "security_group"
    LOG_GROUP = "log_group"
    EVENT_SOURCE = "event_source"
    WAF_ACL = "waf_acl"
    DOMAIN = "domain"
    USAGE_PLAN = "usage_plan"
    LOAD_BALANCER = "load_balancer"


class Edge:
    """Edge kinds; each reads `source --edge--> target`."""

    INVOKES = "invokes"  # route / function_url / event_source / load_balancer -> function
    HAS_ROUTE = "has_route"  # api -> route
    HAS_STAGE = "has_stage"  # api -> stage
    AUTHORIZED_BY = "authorized_by"  # route -> authorizer
    ASSUMES = "assumes"  # function -> role
    GRANTS = "grants"  # role / user / group -> statement (permissions)
    TRUSTS = "trusts"  # role -> statement (trust policy)
    USES_SECURITY_GROUP = "uses_security_group"  # function -> security_group
    LOGS_TO = "logs_to"  # function / stage -> log_group
    PROTECTS = "protects"  # waf_acl -> stage or api
    ALLOWS = "allows"  # permission -> function
    THROTTLES = "throttles"  # usage_plan -> stage
    SERVES = "serves"  # domain -> api


@dataclass(frozen=True)
class Location:
    """Where a value was written: file (as given to the linter) and span."""

    file: str
    mark: Mark

    @property
    def line(self) -> int:
        return self.mark.line

    @property
    def column(self) -> int:
        return self.mark.column


@dataclass
class Node:
    """A resource concept with normalised attributes, each with its own provenance.

    `address` is the logical id (CloudFormation/SAM/Serverless) or Terraform address; it is the
    node's identity inside its graph and what users see as "the resource".
    """

    kind: str
    address: str
    resource_type: str
    format: str
    location: Location
    attrs: dict[str, Any] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        """A normalised attribute (None when the definition does not set it)."""
        return self.attrs.get(name, default)

    def set(self, name: str, value: Any, where: Location | None = None) -> None:
        """Record a normalised attribute and where it was written."""
        self.attrs[name] = value
        if where is not None:
            self.locations[name] = where

    def loc(self, *names: str) -> Location:
        """The most specific known location among `names` (tried in order), else the node's.

        `node.loc("actions[2]", "actions")` points at the third action when its line is known.
        """
        for name in names:
            where = self.locations.get(name)
            if where is not None:
                return where
        return self.location

    def __hash__(self) -> int:
        return hash((self.kind, self.address))

    def __eq__(self, other: object) -> bool:
        return self is other


class ResourceGraph:
    """Nodes by kind and address, edges indexed both ways, and the questions rules ask."""

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._by_kind: dict[str, list[Node]] = {}
        self._out: dict[str, list[tuple[str, Node]]] = {}
        self._in: dict[str, list[tuple[str, Node]]] = {}
        self._edges: set[tuple[str, str, str]] = set()
        self.files: list[str] = []

    # -- building -------------------------------------------------------------------------
    def add(self, node: Node) -> Node:
        """Add `node`; an address already present keeps its first node (returned)."""
        existing = self._nodes.get(node.address)
        if existing is not None:
            return existing
        self._nodes[node.address] = node
        self._by_kind.setdefault(node.kind, []).append(node)
        return node

    def connect(self, source: Node, edge: str, target: Node) -> None:
        """Add `source --edge--> target` once."""
        key = (source.address, edge, target.address)
        if key in self._edges:
            return
        self._edges.add(key)
        self._out.setdefault(source.address, []).append((edge, target))
        self._in.setdefault(target.address, []).append((edge, source))

    def remove(self, node: Node) -> None:
        """Drop a node and its edges (a loader replacing a placeholder)."""
        if self._nodes.get(node.address) is not node:
            return
        del self._nodes[node.address]
        self._by_kind[node.kind].remove(node)
        for edge, target in self._out.pop(node.address, []):
            self._in[target.address] = [
                (e, s) for e, s in self._in.get(target.address, []) if s is not node
            ]
            self._edges.discard((node.address, edge, target.address))
        for edge, source in self._in.pop(node.address, []):
            self._out[source.address] = [
                (e, t) for e, t in self._out.get(source.address, []) if t is not node
            ]
            self._edges.discard((source.address, edge, node.address))

    # -- reading --------------------------------------------------------------------------
    def get(self, address: str) -> Node | None:
        return self._nodes.get(address)

    def nodes(self, kind: str | None = None) -> list[Node]:
        """All nodes of `kind` (all nodes when None), in insertion order."""
        if kind is None:
            return list(self._nodes.values())
        return list(self._by_kind.get(kind, ()))

    def edges(self) -> Iterator[tuple[Node, str, Node]]:
        for address, outgoing in self._out.items():
            source = self._nodes[address]
            for edge, target in outgoing:
                yield source, edge, target

    def targets(self, node: Node, edge: str, kind: str | None = None) -> list[Node]:
        """Nodes reached from `node` by `edge`."""
        return [
            t
            for e, t in self._out.get(node.address, ())
            if e == edge and (kind is None or t.kind == kind)
        ]

    def sources(self, node: Node, edge: str, kind: str | None = None) -> list[Node]:
        """Nodes that reach `node` by `edge`."""
        return [
            s
            for e, s in self._in.get(node.address, ())
            if e == edge and (kind is None or s.kind == kind)
        ]

    def __len__(self) -> int:
        return len(self._nodes)

    # -- the sentences rules are written in ------------------------------------------------
    def functions(self) -> list[Node]:
        return self.nodes(Kind.FUNCTION)

    def apis(self) -> list[Node]:
        return self.nodes(Kind.API)

    def stages(self) -> list[Node]:
        return self.nodes(Kind.STAGE)

    def routes(self) -> list[Node]:
        return self.nodes(Kind.ROUTE)

    def function_urls(self) -> list[Node]:
        return self.nodes(Kind.FUNCTION_URL)

    def permissions(self) -> list[Node]:
        return self.nodes(Kind.PERMISSION)

    def roles(self) -> list[Node]:
        return self.nodes(Kind.ROLE)

    def identities(self) -> list[Node]:
        """Everything that holds IAM permissions: roles, then users, then groups."""
        return self.nodes(Kind.ROLE) + self.nodes(Kind.USER) + self.nodes(Kind.GROUP)

    def security_groups(self) -> list[Node]:
        return self.nodes(Kind.SECURITY_GROUP)

    def event_sources(self) -> list[Node]:
        return self.nodes(Kind.EVENT_SOURCE)

    def routes_to(self, function: Node) -> list[Node]:
        return self.sources(function, Edge.INVOKES, Kind.ROUTE)

    def invokers_of(self, function: Node) -> list[Node]:
        """Everything that invokes `function`: routes, URLs, event sources, load balancers."""
        return self.sources(function, Edge.INVOKES)

    def functions_invoked_by(self, node: Node) -> list[Node]:
        return self.targets(node, Edge.INVOKES, Kind.FUNCTION)

    def role_of(self, function: Node) -> Node | None:
        roles = self.targets(function, Edge.ASSUMES, Kind.ROLE)
        return roles[0] if roles else None

    def functions_assuming(self, role: Node) -> list[Node]:
        return self.sources(role, Edge.ASSUMES, Kind.FUNCTION)

    def statements_of(self, role: Node) -> list[Node]:
        """The permission statements a role grants (inline, attached and templated)."""
        return self.targets(role, Edge.GRANTS, Kind.STATEMENT)

    def trust_statements_of(self, role: Node) -> list[Node]:
        return self.targets(role, Edge.TRUSTS, Kind.STATEMENT)

    def security_groups_of(self, function: Node) -> list[Node]:
        return self.targets(function, Edge.USES_SECURITY_GROUP, Kind.SECURITY_GROUP)

    def log_group_of(self, node: Node) -> Node | None:
        groups = self.targets(node, Edge.LOGS_TO, Kind.LOG_GROUP)
        return groups[0] if groups else None

    def stages_of(self, api: Node) -> list[Node]:
        return self.targets(api, Edge.HAS_STAGE, Kind.STAGE)

    def routes_of(self, api: Node) -> list[Node]:
        return self.targets(api, Edge.HAS_ROUTE, Kind.ROUTE)

    def api_of(self, node: Node) -> Node | None:
        """The api a route or stage belongs to."""
        edge = Edge.HAS_ROUTE if node.kind == Kind.ROUTE else Edge.HAS_STAGE
        apis = self.sources(node, edge, Kind.API)
        return apis[0] if apis else None

    def authorizers_of(self, route: Node) -> list[Node]:
        return self.targets(route, Edge.AUTHORIZED_BY, Kind.AUTHORIZER)

    def permissions_for(self, function: Node) -> list[Node]:
        return self.sources(function, Edge.ALLOWS, Kind.PERMISSION)

    def web_acls_of(self, node: Node) -> list[Node]:
        return self.sources(node, Edge.PROTECTS, Kind.WAF_ACL)

    # -- export ---------------------------------------------------------------------------
    def to_networkx(self) -> networkx.MultiDiGraph:
        """A networkx view (imported here, lazily) for export and path algorithms."""
        import networkx

        graph = networkx.MultiDiGraph()
        for node in self._nodes.values():
            graph.add_node(
                node.address,
                kind=node.kind,
                type=node.resource_type,
                format=node.format,
                file=node.location.file,
                line=node.location.line,
            )
        for source, edge, target in self.edges():
            graph.add_edge(source.address, target.address, key=edge, kind=edge)
        return graph


def located(file: str, mark: Mark | None) -> Location | None:
    """A `Location` in `file`, or None when the span is unknown."""
    return Location(file, mark) if mark is not None else None


def first(items: Iterable[Any]) -> Any:
    """The first item or None."""
    return next(iter(items), None)
