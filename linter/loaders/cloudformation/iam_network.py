"""CloudFormation IAM, network and log resources: roles, policies, security groups and their
rules, log groups.
"""

from __future__ import annotations

from typing import Any

from sls_lint.model.conditions import conjoin
from sls_lint.model.graph import Edge, Kind, Location, Node
from sls_lint.sources.located import NO_MARK, LDict


class IamNetworkResources:
    """Handler methods mixed into `CfnGraphBuilder` (see builder.py for the helpers they use)."""

    # -- IAM --------------------------------------------------------------------------------
    def _role(self, logical_id: str, resource: LDict, props: LDict) -> None:
        role = self.node(Kind.ROLE, logical_id, resource)
        self._identity_policies(role, logical_id, resource, props)
        self.set(role, "permissions_boundary", props, "PermissionsBoundary")
        self.set(role, "role_name", props, "RoleName")
        trust = props.get("AssumeRolePolicyDocument")
        for statement in self.statements(
            trust, f"{logical_id}.AssumeRolePolicyDocument", resource, "trust"
        ):
            self.graph.connect(role, Edge.TRUSTS, statement)

    def _user_or_group(self, logical_id: str, resource: LDict, props: LDict) -> None:
        """IAM users and groups hold inline and managed policies exactly as roles do, so the
        same statement rules apply; only nothing assumes them (no trust policy)."""
        kind = Kind.USER if resource.get("Type") == "AWS::IAM::User" else Kind.GROUP
        identity = self.node(kind, logical_id, resource)
        self._identity_policies(identity, logical_id, resource, props)
        self.set(identity, "permissions_boundary", props, "PermissionsBoundary")
        self.set(identity, "name", props, "UserName" if kind == Kind.USER else "GroupName")

    def _identity_policies(
        self, identity: Node, logical_id: str, resource: LDict, props: LDict
    ) -> None:
        """`ManagedPolicyArns` (items located) and inline `Policies` of a role, user or group."""
        self.set(identity, "managed_policy_arns", props, "ManagedPolicyArns", [])
        if "ManagedPolicyArns" in props:
            raw = props["ManagedPolicyArns"]
            for index, (_item, mark) in enumerate(
                self.resolver.items(raw, getattr(raw, "mark", None))
            ):
                if mark is not None:
                    identity.locations[f"managed_policy_arns[{index}]"] = Location(
                        identity.location.file, mark
                    )
        policies = props.get("Policies")
        for index, (policy, _mark, when) in enumerate(
            self.resolver.items_when(policies, getattr(policies, "mark", None))
        ):
            if isinstance(policy, dict):
                document = policy.get("PolicyDocument")
                name = self.value(policy, "PolicyName", str(index))
                for statement in self.statements(
                    document, f"{logical_id}.Policies[{index}]", resource, f"inline:{name}"
                ):
                    if when is not None:  # `- !If [Cond, {PolicyName: ...}, !Ref AWS::NoValue]`
                        statement.attrs["deploy_condition"] = conjoin(
                            [statement.get("deploy_condition"), when]
                        )
                    self.graph.connect(identity, Edge.GRANTS, statement)
        managed = props.get("ManagedPolicyArns")
        self.later(lambda: self._attach_managed(identity, managed))

    def _attach_managed(self, role: Node, managed: Any) -> None:
        for logical_id in self.refs(managed):
            for statement in self._policy_statements.get(logical_id, ()):
                self.graph.connect(role, Edge.GRANTS, statement)

    @property
    def _policy_statements(self) -> dict[str, list[Node]]:
        if not hasattr(self, "_policy_statements_cache"):
            self._policy_statements_cache: dict[str, list[Node]] = {}
        return self._policy_statements_cache

    def _policy(self, logical_id: str, resource: LDict, props: LDict) -> None:
        document = props.get("PolicyDocument")
        statements = self.statements(document, logical_id, resource, f"policy:{logical_id}")
        self._policy_statements[logical_id] = statements
        holders = [props.get(key) for key in _HOLDER_KEYS]

        def attach() -> None:
            for logical_id in sorted(set().union(*(self.refs(value) for value in holders))):
                holder = self.graph.get(logical_id)
                if holder is not None and holder.kind in _HOLDER_KINDS:
                    for statement in statements:
                        self.graph.connect(holder, Edge.GRANTS, statement)

        self.later(attach)

    # -- network, logs, WAF, load balancers, async sources -----------------------------------
    def _security_group(self, logical_id: str, resource: LDict, props: LDict) -> None:
        group = self.node(Kind.SECURITY_GROUP, logical_id, resource)
        if "SecurityGroupEgress" in props:
            egress = self._sg_rules(props["SecurityGroupEgress"], "CidrIp", logical_id)
            group.set("egress", egress, self.where(props, "SecurityGroupEgress", logical_id))
            group.set("default_egress", False)
        else:
            # AWS adds an allow-all egress rule to every VPC group that declares none.
            group.set(
                "egress",
                [_ALLOW_ALL_EGRESS | {"location": group.location, "implicit": True}],
                group.location,
            )
            group.set("default_egress", True)
        ingress = self._sg_rules(props.get("SecurityGroupIngress"), "CidrIp", logical_id)
        group.set(
            "ingress",
            ingress,
            self.where(props, "SecurityGroupIngress", logical_id)
            if "SecurityGroupIngress" in props
            else None,
        )

    def _sg_rules(self, raw: Any, _cidr_key: str, logical_id: str) -> list[dict[str, Any]]:
        rules = []
        for item, mark in self.resolver.items(raw, getattr(raw, "mark", None)):
            if not isinstance(item, dict):
                continue
            rules.append(
                self._sg_rule(
                    item, Location(self.files.get(logical_id, self.file), mark or NO_MARK)
                )
            )
        return rules

    def _sg_rule(self, item: dict, where: Location) -> dict[str, Any]:
        return {
            "protocol": str(self.value(item, "IpProtocol", "-1")),
            "from_port": self.value(item, "FromPort"),
            "to_port": self.value(item, "ToPort"),
            "cidr_ipv4": self.value(item, "CidrIp"),
            "cidr_ipv6": self.value(item, "CidrIpv6"),
            "prefix_list": self.value(item, "DestinationPrefixListId")
            or self.value(item, "SourcePrefixListId"),
            "peer_group": self.value(item, "DestinationSecurityGroupId")
            or self.value(item, "SourceSecurityGroupId"),
            "location": where,
        }

    def _sg_rule_resource(self, logical_id: str, resource: LDict, props: LDict) -> None:
        direction = (
            "egress" if resource.get("Type") == "AWS::EC2::SecurityGroupEgress" else "ingress"
        )
        rule = self._sg_rule(props, self.where(resource, "Type", logical_id))
        group_ref = props.get("GroupId")

        def attach() -> None:
            for group_id in self.refs(group_ref):
                group = self.graph.get(group_id)
                if group is not None and group.kind == Kind.SECURITY_GROUP:
                    group.attrs.setdefault(direction, []).append(rule)

        self.later(attach)

    def _log_group(self, logical_id: str, resource: LDict, props: LDict) -> None:
        group = self.node(Kind.LOG_GROUP, logical_id, resource)
        self.set(group, "retention_days", props, "RetentionInDays")
        self.set(group, "kms_key_id", props, "KmsKeyId")
        name = self.set(group, "name", props, "LogGroupName")
        raw_name = props.get("LogGroupName")

        def connect() -> None:
            for ref in self.refs(raw_name):
                fn = self.graph.get(ref)
                if fn is not None and fn.kind == Kind.FUNCTION:
                    self.graph.connect(fn, Edge.LOGS_TO, group)
            if isinstance(name, str) and name.startswith("/aws/lambda/"):
                fid = self._function_names.get(name[len("/aws/lambda/") :])
                fn = self.graph.get(fid) if fid else None
                if fn is not None:
                    self.graph.connect(fn, Edge.LOGS_TO, group)

        self.later(connect)


# Where AWS::IAM::Policy / ManagedPolicy / RolePolicy / UserPolicy / GroupPolicy name holders.
_HOLDER_KEYS = ("Roles", "Users", "Groups", "RoleName", "UserName", "GroupName")
_HOLDER_KINDS = (Kind.ROLE, Kind.USER, Kind.GROUP)

_ALLOW_ALL_EGRESS = {
    "protocol": "-1",
    "from_port": None,
    "to_port": None,
    "cidr_ipv4": "0.0.0.0/0",
    "cidr_ipv6": None,
    "prefix_list": None,
    "peer_group": None,
}
