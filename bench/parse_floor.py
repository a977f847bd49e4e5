"""The parse-only floor: read and parse files with sls-lint's own parsers, and nothing else.

Run as its own process by bench/run.py, so that the floor includes what any tool built on
these parsers must pay too: Python start-up, importing the parser (PyYAML with libyaml,
python-hcl2 only when a Terraform file is seen), reading each file, parsing it with locations.
What sls-lint does on top (discovery, graph building, rules, reporting) is what the ratio
"sls-lint / floor" measures.

    python bench/parse_floor.py FILE... | @LISTFILE

YAML and JSON go through `sls_lint.sources.yaml_source.load_yaml`/`load_json` (libyaml's composer,
one walk keeping positions); `.tf`/`.tfvars` through `sls_lint.loaders.terraform.hcl.parse_hcl`
(the fast reader, python-hcl2 where it gives up), never through the parse cache. A file that
does not parse counts as parsed (the error is the result). Prints `files=N failed=M` on stdout.
"""

from __future__ import annotations

import sys


def _paths(argv: list[str]) -> list[str]:
    paths: list[str] = []
    for arg in argv:
        if arg.startswith("@"):
            with open(arg[1:], encoding="utf-8") as handle:
                paths.extend(line.rstrip("\n") for line in handle if line.strip())
        else:
            paths.append(arg)
    return paths


def parse_file(path: str) -> bool:
    """Read and parse one file; True when it parsed."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return False
    try:
        if path.endswith((".tf", ".tfvars")):
            from sls_lint.loaders.terraform.hcl import parse_hcl

            parse_hcl(text)
        elif path.endswith(".json"):
            from sls_lint.sources.yaml_source import load_json

            load_json(text)
        else:
            from sls_lint.sources.yaml_source import load_yaml

            load_yaml(text)
    except Exception:  # noqa: BLE001 - a parse error is a parse result here
        return False
    return True


def main(argv: list[str]) -> int:
    paths = _paths(argv)
    failed = sum(not parse_file(path) for path in paths)
    print(f"files={len(paths)} failed={failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
