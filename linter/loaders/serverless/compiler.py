"""Build the CloudFormation a Serverless service compiles to, located at the user's lines.

The Serverless loader does what `serverless package` does (translate the service into
CloudFormation) but without Node: each generated resource is an `LDict` whose marks point at the
serverless.yml line that caused it, so `CfnGraphBuilder` can turn it into graph nodes and a
finding lands on `- http: GET /users`, not on a compiled template nobody reads.

Logical ids follow the framework's naming conventions (`HelloLambdaFunction`,
`ApiGatewayMethodUsersIdVarGet`, `HttpApiRouteGetUsers`, ...), so addresses and fingerprints are
the same whether a user lints serverless.yml or the compiled template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sls_lint.sources.located import LDict, LList, Mark


def ref(logical_id: str) -> LDict:
    return LDict({"Ref": logical_id})


def get_att(logical_id: str, attribute: str = "Arn") -> LDict:
    return LDict({"Fn::GetAtt": [logical_id, attribute]})


def obj(mark: Mark, **values: Any) -> LDict:
    """A mapping whose every value is located at `mark` (None values are left out)."""
    result = LDict(mark=mark)
    for key, value in values.items():
        if value is not None:
            put(result, key, value, mark)
    return result


def put(target: LDict, key: str, value: Any, mark: Mark | None = None) -> Any:
    """`target[key] = value`, located at `mark` (else at the mapping)."""
    target[key] = value
    target.key_marks[key] = mark or target.mark
    target.value_marks[key] = mark or target.mark
    return value


def copy(target: LDict, key: str, source: Any, source_key: str) -> bool:
    """Copy `source[source_key]` (with its location) to `target[key]` when it is set."""
    if isinstance(source, dict) and source.get(source_key) is not None:
        put(target, key, source[source_key], mark_of(source, source_key))
        return True
    return False


def mark_of(container: Any, key: Any = None, default: Mark | None = None) -> Mark:
    """Where `container[key]` (or the container) was written."""
    if key is not None and isinstance(container, (LDict, LList)):
        return container.mark_of(key)
    mark = getattr(container, "mark", None)
    return mark or default or Mark(1, 1, 1, 1)


def located_list(items: list[tuple[Any, Mark]], mark: Mark) -> LList:
    result = LList(mark=mark)
    for item, item_mark in items:
        result.append(item)
        result.item_marks.append(item_mark)
    return result


def items_of(value: Any) -> list[tuple[Any, Mark]]:
    """(item, mark) pairs of a list; a scalar or mapping counts as a one-item list."""
    if isinstance(value, list):
        return [(item, mark_of(value, index)) for index, item in enumerate(value)]
    if value is None:
        return []
    return [(value, mark_of(value))]


# -- the framework's naming conventions -----------------------------------------------------
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Za-z]")
_PATH_VARIABLE = re.compile(r"\{(.*)\}")


def normalize(name: str) -> str:
    return name[:1].upper() + name[1:]


def alphanumeric(name: str) -> str:
    return normalize(_NOT_ALPHANUMERIC.sub("", name))


def function_id(name: str) -> str:
    """`my-func_x` -> `MyDashfuncUnderscorex` (the prefix of every per-function id)."""
    return normalize(name.replace("-", "Dash").replace("_", "Underscore"))


def path_part(part: str) -> str:
    capitalised = part[:1].upper() + part[1:].lower()
    capitalised = capitalised.replace("-", "Dash")
    capitalised = _PATH_VARIABLE.sub(r"\1Var", capitalised)
    return normalize(_NOT_ALPHANUMERIC.sub("", capitalised))


def normalize_path(path: str) -> str:
    return "".join(path_part(part) for part in path.split("/"))


@dataclass
class Template:
    """The compiled resources of one service, and what event compilers share."""

    mark: Mark
    resources: LDict = field(init=False)
    # Statements the framework adds to a generated role for stream/queue events: role id -> list.
    role_statements: dict[str, list[LDict]] = field(default_factory=dict)
    # The generated role each function assumes (absent: an existing role, or none).
    function_roles: dict[str, str] = field(default_factory=dict)
    # Push sources the graph builder has no CloudFormation handler for (S3, IoT, Cognito,
    # CloudFront): (address, source kind, invocation, function logical id, mark).
    extra_sources: list[tuple[str, str, str, str, Mark]] = field(default_factory=list)
    # Generated policy document address -> the user's address of each statement (or None for
    # a statement the framework adds), so findings number statements as the user wrote them.
    statement_names: dict[str, list[str | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.resources = LDict(mark=self.mark)

    def add(self, logical_id: str, rtype: str, props: LDict, mark: Mark) -> LDict:
        """Add (or replace) a resource that starts at `mark`."""
        resource = LDict(mark=mark)
        put(resource, "Type", rtype, mark)
        put(resource, "Properties", props, props.mark)
        put(self.resources, logical_id, resource, mark)
        return resource

    def has(self, logical_id: str) -> bool:
        return logical_id in self.resources


def merge(base: Any, override: Any, depth: int = 0) -> Any:
    """Deep-merge `override` into `base` the way the framework merges `resources:` (lodash)."""
    if depth > 50 or not isinstance(base, LDict) or not isinstance(override, LDict):
        return override
    for key, value in override.items():
        if key in base and isinstance(base[key], LDict) and isinstance(value, LDict):
            merge(base[key], value, depth + 1)
        else:
            base[key] = value
            base.key_marks[key] = override.key_mark(key)
            base.value_marks[key] = override.mark_of(key)
    return base


@dataclass
class Service:
    """A resolved service configuration and the facts every compiler step needs."""

    config: LDict
    name: str
    stage: str
    region: str
    template: Template
    user_resources: LDict  # `resources.Resources`, for ids that functions refer to

    @property
    def provider(self) -> LDict:
        provider = self.config.get("provider")
        return provider if isinstance(provider, LDict) else LDict(mark=self.config.mark)

    def functions(self) -> list[tuple[str, LDict, Mark]]:
        """(name, configuration, where its key is written) for every function."""
        functions = self.config.get("functions")
        found: list[tuple[str, LDict, Mark]] = []
        for group in functions if isinstance(functions, list) else [functions]:
            if not isinstance(group, LDict):
                continue  # a list of `${file()}` maps is merged by the framework
            for name, config in group.items():
                if isinstance(config, LDict):
                    found.append((str(name), config, group.key_mark(name)))
        return found

    def setting(self, function: LDict, key: str, provider_key: str | None = None) -> Any:
        """A function setting that falls back to the provider's (`runtime`, `vpc`, ...)."""
        if function.get(key) is not None:
            return function[key], mark_of(function, key)
        provider = self.provider
        key = provider_key or key
        if provider.get(key) is not None:
            return provider[key], mark_of(provider, key)
        return None, None

    def function_name(self, name: str, function: LDict) -> Any:
        explicit = function.get("name")
        return explicit if explicit is not None else f"{self.name}-{self.stage}-{name}"
