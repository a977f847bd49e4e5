"""`sls-lint test-policies`: run every policy's own examples, as the test suite runs rules'.

Each example is written to a fresh temporary directory under its format's usual file name and
linted with that policy alone: `expect: fail` must produce a finding of the policy, `expect:
pass` none. An example that does not parse (SLS000) or makes the policy crash (SLS001) fails
too, so an organisation's policy repository gets CI from one command. A policy without examples
fails: an untested policy is how a typo ships.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sls_lint.model.rule import Rule
from sls_lint.run.engine import LintOptions
from sls_lint.run.pipeline import lint_paths

FILE_NAMES = {
    "cloudformation": "template.yaml",
    "sam": "template.yaml",
    "serverless": "serverless.yml",
    "terraform": "main.tf",
}
_INTERNAL = ("SLS000", "SLS001")


@dataclass(frozen=True)
class ExampleResult:
    """The outcome of one example (`line` is where it starts in the policy file)."""

    policy: str
    file: str
    line: int
    format: str
    expect: str
    ok: bool
    detail: str

    def describe(self) -> str:
        status = "ok  " if self.ok else "FAIL"
        text = f"{status} {self.policy} {self.format} {self.expect} ({self.file}:{self.line})"
        return f"{text}: {self.detail}" if self.detail else text


def _lint_example(rule: Rule, fmt: str, source: str, name: str) -> list:
    with tempfile.TemporaryDirectory(prefix="sls-lint-policy-") as directory:
        path = Path(directory) / (name or FILE_NAMES[fmt])
        path.write_text(source, encoding="utf-8")
        previous = os.getcwd()
        os.chdir(directory)  # findings carry paths relative to the example's directory
        try:
            return lint_paths([Path(".")], [rule], LintOptions()).findings
        finally:
            os.chdir(previous)


def run_examples(policies: Iterable[type[Rule]]) -> Iterator[ExampleResult]:
    """The result of every example of every policy, in order."""
    for cls in policies:
        examples = getattr(cls, "policy_examples", ())
        file = getattr(cls, "policy_file", "")
        if not examples:
            yield ExampleResult(
                cls.id,
                file,
                getattr(cls, "policy_line", 0),
                "-",
                "-",
                False,
                "the policy has no examples",
            )
            continue
        rule = cls()
        for fmt, expect, source, name, line in examples:
            findings = _lint_example(rule, fmt, source, name)
            broken = [f for f in findings if f.rule_id in _INTERNAL]
            fired = [f for f in findings if f.rule_id == cls.id]
            if broken:
                ok, detail = False, f"{broken[0].rule_id} {broken[0].message}"
            elif expect == "fail":
                ok = bool(fired)
                detail = "" if ok else "expected a finding, got none"
            else:
                ok = not fired
                detail = "" if ok else f"expected no finding, got: {fired[0].message}"
            yield ExampleResult(cls.id, file, line, fmt, expect, ok, detail)
