"""The written reply exchanges: rows that break the style guide are dropped, and the held-out files are never trained on."""

from __future__ import annotations

from export.reply import data


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
