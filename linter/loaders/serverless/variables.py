"""Resolve Serverless Framework variables (`${self:...}`, `${opt:stage, 'dev'}`, `${file()}`).

Why resolve natively instead of running the framework: a linter must not execute the user's
Node code or reach the network. So the sources that only need the configuration itself (`self`,
`opt`, `sls:stage`, `file` of YAML/JSON, `param` from `--var`, `env` when allowed) are computed,
and everything that needs a deployed account (`ssm`, `cf`, `s3`, `aws`, plugin sources, `.js`
files) becomes an explicit `Unknown`, never a guess.

Locations: a resolved scalar keeps the position of the `${...}` the user wrote (it lives in the
parent mapping's `value_marks`). Containers read from an included file keep *their own* marks,
tagged with that file (`FileMark`), so a statement written in `iam.yml` is reported in `iam.yml`.

Hostile input: includes never leave the allowed root (checked after resolving symlinks), loops
are stopped, and depth, include count and the total number of substitutions are bounded.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sls_lint.model.values import Unknown
from sls_lint.sources.files import display_path
from sls_lint.sources.located import LDict, LList, Mark
from sls_lint.sources.yaml_source import SourceError, YamlLimits, load_json, load_yaml

MAX_INCLUDE_DEPTH = 10
MAX_INCLUDES = 200
MAX_INCLUDE_BYTES = 2 * 1024 * 1024
MAX_SUBSTITUTIONS = 100_000
MAX_VARIABLE_NESTING = 20
MAX_STRING = 1_000_000

DEFAULT_STAGE = "dev"
DEFAULT_REGION = "us-east-1"

# Sources whose value only exists in an AWS account or a plugin: always Unknown.
_DEPLOY_TIME_SOURCES = {"ssm", "cf", "s3", "aws", "secretsmanager", "sls"}
# Values from these sources are not literals written in the file (secret rules care).
_EXTERNAL_SOURCES = {"env", "ssm", "secretsmanager", "s3", "cf", "param"}

_SOURCE = re.compile(r"^(?P<type>[A-Za-z][\w-]*)(?:\((?P<params>[^)]*)\))?(?::(?P<address>.*))?$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_CFN_NAME = re.compile(r"[A-Za-z0-9_.]+")
_BRACES = re.compile(r"\$\{|[{}]")


class FileMark(Mark):
    """A `Mark` in another file than the service file (a `${file()}` include).

    The loader turns these into `Location(file, mark)` once the graph is built, so reporters
    show the included file's line and text.
    """

    file: str


def file_mark(mark: Mark, file: str) -> FileMark:
    tagged = FileMark(*mark)
    tagged.file = file
    return tagged


class Derived(str):
    """A string computed from a value that is not written in the configuration.

    (`${env:X}`, or text around an unresolved `${ssm:...}`.) It reads like any string, but
    the loader reports environment values of this kind as `Reference`, not as literals.
    """


@dataclass
class VariableProblem:
    """Something the user should see (reading outside the project, an include loop)."""

    message: str
    file: str
    mark: Mark | None


@dataclass
class _Missing:
    """A source that has no value (so a fallback applies)."""


MISSING = _Missing()


@dataclass
class VariableContext:
    """What variable resolution may know: CLI options, the environment switch, roots."""

    service_file: Path
    display: str
    stage: str | None = None
    region: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    resolve_env: bool = False
    project_root: Path | None = None
    yaml_limits: YamlLimits = field(default_factory=YamlLimits)
    environ: Callable[[str], str | None] = os.environ.get


class VariableResolver:
    """Resolves every variable of one service configuration, lazily and at most once each."""

    def __init__(self, config: LDict, context: VariableContext) -> None:
        self.raw = config
        self.context = context
        self.problems: list[VariableProblem] = []
        self.texts: dict[str, str] = {}  # display path of each included file -> its text
        self._done: dict[int, Any] = {}  # id(raw container) -> resolved container
        self._active: set[int] = set()  # containers being resolved (self-reference loops)
        self._active_paths: list[str] = []  # `self:` addresses being resolved
        self._files: dict[Path, Any] = {}
        self._include_stack: list[Path] = []
        self._budget = MAX_SUBSTITUTIONS
        self._current_file = context.display
        self._current_dir: Path | None = None  # None: the service file's directory
        self._budget_reported = False
        self._walk_cache: dict[tuple[int, str], Any] = {}
        self._real_paths: dict[tuple[Path, str], Path] = {}  # (directory, name) -> resolved
        self._displays: dict[Path, str] = {}

    # Resolving a path costs a system call per component: only services that include files
    # need these, so they are computed on first use.
    @cached_property
    def service_dir(self) -> Path:
        return self.context.service_file.parent.resolve()

    @cached_property
    def root(self) -> Path:
        root = self.context.project_root
        return root.resolve() if root is not None else self.service_dir

    # -- public ---------------------------------------------------------------------------
    def resolve_config(self) -> LDict:
        """The configuration with every variable replaced by its value (or `Unknown`)."""
        resolved = self.value(self.raw)
        return resolved if isinstance(resolved, LDict) else LDict(mark=self.raw.mark)

    def stage(self) -> str:
        """`--stage`, else `provider.stage`, else the framework's default `dev`."""
        if self.context.stage:
            return self.context.stage
        value = self._self_path("provider.stage")
        return value if isinstance(value, str) and value else DEFAULT_STAGE

    def region(self) -> str:
        if self.context.region:
            return self.context.region
        value = self._self_path("provider.region")
        return value if isinstance(value, str) and value else DEFAULT_REGION

    # -- containers -------------------------------------------------------------------------
    def value(self, raw: Any, depth: int = 0) -> Any:
        """Resolve `raw` (a container is resolved deeply, keeping its marks)."""
        if isinstance(raw, str):
            return self.string(raw, None, depth)
        if not isinstance(raw, (LDict, LList)):
            return raw
        key = id(raw)
        if key in self._done:
            return self._done[key]
        if key in self._active:
            return Unknown("configuration refers to itself")
        self._active.add(key)
        try:
            result: Any = self._container(raw, depth)
        finally:
            self._active.discard(key)
        self._done[key] = result
        self._done[id(result)] = result  # resolving a resolved container is a no-op
        return result

    def _container(self, raw: LDict | LList, depth: int) -> LDict | LList:
        """`raw` resolved; `raw` itself when nothing in it changes (most of a configuration
        has no variables, and a copy would only cost time and memory)."""
        if isinstance(raw, LList):
            values = [
                self._item(item, raw.mark_of(index), depth)
                if not isinstance(item, str) or "${" in item
                else item
                for index, item in enumerate(raw)
            ]
            if all(new is old for new, old in zip(values, raw, strict=True)):
                return raw
            items = LList(values, mark=raw.mark)
            items.item_marks = [raw.mark_of(index) for index in range(len(raw))]
            return items
        # (key, resolved key, value) of every entry, collected from the first change on only:
        # an unchanged mapping (most of them) costs no list at all.
        entries: list[tuple[Any, Any, Any]] | None = None
        for position, (name, item) in enumerate(raw.items()):
            resolved_key = name
            key_changed = "${" in (name if isinstance(name, str) else str(name))
            if key_changed:
                resolved_key = self.string(name, raw.key_mark(name), depth)
                if not isinstance(resolved_key, (str, int, float, bool)) or resolved_key is None:
                    resolved_key = str(name)
            if isinstance(item, str):
                value = self.string(item, raw.mark_of(name), depth) if "${" in item else item
            elif isinstance(item, (LDict, LList)):
                value = self.value(item, depth + 1)
            else:
                value = item  # a scalar, or a container without marks (left as it is)
            if entries is None:
                if not key_changed and value is item:
                    continue
                entries = [(k, k, v) for k, v in itertools.islice(raw.items(), position)]
            entries.append((name, resolved_key, value))
        if entries is None:
            return raw
        mapping = LDict(mark=raw.mark)
        for name, resolved_key, value in entries:
            mapping[resolved_key] = value
            mapping.key_marks[resolved_key] = raw.key_mark(name)
            mapping.value_marks[resolved_key] = raw.mark_of(name)
        return mapping

    def _item(self, item: Any, mark: Mark | None, depth: int) -> Any:
        if isinstance(item, str):
            return self.string(item, mark, depth)
        return self.value(item, depth + 1)

    # -- strings ----------------------------------------------------------------------------
    def string(self, text: str, mark: Mark | None, depth: int = 0) -> Any:
        """A string with its variables replaced; a lone variable keeps its value's type."""
        if "${" not in text:
            return text
        spans = [
            (start, end)
            for start, end in _variable_spans(text)
            if not _is_cfn_placeholder(text[start + 2 : end - 1])
        ]
        if not spans:
            return text
        if len(spans) == 1 and spans[0] == (0, len(text)):
            value = self._variable(text[2:-1], mark, depth)
            if isinstance(value, Unknown) and value.source is None:
                value.source = text  # the same `${ssm:...}` twice is the same value (SLS208)
            return value
        parts: list[str] = []
        derived = False
        last = 0
        for start, end in spans:
            parts.append(text[last:start])
            value = self._variable(text[start + 2 : end - 1], mark, depth)
            if isinstance(value, (Unknown, dict, list)) or value is MISSING:
                parts.append(text[start:end])  # left as written: not a literal
                derived = True
            else:
                derived = derived or isinstance(value, Derived)
                parts.append(_text_of(value))
            last = end
        parts.append(text[last:])
        joined = "".join(parts)
        if len(joined) > MAX_STRING:
            return Unknown("string longer than the limit after substitution")
        return Derived(joined) if derived else joined

    def _variable(self, body: str, mark: Mark | None, depth: int) -> Any:
        """The value of one `${...}` body (its sources tried in order)."""
        if depth > MAX_VARIABLE_NESTING:
            return Unknown("variables nested too deeply")
        self._budget -= 1
        if self._budget < 0:
            if not self._budget_reported:
                self._budget_reported = True
                self._problem(f"more than {MAX_SUBSTITUTIONS} variable substitutions", mark)
            return Unknown("variable budget exhausted")
        if _is_cfn_placeholder(body):
            return Unknown("CloudFormation substitution")  # `${AWS::Region}` in a !Sub
        result: Any = MISSING
        for source in _split_sources(body):
            resolved_source = self.string(source, mark, depth + 1) if "${" in source else source
            if isinstance(resolved_source, Unknown):
                return resolved_source
            result = self._source(str(resolved_source).strip(), mark, depth + 1)
            if result is not MISSING and result is not None:
                return result
        if result is None:
            return None
        return Unknown(f"no value for ${{{body}}}")

    def _source(self, source: str, mark: Mark | None, depth: int) -> Any:
        literal = _literal(source)
        if literal is not MISSING:
            return literal
        match = _SOURCE.match(source)
        if match is None:
            return Unknown(f"unsupported variable {source!r}")
        kind, params, address = match["type"], match["params"], match["address"]
        address = (address or "").strip()
        if kind == "self":
            return self._self_path(address, depth)
        if kind == "opt":
            return self._option(address)
        if kind == "sls":
            if address == "stage":
                return self.stage()
            return Unknown(f"sls:{address} is known at deploy time")
        if kind == "env":
            return self._env(address)
        if kind == "param":
            return self._param(address, depth)
        if kind == "file":
            return self._file(params or "", address, mark, depth)
        if kind == "strToBool":
            text = str(params or "").strip().strip("'\"").lower()
            return {"true": True, "false": False, "1": True, "0": False}.get(text, MISSING)
        if kind in _DEPLOY_TIME_SOURCES:
            return Unknown(f"{kind}: is resolved at deploy time")
        return Unknown(f"variable source {kind!r} (a plugin?) is not evaluated")

    def _option(self, name: str) -> Any:
        if name == "stage":
            return self.context.stage or MISSING
        if name == "region":
            return self.context.region or MISSING
        if name in self.context.variables:
            return self.context.variables[name]
        return MISSING

    def _env(self, name: str) -> Any:
        if not self.context.resolve_env:
            return Unknown(f"env:{name} (environment variables are not read)")
        value = self.context.environ(name)
        return Derived(value) if value is not None else MISSING

    def _param(self, name: str, depth: int) -> Any:
        if name in self.context.variables:
            return self.context.variables[name]
        for scope in (self.stage(), "default"):
            value = self._self_path(f"params.{scope}.{name}", depth)
            if value is not MISSING and not isinstance(value, Unknown):
                return value
        return Unknown(f"param:{name} comes from the dashboard or --param")

    # -- self ------------------------------------------------------------------------------
    def _self_path(self, address: str, depth: int = 0) -> Any:
        """The resolved value at `address` (`custom.tableName`) of the main configuration."""
        if address in self._active_paths:
            return Unknown(f"self:{address} refers to itself")
        self._active_paths.append(address)
        saved = (self._current_file, self._current_dir, self._include_stack)
        # `self:` starts a new chain from the service file; re-entering a file being resolved
        # is then caught as a self-reference (`_active`), not misreported as an include loop.
        self._current_file, self._current_dir = self.context.display, None
        self._include_stack = []
        try:
            return self._walk(self.raw, address, depth)
        finally:
            self._current_file, self._current_dir, self._include_stack = saved
            self._active_paths.pop()

    def _walk(self, start: Any, address: str, depth: int) -> Any:
        """Follow `address` through raw containers, resolving only the steps taken.

        Resolving the whole document first would make every `${self:...}` inside it depend on
        the document itself; walking lazily only loops when the user's values really do.
        """
        key = (id(start), address)
        if key in self._walk_cache:
            return self._walk_cache[key]
        current: Any = start
        for part in [p for p in address.split(".") if p != ""]:
            if isinstance(current, str):
                current = self.string(current, None, depth + 1)
            if isinstance(current, Unknown) or current is MISSING:
                return current
            if isinstance(current, list) and part.isdigit():
                index = int(part)
                current = current[index] if index < len(current) else MISSING
            elif isinstance(current, dict):
                current = current.get(part, MISSING)
            else:
                current = MISSING
        result = current if current is MISSING else self.value(current, depth + 1)
        self._walk_cache[key] = result
        return result

    # -- file ------------------------------------------------------------------------------
    def _file(self, params: str, address: str, mark: Mark | None, depth: int) -> Any:
        name = params.strip().strip("'\"")
        if not name:
            return Unknown("file() without a path")
        if "${" in name:
            resolved = self.string(name, mark, depth + 1)
            if not isinstance(resolved, str):
                return Unknown("file() path is not known")
            name = str(resolved)
        base = self._current_dir or self.service_dir
        real = self._real_paths.get((base, name))
        if real is None:
            target = (base / name) if not os.path.isabs(name) else Path(name)
            try:
                real = target.resolve()
            except (OSError, RuntimeError):
                return Unknown(f"cannot resolve {name}")
            self._real_paths[(base, name)] = real
        if not _inside(real, self.root):
            self._problem(f"${{file({name})}} points outside the project root; not read", mark)
            return Unknown("file outside the project root")
        if real.suffix.lower() in (".js", ".cjs", ".mjs", ".ts"):
            return Unknown(f"{name} is code; it is never executed")
        if real in self._include_stack:
            self._problem(f"${{file({name})}} includes itself (loop)", mark)
            return Unknown("include loop")
        if len(self._include_stack) >= MAX_INCLUDE_DEPTH:
            self._problem(f"includes nested deeper than {MAX_INCLUDE_DEPTH} files", mark)
            return Unknown("includes nested too deeply")
        document = self._read_include(real, name, mark)
        if document is MISSING or isinstance(document, Unknown):
            return document
        self._include_stack.append(real)
        saved = (self._current_file, self._current_dir)
        self._current_file, self._current_dir = self._display(real), real.parent
        try:
            return self._walk(document, address, depth)
        finally:
            self._current_file, self._current_dir = saved
            self._include_stack.pop()

    def _read_include(self, real: Path, name: str, mark: Mark | None) -> Any:
        if real in self._files:
            return self._files[real]
        if len(self._files) >= MAX_INCLUDES:
            self._problem(f"more than {MAX_INCLUDES} included files", mark)
            return Unknown("too many includes")
        if not real.is_file():
            self._files[real] = MISSING  # the framework resolves a missing file to null
            return MISSING
        try:
            if real.stat().st_size > MAX_INCLUDE_BYTES:
                self._problem(f"{name} is over {MAX_INCLUDE_BYTES:,} bytes; not read", mark)
                return Unknown("include too large")
            text = real.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            self._problem(f"cannot read {name}: {error}", mark)
            return Unknown("unreadable include")
        display = self._display(real)
        document: Any
        if real.suffix.lower() in (".yml", ".yaml", ".json"):
            parse = load_json if real.suffix.lower() == ".json" else load_yaml
            try:
                document = parse(text, self.context.yaml_limits)
            except SourceError as error:
                self.texts[display] = text
                self.problems.append(
                    VariableProblem(
                        error.message,
                        display,
                        Mark(error.line, error.column, error.line, error.column + 1),
                    )
                )
                document = Unknown("unparsable include")
            else:
                self.texts[display] = text
                _tag_marks(document, display)
        else:
            document = text
        self._files[real] = document
        return document

    def _display(self, real: Path) -> str:
        display = self._displays.get(real)
        if display is None:
            display = self._displays[real] = display_path(real)
        return display

    def _problem(self, message: str, mark: Mark | None) -> None:
        file = getattr(mark, "file", None) or self._current_file
        self.problems.append(VariableProblem(message, file, mark))


