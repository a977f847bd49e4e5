"""The policies' vocabulary (`sls_lint.policies.vocabulary`) names exactly the node kinds, their
attributes and the edges that docs/graph.md documents and `sls_lint.model.graph` defines, so a
graph that grows (a new kind, a new attribute) cannot leave policies behind unnoticed."""

from __future__ import annotations

import re
from pathlib import Path

from sls_lint.model.graph import Edge, Kind
from sls_lint.policies import vocabulary

GRAPH_DOC = Path(__file__).resolve().parents[1] / "docs" / "graph.md"


def _without_parentheses(text: str) -> str:
    out, depth = [], 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif not depth:
            out.append(char)
    return "".join(out)


def _documented_kinds() -> dict[str, set[str]]:
    """kind -> attributes, from the `| kind | attributes |` table (top-level names only)."""
    kinds: dict[str, set[str]] = {}
    lines = GRAPH_DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index("| kind | attributes |")
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        names, attributes = (cell.strip() for cell in line.strip("|").split("|", 1))
        # parenthesised text explains values; after ";" comes prose (user, group: `grants` edges)
        listed = _without_parentheses(attributes).split(";")[0]
        found = set(re.findall(r"`([a-z_]+)`", listed))
        for kind in names.split(","):
            kinds[kind.strip()] = found
    return kinds


def _constants(cls: type) -> set[str]:
    return {v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str)}


def test_kinds_are_the_graphs():
    assert set(vocabulary.KIND_ATTRIBUTES) == _constants(Kind) == set(_documented_kinds())


def test_attributes_are_the_documented_ones():
    documented = _documented_kinds()
    for kind, attributes in vocabulary.KIND_ATTRIBUTES.items():
        assert set(attributes) == documented[kind], kind


def test_common_attributes_include_deploy_condition():
    assert "`deploy_condition` (any kind" in GRAPH_DOC.read_text(encoding="utf-8")
    assert "deploy_condition" in vocabulary.COMMON_ATTRIBUTES


def test_edges_are_the_graphs():
    assert set(vocabulary.EDGES) == _constants(Edge)
    assert set(vocabulary.EDGES["grants"][0]) == {"role", "user", "group"}
