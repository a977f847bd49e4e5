"""A small, safe evaluator for Terraform expressions over the located syntax tree.

No `eval`, no network, no subprocess: it walks the tree of `hcl` and computes what
can be known before `apply` - literals, variables, locals, module inputs and outputs, string
templates, conditionals, `for` expressions and the functions of `functions` - and
keeps everything else symbolic (`TfRef`, `Interp`) or `Unknown`. Objects and blocks become
`TfDict`s whose marks point at the file and line each value was written on.

The evaluator asks its module (a `ModuleScope`, implemented by `module.Module`) for
variables, locals, resources and child modules; it never looks at files itself except
through `module.read_file` (which keeps reads inside the project root).
"""

from __future__ import annotations

import operator
from typing import Any

from sls_lint.loaders.terraform import functions
from sls_lint.loaders.terraform.embedded_json import parse_json_text
from sls_lint.loaders.terraform.hcl import split_template
from sls_lint.loaders.terraform.scope import ModuleScope
from sls_lint.loaders.terraform.values import (
    Encoded,
    Interp,
    SourceText,
    TfDict,
    TfRef,
    file_mark,
    is_symbolic,
    new_list,
    plain,
)
from sls_lint.model.values import Choice, Unknown
from sls_lint.sources.located import LDict, LList, Mark

MAX_DEPTH = 120
META_ATTRIBUTES = frozenset({"count", "for_each", "depends_on", "provider", "providers"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection", "precondition", "postcondition"})
UNKNOWN_KEY = "*"

_COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}
_ARITHMETIC = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "%": operator.mod,
}


