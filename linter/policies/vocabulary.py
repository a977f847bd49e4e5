"""What a policy may name: node kinds, their attributes, edges as relation steps, operators.

Policies are checked against this vocabulary when they load, so a typo (`runtme`, `invoked-by`)
is an error naming the file and line instead of a policy that silently never fires. The kinds
and attributes are those of `docs/graph.md`; keep the two in step when the graph grows.
"""

from __future__ import annotations

#: `deploy_condition` is on any kind (absent when the resource always exists): a formula of
#: `sls_lint.model.conditions`, so a policy can only ask whether it `exists`.
COMMON_ATTRIBUTES = ("address", "resource_type", "format", "kind", "deploy_condition")

KIND_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "function": (
        "runtime",
        "handler",
        "package_type",
        "memory",
        "timeout",
        "kms_key_arn",
        "reserved_concurrency",
        "code_signing_config",
        "layers",
        "function_name",
        "tracing",
        "dead_letter_target",
        "on_failure",
        "environment",
        "vpc_subnets",
        "vpc_security_groups",
        "log_group_name",
        "role",
    ),
    "function_url": ("auth_type", "cors", "invoke_mode"),
    "layer_permission": ("action", "principal", "organization_id", "layer_version_arn"),
    "permission": (
        "action",
        "principal",
        "source_arn",
        "source_account",
        "principal_org_id",
        "function_url_auth_type",
        "invoked_via_function_url",
        "event_source_token",
    ),
    "event_source": ("source_kind", "invocation", "source_arn", "on_failure"),
    "api": (
        "protocol",
        "name",
        "policy",
        "endpoint_type",
        "api_key_source",
        "disable_execute_api_endpoint",
        "definition_unreadable",
        "served_by_unknown_domain",
    ),
    "stage": (
        "protocol",
        "name",
        "access_log_destination",
        "access_log_format",
        "tracing",
        "cache_cluster_enabled",
        "client_certificate",
        "method_settings",
    ),
    "route": (
        "protocol",
        "method",
        "path",
        "route_key",
        "authorization_type",
        "api_key_required",
        "request_validator",
        "request_models",
        "integration_type",
    ),
    "authorizer": ("type", "provider_arns"),
    "role": ("managed_policy_arns", "permissions_boundary", "role_name"),
    "user": ("managed_policy_arns", "permissions_boundary", "name"),
    "group": ("managed_policy_arns", "permissions_boundary", "name"),
    "statement": (
        "effect",
        "actions",
        "not_actions",
        "resources",
        "not_resources",
        "principals",
        "not_principals",
        "conditions",
        "sid",
        "source",
        "written_keys",
    ),
    "security_group": ("egress", "ingress", "default_egress"),
    "log_group": ("name", "retention_days", "kms_key_id"),
    "waf_acl": (),
    "domain": ("domain_name", "security_policy", "mutual_tls"),
    "usage_plan": ("throttle",),
    "load_balancer": (),
}

_RULE_KEYS = (
    "protocol",
    "from_port",
    "to_port",
    "cidr_ipv4",
    "cidr_ipv6",
    "prefix_list",
    "peer_group",
    "location",
    "implicit",
)

#: Keys of the items of list and map attributes, checked when a policy names `item.KEY`. With
#: `each:` a map attribute (environment, principals) yields one `{key, value}` item per entry.
ITEM_KEYS: dict[str, tuple[str, ...]] = {
    "environment": ("key", "value"),
    "principals": ("key", "value"),
    "not_principals": ("key", "value"),
    "conditions": ("key", "value"),
    "written_keys": ("key", "value"),
    "egress": _RULE_KEYS,
    "ingress": _RULE_KEYS,
    "method_settings": (
        "http_method",
        "resource_path",
        "logging_level",
        "data_trace_enabled",
        "metrics_enabled",
        "throttling_burst_limit",
        "throttling_rate_limit",
        "caching_enabled",
        "cache_data_encrypted",
        "label",
        "location",
    ),
}

# edge -> (source kinds, target kinds), as docs/graph.md lists them.
EDGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "invokes": (
        ("route", "function_url", "event_source", "load_balancer", "authorizer"),
        ("function",),
    ),
    "has_route": (("api",), ("route",)),
    "has_stage": (("api",), ("stage",)),
    "authorized_by": (("route",), ("authorizer",)),
    "assumes": (("function",), ("role",)),
    "grants": (("role", "user", "group"), ("statement",)),
    "trusts": (("role",), ("statement",)),
    "uses_security_group": (("function",), ("security_group",)),
    "logs_to": (("function", "stage"), ("log_group",)),
    "protects": (("waf_acl",), ("stage", "api")),
    "allows": (("permission",), ("function",)),
    "throttles": (("usage_plan",), ("stage",)),
    "serves": (("domain",), ("api",)),
}

_INVERSE_NAMES = {
    "invokes": "invoked_by",
    "has_route": "route_of",
    "has_stage": "stage_of",
    "authorized_by": "authorizes",
    "assumes": "assumed_by",
    "grants": "granted_by",
    "trusts": "trusted_by",
    "uses_security_group": "used_by",
    "logs_to": "receives_logs_from",
    "protects": "protected_by",
    "allows": "allowed_by",
    "throttles": "throttled_by",
    "serves": "served_by",
}

#: Relation step -> (edge, True when followed from source to target).
STEPS: dict[str, tuple[str, bool]] = {
    **{edge: (edge, True) for edge in EDGES},
    **{inverse: (edge, False) for edge, inverse in _INVERSE_NAMES.items()},
}


def step_targets(step: str, sources: frozenset[str] | None) -> frozenset[str]:
    """The kinds a step can reach (from any of `sources`, None: any kind)."""
    edge, forward = STEPS[step]
    starts, ends = EDGES[edge]
    if not forward:
        starts, ends = ends, starts
    if sources is not None and not sources & set(starts):
        return frozenset()
    return frozenset(ends)


def step_starts(step: str) -> tuple[str, ...]:
    """The kinds a step can start from."""
    edge, forward = STEPS[step]
    starts, ends = EDGES[edge]
    return starts if forward else ends


#: Attribute operators and the type of value each takes (see `operators.py`).
OPERATORS: dict[str, str] = {
    "equals": "scalar",
    "not-equals": "scalar",
    "in": "list",
    "not-in": "list",
    "matches": "regex",
    "not-matches": "regex",
    "exists": "bool",
    "absent": "bool",
    "is-unknown": "bool",
    "is-reference": "bool",
    "contains": "scalar",
    "not-contains": "scalar",
    "greater-than": "number",
    "less-than": "number",
    "at-least": "number",
    "at-most": "number",
    "action-matches": "patterns",
    "arn-matches": "patterns",
    "runtime-status": "statuses",
}

RUNTIME_STATUSES = ("supported", "deprecating", "deprecated", "unknown")
