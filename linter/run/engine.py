"""Run the pipeline: discover, load each unit, run every enabled rule, collect findings.

Errors are findings, not crashes: an unreadable file is `SLS000`, and a rule that raises is
`SLS001` naming the rule and file while every other rule still runs.
"""

from __future__ import annotations

import gc
import re
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sls_lint.loaders import LoadContext, LoadResult, ParseProblem, load_unit
from sls_lint.model.findings import Finding, Related, Suppression
from sls_lint.model.graph import Location
from sls_lint.model.rule import Rule
from sls_lint.run.discovery import DiscoveryOptions
from sls_lint.sources.files import Unit
from sls_lint.sources.located import Mark

if TYPE_CHECKING:  # pragma: no cover
    from sls_lint.model.view import View

PARSE_ERROR_ID = "SLS000"
PARSE_ERROR_NAME = "parse-error"
RULE_ERROR_ID = "SLS001"
RULE_ERROR_NAME = "rule-error"


@dataclass
class LintOptions:
    """Everything that shapes one run (built by the CLI from flags and configuration)."""

    discovery: DiscoveryOptions = field(default_factory=DiscoveryOptions)
    context: LoadContext = field(default_factory=LoadContext)
    jobs: int = 1
    view: str | None = None  # "condensed" / "full": also draw each unit (graph, HTML report)


@dataclass
class UnitReport:
    """What one unit produced; picklable, so workers can return it."""

    key: str
    files: list[str]
    findings: list[Finding]
    texts: dict[str, str]
    view: View | None = None


@dataclass
class LintResult:
    findings: list[Finding]
    files: list[str]
    texts: dict[str, str]
    views: list[View] = field(default_factory=list)  # units' pictures, when asked for


#: Allocations between two young-generation collections during a run (CPython's default: 700).
GC_YOUNG_THRESHOLD = 10_000


_gc_tuned = False


def tune_gc() -> None:
    """Make the cyclic garbage collector cheap for a lint run; called by the CLI (and workers).

    Why: a unit is parsed into tens of thousands of small located values that live until the
    unit is done, and are then freed by reference counting (the graph holds no cycles worth
    collecting). With CPython's default threshold the collector walks those live values again
    and again while a unit loads: ~10% of the CPU time of a CloudFormation or SAM run. Freezing
    what exists now (modules, rules, options: alive until exit) keeps full collections from
    walking it, and a larger young-generation threshold makes collections rare. Cost: cyclic
    garbage waits longer; peak memory of the YAML formats is unchanged to the megabyte, the
    whole corpus (Terraform's parse trees hold cycles) peaks ~13 MB higher (86 -> 99 MB).
    """
    global _gc_tuned
    if _gc_tuned:  # once per process: an in-process caller (tests) may run many checks
        return
    _gc_tuned = True
    gc.freeze()
    young, middle, old = gc.get_threshold()
    if 0 < young < GC_YOUNG_THRESHOLD:
        gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def parse_error(location: Location, message: str) -> Finding:
    return Finding(
        rule_id=PARSE_ERROR_ID,
        rule_name=PARSE_ERROR_NAME,
        severity="error",
        message=message,
        location=location,
        property_path=message,
    )


def run_rules(rules: Sequence[Rule], result: LoadResult, unit_file: str) -> list[Finding]:
    """Every rule over one unit's graph; a failing rule becomes an SLS001 finding."""
    findings: list[Finding] = []
    graph = result.graph
    if not len(graph):
        return findings
    for rule in rules:
        try:
            for item in rule.check(graph) or ():
                if not isinstance(item, Finding):
                    # A plugin yielding junk must not crash the reporters after the run.
                    raise TypeError(f"check() yielded a {type(item).__name__}, not a Finding")
                findings.append(item)
        except Exception as error:  # noqa: BLE001 - isolate rule bugs from the run
            frame = traceback.extract_tb(error.__traceback__)[-1]
            findings.append(
                Finding(
                    rule_id=RULE_ERROR_ID,
                    rule_name=RULE_ERROR_NAME,
                    severity="error",
                    message=(
                        f"internal error in rule {rule.id} ({rule.name}): "
                        f"{type(error).__name__}: {error} at {Path(frame.filename).name}:"
                        f"{frame.lineno}; please report it"
                    ),
                    location=Location(unit_file, Mark(1, 1, 1, 2)),
                    property_path=rule.id,
                )
            )
    return findings


