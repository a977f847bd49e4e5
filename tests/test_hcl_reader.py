"""The fast HCL reader against python-hcl2: the same located tree, spans included, or a fallback.

`hcl_reader` is only trusted because python-hcl2 is the reference: every test here parses the
same text both ways and compares the whole tree (every line and column a finding could point
at). Where the reader gives up (`NotHandled`), `parse_hcl` must still return python-hcl2's
answer, error message included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sls_lint.loaders.terraform import hcl_reader
from sls_lint.loaders.terraform.hcl import HclError, lark_only, parse_hcl

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def reference(text: str) -> list | tuple[str, str, int, int]:
    """python-hcl2's tree (or its error), with the fast reader switched off."""
    with lark_only():
        try:
            return parse_hcl(text)
        except HclError as error:
            return ("error", error.message, error.line, error.column)


def fast(text: str) -> list | None:
    """The fast reader's tree, or None when it hands the text to python-hcl2."""
    try:
        return hcl_reader.read_body(text)
    except hcl_reader.NotHandled:
        return None


def through_parse_hcl(text: str) -> list | tuple[str, str, int, int]:
    try:
        return parse_hcl(text)
    except HclError as error:
        return ("error", error.message, error.line, error.column)


# Each one is read by the fast reader (no fallback) into exactly python-hcl2's tree.
HANDLED = {
    "binary operation absorbs the newline after it": "a = b + c\nd = 1\n",
    "and the comments after that newline": "a = b + c # hi\n\n  # more\n  d = 1",
    "slash comments and block comments": "a = b + c // hi\n/* block */\nd = 1",
    "a block comment on the same line": "a = b + c /* same line */ \nd = 1",
    "inside a tuple": "a = [b + c\n  , 2]\n",
    "inside a conditional": "a = x ? b + c\n : d\n",
    "continued on the next line": "a = b\n  + c\n",
    "several continuations": "a = b\n  && c\n  || d\n",
    "conditional over lines": "a = b\n  ? c\n  : d\n",
    "nested conditionals": "a = x ? y : z ? w : v\nb = (x ? y : z)\n",
    "every operator and its precedence": (
        "a = 1 == 2 != 3 < 4 > 5 <= 6 >= 7 + 8 - 9 * 10 / 11 % 12\n"
        "b = !var.x && var.y || var.z\nc = -var.x * 2\nd = b - c\n"
    ),
    "unary minus and negative literals as python-hcl2 lexes them": (
        "a = -1\nb = - 1\nc = -x\nd = !y\ne = -1.5e3\nf = -12\ng = -1.5\nh = -00\n"
        "i = [-12, -3]\nj = f(-12)\nk = 1 + -12\nl = !-12\nm = -(1)\nn = -12.5.a\n"
    ),
    "numbers": "a = 1.5\nb = 10\nc = 1e3\nd = 2.5E-2\n",
    "literal words": "a = true\nb = false\nc = null\nd = trueish\n",
    "parentheses: the inner node, the outer span": "a = (b + c)\nz = (b + c).d[0]\n",
    "splats": ("a = b.*.c[0].d\nb = x[*].y.z\nc = x[*][0]\nd = x.*\ne = a[*].b[*].c\nf = x.*.y\n"),
    "indexes": 'a = var.list[0].name\nb = var.m["k"]\nc = local.x.0\nd = x[\n  0\n]\n',
    "attribute named like a literal": "a = x.true\n",
    "for expressions": (
        'a = [for k, v in x : v if v != ""]\n'
        "b = {for k, v in x : k => v... if v}\n"
        "c = {\n for s in x :\n  s => upper(s)\n}\n"
        'd = [for x in y: x]\ne = [for i, x in y: "${i}-${x}"]\nf = [for x in y : x if x\n]\n'
    ),
    "templates and escapes": (
        'a = "x${y}$${z}%{ if a }b%{ endif }"\n'
        'b = "%{ for x in xs ~}${x}%{~ endfor }"\n'
        'c = "%%{ raw } and $x and 50% and \\"q\\" \\n \\u00e9"\n'
        'd = "${ "nested ${b}" }"\ne = "${x}"\nf = "${x.y[0]}${z}"\ng = "pre ${ x } post"\n'
        'h = "$"\ni = "%"\nj = "$$"\nk = "a$b%c"\nl = "multi\nline"\n'
    ),
    "an escaped-quote string": 'a = \\"x\\"\n',
    "calls": (
        "a = f(1, [2]...)\nb = f(\n  1,\n  2,\n)\nc = f()\n"
        'd = provider::aws::arn_parse("x")\ne = format("%s-%d", "x", 1)\nf = f(x...)\n'
    ),
    "heredocs": (
        "a = <<-EOT\n  hello ${x}\n  EOT\nb = <<EOT\nhello\n${x}\nEOT\nc = <<EOT\nEOT\n"
        'd = <<-EOF\n    {\n      "a": "${b}"\n    }\n  EOF\n'
    ),
    "a heredoc policy with an interpolated ARN": (
        'resource "aws_iam_policy" "p" {\n  policy = <<POLICY\n{\n'
        '  "Statement": [{"Resource": "${aws_s3_bucket.b.arn}/*"}]\n}\nPOLICY\n}\n'
    ),
    "objects": (
        'a = {x = 1, y: 2\n "z" = 3}\nb = {\n  x = 1,\n  y = 2,\n}\nc = {}\nd = []\n'
        'e = {\n  "key" : 1\n  (var.k) = 2\n  "${x}" = 3\n}\nf = {in = 1, for_each = 2, if = 3}\n'
    ),
    "jsonencode of a policy": (
        'a = jsonencode({\n  Version = "2012-10-17"\n  Statement = [{ Effect = "Allow", '
        'Action = ["s3:*"], Resource = "*" }]\n})\nb = tomap({\n  a = 1\n})[each.key]\n'
    ),
    "keywords as names": (
        'in = 1\nfor_each = var.x\ndynamic "x" {\n  for_each = var.y\n  content {\n'
        "    a = x.value\n  }\n}\n"
    ),
    "blocks": (
        'r "x" y { z = 1 }\nx "a" "b" {\n}\nx "a${b}c" {\n}\nx {}\ny {}\n'
        'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n'
        '      version = ">= 4.0"\n    }\n  }\n}\n'
    ),
    "comments inside collections": (
        "a = [\n  # comment\n  1, # trailing\n  2\n]\nb = { # c\n  b = 1 # c\n}\nc = b # c\n"
    ),
    "end of file without a newline": "a = b + c # c",
    "CRLF line endings": 'a = 1\r\nb = "x"\r\nc {\r\n  d = 2\r\n}\r\ne = <<EOT\r\nx\r\nEOT\r\n',
    "only comments": "\n\n# only comments\n",
    "empty": "",
}

