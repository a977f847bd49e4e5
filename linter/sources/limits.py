"""The bounds that keep one hostile file from stalling or exhausting a run; see docs/limits.md.

The linter reads files it did not choose (a pre-commit hook sees every YAML file of a commit, CI
scans pull requests from strangers), so every cost a file can impose is capped, and a file over a
cap becomes an `SLS000 parse-error` finding while the rest of the run goes on. The defaults live
here, in one place, so that `DiscoveryOptions`, `YamlLimits`, the configuration keys
(`max-file-bytes`, `max-depth`, `max-alias-nodes`, `max-nodes`) and the documentation agree.

Why these numbers (measured on a 2-core CI machine, see docs/limits.md):

- CloudFormation itself refuses templates over 1 MB; real serverless.yml files are a few KB.
  The largest of the 2,156 real-world files in the test corpus is 190 KB.
- Composing YAML costs ~40 ms per real-world 190 KB, but a *dense* document (`[1,1,1,...]`)
  costs ~7 µs and ~500 bytes of memory per value: bytes alone do not bound the cost, values do.
"""

from __future__ import annotations

from typing import Any

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Bigger files are not read at all (terraform plan JSON of a large estate can be ~10 MB)."""

MAX_DEPTH = 200
"""Nesting deeper than this is refused before Python's recursion limit is approached."""

MAX_ALIAS_NODES = 100_000
"""Values reached again through YAML aliases: stops "billion laughs" expansion."""

MAX_NODES = 1_000_000
"""Values (scalars, mappings, sequences) in one document: bounds time and memory per file.

A real template has one value per ~25 bytes, so this allows ~25 MB of ordinary YAML, while a
dense hostile document stops after ~7 s and ~500 MB instead of minutes and gigabytes.
"""


def estimate_nodes(text: str) -> int:
    """A cheap estimate (within a factor of two) of how many YAML values `text` composes to.

    Why: the composer (libyaml) builds its whole node tree before the located-value walk can
    count anything, and that tree is where the time and memory go. Counting the characters
    that separate or open values is C-speed (`str.count`, ~10 ms for 20 MB), so a dense
    oversized document is refused before it is composed. Flow separators and lines each hold
    about one value (pretty-printed JSON, `[1,1,1]`), block mappings hold two per line, so the
    estimate may be low by half: the exact count in the walk remains the real limit.
    """
    separators = text.count(",") + text.count("\n") + 1
    openers = text.count("[") + text.count("{") + text.count("- ")
    return separators + openers


COMPOSER_SAFE_DEPTH = 5_000
"""Deepest nesting handed to libyaml's composer, whatever `max_depth` says.

libyaml's composer recurses in C: around 25,000 levels (`[[[[...`, 50 KB of text) overflow an
8 MB stack and kill the process with SIGSEGV, which no `except` can catch. Documents that could
be that deep are checked with the (iterative) event parser before they are composed.
"""


def nesting_bound(text: str) -> int:
    """An upper bound on how deeply `text` can nest, computed at C speed.

    Why a bound and not the depth: computing the depth means parsing, which costs as much as
    composing. A level is opened either by an indicator (`[`, `{`, `- `, `? `; a block mapping
    can start right after `- ` or `? `, hence twice) or by deeper indentation, and n levels of
    indentation need n(n+1)/2 bytes of spaces. Real templates stay far below the composer's
    safe depth, so only large or hostile ones pay for the exact scan.
    """
    indentation = int((2 * len(text)) ** 0.5) + 1
    openers = text.count("[") + text.count("{")
    # Every `- `/`? ` indicator is a `-`/`?`: counting those alone is a looser bound, and good
    # enough for the comparison callers make unless it comes near the composer's safe depth.
    loose = 2 * (openers + text.count("-") + text.count("?")) + indentation + 1
    if loose <= COMPOSER_SAFE_DEPTH:
        return loose
    indicators = openers
    for mark in ("-", "?"):
        indicators += sum(text.count(mark + space) for space in (" ", "\t", "\n", "\r"))
    return 2 * indicators + indentation + 1


def scan_depth(text: str, limit: int, loader: Any) -> tuple[int, int] | None:
    """Where `text` first nests deeper than `limit` levels (1-based line, column), or None.

    Uses the event parser, which keeps its own stack on the heap, so it is safe at any depth.
    A syntax error ends the scan quietly: the composer reports it, with its message, next, and
    it cannot recurse past the point of the error.
    """
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limit:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None
