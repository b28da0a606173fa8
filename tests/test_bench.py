"""The benchmark runs and reports the figures the issue asks for (values are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench(script: str, *args: str) -> dict:
    result = subprocess.run([sys.executable, f"bench/{script}", "--json", *args],
                            capture_output=True, text=True, timeout=600, cwd=ROOT, check=True)
    return json.loads(result.stdout)


def test_triage_bench_reports_its_fields() -> None:
    out = bench("triage.py", "--messages", "5", "--warmup", "1")
    assert {"p50_ms", "p95_ms", "torch_p50_ms", "speedup_vs_torch", "other_p50_ms"} <= set(out)
    assert out["p50_ms"] > 0 and out["torch_p50_ms"] > 0


def test_store_bench_reports_its_fields() -> None:
    out = bench("store.py", "--messages", "40", "--queries", "3")
    fields = {"unlock_ms", "append_ms", "append_per_message_ms", "open_newest_200_ms", "search_ms", "targets_met"}
    assert fields <= set(out)
    assert out["messages"] == 40 and out["unlock_ms"] > 0


def test_generation_bench_reports_its_fields() -> None:
    out = bench("generation.py", "--turns", "3", "--rounds", "1")
    assert {"app_tps", "raw_tps", "ttft_turn1_ms", "ttft_turn3_ms", "rss_mb"} <= set(out)
    assert out["app_tps"] > 0 and out["raw_tps"] > 0
    assert out["turns"][-1]["reused_tokens"] > out["turns"][0]["reused_tokens"]  # later turns reuse the prefix


def test_gui_bench_reports_its_fields() -> None:
    out = bench("gui.py", "--messages", "60")
    assert {"window_ms", "max_stall_ms", "open_1000_ms", "targets_met"} <= set(out)
    assert out["window_ms"] > 0 and out["messages"] == 60
