"""The layers a service publishes (`layers:`), and who may use them.

The framework compiles each `layers.X` into `XLambdaLayer` (`AWS::Lambda::LayerVersion`) and
each entry of `layers.X.allowedAccounts` into an `AWS::Lambda::LayerVersionPermission` named
`X<account>LambdaLayerPermission` (`*` spelt `Wild`) with that account as principal and no
organisation: `allowedAccounts: ['*']` publishes the layer to every AWS account.
"""

from __future__ import annotations

from sls_lint.loaders.serverless.compiler import (
    LDict,
    Service,
    function_id,
    items_of,
    mark_of,
    obj,
    ref,
)


def compile_layers(service: Service) -> None:
    """Add the layer permissions of `layers.*.allowedAccounts` to the template."""
    layers = service.config.get("layers")
    if not isinstance(layers, LDict):
        return
    for name, layer in layers.items():
        if not isinstance(layer, LDict):
            continue
        layer_id = f"{function_id(str(name))}LambdaLayer"
        for account, mark in items_of(layer.get("allowedAccounts")):
            if isinstance(account, bool) or not isinstance(account, (str, int)):
                continue
            principal = str(account)
            logical_id = (
                f"{function_id(str(name))}{principal.replace('*', 'Wild', 1)}LambdaLayerPermission"
            )
            props = obj(
                mark,
                Action="lambda:GetLayerVersion",
                LayerVersionArn=ref(layer_id),
                Principal=principal,
            )
            service.template.add(
                logical_id, "AWS::Lambda::LayerVersionPermission", props, mark or mark_of(layer)
            )
