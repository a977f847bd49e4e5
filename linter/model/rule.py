"""The rule API: metadata, documentation with executable examples, and `check(graph)`.

A rule is a small class in its own module. Its docstring *is* its documentation
("What it finds / Why it matters / How to fix") followed by fenced examples tagged with a
format and an expectation::

    ```cloudformation fail
    Resources: ...
    ```

The test suite lints every example and checks that the rule fires on `fail` blocks and stays
silent on `pass` blocks, so the docs cannot lie; `sls-lint explain ID` prints the same text.
"""

from __future__ import annotations

import functools
import inspect
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from sls_lint.model.findings import Finding, Related
from sls_lint.model.graph import Location, Node, ResourceGraph

FORMATS = ("serverless", "sam", "cloudformation", "terraform")

FAMILIES = {
    "0": "internal",
    "1": "exposure",
    "2": "iam",
    "3": "logging",
    "4": "network",
    "5": "gateway",
    "6": "currency",
    "7": "secrets",
    "8": "resilience",
}

_BUILTIN_PACKAGE = "sls_lint.rules."
_RULES_PAGE = "https://github.com/sls-lint/sls-lint/blob/main/docs/rules.md"

_EXAMPLE = re.compile(r"^```(\w+) (fail|pass)\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Example:
    """A documented example: a file in `format` on which the rule must `fail` or `pass`."""

    format: str
    expect: str
    source: str


class Rule:
    """Base class of every rule. Subclasses set the metadata and implement `check`."""

    id: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""  # one sentence, shown in listings and as SARIF shortDescription
    severity: ClassVar[str] = "warning"  # error | warning | note
    security_severity: ClassVar[float] = 5.0  # CVSS-like, for SARIF code scanning
    precision: ClassVar[str] = "high"  # very-high | high | medium | low
    tags: ClassVar[tuple[str, ...]] = ()
    formats: ClassVar[tuple[str, ...]] = FORMATS
    #: Where the rule's documentation lives online (SARIF `helpUri`). Built-in rules default to
    #: sls-lint's `docs/rules.md`; any other rule has none unless it sets one, so a code-scanning
    #: alert of a custom rule never links to a page that does not describe it.
    help_url: ClassVar[str | None] = None

    # -- documentation --------------------------------------------------------------------
    @classmethod
    def documentation(cls) -> str:
        """The cleaned docstring; cached per class, since every SARIF run asks for all rules."""
        return _cleaned_doc(cls.__doc__ or "")

    @classmethod
    def description(cls) -> str:
        """The documentation without its examples (SARIF fullDescription / help text)."""
        text = cls.documentation().split("Examples", 1)[0]
        return text.strip()

    @classmethod
    def examples(cls) -> list[Example]:
        return [
            Example(fmt, expect, textwrap.dedent(body).strip("\n") + "\n")
            for fmt, expect, body in _EXAMPLE.findall(cls.documentation())
        ]

    @classmethod
    def family(cls) -> str:
        return FAMILIES.get(cls.id[3:4], "other")

    @classmethod
    def help_uri(cls) -> str | None:
        """`help_url` if set; sls-lint's rules page for built-in rules; otherwise None."""
        if cls.help_url:
            return cls.help_url
        if cls.__module__.startswith(_BUILTIN_PACKAGE):
            return f"{_RULES_PAGE}#{cls.id.lower()}"
        return None

    # -- checking -------------------------------------------------------------------------
    def check(self, graph: ResourceGraph) -> Iterable[Finding]:  # pragma: no cover
        raise NotImplementedError

    def finding(
        self,
        node: Node,
        message: str,
        at: Iterable[str] = (),
        related: Iterable[tuple[Node | Location, str]] = (),
        path: str | None = None,
    ) -> Finding:
        """A finding on `node` at the first known attribute location of `at`.

        `path` (default: the first of `at`) is the property path used in the fingerprint, so
        that the same problem keeps its identity when lines move.
        """
        names = tuple(at)
        location = node.loc(*names)
        return Finding(
            rule_id=self.id,
            rule_name=self.name,
            severity=self.severity,
            message=message,
            location=location,
            resource=node.address,
            resource_type=node.resource_type,
            property_path=path if path is not None else (names[0] if names else ""),
            format=node.format,
            related=[
                Related(item.location if isinstance(item, Node) else item, text)
                for item, text in related
            ]
            + _caller_related(node, names),
        )


def _caller_related(node: Node, names: tuple[str, ...]) -> list[Related]:
    """The module caller arguments behind the located attribute (Terraform child modules)."""
    causes = node.attrs.get("caller_locations")
    if not causes:
        return []
    for name in names:
        if name in causes:
            return [Related(where, text, "caller") for where, text in causes[name]]
        if name in node.locations:
            break  # the finding is at this attribute, and no caller set it
    return []


@functools.lru_cache(maxsize=512)
def _cleaned_doc(text: str) -> str:
    return inspect.cleandoc(text)


def iter_rule_classes(namespace: Iterable[object]) -> Iterator[type[Rule]]:
    """Rule subclasses found among `namespace` (module attributes, a list...)."""
    for item in namespace:
        if inspect.isclass(item) and issubclass(item, Rule) and item is not Rule and item.id:
            yield item


_ID_LETTERS = re.compile(r"^[A-Z_]+")


def id_prefix_matches(selector: str, rule_id: str) -> bool:
    """Whether `selector` (upper case) names `rule_id` by id or id prefix (`SLS2`, `ORG`).

    A prefix must cover at least the id's letters, so `S` selects nothing while `SLS` and `ORG`
    select their whole packs; built-in rules and policies (`ORG001`) are named alike.
    """
    letters = _ID_LETTERS.match(rule_id)
    return rule_id.startswith(selector) and len(selector) >= (letters.end() if letters else 1)
