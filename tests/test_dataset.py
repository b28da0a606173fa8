"""The triage dataset builder: cleaning, conflict rules and splits that share no text."""

from __future__ import annotations

import re

import pytest

from export.triage import dataset
from export.triage.dataset import Example, _intent_for_pattern, _resolve, clean, key


def test_cleaning() -> None:
    assert clean("RT @someone: i\u00e2\u0080\u0099m tired &amp;quot;ok&amp;quot; https://t.co/x") == 'i\u2019m tired "ok"'
    assert clean("  hello&amp;#x200B;  world ") == "hello world"
    assert key("I'm   SO tired!!") == key("i'm so tired") == "i m so tired"


def test_conflicts_prefer_crisis_and_drop_other_disagreements() -> None:
    crisis = Example("i feel like ending it", "crisis_suicide", "crisis", "a", "train")
    sad = Example("I feel like ending it", "depression", "concern", "b", "test")
    resolved = _resolve([crisis, sad])
    assert resolved is not None and resolved.intent == "crisis_suicide" and resolved.risk == "crisis"
    assert resolved.split == "test"  # held-out wins, so the text is in one split only
    assert _resolve([Example("not really", "smalltalk", "none", "a", "train"),
                     Example("not really", "depression", "concern", "a", "train")]) is None


@pytest.mark.parametrize(
    ("tag", "pattern", "intent"),
    [
        ("suicide", "I feel hopeless", "depression"),
        ("suicide", "I want to end my life", "crisis_suicide"),
        ("sad", "I am so lonely", "loneliness"),
        ("default", "money", "stress"),
        ("name", "My name is ", None),
    ],
)
def test_tag_mapping(tag: str, pattern: str, intent: str | None) -> None:
    assert _intent_for_pattern(tag, pattern) == intent


@pytest.fixture(scope="module")
def built() -> list[Example]:
    return dataset.build()


def test_splits_share_no_text_and_eval_set_is_independent(built: list[Example]) -> None:
    by_split = {split: {key(e.text) for e in built if e.split == split} for split in dataset.SPLITS}
    assert not by_split["train"] & by_split["test"]
    assert not by_split["train"] & by_split["val"]
    assert not by_split["val"] & by_split["test"]
    eval_keys = {key(text) for text in dataset.evaluation_texts(with_trained_controls=False)}
    assert not eval_keys & (by_split["train"] | by_split["val"])


def test_of_the_conversations_only_development_controls_last_messages_are_trained(built: list[Example]) -> None:
    built_keys = {key(e.text) for e in built}
    controls = {key(e.text) for e in dataset.context_controls()}
    assert len(controls & built_keys) > 0.9 * len(controls)
    development = dataset.jsonl(dataset.WRITTEN / "context_dev.jsonl")
    positives = {key(item["text"]) for item in development if item["label"] == "crisis"}
    histories = {key(turn["text"]) for item in development for turn in item["history"]}
    assert not (positives | histories) & built_keys


def test_every_intent_is_trained_and_tested(built: list[Example]) -> None:
    from desktop_app.engine.triage.labels import INTENTS

    for split in ("train", "test"):
        present = {e.intent for e in built if e.split == split}
        assert set(INTENTS) <= present, f"{split} lacks {set(INTENTS) - present}"


def test_no_usernames_urls_or_entities_survive(built: list[Example]) -> None:
    for example in built:
        assert not re.search(r"https?://|(^|\s)www\.\w|&amp;|&quot;|(^|\s)@\w", example.text), example.text[:80]


def test_foreign_helpline_is_not_in_training_text(built: list[Example]) -> None:
    assert not any("9152987821" in e.text for e in built)


def test_threshold_ties_go_to_the_recall_on_real_posts() -> None:
    """The hand-labelled crisis message is caught at every threshold; the forum post only up to its own
    score. The choice keeps the post, and false alarms on hand-labelled text bound it from below."""
    import numpy as np

    from desktop_app.engine.triage.labels import INTENTS
    from export.triage.export_onnx import choose_threshold

    def probabilities(crisis: float) -> tuple[np.ndarray, np.ndarray]:
        intents = np.full(len(INTENTS), 0.01)
        intents[INTENTS.index("smalltalk")] = 0.5
        return intents, np.array([crisis, 0.0, 1.0 - crisis])

    examples = [Example("a crisis message we wrote", "crisis_suicide", "crisis", "written", "val"),
                Example("an everyday message we wrote", "smalltalk", "none", "written", "val"),
                Example("a long post from a forum", "crisis_suicide", "crisis", "sdcnl", "val")]
    assert choose_threshold([probabilities(0.99), probabilities(0.2), probabilities(0.35)], examples) == 0.35
    assert choose_threshold([probabilities(0.99), probabilities(0.5), probabilities(0.7)], examples) == 0.7
