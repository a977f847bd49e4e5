"""Rule metadata as every output shows it: `sls-lint rules`, `explain` and SARIF `rules[]`.

Why one module: a user who reads a rule in `sls-lint rules --format json` and the same rule in
a code-scanning alert must see the same id, name, severity and text. The internal ids
(SLS000-SLS006) are findings the tool itself raises; they are listed here too, so that SARIF
can describe them and `sls-lint explain SLS002` works.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DOCS_URI = "https://github.com/sls-lint/sls-lint/blob/main/docs"


@dataclass(frozen=True)
class InternalRule:
    """A finding sls-lint raises about the run itself, shaped like a rule class."""

    id: str
    name: str
    summary: str
    text: str
    severity: str
    security_severity: float
    precision: str = "very-high"
    tags: tuple[str, ...] = ("sls-lint",)
    formats: tuple[str, ...] = ("serverless", "sam", "cloudformation", "terraform")

    def description(self) -> str:
        return self.text

    def documentation(self) -> str:
        return self.text

    def family(self) -> str:
        return "internal"

    def help_uri(self) -> str:
        return f"{DOCS_URI}/rules.md#{self.id.lower()}"


INTERNAL_RULES = {
    rule.id: rule
    for rule in (
        InternalRule(
            "SLS000",
            "parse-error",
            "File cannot be read or parsed",
            "What it finds: a file that looks like infrastructure-as-code but cannot be read or "
            "parsed (syntax error, not UTF-8, over a size or nesting limit).\n\nWhy it matters: "
            "nothing in the file was checked. The run goes on with the other files.\n\nHow to "
            "fix: correct the syntax at the reported line, or exclude the file.",
            "error",
            5.0,
        ),
        InternalRule(
            "SLS001",
            "rule-error",
            "A rule failed with an internal error",
            "What it finds: a rule that raised an exception on a file; every other rule still "
            "ran.\n\nWhy it matters: that rule's findings for the file are missing.\n\nHow to "
            "fix: report the bug with the message; meanwhile the run's other results stand.",
            "error",
            1.0,
        ),
        InternalRule(
            "SLS002",
            "unused-suppression",
            "A suppression comment silences nothing",
            "What it finds: an `sls-lint: ignore[...]` comment whose rule produces no finding on "
            "the lines it covers, or which names no rule (a typo). Reported only with "
            "`--report-unused-suppressions`.\n\nWhy it matters: stale suppressions hide future "
            "problems on those lines.\n\nHow to fix: delete the comment or correct the id.",
            "note",
            1.0,
        ),
        InternalRule(
            "SLS003",
            "expired-suppression",
            "A suppression's until= date has passed",
            "What it finds: an `sls-lint: ignore[...] until=YYYY-MM-DD` comment after its date "
            "(or with an invalid date). The finding it covered counts again.\n\nWhy it matters: "
            "a temporary exception became permanent without review.\n\nHow to fix: fix the "
            "finding, or renew the suppression with a new date and reason.",
            "warning",
            2.0,
        ),
        InternalRule(
            "SLS005",
            "module-unavailable",
            "A Terraform module is not on disk, so its resources were not analysed",
            "What it finds: a `module` block whose source is a registry, git or other remote "
            "address that `terraform init` has not downloaded (no entry in "
            "`.terraform/modules/modules.json`), or a local path that does not exist. Reported "
            "once per module call, at the block.\n\nWhy it matters: the resources the module "
            "creates (functions, roles, APIs) are not checked, and its outputs are unknown, so "
            "silence would hide them.\n\nHow to fix: run `terraform init` (`terraform init "
            "-backend=false` needs no credentials) before sls-lint, as CI usually does.",
            "note",
            1.0,
            formats=("terraform",),
        ),
        InternalRule(
            "SLS006",
            "duplicate-key",
            "A key is written twice in one YAML/JSON mapping",
            "What it finds: a mapping of a CloudFormation/SAM template or serverless.yml where "
            "the same key appears twice (a second `Role:`, a second `Properties:`), reported "
            "at the second key.\n\nWhy it matters: the second value silently replaces the "
            "first, and tools disagree on which one wins (most YAML/JSON parsers keep the last, "
            "some the first; js-yaml, used by the Serverless Framework, rejects the file): what "
            "is deployed may not be what the author or a reviewer read. sls-lint lints the last "
            "value.\n\n"
            "How to fix: delete or rename one of the keys.",
            "warning",
            3.0,
            formats=("serverless", "sam", "cloudformation"),
        ),
    )
}


def rule_metadata(rule: Any, severity: str | None = None) -> dict[str, Any]:
    """The catalogue entry of one rule (`severity` overrides the rule's default)."""
    return {
        "id": rule.id,
        "name": rule.name,
        "severity": severity or rule.severity,
        "family": rule.family(),
        "summary": rule.summary,
        "security_severity": rule.security_severity,
        "precision": rule.precision,
        "tags": list(rule.tags),
        "formats": list(rule.formats),
        "help_uri": rule.help_uri(),
    }


def security_severity_text(score: float) -> str:
    """GitHub's `security-severity`: a *string* holding a score in (0, 10]."""
    return f"{min(10.0, max(0.1, float(score))):.1f}"
