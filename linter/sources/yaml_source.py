"""Load YAML and JSON templates into located values, understanding CloudFormation short tags.

Why not `yaml.safe_load`: it forgets positions. Why not cfn-lint's decoder: importing it costs
~0.4 s per run. libyaml's composer (`CSafeLoader`) gives a node tree with start/end marks in a
couple of milliseconds; one walk over it builds `LDict`/`LList` values with every position kept.

The walk is where the safety limits live: nesting depth, and the number of nodes reached through
aliases (a "billion laughs" document composes to a small node graph but would expand to 10^9
values). JSON is parsed by the same composer, since JSON is (nearly) YAML flow syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml

from sls_lint.sources import limits as _limits
from sls_lint.sources.located import LDict, LList, Mark

try:  # libyaml is present in every PyYAML wheel; fall back for exotic builds.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class YamlLimits:
    """Bounds on what one document may cost; defaults and reasons in `sls_lint.sources.limits`."""

    max_depth: int = _limits.MAX_DEPTH
    max_alias_nodes: int = _limits.MAX_ALIAS_NODES
    max_nodes: int = _limits.MAX_NODES


class SourceError(Exception):
    """A document that cannot be read; carries the position to report as SLS000."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = max(1, line)
        self.column = max(1, column)


# CloudFormation short-form tags and the long form each becomes.
_SHORT_TAGS: dict[str, str] = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{
        f"!{name}": f"Fn::{name}"
        for name in [
            "GetAtt",
            "Sub",
            "Join",
            "If",
            "Select",
            "Split",
            "FindInMap",
            "ImportValue",
            "Base64",
            "Cidr",
            "GetAZs",
            "Equals",
            "And",
            "Or",
            "Not",
            "Transform",
            "ToJsonString",
            "Length",
            "ForEach",
        ]
    },
}

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TRUE = {"true", "yes", "on", "y"}
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")


def _mark(node: yaml.Node) -> Mark:
    start, end = node.start_mark, node.end_mark
    return Mark(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _scalar(node: yaml.ScalarNode) -> Any:
    """Construct a plain scalar the way YAML 1.1 (and CloudFormation) reads it.

    Dates stay strings: `AWSTemplateFormatVersion: 2010-09-09` is a version, not a datetime.
    """
    tag, value = node.tag, node.value
    if tag == _STR or node.style in ("'", '"', "|", ">"):
        return value
    if tag == _BOOL:
        return value.lower() in _TRUE
    if tag == _NULL:
        return None
    if tag == _INT:
        text = value.replace("_", "")
        try:
            if _SEXAGESIMAL.match(text):
                return value
            if text.lower().startswith(("0x", "-0x", "+0x")):
                return int(text, 16)
            if text.lower().startswith(("0o", "-0o", "+0o")):
                return int(text, 8)
            if len(text.lstrip("+-")) > 1 and text.lstrip("+-").startswith("0"):
                return int(text, 8)
            return int(text)
        except ValueError:
            return value
    if tag == _FLOAT:
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value


class Duplicate(NamedTuple):
    """A key written twice in one mapping: the later value replaces the earlier one."""

    key: Any
    first: Mark
    second: Mark


class _Builder:
    """One walk over a composed node tree, producing located values."""

    def __init__(self, limits: YamlLimits, duplicates: list[Duplicate] | None = None) -> None:
        self.limits = limits
        self.duplicates = duplicates
        self.seen: set[int] = set()
        self.alias_nodes = 0
        self.nodes = 0

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if depth > self.limits.max_depth:
            raise SourceError(
                f"nesting deeper than {self.limits.max_depth} levels (max-depth)",
                *_mark(node)[:2],
            )
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise SourceError(
                f"document has more than {self.limits.max_nodes:,} values (max-nodes)",
                *_mark(node)[:2],
            )
        key = id(node)
        if key in self.seen:
            # Reached again through an alias: charge it (and everything below it) to the budget.
            self.alias_nodes += 1
            if self.alias_nodes > self.limits.max_alias_nodes:
                raise SourceError(
                    f"alias expansion exceeds {self.limits.max_alias_nodes} nodes "
                    "(max-alias-nodes; a 'billion laughs' document?)",
                    *_mark(node)[:2],
                )
        else:
            self.seen.add(key)
        tag = node.tag
        long_form = _SHORT_TAGS.get(tag) if tag.startswith("!") else None
        if long_form is not None:
            return self._intrinsic(long_form, node, depth)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, depth)
        return _scalar(node)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LDict:
        result = LDict(mark=_mark(node))
        merged: set[Any] | None = None  # keys that came from `<<:`; an explicit key overrides
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                before = set(result)
                self._merge(result, value_node, depth)
                merged = (merged or set()) | (set(result) - before)
                continue
            key = self.build(key_node, depth + 1)
            if isinstance(key, (dict, list)):
                key = str(key)
            if key in result and self.duplicates is not None:
                if merged is not None and key in merged:
                    merged.discard(key)
                else:
                    self.duplicates.append(Duplicate(key, result.key_marks[key], _mark(key_node)))
            result[key] = self.build(value_node, depth + 1)
            result.key_marks[key] = _mark(key_node)
            result.value_marks[key] = _mark(value_node)
        return result

    def _merge(self, result: LDict, value_node: yaml.Node, depth: int) -> None:
        """`<<: *anchor` (YAML merge keys), used in serverless.yml files."""
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:
            merged = self.build(source, depth + 1)
            if isinstance(merged, LDict):
                for key, value in merged.items():
                    if key not in result:
                        result[key] = value
                        result.key_marks[key] = merged.key_mark(key)
                        result.value_marks[key] = merged.mark_of(key)

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> LList:
        result = LList(mark=_mark(node))
        for item in node.value:
            result.append(self.build(item, depth + 1))
            result.item_marks.append(_mark(item))
        return result

    def _intrinsic(self, name: str, node: yaml.Node, depth: int) -> LDict:
        mark = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            value: Any = node.value
            if name == "Fn::GetAtt":
                value = _split_getatt(node.value, mark)
            elif name == "Fn::GetAZs" and value == "":
                value = ""
        elif isinstance(node, yaml.MappingNode):
            value = self._mapping(node, depth)
        else:
            value = self._sequence(node, depth)
        result = LDict({name: value}, mark=mark)
        result.key_marks[name] = mark
        result.value_marks[name] = mark
        return result


