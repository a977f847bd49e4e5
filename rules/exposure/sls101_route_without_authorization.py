"""SLS101 route-without-authorization."""

from __future__ import annotations

from collections.abc import Iterator

from sls_lint.findings import Finding
from sls_lint.graph import ResourceGraph
from sls_lint.rule import Rule
from sls_lint.values import possible

OPEN_AUTHORIZATION = {"NONE", None}


class RouteWithoutAuthorization(Rule):
    """Finds API routes that anyone on the internet can call without credentials.

    What it finds: a REST method, HTTP API route or WebSocket `$connect` route whose
    authorization is `NONE`: no IAM, no Cognito/JWT authorizer, no Lambda authorizer and no
    API key. That includes SAM `Api`/`HttpApi` events without `Auth` on an API without a
    default authorizer, and Serverless Framework `http`/`httpApi` events without `authorizer`.
    `OPTIONS` (CORS pre-flight) is exempt, and so are routes of private (VPC-only) REST APIs.

    Why it matters: the function behind the route runs for any caller, with its role's
    permissions; abuse costs money and leaks data.

    How to fix: attach an authorizer (Cognito, JWT, Lambda) or `AWS_IAM`, or set a default
    authorizer on the API.

    Examples
    --------
    ```cloudformation fail
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo}
      GetItems:
        Type: AWS::ApiGateway::Method
        Properties:
          RestApiId: !Ref Api
          ResourceId: !GetAtt Api.RootResourceId
          HttpMethod: GET
          AuthorizationType: NONE
    ```

    ```cloudformation pass
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties: {Name: demo}
      GetItems:
        Type: AWS::ApiGateway::Method
        Properties:
          RestApiId: !Ref Api
          ResourceId: !GetAtt Api.RootResourceId
          HttpMethod: GET
          AuthorizationType: AWS_IAM
    ```
    """

    id = "SLS101"
    name = "route-without-authorization"
    summary = "API route reachable without any authorization"
    severity = "error"
    security_severity = 8.2
    tags = ("security", "exposure", "api-gateway", "CWE-306")

    def check(self, graph: ResourceGraph) -> Iterator[Finding]:
        for route in graph.routes():
            method = route.get("method")
            if isinstance(method, str) and method.upper() == "OPTIONS":
                continue
            if route.get("protocol") == "websocket" and route.get("path") != "$connect":
                continue  # API Gateway only authorizes the $connect route of a WebSocket API
            api = graph.api_of(route)
            if api is not None and str(api.get("endpoint_type", "")).upper() == "PRIVATE":
                continue
            if route.get("api_key_required") is True:
                continue
            options = list(possible(route.get("authorization_type")))
            if not any(option in OPEN_AUTHORIZATION for option in options):
                continue
            functions = graph.functions_invoked_by(route)
            target = f" invokes {functions[0].address} and" if functions else ""
            label = f"{route.get('method', '?')} {route.get('path', '?')}"
            yield self.finding(
                route,
                f"Route {label}{target} has no authorization: anyone can call it",
                at=("authorization_type",),
                related=[(fn, f"function {fn.address}") for fn in functions],
            )
