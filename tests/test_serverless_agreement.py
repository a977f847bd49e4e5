"""The native Serverless loader agrees with the framework's own compiler.

Each sample service is compiled by the real Serverless Framework v3 CLI (`serverless package`,
offline, fake credentials) and the compiled CloudFormation is linted; so is the serverless.yml.
For every function of the service, both must produce the same rule ids. Installed by `.ci/run`
into `.ci/node`; the test skips when Node or the CLI is missing.

Two differences are the framework's, not ours, and are left out of the comparison:
- REST stage logging and tracing (`provider.logs.restApi`, `tracing.apiGateway`) are applied
  by the CLI through the SDK *after* deployment, so the compiled template never shows them;
- the framework adds helper functions of its own (`custom-resource-apigw-cw-role`), which are
  not the user's functions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES

from sls_lint.loaders import LoadContext, load_unit
from sls_lint.model.graph import Edge, Kind, Node, ResourceGraph
from sls_lint.run.discovery import discover, group_units
from sls_lint.run.engine import run_rules
from sls_lint.run.registry import load_rules

CLI = REPO / ".ci" / "node" / "node_modules" / ".bin" / "serverless"
POST_DEPLOY_STAGE_RULES = {"SLS301", "SLS302", "SLS305"}  # REST stage, applied after deploy
SAMPLE_DIRS = ["vulnerable", "fixed"]


def _package(sample: Path, workdir: Path) -> Path:
    """Copy `sample` and compile it with the framework; the compiled template's path."""
    if shutil.which("node") is None or not CLI.exists():
        pytest.skip("the Serverless Framework v3 CLI is not installed (.ci/run installs it)")
    target = workdir / sample.name
    shutil.copytree(sample, target)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(workdir),
        "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE",
        "AWS_SECRET_ACCESS_KEY": "fake",
        "SLS_TELEMETRY_DISABLED": "1",
        "SLS_NOTIFICATIONS_MODE": "off",
        "SLS_DEPRECATION_DISABLE": "*",
    }
    completed = subprocess.run(
        [str(CLI), "package", "--stage", "dev", "--region", "eu-west-1"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    compiled = target / ".serverless" / "cloudformation-template-update-stack.json"
    if completed.returncode != 0 or not compiled.exists():
        pytest.fail(f"serverless package failed:\n{completed.stdout}\n{completed.stderr}")
    return compiled


def _functions_of(graph: ResourceGraph, node: Node) -> set[str]:
    """The functions a finding's resource belongs to (through the graph's edges)."""
    if node.kind == Kind.FUNCTION:
        return {node.address}
    found = {fn.address for fn in graph.functions_invoked_by(node)}
    found |= {fn.address for fn in graph.targets(node, Edge.ALLOWS, Kind.FUNCTION)}
    found |= {fn.address for fn in graph.sources(node, Edge.LOGS_TO, Kind.FUNCTION)}
    found |= {fn.address for fn in graph.sources(node, Edge.USES_SECURITY_GROUP, Kind.FUNCTION)}
    if node.kind == Kind.ROLE:
        found |= {fn.address for fn in graph.functions_assuming(node)}
    if node.kind == Kind.STATEMENT:
        for role in graph.sources(node, Edge.GRANTS, Kind.ROLE):
            found |= _functions_of(graph, role)
    if node.kind == Kind.STAGE:
        api = graph.api_of(node)
        for route in graph.routes_of(api) if api is not None else ():
            found |= _functions_of(graph, route)
    return found


def _rule_ids_per_function(path: Path) -> dict[str, set[str]]:
    rules = [cls() for cls in load_rules()]
    per_function: dict[str, set[str]] = {}
    for unit in group_units(discover([path])):
        context = LoadContext(stage="dev", region="eu-west-1", project_root=path.parent)
        result = load_unit(unit, context)
        assert not result.problems, result.problems
        graph = result.graph
        for finding in run_rules(rules, result, unit.primary.display):
            node = graph.get(finding.resource)
            assert node is not None, finding
            rest_stage = node.kind == Kind.STAGE and node.get("protocol") == "rest"
            if rest_stage and finding.rule_id in POST_DEPLOY_STAGE_RULES:
                continue  # compared on neither side: the template cannot show them
            for function in _functions_of(graph, node):
                per_function.setdefault(function, set()).add(finding.rule_id)
        for fn in graph.functions():
            per_function.setdefault(fn.address, set())
    return per_function


@pytest.mark.parametrize("sample", SAMPLE_DIRS)
def test_native_and_compiled_agree_per_function(sample, tmp_path):
    source = SAMPLES / "serverless" / sample
    compiled = _package(source, tmp_path)
    native = _rule_ids_per_function(source / "serverless.yml")
    framework = _rule_ids_per_function(compiled)
    assert native, "the native loader found no functions"
    for function, rule_ids in native.items():
        assert function in framework, f"{function} is not in the compiled template"
        assert rule_ids == framework[function], (
            function,
            sorted(rule_ids - framework[function]),
            sorted(framework[function] - rule_ids),
        )


def test_the_vulnerable_sample_is_not_trivially_clean():
    """Guard: agreement on empty sets would prove nothing."""
    native = _rule_ids_per_function(SAMPLES / "serverless" / "vulnerable" / "serverless.yml")
    assert {"SLS101", "SLS102", "SLS201", "SLS701"} <= set().union(*native.values())
