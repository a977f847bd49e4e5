"""SAM `Policies` and the execution role SAM generates for a function or state machine.

`Policies` accepts four kinds of item, alone or in a list: an AWS managed policy name
(`AmazonS3ReadOnlyAccess`, turned into its ARN), a policy ARN or intrinsic, an inline policy
document (`{Statement: [...]}`), and a SAM policy template (`S3CrudPolicy: {BucketName: x}`)
that SAM expands into statements. Templates are expanded from `data/sam_policy_templates.json`
(condensed from SAM's own list) and every statement they produce is located at the template's
line, so a finding on an expanded statement points at what the user wrote.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from sls_lint.loaders.cloudformation.intrinsics import intrinsic
from sls_lint.loaders.sam.common import Translation, copy, items, llist, new, put, resource
from sls_lint.model.aws_data import managed_policy_arn
from sls_lint.sources.located import LDict, LList, Mark

BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
XRAY_WRITE = "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"
VPC_ACCESS = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


@functools.cache
def policy_templates() -> dict[str, Any]:
    """SAM policy template name -> {parameters, statements}; read once, on first use."""
    text = (files("sls_lint") / "data" / "sam_policy_templates.json").read_text(encoding="utf-8")
    templates = json.loads(text).get("templates", {})
    return templates if isinstance(templates, dict) else {}


@dataclass
class RolePolicies:
    """What a `Policies` property contributes to the generated role."""

    managed: list[tuple[Any, Mark]] = field(default_factory=list)  # (ARN or intrinsic, mark)
    documents: list[tuple[LDict, Mark, str]] = field(default_factory=list)  # (doc, mark, source)


def read_policies(tr: Translation, owner: str, value: Any, mark: Mark) -> RolePolicies:
    """Sort the items of a `Policies` property into managed ARNs and policy documents."""
    found = RolePolicies()
    for item, item_mark in items(value, mark):
        _read_item(tr, owner, item, item_mark, found, 0)
    return found


def _read_item(
    tr: Translation, owner: str, item: Any, mark: Mark, found: RolePolicies, depth: int
) -> None:
    if isinstance(item, str):
        arn = item if item.startswith("arn:") else managed_policy_arn(item)
        found.managed.append((arn, mark))
        return
    if not isinstance(item, LDict):
        if item is not None:
            tr.problem(f"Policies of {owner}: an item must be a name, ARN or mapping", mark)
        return
    call = intrinsic(item)
    if call is not None and call[0] == "Fn::If" and depth < 10:
        branches = call[1] if isinstance(call[1], list) and len(call[1]) == 3 else []
        for index, branch in enumerate(branches[1:], start=1):
            branch_mark = branches.mark_of(index) if isinstance(branches, LList) else mark
            for sub, sub_mark in items(branch, branch_mark):
                _read_item(tr, owner, sub, sub_mark, found, depth + 1)
        return
    if call is not None:
        if call != ("Ref", "AWS::NoValue"):
            found.managed.append((item, mark))
        return
    if "Statement" in item:
        found.documents.append((item, mark, "inline"))
        return
    if len(item) == 1:
        ((name, parameters),) = item.items()
        template = policy_templates().get(str(name))
        if isinstance(template, dict):
            document = expand_template(template, parameters, item.key_mark(name))
            found.documents.append((document, item.key_mark(name), f"sam-template:{name}"))
        return  # an unknown template (newer than our data): nothing to analyse
    tr.problem(f"Policies of {owner}: a mapping must be a policy document or template", mark)


def expand_template(template: dict, parameters: Any, mark: Mark) -> LDict:
    """A policy document (located at `mark`) for one use of a SAM policy template."""
    given = parameters if isinstance(parameters, LDict) else LDict(mark=mark)
    statements = []
    for spec in template.get("statements", []):
        if not isinstance(spec, dict):
            continue
        statement = new(mark, [("Effect", spec.get("effect", "Allow"))])
        for key, name in (("actions", "Action"), ("not_actions", "NotAction")):
            if key in spec:
                put(statement, name, llist(mark, spec[key]), mark)
        resources = [_fill(text, given, mark) for text in spec.get("resources", [])]
        put(
            statement,
            "Resource",
            llist(mark, resources, [_param_mark(text, given, mark) for text in spec["resources"]])
            if "resources" in spec
            else llist(mark, []),
            mark,
        )
        if "conditions" in spec:
            put(statement, "Condition", _fill_deep(spec["conditions"], given, mark), mark)
        statements.append(statement)
    return new(mark, [("Statement", llist(mark, statements))])


def _fill(text: Any, parameters: LDict, mark: Mark) -> Any:
    """`${Param}` filled with the user's value: a `Fn::Sub` so intrinsics resolve later."""
    if not isinstance(text, str) or "${" not in text:
        return text
    variables = new(mark)
    for name in _VARIABLE.findall(text):
        if name in parameters:
            copy(variables, parameters, name)
    return new(mark, [("Fn::Sub", llist(mark, [text, variables]))])


def _fill_deep(value: Any, parameters: LDict, mark: Mark) -> Any:
    if isinstance(value, dict):
        return new(mark, [(k, _fill_deep(v, parameters, mark)) for k, v in value.items()])
    if isinstance(value, list):
        return llist(mark, [_fill_deep(v, parameters, mark) for v in value])
    return _fill(value, parameters, mark)


def _param_mark(text: Any, parameters: LDict, mark: Mark) -> Mark:
    """A resource built from a parameter is located at the parameter's value."""
    if isinstance(text, str):
        for name in _VARIABLE.findall(text):
            if name in parameters:
                return parameters.mark_of(name)
    return mark


def execution_role(
    tr: Translation,
    owner: str,
    props: LDict,
    owner_mark: Mark,
    service: str,
    managed: list[tuple[Any, Mark]],
) -> str:
    """Write the role SAM generates for `owner` (`<owner>Role`) and return its logical id."""
    role_id = f"{owner}Role"
    policies = RolePolicies()
    if "Policies" in props:
        policies = read_policies(tr, owner, props["Policies"], props.mark_of("Policies"))
    role_props = new(owner_mark)
    if not copy(role_props, props, "AssumeRolePolicyDocument"):
        put(role_props, "AssumeRolePolicyDocument", _trust(service, owner_mark), owner_mark)
    copy(role_props, props, "PermissionsBoundary")
    arns = [*managed, *policies.managed]
    put(
        role_props,
        "ManagedPolicyArns",
        llist(owner_mark, [arn for arn, _ in arns], [m for _, m in arns]),
        owner_mark,
    )
    inline = []
    for index, (document, mark, source) in enumerate(policies.documents):
        name = f"{role_id}Policy{index}"
        inline.append(new(mark, [("PolicyName", name), ("PolicyDocument", document)]))
        if source != "inline":
            tr.statement_sources[f"{role_id}.Policies[{index}]."] = source
    put(role_props, "Policies", llist(owner_mark, inline, [p.mark for p in inline]), owner_mark)
    type_mark = props.key_mark("Policies") if "Policies" in props else owner_mark
    tr.add(
        role_id, resource("AWS::IAM::Role", owner_mark, role_props, type_mark), owner_mark, owner
    )
    return role_id


def _trust(service: str, mark: Mark) -> LDict:
    statement = new(
        mark,
        [
            ("Effect", "Allow"),
            ("Principal", new(mark, [("Service", llist(mark, [service]))])),
            ("Action", llist(mark, ["sts:AssumeRole"])),
        ],
    )
    return new(mark, [("Version", "2012-10-17"), ("Statement", llist(mark, [statement]))])
