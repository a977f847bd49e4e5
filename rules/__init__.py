"""The built-in rule pack, registered in the `sls_lint.rules` entry-point group.

One module per rule, grouped by family (1xx exposure, 2xx IAM, 3xx logging, 4xx network,
5xx gateway hardening, 6xx currency, 7xx secrets, 8xx resilience). `RULES` lists them.
"""

from sls_lint.rules.currency.sls601_deprecated_runtime import DeprecatedRuntime
from sls_lint.rules.exposure.sls101_route_without_authorization import RouteWithoutAuthorization
from sls_lint.rules.exposure.sls102_public_function_url import PublicFunctionUrl
from sls_lint.rules.exposure.sls103_public_invoke_permission import PublicInvokePermission
from sls_lint.rules.iam.sls201_iam_wildcard_action import IamWildcardAction
from sls_lint.rules.iam.sls202_iam_service_wildcard_action import IamServiceWildcardAction
from sls_lint.rules.iam.sls203_iam_wildcard_resource import IamWildcardResource
from sls_lint.rules.logging.sls301_api_access_logging_disabled import ApiAccessLoggingDisabled
from sls_lint.rules.logging.sls304_function_tracing_disabled import FunctionTracingDisabled
from sls_lint.rules.network.sls401_function_unrestricted_egress import FunctionUnrestrictedEgress
from sls_lint.rules.secrets.sls701_secret_in_environment import SecretInEnvironment

RULES = [
    RouteWithoutAuthorization,
    PublicFunctionUrl,
    PublicInvokePermission,
    IamWildcardAction,
    IamServiceWildcardAction,
    IamWildcardResource,
    ApiAccessLoggingDisabled,
    FunctionTracingDisabled,
    FunctionUnrestrictedEgress,
    DeprecatedRuntime,
    SecretInEnvironment,
]
