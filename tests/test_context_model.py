"""The context model: its features, the shipped weights, and training data kept apart from evaluation."""

from __future__ import annotations

import json

import numpy as np

from desktop_app.engine.triage.context_model import features, shipped_context_model
from desktop_app.engine.triage.hashed import FEATURES
from export.context.train import CLASSES, conversation_parts, examples
from export.triage.dataset import WRITTEN, key


def test_each_part_of_a_conversation_has_its_own_features() -> None:
    index, values = features("saturday", ["i want it all to stop"], "How are you?")
    assert index.min() >= 0 and index.max() < FEATURES and abs(float(np.linalg.norm(values)) - 1) < 1e-5
    as_message, _ = features("i want it all to stop", [], "")
    as_earlier, _ = features("", ["i want it all to stop"], "")
    assert not set(as_message.tolist()) & set(as_earlier.tolist())


def test_the_shipped_model_reads_the_conversation_not_only_the_message() -> None:
    model = shipped_context_model()
    assert model.classes == list(CLASSES) and model.weights.shape == (len(CLASSES), FEATURES)
    after_talk_of_dying = model.score("sunday feels right", ["i keep thinking my family would cope better without me around"])
    after_a_trip = model.score("sunday feels right", ["we're driving up to the lakes this weekend", "can't decide which day to hike"])
    assert after_talk_of_dying.probability >= model.threshold and after_talk_of_dying.intent == "crisis_suicide"
    assert after_a_trip.probability < model.threshold


def test_training_reads_the_development_conversations_as_the_app_sees_them() -> None:
    item = {"history": [{"role": "user", "text": f"message {k}"} for k in range(6)] + [{"role": "assistant", "text": "Are you safe?"}],
            "text": "yes"}
    assert conversation_parts(item) == ("yes", ["message 2", "message 3", "message 4", "message 5"], "Are you safe?")
    held_out = set()
    for line in (WRITTEN / "context_test.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        held_out.add((key(item["text"]), *(key(turn["text"]) for turn in item["history"])))
    parts, labels = examples()
    assert len(parts) == len(labels) > 1000 and set(labels) == set(CLASSES)
    assert not {(key(text), *(key(turn) for turn in earlier)) for text, earlier, _ in parts} & held_out
