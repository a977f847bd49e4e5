"""SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps, SonarQube).

Shaped by what consumers actually read (docs/cli.md "SARIF"): exactly one run, since GitHub
rejects several runs of one tool and category in a file; every enabled rule with short and full
description, help text and markdown, `security-severity` as a *string* (a number is rejected);
repository-relative URIs (GitHub does not resolve `uriBaseId`); columns always present and >= 1;
`partialFingerprints` with GitHub's `primaryLocationLineHash` (computed here so REST uploads
deduplicate too) plus our own line-independent fingerprint. Suppressed results carry
`suppressions` — GitHub ignores that property and shows them as open alerts, hence
`--no-include-suppressed`.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Location
from sls_lint.reporters import Report
from sls_lint.reporters.catalogue import INTERNAL_RULES, security_severity_text
from sls_lint.reporters.line_hash import line_hashes
from sls_lint.state.baseline import fingerprint, relative_path

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/sls-lint/sls-lint"
FINGERPRINT_KEY = "slsLintFingerprint/v1"
_CWE = re.compile(r"^CWE-(\d+)$", re.I)
_FENCE = re.compile(r"^```(\w+)(?: (?:fail|pass))?$", re.M)
_FENCE_LANG = {"cloudformation": "yaml", "sam": "yaml", "serverless": "yaml", "terraform": "hcl"}


def artifact_uri(file: str, root: str | None) -> str:
    """A repository-relative, percent-encoded URI reference for `file` (as displayed)."""
    path = relative_path(file, root)
    if path.startswith("/"):
        return "file://" + quote(path)
    return quote(path)


def _region(location: Location) -> dict[str, int]:
    mark = location.mark
    line = max(1, mark.line)
    column = max(1, mark.column)
    end_line = max(line, mark.end_line)
    end_column = max(1, mark.end_column)
    if end_line == line and end_column <= column:
        end_column = column + 1
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _physical(location: Location, root: str | None) -> dict[str, Any]:
    return {
        "artifactLocation": {"uri": artifact_uri(location.file, root)},
        "region": _region(location),
    }


def _tags(rule: Any) -> list[str]:
    """The rule's tags plus CodeQL's `external/cwe/cwe-N` form, which dashboards group by."""
    tags = list(rule.tags)
    for tag in rule.tags:
        match = _CWE.match(tag)
        if match:
            tags.append(f"external/cwe/cwe-{match.group(1)}")
    return list(dict.fromkeys(tags))[:20]


def _help_markdown(rule: Any) -> str:
    """The rule's documentation with example fences re-tagged with a highlighter language."""
    return _FENCE.sub(
        lambda m: "```" + _FENCE_LANG.get(m.group(1), m.group(1)), rule.documentation()
    )


def rule_descriptor(rule: Any, level: str) -> dict[str, Any]:
    """SARIF `reportingDescriptor` of one rule; independent of the run's results."""
    description = rule.description()
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary[:1024]},
        "fullDescription": {"text": description[:1024]},
        "help": {"text": description, "markdown": _help_markdown(rule)},
    }
    help_uri = rule.help_uri()
    if help_uri:  # a custom rule without its own page gets none, never a link to ours
        descriptor["helpUri"] = help_uri
    return {
        **descriptor,
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": _tags(rule),
            "precision": rule.precision,
            "security-severity": security_severity_text(rule.security_severity),
        },
    }


def _result(
    finding: Finding, rule_index: int, root: str | None, hashes: dict[int, str] | None
) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": _physical(finding.location, root)}
    if finding.resource:
        location["logicalLocations"] = [
            {"name": finding.resource, "fullyQualifiedName": finding.resource, "kind": "resource"}
        ]
    path = relative_path(finding.location.file, root)
    fingerprints = {FINGERPRINT_KEY: fingerprint(finding, path)}
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
    if finding.resource_type:
        result["properties"] = {"resourceType": finding.resource_type}
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
    """The SARIF log as a dict (one run)."""
    root = report.sarif_root
    descriptors = [rule_descriptor(rule, report.rule_severity(rule)) for rule in report.rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    findings = report.shown
    for finding in findings:
        internal = INTERNAL_RULES.get(finding.rule_id)
        if finding.rule_id not in index and internal is not None:
            index[finding.rule_id] = len(descriptors)
            descriptors.append(rule_descriptor(internal, report.rule_severity(internal)))
    hash_cache: dict[str, dict[int, str] | None] = {}
    results = []
    for finding in findings:
        if finding.rule_id not in index:
            continue
        file = finding.location.file
        if file not in hash_cache:
            text = report.texts.get(file)
            hash_cache[file] = line_hashes(text) if text is not None else None
        results.append(_result(finding, index[finding.rule_id], root, hash_cache[file]))
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
    return json.dumps(build_sarif(report), indent=2, ensure_ascii=False) + "\n"