# python-hcl2 reads these one way (or not at all); the reader hands them over.
HANDED_OVER = {
    "a newline before a minus ends an attribute": "a = b\n - c\n",
    "but continues a bracketed binary operation": "a = [b + c\n - d]\n",
    "a syntax error": "a = = 1\n",
    "an unclosed block": 'resource "x" "y" {\n  a = 1\n',
    "an unterminated string": 'a = "abc\n',
    "a non-ASCII name": "ä = 1\n",
    "an unknown character": "a = 1 @ 2\n",
    "a number longer than int() reads": "a = " + "9" * 5000 + "\n",
    "nesting deeper than the reader goes": "a = " + "[" * 60 + "]" * 60 + "\n",
}


@pytest.mark.parametrize("text", HANDLED.values(), ids=HANDLED.keys())
def test_reader_builds_python_hcl2s_tree(text):
    expected = reference(text)
    assert isinstance(expected, list), expected
    assert fast(text) == expected
    assert through_parse_hcl(text) == expected


@pytest.mark.parametrize("text", HANDED_OVER.values(), ids=HANDED_OVER.keys())
def test_what_the_reader_hands_over_gets_python_hcl2s_answer(text):
    assert fast(text) is None
    assert through_parse_hcl(text) == reference(text)


def test_an_error_keeps_python_hcl2s_message_and_place():
    answer = through_parse_hcl("locals {\n  a = 1\n  b = = 2\n}\n")
    assert answer[0] == "error"
    assert answer[2:] == (3, 7)
    assert "syntax error" in answer[1]


def test_heredoc_interpolations_are_placed_in_the_file_both_ways():
    text = 'p = <<EOT\n{"Resource": "${aws_s3_bucket.b.arn}"}\nEOT\n'
    expected = reference(text)
    assert through_parse_hcl(text) == expected
    interpolation = expected[0][3][2][1]
    assert interpolation[0] == "get"
    assert interpolation[1][:2] == [2, 17]


def _tf_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".tf", ".tfvars") and p.is_file())


def _compare_files(paths: list[Path]) -> list[str]:
    """Files where the reader's tree differs from python-hcl2's, or where it gave up."""
    problems = []
    for path in paths:
        text = path.read_text(encoding="utf-8-sig")
        expected = reference(text)
        if not isinstance(expected, list):
            continue  # python-hcl2 rejects it: the reader may hand it over or read it
        if through_parse_hcl(text) != expected:
            problems.append(f"{path}: differs")
        elif fast(parse_ready(text)) is None:
            problems.append(f"{path}: handed over")
    return problems


def parse_ready(text: str) -> str:
    """The text as `parse_hcl` gives it to the reader (blanks after heredoc markers dropped)."""
    from sls_lint.loaders.terraform.hcl import _MARKER_WITH_TRAILING_BLANKS

    return _MARKER_WITH_TRAILING_BLANKS.sub(r"\1", text) if "<<" in text else text


def test_every_terraform_file_of_the_repository_reads_the_same():
    paths = _tf_files(ROOT / "tests") + _tf_files(ROOT / "samples")
    assert len(paths) > 20
    assert _compare_files(paths) == []


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
def test_every_terraform_file_of_the_corpus_reads_the_same():
    paths = _tf_files(CORPUS)
    assert len(paths) > 400
    assert _compare_files(paths) == []


