"""Policies as code: YAML policies over the common graph, compiled into rule classes.

A policy names a node kind (`subject`), conditions on its attributes and on the nodes related
to it along the graph's edges, and where a finding points. Because it is written against the
graph, not against resource types, one policy holds for Serverless, SAM, CloudFormation and
Terraform alike. Each policy compiles into a `Rule` subclass (`policy_rule.PolicyRule`), so
selection, suppressions, baselines, severity overrides and every reporter apply unchanged.
The format is documented in `docs/policies.md` and `docs/policy.schema.json`.

Layer: beside the built-in rules (reads model and sources; never loaders or reporters).
"""

from sls_lint.policies.compiler import PolicyError
from sls_lint.policies.loader import compile_policies, load_policies, policy_files
from sls_lint.policies.policy_rule import PolicyRule

__all__ = ["PolicyError", "PolicyRule", "compile_policies", "load_policies", "policy_files"]
