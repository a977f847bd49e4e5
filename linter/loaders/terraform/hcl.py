"""HCL text into a small located syntax tree (plain lists, so it can be cached as JSON).

`parse_hcl` reads a file with the fast reader (`hcl_reader`, about 1 ms for an average module
file) and, when that reader gives up, with python-hcl2: its dict API drops positions, but its
lark parse tree keeps them, and `_Converter` walks that tree once (about 7 ms per average file).
Both keep only what the Terraform evaluator needs, each node with its span, in the same
JSON-friendly shape; python-hcl2 is the reference the reader is tested against, and its error
messages are the ones users see.

Shapes (`span` is `[line, column, end_line, end_column]`, 1-based, end exclusive):

- body: a list of items; item: `["attr", span, name, expr]` or
  `["block", span, type, [label, ...], body]`
- expr: `["lit", span, value]`, `["tmpl", span, parts, origin]` (parts: literal `str` or expr;
  `origin` = `[line, column, indent]` where the template's text starts, for JSON inside it),
  `["tuple", span, items]`, `["object", span, [[key, value], ...]]`, `["name", span, name]`,
  `["get", span, obj, name]`, `["index", span, obj, key]`, `["splat", span, obj, ops]` (ops:
  `["get", name]` / `["index", expr]`), `["call", span, name, args, expand]`,
  `["cond", span, test, yes, no]`, `["binop", span, op, left, right]`,
  `["unary", span, op, expr]`, `["for", span, key_var, value_var, collection, key_expr,
  value_expr, condition, group]`, `["bad", span, reason]`.

hcl2 (and lark) are imported only when a Terraform file is actually parsed.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sls_lint.loaders.terraform.hcl_tree import (
    heredoc_node,
    merge_literals,
    unescape,
)
from sls_lint.loaders.terraform.hcl_tree import split_template as _split_template

if TYPE_CHECKING:
    from sls_lint.loaders.terraform.cache import ParseCache

MAX_DEPTH = 150


class HclError(Exception):
    """HCL that cannot be parsed; `line`/`column` point at the problem."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


_MARKER_WITH_TRAILING_BLANKS = re.compile(r"^([ \t]*[A-Za-z][A-Za-z0-9._-]*)[ \t]+$", re.M)


# Trees already built in this process, by text. Every example of a module repository calls the
# module itself (`source = "../.."`), so without this its files were parsed once per example:
# in the corpus that was half of all Terraform parsing. Trees are never mutated after parsing,
# so callers share them. Bounded: large files are not kept, the oldest entry goes first.
_MEMO_MAX_ENTRIES = 512
_MEMO_MAX_CHARS = 256 * 1024
_memo: dict[str, list[Any]] = {}


def parse_hcl(text: str, cache: ParseCache | None = None) -> list[Any]:
    """The located body of an HCL file; raises `HclError` with the offending line.

    `cache` keeps the trees only python-hcl2 could build (~7 ms a file); what the fast reader
    builds is cheaper to rebuild than to store and load.
    """
    if not _fast_reader_enabled:
        return _parse(text, cache)
    tree = _memo.get(text)
    if tree is None:
        tree = _parse(text, cache)
        if len(text) <= _MEMO_MAX_CHARS:
            if len(_memo) >= _MEMO_MAX_ENTRIES:
                del _memo[next(iter(_memo))]
            _memo[text] = tree
    return tree


def _parse(text: str, cache: ParseCache | None) -> list[Any]:
    if "<<" in text:
        # Terraform accepts blanks after a heredoc's closing marker, python-hcl2 does not;
        # dropping trailing blanks moves no line or column.
        text = _MARKER_WITH_TRAILING_BLANKS.sub(r"\1", text)
    if _fast_reader_enabled:
        from sls_lint.loaders.terraform import hcl_reader

        try:
            return hcl_reader.read_body(text)
        except hcl_reader.NotHandled:
            pass  # python-hcl2 decides: a tree the fast reader does not know, or the error
    cached = cache.get(text) if cache is not None else None
    if isinstance(cached, list):
        return cached
    body = _parse_with_lark(text)
    if cache is not None:
        cache.put(text, body)
    return body


_fast_reader_enabled = True


@contextlib.contextmanager
def lark_only() -> Iterator[None]:
    """Parse through python-hcl2 alone (fragments included): the reference in tests."""
    global _fast_reader_enabled
    saved, _fast_reader_enabled = _fast_reader_enabled, False
    try:
        yield
    finally:
        _fast_reader_enabled = saved


