"""`bench/run.py --quick` runs and prints its tables (no timing is asserted: CI machines vary)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_quick_benchmark_produces_a_table(tmp_path):
    out = tmp_path / "RESULTS.md"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| case | files | sls-lint s |" in result.stdout
    assert "| 1 small file | 1 |" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert "## Wall time" in text and "## Peak memory" in text
    assert "python:" in text and "nproc:" in text
