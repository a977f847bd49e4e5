"""Per-resource-type translation of Terraform resources into CloudFormation shapes.

One small function per Terraform resource type maps its attributes and nested blocks to the
properties `CfnGraphBuilder` reads for the equivalent CloudFormation type (`HANDLERS`); the
`JOINERS` fold resources Terraform keeps separate into the one CloudFormation expects them in.
`translate()` runs both over a module's evaluated instances.
"""

from __future__ import annotations

from typing import Any

from sls_lint.loaders.terraform.iam_documents import block, blocks
from sls_lint.loaders.terraform.translate import (
    Handler,
    Instance,
    Joiner,
    Props,
    Translator,
    is_symbolic,
    plain,
)
from sls_lint.loaders.terraform.values import Interp, TfDict, TfRef
from sls_lint.model.values import Unknown
from sls_lint.sources.located import NO_MARK, LDict, LList, Mark


def translate(instances: list[Instance]) -> Translator:
    """Translate evaluated instances (`resources`, `files` and `types` feed the builder)."""
    translator = Translator(instances)
    translator.translate(HANDLERS, JOINERS)
    return translator


def _list_of(value: Any, mark: Mark) -> LList:
    items = LList([value], mark=mark)
    items.item_marks = [mark]
    return items


# -- Lambda ----------------------------------------------------------------------------------
def _function(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    body = inst.body
    p = Props(tr, body)
    p.puts(
        {
            "Runtime": "runtime",
            "Handler": "handler",
            "PackageType": "package_type",
            "MemorySize": "memory_size",
            "Timeout": "timeout",
            "KmsKeyArn": "kms_key_arn",
            "CodeSigningConfigArn": "code_signing_config_arn",
            "Layers": "layers",
            "FunctionName": "function_name",
        }
    )
    p.put("Role", "role")
    reserved = body.get("reserved_concurrent_executions")
    if reserved is not None and reserved != -1:
        p.put("ReservedConcurrentExecutions", "reserved_concurrent_executions")
    p.sub("TracingConfig", "tracing_config", {"Mode": "mode"})
    p.sub("DeadLetterConfig", "dead_letter_config", {"TargetArn": "target_arn"})
    p.sub(
        "VpcConfig",
        "vpc_config",
        {"SubnetIds": "subnet_ids", "SecurityGroupIds": "security_group_ids"},
    )
    p.sub("LoggingConfig", "logging_config", {"LogGroup": "log_group"})
    found = blocks(body, "environment")
    if found:
        environment, mark = found[0]
        variables = environment.get("variables")
        if isinstance(variables, dict):
            values = LDict(mark=getattr(variables, "mark", mark))
            literal = variables.literal_keys if isinstance(variables, TfDict) else set(variables)
            for name, value in variables.items():
                if value is None:
                    continue
                values[name] = tr.cfn(value) if name in literal else tr.reference(value)
                if isinstance(variables, LDict):
                    values.value_marks[name] = variables.mark_of(name)
                    values.key_marks[name] = variables.key_mark(name)
            wrapper = LDict({"Variables": values}, mark=mark)
            wrapper.value_marks["Variables"] = (
                environment.mark_of("variables") if isinstance(environment, LDict) else mark
            )
            p.set("Environment", wrapper, mark)
    return "AWS::Lambda::Function", p.out


def _function_ref(tr: Translator, p: Props, key: str, attr: str) -> None:
    value = p.body.get(attr)
    if value is not None:
        p.set(key, tr.named(value, "aws_lambda_function", "function_name"), p.mark_of(attr))


def _url(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts({"AuthType": "authorization_type", "InvokeMode": "invoke_mode"})
    cors = block(inst.body, "cors")
    if cors is not None:
        p.set("Cors", tr.cfn(cors), inst.body.mark_of("cors"))
    _function_ref(tr, p, "TargetFunctionArn", "function_name")
    return "AWS::Lambda::Url", p.out


def _permission(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts(
        {
            "Action": "action",
            "Principal": "principal",
            "SourceArn": "source_arn",
            "SourceAccount": "source_account",
            "PrincipalOrgID": "principal_org_id",
            "FunctionUrlAuthType": "function_url_auth_type",
            "InvokedViaFunctionUrl": "invoked_via_function_url",
            "EventSourceToken": "event_source_token",
        }
    )
    _function_ref(tr, p, "FunctionName", "function_name")
    return "AWS::Lambda::Permission", p.out


def _layer_permission(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts(
        {
            "Action": "action",
            "Principal": "principal",
            "OrganizationId": "organization_id",
            "LayerVersionArn": "layer_name",
        }
    )
    return "AWS::Lambda::LayerVersionPermission", p.out


def _on_failure(p: Props, key_inner: str, tf_attr: str) -> None:
    destination = block(p.body, "destination_config")
    on_failure = block(destination, "on_failure") if destination is not None else None
    if on_failure is None:
        return
    mark = p.body.mark_of("destination_config")
    failure = Props(p.tr, on_failure, getattr(on_failure, "mark", mark)).put(key_inner, tf_attr).out
    config = LDict({"OnFailure": failure}, mark=mark)
    config.value_marks["OnFailure"] = failure.mark
    p.set("DestinationConfig", config, mark)


def _event_source_mapping(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).put("EventSourceArn", "event_source_arn")
    _function_ref(tr, p, "FunctionName", "function_name")
    _on_failure(p, "Destination", "destination_arn")
    for name in ("self_managed_event_source", "amazon_managed_kafka_event_source_config"):
        if block(inst.body, name) is not None and name.startswith("self"):
            p.set("SelfManagedEventSource", LDict(), inst.body.mark_of(name))
    return "AWS::Lambda::EventSourceMapping", p.out


def _event_invoke_config(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body)
    _function_ref(tr, p, "FunctionName", "function_name")
    _on_failure(p, "Destination", "destination")
    return "AWS::Lambda::EventInvokeConfig", p.out


# -- API Gateway REST ------------------------------------------------------------------------
def _rest_api(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts({"Name": "name", "ApiKeySourceType": "api_key_source"})
    document = tr.document(inst.body, "policy")
    if document is not None:
        p.set("Policy", document, inst.body.mark_of("policy"))
    p.sub("EndpointConfiguration", "endpoint_configuration", {"Types": "types"})
    return "AWS::ApiGateway::RestApi", p.out


def _rest_resource(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts(
        {"ParentId": "parent_id", "PathPart": "path_part", "RestApiId": "rest_api_id"}
    )
    return "AWS::ApiGateway::Resource", p.out


def _rest_method(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts(
        {
            "HttpMethod": "http_method",
            "AuthorizationType": "authorization",
            "ApiKeyRequired": "api_key_required",
            "RequestValidatorId": "request_validator_id",
            "RequestModels": "request_models",
            "ResourceId": "resource_id",
            "RestApiId": "rest_api_id",
            "AuthorizerId": "authorizer_id",
        }
    )
    return "AWS::ApiGateway::Method", p.out


def _rest_stage(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts(
        {
            "StageName": "stage_name",
            "RestApiId": "rest_api_id",
            "TracingEnabled": "xray_tracing_enabled",
            "CacheClusterEnabled": "cache_cluster_enabled",
            "ClientCertificateId": "client_certificate_id",
        }
    )
    p.sub(
        "AccessLogSetting",
        "access_log_settings",
        {"DestinationArn": "destination_arn", "Format": "format"},
    )
    return "AWS::ApiGateway::Stage", p.out


def _deployment(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts({"StageName": "stage_name", "RestApiId": "rest_api_id"})
    return "AWS::ApiGateway::Deployment", p.out


def _rest_authorizer(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts(
        {"ProviderARNs": "provider_arns", "AuthorizerUri": "authorizer_uri"}
    )
    p.put("Type", "type", inst.body.get("type", "TOKEN"))
    return "AWS::ApiGateway::Authorizer", p.out


def _usage_plan(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body)
    p.sub("Throttle", "throttle_settings", {"BurstLimit": "burst_limit", "RateLimit": "rate_limit"})
    stages = LList(mark=inst.body.mark)
    for item, mark in blocks(inst.body, "api_stages"):
        stages.append(Props(tr, item, mark).puts({"ApiId": "api_id", "Stage": "stage"}).out)
        stages.item_marks.append(mark)
    if stages:
        p.set("ApiStages", stages, stages.item_marks[0])
    return "AWS::ApiGateway::UsagePlan", p.out


def _domain(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts(
        {"DomainName": "domain_name", "SecurityPolicy": "security_policy"}
    )
    configuration = block(inst.body, "domain_name_configuration")
    if configuration is not None and "security_policy" in configuration:
        p.set(
            "SecurityPolicy",
            tr.cfn(configuration["security_policy"]),
            configuration.mark_of("security_policy"),
        )
    cfn_type = (
        "AWS::ApiGateway::DomainName"
        if inst.type == "aws_api_gateway_domain_name"
        else "AWS::ApiGatewayV2::DomainName"
    )
    return cfn_type, p.out


# -- API Gateway v2 --------------------------------------------------------------------------
def _v2_api(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts(
        {
            "ProtocolType": "protocol_type",
            "Name": "name",
            "DisableExecuteApiEndpoint": "disable_execute_api_endpoint",
            "Target": "target",
        }
    )
    return "AWS::ApiGatewayV2::Api", p.out


def _v2_integration(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts({"ApiId": "api_id", "IntegrationType": "integration_type"})
    value = inst.body.get("integration_uri")
    if value is not None:
        p.set(
            "IntegrationUri",
            tr.named(value, "aws_lambda_function", "function_name"),
            inst.body.mark_of("integration_uri"),
        )
    return "AWS::ApiGatewayV2::Integration", p.out


def _v2_route(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts(
        {
            "RouteKey": "route_key",
            "AuthorizationType": "authorization_type",
            "ApiKeyRequired": "api_key_required",
            "ApiId": "api_id",
            "Target": "target",
            "AuthorizerId": "authorizer_id",
        }
    )
    return "AWS::ApiGatewayV2::Route", p.out


def _v2_stage(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts({"StageName": "name", "ApiId": "api_id"})
    p.sub(
        "AccessLogSettings",
        "access_log_settings",
        {"DestinationArn": "destination_arn", "Format": "format"},
    )
    settings = {
        "ThrottlingBurstLimit": "throttling_burst_limit",
        "ThrottlingRateLimit": "throttling_rate_limit",
        "DetailedMetricsEnabled": "detailed_metrics_enabled",
        "LoggingLevel": "logging_level",
        "DataTraceEnabled": "data_trace_enabled",
    }
    p.sub("DefaultRouteSettings", "default_route_settings", settings)
    found = blocks(inst.body, "route_settings")
    if found:
        routes = LDict(mark=found[0][1])
        for item, mark in found:
            key = item.get("route_key")
            if isinstance(key, str):
                routes[str(key)] = Props(tr, item, mark).puts(settings).out
                routes.value_marks[str(key)] = mark
        p.set("RouteSettings", routes, found[0][1])
    return "AWS::ApiGatewayV2::Stage", p.out


def _v2_authorizer(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts(
        {"AuthorizerType": "authorizer_type", "AuthorizerUri": "authorizer_uri"}
    )
    return "AWS::ApiGatewayV2::Authorizer", p.out


# -- IAM -------------------------------------------------------------------------------------
def _role(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    body = inst.body
    p = Props(tr, body).puts({"PermissionsBoundary": "permissions_boundary", "RoleName": "name"})
    trust = tr.document(body, "assume_role_policy")
    if trust is not None:
        p.set("AssumeRolePolicyDocument", trust, body.mark_of("assume_role_policy"))
    if "managed_policy_arns" in body and isinstance(body["managed_policy_arns"], list):
        p.put("ManagedPolicyArns", "managed_policy_arns")
    policies = LList(mark=body.mark)
    for item, mark in blocks(body, "inline_policy"):
        document = tr.document(item, "policy")
        if document is None:
            continue
        policy = LDict(
            {"PolicyName": tr.cfn(item.get("name", "inline")), "PolicyDocument": document},
            mark=mark,
        )
        policy.value_marks["PolicyDocument"] = (
            item.mark_of("policy") if isinstance(item, LDict) else mark
        )
        policies.append(policy)
        policies.item_marks.append(mark)
    if policies:
        p.set("Policies", policies, policies.item_marks[0])
    return "AWS::IAM::Role", p.out


def _role_policy(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    """`aws_iam_role_policy` / `aws_iam_user_policy` / `aws_iam_group_policy`: an inline policy
    of one holder, which the builder attaches like an `AWS::IAM::Policy`."""
    p = Props(tr, inst.body).put("PolicyName", "name")
    document = tr.document(inst.body, "policy")
    if document is not None:
        p.set("PolicyDocument", document, inst.body.mark_of("policy"))
    attr, holder_type, key = _POLICY_HOLDERS[inst.type]
    holder = inst.body.get(attr)
    if holder is not None:
        reference = tr.named(holder, holder_type, "name")
        p.set(key, _list_of(reference, inst.body.mark_of(attr)), inst.body.mark_of(attr))
    return "AWS::IAM::Policy", p.out


# Inline policy type -> (attribute naming its holder, the holder's type, CloudFormation key).
_POLICY_HOLDERS = {
    "aws_iam_role_policy": ("role", "aws_iam_role", "Roles"),
    "aws_iam_user_policy": ("user", "aws_iam_user", "Users"),
    "aws_iam_group_policy": ("group", "aws_iam_group", "Groups"),
}


def _user_or_group(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts({"PermissionsBoundary": "permissions_boundary"})
    if inst.type == "aws_iam_user":
        p.put("UserName", "name")
        return "AWS::IAM::User", p.out
    p.put("GroupName", "name")
    return "AWS::IAM::Group", p.out


def _policy(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).put("ManagedPolicyName", "name")
    document = tr.document(inst.body, "policy")
    if document is not None:
        p.set("PolicyDocument", document, inst.body.mark_of("policy"))
    return "AWS::IAM::ManagedPolicy", p.out


def _attach_policy(tr: Translator, inst: Instance) -> None:
    """Attachments add their policy ARN to the role's managed policies (and its statements)."""
    body = inst.body
    arns: list[tuple[Any, Mark]] = []
    if "policy_arn" in body:
        arns.append((body["policy_arn"], body.mark_of("policy_arn")))
    value = body.get("policy_arns")
    if isinstance(value, LList):
        arns.extend((item, value.mark_of(i)) for i, item in enumerate(value))
    holders: list[tuple[Any, str]] = []
    for attrs, holder_type in _ATTACHMENT_HOLDERS:
        for attr in attrs:
            value = body.get(attr)
            if isinstance(value, list) and attr.endswith("s"):
                holders.extend((item, holder_type) for item in value)
            elif value is not None:
                holders.append((value, holder_type))
    for holder, holder_type in holders:
        target = tr.target_of(holder, holder_type, "name")
        props = tr.props_of(target) if target else None
        if props is None:
            continue
        managed = props.get("ManagedPolicyArns")
        if not isinstance(managed, LList):
            managed = LList(mark=inst.mark)
            props["ManagedPolicyArns"] = managed
            props.value_marks["ManagedPolicyArns"] = inst.mark
        for arn, mark in arns:
            managed.append(
                tr.named(arn, "aws_iam_policy", "name") if not isinstance(arn, str) else arn
            )
            managed.item_marks.append(mark)


# Attachment attributes naming a role, user or group, and the holder's type.
_ATTACHMENT_HOLDERS = (
    (("role", "role_name", "roles"), "aws_iam_role"),
    (("user", "users"), "aws_iam_user"),
    (("group", "groups"), "aws_iam_group"),
)


# -- network, logs, WAF, load balancers, async sources ---------------------------------------
def _sg_rules(tr: Translator, body: dict, name: str) -> LList:
    rules = LList(mark=getattr(body, "mark", NO_MARK))
    for item, mark in blocks(body, name):
        base = {
            "IpProtocol": tr.cfn(item.get("protocol", "-1")),
            "FromPort": tr.cfn(item.get("from_port")),
            "ToPort": tr.cfn(item.get("to_port")),
        }
        peers: list[tuple[str, Any, Mark]] = []
        for attr, key in (
            ("cidr_blocks", "CidrIp"),
            ("ipv6_cidr_blocks", "CidrIpv6"),
            ("prefix_list_ids", "DestinationPrefixListId"),
            ("security_groups", "DestinationSecurityGroupId"),
        ):
            value = item.get(attr)
            if isinstance(value, LList):
                peers.extend((key, tr.cfn(v), value.mark_of(i)) for i, v in enumerate(value))
            elif value is not None:
                peers.append(
                    (key, tr.cfn(value), item.mark_of(attr) if isinstance(item, LDict) else mark)
                )
        if item.get("self") is True:
            peers.append(("DestinationSecurityGroupId", "self", mark))
        for key, value, peer_mark in peers or [("CidrIp", None, mark)]:
            rule = LDict({**base, key: value}, mark=peer_mark)
            rules.append(rule)
            rules.item_marks.append(peer_mark)
    return rules


def _security_group(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).put("GroupDescription", "description")
    # Terraform removes AWS's default allow-all egress unless egress blocks declare it.
    egress_mark = inst.body.mark_of("egress") if "egress" in inst.body else inst.mark
    if "egress" in inst.body.unknown_blocks:
        p.set("SecurityGroupEgress", Unknown("dynamic egress unknown before apply"), egress_mark)
    else:
        p.set("SecurityGroupEgress", _sg_rules(tr, inst.body, "egress"), egress_mark)
    if "ingress" in inst.body:
        p.set(
            "SecurityGroupIngress",
            _sg_rules(tr, inst.body, "ingress"),
            inst.body.mark_of("ingress"),
        )
    return "AWS::EC2::SecurityGroup", p.out


def _sg_rule(tr: Translator, inst: Instance) -> tuple[str | None, LDict | None]:
    body = inst.body
    if inst.type == "aws_security_group_rule":
        direction = body.get("type")
        cidrs = body.get("cidr_blocks")
        cidr = cidrs[0] if isinstance(cidrs, list) and len(cidrs) == 1 else cidrs
        cidr6 = body.get("ipv6_cidr_blocks")
        cidr6 = cidr6[0] if isinstance(cidr6, list) and len(cidr6) == 1 else cidr6
        p = Props(tr, body).puts(
            {
                "GroupId": "security_group_id",
                "IpProtocol": "protocol",
                "FromPort": "from_port",
                "ToPort": "to_port",
            }
        )
        if (
            isinstance(cidrs, list)
            and len(cidrs) > 1
            and any(c in ("0.0.0.0/0", "::/0") for c in cidrs)
        ):
            cidr = next(c for c in cidrs if c in ("0.0.0.0/0", "::/0"))
        p.put("CidrIp", "cidr_blocks", cidr)
        p.put("CidrIpv6", "ipv6_cidr_blocks", cidr6)
        p.put("DestinationSecurityGroupId", "source_security_group_id")
    else:
        direction = "egress" if inst.type.endswith("egress_rule") else "ingress"
        p = Props(tr, body).puts(
            {
                "GroupId": "security_group_id",
                "IpProtocol": "ip_protocol",
                "FromPort": "from_port",
                "ToPort": "to_port",
                "CidrIp": "cidr_ipv4",
                "CidrIpv6": "cidr_ipv6",
                "DestinationPrefixListId": "prefix_list_id",
                "DestinationSecurityGroupId": "referenced_security_group_id",
            }
        )
    if direction == "egress":
        return "AWS::EC2::SecurityGroupEgress", p.out
    if direction == "ingress":
        return "AWS::EC2::SecurityGroupIngress", p.out
    return None, None


def _log_group(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts({"LogGroupName": "name", "KmsKeyId": "kms_key_id"})
    if inst.body.get("retention_in_days") not in (0, None):  # 0 means "never expire"
        p.put("RetentionInDays", "retention_in_days")
    return "AWS::Logs::LogGroup", p.out


def _waf_association(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts({"WebACLArn": "web_acl_arn", "ResourceArn": "resource_arn"})
    return "AWS::WAFv2::WebACLAssociation", p.out


def _target_attachment(tr: Translator, inst: Instance) -> tuple[str | None, LDict | None]:
    target = inst.body.get("target_id")
    reference = tr.named(target, "aws_lambda_function", "function_name")
    if not isinstance(reference, LDict) and not (
        isinstance(target, str) and ":function:" in target
    ):
        return None, None
    p = Props(tr, inst.body)
    p.set("TargetType", "lambda", inst.mark)
    entry = LDict({"Id": reference}, mark=inst.body.mark_of("target_id"))
    p.set(
        "Targets", _list_of(entry, inst.body.mark_of("target_id")), inst.body.mark_of("target_id")
    )
    return "AWS::ElasticLoadBalancingV2::TargetGroup", p.out


def _sns_subscription(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body).puts({"Protocol": "protocol", "TopicArn": "topic_arn"})
    if "endpoint" in inst.body:
        p.set(
            "Endpoint",
            tr.named(inst.body["endpoint"], "aws_lambda_function", "function_name"),
            inst.body.mark_of("endpoint"),
        )
    return "AWS::SNS::Subscription", p.out


def _event_target(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body)
    if "arn" in inst.body:
        mark = inst.body.mark_of("arn")
        entry = LDict(
            {"Arn": tr.named(inst.body["arn"], "aws_lambda_function", "function_name")}, mark=mark
        )
        p.set("Targets", _list_of(entry, mark), mark)
    return "AWS::Events::Rule", p.out


def _bucket_notification(tr: Translator, inst: Instance) -> tuple[str, LDict]:
    p = Props(tr, inst.body)
    configurations = LList(mark=inst.mark)
    for item, mark in blocks(inst.body, "lambda_function"):
        arn = item.get("lambda_function_arn")
        configurations.append(
            LDict({"Function": tr.named(arn, "aws_lambda_function", "function_name")}, mark=mark)
        )
        configurations.item_marks.append(mark)
    if configurations:
        notification = LDict({"LambdaConfigurations": configurations}, mark=inst.mark)
        p.set("NotificationConfiguration", notification, configurations.item_marks[0])
    return "AWS::S3::Bucket", p.out


# -- resources that complete another one -----------------------------------------------------
def _join_integration(tr: Translator, inst: Instance) -> None:
    """`aws_api_gateway_integration` becomes its method's `Integration`."""
    body = inst.body
    target = tr.target_of(body.get("http_method"), "aws_api_gateway_method", "http_method")
    if target is None:
        for method in tr.instances:
            if method.type != "aws_api_gateway_method":
                continue
            same = all(
                _same(method.body.get(attr), body.get(attr))
                for attr in ("rest_api_id", "resource_id", "http_method")
            )
            if same:
                target = method.address
                break
    props = tr.props_of(target) if target else None
    if props is None:
        return
    integration = Props(tr, body).puts(
        {"Type": "type", "Uri": "uri", "IntegrationHttpMethod": "integration_http_method"}
    )
    if "uri" in body:
        integration.set(
            "Uri",
            tr.named(body["uri"], "aws_lambda_function", "function_name"),
            body.mark_of("uri"),
        )
    props["Integration"] = integration.out
    props.value_marks["Integration"] = inst.mark


def _join_method_settings(tr: Translator, inst: Instance) -> None:
    """`aws_api_gateway_method_settings` become entries of their stage's `MethodSettings`."""
    body = inst.body
    target = tr.target_of(body.get("stage_name"), "aws_api_gateway_stage", "stage_name")
    if target is None:
        for stage in tr.instances:
            if (
                stage.type == "aws_api_gateway_stage"
                and _same(stage.body.get("stage_name"), body.get("stage_name"))
                and _same(stage.body.get("rest_api_id"), body.get("rest_api_id"))
            ):
                target = stage.address
                break
    props = tr.props_of(target) if target else None
    settings = block(body, "settings")
    if props is None or settings is None:
        return
    mark = body.mark_of("settings")
    method_path = body.get("method_path")
    path, method = "/*", "*"
    if isinstance(method_path, str) and "/" in method_path:
        head, _, tail = method_path.rpartition("/")
        path, method = ("/*" if head == "*" else "/" + head.lstrip("/")), tail
    entry = (
        Props(tr, settings, mark)
        .puts(
            {
                "LoggingLevel": "logging_level",
                "DataTraceEnabled": "data_trace_enabled",
                "MetricsEnabled": "metrics_enabled",
                "ThrottlingBurstLimit": "throttling_burst_limit",
                "ThrottlingRateLimit": "throttling_rate_limit",
                "CachingEnabled": "caching_enabled",
                "CacheDataEncrypted": "cache_data_encrypted",
                "CacheTtlInSeconds": "cache_ttl_in_seconds",
            }
        )
        .out
    )
    entry["HttpMethod"] = method
    entry["ResourcePath"] = path
    existing = props.get("MethodSettings")
    if not isinstance(existing, LList):
        existing = LList(mark=mark)
        props["MethodSettings"] = existing
        props.value_marks["MethodSettings"] = mark
    existing.append(entry)
    existing.item_marks.append(mark)


def _join_rest_api_policy(tr: Translator, inst: Instance) -> None:
    target = tr.target_of(inst.body.get("rest_api_id"), "aws_api_gateway_rest_api", "name")
    props = tr.props_of(target) if target else None
    document = tr.document(inst.body, "policy")
    if props is not None and document is not None:
        props["Policy"] = document
        props.value_marks["Policy"] = inst.body.mark_of("policy")


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, (TfRef, Interp)) and isinstance(right, (TfRef, Interp)):
        return left.text() == right.text()
    if is_symbolic(left) or is_symbolic(right):
        return False
    return plain(left) == plain(right)


HANDLERS: dict[str, Handler] = {
    "aws_lambda_function": _function,
    "aws_lambda_function_url": _url,
    "aws_lambda_permission": _permission,
    "aws_lambda_layer_version_permission": _layer_permission,
    "aws_lambda_event_source_mapping": _event_source_mapping,
    "aws_lambda_function_event_invoke_config": _event_invoke_config,
    "aws_api_gateway_rest_api": _rest_api,
    "aws_api_gateway_resource": _rest_resource,
    "aws_api_gateway_method": _rest_method,
    "aws_api_gateway_stage": _rest_stage,
    "aws_api_gateway_deployment": _deployment,
    "aws_api_gateway_authorizer": _rest_authorizer,
    "aws_api_gateway_usage_plan": _usage_plan,
    "aws_api_gateway_domain_name": _domain,
    "aws_apigatewayv2_domain_name": _domain,
    "aws_apigatewayv2_api": _v2_api,
    "aws_apigatewayv2_integration": _v2_integration,
    "aws_apigatewayv2_route": _v2_route,
    "aws_apigatewayv2_stage": _v2_stage,
    "aws_apigatewayv2_authorizer": _v2_authorizer,
    "aws_iam_role": _role,
    "aws_iam_role_policy": _role_policy,
    "aws_iam_user_policy": _role_policy,
    "aws_iam_group_policy": _role_policy,
    "aws_iam_user": _user_or_group,
    "aws_iam_group": _user_or_group,
    "aws_iam_policy": _policy,
    "aws_security_group": _security_group,
    "aws_security_group_rule": _sg_rule,
    "aws_vpc_security_group_egress_rule": _sg_rule,
    "aws_vpc_security_group_ingress_rule": _sg_rule,
    "aws_cloudwatch_log_group": _log_group,
    "aws_wafv2_web_acl_association": _waf_association,
    "aws_lb_target_group_attachment": _target_attachment,
    "aws_sns_topic_subscription": _sns_subscription,
    "aws_cloudwatch_event_target": _event_target,
    "aws_s3_bucket_notification": _bucket_notification,
}

JOINERS: dict[str, Joiner] = {
    "aws_api_gateway_integration": _join_integration,
    "aws_api_gateway_method_settings": _join_method_settings,
    "aws_api_gateway_rest_api_policy": _join_rest_api_policy,
    "aws_iam_role_policy_attachment": _attach_policy,
    "aws_iam_policy_attachment": _attach_policy,
    "aws_iam_role_policy_attachments_exclusive": _attach_policy,
    "aws_iam_user_policy_attachment": _attach_policy,
    "aws_iam_group_policy_attachment": _attach_policy,
}