# -- generated HCL -----------------------------------------------------------------------------
_NAMES = st.sampled_from(["a", "var", "local", "each", "x_1", "for_each", "in", "if", "value"])
_GAPS = st.sampled_from([" ", "", "  ", "\n  ", " # note\n  ", "\n\n    ", " /* c */ "])


def _gap(draw) -> str:
    return draw(_GAPS)


@st.composite
def _string(draw, inner):
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(["x", "arn:aws:s3:::b/*", "$", "%", "50%", "\\n", '\\"', "$${a}"]),
                inner.map(lambda e: "${" + e + "}"),
                st.just("%{ if a }y%{ else }n%{ endif }"),
            ),
            max_size=3,
        )
    )
    return '"' + "".join(parts) + '"'


def _leaf():
    return st.one_of(
        _NAMES,
        st.integers(-1000, 1000).map(str),
        st.sampled_from(["1.5", "-2.25", "1e3", "true", "false", "null", '""', '"s3:*"']),
    )


@st.composite
def _composite(draw, inner):
    kind = draw(
        st.sampled_from(
            [
                "binop",
                "cond",
                "unary",
                "call",
                "tuple",
                "object",
                "get",
                "index",
                "splat",
                "paren",
                "for_tuple",
                "for_object",
                "string",
                "continued",
            ]
        )
    )
    a, b, c = draw(inner), draw(inner), draw(inner)
    gap = _gap(draw)
    if kind == "binop":
        op = draw(
            st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"])
        )
        return f"{a} {op} {b}"
    if kind == "continued":
        op = draw(st.sampled_from(["+", "&&", "||", "*", "=="]))
        return f"({a}\n  {op} {b})"
    if kind == "cond":
        return f"{a} ? {b} : {c}"
    if kind == "unary":
        return draw(st.sampled_from(["-", "!"])) + draw(st.sampled_from(["x", "(" + a + ")"]))
    if kind == "call":
        tail = draw(st.sampled_from(["", ",", "..."]))
        return f"f({gap}{a},{gap}{b}{tail}{gap})"
    if kind == "tuple":
        return f"[{gap}{a},{gap}{b}{draw(st.sampled_from(['', ',']))}{gap}]"
    if kind == "object":
        sep = draw(st.sampled_from([",", "\n", ",\n"]))
        return f'{{{gap}k = {a}{sep}{gap}"q" : {b}{gap}}}'
    if kind == "get":
        return f"x.{draw(_NAMES)}.{draw(st.sampled_from(['y', '0', 'true']))}"
    if kind == "index":
        return f"x[{gap}{a}{gap}]"
    if kind == "splat":
        return draw(st.sampled_from(["x.*.y", "x[*].y[0]", "x[*]", "x.*"]))
    if kind == "paren":
        return f"({gap}{a}{gap})"
    if kind == "for_tuple":
        cond = draw(st.sampled_from(["", f" if {c}"]))
        return f"[for v in {a} : {b}{cond}]"
    if kind == "for_object":
        group = draw(st.sampled_from(["", "..."]))
        return f"{{for k, v in {a} : k => {b}{group}}}"
    return draw(_string(inner))


_EXPRESSIONS = st.recursive(_leaf(), lambda inner: _composite(inner), max_leaves=12)


@st.composite
def _documents(draw):
    lines = []
    for index in range(draw(st.integers(1, 4))):
        value = draw(_EXPRESSIONS)
        trailer = draw(st.sampled_from(["", " # end", " // end", "\n"]))
        if draw(st.booleans()):
            lines.append(f'block "label{index}" {{\n  attr = {value}{trailer}\n}}')
        else:
            lines.append(f"attr{index} = {value}{trailer}")
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_generated_hcl_reads_the_same(text):
    expected = reference(text)
    assume(isinstance(expected, list))
    assert through_parse_hcl(text) == expected
    # The generator writes only what the reader reads (3,000 examples: none handed over).
    assert fast(text) == expected


# -- mutated real files ------------------------------------------------------------------------
_SEEDS = [
    p.read_text(encoding="utf-8")
    for p in _tf_files(ROOT / "samples") + _tf_files(ROOT / "tests" / "fixtures")
    if p.stat().st_size < 8000
]
_INSERTS = list('{}[]()"$%#/*\\\n =:,.?!<>-+~0aZ_') + [
    "${",
    "%{",
    "<<EOF\n",
    "\nEOF\n",
    "//",
    "/*",
    "*/",
    "...",
    "=>",
    "::",
    '"${x}"',
    "\r\n",
]


@st.composite
def _mutated(draw):
    text = draw(st.sampled_from(_SEEDS))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(_INSERTS)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 6)) :]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_mutated_files_read_the_same_or_are_handed_over(text):
    """Broken or odd text never escapes the reader as anything but `NotHandled`."""
    expected = reference(text)
    tree = fast(parse_ready(text))  # raises if the reader fails in any other way
    if isinstance(expected, list) and tree is not None:
        assert tree == expected
    assert through_parse_hcl(text) == expected or tree is not None
