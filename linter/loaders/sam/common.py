"""Shared state and located-value helpers of the SAM translation.

The SAM loader does not build graph nodes itself: it writes CloudFormation-shaped `LDict`
resources (what `sam deploy` would generate) and lets `CfnGraphBuilder` turn them into nodes.
The one thing that must survive the translation is *where* each value was written, so every
helper here takes the mark of the user's SAM line and stamps it on the value it creates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sls_lint.loaders import ParseProblem
from sls_lint.loaders.cloudformation.intrinsics import Resolver, intrinsic
from sls_lint.sources.located import LDict, LList, Mark

SERVERLESS_PREFIX = "AWS::Serverless::"


def new(mark: Mark, items: Iterable[tuple[str, Any]] = ()) -> LDict:
    """An `LDict` whose keys and values all point at `mark` (a generated value's origin)."""
    result = LDict(mark=mark)
    for key, value in items:
        put(result, key, value, mark)
    return result


def put(target: LDict, key: str, value: Any, mark: Mark, key_mark: Mark | None = None) -> None:
    """Set `target[key]` and record where the user wrote it."""
    target[key] = value
    target.value_marks[key] = mark
    target.key_marks[key] = key_mark or mark


def copy(target: LDict, source: Any, key: str, new_key: str | None = None) -> bool:
    """Copy `source[key]` into `target` with its marks; False when absent."""
    if not isinstance(source, dict) or key not in source:
        return False
    name = new_key or key
    target[name] = source[key]
    if isinstance(source, LDict):
        target.value_marks[name] = source.mark_of(key)
        target.key_marks[name] = source.key_mark(key)
    return True


def llist(mark: Mark, items: Iterable[Any], marks: Iterable[Mark] | None = None) -> LList:
    """A located list; items without their own mark point at `mark`."""
    values = list(items)
    result = LList(values, mark=mark)
    given = list(marks) if marks is not None else []
    result.item_marks = [given[i] if i < len(given) else mark for i in range(len(values))]
    return result


def ref(logical_id: str, mark: Mark) -> LDict:
    return new(mark, [("Ref", logical_id)])


def getatt(logical_id: str, attribute: str, mark: Mark) -> LDict:
    return new(mark, [("Fn::GetAtt", llist(mark, [logical_id, attribute]))])


def ref_target(value: Any) -> str | None:
    """The logical id named by `!Ref X` or `!GetAtt X.Attr`, else None."""
    found = intrinsic(value)
    if found is None:
        return None
    name, argument = found
    if name == "Ref" and isinstance(argument, str):
        return argument
    if name == "Fn::GetAtt":
        if isinstance(argument, str):
            return argument.split(".", 1)[0]
        if isinstance(argument, list) and argument and isinstance(argument[0], str):
            return argument[0]
    return None


def entries(container: Any) -> Iterable[tuple[Any, Any, Mark, Mark]]:
    """(key, value, key mark, value mark) of a mapping; nothing for anything else."""
    if not isinstance(container, LDict):
        return []
    return [(k, v, container.key_mark(k), container.mark_of(k)) for k, v in container.items()]


def items(value: Any, mark: Mark) -> list[tuple[Any, Mark]]:
    """A scalar-or-list property as (item, mark) pairs (`Policies: AmazonS3FullAccess`)."""
    if isinstance(value, LList):
        return [(item, value.mark_of(i)) for i, item in enumerate(value)]
    if isinstance(value, list):
        return [(item, mark) for item in value]
    if value is None:
        return []
    return [(value, mark)]


@dataclass
class ExtraSource:
    """An event source the CloudFormation builder has no resource type for (S3 bucket
    notifications, Scheduler schedules, log subscriptions): added to the graph directly."""

    address: str
    resource_type: str
    source_kind: str
    invocation: str
    mark: Mark
    function_id: str
    source_arn: Any = None
    source_arn_mark: Mark | None = None


@dataclass
class Translation:
    """Everything one template's translation produces besides the resources themselves."""

    file: str
    resources: LDict  # the user's Resources (SAM and plain CloudFormation)
    resolver: Resolver  # over the user's resources, parameters and mappings
    out: LDict = field(default_factory=LDict)  # the CloudFormation resources written
    problems: list[ParseProblem] = field(default_factory=list)
    origin: dict[str, str] = field(default_factory=dict)  # generated id -> SAM logical id
    sam_types: dict[str, str] = field(default_factory=dict)  # SAM logical id -> SAM type
    statement_sources: dict[str, str] = field(default_factory=dict)  # address prefix -> source
    source_kinds: dict[str, str] = field(default_factory=dict)  # mapping id -> source kind
    bucket_notifications: dict[str, list[LDict]] = field(default_factory=dict)
    extra_sources: list[ExtraSource] = field(default_factory=list)
    serves: list[tuple[str, str]] = field(default_factory=list)  # (domain id, api id)
    globals: dict[str, LDict] = field(default_factory=dict)
    rest_events: list[Any] = field(default_factory=list)  # sam_apis.EventRoute
    http_events: list[Any] = field(default_factory=list)

    def add(self, logical_id: str, resource: LDict, key_mark: Mark, origin: str) -> bool:
        """Write a generated resource; an id the user already uses keeps the user's."""
        if logical_id in self.out:
            return False
        self.out[logical_id] = resource
        self.out.key_marks[logical_id] = key_mark
        self.out.value_marks[logical_id] = resource.mark
        self.origin[logical_id] = origin
        self._inherit_condition(resource, origin)
        return True

    def _inherit_condition(self, resource: LDict, origin: str) -> None:
        """A generated resource exists when its SAM resource does (SAM copies `Condition`)."""
        source = self.resources.get(origin) if isinstance(self.resources, dict) else None
        condition = source.get("Condition") if isinstance(source, dict) else None
        if isinstance(condition, str) and "Condition" not in resource:
            resource["Condition"] = condition

    def replace(self, logical_id: str, resource: LDict, key_mark: Mark) -> None:
        """Write the translation of the user's own SAM resource under its logical id."""
        self.out[logical_id] = resource
        self.out.key_marks[logical_id] = key_mark
        self.out.value_marks[logical_id] = resource.mark
        self._inherit_condition(resource, logical_id)

    def problem(self, message: str, mark: Mark) -> None:
        self.problems.append(ParseProblem(self.file, message, mark.line, mark.column))


def resource(rtype: str, mark: Mark, properties: LDict, type_mark: Mark | None = None) -> LDict:
    """A CloudFormation resource `{Type, Properties}` located at `mark`."""
    result = new(mark)
    put(result, "Type", rtype, type_mark or mark)
    put(result, "Properties", properties, properties.mark)
    return result
