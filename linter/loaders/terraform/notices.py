"""What the Terraform loader tells the user about modules it could not read (SLS005).

A registry or git module is on disk only after `terraform init` (listed in
`.terraform/modules/modules.json`). Without it the module's resources cannot be analysed, and
silence would read as "nothing to report": each such module call is reported once, as a note,
at its `module` block.
"""

from __future__ import annotations

from typing import Any

from sls_lint.model.findings import Finding
from sls_lint.model.graph import Location
from sls_lint.sources.located import Mark

MODULE_UNAVAILABLE_ID = "SLS005"
MODULE_UNAVAILABLE_NAME = "module-unavailable"


def module_unavailable(source: Any, key_path: str, file: str, span: list[int]) -> Finding:
    """The note for module call `key_path` (`a.b` for module b inside module a)."""
    line = max(int(span[0]), 1) if span else 1
    column = max(int(span[1]), 1) if len(span) > 1 else 1
    address = "module." + ".module.".join(key_path.split("."))
    name = key_path.rsplit(".", 1)[-1]
    if isinstance(source, str) and source.startswith((".", "/")):
        message = (
            f"Module {name} ({source}) is not available: its source is not a directory, so "
            "its resources are not analysed"
        )
    else:
        message = (
            f"Module {name} ({source}) is not available: run `terraform init` so its "
            "resources are analysed"
        )
    return Finding(
        rule_id=MODULE_UNAVAILABLE_ID,
        rule_name=MODULE_UNAVAILABLE_NAME,
        severity="note",
        message=message,
        location=Location(file, Mark(line, column, line, column + len("module"))),
        resource=address,
        resource_type="module",
        property_path="source",
        format="terraform",
    )
