"""python-hcl2's syntax errors, said in HCL's terms.

Why: lark reports what its grammar expected as terminal names and what it found as a lexer
token, e.g. ``Unexpected token Token('STRING_CHARS', '\\n}\\n') at line 3, column 9``: parser
internals that tell a Terraform author nothing (and quote half the file). This module turns the
expected terminals into what one writes (`'}'`, `a value`, `a new line`) and the found token into
what is in the file at that point.
"""

from __future__ import annotations

from typing import Any

#: Terminals that can start an expression: when most are expected, say "a value".
_VALUE_START = frozenset(
    {
        "DBLQUOTE",
        "INT_LITERAL",
        "FLOAT_LITERAL",
        "NAME",
        "LBRACE",
        "LSQB",
        "LPAR",
        "MINUS",
        "NOT",
        "HEREDOC_TEMPLATE",
        "HEREDOC_TEMPLATE_TRIM",
        "TEMPLATE_STRING",
    }
)
_VALUE = "a value (a string, number, list, object, reference or function call)"

#: What each terminal is, as an HCL author would write or name it; in order of usefulness.
_TERMINALS: dict[str, str] = {
    "NL_OR_COMMENT": "a new line",
    "RBRACE": "'}'",
    "RSQB": "']'",
    "RPAR": "')'",
    "COMMA": "','",
    "EQ": "'='",
    "COLON": "':'",
    "LBRACE": "'{'",
    "LSQB": "'['",
    "LPAR": "'('",
    "DBLQUOTE": "'\"'",
    "NAME": "a name",
    "INT_LITERAL": "a number",
    "FLOAT_LITERAL": "a number",
    "DOT": "'.'",
    "QMARK": "'?'",
    "FOR_OBJECT_ARROW": "'=>'",
    "ELLIPSIS": "'...'",
    "HEREDOC_TEMPLATE": "a heredoc",
    "HEREDOC_TEMPLATE_TRIM": "a heredoc",
    "STRING_CHARS": "string text",
    "INTERP_START": "'${'",
    "DIRECTIVE_START": "'%{'",
    "$END": "the end of the file",
}
_MAX_ITEMS = 5


def expected_text(expected: Any) -> str:
    """The expected terminals as a short English list ("'}' or a new line")."""
    names = set(expected or ())
    items: list[str] = []
    if len(names & _VALUE_START) >= 5:
        items.append(_VALUE)
        names -= _VALUE_START
    if {"PLUS", "MINUS", "ASTERISK", "SLASH", "DOUBLE_EQ"} <= names:
        items.append("an operator")
    for terminal, text in _TERMINALS.items():
        if terminal in names and text not in items:
            items.append(text)
    if "DBLQUOTE" in (expected or ()) and "STRING_CHARS" in names:
        items = ["the closing '\"' of the string"]
    if not items:
        return "valid HCL"
    items = items[:_MAX_ITEMS]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def found_text(token: Any, text: str = "") -> str:
    """What the parser met, as it appears in the file (one word, one line at most)."""
    if token is None:
        return "the end of the file"
    kind = getattr(token, "type", "")
    value = str(token)
    if kind == "$END" or not value:
        # lark's lexer also ends early inside a string that is never closed.
        position = getattr(token, "start_pos", None)
        if isinstance(position, int) and position < len(text.rstrip()):
            return "the end of the line"
        return "the end of the file"
    stripped = value.lstrip(" \t")
    if not stripped or stripped[0] in "\r\n":
        return "the end of the line"
    word = stripped.split(None, 1)[0][:20]
    return f"'{word}'"


def describe(error: Any, text: str = "") -> str:
    """A one-line message for a lark `UnexpectedInput` raised while parsing `text` as HCL."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(error, UnexpectedToken):
        found = found_text(error.token, text)
        expected = expected_text(error.expected)
    elif isinstance(error, UnexpectedCharacters):
        found = f"'{error.char}'"
        expected = expected_text(error.allowed)
    elif isinstance(error, UnexpectedEOF):
        found = "the end of the file"
        expected = expected_text(error.expected)
    else:
        return "HCL syntax error"
    return f"HCL syntax error: expected {expected}, found {found}"