def _split_getatt(text: str, mark: Mark) -> LList:
    """`!GetAtt Res.Attr.Sub` means `[Res, Attr.Sub]`."""
    resource, _, attribute = text.partition(".")
    parts = LList([resource, attribute], mark=mark)
    parts.item_marks = [mark, mark]
    return parts


def _problem_position(error: yaml.YAMLError) -> tuple[int, int]:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


def load_yaml(
    text: str, limits: YamlLimits | None = None, duplicates: list[Duplicate] | None = None
) -> Any:
    """Parse one YAML (or JSON) document into located values.

    Raises `SourceError` with a position for anything that is not a single well-formed document.
    Keys written twice in one mapping keep the last value (as PyYAML does); when `duplicates`
    is given, each repetition is appended to it (the loaders report them as SLS006).
    """
    limits = limits or YamlLimits()
    if text.startswith("\ufeff"):
        text = text[1:]
    # The estimate never exceeds len(text) + 1: a text that short cannot be over the limit.
    estimate = _limits.estimate_nodes(text) if len(text) >= limits.max_nodes else 0
    if estimate > limits.max_nodes:
        raise SourceError(
            f"document has about {estimate:,} values, over the {limits.max_nodes:,} limit "
            "(max-nodes)"
        )
    safe_depth = min(limits.max_depth, _limits.COMPOSER_SAFE_DEPTH)
    if _limits.nesting_bound(text) > _limits.COMPOSER_SAFE_DEPTH:
        deep = _limits.scan_depth(text, safe_depth, _Loader)
        if deep is not None:
            raise SourceError(f"nesting deeper than {safe_depth} levels (max-depth)", *deep)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.composer.ComposerError as error:
        line, column = _problem_position(error)
        # "expected a single document in the stream" + "but found another document"
        parts = [getattr(error, "context", None), getattr(error, "problem", None)]
        problem = ", ".join(part for part in parts if part) or str(error)
        raise SourceError(f"YAML: {problem}", line, column) from None
    except yaml.YAMLError as error:
        line, column = _problem_position(error)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        if "maximum nesting depth" in problem:
            # libyaml >= 0.2.6 (PyYAML 6.0.4 wheels) stops at its own depth limit first.
            problem = f"nesting deeper than libyaml's limit ({problem}; max-depth)"
            raise SourceError(problem, line, column) from None
        raise SourceError(f"YAML syntax error: {problem}", line, column) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise SourceError(f"cannot parse: {type(error).__name__}: {error}") from None
    if node is None:
        return None
    try:
        return _Builder(limits, duplicates).build(node)
    except RecursionError:
        raise SourceError("nesting too deep to read") from None


def load_json(
    text: str, limits: YamlLimits | None = None, duplicates: list[Duplicate] | None = None
) -> Any:
    """Parse JSON with positions, through the YAML composer.

    JSON is YAML flow syntax except that YAML forbids tabs as indentation; a tab can only
    appear as whitespace in valid JSON (inside strings it must be escaped), so replacing tabs
    by spaces keeps every column and every value.
    """
    return load_yaml(text.replace("\t", " "), limits, duplicates)
