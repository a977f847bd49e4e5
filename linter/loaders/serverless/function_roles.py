"""Which functions get a dedicated execution role, and what goes into it, per framework version.

Serverless Framework **v4** builds per-function roles natively (its IAM guide, "Per-Function
IAM Roles"):

- `functions.X.iam.role.statements` / `managedPolicies` give X its own role (with
  `permissionsBoundary`, `name`); `functions.X.iam.inheritStatements` (default false) merges
  `provider.iam.role.statements` into it;
- `provider.iam.role.mode: perFunction` gives *every* function its own role, inheriting the
  provider's statements (unless the function sets `iam.inheritStatements: false`), managed
  policies and permissions boundary;
- the legacy keys of the `serverless-iam-roles-per-function` plugin (`iamRoleStatements`,
  `iamRoleStatementsInherit`, `iamRoleStatementsName`, `iamPermissionsBoundary`) are honoured
  natively as aliases of the structured ones.

In **v3 and older** none of this exists in the framework: the legacy keys take effect only when
the `serverless-iam-roles-per-function` plugin is listed in `plugins:` (its own
`custom.serverless-iam-roles-per-function.defaultInherit` applies, and inheriting brings the
provider's managed policies too); otherwise the framework ignores them and the function runs
with the shared provider role and all of its statements.

A provider-level role (`provider.role`, or `provider.iam.role` given as a name, ARN or
intrinsic) disables per-function roles in every version: all functions use that role.

The shared role itself is created (as v3's `mergeIamTemplates` does, and v4's default `shared`
mode) whenever some function has no explicit `role` and no provider-level role is configured,
even when every function ends up with a dedicated role: its statements are deployed, so they
are judged (see `shared_role_created`).

**When `frameworkVersion` is absent** the current major (v4) applies, as the framework a
user installs today reads the file. Nothing written is left unjudged either way: the provider
statements stay on the shared role, which is created in both versions, and the function-level
statements are analysed on the function's own role. A v3 project without the plugin states
`frameworkVersion: '3'` to have its functions run with the provider role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sls_lint.loaders.serverless.compiler import LDict, Mark, Service, items_of, mark_of

PLUGIN = "serverless-iam-roles-per-function"
DEFAULT_MAJOR = 4
_MAJOR = re.compile(r"(\d+)")

Located = tuple[Any, Mark]


@dataclass
class FunctionRole:
    """What a function's dedicated role holds, each value with the mark where it is written."""

    mark: Mark
    statements: list[Located] = field(default_factory=list)
    # Where the statements are written under `functions.X` (`iam.role.statements`,
    # `iamRoleStatements`): findings address each statement by its place in serverless.yml.
    statements_key: str | None = None
    managed: list[Located] = field(default_factory=list)
    boundary: Located | None = None
    name: Located | None = None
    inherit_statements: bool = False
    inherit_managed: bool = False
    inherit_boundary: bool = False


def framework_major(config: LDict) -> int:
    """The major version `frameworkVersion` pins (`'3'`, `^3.38.0`, `>=2.0.0 <3.0.0`), or
    DEFAULT_MAJOR when it is absent or says nothing usable."""
    version = config.get("frameworkVersion")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        return int(version)
    if isinstance(version, str):
        found = _MAJOR.search(version)
        if found:
            return int(found.group(1))
    return DEFAULT_MAJOR


def plugin_listed(config: LDict) -> bool:
    """Whether `plugins:` (a list, or `{modules: [...]}`) names the per-function plugin,
    under its own name or a scoped fork (`@scope/serverless-iam-roles-per-function`)."""
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        plugins = plugins.get("modules")
    if not isinstance(plugins, list):
        return False
    return any(isinstance(p, str) and p.rsplit("/", 1)[-1] == PLUGIN for p in plugins)


