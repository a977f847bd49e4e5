"""Merge the SARIF files of a sharded run (`check --shard K/N`) into one SARIF log.

GitHub code scanning rejects several runs of one tool and category in one upload, and replaces
a category's alerts with each upload, so N shards must become ONE run before upload:

* the tool is the same in every input (same driver name and version), else it is an error;
* `rules` is the union of the inputs' rule descriptors, sorted by id (each shard lists the
  rules enabled in its run; they are the same descriptors, but a shard may have added an
  internal rule such as SLS000 that another did not); every result's `ruleIndex` is rewritten
  to point into the merged list;
* results are concatenated and sorted by location, rule and message (then by their JSON
  text), so the merged file is byte-identical whatever the order the shard files are given in;
* `automationDetails` (the code-scanning category), `columnKind` and the other run properties
  are kept when all runs agree; a conflicting category is an error, since it would mix alerts.

Only the standard library is used, so `sls-lint merge-sarif` starts fast.
"""

from __future__ import annotations

import copy
import json
from typing import Any

_TOOL_IDENTITY = ("name", "version", "semanticVersion")


def _runs(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    for number, document in enumerate(documents, 1):
        if not isinstance(document, dict) or not isinstance(document.get("runs"), list):
            raise ValueError(f"input {number} is not a SARIF log (no 'runs' list)")
        if document.get("version", "2.1.0") != "2.1.0":
            raise ValueError(f"input {number} is SARIF {document.get('version')}, not 2.1.0")
        for run in document["runs"]:
            if not isinstance(run, dict) or not isinstance(run.get("tool"), dict):
                raise ValueError(f"input {number} has a run without a tool")
            runs.append(run)
    if not runs:
        raise ValueError("nothing to merge: no SARIF runs in the inputs")
    return runs


def _driver(run: dict[str, Any]) -> dict[str, Any]:
    driver = run["tool"].get("driver")
    if not isinstance(driver, dict) or "name" not in driver:
        raise ValueError("a run has no tool.driver.name")
    return driver


def _same_tool(runs: list[dict[str, Any]]) -> None:
    first = _driver(runs[0])
    for run in runs[1:]:
        driver = _driver(run)
        for key in _TOOL_IDENTITY:
            if driver.get(key) != first.get(key):
                raise ValueError(
                    f"cannot merge runs of different tools: {key} "
                    f"{first.get(key)!r} != {driver.get(key)!r}"
                )


def _merged_rules(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for run in runs:
        for rule in _driver(run).get("rules", []) or []:
            rule_id = rule.get("id")
            if not isinstance(rule_id, str):
                raise ValueError("a rule descriptor has no id")
            # The first descriptor of an id wins: shards of one run describe a rule identically.
            by_id.setdefault(rule_id, rule)
    return [copy.deepcopy(by_id[rule_id]) for rule_id in sorted(by_id)]


def _rule_id(result: dict[str, Any], rules: list[dict[str, Any]]) -> str | None:
    """The result's rule id: `ruleId`, else `rule.id`, else its index in its own run's rules."""
    if isinstance(result.get("ruleId"), str):
        return result["ruleId"]
    rule = result.get("rule")
    if isinstance(rule, dict) and isinstance(rule.get("id"), str):
        return rule["id"]
    index = result.get("ruleIndex", rule.get("index") if isinstance(rule, dict) else None)
    if isinstance(index, int) and 0 <= index < len(rules):
        return rules[index].get("id")
    return None


def _sort_key(result: dict[str, Any]) -> tuple[Any, ...]:
    location: dict[str, Any] = {}
    locations = result.get("locations") or []
    if locations and isinstance(locations[0], dict):
        location = locations[0].get("physicalLocation") or {}
    uri = (location.get("artifactLocation") or {}).get("uri", "")
    region = location.get("region") or {}
    return (
        uri,
        region.get("startLine", 0),
        region.get("startColumn", 0),
        result.get("ruleId", ""),
        (result.get("message") or {}).get("text", ""),
        json.dumps(result, sort_keys=True, ensure_ascii=False),
    )


def _results(runs: list[dict[str, Any]], index: dict[str, int]) -> list[dict[str, Any]]:
    merged = []
    for run in runs:
        own_rules = _driver(run).get("rules", []) or []
        for result in run.get("results", []) or []:
            result = copy.deepcopy(result)
            rule_id = _rule_id(result, own_rules)
            if rule_id is not None and rule_id in index:
                result["ruleId"] = rule_id
                result["ruleIndex"] = index[rule_id]
                if isinstance(result.get("rule"), dict):
                    result["rule"]["index"] = index[rule_id]
            else:  # an index into nothing would be invalid SARIF: keep the id only
                result.pop("ruleIndex", None)
                if isinstance(result.get("rule"), dict):
                    result["rule"].pop("index", None)
            merged.append(result)
    merged.sort(key=_sort_key)
    return merged


def _agreed(runs: list[dict[str, Any]], key: str) -> Any:
    """The value of `key` if every run has the same one (or none); ValueError otherwise."""
    values = [run.get(key) for run in runs]
    first = values[0]
    if any(value != first for value in values[1:]):
        raise ValueError(f"cannot merge runs with different '{key}' values")
    return first


def merge(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """One SARIF 2.1.0 log with one run holding every input run's rules and results."""
    runs = _runs(documents)
    _same_tool(runs)
    rules = _merged_rules(runs)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    keys = list(dict.fromkeys(key for run in runs for key in run))  # first run's order first
    merged: dict[str, Any] = {}
    for key in keys:
        if key == "tool":
            merged["tool"] = copy.deepcopy(runs[0]["tool"])
            merged["tool"]["driver"]["rules"] = rules
        elif key == "results":
            merged["results"] = _results(runs, index)
        elif key == "invocations":
            merged["invocations"] = [
                copy.deepcopy(invocation) for run in runs for invocation in run.get(key) or []
            ]
        else:  # automationDetails, columnKind, artifacts...: kept only if every run agrees
            merged[key] = copy.deepcopy(_agreed(runs, key))
    merged.setdefault("results", [])
    schema = next((d["$schema"] for d in documents if isinstance(d.get("$schema"), str)), None)
    log: dict[str, Any] = {"$schema": schema} if schema else {}
    log.update({"version": "2.1.0", "runs": [merged]})
    return log
