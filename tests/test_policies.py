"""Policies as code: the format, its errors, its operators, and policies treated as rules.

The policies of docs/policies/ (the tutorial) and examples/policies/ (built-in rules
re-expressed) run their own examples here, as `sls-lint test-policies` does in CI.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from sls_lint.cli.main import main
from sls_lint.policies import PolicyError, compile_policies, load_policies
from sls_lint.policies.operators import globs_intersect
from sls_lint.run.policy_tests import run_examples
from sls_lint.run.registry import load_rules

ROOT = Path(__file__).resolve().parents[1]

APP = """\
service: orders
provider:
  name: aws
  runtime: python3.9
functions:
  api:
    handler: handler.main
    events:
      - httpApi: GET /orders
  worker:
    handler: handler.work
    runtime: python3.12
"""

RUNTIME_POLICY = """\
id: ORG001
name: runtime-allow-list
summary: Runtime not on the allow-list
severity: error
subject: function
condition: {attribute: runtime, in: [python3.9]}
message: "Function {address} uses {attribute.runtime}"
at: runtime
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def policy(text: str, label: str = "p.yaml") -> type:
    (cls,) = compile_policies(textwrap.dedent(text), label)
    return cls


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A Serverless app and a policy folder in tmp_path (the working directory)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "serverless.yml").write_text(APP)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "runtime.yaml").write_text(RUNTIME_POLICY)
    return tmp_path


# -- the shipped policies pass their own examples ----------------------------------------------
@pytest.mark.parametrize("folder", ["docs/policies", "examples/policies"])
def test_shipped_policies_pass_their_examples(folder):
    policies = load_policies([ROOT / folder], load_rules())
    results = list(run_examples(policies))
    assert results and all(r.ok for r in results), [r.describe() for r in results if not r.ok]
    formats = {(r.policy, r.format, r.expect) for r in results}
    for cls in policies:  # every policy: fail and pass in all four formats
        for fmt in ("serverless", "sam", "cloudformation", "terraform"):
            assert (cls.id, fmt, "fail") in formats and (cls.id, fmt, "pass") in formats


def test_test_policies_command_fails_on_a_wrong_example(tmp_path):
    broken = RUNTIME_POLICY + textwrap.dedent("""\
        examples:
          - format: serverless
            expect: fail
            source: |
              service: s
              provider: {name: aws, runtime: python3.12}
              functions: {f: {handler: h.m}}
        """)
    (tmp_path / "p.yaml").write_text(broken)
    result = run("test-policies", str(tmp_path))
    assert result.exit_code == 1
    assert "FAIL ORG001 serverless fail" in result.output
    assert "expected a finding, got none" in result.output
    (tmp_path / "p.yaml").write_text(RUNTIME_POLICY)
    result = run("test-policies", str(tmp_path))
    assert result.exit_code == 1 and "no examples" in result.output
    ok = ROOT / "docs" / "policies"
    assert run("test-policies", "-q", str(ok)).exit_code == 0


# -- broken policy files: exit 2, file, line, key, what was expected; never a traceback --------
BROKEN = [
    ("condition: {attribute: runtime, equal: x}", "unknown operator or option 'equal'", 6),
    ("condition: {attribute: runtme, equals: x}", "function has no attribute 'runtme'", 6),
    ("condition: {attribute: memory, greater-than: big}", "'greater-than': expected a number", 6),
    ("condition: {attribute: runtime, matches: 'py(3'}", "does not compile", 6),
    ("condition: {attribute: runtime, in: python3.9}", "'in': expected a list of values", 6),
    ("condition: {relation: invoked-by}", "unknown step 'invoked-by'", 6),
    ("condition: {relation: grants}", "step 'grants' cannot start from function", 6),
    ("condition: {relation: invoked_by, kind: role}", "'kind': role is never reached", 6),
    ("condition: {attribute: runtime, equals: x, exists: true}", "exactly one operator", 6),
    ("condition: {any: []}", "'any': expected a non-empty list", 6),
    ("condition: {allof: []}", "expected exactly one of 'all', 'any', 'not'", 6),
    ("condition: {attribute: runtime, equals: [a]}", "'equals': expected a single value", 6),
    ("message: '{attribute.nope}'", "unknown placeholder {attribute.nope}", 6),
    ("at: {node: fn}", "no relation binds 'fn'", 6),
    ("severity: fatal", "'severity': expected one of error, warning, note", 6),
    ("subject: lambda", "unknown node kind 'lambda'", 6),
    ("subject: {kind: [role, lambda]}", "unknown node kind 'lambda'", 6),
    ("subject: {kind: []}", "'kind': expected a node kind or a non-empty list", 6),
    ("subject: {kind: [role, role]}", "non-empty list of distinct kinds", 6),
    ("subject: {kind: {a: b}}", "'kind': expected a node kind", 6),
    ("subject: {kind: [role, user], each: actions}", "has no attribute 'actions'", 6),
    ("colour: red", "policy: unknown key 'colour'", 6),
    ("condition: {attribute: runtime, equals: x, unknown: maybe}", "'unknown': expected one of", 6),
    (
        "examples: [{format: sam, expect: fail, source: x, file: ..}]",
        "'file': expected a plain file name",
        6,
    ),
    ("condition: {attribute: runtime, equals: [unclosed", "YAML syntax error", None),
]


