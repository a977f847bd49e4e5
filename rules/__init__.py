"""The built-in rule pack, registered in the `sls_lint.rules` entry-point group.

One module per rule, grouped by family (1xx exposure, 2xx IAM, 3xx logging, 4xx network,
5xx gateway hardening, 6xx currency, 7xx secrets, 8xx resilience). `RULES` lists them.
"""

from sls_lint.rules.currency.sls601_deprecated_runtime import DeprecatedRuntime
from sls_lint.rules.currency.sls602_code_signing_missing import CodeSigningMissing
from sls_lint.rules.exposure.sls101_route_without_authorization import RouteWithoutAuthorization
from sls_lint.rules.exposure.sls102_public_function_url import PublicFunctionUrl
from sls_lint.rules.exposure.sls103_public_invoke_permission import PublicInvokePermission
from sls_lint.rules.exposure.sls104_permission_without_source import PermissionWithoutSource
from sls_lint.rules.exposure.sls105_function_behind_load_balancer import (
    FunctionBehindLoadBalancer,
)
from sls_lint.rules.exposure.sls106_public_layer_permission import PublicLayerPermission
from sls_lint.rules.exposure.sls110_public_path_to_privileged_function import (
    PublicPathToPrivilegedFunction,
)
from sls_lint.rules.gateway.sls501_api_throttling_missing import ApiThrottlingMissing
from sls_lint.rules.gateway.sls502_api_waf_missing import ApiWafMissing
from sls_lint.rules.gateway.sls503_request_validation_missing import RequestValidationMissing
from sls_lint.rules.gateway.sls504_api_cache_unencrypted import ApiCacheUnencrypted
from sls_lint.rules.gateway.sls505_api_weak_tls import ApiWeakTls
from sls_lint.rules.iam.sls201_iam_wildcard_action import IamWildcardAction
from sls_lint.rules.iam.sls202_iam_service_wildcard_action import IamServiceWildcardAction
from sls_lint.rules.iam.sls203_iam_wildcard_resource import IamWildcardResource
from sls_lint.rules.iam.sls204_iam_allow_not_action import IamAllowNotAction
from sls_lint.rules.iam.sls205_iam_passrole_wildcard import IamPassRoleWildcard
from sls_lint.rules.iam.sls206_iam_privilege_escalation import IamPrivilegeEscalation
from sls_lint.rules.iam.sls207_admin_managed_policy import AdminManagedPolicy
from sls_lint.rules.iam.sls208_shared_function_role import SharedFunctionRole
from sls_lint.rules.iam.sls209_broad_trust_policy import BroadTrustPolicy
from sls_lint.rules.logging.sls301_api_access_logging_disabled import ApiAccessLoggingDisabled
from sls_lint.rules.logging.sls302_api_execution_logging_disabled import (
    ApiExecutionLoggingDisabled,
)
from sls_lint.rules.logging.sls303_log_retention_missing import LogRetentionMissing
from sls_lint.rules.logging.sls304_function_tracing_disabled import FunctionTracingDisabled
from sls_lint.rules.logging.sls305_api_tracing_disabled import ApiTracingDisabled
from sls_lint.rules.network.sls401_function_unrestricted_egress import FunctionUnrestrictedEgress
from sls_lint.rules.network.sls402_function_open_ingress import FunctionOpenIngress
from sls_lint.rules.resilience.sls801_async_function_without_dlq import AsyncFunctionWithoutDlq
from sls_lint.rules.resilience.sls802_event_source_without_failure_destination import (
    EventSourceWithoutFailureDestination,
)
from sls_lint.rules.resilience.sls803_public_function_without_concurrency_limit import (
    PublicFunctionWithoutConcurrencyLimit,
)
from sls_lint.rules.secrets.sls701_secret_in_environment import SecretInEnvironment
from sls_lint.rules.secrets.sls702_environment_not_kms_encrypted import (
    EnvironmentNotKmsEncrypted,
)
from sls_lint.rules.secrets.sls703_log_group_not_kms_encrypted import LogGroupNotKmsEncrypted

RULES = [
    RouteWithoutAuthorization,
    PublicFunctionUrl,
    PublicInvokePermission,
    PublicLayerPermission,
    IamWildcardAction,
    IamServiceWildcardAction,
    IamWildcardResource,
    ApiAccessLoggingDisabled,
    FunctionTracingDisabled,
    FunctionUnrestrictedEgress,
    DeprecatedRuntime,
    SecretInEnvironment,
    PermissionWithoutSource,
    FunctionBehindLoadBalancer,
    PublicPathToPrivilegedFunction,
    IamAllowNotAction,
    IamPassRoleWildcard,
    IamPrivilegeEscalation,
    AdminManagedPolicy,
    SharedFunctionRole,
    BroadTrustPolicy,
    ApiExecutionLoggingDisabled,
    LogRetentionMissing,
    ApiTracingDisabled,
    FunctionOpenIngress,
    ApiThrottlingMissing,
    ApiWafMissing,
    RequestValidationMissing,
    ApiCacheUnencrypted,
    ApiWeakTls,
    CodeSigningMissing,
    EnvironmentNotKmsEncrypted,
    LogGroupNotKmsEncrypted,
    AsyncFunctionWithoutDlq,
    EventSourceWithoutFailureDestination,
    PublicFunctionWithoutConcurrencyLimit,
]
