"""SLS004 api-definition-unreadable."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import ResourceGraph
from sls_lint.model.rule import Rule


class ApiDefinitionUnreadable(Rule):
    """Notes an API whose OpenAPI definition sls-lint cannot read, so its routes are unchecked.

    What it finds: an API Gateway API declared by an OpenAPI document that is not in the files
    linted: CloudFormation `BodyS3Location` (or a `Body` computed by an intrinsic such as an
    `AWS::Include` of an S3 object), SAM `DefinitionUri` pointing at S3 or a local file that
    cannot be read, a Terraform `body` whose value is known only after apply. Reported once per
    API, at the property that names the definition.

    Why it matters: the API's routes, their authorization and their integrations are in that
    document. Without it, SLS101, SLS110, SLS503 and SLS803 see no route at all, and "no
    finding" would silently mean "not checked".

    How to fix: keep the definition next to the template (SAM `DefinitionUri: ./openapi.yaml`,
    `AWS::Include` of a local file, Terraform `file("openapi.json")`) or inline it, or ignore
    this notice (`--ignore SLS004`) if the definition is reviewed elsewhere.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties:
          Name: orders
          BodyS3Location:
            Bucket: my-specs
            Key: orders/openapi.yaml
    ```

    ```cloudformation pass
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties:
          Name: orders
          Body:
            openapi: "3.0.1"
            info: {title: orders, version: "1"}
            paths: {}
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          DefinitionUri: s3://my-specs/orders/openapi.yaml
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          DefinitionBody:
            openapi: "3.0.1"
            info: {title: orders, version: "1"}
            paths: {}
    ```

    ```serverless fail
    service: orders
    provider:
      name: aws
      runtime: python3.12
    resources:
      Resources:
        Api:
          Type: AWS::ApiGateway::RestApi
          Properties:
            Name: orders
            BodyS3Location: {Bucket: my-specs, Key: orders/openapi.yaml}
    ```

    ```serverless pass
    service: orders
    provider:
      name: aws
      runtime: python3.12
    resources:
      Resources:
        Api:
          Type: AWS::ApiGateway::RestApi
          Properties:
            Name: orders
            Body:
              openapi: "3.0.1"
              info: {title: orders, version: "1"}
              paths: {}
    ```

    ```terraform fail
    variable "spec" {
      type = string
    }

    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
      body = var.spec
    }
    ```

    ```terraform pass
    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
      body = jsonencode({
        openapi = "3.0.1"
        info    = { title = "orders", version = "1" }
        paths   = {}
      })
    }
    ```
    """

    id = "SLS004"
    name = "api-definition-unreadable"
    summary = "API definition cannot be read, so its routes are not checked"
    severity = "note"
    security_severity = 1.0
    precision = "very-high"
    tags = ("sls-lint", "coverage", "api-gateway")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for api in graph.apis():
            reason = api.get("definition_unreadable")
            if not reason:
                continue
            yield self.finding(
                api,
                f"API {api.address} is not checked route by route: {reason}; keep the "
                "definition in the repository (inline, or a local file) so its routes are linted",
                at=("definition_unreadable",),
            )
