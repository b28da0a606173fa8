"""The shipped ONNX graphs compute what the shipped PyTorch weights compute."""

from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from desktop_app.engine.paths import TRIAGE_MODELS_DIR  # noqa: E402
from desktop_app.engine.triage.classifier import TriageModel, decide  # noqa: E402
from export.triage.export_onnx import export_graph, load_torch  # noqa: E402

MESSAGES = [
    "hi there",
    "i can't stop worrying about everything",
    "i want to kill myself",
    "my boyfriend broke up with me and i feel like nothing matters",
    "what is cbt and does it work for anxiety?",
    "this traffic is killing me lol",
    "my dad hits me when he's drunk",
    "i've been drinking every night to fall asleep",
]


def torch_probabilities(model, onnx_model: TriageModel, text: str) -> tuple[np.ndarray, np.ndarray]:
    window = onnx_model.encoder.first_window(text)
    ids = torch.tensor([window])
    with torch.no_grad():
        args = (ids, torch.ones_like(ids)) if onnx_model.config["framed"] else (ids,)
        intent, risk = model(*args)
    return intent[0].numpy(), risk[0].numpy()


@pytest.mark.parametrize("name", ["lstm", "minilm"])
def test_shipped_onnx_agrees_with_pytorch(name: str) -> None:
    onnx_model = TriageModel(name)
    model = load_torch(name, TRIAGE_MODELS_DIR / name)
    # Float32 (weights stored as float16), never INT8, whose results depend on the CPU (see export_onnx).
    assert onnx_model.config["precision"] == "fp32"
    tolerance = 1e-4
    threshold = onnx_model.config["crisis_threshold"]
    for text in MESSAGES:
        t_intent, t_risk = torch_probabilities(model, onnx_model, text)
        o_intent, o_risk = onnx_model.probabilities(text)
        assert np.abs(t_intent - o_intent).max() < tolerance, text
        assert np.abs(t_risk - o_risk).max() < tolerance, text
        assert int(np.argmax(t_intent)) == int(np.argmax(o_intent)), text
        assert decide(t_intent, t_risk, threshold) == decide(o_intent, o_risk, threshold), text


@pytest.mark.parametrize("name", ["lstm", "minilm"])
def test_fresh_fp32_export_matches_pytorch_exactly(name: str, tmp_path) -> None:
    folder = TRIAGE_MODELS_DIR / name
    model = load_torch(name, folder)
    export_graph(model, tmp_path / "model.onnx")
    config = json.loads((folder / "config.json").read_text()) | {"model_file": "model.onnx"}
    for file in ("tokenizer.json",):
        (tmp_path / file).write_bytes((folder / file).read_bytes())
    (tmp_path / "config.json").write_text(json.dumps(config))
    fresh = TriageModel(tmp_path.name, models_dir=tmp_path.parent)
    for text in MESSAGES:
        t_intent, t_risk = torch_probabilities(model, fresh, text)
        o_intent, o_risk = fresh.probabilities(text)
        np.testing.assert_allclose(o_intent, t_intent, atol=1e-4)
        np.testing.assert_allclose(o_risk, t_risk, atol=1e-4)
