"""A Session: one conversation with versions, rename and delete, and the Changes each call reports.
Replies here come from the curated set (no reply model), so the tests are about the structure."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.engine.api import Changes, Engine, EngineConfig, KdfParams, Session, Store

CHEAP = KdfParams(memory_kib=19 * 1024, time_cost=2)


@pytest.fixture(scope="module")
def curated() -> Engine:
    return Engine(EngineConfig(country="GB", replies=False))


@pytest.fixture
def store(tmp_path: Path):
    with Store.create(tmp_path, "a passphrase", CHEAP) as opened:
        yield opened


def test_send_reports_new_messages_and_a_new_conversation(curated: Engine, store: Store) -> None:
    session = Session(curated, store)
    changes = session.send("I've been worried about my exams")
    assert changes.messages and changes.conversations and not changes.crisis
    assert changes.reply is not None and changes.reply.action == "fallback"
    user, reply = session.messages
    assert (user.role, user.text, reply.role, reply.text) == ("user", "I've been worried about my exams", "assistant", changes.reply.text)
    assert user.triage is not None and user.triage.intent and user.model == curated.info().triage_model
    assert reply.origin is not None and reply.origin.action == "fallback" and reply.origin.lines is None
    assert [c.title for c in store.conversations()] == ["I've been worried about my exams"]


def test_crisis_is_reported_as_a_change_and_stored_with_its_reasons_and_lines(curated: Engine, store: Store) -> None:
    session = Session(curated, store)
    changes = session.send("i want to end my life tonight")
    assert changes.crisis and session.crisis_mode.active
    user, reply = store.messages(session.conversation_id, limit=None)
    assert user.triage is not None and user.triage.risk == "crisis" and user.triage.reasons
    assert reply.origin is not None and reply.origin.action == "crisis_response" and reply.origin.lines == "GB"
    assert not session.send("ok").crisis  # still in crisis mode: nothing changed
    assert session.end_crisis_mode().crisis and not session.crisis_mode.active


def test_regenerate_and_edit_add_versions_and_switching_changes_the_branch(curated: Engine, store: Store) -> None:
    session = Session(curated, store)
    session.send("I started a new job")
    session.send("everyone is nice but I feel out of place")
    session.regenerate()
    assert [m.versions for m in session.messages] == [1, 1, 1, 2] and session.messages[-1].version == 2

    second_question = session.messages[2]
    session.edit(second_question.id, "everyone is nice and I'm settling in")
    edited = session.messages[2]
    assert edited.text == "everyone is nice and I'm settling in" and (edited.version, edited.versions) == (2, 2)
    assert len(session.messages) == 4 and session.messages[3].versions == 1

    changes = session.switch_version(edited.id, -1)
    assert changes == Changes(messages=True, crisis=False)
    assert session.messages[2].text == "everyone is nice but I feel out of place"
    assert [m.version for m in session.messages[2:]] == [1, 2]  # back on the old branch, at its newest reply
    session.switch_version(session.messages[3].id, -1)
    assert session.messages[3].version == 1
    with pytest.raises(ValueError, match="no version"):
        session.switch_version(session.messages[3].id, -1)

    reopened = Session(curated, store, session.conversation_id)
    assert reopened.messages == session.messages


def test_switching_to_a_version_in_crisis_changes_crisis_mode(curated: Engine, store: Store) -> None:
    session = Session(curated, store)
    session.send("i want to kill myself")
    assert session.crisis_mode.active
    session.edit(session.messages[0].id, "my week was long")
    assert not session.crisis_mode.active
    changes = session.switch_version(session.messages[0].id, -1)
    assert changes.crisis and session.crisis_mode.active


def test_rename_and_delete(curated: Engine, store: Store) -> None:
    session = Session(curated, store)
    with pytest.raises(ValueError):
        session.rename("too early")
    session.send("hello")
    assert session.rename("  Monday   evening ") == Changes(conversations=True)
    assert session.title == "Monday evening" and store.conversations()[0].title == "Monday evening"
    assert session.delete() == Changes(messages=True, conversations=True, crisis=False)
    assert session.messages == () and session.conversation_id is None and store.conversations() == []
    session.send("a new start")
    assert [c.title for c in store.conversations()] == ["a new start"]


def test_an_unsaved_session_keeps_versions_in_memory_and_writes_no_file(curated: Engine, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    session = Session(curated)
    session.send("hi there")
    session.regenerate()
    assert not session.store.saved and session.messages[-1].versions == 2
    session.switch_version(session.messages[-1].id, -1)
    assert session.messages[-1].version == 1
    assert list(tmp_path.iterdir()) == []


def test_a_replayed_history_is_the_context_and_the_transcript(curated: Engine) -> None:
    session = Session.replayed(curated, [("user", "i want to die"), ("assistant", "I'm here with you.")])
    assert session.crisis_mode.active and [m.role for m in session.messages] == ["user", "assistant"]
    assert session.send("ok").reply.action == "crisis_checkin"


def test_changing_the_triage_model_keeps_the_conversation(curated: Engine) -> None:
    engine = Engine(EngineConfig(country="GB", replies=False, triage_model="minilm"))
    session = Session(engine)
    session.send("i can't sleep at night")
    engine.set_triage_model("lstm")
    session.send("still awake")
    assert [m.model for m in session.messages if m.role == "user"] == ["minilm", "lstm"]
    assert engine.info().triage_model == "lstm" and engine.config.triage_model == "lstm"
