"""The architecture contracts in pyproject.toml cover every module, and no imports run in circles.

`lint-imports` (run by `.ci/run`) checks the contracts themselves on the installed package; these
tests read the source tree directly, so they also hold in an editable install, and they fail
when a new module or package is added outside every layer (where no contract would see it).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIRS = {"sls_lint": ROOT / "linter", "sls_lint.rules": ROOT / "rules"}
# Entry points that sit above every layer: `python -m sls_lint` and the package itself.
ABOVE_LAYERS = {"sls_lint", "sls_lint.__main__"}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package, directory in PACKAGE_DIRS.items():
        for path in directory.rglob("*.py"):
            relative = path.relative_to(directory).with_suffix("")
            parts = [p for p in relative.parts if p != "__init__"]
            name = ".".join([package, *parts])
            if package == "sls_lint" and parts[:1] == ["rules"]:
                continue  # not part of the package (`rules/` is mapped separately)
            found[name] = path
    return found


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _layer_members() -> list[str]:
    (layers,) = [c for c in _config()["contracts"] if c["type"] == "layers"]
    members = []
    for layer in layers["layers"]:
        members.extend(part.strip() for part in layer.replace(":", "|").split("|"))
    return members


def _covered(module: str, members: list[str]) -> bool:
    return any(module == m or module.startswith(m + ".") for m in members)


def test_every_module_is_in_a_layer():
    members = _layer_members()
    outside = sorted(m for m in _modules() if m not in ABOVE_LAYERS and not _covered(m, members))
    assert outside == [], (
        f"modules outside every layer of [tool.importlinter] (add them to a layer): {outside}"
    )


def test_layers_name_existing_modules():
    modules = _modules()
    missing = [m for m in _layer_members() if m not in modules]
    assert missing == []


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """sls_lint modules that `name` imports, anywhere in its body (lazy imports count)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def test_no_import_cycles_between_modules():
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        for target in _imports(name, path, modules):
            # A module importing its own package's __init__ (or a parent's) is not a cycle
            # worth reporting: packages here hold only docstrings and registries.
            if name.startswith(target + "."):
                continue
            graph.add_edge(name, target)
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == [], f"modules that import each other: {cycles}"


def test_the_contracts_can_fail():
    """The cycle check sees lazy imports and relative imports (else it would prove nothing)."""
    modules = _modules()
    pipeline = modules["sls_lint.run.pipeline"]
    assert "sls_lint.run.parallel" in _imports("sls_lint.run.pipeline", pipeline, modules)
    parallel = modules["sls_lint.run.parallel"]
    assert "sls_lint.run.pipeline" not in _imports("sls_lint.run.parallel", parallel, modules)
