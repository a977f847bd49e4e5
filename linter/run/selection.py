"""Which rules run: `--select`/`--ignore`/`--extend-select` by id, id prefix or name.

Ruff's semantics: the most specific matching selector wins (an exact id beats a prefix), and
at equal specificity `ignore` beats `select`.

The internal ids (every entry of `reporters/catalogue.INTERNAL_RULES`: parse error, rule error,
unused and expired suppression, module unavailable, duplicate key, ...) are addressed the same
way, with one difference: they are always selected implicitly, so that `--select SLS2` does not
hide the files that could not be parsed. Only an explicit `--ignore`
turns one off; an explicit `--select SLS002` turns on the unused-suppression report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sls_lint.model.rule import id_prefix_matches


class SelectorError(ValueError):
    """A selector that matches no rule (a typo must not silently disable nothing)."""


def _specificity(selector: str, rule: Any) -> int | None:
    """How specifically `selector` names `rule` (higher is more specific), or None."""
    text = selector.strip()
    if text.upper() == "ALL":
        return 0
    if text == rule.name:
        return 100
    upper = text.upper()
    # Any id, built-in, custom (`ACME001`) or a policy's (`ORG001`), by itself or a prefix,
    # without regard to case.
    if id_prefix_matches(upper, rule.id.upper()):
        return len(upper)
    return None


def validate(selectors: Iterable[str], rules: Sequence[Any], option: str) -> None:
    for selector in selectors:
        if not any(_specificity(selector, rule) is not None for rule in rules):
            raise SelectorError(f"{option}: '{selector}' matches no rule id, prefix or name")


def select_rules(
    rules: Sequence[Any],
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
) -> list[Any]:
    """The rules enabled by the selectors; `select=None` means every rule."""
    chosen = []
    selectors = list(select) if select is not None else ["ALL"]
    selectors += list(extend_select)
    for rule in rules:
        best_select = max(
            (s for s in (_specificity(x, rule) for x in selectors) if s is not None), default=None
        )
        best_ignore = max(
            (s for s in (_specificity(x, rule) for x in ignore) if s is not None), default=None
        )
        if best_select is None:
            continue
        if best_ignore is not None and best_ignore >= best_select:
            continue
        chosen.append(rule)
    return chosen


def internal_enabled(
    internal: Sequence[Any],
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
) -> list[Any]:
    """The internal rules whose findings are kept: all but those ignored more specifically
    than they are selected (an implicit `ALL` selects each)."""
    selectors = [*(select or ()), *extend_select]
    kept = []
    for rule in internal:
        best_select = max(
            (s for s in (_specificity(x, rule) for x in selectors) if s is not None), default=0
        )
        best_ignore = max(
            (s for s in (_specificity(x, rule) for x in ignore) if s is not None), default=None
        )
        if best_ignore is None or best_ignore < best_select:
            kept.append(rule)
    return kept


def explicitly_selected(
    rule: Any, select: Sequence[str] | None, extend_select: Sequence[str]
) -> bool:
    """Whether a selector other than `ALL` names `rule` (by id, prefix or name)."""
    return any((_specificity(x, rule) or 0) > 0 for x in [*(select or ()), *extend_select])