class Namespace:
    """A bare name that only means something with an attribute: `var`, `aws_iam_role`, `data`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class ResourceValue:
    """A whole resource, data source or instance (`aws_lambda_function.f`, `...f["a"]`)."""

    __slots__ = ("address", "module", "kind", "key")

    def __init__(self, address: str, module: ModuleScope, kind: str, key: str) -> None:
        self.address = address  # full address, with module prefix and instance key
        self.module = module
        self.kind = kind  # "resource" or "data"
        self.key = key  # "aws_lambda_function.f" (the declaration inside its module)


class ModuleValue:
    """A module call (`module.api`, `module.api["eu"]`): its attributes are its outputs."""

    __slots__ = ("module", "name", "key")

    def __init__(self, module: ModuleScope, name: str, key: Any = None) -> None:
        self.module = module
        self.name = name
        self.key = key


def instance_suffix(key: Any) -> str:
    """The address suffix of an instance key: `[0]`, `["a"]`, `[*]` (unknown), or ''."""
    if key is None:
        return ""
    if key == UNKNOWN_KEY:
        return "[*]"
    if isinstance(key, int) and not isinstance(key, bool):
        return f"[{key}]"
    text = str(key).replace("\\", "\\\\").replace('"', '\\"')
    return f'["{text}"]'


class Evaluator:
    """Evaluates expressions of one module instance in a scope of local names."""

    def __init__(self, module: ModuleScope, file: str, names: dict[str, Any] | None = None) -> None:
        self.module = module
        self.file = file
        self.names = names or {}
        self.depth = 0

    def with_names(self, names: dict[str, Any], file: str | None = None) -> Evaluator:
        return Evaluator(self.module, file or self.file, {**self.names, **names})

    def mark(self, span: list[int]) -> Mark:
        return file_mark(span, self.file)

    # -- expressions ----------------------------------------------------------------------
    def evaluate(self, expr: Any) -> Any:
        """The value of `expr`; never raises for odd input (it becomes `Unknown`)."""
        if not isinstance(expr, list) or len(expr) < 2:
            return Unknown("malformed expression")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH or self.module.loader.exhausted():
                return Unknown("expression too deep or too costly to evaluate")
            handler = _HANDLERS.get(expr[0])
            if handler is None:
                return Unknown(f"unsupported expression {expr[0]}")
            return handler(self, expr)
        finally:
            self.depth -= 1

    def value(self, expr: Any) -> Any:
        """Like `evaluate`, but a bare namespace (`var` alone) is Unknown."""
        result = self.evaluate(expr)
        return Unknown(f"{result.name} is not a value") if isinstance(result, Namespace) else result

    def _lit(self, expr: list) -> Any:
        value = expr[2]
        if isinstance(value, str) and ("{" in value or "\n" in value):
            return SourceText(value, self.file, expr[1][0], expr[1][1] + 1)
        return value

    def _tmpl(self, expr: list) -> Any:
        origin = expr[3] if len(expr) > 3 else [expr[1][0], expr[1][1] + 1, 0]
        parts = [p if isinstance(p, str) else self.value(p) for p in expr[2]]
        result = functions.make_string(parts)
        if isinstance(result, str):
            return SourceText(result, self.file, origin[0], origin[1], origin[2])
        if isinstance(result, Interp):
            result.origin = SourceText(result.text(), self.file, origin[0], origin[1], origin[2])
        return result

    def _tuple(self, expr: list) -> LList:
        items = []
        marks = []
        for item in expr[2][: functions.MAX_ITEMS]:
            items.append(self.value(item))
            marks.append(self.mark(item[1]))
        return new_list(items, marks, self.mark(expr[1]))

    def _object(self, expr: list) -> Any:
        result = TfDict(mark=self.mark(expr[1]))
        for key_expr, value_expr in expr[2][: functions.MAX_ITEMS]:
            if key_expr[0] == "name":
                key: Any = key_expr[2]
            else:
                key = self.value(key_expr)
                if isinstance(key, (int, float)) and not isinstance(key, bool):
                    key = str(key)
            if not isinstance(key, str):
                continue  # a key known only at apply time
            key = str(key)
            result[key] = self.value(value_expr)
            result.key_marks[key] = self.mark(key_expr[1])
            result.value_marks[key] = self.mark(value_expr[1])
            if is_literal(value_expr):
                result.literal_keys.add(key)
        return result

    def _name(self, expr: list) -> Any:
        name = expr[2]
        if name in self.names:
            return self.names[name]
        return Namespace(name)

    def _get(self, expr: list) -> Any:
        return self.get(self.evaluate(expr[2]), expr[3])

    def _index(self, expr: list) -> Any:
        return self.index(self.evaluate(expr[2]), self.value(expr[3]))

    def _splat(self, expr: list) -> Any:
        target = self.evaluate(expr[2])
        if isinstance(target, ResourceValue):
            elements = [
                ResourceValue(
                    target.address + instance_suffix(k), target.module, target.kind, target.key
                )
                for k, _v in target.module.instances(target.kind, target.key)
            ]
            marks = [self.mark(expr[1])] * len(elements)
        elif isinstance(target, list):
            elements = list(target)
            marks = [
                target.mark_of(i) if isinstance(target, LList) else self.mark(expr[1])
                for i in range(len(target))
            ]
        elif target is None:
            elements, marks = [], []
        elif is_symbolic(target) or isinstance(target, Namespace):
            return Unknown("splat of an unknown value")
        else:
            elements, marks = [target], [self.mark(expr[1])]
        results = []
        for element in elements:
            for op in expr[3]:
                element = (
                    self.get(element, op[1])
                    if op[0] == "get"
                    else self.index(element, self.value(op[1]))
                )
            results.append(element)
        return new_list(results, marks, self.mark(expr[1]))

    def _call(self, expr: list) -> Any:
        name = expr[2]
        if name in ("try", "can"):
            return self._try(expr[3], name == "can")
        args = [self.value(a) for a in expr[3]]
        if expr[4] and args:
            last = args.pop()
            if not isinstance(last, list):
                return Unknown(f"{name}(...) expansion of an unknown list")
            args.extend(last)
        special = _SPECIAL_FUNCTIONS.get(name)
        if special is not None:
            return special(self, args)
        return functions.call(name, args)

    def _try(self, args: list, can: bool) -> Any:
        for arg in args:
            value = self.value(arg)
            if not isinstance(value, Unknown):
                return True if can else value
        return Unknown("try() of values unknown before apply")

    def _cond(self, expr: list) -> Any:
        test = self.value(expr[2])
        if isinstance(test, bool):
            return self.value(expr[3] if test else expr[4])
        if test is None:
            return self.value(expr[4])
        yes, no = self.value(expr[3]), self.value(expr[4])
        if not is_symbolic(yes) and not is_symbolic(no) and plain(yes) == plain(no):
            return yes
        return Choice([yes, no])

    def _binop(self, expr: list) -> Any:
        op = expr[2]
        left = self.value(expr[3])
        if op == "&&" and left is False:
            return False
        if op == "||" and left is True:
            return True
        right = self.value(expr[4])
        if op in ("&&", "||"):
            if isinstance(left, bool) and isinstance(right, bool):
                return (left and right) if op == "&&" else (left or right)
            if op == "&&" and right is False:
                return False
            if op == "||" and right is True:
                return True
            return Unknown("logic on unknown values")
        if (
            is_symbolic(left)
            or is_symbolic(right)
            or isinstance(left, Encoded)
            or isinstance(right, Encoded)
        ):
            return Unknown(f"{op} on values unknown before apply")
        if op in ("==", "!="):
            return _COMPARE[op](plain(left), plain(right))
        left_n, right_n = _number(left), _number(right)
        if left_n is None or right_n is None:
            return Unknown(f"{op} on values that are not numbers")
        try:
            if op in _COMPARE:
                return _COMPARE[op](left_n, right_n)
            result = _ARITHMETIC[op](left_n, right_n)
        except (ZeroDivisionError, OverflowError, KeyError, TypeError):
            return Unknown(f"{op} cannot be evaluated")
        return (
            int(result)
            if isinstance(result, float) and result.is_integer() and op != "/"
            else result
        )

    def _unary(self, expr: list) -> Any:
        value = self.value(expr[3])
        if expr[2] == "!":
            return (not value) if isinstance(value, bool) else Unknown("! of an unknown value")
        number = _number(value)
        return -number if number is not None else Unknown("- of an unknown value")

    def _for(self, expr: list) -> Any:
        _tag, span, key_var, value_var, collection, key_expr, value_expr, condition, group = expr
        source = self.value(collection)
        if isinstance(source, dict):
            pairs = [
                (k, v, source.mark_of(k) if isinstance(source, LDict) else None)
                for k, v in source.items()
            ]
        elif isinstance(source, list):
            pairs = [
                (i, v, source.mark_of(i) if isinstance(source, LList) else None)
                for i, v in enumerate(source)
            ]
        elif source is None:
            pairs = []
        else:
            return Unknown("for expression over a value unknown before apply")
        identity = value_expr[0] == "name" and value_expr[2] == value_var
        items: list[Any] = []
        marks: list[Mark] = []
        result = TfDict(mark=self.mark(span)) if key_expr is not None else None
        for key, value, source_mark in pairs[: functions.MAX_ITEMS]:
            names = {value_var: value}
            if key_var is not None:
                names[key_var] = key
            scoped = self.with_names(names)
            if condition is not None:
                keep = scoped.value(condition)
                if not isinstance(keep, bool):
                    return Unknown("for expression filter unknown before apply")
                if not keep:
                    continue
            item = scoped.value(value_expr)
            mark = source_mark if identity and source_mark is not None else self.mark(value_expr[1])
            if result is None:
                items.append(item)
                marks.append(mark)
                continue
            out_key = scoped.value(key_expr)
            if not isinstance(out_key, str):
                return Unknown("for expression with keys unknown before apply")
            if group:
                bucket = result.get(out_key)
                if not isinstance(bucket, LList):
                    bucket = new_list([], [], mark)
                    result[out_key] = bucket
                bucket.append(item)
                bucket.item_marks.append(mark)
            else:
                result[out_key] = item
            result.value_marks[out_key] = mark
        return result if result is not None else new_list(items, marks, self.mark(span))

    def _bad(self, expr: list) -> Any:
        return Unknown(str(expr[2]))

    # -- attribute access -------------------------------------------------------------------
    def get(self, target: Any, name: str) -> Any:
        """`target.name`."""
        if isinstance(target, Namespace):
            return self.module.lookup(target.name, name, self)
        if isinstance(target, ResourceValue):
            return TfRef(target.address, name)
        if isinstance(target, ModuleValue):
            return target.module.module_output(target.name, target.key, name)
        if isinstance(target, TfRef):
            return TfRef(target.address, f"{target.attribute}.{name}")
        if isinstance(target, dict):
            return target[name] if name in target else Unknown(f"no attribute {name}")
        if isinstance(target, Unknown):
            return target
        return Unknown(f"attribute {name} of a value unknown before apply")

    def index(self, target: Any, key: Any) -> Any:
        """`target[key]`."""
        if isinstance(key, Unknown) or is_symbolic(key):
            if isinstance(target, ResourceValue):
                return ResourceValue(
                    target.address + instance_suffix(UNKNOWN_KEY),
                    target.module,
                    target.kind,
                    target.key,
                )
            return Unknown("index unknown before apply")
        if isinstance(target, ResourceValue):
            return ResourceValue(
                target.address + instance_suffix(key), target.module, target.kind, target.key
            )
        if isinstance(target, ModuleValue):
            return ModuleValue(target.module, target.name, key)
        if isinstance(target, TfRef):
            return TfRef(target.address, f"{target.attribute}[{key}]")
        if isinstance(target, list):
            number = _number(key)
            if isinstance(number, int) and -len(target) <= number < len(target):
                return target[number]
            return Unknown("index out of range")
        if isinstance(target, dict):
            text = str(key) if not isinstance(key, bool) else ("true" if key else "false")
            return target[text] if text in target else Unknown(f"no key {text}")
        return Unknown("index of a value unknown before apply")

    # -- bodies ---------------------------------------------------------------------------
    def body(self, items: list, span: list[int], skip_meta: bool = True) -> TfDict:
        """A block body: attributes as keys, nested blocks as lists under their type.

        An argument whose value is `null` is left out, as Terraform does: `not_actions =
        try(each.value.not_actions, null)` means "no NotAction", not "an empty NotAction".
        """
        result = TfDict(mark=self.mark(span))
        result_unknown: set[str] = set()
        for item in items:
            if item[0] == "attr":
                name = item[2]
                if skip_meta and name in META_ATTRIBUTES:
                    continue
                value = self.value(item[3])
                if self.module.prefix:
                    self.module.note_expression(self.file, item[3])
                if value is None:
                    continue  # Terraform: an argument that is null is not set at all
                result[name] = value
                result.key_marks[name] = self.mark(item[1])
                result.value_marks[name] = self.mark(item[3][1])
                if is_literal(item[3]):
                    result.literal_keys.add(name)
            elif item[0] == "block":
                kind, labels, inner = item[2], item[3], item[4]
                if kind in META_BLOCKS:
                    continue
                if kind == "dynamic" and labels:
                    if not self._dynamic(result, labels[0], inner, item[1]):
                        result_unknown.add(labels[0])
                    continue
                self._add_block(result, kind, self.body(inner, item[1]), item[1])
        result.unknown_blocks = result_unknown
        return result

    def _add_block(self, result: TfDict, kind: str, block: TfDict, span: list[int]) -> None:
        blocks = result.get(kind)
        if not isinstance(blocks, LList):
            blocks = new_list([], [], self.mark(span))
            result[kind] = blocks
            result.key_marks[kind] = self.mark(span)
            result.value_marks[kind] = self.mark(span)
        blocks.append(block)
        blocks.item_marks.append(self.mark(span))

    def _dynamic(self, result: TfDict, kind: str, items: list, span: list[int]) -> bool:
        """Expand a `dynamic` block; False when its `for_each` is unknown before apply."""
        attributes = {i[2]: i[3] for i in items if i[0] == "attr"}
        content = next((i for i in items if i[0] == "block" and i[2] == "content"), None)
        if "for_each" not in attributes or content is None:
            return True
        iterator = kind
        if "iterator" in attributes and attributes["iterator"][0] == "name":
            iterator = attributes["iterator"][2]
        source = self.value(attributes["for_each"])
        if isinstance(source, dict):
            pairs = list(source.items())
        elif isinstance(source, list):
            pairs = list(enumerate(source))
        else:
            return source is None  # null: no blocks; anything else is unknown before apply
        for key, value in pairs[: functions.MAX_ITEMS]:
            names = {iterator: {"key": key, "value": value}}
            block = self.with_names(names).body(content[4], content[1])
            self._add_block(result, kind, block, content[1])
        return True


def is_literal(expr: list) -> bool:
    """True for a value written literally (`"x"`, `3`, `true`), not computed."""
    return expr[0] == "lit" or (expr[0] == "tmpl" and all(isinstance(p, str) for p in expr[2]))


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return None
    return None


# -- functions that need the module -------------------------------------------------------------
def _file(evaluator: Evaluator, args: list[Any]) -> Any:
    if len(args) != 1 or not isinstance(args[0], str):
        return Unknown("file() of a path unknown before apply")
    return evaluator.module.read_file(str(args[0]))


def _fileexists(evaluator: Evaluator, args: list[Any]) -> Any:
    if len(args) != 1 or not isinstance(args[0], str):
        return Unknown("fileexists() of an unknown path")
    return not isinstance(evaluator.module.read_file(str(args[0])), Unknown)


def _templatefile(evaluator: Evaluator, args: list[Any]) -> Any:
    if len(args) != 2 or not isinstance(args[0], str) or not isinstance(args[1], dict):
        return Unknown("templatefile() with unknown arguments")
    text = evaluator.module.read_file(str(args[0]))
    if not isinstance(text, SourceText):
        return text
    if "${" not in text and "%{" not in text:
        return text
    parts = split_template(str(text), 1, 0)
    scoped = Evaluator(evaluator.module, text.file, {str(k): v for k, v in args[1].items()})
    values = [p if isinstance(p, str) else scoped.value(p) for p in parts]
    result = functions.make_string(values)
    if isinstance(result, str):
        return SourceText(result, text.file, 1, 1)
    if isinstance(result, Interp):
        result.origin = SourceText(result.text(), text.file, 1, 1)
    return result


def _jsondecode(evaluator: Evaluator, args: list[Any]) -> Any:
    if len(args) != 1:
        return Unknown("jsondecode() needs one argument")
    value = args[0]
    if isinstance(value, Encoded):
        return value.value
    if isinstance(value, str):
        parsed = parse_json_text(value, evaluator.file)
        if parsed is not None:
            return parsed
    return Unknown("jsondecode() of a value unknown before apply")


def _basename(evaluator: Evaluator, args: list[Any]) -> Any:
    if len(args) == 1 and isinstance(args[0], str):
        return str(args[0]).rstrip("/").rsplit("/", 1)[-1]
    return Unknown("basename() of an unknown path")


_SPECIAL_FUNCTIONS = {
    "file": _file,
    "fileexists": _fileexists,
    "templatefile": _templatefile,
    "jsondecode": _jsondecode,
    "basename": _basename,
}

_HANDLERS = {
    "lit": Evaluator._lit,
    "tmpl": Evaluator._tmpl,
    "tuple": Evaluator._tuple,
    "object": Evaluator._object,
    "name": Evaluator._name,
    "get": Evaluator._get,
    "index": Evaluator._index,
    "splat": Evaluator._splat,
    "call": Evaluator._call,
    "cond": Evaluator._cond,
    "binop": Evaluator._binop,
    "unary": Evaluator._unary,
    "for": Evaluator._for,
    "bad": Evaluator._bad,
}

__all__ = [
    "Evaluator",
    "ModuleValue",
    "Namespace",
    "ResourceValue",
    "UNKNOWN_KEY",
    "instance_suffix",
    "is_literal",
]
