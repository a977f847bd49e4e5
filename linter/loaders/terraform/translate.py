"""Translate evaluated Terraform resources into CloudFormation-shaped resources for the builder.

`builder.CfnGraphBuilder` is the reference for what each node kind carries; rather than
re-implement it (and drift), Terraform resources are translated into the equivalent
CloudFormation resources, keyed by their Terraform address, whose every mark points at the
user's `.tf` line, and handed to it. That is what makes a rule fire identically on both.

This module holds the translation machinery (`Translator`, `Props`); the per-type mappings
are in `resources`. What Terraform spreads over several resources is gathered there
first: an
`aws_api_gateway_integration` joins its method, `aws_api_gateway_method_settings` its stage,
`aws_iam_role_policy_attachment` its role's managed policy list. References become
`Fn::GetAtt` (edges), strings with references `Fn::Join`, unknown conditions `Fn::If`.
Terraform semantics that differ from CloudFormation's are applied here too: a security group
without `egress` blocks has *no* egress (Terraform removes AWS's default rule), and
`reserved_concurrent_executions = -1` or `retention_in_days = 0` mean "not set".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sls_lint.loaders import ParseProblem, internal_problem
from sls_lint.loaders.cloudformation.intrinsics import ResourceRef
from sls_lint.loaders.terraform.evaluator import ModuleValue, Namespace, ResourceValue
from sls_lint.loaders.terraform.iam_documents import PolicyDocuments, blocks
from sls_lint.loaders.terraform.values import (
    Encoded,
    FileMark,
    Interp,
    SourceText,
    TfDict,
    TfRef,
    is_symbolic,
    plain,
)
from sls_lint.model.values import Choice, Reference, Unknown
from sls_lint.sources.located import NO_MARK, LDict, LList, Mark

_MISSING = object()
_LAST_INDEX = re.compile(r"\[[^\[\]]*\]$")

# Resource types the builder has no handler for, but whose type matters (event source kinds).
_PLAIN_TYPES = {
    "aws_sqs_queue": "AWS::SQS::Queue",
    "aws_kinesis_stream": "AWS::Kinesis::Stream",
    "aws_dynamodb_table": "AWS::DynamoDB::Table",
    "aws_msk_cluster": "AWS::MSK::Cluster",
    "aws_wafv2_web_acl": "AWS::WAFv2::WebACL",
}


@dataclass
class Instance:
    """One evaluated resource or data source instance."""

    address: str
    kind: str  # "resource" or "data"
    type: str
    body: TfDict
    mark: FileMark
    file: str


class Props:
    """Builds one CloudFormation `Properties` mapping from a Terraform body, marks included."""

    def __init__(self, translator: Translator, body: dict, mark: Mark | None = None) -> None:
        self.tr = translator
        self.body = body
        self.out = LDict(mark=mark or getattr(body, "mark", NO_MARK))

    def mark_of(self, attr: str) -> Mark:
        return self.body.mark_of(attr) if isinstance(self.body, LDict) else self.out.mark

    def put(self, key: str, attr: str, value: Any = _MISSING) -> Props:
        """Copy `attr` to `key` (converted), unless it is absent or null."""
        if value is _MISSING:
            if attr not in self.body:
                return self
            value = self.body[attr]
        if value is None:
            return self
        self.set(key, self.tr.cfn(value), self.mark_of(attr))
        return self

    def puts(self, mapping: dict[str, str]) -> Props:
        for key, attr in mapping.items():
            self.put(key, attr)
        return self

    def set(self, key: str, value: Any, mark: Mark | None) -> None:
        self.out[key] = value
        if mark is not None:
            self.out.value_marks[key] = mark
            self.out.key_marks[key] = mark

    def sub(self, key: str, name: str, mapping: dict[str, str]) -> LDict | None:
        """Nested block `name` as sub-mapping `key` with `mapping` (CFN key -> TF attribute)."""
        found = blocks(self.body, name)
        if not found:
            return None
        inner, mark = found[0]
        nested = Props(self.tr, inner, mark).puts(mapping).out
        self.set(key, nested, mark)
        return nested


Handler = Callable[["Translator", Instance], tuple[Any, Any]]
Joiner = Callable[["Translator", Instance], None]


class Translator:
    """Evaluated Terraform instances in, CloudFormation-shaped `Resources` out."""

    def __init__(self, instances: list[Instance]) -> None:
        self.instances = [i for i in instances if i.kind == "resource"]
        self.data = {i.address: i for i in instances if i.kind == "data"}
        self.by_address = {i.address: i for i in self.instances}
        self.bases: dict[str, list[str]] = {}
        for instance in self.instances:
            self.bases.setdefault(_LAST_INDEX.sub("", instance.address), []).append(
                instance.address
            )
        self.resources = LDict(mark=NO_MARK)
        self.files: dict[str, str] = {}
        self.types: dict[str, str] = {}
        self.policies = PolicyDocuments(self._referenced_document)
        self._documents: dict[str, Any] = {}
        self._resolving: set[str] = set()
        # Internal errors met while translating one resource: that resource is left out, the
        # others are still linted.
        self.problems: list[ParseProblem] = []

    # -- references -----------------------------------------------------------------------
    def canonical(self, address: str) -> str | None:
        """The instance a reference means (`aws_x.y` of a counted resource: its first one)."""
        if address in self.by_address:
            return address
        base = _LAST_INDEX.sub("", address)
        for candidate in (address, base):
            found = self.bases.get(candidate)
            if found:
                return found[0]
        return None

    def cfn(self, value: Any, depth: int = 0) -> Any:
        """An evaluated value in CloudFormation's vocabulary (GetAtt, Join, If)."""
        if depth > 60:
            return Unknown("value nested too deeply")
        if isinstance(value, SourceText):
            return str(value)
        if isinstance(value, LDict):
            result = LDict(mark=value.mark)
            result.key_marks.update(value.key_marks)
            result.value_marks.update(value.value_marks)
            for key, item in value.items():
                result[key] = self.cfn(item, depth + 1)
            return result
        if isinstance(value, LList):
            items = LList([self.cfn(i, depth + 1) for i in value], mark=value.mark)
            items.item_marks = list(value.item_marks)
            return items
        if isinstance(value, dict):
            return {k: self.cfn(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [self.cfn(v, depth + 1) for v in value]
        if isinstance(value, TfRef):
            target = self.canonical(value.address)
            if target is None:
                return Unknown(
                    f"{value.text()} is known only after apply",
                    source=f"{value.address}.{value.attribute}",
                )
            return LDict({"Fn::GetAtt": [target, value.attribute]})
        if isinstance(value, Interp):
            parts: list[Any] = []
            linked = False
            for part in value.parts:
                if isinstance(part, TfRef) and self.canonical(part.address) is not None:
                    parts.append(self.cfn(part, depth + 1))
                    linked = True
                else:
                    parts.append(part.text() if isinstance(part, (TfRef, Interp)) else str(part))
            if not linked:
                return value.text()
            return LDict({"Fn::Join": ["", parts]})
        if isinstance(value, Choice):
            options = [self.cfn(o, depth + 1) for o in value.options[:2]]
            return LDict({"Fn::If": ["TerraformCondition", *options]})
        if isinstance(value, Encoded):
            inner = plain(value.value)
            if _symbolic_inside(inner):
                return Unknown("jsonencode of values known only after apply")
            return json.dumps(inner, sort_keys=True)
        if isinstance(value, (ResourceValue, ModuleValue, Namespace)):
            return Unknown("a whole resource or module is not a value")
        return value

    def reference(self, value: Any) -> Any:
        """A value as a `Reference` for secret rules (what `!Ref` gives in CloudFormation)."""
        if isinstance(value, TfRef):
            target = self.canonical(value.address)
            inner: Any = ResourceRef(target, value.attribute) if target else Unknown(value.text())
        elif isinstance(value, Interp):
            inner = value.text()
        elif isinstance(value, Unknown):
            inner = value
        else:
            inner = plain(self.cfn(value))
        return Reference(inner)

    def named(self, value: Any, tf_type: str, attr: str) -> Any:
        """A reference to a resource of `tf_type` whose `attr` is the literal `value`.

        `role = "orders-role"` names the role `aws_iam_role.orders` declares with that name.
        """
        if not isinstance(value, str) or is_symbolic(value):
            return self.cfn(value)
        name = value.rsplit(":function:", 1)[-1].rsplit("/", 1)[-1]
        for instance in self.instances:
            if instance.type == tf_type and instance.body.get(attr) in (value, name):
                return LDict({"Ref": instance.address})
        return value

    def _referenced_document(self, ref: TfRef) -> Any:
        target = ref.address
        instance = self.data.get(target) or self.data.get(_LAST_INDEX.sub("", target))
        if instance is None:
            base = self.canonical(target)
            instance = self.by_address.get(base) if base else None
        if instance is None:
            return None
        if instance.type == "aws_iam_policy_document" and ref.attribute in (
            "json",
            "minified_json",
        ):
            return self.data_document(instance)
        if instance.type in ("aws_iam_policy", "aws_iam_role_policy") and ref.attribute == "policy":
            return self.policies.document(instance.body.get("policy"))
        return None

    def data_document(self, instance: Instance) -> Any:
        if instance.address in self._resolving:
            return None
        if instance.address not in self._documents:
            self._resolving.add(instance.address)
            try:
                self._documents[instance.address] = self.policies.from_data_source(instance.body)
            finally:
                self._resolving.discard(instance.address)
        return self._documents[instance.address]

    def document(self, body: dict, attr: str) -> Any:
        """The policy document of `body[attr]`, converted, or None when unknown."""
        if attr not in body:
            return None
        document = self.policies.document(body[attr])
        return self.cfn(document) if document is not None else None

    # -- translation ----------------------------------------------------------------------
    def translate(self, handlers: dict[str, Handler], joiners: dict[str, Joiner]) -> LDict:
        """All resources, CloudFormation-shaped, in declaration order.

        `handlers` translate one resource type each; `joiners` then fold the resources that
        complete another one (an integration into its method) - see `resources`.
        """
        for instance in self.instances:
            handler = handlers.get(instance.type)
            if handler is not None:
                try:
                    cfn_type, props = handler(self, instance)
                except Exception as error:  # noqa: BLE001 - one resource must not cost the unit
                    self._failed(instance, f"translating {instance.address}", error)
                    continue
            else:
                cfn_type = _PLAIN_TYPES.get(instance.type, f"Terraform::{instance.type}")
                props = None
            if cfn_type is None:
                cfn_type = f"Terraform::{instance.type}"
            self.add(instance, cfn_type, props)
        for instance in self.instances:
            joiner = joiners.get(instance.type)
            if joiner is not None and instance.address in self.resources:
                try:
                    joiner(self, instance)
                except Exception as error:  # noqa: BLE001
                    self._failed(instance, f"joining {instance.address}", error)
        return self.resources

    def _failed(self, instance: Instance, doing: str, error: Exception) -> None:
        """A translation bug, as an SLS001 problem at the resource block (see `problems`)."""
        mark = instance.mark
        self.problems.append(internal_problem(instance.file, doing, error, mark.line, mark.column))

    def add(self, instance: Instance, cfn_type: str, props: LDict | None) -> None:
        resource = LDict({"Type": cfn_type}, mark=instance.mark)
        resource.value_marks["Type"] = instance.mark
        resource.key_marks["Type"] = instance.mark
        if props is not None:
            resource["Properties"] = props
            resource.value_marks["Properties"] = props.mark
        self.resources[instance.address] = resource
        self.resources.key_marks[instance.address] = instance.mark
        self.files[instance.address] = instance.file
        self.types[instance.address] = instance.type

    def props_of(self, address: str) -> LDict | None:
        resource = self.resources.get(address)
        props = resource.get("Properties") if isinstance(resource, LDict) else None
        return props if isinstance(props, LDict) else None

    def target_of(self, value: Any, tf_type: str, name_attr: str) -> str | None:
        """The address of the `tf_type` resource `value` refers to (by reference or name)."""
        refs = _refs_in(value)
        for ref in refs:
            target = self.canonical(ref.address)
            if target and self.types.get(target) == tf_type:
                return target
        if isinstance(value, str):
            named = self.named(value, tf_type, name_attr)
            if isinstance(named, LDict) and "Ref" in named:
                return str(named["Ref"])
        return None


def _refs_in(value: Any) -> list[TfRef]:
    if isinstance(value, TfRef):
        return [value]
    if isinstance(value, Interp):
        return value.refs()
    if isinstance(value, Choice):
        return [r for option in value.options for r in _refs_in(option)]
    return []


def _symbolic_inside(value: Any, depth: int = 0) -> bool:
    if depth > 60:
        return True
    if isinstance(value, dict):
        return any(_symbolic_inside(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_symbolic_inside(v, depth + 1) for v in value)
    return is_symbolic(value) or isinstance(value, (Encoded, ResourceValue, ModuleValue))
