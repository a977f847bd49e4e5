"""The tricky corners of the core catalogue (SLS104-SLS803) that the docstring examples do
not reach: conditions that make a grant safe, Unknown values, both branches of `Fn::If`,
combinations split across statements, and counting each thing once."""

from __future__ import annotations

import textwrap

from conftest import by_rule

FN = """
  {name}:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: {role}
      Code: {{ZipFile: x}}
"""

TRUST = "{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}"


def template(body: str, *functions: tuple[str, str], header: str = "") -> str:
    """A template: `header` sections, then `functions` (name, role), then `body` resources."""
    parts = [textwrap.dedent(header).strip("\n")] if header else []
    parts.append("Resources:")
    parts += [FN.format(name=n, role=r).strip("\n") for n, r in functions]
    if body.strip():
        parts.append(textwrap.indent(textwrap.dedent(body).strip("\n"), "  "))
    return "\n".join(parts) + "\n"


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of the first `needle` (after the first `after`), for exact asserts."""
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def role(policies: str, managed: str = "") -> str:
    text = f"""
    Role:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument:
          Statement:
            - {TRUST}
    """
    text = textwrap.dedent(text).rstrip("\n")
    if managed:
        text += "\n    ManagedPolicyArns:\n" + textwrap.indent(textwrap.dedent(managed), "      ")
    if policies:
        text += "\n    Policies:\n" + textwrap.indent(textwrap.dedent(policies), "      ")
    return text


def lines(findings) -> list[int]:
    return sorted(f.location.line for f in findings)


# -- SLS104 ---------------------------------------------------------------------------------
def permission(extra: str = "", principal: str = "sns.amazonaws.com") -> str:
    return template(
        f"""
        Perm:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref Fn
            Action: lambda:InvokeFunction
            Principal: {principal}
        {extra}""",
        ("Fn", "arn:aws:iam::123456789012:role/r"),
    )


def test_sls104_source_account_or_unknown_source_is_enough(lint):
    assert len(by_rule(lint("cloudformation", permission()), "SLS104")) == 1
    safe = "    SourceAccount: '123456789012'"
    assert not by_rule(lint("cloudformation", permission(safe)), "SLS104")
    unknown = "    SourceArn: !ImportValue shared-topic-arn"
    assert not by_rule(lint("cloudformation", permission(unknown)), "SLS104")


def test_sls104_leaves_public_and_account_principals_to_others(lint):
    assert not by_rule(lint("cloudformation", permission(principal="'*'")), "SLS104")
    assert not by_rule(lint("cloudformation", permission(principal="'123456789012'")), "SLS104")


# -- SLS110 / SLS803: entry points -----------------------------------------------------------
def public_url(auth: str, policies: str = "", managed: str = "", concurrency: str = "") -> str:
    body = role(policies, managed) + textwrap.dedent(
        f"""
        Url:
          Type: AWS::Lambda::Url
          Properties:
            TargetFunctionArn: !GetAtt Fn.Arn
            AuthType: {auth}
        """
    )
    text = template(body, ("Fn", "!GetAtt Role.Arn"), header="Conditions: {Open: !Equals [a, a]}")
    if concurrency:
        text = text.replace("Code: {ZipFile: x}", f"Code: {{ZipFile: x}}\n      {concurrency}", 1)
    return text


ADMIN = "- arn:aws:iam::aws:policy/AdministratorAccess\n"


def test_sls110_either_branch_of_if_can_open_the_door(lint):
    text = public_url("!If [Open, NONE, AWS_IAM]", managed=ADMIN)
    (finding,) = by_rule(lint("cloudformation", text), "SLS110")
    assert finding.resource == "Url"
    assert finding.location.line == line_of(text, "AuthType")
    assert "AdministratorAccess" in finding.message
    # related: the function and the managed-policy item
    assert [r.location.line for r in finding.related] == [
        line_of(text, "Fn:"),
        line_of(text, "- arn:aws:iam::aws:policy/AdministratorAccess"),
    ]
    assert not by_rule(lint("cloudformation", public_url("AWS_IAM", managed=ADMIN)), "SLS110")


def test_sls110_scoped_or_conditioned_grants_are_not_privileged(lint):
    scoped = """
    - PolicyName: p
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "*", Resource: arn:aws:s3:::bucket/*}
          - Effect: Allow
            Action: iam:PassRole
            Resource: "*"
            Condition: {StringEquals: {iam:PassedToService: lambda.amazonaws.com}}
    """
    assert not by_rule(lint("cloudformation", public_url("NONE", scoped)), "SLS110")
    wildcard = """
    - PolicyName: p
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}
    """
    text = public_url("NONE", wildcard)
    (finding,) = by_rule(lint("cloudformation", text), "SLS110")
    assert "every action" in finding.message
    assert finding.related[1].location.line == line_of(text, 'Action: "*"')


def test_sls110_unknown_action_is_not_a_privilege(lint):
    unknown = """
    - PolicyName: p
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: !ImportValue shared-action, Resource: "*"}
    """
    assert not by_rule(lint("cloudformation", public_url("NONE", unknown)), "SLS110")


def test_sls803_reports_each_function_once_and_respects_reserved_concurrency(lint):
    findings = lint("cloudformation", public_url("NONE"))
    (finding,) = by_rule(findings, "SLS803")
    assert finding.resource == "Fn" and "function URL Url" in finding.message
    limited = public_url("NONE", concurrency="ReservedConcurrentExecutions: 5")
    assert not by_rule(lint("cloudformation", limited), "SLS803")


URI = "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"


def rest_route(method: str, extra: str = "", endpoint: str = "") -> str:
    return template(
        f"""
        Api:
          Type: AWS::ApiGateway::RestApi
          Properties:
            Name: demo
            {endpoint}
        Method:
          Type: AWS::ApiGateway::Method
          Properties:
            RestApiId: !Ref Api
            ResourceId: !GetAtt Api.RootResourceId
            HttpMethod: {method}
            AuthorizationType: NONE
            {extra}
            Integration:
              Type: AWS_PROXY
              IntegrationHttpMethod: POST
              Uri: !Sub "{URI}"
        """,
        ("Fn", "arn:aws:iam::123456789012:role/r"),
    ).replace("{URI}", URI)


def test_sls803_exemptions_follow_route_authorization(lint):
    assert len(by_rule(lint("cloudformation", rest_route("GET")), "SLS803")) == 1
    assert not by_rule(lint("cloudformation", rest_route("OPTIONS")), "SLS803")
    keyed = rest_route("GET", "ApiKeyRequired: true")
    assert not by_rule(lint("cloudformation", keyed), "SLS803")
    private = rest_route("GET", endpoint="EndpointConfiguration: {Types: [PRIVATE]}")
    assert not by_rule(lint("cloudformation", private), "SLS803")


# -- SLS503 -------------------------------------------------------------------------------
def test_sls503_only_body_methods(lint):
    text = rest_route("patch")
    (finding,) = by_rule(lint("cloudformation", text), "SLS503")
    assert finding.location.line == line_of(text, "HttpMethod")
    assert not by_rule(lint("cloudformation", rest_route("GET")), "SLS503")
    unknown = rest_route("POST", "RequestValidatorId: !ImportValue shared-validator")
    assert not by_rule(lint("cloudformation", unknown), "SLS503")


# -- SLS205 / SLS206 ----------------------------------------------------------------------
def policy_role(statements: str) -> str:
    policies = "- PolicyName: p\n  PolicyDocument:\n    Statement:\n" + textwrap.indent(
        textwrap.dedent(statements).strip("\n"), "      "
    )
    return template(role(policies + "\n"), ("Fn", "!GetAtt Role.Arn"))


def test_sls205_iam_star_counts_but_full_wildcard_is_sls201s(lint):
    findings = lint(
        "cloudformation", policy_role("- {Effect: Allow, Action: 'iam:*', Resource: '*'}")
    )
    assert len(by_rule(findings, "SLS205")) == 1
    findings = lint("cloudformation", policy_role("- {Effect: Allow, Action: '*', Resource: '*'}"))
    assert not by_rule(findings, "SLS205") and by_rule(findings, "SLS201")


def test_sls205_deny_on_the_same_role_removes_the_grant(lint):
    statements = """
    - {Effect: Allow, Action: iam:PassRole, Resource: "*"}
    - {Effect: Deny, Action: iam:PassRole, Resource: "*"}
    """
    assert not by_rule(lint("cloudformation", policy_role(statements)), "SLS205")


def test_sls206_combination_split_across_a_role_policy_and_a_separate_policy(lint):
    extra = """
      Extra:
        Type: AWS::IAM::Policy
        Properties:
          PolicyName: extra
          Roles: [!Ref Role]
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [lambda:CreateFunction, lambda:CreateEventSourceMapping]
                Resource: "*"
    """
    text = policy_role("- {Effect: Allow, Action: iam:PassRole, Resource: '*'}")
    text += textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ") + "\n"
    (finding,) = by_rule(lint("cloudformation", text), "SLS206")
    # on iam:PassRole, the first action of the combination; the others are related
    assert finding.location.line == line_of(text, "iam:PassRole")
    assert "lambda:CreateFunction" in finding.message
    actions = line_of(text, "Action: [lambda:CreateFunction")
    assert [r.location.line for r in finding.related][:2] == [actions, actions]
    half = policy_role("- {Effect: Allow, Action: [lambda:CreateFunction], Resource: '*'}")
    assert not by_rule(lint("cloudformation", half), "SLS206")


def test_sls206_single_action_paths_and_conditions(lint):
    risky = policy_role("- {Effect: Allow, Action: iam:CreatePolicyVersion, Resource: '*'}")
    assert len(by_rule(lint("cloudformation", risky), "SLS206")) == 1
    guarded = policy_role(
        """
        - Effect: Allow
          Action: iam:CreatePolicyVersion
          Resource: "*"
          Condition: {StringEquals: {aws:RequestedRegion: eu-west-1}}
        """
    )
    assert not by_rule(lint("cloudformation", guarded), "SLS206")
    scoped = policy_role(
        "- {Effect: Allow, Action: sts:AssumeRole, Resource: arn:aws:iam::123456789012:role/x}"
    )
    assert not by_rule(lint("cloudformation", scoped), "SLS206")


# -- SLS207 / SLS208 / SLS209 ---------------------------------------------------------------
def test_sls207_points_at_the_list_item(lint):
    managed = "- arn:aws:iam::aws:policy/ReadOnlyAccess\n- arn:aws:iam::aws:policy/IAMFullAccess\n"
    text = template(role("", managed), ("Fn", "!GetAtt Role.Arn"))
    (finding,) = by_rule(lint("cloudformation", text), "SLS207")
    assert finding.location.line == line_of(text, "IAMFullAccess")
    assert "IAMFullAccess" in finding.message


def test_sls208_counts_each_function_once(lint):
    text = template(
        role(""), ("A", "!GetAtt Role.Arn"), ("B", "!GetAtt Role.Arn"), ("C", "other-role-arn")
    )
    (finding,) = by_rule(lint("cloudformation", text), "SLS208")
    assert "2 functions (A, B)" in finding.message
    assert len(finding.related) == 2
    single = template(role(""), ("A", "!GetAtt Role.Arn"))
    assert not by_rule(lint("cloudformation", single), "SLS208")


def trust_role(principal: str, condition: str = "") -> str:
    return template(
        f"""
        Role:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument:
              Statement:
                - Effect: Allow
                  Principal: {principal}
                  Action: sts:AssumeRole
                  {condition}
        """,
        ("Fn", "!GetAtt Role.Arn"),
    )


def test_sls209_star_with_condition_and_edge_are_fine(lint):
    (finding,) = by_rule(lint("cloudformation", trust_role("'*'")), "SLS209")
    assert "any principal" in finding.message
    conditioned = trust_role("'*'", "Condition: {StringEquals: {aws:PrincipalOrgID: o-abc}}")
    assert not by_rule(lint("cloudformation", conditioned), "SLS209")
    edge = trust_role("{Service: [lambda.amazonaws.com, edgelambda.amazonaws.com]}")
    assert not by_rule(lint("cloudformation", edge), "SLS209")
    both = trust_role("{Service: [lambda.amazonaws.com, states.amazonaws.com]}")
    assert "states.amazonaws.com" in by_rule(lint("cloudformation", both), "SLS209")[0].message


def test_sls209_ignores_roles_of_other_services(lint):
    text = textwrap.dedent(
        """
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement:
                  - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
        """
    )
    assert not by_rule(lint("cloudformation", text), "SLS209")


# -- stages: SLS302 / SLS501 / SLS504 ---------------------------------------------------------
def stage(settings: str, extra: str = "", before: str = "") -> str:
    """A REST API and its stage with `settings` as MethodSettings (a YAML list)."""
    props = ["RestApiId: !Ref Api", "DeploymentId: abc", "StageName: prod"]
    props += [extra] if extra else []
    props.append("MethodSettings:")
    props += ["  " + line for line in textwrap.dedent(settings).strip("\n").splitlines()]
    body = textwrap.dedent(before).strip("\n") + "\n" if before.strip() else ""
    body += "Api:\n  Type: AWS::ApiGateway::RestApi\n  Properties: {Name: demo}\n"
    body += "Stage:\n  Type: AWS::ApiGateway::Stage\n  Properties:\n"
    body += "".join(f"    {line}\n" for line in props)
    return template(body, header="Conditions: {Quiet: !Equals [a, b]}")


def test_sls302_a_branch_without_logging_is_reported(lint):
    on = stage("- {HttpMethod: '*', ResourcePath: '/*', LoggingLevel: INFO}")
    assert not by_rule(lint("cloudformation", on), "SLS302")
    maybe = stage(
        "- {HttpMethod: '*', ResourcePath: '/*', LoggingLevel: !If [Quiet, 'OFF', ERROR]}"
    )
    assert len(by_rule(lint("cloudformation", maybe), "SLS302")) == 1
    partial = stage("- {HttpMethod: GET, ResourcePath: /orders, LoggingLevel: INFO}")
    assert len(by_rule(lint("cloudformation", partial), "SLS302")) == 1


def test_sls302_deployment_stage_description(lint):
    text = textwrap.dedent(
        """
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties: {Name: demo}
          Deployment:
            Type: AWS::ApiGateway::Deployment
            Properties:
              RestApiId: !Ref Api
              StageName: prod
              StageDescription:
                LoggingLevel: ERROR
                ThrottlingRateLimit: 50
        """
    )
    findings = lint("cloudformation", text)
    assert not by_rule(findings, "SLS302") and not by_rule(findings, "SLS501")


def test_sls501_usage_plan_declared_before_the_stage_counts(lint):
    plan = """
    Plan:
      Type: AWS::ApiGateway::UsagePlan
      Properties:
        ApiStages: [{ApiId: !Ref Api, Stage: prod}]
        Throttle: {RateLimit: 10, BurstLimit: 20}
    """
    settings = "- {HttpMethod: '*', ResourcePath: '/*', LoggingLevel: INFO}"
    assert not by_rule(lint("cloudformation", stage(settings, before=plan)), "SLS501")
    without = plan.replace("Throttle: {RateLimit: 10, BurstLimit: 20}", "Quota: {Limit: 5}")
    assert by_rule(lint("cloudformation", stage(settings, before=without)), "SLS501")


def test_sls504_inherits_stage_wide_encryption(lint):
    settings = """
    - {HttpMethod: '*', ResourcePath: '/*', CacheDataEncrypted: true}
    - {HttpMethod: GET, ResourcePath: /~1orders, CachingEnabled: true}
    """
    cached = stage(settings, "CacheClusterEnabled: true")
    assert not by_rule(lint("cloudformation", cached), "SLS504")
    bare = stage(
        "- {HttpMethod: GET, ResourcePath: /~1orders, CachingEnabled: true}",
        "CacheClusterEnabled: true",
    )
    (finding,) = by_rule(lint("cloudformation", bare), "SLS504")
    assert finding.location.line == line_of(bare, "CachingEnabled")
    no_cluster = stage("- {HttpMethod: GET, ResourcePath: /~1orders, CachingEnabled: true}")
    assert not by_rule(lint("cloudformation", no_cluster), "SLS504")


# -- SLS303 / SLS703 --------------------------------------------------------------------------
def log_group(props: str) -> str:
    return template(
        f"""
        Logs:
          Type: AWS::Logs::LogGroup
          Properties:
            LogGroupName: !Sub /aws/lambda/${{Fn}}
            {props}
        """,
        ("Fn", "arn:aws:iam::123456789012:role/r"),
        header="Parameters: {Days: {Type: Number}}\nConditions: {Keep: !Equals [a, b]}",
    )


def test_sls303_retention_branches_and_unknowns(lint):
    removed = log_group("RetentionInDays: !If [Keep, !Ref AWS::NoValue, 30]")
    (finding,) = by_rule(lint("cloudformation", removed), "SLS303")
    assert finding.resource == "Logs"
    assert not by_rule(lint("cloudformation", log_group("RetentionInDays: !Ref Days")), "SLS303")
    elsewhere = template("", ("Fn", "arn:aws:iam::123456789012:role/r")).replace(
        "Code: {ZipFile: x}", "Code: {ZipFile: x}\n      LoggingConfig: {LogGroup: shared-logs}"
    )
    assert not by_rule(lint("cloudformation", elsewhere), "SLS303")


def test_sls703_only_declared_log_groups(lint):
    assert len(by_rule(lint("cloudformation", log_group("RetentionInDays: 7")), "SLS703")) == 1
    bare = template("", ("Fn", "arn:aws:iam::123456789012:role/r"))
    assert not by_rule(lint("cloudformation", bare), "SLS703")


# -- SLS801 / SLS802 ---------------------------------------------------------------------------
def test_sls801_event_invoke_config_destination_is_enough(lint):
    sns = """
    Sub:
      Type: AWS::SNS::Subscription
      Properties:
        Protocol: lambda
        TopicArn: arn:aws:sns:eu-west-1:123456789012:t
        Endpoint: !GetAtt Fn.Arn
    """
    text = template(sns, ("Fn", "arn:aws:iam::123456789012:role/r"))
    assert len(by_rule(lint("cloudformation", text), "SLS801")) == 1
    config = """
    Config:
      Type: AWS::Lambda::EventInvokeConfig
      Properties:
        FunctionName: !Ref Fn
        Qualifier: $LATEST
        DestinationConfig:
          OnFailure: {Destination: arn:aws:sqs:eu-west-1:123456789012:failures}
    """
    text = template(sns + config, ("Fn", "arn:aws:iam::123456789012:role/r"))
    assert not by_rule(lint("cloudformation", text), "SLS801")


def mapping(arn: str) -> str:
    return template(
        f"""
        Mapping:
          Type: AWS::Lambda::EventSourceMapping
          Properties:
            FunctionName: !Ref Fn
            EventSourceArn: {arn}
        """,
        ("Fn", "arn:aws:iam::123456789012:role/r"),
    )


def test_sls802_streams_not_queues(lint):
    ddb = "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2024-01-01T00:00:00.000"
    findings = lint("cloudformation", mapping(ddb))
    assert len(by_rule(findings, "SLS802")) == 1 and not by_rule(findings, "SLS801")
    sqs = lint("cloudformation", mapping("arn:aws:sqs:eu-west-1:123456789012:q"))
    assert not by_rule(sqs, "SLS802") and not by_rule(sqs, "SLS801")


# -- SLS505 / SLS702 ----------------------------------------------------------------------------
def test_sls505_unset_policy_is_not_asserted(lint):
    text = textwrap.dedent(
        """
        Resources:
          Domain:
            Type: AWS::ApiGateway::DomainName
            Properties: {DomainName: api.example.com}
          V2:
            Type: AWS::ApiGatewayV2::DomainName
            Properties:
              DomainName: v2.example.com
              DomainNameConfigurations:
                - {CertificateArn: arn:aws:acm:eu-west-1:1:certificate/a, SecurityPolicy: TLS_1_0}
        """
    )
    (finding,) = by_rule(lint("cloudformation", text), "SLS505")
    assert finding.resource == "V2" and finding.location.line == line_of(text, "TLS_1_0")


def test_sls702_names_that_only_point_at_secrets(lint):
    text = template("", ("Fn", "arn:aws:iam::123456789012:role/r")).replace(
        "Code: {ZipFile: x}",
        "Code: {ZipFile: x}\n      Environment:\n        Variables:\n"
        "          DB_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:1:secret:db\n"
        "          API_TOKEN: !Ref Token",
    )
    (finding,) = by_rule(lint("cloudformation", text), "SLS702")
    assert "API_TOKEN" in finding.message and "DB_SECRET_ARN" not in finding.message
    assert finding.location.line == line_of(text, "API_TOKEN")
