"""Reading a stage's method settings: which apply stage-wide, and truthiness under `Choice`."""

from __future__ import annotations

from typing import Any

from sls_lint.model.values import is_unknown, possible

STAGE_WIDE_PATHS = ("/*", "*", "$default")


def settings_of(stage: Any) -> list[dict[str, Any]]:
    """The stage's method settings that are dicts (an Unknown list reads as none)."""
    settings = stage.get("method_settings")
    if not isinstance(settings, list):
        return []
    return [s for s in settings if isinstance(s, dict)]


def stage_wide(setting: dict[str, Any]) -> bool:
    """`*` on `/*` (REST), or an HTTP/WebSocket stage's default route settings."""
    return (
        setting.get("http_method") in ("*", None)
        and setting.get("resource_path") in STAGE_WIDE_PATHS
    )


def may_be_true(value: Any) -> bool:
    """Some possible deployment sets it true (`true` as a string too, JSON templates)."""
    return any(option is True or str(option).lower() == "true" for option in possible(value))


def surely_true(value: Any) -> bool:
    """Every possible deployment sets it true, or it cannot be known (no guessing)."""
    return all(
        is_unknown(option) or option is True or str(option).lower() == "true"
        for option in possible(value)
    )