def provider_role_config(provider: LDict) -> LDict:
    """`provider.iam.role` when it is a mapping (a configuration, not an existing role)."""
    iam = provider.get("iam")
    role = iam.get("role") if isinstance(iam, LDict) else None
    return role if isinstance(role, LDict) else LDict()


def per_function_mode(service: Service) -> bool:
    """v4's `provider.iam.role.mode: perFunction` (no shared role at all)."""
    return (
        framework_major(service.config) >= 4
        and provider_role_config(service.provider).get("mode") == "perFunction"
    )


def function_role(service: Service, function: LDict) -> FunctionRole | None:
    """The dedicated role `function` gets, or None when it uses the shared provider role.

    The caller has already ruled out `functions.X.role` and a provider-level existing role."""
    if framework_major(service.config) >= 4:
        return _native(service, function)
    if plugin_listed(service.config):
        return _plugin(service, function)
    return None


def _native(service: Service, function: LDict) -> FunctionRole | None:
    provider_role = provider_role_config(service.provider)
    per_function = provider_role.get("mode") == "perFunction"
    iam = function.get("iam") if isinstance(function.get("iam"), LDict) else LDict()
    own = iam.get("role") if isinstance(iam.get("role"), LDict) else LDict()
    statements_key = _first((own, "statements"), (function, "iamRoleStatements"))
    managed_key = _first((own, "managedPolicies"))
    if not per_function and statements_key is None and managed_key is None:
        return None
    mark = _role_mark(function, ("iam", "iamRoleStatements"))
    plan = FunctionRole(mark=mark)
    if statements_key is not None:
        plan.statements = items_of(statements_key[0][statements_key[1]])
        plan.statements_key = (
            "iam.role.statements" if statements_key[0] is own else "iamRoleStatements"
        )
    if managed_key is not None:
        plan.managed = items_of(managed_key[0][managed_key[1]])
    plan.boundary = _value(
        _first((own, "permissionsBoundary"), (function, "iamPermissionsBoundary"))
    )
    plan.name = _value(_first((own, "name"), (function, "iamRoleStatementsName")))
    inherit = _value(_first((iam, "inheritStatements"), (function, "iamRoleStatementsInherit")))
    if inherit is None:
        inherit_value: Any = per_function or _plugin_default_inherit(service)
    else:
        inherit_value = inherit[0]
    plan.inherit_statements = inherit_value is True
    plan.inherit_managed = per_function
    plan.inherit_boundary = per_function
    return plan


def _plugin(service: Service, function: LDict) -> FunctionRole | None:
    if "iamRoleStatements" not in function:
        return None
    plan = FunctionRole(
        mark=_role_mark(function, ("iamRoleStatements",)),
        statements=items_of(function.get("iamRoleStatements")),
        statements_key="iamRoleStatements",
        boundary=_value(_first((function, "iamPermissionsBoundary"))),
        name=_value(_first((function, "iamRoleStatementsName"))),
    )
    inherit = function.get("iamRoleStatementsInherit")
    if inherit is None:
        inherit = _plugin_default_inherit(service)
    plan.inherit_statements = plan.inherit_managed = inherit is True
    return plan


def _plugin_default_inherit(service: Service) -> Any:
    custom = service.config.get("custom")
    settings = custom.get(PLUGIN) if isinstance(custom, dict) else None
    return settings.get("defaultInherit") if isinstance(settings, dict) else None


def _first(*places: tuple[LDict, str]) -> tuple[LDict, str] | None:
    """The first (container, key) whose key is written (even as an empty list)."""
    for container, key in places:
        if isinstance(container, LDict) and key in container and container[key] is not None:
            return container, key
    return None


def _value(place: tuple[LDict, str] | None) -> Located | None:
    if place is None:
        return None
    container, key = place
    return container[key], mark_of(container, key)


def _role_mark(function: LDict, keys: tuple[str, ...]) -> Mark:
    for key in keys:
        if key in function:
            return function.key_mark(key)
    return mark_of(function)