# -- parsing helpers -------------------------------------------------------------------------
def _variable_spans(text: str) -> list[tuple[int, int]]:
    """Outermost `${...}` spans, honouring nesting (`${self:a.${opt:stage}}`)."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    # Only `${`, `{` and `}` matter: jump from one to the next instead of reading every char.
    for match in _BRACES.finditer(text):
        token = match.group()
        if depth == 0:
            if token != "${":
                continue  # text between variables
            start = match.start()
        if token == "}":
            depth -= 1
            if depth == 0:
                spans.append((start, match.end()))
        else:
            depth += 1
    return spans


def _split_sources(body: str) -> list[str]:
    """`self:a, opt:b, 'x'` -> the sources, splitting on top-level commas only."""
    if "," not in body:
        stripped = body.strip()
        return [stripped] if stripped else []
    sources: list[str] = []
    depth = 0
    quote = ""
    current: list[str] = []
    for char in body:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
        elif char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        elif char == "," and depth == 0:
            sources.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    sources.append("".join(current).strip())
    return [s for s in sources if s != ""]


def _literal(source: str) -> Any:
    if len(source) >= 2 and source[0] == source[-1] and source[0] in "'\"":
        return source[1:-1]
    if _NUMBER.match(source):
        return float(source) if "." in source else int(source)
    if source in ("true", "false"):
        return source == "true"
    if source == "null":
        return None
    return MISSING


def _is_cfn_placeholder(body: str) -> bool:
    """`${AWS::Region}`, `${MyBucket}`, `${MyRole.Arn}`: CloudFormation's own `Fn::Sub`."""
    return "::" in body or _CFN_NAME.fullmatch(body) is not None


def _text_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _tag_marks(value: Any, file: str, depth: int = 0) -> None:
    """Tag every mark of an included document with its file."""
    if depth > 500:
        return
    if isinstance(value, LDict):
        value.mark = file_mark(value.mark, file)
        value.key_marks = {k: file_mark(m, file) for k, m in value.key_marks.items()}
        value.value_marks = {k: file_mark(m, file) for k, m in value.value_marks.items()}
        for item in value.values():
            _tag_marks(item, file, depth + 1)
    elif isinstance(value, LList):
        value.mark = file_mark(value.mark, file)
        value.item_marks = [file_mark(m, file) for m in value.item_marks]
        for item in value:
            _tag_marks(item, file, depth + 1)


__all__ = [
    "DEFAULT_REGION",
    "DEFAULT_STAGE",
    "Derived",
    "FileMark",
    "VariableContext",
    "VariableProblem",
    "VariableResolver",
]
