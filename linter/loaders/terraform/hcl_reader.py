"""A hand-written HCL reader: the located tree of `hcl`, without lark.

python-hcl2's LALR parser (pure-Python lark, positions propagated through ~3 tree nodes per
token) cost ~6.5 ms for an average Terraform file and was over half of a whole-repository run.
This recursive-descent reader builds the same tree (`hcl` documents its shape)
straight from the text, several times faster.

It is a fast path, not a second grammar to trust: it reads the HCL that modules are written
in and raises `NotHandled` on anything else (a syntax error, a construct it does not know,
nesting deeper than `MAX_NESTING`); `hcl.parse_hcl` then asks python-hcl2, whose
verdict, tree or error, stands. So an error message always comes from python-hcl2, and a test
holds both to the same tree, spans included, on every Terraform file of the tests and of the
corpus. python-hcl2's span conventions are kept on purpose, so findings do not move:

- a binary operation followed by newlines or comments ends after them (lark's grammar shifts
  them into the `binary_op` rule), unless an operator on the next line continues it;
- a heredoc ends after the newline that follows its closing marker;
- a parenthesised expression is its inner node, but what contains it ends at the `)`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from sls_lint.loaders.terraform.hcl_tree import heredoc_node, merge_literals, unescape

MAX_NESTING = 48  # brackets and blocks; deeper text goes to python-hcl2 (and its limits)

_BLANKS = re.compile(r"[ \t\r]*")
# python-hcl2's NL_OR_COMMENT terminal: a newline with the next line's indentation, a line
# comment with its newline, or a block comment (which counts as a newline even on one line).
# A run of them (blanks between), matched at once: its end is the end of the last one.
_NEWLINE_RUN = re.compile(r"(?:[ \t\r]*(?:\n[ \t]*|#[^\n]*\n|//[^\n]*\n|/\*[\s\S]*?\*/))+")
_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_-]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
# python-hcl2 lexes `-12`, `-1.5` and `-1e3` as negative literals but `-1` as unary minus
# (its INT_LITERAL wants two digits after a `-`); the tree keeps that difference.
_NEGATIVE_NUMBER = re.compile(r"-[0-9]([0-9]+)?(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_DIGITS = re.compile(r"[0-9]+")
_OPERATOR = re.compile(r"\|\||&&|==|!=|<=|>=|[<>+\-*/%]")
_PRECEDENCE = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}
# Literal text of a quoted string: anything but a quote, a backslash escape (not of a newline),
# a `$` or `%` that does not open `${`/`%{` (or their `$${`/`%%{` escapes).
_STRING_CHARS = re.compile(r'(?:[^"\\$%]|\\.|\$(?!\$?\{)|%(?!%?\{))+')
_HEREDOC = re.compile(r"<<(-?)([a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:[\s\S]*?\r?\n)??\s*\2\r?\n")
_ESCAPED_QUOTE_STRING = re.compile(r'\\"(?:[^"\\]|\\.)*\\"')
_LITERAL_WORDS = {"true": True, "false": False, "null": None}


class NotHandled(Exception):
    """The fast reader does not read this text; python-hcl2 decides (tree or error)."""


def read_body(text: str) -> list[Any]:
    """The located body of an HCL file, or `NotHandled`."""
    reader = _Reader(text + "\n", 0, 0)
    return reader.run(reader.top_body)


def read_fragment_expression(text: str, line_shift: int, column_shift: int) -> list[Any]:
    """The expression of `x = <expr>` written at an offset in its file, or `NotHandled`.

    Only the fragment's first line is shifted sideways (it follows the `${` that opened it).
    """
    reader = _Reader(text + "\n", line_shift, column_shift)
    body = reader.run(reader.top_body)
    if len(body) != 1 or body[0][0] != "attr":
        raise NotHandled
    return body[0][3]


def _read_fragment(source: str, line: int, column: int) -> list[Any]:
    """A heredoc's `${...}` part, read here too: one this reader cannot read hands the whole
    file over to python-hcl2 (`NotHandled`), which builds the same tree its own way."""
    prefix = "x = "
    return read_fragment_expression(prefix + source.strip("\n"), line - 1, column - 1 - len(prefix))


class _Reader:
    """One pass over one text; `pos` moves forward, each method reads one construct."""

    __slots__ = ("text", "pos", "line_starts", "line_shift", "column_shift")

    def __init__(self, text: str, line_shift: int, column_shift: int) -> None:
        self.text = text
        self.pos = 0
        self.line_starts = [0]
        self.line_starts.extend(match.end() for match in re.finditer("\n", text))
        self.line_shift = line_shift
        self.column_shift = column_shift

    def run(self, method: Any) -> Any:
        try:
            return method()
        except (RecursionError, ValueError, IndexError):
            # Too deep for Python, a number too long for int(): python-hcl2's answer stands.
            raise NotHandled from None

    # -- positions -------------------------------------------------------------------------
    def span(self, start: int, end: int) -> list[int]:
        starts = self.line_starts
        line = bisect_right(starts, start)
        end_line = bisect_right(starts, end)
        column = start - starts[line - 1] + 1
        end_column = end - starts[end_line - 1] + 1
        if self.line_shift or self.column_shift:
            column += self.column_shift if line == 1 else 0
            end_column += self.column_shift if end_line == 1 else 0
            line += self.line_shift
            end_line += self.line_shift
        return [line, column, end_line, end_column]

    def skip_blanks(self) -> int:
        self.pos = _BLANKS.match(self.text, self.pos).end()
        return self.pos

    def skip_newlines(self) -> int:
        """Skip blanks, newlines and comments; the end of the last newline/comment, or -1."""
        last, self.pos = self.newline_run(self.pos)
        return last

    def newline_run(self, pos: int) -> tuple[int, int]:
        """(end of the newline/comment run at `pos`, where the next token starts); -1 if none."""
        text = self.text
        match = _NEWLINE_RUN.match(text, pos)
        if match is None:
            return -1, _BLANKS.match(text, pos).end()
        last = match.end()
        return last, _BLANKS.match(text, last).end()

    def expect(self, char: str) -> int:
        pos = self.skip_blanks()
        if not self.text.startswith(char, pos):
            raise NotHandled
        self.pos = pos + len(char)
        return self.pos

    def word_at(self, pos: int) -> str:
        match = _NAME.match(self.text, pos)
        return match.group() if match else ""

    # -- structure ---------------------------------------------------------------------------
    def top_body(self) -> list[Any]:
        items = self.body(0)
        if self.pos < len(self.text):
            raise NotHandled
        return items

    def body(self, depth: int) -> list[Any]:
        text = self.text
        items: list[Any] = []
        while True:
            self.skip_newlines()
            start = self.pos
            match = _NAME.match(text, start)
            if match is None:
                return items
            name = match.group()
            pos = _BLANKS.match(text, match.end()).end()
            if text.startswith("=", pos) and not text.startswith(("==", "=>"), pos):
                self.pos = pos + 1
                value, _, end = self.expression(depth)
                items.append(["attr", self.span(start, end), name, value])
            else:
                self.pos = pos
                items.append(self.block(start, name, depth))

    def block(self, start: int, kind: str, depth: int) -> list[Any]:
        text = self.text
        labels: list[str] = []
        while True:
            pos = self.skip_blanks()
            char = text[pos : pos + 1]
            if char == "{":
                break
            if char == '"':
                label, _, _ = self.string(depth)
                if label[0] == "lit":
                    labels.append(label[2])
                else:
                    labels.append("".join(p for p in label[2] if isinstance(p, str)))
                continue
            match = _NAME.match(text, pos)
            if match is not None:
                labels.append(match.group())
                self.pos = match.end()
                continue
            if self.skip_newlines() < 0 or not text.startswith("{", self.pos):
                raise NotHandled
            break
        if depth >= MAX_NESTING:
            raise NotHandled
        self.pos += 1
        body = self.body(depth + 1)
        end = self.expect("}")
        return ["block", self.span(start, end), kind, labels, body]

    # -- expressions -----------------------------------------------------------------------
    def expression(self, depth: int) -> tuple[list[Any], int, int]:
        """(node, start, end) of a full expression; `end` is where its syntax ends."""
        test, start, end = self.binary(0, depth)
        text = self.text
        pos = _BLANKS.match(text, self.pos).end()
        if not text.startswith("?", pos):
            run_end, after = self.newline_run(pos)
            if run_end < 0 or not text.startswith("?", after):
                return test, start, end
            pos = after
        self.pos = pos + 1
        self.skip_newlines()
        yes, _, _ = self.expression(depth + 1)
        self.skip_newlines()
        if not self.text.startswith(":", self.pos) or self.text.startswith("::", self.pos):
            raise NotHandled
        self.pos += 1
        self.skip_newlines()
        no, _, end = self.expression(depth + 1)
        return ["cond", self.span(start, end), test, yes, no], start, end

    def binary(self, min_precedence: int, depth: int) -> tuple[list[Any], int, int]:
        left, start, end = self.unary(depth)
        while True:
            operator, after = self.next_operator()
            if operator is None or _PRECEDENCE[operator] < min_precedence:
                return left, start, end
            self.pos = after
            self.skip_newlines()
            right, _, end = self.binary(_PRECEDENCE[operator] + 1, depth)
            trailing = self.trailing_newlines()
            if trailing > 0:
                end = trailing
            left = ["binop", self.span(start, end), operator, left, right]

    def next_operator(self) -> tuple[str | None, int]:
        """The binary operator that continues the expression, and the position after it."""
        text = self.text
        pos = _BLANKS.match(text, self.pos).end()
        run_end, after = self.newline_run(pos)
        if run_end >= 0:
            if not self.continues_after_newline(after):
                return None, 0
            pos = after
        match = _OPERATOR.match(text, pos)
        if match is None:
            return None, 0
        return match.group(), match.end()

    def trailing_newlines(self) -> int:
        """End of the newlines/comments a finished binary operation absorbs, or -1."""
        run_end, after = self.newline_run(self.pos)
        if run_end < 0 or self.continues_after_newline(after):
            return -1
        return run_end

    def continues_after_newline(self, pos: int) -> bool:
        """Whether the token at `pos`, first on its line, continues the expression before it.

        python-hcl2's post-lexer merges a newline into a following binary operator or `?`,
        except `-`, which it reads as the start of something new there.
        """
        if self.text.startswith("?", pos):
            return True
        match = _OPERATOR.match(self.text, pos)
        return match is not None and match.group() != "-"

    def unary(self, depth: int) -> tuple[list[Any], int, int]:
        pos = self.skip_blanks()
        char = self.text[pos : pos + 1]
        if char == "!" or (char == "-" and self.negative_number(pos) is None):
            self.pos = pos + 1
            operand, _, end = self.postfix(depth)
            return ["unary", self.span(pos, end), char, operand], pos, end
        return self.postfix(depth)

    def negative_number(self, pos: int) -> re.Match[str] | None:
        """A negative number literal at `pos` (as python-hcl2 lexes one), else None."""
        match = _NEGATIVE_NUMBER.match(self.text, pos)
        if match is None or not (match.group(1) or match.group(2) or match.group(3)):
            return None
        return match

    def postfix(self, depth: int) -> tuple[list[Any], int, int]:
        node, start, end = self.term(depth)
        text = self.text
        while True:
            pos = _BLANKS.match(text, end).end()
            char = text[pos : pos + 1]
            if char == "." and not text.startswith("...", pos):
                if text.startswith(".*", pos):
                    self.pos = pos + 2
                    ops, end = self.splat_operations(pos + 2, depth)
                    node = ["splat", self.span(start, end), node, ops]
                    continue
                operation, end = self.dot_operation(pos)
                if operation[0] == "get":
                    node = ["get", self.span(start, end), node, operation[1]]
                else:
                    node = ["index", self.span(start, end), node, operation[1]]
                continue
            if char == "[":
                if text.startswith("[*]", pos):
                    ops, end = self.splat_operations(pos + 3, depth)
                    node = ["splat", self.span(start, end), node, ops]
                    continue
                key, end = self.bracket_index(pos, depth)
                node = ["index", self.span(start, end), node, key]
                continue
            self.pos = end
            return node, start, end

    def dot_operation(self, dot: int) -> tuple[list[Any], int]:
        """`.name` or `.0` at `dot`: (["get", name] or ["index", key], end)."""
        text = self.text
        pos = _BLANKS.match(text, dot + 1).end()
        match = _NAME.match(text, pos)
        if match is not None:
            return ["get", match.group()], match.end()
        match = _DIGITS.match(text, pos)
        if match is not None:
            key = ["lit", self.span(dot, match.end()), int(match.group())]
            return ["index", key], match.end()
        raise NotHandled

    def bracket_index(self, bracket: int, depth: int) -> tuple[list[Any], int]:
        if depth >= MAX_NESTING:
            raise NotHandled
        self.pos = bracket + 1
        self.skip_newlines()
        key, _, _ = self.expression(depth + 1)
        self.skip_newlines()
        return key, self.expect("]")

    def splat_operations(self, pos: int, depth: int) -> tuple[list[Any], int]:
        """The `.name`/`[i]` operations a splat applies to every element, and their end."""
        text = self.text
        ops: list[Any] = []
        end = pos
        while True:
            pos = _BLANKS.match(text, end).end()
            if text.startswith(".", pos) and not text.startswith((".*", "..."), pos):
                operation, end = self.dot_operation(pos)
                ops.append(operation)
            elif text.startswith("[", pos) and not text.startswith("[*]", pos):
                key, end = self.bracket_index(pos, depth)
                ops.append(["index", key])
            else:
                self.pos = end
                return ops, end

    def term(self, depth: int) -> tuple[list[Any], int, int]:
        text = self.text
        pos = self.skip_blanks()
        char = text[pos : pos + 1]
        if char == '"':
            return self.string(depth)
        if "0" <= char <= "9" or char == "-":
            match = _NUMBER.match(text, pos) if char != "-" else self.negative_number(pos)
            if match is None:
                raise NotHandled
            self.pos = end = match.end()
            number = match.group()
            value = float(number) if any(c in number for c in ".eE") else int(number)
            return ["lit", self.span(pos, end), value], pos, end
        if depth >= MAX_NESTING:
            raise NotHandled
        if char == "[":
            return self.tuple_or_for(pos, depth + 1)
        if char == "{":
            return self.object_or_for(pos, depth + 1)
        if char == "(":
            self.pos = pos + 1
            self.skip_newlines()
            inner, _, _ = self.expression(depth + 1)
            self.skip_newlines()
            return inner, pos, self.expect(")")
        if char == "<":
            match = _HEREDOC.match(text, pos)
            if match is None:
                raise NotHandled
            line, column = self.span(pos, pos)[:2]
            self.pos = end = match.end()
            node = heredoc_node(match.group(), line, column, bool(match.group(1)), _read_fragment)
            return node, pos, end
        if char == "\\":
            match = _ESCAPED_QUOTE_STRING.match(text, pos)
            if match is None:
                raise NotHandled
            self.pos = end = match.end()
            return ["lit", self.span(pos, end), unescape(match.group()[2:-2])], pos, end
        match = _NAME.match(text, pos)
        if match is None:
            raise NotHandled
        word = match.group()
        after = _BLANKS.match(text, match.end()).end()
        if text.startswith("(", after):
            return self.call(pos, [word], after, depth + 1)
        if text.startswith("::", after):
            return self.provider_call(pos, word, after, depth + 1)
        self.pos = end = match.end()
        if word in _LITERAL_WORDS:
            return ["lit", self.span(pos, end), _LITERAL_WORDS[word]], pos, end
        return ["name", self.span(pos, end), word], pos, end

    def provider_call(self, start: int, word: str, pos: int, depth: int) -> Any:
        """`provider::namespace::function(...)`."""
        names = [word]
        text = self.text
        for _ in range(2):
            if not text.startswith("::", pos):
                raise NotHandled
            match = _NAME.match(text, _BLANKS.match(text, pos + 2).end())
            if match is None:
                raise NotHandled
            names.append(match.group())
            pos = _BLANKS.match(text, match.end()).end()
        if not text.startswith("(", pos):
            raise NotHandled
        return self.call(start, names, pos, depth)

    def call(self, start: int, names: list[str], paren: int, depth: int) -> Any:
        text = self.text
        self.pos = paren + 1
        self.skip_newlines()
        args: list[Any] = []
        expand = False
        while not text.startswith(")", self.pos):
            argument, _, _ = self.expression(depth)
            args.append(argument)
            self.skip_newlines()
            if text.startswith(",", self.pos):
                self.pos += 1
                self.skip_newlines()
            elif text.startswith("...", self.pos):
                expand = True
                self.pos += 3
                self.skip_newlines()
                break
            else:
                break
        end = self.expect(")")
        return ["call", self.span(start, end), "::".join(names), args, expand], start, end

    def tuple_or_for(self, start: int, depth: int) -> Any:
        text = self.text
        self.pos = start + 1
        self.skip_newlines()
        if self.word_at(self.pos) == "for":
            return self.for_expression(start, "]", depth)
        items: list[Any] = []
        while not text.startswith("]", self.pos):
            item, _, _ = self.expression(depth)
            items.append(item)
            self.skip_newlines()
            if not text.startswith(",", self.pos):
                break
            self.pos += 1
            self.skip_newlines()
        end = self.expect("]")
        return ["tuple", self.span(start, end), items], start, end

    def object_or_for(self, start: int, depth: int) -> Any:
        text = self.text
        self.pos = start + 1
        self.skip_newlines()
        if self.word_at(self.pos) == "for":
            after = _BLANKS.match(text, self.pos + 3).end()
            if not text.startswith(("=", ":"), after):
                return self.for_expression(start, "}", depth)
        items: list[Any] = []
        while not text.startswith("}", self.pos):
            key, _, _ = self.expression(depth)
            pos = self.skip_blanks()
            if not self.separator_at(pos):
                raise NotHandled
            self.pos = pos + 1
            value, _, _ = self.expression(depth)
            items.append([key, value])
            self.skip_newlines()
            if text.startswith(",", self.pos):
                self.pos += 1
                self.skip_newlines()
        end = self.expect("}")
        return ["object", self.span(start, end), items], start, end

    def separator_at(self, pos: int) -> bool:
        """An object element's `=` or `:` (not `==`, `=>` or `::`) at `pos`."""
        text = self.text
        if text.startswith("=", pos):
            return not text.startswith(("==", "=>"), pos)
        return text.startswith(":", pos) and not text.startswith("::", pos)

    def for_expression(self, start: int, closing: str, depth: int) -> Any:
        """`[for v in c : e if cond]` or `{for k, v in c : ke => ve... if cond}`."""
        text = self.text
        self.pos += 3
        self.skip_newlines()
        names = [self.name()]
        if text.startswith(",", self.skip_blanks()):
            self.pos += 1
            self.skip_newlines()
            names.append(self.name())
        self.skip_newlines()
        if self.name() != "in":
            raise NotHandled
        self.skip_newlines()
        collection, _, _ = self.expression(depth)
        self.skip_newlines()
        if not text.startswith(":", self.pos) or text.startswith("::", self.pos):
            raise NotHandled
        self.pos += 1
        self.skip_newlines()
        key_expr = None
        value_expr, _, _ = self.expression(depth)
        self.skip_newlines()
        group = False
        if closing == "}":
            if not text.startswith("=>", self.pos):
                raise NotHandled
            self.pos += 2
            self.skip_newlines()
            key_expr = value_expr
            value_expr, _, _ = self.expression(depth)
            self.skip_newlines()
            if text.startswith("...", self.pos):
                group = True
                self.pos += 3
                self.skip_newlines()
        condition = None
        if self.word_at(self.pos) == "if":
            self.pos += 2
            self.skip_newlines()
            condition, _, _ = self.expression(depth)
            self.skip_newlines()
        end = self.expect(closing)
        key_var, value_var = (names[0], names[1]) if len(names) > 1 else (None, names[0])
        node = [
            "for",
            self.span(start, end),
            key_var,
            value_var,
            collection,
            key_expr,
            value_expr,
            condition,
            group,
        ]
        return node, start, end

    def name(self) -> str:
        match = _NAME.match(self.text, self.skip_blanks())
        if match is None:
            raise NotHandled
        self.pos = match.end()
        return match.group()

    # -- strings ---------------------------------------------------------------------------
    def string(self, depth: int) -> tuple[list[Any], int, int]:
        """A quoted string: a literal, or a template of literal and `${...}` parts."""
        text = self.text
        start = self.pos
        pos = start + 1
        parts: list[Any] = []
        while True:
            match = _STRING_CHARS.match(text, pos)
            if match is not None:
                parts.append(unescape(match.group()))
                pos = match.end()
            char = text[pos : pos + 1]
            if char == '"':
                pos += 1
                break
            if text.startswith(("$${", "%%{"), pos):
                close = text.find("}", pos)
                if close < 0:
                    raise NotHandled
                parts.append(text[pos + 1 : close + 1])
                pos = close + 1
            elif text.startswith("${", pos):
                if depth >= MAX_NESTING:
                    raise NotHandled
                self.pos = pos + 2
                inner, _, _ = self.expression(depth + 1)
                pos = self.expect("}")
                parts.append(inner)
            elif text.startswith("%{", pos):
                parts.append(self.directive(pos, depth + 1))
                pos = self.pos
            else:
                raise NotHandled
        self.pos = pos
        span = self.span(start, pos)
        parts = merge_literals(parts)
        if all(isinstance(part, str) for part in parts):
            return ["lit", span, "".join(parts)], start, pos
        return ["tmpl", span, parts, [span[0], span[1] + 1, 0]], start, pos

    def directive(self, start: int, depth: int) -> list[Any]:
        """`%{ if ... }`, `%{ for ... }`, `%{ else }`...: read, kept as an Unknown part."""
        text = self.text
        self.pos = start + 2
        if text.startswith("~", self.skip_blanks()):
            self.pos += 1
        keyword = self.name()
        if keyword == "if":
            self.expression(depth)
        elif keyword == "for":
            self.name()
            if text.startswith(",", self.skip_blanks()):
                self.pos += 1
                self.name()
            if self.name() != "in":
                raise NotHandled
            self.expression(depth)
        elif keyword not in ("else", "endif", "endfor"):
            raise NotHandled
        if text.startswith("~", self.skip_blanks()):
            self.pos += 1
        end = self.expect("}")
        return ["bad", self.span(start, end), "template directive"]