@pytest.mark.parametrize(("extra", "expected", "line"), BROKEN)
def test_broken_policy_is_exit_2_with_position(tmp_path, extra, expected, line):
    base = "id: ORG009\nname: broken\nsummary: s\nseverity: error\nsubject: function\n"
    lines = [row for row in base.splitlines() if row.split(":")[0] != extra.split(":")[0]]
    (tmp_path / "bad.yaml").write_text("\n".join([*lines, extra]) + "\n")
    (tmp_path / "template.yaml").write_text("Resources: {}\n")
    result = run("check", str(tmp_path / "template.yaml"), "--policy-folder", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert expected in result.output, result.output
    where = f"bad.yaml:{len(lines) + 1}:" if line else "bad.yaml:"
    assert where in result.output, result.output


def test_id_clash_with_a_built_in_rule_names_it(tmp_path):
    (tmp_path / "p.yaml").write_text(RUNTIME_POLICY.replace("ORG001", "SLS601"))
    with pytest.raises(
        PolicyError, match=r"p.yaml:1: 'id': SLS601 is already used by built-in rule SLS601 "
    ):
        load_policies([tmp_path], load_rules())
    (tmp_path / "p.yaml").write_text(RUNTIME_POLICY.replace("ORG001", "SLS999"))
    with pytest.raises(PolicyError, match="SLS prefix, which is reserved"):
        load_policies([tmp_path], load_rules())
    (tmp_path / "p.yaml").write_text(
        RUNTIME_POLICY.replace("runtime-allow-list", "deprecated-runtime")
    )
    with pytest.raises(PolicyError, match="'name': deprecated-runtime is already used by built-in"):
        load_policies([tmp_path], load_rules())
    (tmp_path / "p.yaml").write_text(RUNTIME_POLICY)
    (tmp_path / "q.yaml").write_text(RUNTIME_POLICY.replace("runtime-allow-list", "other"))
    with pytest.raises(PolicyError, match=r"q.yaml:1: 'id': ORG001 is already used by policy"):
        load_policies([tmp_path], load_rules())


def test_a_missing_policy_folder_is_a_usage_error(tmp_path):
    result = run("check", str(tmp_path), "--policy-folder", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "policy folder not found" in result.output


# -- policies are rules: selection, suppression, baseline, severity, outputs, catalogue --------
def _check(*args: str) -> dict:
    result = run("check", "app", "--policy-folder", "policies", "-f", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def _ids(report: dict) -> list[str]:
    return [f["rule_id"] for f in report["findings"] if not f["suppressed"]]


def test_policy_findings_point_at_the_attribute(app):
    report = _check("--select", "ORG")
    (finding,) = report["findings"]
    assert finding["rule_id"] == "ORG001" and finding["resource"] == "ApiLambdaFunction"
    assert finding["location"]["line"] == 4 and finding["message"].endswith("uses python3.9")


def test_selection_ignore_and_severity_apply_to_policies(app):
    assert _ids(_check("--select", "ORG001")) == ["ORG001"]
    assert _ids(_check("--select", "runtime-allow-list")) == ["ORG001"]
    assert "ORG001" not in _ids(_check("--ignore", "ORG"))
    report = _check("--select", "ORG", "--severity", "ORG001=note")
    assert report["findings"][0]["severity"] == "note"
    result = run(
        "check",
        "app",
        "--policy-folder",
        "policies",
        "--select",
        "ORG",
        "--fail-on",
        "error",
        "--severity",
        "ORG001=warning",
    )
    assert result.exit_code == 0


def test_inline_suppression_and_baseline_apply_to_policies(app):
    text = APP.replace(
        "  runtime: python3.9", "  runtime: python3.9  # sls-lint: ignore[ORG001] ok"
    )
    (app / "app" / "serverless.yml").write_text(text)
    assert _ids(_check("--select", "ORG")) == []
    (app / "app" / "serverless.yml").write_text(APP)
    result = run(
        "check",
        "app",
        "--policy-folder",
        "policies",
        "--select",
        "ORG",
        "--write-baseline",
        "base.json",
    )
    assert result.exit_code == 0 and "ORG001" in (app / "base.json").read_text()
    assert _ids(_check("--select", "ORG", "--baseline", "base.json")) == []


def test_config_policy_folders(app):
    (app / ".sls-lint.yaml").write_text("policy-folders: [policies]\nselect: [ORG]\n")
    result = run("check", "app", "-f", "json")
    assert [f["rule_id"] for f in json.loads(result.output)["findings"]] == ["ORG001"]
    listed = json.loads(run("rules", "--format", "json").output)
    (entry,) = [e for e in listed if e["id"] == "ORG001"]
    assert entry["family"] == "policy" and entry["enabled"] and entry["severity"] == "error"
    explained = run("explain", "ORG001")
    assert explained.exit_code == 0 and explained.output.startswith("ORG001 runtime-allow-list")


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "gitlab", "text", "concise"])
def test_policies_appear_in_every_output_format(app, fmt):
    result = run("check", "app", "--policy-folder", "policies", "--select", "ORG", "-f", fmt)
    assert result.exit_code == 1 and "ORG001" in result.output, result.output
    if fmt == "sarif":
        (rule,) = json.loads(result.output)["runs"][0]["tool"]["driver"]["rules"]
        assert rule["id"] == "ORG001" and rule["shortDescription"]["text"]
        assert rule["help"]["markdown"] and rule["properties"]["security-severity"] == "7.5"


# -- evaluation ---------------------------------------------------------------------------------
def test_globs_intersect_with_iam_semantics():
    assert globs_intersect("dynamodb:*", "dynamodb:delete*")
    assert globs_intersect("*", "dynamodb:deleteitem")
    assert globs_intersect("dynamodb:delete?tem", "dynamodb:deleteitem")
    assert globs_intersect("dynamodb:*item", "dynamodb:delete*")
    assert not globs_intersect("dynamodb:get*", "dynamodb:delete*")
    assert not globs_intersect("s3:*", "dynamodb:*")


def _lint_with(lint_fn, rule_cls, fmt: str, text: str) -> list:
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import lint_paths

    Path(".").joinpath({"terraform": "main.tf"}.get(fmt, "serverless.yml")).write_text(text)
    return lint_paths([Path(".")], [rule_cls()], LintOptions()).findings


UNKNOWN_APP = """\
service: s
provider: {name: aws, runtime: "${ssm:/runtime}"}
functions: {f: {handler: h.m}}
"""


@pytest.mark.parametrize(
    ("unknown", "fires"), [("", False), ("unknown: match", True), ("unknown: no-match", False)]
)
def test_unknown_is_explicit_per_condition(tmp_path, monkeypatch, unknown, fires):
    monkeypatch.chdir(tmp_path)
    cls = policy(f"""\
        id: ORG010
        name: p
        summary: s
        subject: function
        condition: {{attribute: runtime, not-in: [python3.12], {unknown or "ignore-case: false"}}}
        """)
    assert bool(_lint_with(None, cls, "serverless", UNKNOWN_APP)) is fires
    # `not` keeps "cannot tell" undecided, so Unknown never fires by accident.
    negated = policy("""\
        id: ORG011
        name: q
        summary: s
        subject: function
        condition: {not: {attribute: runtime, in: [python3.12]}}
        """)
    assert not _lint_with(None, negated, "serverless", UNKNOWN_APP)
    probe = policy("""\
        id: ORG012
        name: r
        summary: s
        subject: function
        condition: {attribute: runtime, is-unknown: true}
        """)
    assert _lint_with(None, probe, "serverless", UNKNOWN_APP)


CHOICE_TEMPLATE = """\
Conditions:
  Old: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: !If [Old, python3.9, python3.12]
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: x}
"""


def test_branches_any_or_all(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("template.yaml").write_text(CHOICE_TEMPLATE)
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import lint_paths

    def fired(extra: str) -> bool:
        cls = policy(f"""\
            id: ORG013
            name: p
            summary: s
            subject: function
            condition: {{attribute: runtime, equals: python3.9{extra}}}
            """)
        return bool(lint_paths([Path(".")], [cls()], LintOptions()).findings)

    assert fired("")
    assert not fired(", branches: all")


def test_path_form_and_related_locations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("serverless.yml").write_text(APP)
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import lint_paths

    cls = policy("""\
        id: ORG014
        name: api-reaches-old-runtime
        summary: An API reaches a function on an old runtime
        subject: api
        condition:
          relation: has_route|invokes
          max-depth: 2
          kind: function
          as: fn
          where: {attribute: runtime, equals: python3.9}
        message: "API {address} reaches {fn.address} ({fn.attribute.runtime}), {fn.count} of them"
        at: [{node: fn, attribute: runtime}]
        """)
    (finding,) = lint_paths([Path(".")], [cls()], LintOptions()).findings
    assert finding.resource == "ApiLambdaFunction" and finding.location.line == 4
    assert "reaches ApiLambdaFunction (python3.9), 1 of them" in finding.message
    assert any("api" in r.message for r in finding.related)
    # Without the path form, `invokes` can never follow from an api: an error, not a no-op.
    with pytest.raises(PolicyError, match="step 'invokes' cannot start from api"):
        policy("""\
            id: ORG015
            name: one-hop
            summary: s
            subject: api
            condition: {relation: has_route|invokes, kind: function}
            """)


def test_each_item_and_item_keys(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("serverless.yml").write_text("""\
service: s
provider:
  name: aws
  runtime: python3.12
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [s3:GetObject, dynamodb:DeleteItem, "dynamodb:*"]
          Resource: arn:aws:dynamodb:eu-west-1:123456789012:table/orders
functions: {f: {handler: h.m}}
""")
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import lint_paths

    cls = policy("""\
        id: ORG016
        name: deletes
        summary: s
        subject: {kind: statement, each: actions}
        condition: {attribute: item, action-matches: "dynamodb:Delete*"}
        message: "{item}"
        """)
    findings = lint_paths([Path(".")], [cls()], LintOptions()).findings
    assert [f.message for f in findings] == ["dynamodb:DeleteItem", "dynamodb:*"]
    assert [f.location.line for f in findings] == [9, 9]
    assert len({f.fingerprint for f in findings}) == 2


def test_compiled_files_are_cached_as_json_and_bad_entries_ignored(tmp_path, monkeypatch):
    from sls_lint.policies import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = ROOT / "docs" / "policies" / "org003-no-public-table-delete.yaml"
    first = load_policies([source])
    (entry,) = list(cache.cache_dir().glob("*.json"))
    assert json.loads(entry.read_text())["document"]["id"] == "ORG003"
    second = load_policies([source])
    for a, b in zip(first, second, strict=True):
        assert a.documentation() == b.documentation()
        assert a.policy_examples == b.policy_examples and a.policy_line == b.policy_line
    entry.write_text('{"sha256": "0", "lines": [], "document": {}}')
    assert load_policies([source])[0].id == "ORG003"
    # A broken file is never cached: its error keeps the line it points at.
    bad = tmp_path / "bad.yaml"
    bad.write_text(RUNTIME_POLICY.replace("in: [python3.9]", "inn: [python3.9]"))
    for _ in range(2):
        with pytest.raises(PolicyError, match=r"bad.yaml:6:"):
            load_policies([bad])


def test_each_over_a_map_and_is_reference(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("serverless.yml").write_text("""\
service: s
provider: {name: aws, runtime: python3.12}
functions:
  f:
    handler: h.m
    environment:
      DB_PASSWORD: hunter2
      API_TOKEN: ${ssm:/token}
      STAGE: prod
""")
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import lint_paths

    cls = policy("""\
        id: ORG017
        name: literal-secret
        summary: s
        subject: {kind: function, each: environment}
        condition:
          all:
            - {attribute: item.key, matches: "(PASSWORD|TOKEN|SECRET)"}
            - not: {attribute: item.value, is-reference: true}
        message: "{item.key}"
        """)
    (finding,) = lint_paths([Path(".")], [cls()], LintOptions()).findings
    assert finding.message == "DB_PASSWORD" and finding.location.line == 7
    assert finding.property_path == "environment.DB_PASSWORD"


def _graph():
    from sls_lint.model.graph import Location, Node, ResourceGraph
    from sls_lint.sources.located import Mark

    graph = ResourceGraph()
    where = Location("t.yaml", Mark(1, 1, 1, 2))

    def add(kind: str, address: str, **attrs) -> Node:
        return graph.add(Node(kind, address, "T", "cloudformation", where, dict(attrs)))

    lonely = add("function", "Lonely")
    busy = add("function", "Busy")
    for name, auth in (("Open", "NONE"), ("Closed", "AWS_IAM")):
        graph.connect(add("route", name, authorization_type=auth), "invokes", busy)
    return graph, lonely, busy


@pytest.mark.parametrize(
    ("quantifier", "where", "lonely", "busy"),
    [
        ("exists", None, False, True),
        ("none", None, True, False),
        ("all", None, True, True),
        ("exists", "NONE", False, True),
        ("none", "NONE", True, False),
        ("all", "NONE", True, False),
        ("exists", "JWT", False, False),
        ("none", "JWT", True, True),
        ("all", "AWS_IAM", True, False),
    ],
)
def test_quantifiers(quantifier, where, lonely, busy):
    from sls_lint.policies.conditions import Env

    condition = f"{{relation: invoked_by, kind: route, quantifier: {quantifier}"
    if where:
        condition += f", where: {{attribute: authorization_type, equals: {where}}}"
    cls = policy(f"id: ORG020\nname: q\nsummary: s\nsubject: function\ncondition: {condition}}}\n")
    graph, lonely_fn, busy_fn = _graph()
    test = cls.program.condition.test
    assert test(Env(graph, lonely_fn)) is lonely
    assert test(Env(graph, busy_fn)) is busy


@pytest.mark.parametrize(("count", "busy"), [(1, True), (2, True), (3, False)])
def test_at_least_counts_related_nodes(count, busy):
    from sls_lint.policies.conditions import Env

    cls = policy(
        "id: ORG021\nname: q\nsummary: s\nsubject: function\n"
        f"condition: {{relation: invoked_by, kind: route, at-least: {count}, as: r}}\n"
        "message: '{r.count} routes'\n"
    )
    graph, lonely_fn, busy_fn = _graph()
    assert cls.program.condition.test(Env(graph, lonely_fn)) is False
    assert cls.program.condition.test(Env(graph, busy_fn)) is busy
    with pytest.raises(PolicyError, match="counts only with `quantifier: exists`"):
        policy(
            "id: ORG022\nname: q\nsummary: s\nsubject: function\n"
            "condition: {relation: invoked_by, quantifier: none, at-least: 2}\n"
        )


def test_a_subject_of_several_kinds_checks_each_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text("""\
resource "aws_iam_group" "g" {
  name = "g"
}
resource "aws_iam_user" "u" {
  name = "u"
}
resource "aws_iam_user_policy_attachment" "a" {
  user       = aws_iam_user.u.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_group_policy_attachment" "a" {
  group      = aws_iam_group.g.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
""")
    from sls_lint.run.engine import LintOptions
    from sls_lint.run.pipeline import lint_paths

    cls = policy("""\
        id: ORG023
        name: several
        summary: s
        subject: {kind: [user, group], each: managed_policy_arns}
        condition: {attribute: item, matches: ReadOnlyAccess}
        message: "{kind} {address}"
        """)
    assert "(subject: user, group)" in cls.documentation()
    findings = lint_paths([Path(".")], [cls()], LintOptions()).findings
    assert [f.message for f in findings] == ["user aws_iam_user.u", "group aws_iam_group.g"]