def _parse_with_lark(text: str) -> list[Any]:
    tree = _lark_parse(text)
    try:
        return _Converter(0, 0).body(tree.children[0], 0)
    except RecursionError:
        raise HclError("HCL nesting too deep to read") from None


def _lark_parse(text: str) -> Any:
    import hcl2
    from lark.exceptions import UnexpectedInput

    try:
        return hcl2.parses_to_tree(text)
    except UnexpectedInput as error:
        from sls_lint.loaders.terraform.hcl_errors import describe
        from sls_lint.sources.positions import clamp_position

        line = getattr(error, "line", -1)
        column = getattr(error, "column", -1)
        if not isinstance(line, int) or line < 1:  # lark's "at the end": after the last line
            line, column = len(text.splitlines()) + 1, 1
        line, column = clamp_position(text, line, column if isinstance(column, int) else 1)
        raise HclError(describe(error, text), line, column) from None
    except RecursionError:
        raise HclError("HCL nesting too deep to read") from None
    except Exception as error:  # noqa: BLE001 - the parser may fail in many ways on hostile input
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        if "Token(" in detail or "Tree(" in detail or len(detail) > 200:
            detail = ""  # parser internals, not something to show a Terraform author
        suffix = f": {detail}" if detail else ""
        raise HclError(f"cannot parse HCL ({type(error).__name__}){suffix}") from None


@functools.cache
def hcl2_version() -> str:
    """python-hcl2's version (part of the parse cache key; the metadata lookup costs ~0.4 ms)."""
    try:
        from importlib.metadata import version

        return version("python-hcl2")
    except Exception:  # noqa: BLE001 - metadata missing in odd installs
        return "unknown"


def _span(node: Any) -> list[int]:
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return [meta.line, meta.column, meta.end_line, meta.end_column]
    line = getattr(node, "line", None)
    if line is not None:
        return [line, node.column, node.end_line or line, node.end_column or node.column]
    return [1, 1, 1, 1]


def _is_tree(node: Any, name: str | None = None) -> bool:
    data = getattr(node, "data", None)
    return data is not None and (name is None or data == name)


