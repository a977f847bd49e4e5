"""The execution roles a Serverless service gets: one shared role unless told otherwise.

The framework creates a single `IamRoleLambdaExecution` for every function that does not name
its own `role`, with `provider.iam.role.statements` (or the older `provider.iamRoleStatements`)
as its inline policy. An existing role (`provider.iam.role: arn:...` / a name / `provider.role`)
means no role is created, and its permissions are unknown: no statement nodes, no guesses.
Which functions get a dedicated role instead (v4's native `iam.role`, `mode: perFunction`, the
legacy plugin keys) depends on the framework version: `function_roles` decides.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.cloudformation.intrinsics import intrinsic
from sls_lint.loaders.serverless.compiler import (
    LDict,
    Mark,
    Service,
    function_id,
    get_att,
    items_of,
    located_list,
    mark_of,
    obj,
    put,
)
from sls_lint.loaders.serverless.function_roles import (
    FunctionRole,
    function_role,
    per_function_mode,
    provider_role_config,
)

DEFAULT_ROLE = "IamRoleLambdaExecution"
_VPC_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"


def _iam_role(provider: LDict) -> tuple[Any, Mark | None]:
    iam = provider.get("iam")
    if isinstance(iam, LDict) and "role" in iam:
        return iam["role"], mark_of(iam, "role")
    return None, None


def existing_provider_role(service: Service) -> tuple[Any, Mark | None]:
    """`provider.iam.role` given as a name/ARN/intrinsic, or the old `provider.role`."""
    provider = service.provider
    role, mark = _iam_role(provider)
    if isinstance(role, str) or intrinsic(role) is not None:
        return role, mark
    if provider.get("role") is not None:
        return provider["role"], mark_of(provider, "role")
    return None, None


def role_value(service: Service, role: Any) -> Any:
    """A `role:` setting as the framework compiles it: a `resources` logical id -> GetAtt."""
    if isinstance(role, str) and ":" not in role and role in service.user_resources:
        return get_att(role)
    return role


def assign_role(service: Service, name: str, function: LDict) -> tuple[Any, Mark]:
    """The `Role` property of a function, recording which generated role it assumes."""
    template = service.template
    if function.get("role") is not None:
        return role_value(service, function["role"]), mark_of(function, "role")
    existing, mark = existing_provider_role(service)
    if existing is not None:
        # A provider-level role disables per-function roles in every framework version.
        return role_value(service, existing), mark or mark_of(service.provider)
    plan = function_role(service, function)
    if plan is not None:
        role_id = f"{function_id(name)}{DEFAULT_ROLE}"
        template.function_roles[name] = role_id
        return get_att(role_id), plan.mark
    template.function_roles[name] = DEFAULT_ROLE
    return get_att(DEFAULT_ROLE), mark_of(function)


def compile_roles(service: Service, functions: dict[str, LDict], any_vpc: dict[str, bool]) -> None:
    """Emit the shared role when the framework creates it, and each dedicated role."""
    template = service.template
    users: dict[str, list[str]] = {}
    for name, role_id in template.function_roles.items():
        users.setdefault(role_id, []).append(name)
    if DEFAULT_ROLE in users or shared_role_created(service, functions):
        _shared_role(service, any(any_vpc.values()))
    for role_id, names in users.items():
        if role_id != DEFAULT_ROLE:
            plan = function_role(service, functions[names[0]])
            if plan is not None:
                _function_role(service, role_id, names[0], plan, any_vpc.get(names[0]))


def shared_role_created(service: Service, functions: dict[str, LDict]) -> bool:
    """Whether the framework adds `IamRoleLambdaExecution`: some function has no explicit
    `role`, no provider-level role is configured and v4's per-function mode is off. Functions
    with a dedicated role still count: the shared role is deployed, with its statements."""
    if not functions or existing_provider_role(service)[0] is not None:
        return False
    if per_function_mode(service):
        return False
    return not all(function.get("role") is not None for function in functions.values())


def _role_mark(provider: LDict) -> Mark:
    for key in ("iam", "iamRoleStatements", "iamManagedPolicies"):
        if key in provider:
            return provider.key_mark(key)
    return mark_of(provider)


def _shared_role(service: Service, vpc: bool) -> None:
    provider = service.provider
    role_config, _ = _iam_role(provider)
    role_config = role_config if isinstance(role_config, LDict) else LDict()
    mark = _role_mark(provider)
    statements = _log_statements(service, mark)
    names: list[str | None] = [None] * len(statements)
    if "statements" in role_config:
        statements += _user_statements(
            role_config["statements"], "provider.iam.role.statements", names
        )
    elif "iamRoleStatements" in provider:
        statements += _user_statements(
            provider["iamRoleStatements"], "provider.iamRoleStatements", names
        )
    managed: list[tuple[Any, Mark]] = []
    if "managedPolicies" in role_config:
        managed += items_of(role_config["managedPolicies"])
    elif "iamManagedPolicies" in provider:
        managed += items_of(provider["iamManagedPolicies"])
    props = _role_props(service, DEFAULT_ROLE, statements, managed, vpc, mark, names)
    for key in ("permissionsBoundary", "permissionBoundary"):
        if role_config.get(key) is not None:
            put(props, "PermissionsBoundary", role_config[key], mark_of(role_config, key))
            break
    else:
        if provider.get("rolePermissionsBoundary") is not None:
            put(
                props,
                "PermissionsBoundary",
                provider["rolePermissionsBoundary"],
                mark_of(provider, "rolePermissionsBoundary"),
            )
    if role_config.get("name") is not None:
        put(props, "RoleName", role_config["name"], mark_of(role_config, "name"))
    service.template.add(DEFAULT_ROLE, "AWS::IAM::Role", props, mark)


def _function_role(
    service: Service, role_id: str, function_name: str, plan: FunctionRole, vpc: bool | None
) -> None:
    """A dedicated role: the logs statements, the function's own statements and managed
    policies, and what it inherits from `provider.iam.role` (or `provider.iamRoleStatements`).
    Statements the user wrote keep their address in serverless.yml (`functions.X.iam.role.
    statements[1]`), so findings and fingerprints name the statement as it is written."""
    provider = service.provider
    role_config = provider_role_config(provider)
    statements = _log_statements(service, plan.mark)
    names: list[str | None] = [None] * len(statements)
    statements += list(plan.statements)
    where = f"functions.{function_name}.{plan.statements_key}" if plan.statements_key else None
    names.extend(f"{where}[{index}]" if where else None for index in range(len(plan.statements)))
    managed = list(plan.managed)
    if plan.inherit_statements:
        source, path = role_config.get("statements"), "provider.iam.role.statements"
        if source is None:
            source, path = provider.get("iamRoleStatements"), "provider.iamRoleStatements"
        statements += _user_statements(source, path, names)
    if plan.inherit_managed:
        source = role_config.get("managedPolicies")
        managed = (
            items_of(source if source is not None else provider.get("iamManagedPolicies")) + managed
        )
    props = _role_props(service, role_id, statements, managed, bool(vpc), plan.mark, names)
    boundary = plan.boundary
    if boundary is None and plan.inherit_boundary:
        for key in ("permissionsBoundary", "permissionBoundary"):
            if role_config.get(key) is not None:
                boundary = (role_config[key], mark_of(role_config, key))
                break
    if boundary is not None:
        put(props, "PermissionsBoundary", boundary[0], boundary[1])
    if plan.name is not None:
        put(props, "RoleName", plan.name[0], plan.name[1])
    service.template.add(role_id, "AWS::IAM::Role", props, plan.mark)


def _user_statements(value: Any, path: str, names: list[str | None]) -> list[tuple[Any, Mark]]:
    """The user's statements at `path`, recording each one's address (`path[i]`) in `names`."""
    found = items_of(value)
    names.extend(f"{path}[{index}]" for index in range(len(found)))
    return found


def _role_props(
    service: Service,
    role_id: str,
    statements: list[tuple[Any, Mark]],
    managed: list[tuple[Any, Mark]],
    vpc: bool,
    mark: Mark,
    names: list[str | None] | None = None,
) -> LDict:
    extra = service.template.role_statements.get(role_id, [])
    statements += [(s, s.mark) for s in extra]
    if names is not None and any(names):
        service.template.statement_names[f"{role_id}.Policies[0]"] = [
            f"{role_id}.{n}" if n else None for n in names + [None] * len(extra)
        ]
    trust = obj(
        mark,
        Version="2012-10-17",
        Statement=located_list(
            [
                (
                    obj(
                        mark,
                        Effect="Allow",
                        Principal=obj(mark, Service=["lambda.amazonaws.com"]),
                        Action=["sts:AssumeRole"],
                    ),
                    mark,
                )
            ],
            mark,
        ),
    )
    document = obj(mark, Version="2012-10-17", Statement=located_list(statements, mark))
    policy = obj(mark, PolicyName=f"{service.name}-{service.stage}-lambda", PolicyDocument=document)
    props = obj(mark, AssumeRolePolicyDocument=trust, Policies=located_list([(policy, mark)], mark))
    if vpc:
        managed.append(
            (
                LDict(
                    {
                        "Fn::Join": [
                            "",
                            [
                                "arn:",
                                LDict({"Ref": "AWS::Partition"}),
                                _VPC_POLICY[len("arn:aws") :],
                            ],
                        ]
                    }
                ),
                mark,
            )
        )
    if managed:
        put(props, "ManagedPolicyArns", located_list(managed, mark), mark)
    return props


def _log_statements(service: Service, mark: Mark) -> list[tuple[Any, Mark]]:
    """The two CloudWatch Logs statements the framework always grants (scoped to the service)."""
    prefix = f"arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/lambda/{service.name}-{service.stage}*"  # noqa: E501
    return [
        (
            obj(
                mark,
                Effect="Allow",
                Action=["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"],
                Resource=[LDict({"Fn::Sub": f"{prefix}:*"})],
            ),
            mark,
        ),
        (
            obj(
                mark,
                Effect="Allow",
                Action=["logs:PutLogEvents"],
                Resource=[LDict({"Fn::Sub": f"{prefix}:*:*"})],
            ),
            mark,
        ),
    ]
