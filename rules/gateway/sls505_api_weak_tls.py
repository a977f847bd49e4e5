"""SLS505 api-weak-tls."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Kind, ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import possible

WEAK_POLICIES = ("TLS_1_0", "TLS_1_1")


class ApiWeakTls(Rule):
    """Finds API custom domains that accept TLS versions below 1.2.

    What it finds: an API Gateway custom domain whose security policy is `TLS_1_0` (in any
    branch of a condition). A domain that sets no policy is *not* reported: AWS documents
    no default for it, so write `TLS_1_2` (or an enhanced `SecurityPolicy_TLS13_*` policy)
    explicitly rather than rely on one.

    Why it matters: TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow weak cipher suites
    and downgrade attacks; compliance regimes such as PCI DSS forbid them.

    How to fix: set `SecurityPolicy: TLS_1_2` (Terraform `security_policy = "TLS_1_2"`).

    Examples
    --------
    ```cloudformation fail
    Resources:
      Domain:
        Type: AWS::ApiGateway::DomainName
        Properties:
          DomainName: api.example.com
          RegionalCertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
          EndpointConfiguration: {Types: [REGIONAL]}
          SecurityPolicy: TLS_1_0
    ```

    ```cloudformation pass
    Resources:
      Domain:
        Type: AWS::ApiGateway::DomainName
        Properties:
          DomainName: api.example.com
          RegionalCertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
          EndpointConfiguration: {Types: [REGIONAL]}
          SecurityPolicy: TLS_1_2
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          Domain:
            DomainName: api.example.com
            CertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
            SecurityPolicy: TLS_1_0
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          Domain:
            DomainName: api.example.com
            CertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
            SecurityPolicy: TLS_1_2
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
    resources:
      Resources:
        ApiDomain:
          Type: AWS::ApiGateway::DomainName
          Properties:
            DomainName: api.example.com
            SecurityPolicy: TLS_1_0
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
    resources:
      Resources:
        ApiDomain:
          Type: AWS::ApiGateway::DomainName
          Properties:
            DomainName: api.example.com
            SecurityPolicy: TLS_1_2
    ```

    ```terraform fail
    resource "aws_api_gateway_domain_name" "api" {
      domain_name              = "api.example.com"
      regional_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
      security_policy          = "TLS_1_0"
    }
    ```

    ```terraform pass
    resource "aws_api_gateway_domain_name" "api" {
      domain_name              = "api.example.com"
      regional_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
      security_policy          = "TLS_1_2"
    }
    ```
    """

    id = "SLS505"
    name = "api-weak-tls"
    summary = "API custom domain allows TLS below 1.2"
    severity = "warning"
    security_severity = 5.9
    tags = ("security", "api-gateway", "tls", "CWE-326")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for domain in graph.nodes(Kind.DOMAIN):
            weak = [
                str(option)
                for option in possible(domain.get("security_policy"))
                if isinstance(option, str) and option.strip().upper() in WEAK_POLICIES
            ]
            if not weak:
                continue
            name = domain.get("domain_name")
            shown = name if isinstance(name, str) else domain.address
            yield self.finding(
                domain,
                f"Custom domain {shown} uses security policy {weak[0]}: clients may connect "
                "with TLS 1.0; set the security policy to TLS_1_2",
                at=("security_policy",),
            )
