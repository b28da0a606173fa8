"""Triage latency per message: default ONNX model, the other ONNX model, PyTorch eager.

    python bench/triage.py --json

Batch 1, 2 threads, tokenization included, short chat messages (the independent chat
set), measured in alternating blocks in one run so the ratios compare like with like.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

# PyTorch's OpenMP workers busy-wait after each call by default, which would steal the
# cores from the ONNX runs that follow them; the app itself never loads PyTorch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import torch

from desktop_app.engine.paths import TRIAGE_MODELS_DIR
from desktop_app.engine.triage.classifier import TriageModel, available_models, default_model_name
from export.triage.dataset import chat_eval
from export.triage.export_onnx import load_torch

THREADS = 2
# Runners take turns in blocks of messages: side by side against drift, but not message by
# message, where one runtime's spinning worker threads would slow the next one down.
BLOCK = 50


def torch_runner(model: TriageModel):
    net = load_torch(model.name, TRIAGE_MODELS_DIR / model.name)
    framed = model.config["framed"]

    @torch.inference_mode()
    def run(text: str) -> None:
        for window in model.encoder.windows(text):
            ids = torch.tensor([window])
            net(ids, torch.ones_like(ids)) if framed else net(ids)

    return run


def percentile(samples: list[float], q: float) -> float:
    return float(np.percentile(samples, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()
    torch.set_num_threads(THREADS)
    default = TriageModel(default_model_name(), threads=THREADS)
    other = TriageModel(next(n for n in available_models() if n != default.name), threads=THREADS)
    runners = {
        "default": lambda text: default.probabilities(text),
        "other": lambda text: other.probabilities(text),
        "torch": torch_runner(default),
    }
    texts = [item["text"] for item in chat_eval()]
    texts = (texts * (1 + (args.messages + args.warmup) // len(texts)))[: args.messages + args.warmup]
    samples: dict[str, list[float]] = {name: [] for name in runners}
    for start in range(0, len(texts), BLOCK):
        for name, run in runners.items():
            for index in range(start, min(start + BLOCK, len(texts))):
                started = time.perf_counter()
                run(texts[index])
                if index >= args.warmup:
                    samples[name].append((time.perf_counter() - started) * 1000)
    p50 = {name: statistics.median(values) for name, values in samples.items()}
    result = {
        "model": default.name,
        "precision": default.config["precision"],
        "messages": args.messages,
        "threads": THREADS,
        "p50_ms": round(p50["default"], 3),
        "p95_ms": round(percentile(samples["default"], 95), 3),
        "other_model": other.name,
        "other_p50_ms": round(p50["other"], 3),
        "other_p95_ms": round(percentile(samples["other"], 95), 3),
        "torch_p50_ms": round(p50["torch"], 3),
        "torch_p95_ms": round(percentile(samples["torch"], 95), 3),
        "speedup_vs_torch": round(p50["torch"] / p50["default"], 2),
        "onnx_file_mb": round((TRIAGE_MODELS_DIR / default.name / default.config["model_file"]).stat().st_size / 2**20, 1),
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
