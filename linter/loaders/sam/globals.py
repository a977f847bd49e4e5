"""SAM `Globals`: properties shared by every function / API of a template.

SAM merges a resource's properties over its Globals section: maps are merged key by key (the
resource wins, recursively), lists are the global items followed by the resource's, and any
other value (strings, numbers, intrinsic functions) is simply overridden. Merged values keep
the marks of whichever side wrote them, so a finding caused by `Globals.Function.Runtime`
points at the Globals line and one caused by the function's own `Runtime` at that line.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.cloudformation.intrinsics import intrinsic
from sls_lint.loaders.sam.common import Translation
from sls_lint.sources.located import NO_MARK, LDict, LList, Mark

# Globals section -> the SAM resource type its properties apply to.
SECTIONS = {
    "Function": "AWS::Serverless::Function",
    "Api": "AWS::Serverless::Api",
    "HttpApi": "AWS::Serverless::HttpApi",
    "SimpleTable": "AWS::Serverless::SimpleTable",
    "StateMachine": "AWS::Serverless::StateMachine",
    "LayerVersion": "AWS::Serverless::LayerVersion",
}


def read_globals(document: LDict, tr: Translation) -> dict[str, LDict]:
    """The usable Globals sections by SAM resource type; malformed parts become problems."""
    section = document.get("Globals")
    if section is None:
        return {}
    if not isinstance(section, LDict):
        tr.problem("Globals must be a mapping", document.mark_of("Globals"))
        return {}
    found: dict[str, LDict] = {}
    for name, value in section.items():
        rtype = SECTIONS.get(str(name))
        if rtype is None:
            continue  # a section SAM knows and we do not need (Connector...), or a typo
        if isinstance(value, LDict):
            found[rtype] = value
        elif value is not None:
            tr.problem(f"Globals.{name} must be a mapping", section.mark_of(name))
    return found


def merge(global_value: Any, local_value: Any) -> Any:
    """`local_value` merged over `global_value` the way SAM does it."""
    if _is_map(global_value) and _is_map(local_value):
        merged = LDict(mark=local_value.mark)
        for source in (global_value, local_value):
            for key in source:
                if key in merged:
                    merged[key] = merge(merged[key], source[key])
                else:
                    merged[key] = source[key]
                merged.key_marks[key] = source.key_mark(key)
                merged.value_marks[key] = source.mark_of(key)
        return merged
    if isinstance(global_value, list) and isinstance(local_value, list):
        mark = _mark(local_value) or _mark(global_value) or NO_MARK
        combined = LList([*global_value, *local_value], mark=mark)
        combined.item_marks = _item_marks(global_value, mark) + _item_marks(local_value, mark)
        return combined
    return local_value


def apply(tr: Translation, rtype: str, properties: LDict) -> LDict:
    """A resource's properties with its type's Globals merged in (`properties` untouched)."""
    section = tr.globals.get(rtype)
    if section is None:
        return properties
    merged = merge(section, properties)
    return merged if isinstance(merged, LDict) else properties


def _is_map(value: Any) -> bool:
    return isinstance(value, LDict) and intrinsic(value) is None


def _mark(value: Any) -> Any:
    return getattr(value, "mark", None)


def _item_marks(value: list, fallback: Mark) -> list[Mark]:
    if isinstance(value, LList):
        return [value.mark_of(i) for i in range(len(value))]
    return [fallback] * len(value)
