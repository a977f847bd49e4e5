"""SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).

Shaped by what consumers actually read (see docs/ecosystem notes): exactly one run; every
enabled rule with short/full description, help text and markdown, `security-severity` as a
string; repository-relative URIs; columns always present; `partialFingerprints` with GitHub's
`primaryLocationLineHash` plus our own line-independent fingerprint.
"""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sls_lint.findings import Finding
from sls_lint.graph import Location
from sls_lint.reporters import Report
from sls_lint.reporters.line_hash import line_hashes

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/sls-lint/sls-lint"
FINGERPRINT_KEY = "slsLintFingerprint/v1"

_BUILTIN_RULES = {
    "SLS000": ("parse-error", "File cannot be read or parsed", "error", 5.0),
    "SLS001": ("rule-error", "A rule failed with an internal error", "error", 1.0),
}


def artifact_uri(file: str, root: str | None) -> str:
    """A repository-relative, percent-encoded URI for `file` (as the linter displayed it)."""
    path = Path(file)
    if root is not None:
        absolute = path if path.is_absolute() else Path(os.path.abspath(file))
        try:
            relative = os.path.relpath(absolute, os.path.abspath(root))
        except ValueError:
            relative = absolute.as_posix()
        if not relative.startswith(".."):
            file = Path(relative).as_posix()
    file = posixpath.normpath(file.replace("\\", "/"))
    if file.startswith("/"):
        return "file://" + quote(file)
    return quote(file)


def _region(location: Location) -> dict[str, int]:
    mark = location.mark
    end_line = max(mark.end_line, mark.line)
    end_column = mark.end_column
    if end_line == mark.line and end_column <= mark.column:
        end_column = mark.column + 1
    return {
        "startLine": max(1, mark.line),
        "startColumn": max(1, mark.column),
        "endLine": max(1, end_line),
        "endColumn": max(1, end_column),
    }


def _physical(location: Location, root: str | None) -> dict[str, Any]:
    return {
        "artifactLocation": {"uri": artifact_uri(location.file, root)},
        "region": _region(location),
    }


def _rule_descriptor(rule: Any) -> dict[str, Any]:
    description = rule.description()
    help_markdown = (
        rule.documentation()
        .replace("```cloudformation", "```yaml")
        .replace("```sam", "```yaml")
        .replace("```serverless", "```yaml")
        .replace("```terraform", "```hcl")
    )
    help_markdown = help_markdown.replace("yaml fail", "yaml").replace("yaml pass", "yaml")
    help_markdown = help_markdown.replace("hcl fail", "hcl").replace("hcl pass", "hcl")
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary[:1024]},
        "fullDescription": {"text": description[:1024]},
        "help": {"text": description, "markdown": help_markdown},
        "helpUri": rule.help_uri(),
        "defaultConfiguration": {"level": rule.severity},
        "properties": {
            "tags": list(rule.tags)[:20],
            "precision": rule.precision,
            "security-severity": f"{rule.security_severity:.1f}",
        },
    }


def _builtin_descriptor(rule_id: str) -> dict[str, Any]:
    name, summary, level, score = _BUILTIN_RULES[rule_id]
    return {
        "id": rule_id,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": summary + "."},
        "help": {"text": summary + ". The run continues; fix the file or report the bug."},
        "helpUri": f"{INFORMATION_URI}/blob/main/docs/rules.md#{rule_id.lower()}",
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": ["sls-lint"],
            "precision": "very-high",
            "security-severity": f"{score:.1f}",
        },
    }


def _result(
    finding: Finding, rule_index: int, root: str | None, hashes: dict[int, str] | None
) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": _physical(finding.location, root)}
    if finding.resource:
        location["logicalLocations"] = [
            {"fullyQualifiedName": finding.resource, "kind": "resource"}
        ]
    fingerprints = {FINGERPRINT_KEY: finding.fingerprint}
    if hashes is not None and finding.location.line in hashes:
        fingerprints["primaryLocationLineHash"] = hashes[finding.location.line]
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": finding.severity,
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": fingerprints,
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": index + 1,
                "physicalLocation": _physical(r.location, root),
                "message": {"text": r.message},
            }
            for index, r in enumerate(finding.related)
        ]
    if finding.suppression is not None:
        suppression: dict[str, Any] = {
            "kind": "external" if finding.suppression.kind == "baseline" else "inSource",
            "status": "accepted",
        }
        if finding.suppression.reason:
            suppression["justification"] = finding.suppression.reason
        result["suppressions"] = [suppression]
    return result


def build_sarif(report: Report) -> dict[str, Any]:
    descriptors = [_rule_descriptor(rule) for rule in report.rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    for finding in report.findings:
        if finding.rule_id not in index and finding.rule_id in _BUILTIN_RULES:
            index[finding.rule_id] = len(descriptors)
            descriptors.append(_builtin_descriptor(finding.rule_id))
    hash_cache: dict[str, dict[int, str] | None] = {}
    results = []
    for finding in report.findings:
        if finding.rule_id not in index:
            continue
        file = finding.location.file
        if file not in hash_cache:
            text = report.texts.get(file)
            hash_cache[file] = line_hashes(text) if text is not None else None
        results.append(
            _result(finding, index[finding.rule_id], report.sarif_root, hash_cache[file])
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "sls-lint",
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if report.sarif_category:
        run["automationDetails"] = {"id": report.sarif_category.rstrip("/") + "/"}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    return json.dumps(build_sarif(report), indent=2) + "\n"
