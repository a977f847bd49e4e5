"""SLS401 function-unrestricted-egress."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Location, ResourceGraph
from sls_lint.model.rule import Rule

WORLD = ("0.0.0.0/0", "::/0")  # a tuple: `[] in WORLD` is False, not a TypeError


def all_ports(rule: dict[str, Any]) -> bool:
    """Protocol -1 / all, or a TCP/UDP range covering every port."""
    protocol = str(rule.get("protocol", "-1")).lower()
    if protocol in ("-1", "all"):
        return True
    low, high = rule.get("from_port"), rule.get("to_port")
    try:
        return int(low) <= 0 and int(high) >= 65535
    except (TypeError, ValueError):
        return False


def to_world(rule: dict[str, Any]) -> bool:
    return rule.get("cidr_ipv4") in WORLD or rule.get("cidr_ipv6") in WORLD


class FunctionUnrestrictedEgress(Rule):
    """Finds functions in a VPC whose security group lets them reach the whole internet.

    What it finds: a security group attached to a function with an egress rule to
    `0.0.0.0/0` or `::/0` on all ports. In CloudFormation, SAM and Serverless Framework a
    group that declares *no* egress keeps AWS's default allow-all rule, so it is reported too;
    Terraform removes that default rule, so there only declared egress counts.

    Why it matters: a function is put in a VPC to isolate it; unrestricted egress lets a
    compromised function exfiltrate data to any host on any port.

    How to fix: allow egress only to the ports and destinations the function needs (the
    database's security group, a VPC endpoint's prefix list, 443 to a proxy).

    Examples
    --------
    ```cloudformation fail
    Resources:
      Sg:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: fn
          VpcId: vpc-123
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
          SecurityGroupEgress:
            - IpProtocol: tcp
              FromPort: 5432
              ToPort: 5432
              CidrIp: 10.0.0.0/16
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
          SecurityGroupEgress:
            - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/16}
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
            SecurityGroupEgress:
              - IpProtocol: '-1'
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
            SecurityGroupEgress:
              - IpProtocol: tcp
                FromPort: 443
                ToPort: 443
                CidrIp: 10.0.0.0/16
    ```

    ```terraform fail
    resource "aws_security_group" "fn" {
      name   = "fn"
      vpc_id = "vpc-123"

      egress {
        from_port   = 0
        to_port     = 0
        protocol    = "-1"
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

      egress {
        from_port   = 5432
        to_port     = 5432
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

    id = "SLS401"
    name = "function-unrestricted-egress"
    summary = "Function security group allows egress to the world on all ports"
    severity = "warning"
    security_severity = 5.3
    tags = ("security", "network", "vpc", "CWE-923")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for group in graph.security_groups():
            functions = graph.sources(group, "uses_security_group", "function")
            if not functions:
                continue
            for index, rule in enumerate(group.get("egress") or ()):
                if not (to_world(rule) and all_ports(rule)):
                    continue
                implicit = rule.get("implicit", False)
                names = ", ".join(fn.address for fn in functions)
                why = (
                    "declares no egress rules, so AWS allows all outbound traffic"
                    if implicit
                    else "allows all outbound traffic to the internet"
                )
                finding = self.finding(
                    group,
                    f"Security group {group.address} of {names} {why}; allow egress only to "
                    "the ports and destinations the function needs",
                    related=[(fn, f"function {fn.address}") for fn in functions],
                    path=f"egress[{index}]",
                )
                where = rule.get("location")
                if isinstance(where, Location) and not implicit:
                    finding.location = where
                yield finding
