"""The JSON Schema of policy files, built from the same vocabulary the compiler checks.

Published as `docs/policy.schema.json` (regenerate with `python -m sls_lint.policies.schema >
docs/policy.schema.json`; a test fails when it is stale) so that editors complete and validate
policies: YAML language servers read it from a `# yaml-language-server: $schema=...` comment.
The schema cannot know which attributes belong to which kind inside relations; the compiler
checks that, with the file and line.
"""

from __future__ import annotations

import json
from typing import Any

from sls_lint.model.rule import FORMATS
from sls_lint.policies import vocabulary
from sls_lint.policies.compiler import (
    FILE_NAME_PATTERN,
    ID_PATTERN,
    NAME_PATTERN,
    PRECISIONS,
    SEVERITIES,
)
from sls_lint.policies.condition_compiler import (
    BINDING_PATTERN,
    MAX_DEPTH,
    QUANTIFIERS,
    UNKNOWN_CHOICES,
)

SCHEMA_ID = "https://github.com/sls-lint/sls-lint/blob/main/docs/policy.schema.json"

_OPERAND_SCHEMAS: dict[str, dict[str, Any]] = {
    "scalar": {"type": ["string", "number", "boolean", "null"]},
    "list": {"type": "array", "items": {"type": ["string", "number", "boolean", "null"]}},
    "regex": {"type": "string", "format": "regex"},
    "bool": {"type": "boolean"},
    "number": {"type": "number"},
    "patterns": {
        "oneOf": [
            {"type": "string", "minLength": 1},
            {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        ]
    },
    "statuses": {
        "oneOf": [
            {"enum": list(vocabulary.RUNTIME_STATUSES)},
            {"type": "array", "items": {"enum": list(vocabulary.RUNTIME_STATUSES)}},
        ]
    },
}


def _step_pattern() -> str:
    names = "|".join(sorted(vocabulary.STEPS, key=len, reverse=True))
    return rf"^\s*({names})(\s*\|\s*({names}))*\s*$"


def policy_schema() -> dict[str, Any]:
    """The schema document (draft 2020-12)."""
    attributes = sorted(
        {a for attrs in vocabulary.KIND_ATTRIBUTES.values() for a in attrs}
        | set(vocabulary.COMMON_ATTRIBUTES)
    )
    attribute_pattern = r"^(item(\.[^.]+)*|(" + "|".join(attributes) + r")(\.[^.]+)*)$"
    unknown = {"enum": list(UNKNOWN_CHOICES), "description": "What an Unknown value counts as."}
    operators = {
        name: {**_OPERAND_SCHEMAS[kind], "description": f"operator ({kind})"}
        for name, kind in vocabulary.OPERATORS.items()
    }
    attribute_test = {
        "type": "object",
        "required": ["attribute"],
        "properties": {
            "attribute": {"type": "string", "pattern": attribute_pattern},
            "ignore-case": {"type": "boolean"},
            "branches": {"enum": ["any", "all"]},
            "unknown": unknown,
            **operators,
        },
        "additionalProperties": False,
        "minProperties": 2,
        "oneOf": [{"required": [name]} for name in vocabulary.OPERATORS],
    }
    step = {"type": "string", "pattern": _step_pattern()}
    relation = {
        "type": "object",
        "required": ["relation"],
        "properties": {
            "relation": {"oneOf": [step, {"type": "array", "minItems": 1, "items": step}]},
            "kind": {"enum": list(vocabulary.KIND_ATTRIBUTES)},
            "quantifier": {"enum": list(QUANTIFIERS)},
            "where": {"$ref": "#/$defs/condition"},
            "as": {"type": "string", "pattern": BINDING_PATTERN.pattern},
            "max-depth": {"type": "integer", "minimum": 1, "maximum": MAX_DEPTH},
            "at-least": {"type": "integer", "minimum": 1},
            "related": {"type": "boolean"},
            "unknown": unknown,
        },
        "additionalProperties": False,
    }
    conditions = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}

    def combinator(key: str, value: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": [key],
            "properties": {key: value, "unknown": unknown},
            "additionalProperties": False,
        }

    at_item = {
        "oneOf": [
            {"type": "string"},
            {
                "type": "object",
                "required": ["node"],
                "properties": {"node": {"type": "string"}, "attribute": {"type": "string"}},
                "additionalProperties": False,
            },
        ]
    }
    example = {
        "type": "object",
        "required": ["format", "expect", "source"],
        "properties": {
            "format": {"enum": list(FORMATS)},
            "expect": {"enum": ["fail", "pass"]},
            "source": {"type": "string", "minLength": 1},
            "file": {"type": "string", "pattern": FILE_NAME_PATTERN.pattern},
            "name": {"type": "string"},
        },
        "additionalProperties": False,
    }
    policy = {
        "type": "object",
        "required": ["id", "name", "summary", "subject"],
        "properties": {
            "id": {"type": "string", "pattern": ID_PATTERN.pattern, "not": {"pattern": "^SLS"}},
            "name": {"type": "string", "pattern": NAME_PATTERN.pattern},
            "severity": {"enum": list(SEVERITIES)},
            "security-severity": {"type": "number", "exclusiveMinimum": 0, "maximum": 10},
            "summary": {"type": "string", "minLength": 1},
            "precision": {"enum": list(PRECISIONS)},
            "tags": {"type": "array", "items": {"type": "string"}},
            "formats": {"type": "array", "items": {"enum": list(FORMATS)}},
            "help-uri": {"type": "string"},
            "docs": {
                "type": "object",
                "properties": {k: {"type": "string"} for k in ("what", "why", "fix")},
                "additionalProperties": False,
            },
            "message": {"type": "string"},
            "subject": {
                "oneOf": [
                    {"enum": list(vocabulary.KIND_ATTRIBUTES)},
                    {
                        "type": "object",
                        "required": ["kind"],
                        "properties": {
                            "kind": {
                                "oneOf": [
                                    {"enum": list(vocabulary.KIND_ATTRIBUTES)},
                                    {
                                        "type": "array",
                                        "minItems": 1,
                                        "uniqueItems": True,
                                        "items": {"enum": list(vocabulary.KIND_ATTRIBUTES)},
                                    },
                                ]
                            },
                            "each": {"type": "string"},
                            "where": {"$ref": "#/$defs/condition"},
                        },
                        "additionalProperties": False,
                    },
                ]
            },
            "condition": {"$ref": "#/$defs/condition"},
            "at": {"oneOf": [at_item, {"type": "array", "items": at_item}]},
            "examples": {"type": "array", "items": example},
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "sls-lint policy file",
        "description": "One policy, a list of policies, or {policies: [...]} (docs/policies.md).",
        "oneOf": [
            {"$ref": "#/$defs/policy"},
            {"type": "array", "items": {"$ref": "#/$defs/policy"}},
            {
                "type": "object",
                "required": ["policies"],
                "properties": {"policies": {"type": "array", "items": {"$ref": "#/$defs/policy"}}},
                "additionalProperties": False,
            },
        ],
        "$defs": {
            "policy": policy,
            "condition": {
                "oneOf": [
                    conditions,
                    combinator("all", conditions),
                    combinator("any", conditions),
                    combinator("not", {"$ref": "#/$defs/condition"}),
                    {"$ref": "#/$defs/attribute"},
                    {"$ref": "#/$defs/relation"},
                ]
            },
            "attribute": attribute_test,
            "relation": relation,
        },
    }


def render() -> str:
    return json.dumps(policy_schema(), indent=2) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