def lint_unit(
    unit: Unit, rules: Sequence[Rule], context: LoadContext, view: str | None = None
) -> UnitReport:
    """Load one unit and run the rules on it; never raises for bad input.

    `view` ("condensed" or "full") also draws the unit's picture from its graph here, where the
    graph is, so that worker processes send back a small drawing instead of the graph.
    """
    try:
        result = load_unit(unit, context)
    except Exception as error:  # noqa: BLE001 - a loader bug must not end the run
        frame = traceback.extract_tb(error.__traceback__)[-1]
        result = LoadResult()
        result.problems.append(
            _loader_crash(
                unit,
                f"{type(error).__name__}: {error} at {Path(frame.filename).name}:{frame.lineno}",
            )
        )
    findings = [parse_error(p.location, p.message) for p in result.problems]
    findings.extend(result.notices)
    findings.extend(run_rules(rules, result, unit.primary.display))
    _apply_metadata_suppressions(findings, result.metadata_suppressions)
    _make_printable(findings)
    _internal_as_rule_errors(findings, result.problems)
    files = [f.display for f in unit.files]
    drawn = None
    if view is not None and len(result.graph):
        from sls_lint.model.condense import condense
        from sls_lint.model.view import full_view

        draw = full_view if view == "full" else condense
        try:
            drawn = draw(result.graph, unit.key, unit.format, files)
        except Exception:  # noqa: BLE001 - a drawing bug must not end the run: draw it all
            drawn = full_view(result.graph, unit.key, unit.format, files)
    return UnitReport(
        key=unit.key,
        files=files + result.linted_with,
        findings=findings,
        texts=result.texts,
        view=drawn,
    )


# C0/C1 controls (newline and ESC included), line separators and bidi overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with unprintable characters written as escapes (`\\n`, `\\x1b`, `\\u202e`).

    Why: messages quote names from the template. A logical id holding a newline would forge a
    line of `concise` or text output (a fake finding, a fake "No findings"), ESC sequences
    would drive the user's terminal, bidi overrides reorder what a reviewer reads.
    """
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _make_printable(findings: list[Finding]) -> None:
    for finding in findings:
        finding.message = printable(finding.message)
        finding.resource = printable(finding.resource)
        if any(_UNPRINTABLE.search(r.message) for r in finding.related):
            finding.related = [Related(r.location, printable(r.message)) for r in finding.related]


def _apply_metadata_suppressions(
    findings: list[Finding], suppressions: dict[str, list[tuple[str, str]]]
) -> None:
    """CloudFormation `Metadata: sls-lint: ignore:` entries silence their resource's findings."""
    if not suppressions:
        return
    for finding in findings:
        for rule_ref, reason in suppressions.get(finding.resource, ()):
            if rule_ref in (finding.rule_id, finding.rule_name):
                finding.suppression = Suppression("metadata", reason)
                break


def _loader_crash(unit: Unit, detail: str) -> ParseProblem:
    return ParseProblem(
        unit.primary.display,
        f"internal error while loading ({detail}); please report it",
        internal=True,
    )


def _internal_as_rule_errors(findings: list[Finding], problems: Sequence[ParseProblem]) -> None:
    """Loader bugs are SLS001, not SLS000: the user's file is not what is broken.

    `findings` starts with one finding per problem, in the same order.
    """
    for index, problem in enumerate(problems):
        if problem.internal:
            findings[index].rule_id = RULE_ERROR_ID
            findings[index].rule_name = RULE_ERROR_NAME
