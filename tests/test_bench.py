"""The benchmark runs and reports the figures the issue asks for (values are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_triage_bench_reports_its_fields() -> None:
    result = subprocess.run(
        [sys.executable, "bench/triage.py", "--json", "--messages", "5", "--warmup", "1"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, check=True,
    )
    out = json.loads(result.stdout)
    assert {"p50_ms", "p95_ms", "torch_p50_ms", "speedup_vs_torch", "other_p50_ms"} <= set(out)
    assert out["p50_ms"] > 0 and out["torch_p50_ms"] > 0


def test_store_bench_reports_its_fields() -> None:
    result = subprocess.run(
        [sys.executable, "bench/store.py", "--json", "--messages", "40", "--queries", "3"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, check=True,
    )
    out = json.loads(result.stdout)
    fields = {"unlock_ms", "append_ms", "append_per_message_ms", "open_newest_200_ms", "search_ms", "targets_met"}
    assert fields <= set(out)
    assert out["messages"] == 40 and out["unlock_ms"] > 0
