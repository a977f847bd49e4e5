"""SLS504 api-cache-unencrypted."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Location, ResourceGraph
from sls_lint.model.rule import Rule
from sls_lint.model.values import possible
from sls_lint.rules.gateway._stage_settings import (
    may_be_true,
    settings_of,
    stage_wide,
    surely_true,
)


class ApiCacheUnencrypted(Rule):
    """Finds REST API stages that cache responses without encrypting the cache.

    What it finds: a method setting with `CachingEnabled: true` on a stage whose cache
    cluster is enabled, where `CacheDataEncrypted` is not true (neither on that setting nor
    on the stage-wide `*` `/*` setting it inherits from).

    Why it matters: cached responses hold whatever the API returns (personal data, tokens)
    and sit unencrypted at rest on the cache cluster.

    How to fix: set `CacheDataEncrypted: true` wherever caching is enabled.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo}
      Stage:
        Type: AWS::ApiGateway::Stage
        Properties:
          RestApiId: !Ref Api
          DeploymentId: abc123
          StageName: prod
          CacheClusterEnabled: true
          CacheClusterSize: "0.5"
          MethodSettings:
            - HttpMethod: "*"
              ResourcePath: "/*"
              CachingEnabled: true
    ```

    ```cloudformation pass
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo}
      Stage:
        Type: AWS::ApiGateway::Stage
        Properties:
          RestApiId: !Ref Api
          DeploymentId: abc123
          StageName: prod
          CacheClusterEnabled: true
          CacheClusterSize: "0.5"
          MethodSettings:
            - HttpMethod: "*"
              ResourcePath: "/*"
              CachingEnabled: true
              CacheDataEncrypted: true
    ```

    ```sam fail
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          CacheClusterEnabled: true
          CacheClusterSize: "0.5"
          MethodSettings:
            - HttpMethod: "*"
              ResourcePath: "/*"
              CachingEnabled: true
    ```

    ```sam pass
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          CacheClusterEnabled: true
          CacheClusterSize: "0.5"
          MethodSettings:
            - HttpMethod: "*"
              ResourcePath: "/*"
              CachingEnabled: true
              CacheDataEncrypted: true
    ```

    ```serverless fail
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        events:
          - http:
              path: items
              method: get
              authorizer: aws_iam
    resources:
      Resources:
        CachedStage:
          Type: AWS::ApiGateway::Stage
          Properties:
            RestApiId: !Ref ApiGatewayRestApi
            DeploymentId: abc123
            StageName: cached
            CacheClusterEnabled: true
            MethodSettings:
              - HttpMethod: '*'
                ResourcePath: /*
                CachingEnabled: true
    ```

    ```serverless pass
    service: demo
    provider:
      name: aws
      runtime: python3.12
    functions:
      hello:
        handler: handler.main
        events:
          - http:
              path: items
              method: get
              authorizer: aws_iam
    resources:
      Resources:
        CachedStage:
          Type: AWS::ApiGateway::Stage
          Properties:
            RestApiId: !Ref ApiGatewayRestApi
            DeploymentId: abc123
            StageName: cached
            CacheClusterEnabled: true
            MethodSettings:
              - HttpMethod: '*'
                ResourcePath: /*
                CachingEnabled: true
                CacheDataEncrypted: true
    ```

    ```terraform fail
    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
    }

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = "abc123"
      stage_name    = "prod"
      cache_cluster_enabled = true
      cache_cluster_size    = "0.5"
    }

    resource "aws_api_gateway_method_settings" "all" {
      rest_api_id = aws_api_gateway_rest_api.api.id
      stage_name  = aws_api_gateway_stage.prod.stage_name
      method_path = "*/*"

      settings {
        caching_enabled      = true
        cache_data_encrypted = false
      }
    }
    ```

    ```terraform pass
    resource "aws_api_gateway_rest_api" "api" {
      name = "orders"
    }

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = "abc123"
      stage_name    = "prod"
      cache_cluster_enabled = true
      cache_cluster_size    = "0.5"
    }

    resource "aws_api_gateway_method_settings" "all" {
      rest_api_id = aws_api_gateway_rest_api.api.id
      stage_name  = aws_api_gateway_stage.prod.stage_name
      method_path = "*/*"

      settings {
        caching_enabled      = true
        cache_data_encrypted = true
      }
    }
    ```
    """

    id = "SLS504"
    name = "api-cache-unencrypted"
    summary = "API stage cache enabled without encryption"
    severity = "warning"
    security_severity = 5.0
    tags = ("security", "api-gateway", "encryption", "CWE-311")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for stage in graph.stages():
            if stage.get("protocol") != "rest":
                continue
            cluster = stage.get("cache_cluster_enabled")
            if not any(o is True or str(o).lower() == "true" for o in possible(cluster)):
                continue
            settings = settings_of(stage)
            inherited = any(
                stage_wide(s) and surely_true(s.get("cache_data_encrypted"))
                for s in settings
                if "cache_data_encrypted" in s
            )
            for index, setting in enumerate(settings):
                if not may_be_true(setting.get("caching_enabled")):
                    continue
                if "cache_data_encrypted" in setting:
                    if surely_true(setting["cache_data_encrypted"]):
                        continue
                elif inherited:
                    continue
                finding = self.finding(
                    stage,
                    f"Stage '{stage.get('name', stage.address)}' caches "
                    f"{setting.get('http_method', '*')} {setting.get('resource_path', '/*')} "
                    "without encrypting the cache; set CacheDataEncrypted to true",
                    at=(f"method_settings[{index}]", "method_settings"),
                    path=f"method_settings.{setting.get('label', index)}",
                )
                where = setting.get("location")
                if isinstance(where, Location):
                    finding.location = where
                yield finding
