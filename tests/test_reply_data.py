"""The written reply exchanges: rows that break the style guide are dropped, and the held-out files are never trained on;
the evaluation's check for invented specifics."""

from __future__ import annotations

import pytest

from export.reply import data, evaluate


def test_guide_breaches_are_found() -> None:
    assert data.guide_breach("rough week", "That sounds like a rough week. What made it hardest?") == ""
    assert data.guide_breach("rough week", "I'm sorry to hear that. What happened?") == "stock opening"
    assert data.guide_breach("rough week", "Me too, honestly. What happened?") == "life claim"
    assert data.guide_breach("rough week", "After 3 years of this, no wonder. What helps?") == "a number the person did not give"
    assert data.guide_breach("3 exams this week", "3 exams in one week is a lot. Which comes first?") == ""
    assert data.guide_breach("can't sleep", "Maybe melatonin would help?") == "medicine"
    assert data.guide_breach("hi", " ".join(["word"] * 80)) == "too long"


def test_each_model_turn_of_a_conversation_is_one_example() -> None:
    turns = [{"role": "user", "text": "bad day"}, {"role": "model", "text": "A bad day. What happened?"},
             {"role": "user", "text": "boss"}, {"role": "model", "text": "Your boss. What did they do?"}]
    examples = data._targets(turns)
    assert [len(e) for e in examples] == [2, 4] and examples[1][-1].text == "Your boss. What did they do?"


def test_the_held_out_files_are_the_test_split_and_no_trained_example_has_one_of_their_messages() -> None:
    examples = data.written()
    held_out = {data.key(turn.text) for turns, split in examples if split == "test" for turn in turns if turn.role == "user"}
    trained = {data.key(turn.text) for turns, split in examples if split != "test" for turn in turns if turn.role == "user"}
    assert len(held_out) > 250 and len(trained) > 2000 and not held_out & trained
    assert len([1 for _turns, split in examples if split == "test"]) >= len(data._written_rows("heldout_single*.jsonl"))


@pytest.mark.parametrize(("said", "reply"), [
    ("my friend hasn't texted back", "After ten years of friendship that must sting. What happened?"),
    ("my friend hasn't texted back", "You've known her since 2015, so it hurts. What happened?"),
    ("i feel left out at work", "Your sister sounds like she means well. What did she say?"),
    ("i feel left out at work", "It hurts when Priya leaves you out. What happened?"),
])
def test_invented_specifics_are_found(said: str, reply: str) -> None:
    assert evaluate.invented(reply, said)


@pytest.mark.parametrize(("said", "reply"), [
    ("been in the same hoodie 4 days", "Four days in the same hoodie sounds like your energy has dropped. What's going on?"),
    ("my chest gets tight every sunday night before monday", "A tight chest on Sundays: the dread of Monday gets into your body."),
    ("moved to canada last year, so dark", "A dark Canadian winter when you're new sounds lonely. What helps?"),
    ("my cat's here. the sofa", "Your cat, the sofa: you're here. Stay with that."),
    ("hiya 👋", "Hiya 👋 How are things with you?"),
    ("my wife and i keep fighting", "Have you two been able to talk about it?"),
])
def test_what_the_person_gave_or_plain_phrasing_is_not_invented(said: str, reply: str) -> None:
    assert not evaluate.invented(reply, said)
