"""The safety plan in the encrypted history, its printable page, and the risk timeline of an export."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.engine.history.export import NOT_ENCRYPTED
from desktop_app.engine.history.keys import KdfParams
from desktop_app.engine.history.safety_plan import SECTION_KEYS, SECTIONS, SafetyPlan
from desktop_app.engine.history.store import Store
from desktop_app.engine.messages import Origin, Triage, timeline

CHEAP = KdfParams(memory_kib=19 * 1024, time_cost=2)
PASSPHRASE = "correct horse battery staple"


def test_the_plan_follows_the_seven_stanley_brown_steps() -> None:
    assert len(SECTIONS) == 7 and SECTION_KEYS[0] == "warning_signs" and SECTION_KEYS[-1] == "reasons"
    with pytest.raises(ValueError, match="unknown"):
        SafetyPlan({"favourite_colour": "blue"})


def test_a_saved_plan_is_encrypted_and_comes_back_after_lock_and_unlock(tmp_path: Path) -> None:
    words = "my sister Ana 07700 900123"
    with Store.create(tmp_path, PASSPHRASE, CHEAP) as store:
        assert store.safety_plan().is_empty
        saved = store.save_safety_plan(SafetyPlan({"helpers": words, "reasons": "my dog, Lisbon in spring", "coping": "  "}))
        assert saved.text("helpers") == words and saved.updated and "coping" not in saved.sections
    assert not any(words.encode() in path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    with Store.open(tmp_path, PASSPHRASE) as reopened:
        plan = reopened.safety_plan()
        assert plan.filled() == [("People I can ask for help", words), ("My reasons for living", "my dog, Lisbon in spring")]
        reopened.save_safety_plan(SafetyPlan({"reasons": "my dog"}))
        assert reopened.safety_plan().sections == {"reasons": "my dog"}


def test_the_printable_page_has_every_section_and_the_warning() -> None:
    page = SafetyPlan({"warning_signs": "not sleeping\npacing at night"}).as_markdown(NOT_ENCRYPTED)
    assert page.startswith("# My safety plan") and NOT_ENCRYPTED in page
    assert all(f"## {heading}" in page for _key, heading, _prompt in SECTIONS)
    assert "not sleeping\npacing at night" in page and page.count("\n______") == 6


def test_the_export_has_the_risk_timeline_as_a_table(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE, CHEAP) as store:
        conversation = store.new_conversation("night")
        store.add_message(conversation.id, "user", "bad day", triage=Triage("stress", "concern", {}, {"crisis": 0.1}))
        store.add_message(conversation.id, "assistant", "That sounds hard.", origin=Origin("generated"))
        store.add_message(conversation.id, "user", "yes", triage=Triage("crisis_suicide", "crisis", {}, {"crisis": 0.3},
                                                                        ("context rule context.affirmation",), True))
        store.add_message(conversation.id, "assistant", "Are you safe right now?", origin=Origin("crisis_checkin", "", "GB"))
        points = timeline(store.messages(conversation.id))
        exported = store.export(conversation.id, "md")
    assert [(p.risk, p.by_context, p.action) for p in points] == [("concern", False, "generated"), ("crisis", True, "crisis_checkin")]
    assert "## Risk timeline" in exported
    assert "| 2 |" in exported and "| crisis_suicide | crisis | 0.30 | yes | crisis_checkin |" in exported
