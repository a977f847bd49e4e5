"""SLS006 duplicate-key: a key written twice in one YAML/JSON mapping.

Why a finding: YAML and JSON parsers disagree on which value a repeated key keeps (PyYAML and
most JSON parsers keep the last, some the first; js-yaml, which the Serverless Framework uses,
rejects the file), and the repetition usually hides what the author meant: a second `Role:`
silently replacing the first. cfn-lint reports it too. The linter lints the value of the last
key and points at the second one.
"""

from __future__ import annotations

from sls_lint.loaders import LoadResult
from sls_lint.model.findings import Finding
from sls_lint.model.graph import Location
from sls_lint.sources.yaml_source import Duplicate

DUPLICATE_KEY_ID = "SLS006"
DUPLICATE_KEY_NAME = "duplicate-key"
# A hostile file could repeat a key a million times: report the first ones, the file is wrong.
MAX_REPORTED = 100


def report_duplicates(file: str, duplicates: list[Duplicate], result: LoadResult) -> None:
    """One warning per repeated key, at the repetition; the fingerprint counts repetitions of
    the same key name in the file, so it survives moving lines."""
    seen: dict[str, int] = {}
    for duplicate in duplicates[:MAX_REPORTED]:
        key = str(duplicate.key)
        seen[key] = seen.get(key, 0) + 1
        result.notice(
            Finding(
                rule_id=DUPLICATE_KEY_ID,
                rule_name=DUPLICATE_KEY_NAME,
                severity="warning",
                message=(
                    f"Key '{key}' is written twice in this mapping (first at line "
                    f"{duplicate.first.line}): this value replaces the first one, and tools "
                    "disagree on which one counts"
                ),
                location=Location(file, duplicate.second),
                property_path=f"{key}#{seen[key]}",
            )
        )
