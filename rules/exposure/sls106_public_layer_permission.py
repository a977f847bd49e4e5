"""SLS106 public-layer-permission."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Kind, Node, ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import possible
from sls_lint.rules.exposure._entry_points import is_public_principal


class PublicLayerPermission(Rule):
    """Finds Lambda layer versions that every AWS account may use.

    What it finds: a layer version permission whose principal is `*` and that sets no
    organization id: CloudFormation/SAM `AWS::Lambda::LayerVersionPermission` with
    `Principal: "*"` and no `OrganizationId`, Terraform `aws_lambda_layer_version_permission`
    with `principal = "*"` and no `organization_id`, Serverless `layers.X.allowedAccounts`
    listing `'*'`.

    Why it matters: anyone with an AWS account can download the layer's content
    (`lambda:GetLayerVersion` returns a link to the zip): your code, its dependencies and
    whatever configuration or credentials were packaged with it. Layers are meant to be shared
    with your own accounts, rarely with the world.

    How to fix: name the accounts that need the layer as principals, or keep `*` and restrict
    it to your AWS Organization with `OrganizationId` / `organization_id`. If the layer is
    published on purpose, suppress the finding with the reason.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Shared:
        Type: AWS::Lambda::LayerVersionPermission
        Properties:
          Action: lambda:GetLayerVersion
          LayerVersionArn: arn:aws:lambda:us-east-1:123456789012:layer:common:3
          Principal: "*"
    ```

    ```cloudformation pass
    Resources:
      Shared:
        Type: AWS::Lambda::LayerVersionPermission
        Properties:
          Action: lambda:GetLayerVersion
          LayerVersionArn: arn:aws:lambda:us-east-1:123456789012:layer:common:3
          Principal: "*"
          OrganizationId: o-a1b2c3d4e5
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Common:
        Type: AWS::Serverless::LayerVersion
        Properties:
          ContentUri: layer/
          CompatibleRuntimes: [python3.12]
      CommonPermission:
        Type: AWS::Lambda::LayerVersionPermission
        Properties:
          Action: lambda:GetLayerVersion
          LayerVersionArn: !Ref Common
          Principal: "*"
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Common:
        Type: AWS::Serverless::LayerVersion
        Properties:
          ContentUri: layer/
          CompatibleRuntimes: [python3.12]
      CommonPermission:
        Type: AWS::Lambda::LayerVersionPermission
        Properties:
          Action: lambda:GetLayerVersion
          LayerVersionArn: !Ref Common
          Principal: "210987654321"
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    layers:
      common:
        path: layer
        allowedAccounts:
          - '*'
    functions:
      hello:
        handler: handler.main
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
    layers:
      common:
        path: layer
        allowedAccounts:
          - '210987654321'
    functions:
      hello:
        handler: handler.main
    ```

    ```terraform fail
    resource "aws_lambda_layer_version" "common" {
      layer_name = "common"
      filename   = "layer.zip"
    }

    resource "aws_lambda_layer_version_permission" "anyone" {
      layer_name     = aws_lambda_layer_version.common.layer_arn
      version_number = aws_lambda_layer_version.common.version
      statement_id   = "anyone"
      action         = "lambda:GetLayerVersion"
      principal      = "*"
    }
    ```

    ```terraform pass
    resource "aws_lambda_layer_version" "common" {
      layer_name = "common"
      filename   = "layer.zip"
    }

    resource "aws_lambda_layer_version_permission" "org" {
      layer_name      = aws_lambda_layer_version.common.layer_arn
      version_number  = aws_lambda_layer_version.common.version
      statement_id    = "organisation"
      action          = "lambda:GetLayerVersion"
      principal       = "*"
      organization_id = "o-a1b2c3d4e5"
    }
    ```
    """

    id = "SLS106"
    name = "public-layer-permission"
    summary = "Lambda layer version shared with every AWS account"
    severity = "warning"
    security_severity = 5.3
    tags = ("security", "exposure", "lambda", "CWE-200")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for permission in graph.nodes(Kind.LAYER_PERMISSION):
            if not layer_is_public(permission):
                continue
            yield self.finding(
                permission,
                f"Layer permission {permission.address} lets every AWS account use "
                f"{_layer_label(permission)} (Principal '*' with no OrganizationId); name the "
                "accounts that may use it, or set OrganizationId",
                at=("principal",),
            )


def layer_is_public(permission: Node) -> bool:
    """Principal `*` (in any branch) and no organization id (an Unknown one counts as set)."""
    if not any(is_public_principal(p) for p in possible(permission.get("principal"))):
        return False
    return permission.get("organization_id") in (None, "")


def _layer_label(permission: Node) -> str:
    """`layer <arn>` when the ARN is a literal, else `the layer` (a reference to it)."""
    layer = permission.get("layer_version_arn")
    return f"layer {layer}" if isinstance(layer, str) and layer else "the layer"
