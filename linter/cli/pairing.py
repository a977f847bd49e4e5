"""Refuse `--format`/`--output` combinations that would corrupt a report.

Each `-f` is paired in order with an `-o`; formats left without one go to stdout. That rule is
simple, but easy to get wrong: `--format github --format sarif --output sls-lint.sarif` pairs
the only file with `github`, writes annotations into the `.sarif` file and prints the SARIF
into the log, and a CI step then uploads a broken report while the run looks fine. So:

- when the counts differ and a machine format (json, sarif, junit, gitlab, html: something a
  program or a browser reads) would go to stdout next to another format, the run stops with exit 2;
- two machine formats on stdout is exit 2 too, whatever the counts (`-o - -o -`).

The message shows the pairing as sls-lint understood it and how to write what was meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

MACHINE_FORMATS = ("json", "sarif", "junit", "gitlab", "html")
_SUFFIXES = (".json", ".sarif", ".xml", ".html")  # a file named for a machine format
_SUFFIX_OF = {
    "json": (".json",),
    "sarif": (".sarif", ".json"),
    "junit": (".xml",),
    "gitlab": (".json",),
    "html": (".html", ".htm"),
}


def _to_stdout(target: Path | None) -> bool:
    return target is None or str(target) == "-"


def pairing(formats: Sequence[str], outputs: Sequence[Path]) -> list[tuple[str, Path | None]]:
    """Each format with its output file (None: stdout), as the run would write them."""
    return [
        (fmt, outputs[index] if index < len(outputs) else None) for index, fmt in enumerate(formats)
    ]


def pairing_problem(formats: Sequence[str], outputs: Sequence[Path]) -> str | None:
    """Why this pairing is refused (a message for exit 2), or None when it is sound."""
    pairs = pairing(formats, outputs)
    on_stdout = [fmt for fmt, target in pairs if _to_stdout(target)]
    machine = [fmt for fmt in on_stdout if fmt in MACHINE_FORMATS]
    if len(machine) >= 2:
        why = f"two machine-readable reports ({' and '.join(machine)}) would both go to stdout"
    elif machine and len(formats) > 1 and len(outputs) != len(formats):
        others = [fmt for fmt, _ in pairs if fmt != machine[0]]
        why = (
            f"the {machine[0]} report would go to stdout, next to the {', '.join(others)} "
            f"output ({len(formats)} --format but {len(outputs)} --output)"
        )
    else:
        return None
    shown = ", ".join(
        f"-f {fmt} -> {'stdout' if _to_stdout(target) else target}" for fmt, target in pairs
    )
    return (
        f"--format/--output pairing: {why}. Formats are paired with --output in order "
        f"({shown}); give each machine format its own file, e.g. "
        f"{_suggestion(pairs)}"
    )


def _suggestion(pairs: list[tuple[str, Path | None]]) -> str:
    """The same reports with every machine format written to a file and the rest to stdout.

    A file that went to the wrong format (`github -> sls-lint.sarif`) is given back to the
    machine format its name is for.
    """
    stray = [
        target
        for fmt, target in pairs
        if fmt not in MACHINE_FORMATS and target is not None and target.suffix in _SUFFIXES
    ]
    parts = []
    for fmt, target in pairs:
        if fmt in MACHINE_FORMATS:
            if _to_stdout(target):
                target = next((p for p in stray if p.suffix in _SUFFIX_OF[fmt]), None)
                if target is not None:
                    stray.remove(target)
                else:
                    target = Path(_default_name(fmt))
            parts.append(f"-f {fmt} -o {target}")
        elif target is not None and not _to_stdout(target) and target.suffix not in _SUFFIXES:
            parts.append(f"-f {fmt} -o {target}")
        else:
            parts.append(f"-f {fmt} -o -")
    return " ".join(parts)


def _default_name(fmt: str) -> str:
    return {
        "json": "sls-lint.json",
        "sarif": "sls-lint.sarif",
        "junit": "sls-lint.junit.xml",
        "gitlab": "gl-code-quality.json",
    }[fmt]
