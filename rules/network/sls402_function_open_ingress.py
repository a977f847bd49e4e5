"""SLS402 function-open-ingress."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Location, ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.rules.network.sls401_function_unrestricted_egress import all_ports, to_world


def _ports(rule: dict) -> str:
    if all_ports(rule):
        return "all ports"
    low, high = rule.get("from_port"), rule.get("to_port")
    return f"port {low}" if low == high else f"ports {low}-{high}"


class FunctionOpenIngress(Rule):
    """Finds functions attached to a security group open to the internet inbound.

    What it finds: a security group used by a function (`VpcConfig.SecurityGroupIds`,
    Serverless `vpc.securityGroupIds`, Terraform `vpc_config`) with an ingress rule from
    `0.0.0.0/0` or `::/0` on any port, inline or as a separate ingress resource.

    Why it matters: a function never accepts inbound connections, so an open ingress rule
    on its group only serves the *other* resources sharing that group (databases,
    instances), and exposes them to the internet through a group everyone thinks of as
    "the function's".

    How to fix: give the function a group with no ingress rules; open the other resources'
    ports only to the function's group.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Sg:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: fn
          VpcId: vpc-123
          SecurityGroupIngress:
            - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
          VpcConfig:
            SecurityGroupIds: [!Ref Sg]
            SubnetIds: [subnet-1]
    ```

    ```cloudformation pass
    Resources:
      Sg:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: fn
          VpcId: vpc-123
          SecurityGroupIngress:
            - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16}
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {ZipFile: x}
          VpcConfig:
            SecurityGroupIds: [!Ref Sg]
            SubnetIds: [subnet-1]
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Sg:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: fn
          VpcId: vpc-123
          SecurityGroupIngress:
            - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          VpcConfig:
            SecurityGroupIds: [!Ref Sg]
            SubnetIds: [subnet-1]
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Sg:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: fn
          VpcId: vpc-123
          SecurityGroupIngress:
            - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16}
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          VpcConfig:
            SecurityGroupIds: [!Ref Sg]
            SubnetIds: [subnet-1]
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
      vpc:
        securityGroupIds:
          - !Ref FunctionSecurityGroup
        subnetIds:
          - subnet-0123456789abcdef0
    functions:
      hello:
        handler: handler.main
    resources:
      Resources:
        FunctionSecurityGroup:
          Type: AWS::EC2::SecurityGroup
          Properties:
            GroupDescription: function
            VpcId: vpc-0123456789abcdef0
            SecurityGroupIngress:
              - IpProtocol: tcp
                FromPort: 22
                ToPort: 22
                CidrIp: 0.0.0.0/0
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
      vpc:
        securityGroupIds:
          - !Ref FunctionSecurityGroup
        subnetIds:
          - subnet-0123456789abcdef0
    functions:
      hello:
        handler: handler.main
    resources:
      Resources:
        FunctionSecurityGroup:
          Type: AWS::EC2::SecurityGroup
          Properties:
            GroupDescription: function
            VpcId: vpc-0123456789abcdef0
            SecurityGroupIngress:
              - IpProtocol: tcp
                FromPort: 443
                ToPort: 443
                CidrIp: 10.0.0.0/16
    ```

    ```terraform fail
    resource "aws_security_group" "fn" {
      name   = "fn"
      vpc_id = "vpc-123"

      ingress {
        from_port   = 443
        to_port     = 443
        protocol    = "tcp"
        cidr_blocks = ["0.0.0.0/0"]
      }
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"

      vpc_config {
        subnet_ids         = ["subnet-1"]
        security_group_ids = [aws_security_group.fn.id]
      }
    }
    ```

    ```terraform pass
    resource "aws_security_group" "fn" {
      name   = "fn"
      vpc_id = "vpc-123"

      ingress {
        from_port   = 443
        to_port     = 443
        protocol    = "tcp"
        cidr_blocks = ["10.0.0.0/16"]
      }
    }

    resource "aws_lambda_function" "fn" {
      function_name = "orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      role          = "arn:aws:iam::123456789012:role/orders"

      vpc_config {
        subnet_ids         = ["subnet-1"]
        security_group_ids = [aws_security_group.fn.id]
      }
    }
    ```
    """

    id = "SLS402"
    name = "function-open-ingress"
    summary = "Function security group allows inbound traffic from the internet"
    severity = "warning"
    security_severity = 6.5
    tags = ("security", "network", "vpc", "CWE-284")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for group in graph.security_groups():
            functions = graph.sources(group, "uses_security_group", "function")
            if not functions:
                continue
            for index, rule in enumerate(group.get("ingress") or ()):
                if not isinstance(rule, dict) or not to_world(rule):
                    continue
                names = ", ".join(fn.address for fn in functions)
                source = rule.get("cidr_ipv4") if rule.get("cidr_ipv4") else rule.get("cidr_ipv6")
                finding = self.finding(
                    group,
                    f"Security group {group.address} of {names} allows inbound traffic from "
                    f"{source} on {_ports(rule)}; remove the ingress rule (a function needs "
                    "none) or open it to a security group only",
                    related=[(fn, f"function {fn.address}") for fn in functions],
                    path=f"ingress[{index}]",
                )
                where = rule.get("location")
                if isinstance(where, Location):
                    finding.location = where
                yield finding