class _Converter:
    """Walks one lark tree; `line_shift`/`column_shift` place a re-parsed fragment in its file."""

    def __init__(self, line_shift: int, column_shift: int) -> None:
        self.line_shift = line_shift
        self.column_shift = column_shift

    def span(self, node: Any) -> list[int]:
        line, column, end_line, end_column = _span(node)
        if not (self.line_shift or self.column_shift):
            return [line, column, end_line, end_column]
        # Only the fragment's first line is shifted sideways (it follows the `${`).
        column += self.column_shift if line == 1 else 0
        end_column += self.column_shift if end_line == 1 else 0
        return [line + self.line_shift, column, end_line + self.line_shift, end_column]

    # -- structure ------------------------------------------------------------------------
    def body(self, tree: Any, depth: int) -> list[Any]:
        if depth > MAX_DEPTH:
            raise HclError("HCL nesting too deep to read", *self.span(tree)[:2])
        items: list[Any] = []
        for child in tree.children:
            if _is_tree(child, "attribute"):
                name = self.name_of(child.children[0])
                items.append(["attr", self.span(child), name, self.expr(child.children[-1], depth)])
            elif _is_tree(child, "block"):
                items.append(self.block(child, depth))
        return items

    def block(self, tree: Any, depth: int) -> list[Any]:
        children = [c for c in tree.children if _is_tree(c)]
        kind = self.name_of(children[0])
        labels = []
        body: list[Any] = []
        for child in children[1:]:
            if child.data == "body":
                body = self.body(child, depth + 1)
            elif child.data == "string":
                labels.append(
                    "".join(p for p in self.string_parts(child, depth) if isinstance(p, str))
                )
            elif child.data != "new_line_or_comment":
                labels.append(self.name_of(child))
        return ["block", self.span(tree), kind, labels, body]

    def name_of(self, node: Any) -> str:
        if _is_tree(node):
            for child in node.children:
                return self.name_of(child)
            return ""
        return str(node)

    # -- expressions ----------------------------------------------------------------------
    def expr(self, node: Any, depth: int) -> list[Any]:
        if depth > MAX_DEPTH:
            raise HclError("expression nesting too deep to read", *self.span(node)[:2])
        if not _is_tree(node):
            return ["bad", self.span(node), f"unexpected token {node!s:.40}"]
        handler = getattr(self, "x_" + node.data, None)
        if handler is None:
            return ["bad", self.span(node), f"unsupported expression {node.data}"]
        return handler(node, depth + 1)

    def _inner(self, node: Any) -> list[Any]:
        return [c for c in node.children if _is_tree(c) and c.data != "new_line_or_comment"]

    def x_expr_term(self, node: Any, depth: int) -> list[Any]:
        inner = self._inner(node)
        if len(inner) == 1:
            return self.expr(inner[0], depth)
        return ["bad", self.span(node), "empty expression"]

    def x_int_lit(self, node: Any, depth: int) -> list[Any]:
        try:
            return ["lit", self.span(node), int(str(node.children[0]))]
        except ValueError:  # longer than Python's int() reads (4,300 digits): Unknown
            return ["bad", self.span(node), "number too long"]

    def x_float_lit(self, node: Any, depth: int) -> list[Any]:
        return ["lit", self.span(node), float(str(node.children[0]))]

    def x_literal_value(self, node: Any, depth: int) -> list[Any]:
        word = str(node.children[0])
        return ["lit", self.span(node), {"true": True, "false": False}.get(word)]

    def x_identifier(self, node: Any, depth: int) -> list[Any]:
        return ["name", self.span(node), str(node.children[0])]

    x_keyword = x_identifier

    def x_string(self, node: Any, depth: int) -> list[Any]:
        span = self.span(node)
        parts = self.string_parts(node, depth)
        if all(isinstance(p, str) for p in parts):
            return ["lit", span, "".join(parts)]
        return ["tmpl", span, parts, [span[0], span[1] + 1, 0]]

    def string_parts(self, node: Any, depth: int) -> list[Any]:
        parts: list[Any] = []
        for child in node.children:
            if not _is_tree(child, "string_part"):
                continue
            for piece in child.children:
                if _is_tree(piece, "interpolation"):
                    inner = self._inner(piece)
                    parts.append(
                        self.expr(inner[0], depth) if inner else ["bad", self.span(piece), "empty"]
                    )
                elif _is_tree(piece):
                    parts.append(["bad", self.span(piece), "template directive"])
                elif piece.type == "ESCAPED_INTERPOLATION" or piece.type == "ESCAPED_DIRECTIVE":
                    parts.append(str(piece)[1:])
                else:
                    parts.append(unescape(str(piece)))
        return merge_literals(parts)

    def x_template_string(self, node: Any, depth: int) -> list[Any]:
        return ["lit", self.span(node), unescape(str(node.children[0])[2:-2])]

    def x_heredoc_template(self, node: Any, depth: int) -> list[Any]:
        return self.heredoc(node, trim=False)

    def x_heredoc_template_trim(self, node: Any, depth: int) -> list[Any]:
        return self.heredoc(node, trim=True)

    def heredoc(self, node: Any, trim: bool) -> list[Any]:
        line, column = self.span(node)[:2]
        return heredoc_node(str(node.children[0]), line, column, trim, _parse_fragment)

    def x_tuple(self, node: Any, depth: int) -> list[Any]:
        return ["tuple", self.span(node), [self.expr(c, depth) for c in self._inner(node)]]

    def x_object(self, node: Any, depth: int) -> list[Any]:
        items = []
        for elem in self._inner(node):
            parts = self._inner(elem)
            if len(parts) < 2:
                continue
            key_node = self._inner(parts[0])
            key = self.expr(key_node[0], depth) if key_node else ["bad", self.span(parts[0]), "key"]
            items.append([key, self.expr(parts[1], depth)])
        return ["object", self.span(node), items]

    def x_get_attr_expr_term(self, node: Any, depth: int) -> list[Any]:
        obj, attr = self._inner(node)
        return ["get", self.span(node), self.expr(obj, depth), self.name_of(attr.children[-1])]

    def x_index_expr_term(self, node: Any, depth: int) -> list[Any]:
        obj, index = self._inner(node)
        return ["index", self.span(node), self.expr(obj, depth), self.index_key(index, depth)]

    def index_key(self, index: Any, depth: int) -> list[Any]:
        if index.data == "short_index":
            return ["lit", self.span(index), int(str(index.children[-1]))]
        inner = self._inner(index)
        return self.expr(inner[0], depth) if inner else ["bad", self.span(index), "index"]

    def _splat(self, node: Any, depth: int) -> list[Any]:
        obj, splat = self._inner(node)
        ops = []
        for op in self._inner(splat):
            if op.data == "get_attr":
                ops.append(["get", self.name_of(op.children[-1])])
            else:
                ops.append(["index", self.index_key(op, depth)])
        return ["splat", self.span(node), self.expr(obj, depth), ops]

    x_attr_splat_expr_term = _splat
    x_full_splat_expr_term = _splat

    def x_function_call(self, node: Any, depth: int) -> list[Any]:
        names = [self.name_of(c) for c in node.children if _is_tree(c, "identifier")]
        args_node = next((c for c in node.children if _is_tree(c, "arguments")), None)
        args = []
        expand = False
        if args_node is not None:
            args = [self.expr(c, depth) for c in self._inner(args_node)]
            expand = any(getattr(c, "type", "") == "ELLIPSIS" for c in args_node.children)
        return ["call", self.span(node), "::".join(names), args, expand]

    def x_conditional(self, node: Any, depth: int) -> list[Any]:
        test, yes, no = self._inner(node)[:3]
        return [
            "cond",
            self.span(node),
            self.expr(test, depth),
            self.expr(yes, depth),
            self.expr(no, depth),
        ]

    def x_binary_op(self, node: Any, depth: int) -> list[Any]:
        inner = self._inner(node)
        left, term = inner[0], inner[1]
        term_parts = self._inner(term)
        operator = str(term_parts[0].children[0]).strip()
        return [
            "binop",
            self.span(node),
            operator,
            self.expr(left, depth),
            self.expr(term_parts[1], depth),
        ]

    def x_unary_op(self, node: Any, depth: int) -> list[Any]:
        operator = str(node.children[0]).strip()
        return ["unary", self.span(node), operator, self.expr(self._inner(node)[0], depth)]

    def _for(self, node: Any, depth: int, is_object: bool) -> list[Any]:
        inner = self._inner(node)
        intro = inner[0]
        names = [self.name_of(c) for c in intro.children if _is_tree(c, "identifier")]
        collection = self.expr(self._inner(intro)[-1], depth)
        key_var, value_var = (names[0], names[1]) if len(names) > 1 else (None, names[0])
        rest = inner[1:]
        condition = None
        if rest and rest[-1].data == "for_cond":
            condition = self.expr(self._inner(rest[-1])[0], depth)
            rest = rest[:-1]
        group = any(getattr(c, "type", "") == "ELLIPSIS" for c in node.children)
        if is_object and len(rest) >= 2:
            key_expr, value_expr = self.expr(rest[0], depth), self.expr(rest[1], depth)
        elif rest:
            key_expr, value_expr = None, self.expr(rest[0], depth)
        else:
            return ["bad", self.span(node), "malformed for expression"]
        span = self.span(node)
        return ["for", span, key_var, value_var, collection, key_expr, value_expr, condition, group]

    def x_for_tuple_expr(self, node: Any, depth: int) -> list[Any]:
        return self._for(node, depth, False)

    def x_for_object_expr(self, node: Any, depth: int) -> list[Any]:
        return self._for(node, depth, True)


def split_template(text: str, first_line: int, indent: int, first_column: int = 1) -> list[Any]:
    """Template text (a heredoc body, a JSON string) into literal and parsed `${...}` parts."""
    return _split_template(text, first_line, indent, first_column, _parse_fragment)


def _parse_fragment(source: str, line: int, column: int) -> list[Any]:
    """Parse one interpolated expression written at (line, column) of its file."""
    prefix = "x = "
    span = [line, column, line, column + len(source)]
    if _fast_reader_enabled:
        from sls_lint.loaders.terraform import hcl_reader

        try:
            return hcl_reader.read_fragment_expression(
                prefix + source.strip("\n"), line - 1, column - 1 - len(prefix)
            )
        except hcl_reader.NotHandled:
            pass
    try:
        tree = _lark_parse(prefix + source.strip("\n"))
        body = tree.children[0]
        attribute = next(c for c in body.children if _is_tree(c, "attribute"))
        converter = _Converter(line - 1, column - 1 - len(prefix))
        return converter.expr(attribute.children[-1], 0)
    except (HclError, StopIteration, RecursionError):
        return ["bad", span, "interpolation cannot be parsed"]
