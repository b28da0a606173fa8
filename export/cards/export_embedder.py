"""Export all-MiniLM-L6-v2 (the sentence encoder, not our fine-tuned triage model) to ONNX for card retrieval.

    python -m export.cards.export_embedder

Writes assets/models/embedder/: model.onnx (mean-pooled, L2-normalised sentence embeddings, weights
quantised to INT8 by onnxruntime's dynamic quantisation) and tokenizer.json. The embeddings only rank
cards, so the small differences INT8 kernels give on different CPUs do not decide anything of safety.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import BertModel

from desktop_app.engine.paths import ASSETS_DIR
from export.triage.models import minilm_dir

TARGET = ASSETS_DIR / "models" / "embedder"


class SentenceEncoder(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.bert = BertModel.from_pretrained(minilm_dir(), add_pooling_layer=False)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-6)
        return torch.nn.functional.normalize(pooled, dim=-1)


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    model = SentenceEncoder().eval()
    ids = torch.tensor([[101, 7592, 2088, 102]])
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "model.onnx"
        torch.onnx.export(model, (ids, torch.ones_like(ids)), str(plain), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                        "embedding": {0: "batch"}})
        quantize_dynamic(str(plain), str(TARGET / "model.onnx"), weight_type=QuantType.QInt8)
    shutil.copy(minilm_dir() / "tokenizer.json", TARGET / "tokenizer.json")
    print(f"wrote {TARGET} ({(TARGET / 'model.onnx').stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
