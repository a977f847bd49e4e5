"""The rule API: `Rule`, `Example` and finding helpers (public path for custom rules).

The code lives in `sls_lint.model.rule`; this name stays stable for rule authors.
"""

from sls_lint.model.rule import (  # noqa: F401
    FAMILIES,
    FORMATS,
    Example,
    Rule,
    iter_rule_classes,
)

__all__ = [
    "Example",
    "FAMILIES",
    "FORMATS",
    "Rule",
    "iter_rule_classes",
]
