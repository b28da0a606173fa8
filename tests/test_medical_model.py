"""The medical-request model: shared features, shipped weights, and training data kept apart from evaluation."""

from __future__ import annotations

import json

import numpy as np

from desktop_app.engine.triage.hashed import FEATURES
from desktop_app.engine.triage.medical_model import features, shipped_model
from export.medical.train import CLASSES, examples
from export.triage.dataset import WRITTEN, key


def test_features_are_deterministic_hashed_and_normalised() -> None:
    index, values = features("Should I double my Sertraline?")
    again_index, again_values = features("should i double my sertraline?")
    assert np.array_equal(index, again_index) and np.allclose(values, again_values)
    assert index.min() >= 0 and index.max() < FEATURES
    assert abs(float(np.linalg.norm(values)) - 1) < 1e-5
    assert features("")[0].size == 0


def test_the_shipped_model_scores_requests_and_leaves_everyday_talk() -> None:
    model = shipped_model()
    assert model.classes == list(CLASSES) and model.weights.shape == (len(CLASSES), FEATURES)
    assert model.score("my doctor prescribed escitalopram, is it alright to take it with my antihistamines").kind == "medication"
    assert model.score("i went for a long walk by the river and it cleared my head").kind == "none"
    assert abs(float(model.probabilities(features("hello there")).sum()) - 1) < 1e-5


def test_training_never_reads_an_evaluation_text() -> None:
    held_out = {key(json.loads(line)["text"]) for path in ("boundaries_test.jsonl", "eval_chat.jsonl")
                for line in (WRITTEN / path).read_text(encoding="utf-8").splitlines() if line.strip()}
    for path in WRITTEN.glob("context_*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            held_out |= {key(item["text"]), *(key(turn["text"]) for turn in item["history"])}
    trained = {key(text) for text, _, _ in examples()}
    assert trained and not trained & held_out
