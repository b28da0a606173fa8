"""The encrypted history store, on real SQLCipher and Argon2id (cheap but valid costs, except where noted)."""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop_app.engine.history.errors import NoStore, NotFound, StoreClosed, StoreDamaged, StoreError, StoreLocked, WrongPassphrase
from desktop_app.engine.history.files import history_exists
from desktop_app.engine.history.keys import KdfParams, KeyFile, read_keyfile, write_keyfile
from desktop_app.engine.history.store import Store, wipe
from desktop_app.engine.messages import Triage

ROOT = Path(__file__).resolve().parents[1]
CHEAP = KdfParams(memory_kib=19 * 1024, time_cost=2)  # OWASP's minimum: fast enough for tests
PASSPHRASE = "correct horse battery staple"
TRIAGE = Triage("sleep", "none", {"sleep": 0.9, "greeting": 0.1}, {"none": 0.95, "concern": 0.04, "crisis": 0.01})


@pytest.fixture
def store(tmp_path: Path):
    with Store.create(tmp_path / "data", PASSPHRASE, CHEAP) as opened:
        yield opened


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def filled(folder: Path) -> Path:
    """A locked history with two conversations."""
    with Store.create(folder, PASSPHRASE, CHEAP) as new:
        for title in ("first", "second"):
            conversation = new.new_conversation(title)
            for index in range(30):
                new.add_message(conversation.id, "user", f"{title} message {index} " * 20, triage=TRIAGE)
    return folder


def texts(messages) -> list[str]:
    return [message.text for message in messages]


def test_messages_round_trip_with_their_labels(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE, CHEAP) as new:
        conversation = new.new_conversation("Sleep")
        with new.transaction():
            asked = new.add_message(conversation.id, "user", "I can't sleep", triage=TRIAGE, model="minilm")
            new.add_message(conversation.id, "assistant", "That sounds hard.", model="qwen-0.5b")
    with Store.open(tmp_path, PASSPHRASE) as reopened:
        [listed] = reopened.conversations()
        assert (listed.title, listed.messages) == ("Sleep", 2)
        user, reply = reopened.messages(conversation.id)
        assert user == asked
        assert user.triage == TRIAGE and user.model == "minilm"
        assert (reply.role, reply.text, reply.triage) == ("assistant", "That sounds hard.", None)
        assert reply.model == "qwen-0.5b"
        assert reply.parent_id == user.id


def test_an_assessment_is_kept_as_its_labels(store: Store, engine) -> None:
    assessment = engine.assess("I haven't slept properly in weeks")
    conversation = store.new_conversation()
    store.add_message(conversation.id, "user", "…", triage=assessment.labels(), model=assessment.triage.model)
    [message] = store.messages(conversation.id)
    assert message.triage == assessment.labels() and message.model == assessment.triage.model
    assert {**message.triage.as_dict(), "model": message.model} == assessment.as_dict()


def test_default_costs_meet_owasp_minimum_and_open(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE):
        pass
    saved = read_keyfile(tmp_path / "keys.json").active
    assert saved.params == KdfParams() and saved.params.memory_kib >= 19 * 1024 and saved.params.time_cost >= 2
    assert len(saved.salt) == 16
    Store.open(tmp_path, PASSPHRASE).lock()
    with pytest.raises(ValueError):
        KdfParams(memory_kib=8 * 1024, time_cost=2)


def test_salt_is_per_install(tmp_path: Path) -> None:
    for name in ("a", "b"):
        Store.create(tmp_path / name, PASSPHRASE, CHEAP).lock()
    salts = {read_keyfile(tmp_path / name / "keys.json").active.salt for name in ("a", "b")}
    assert len(salts) == 2


def test_open_without_a_history(tmp_path: Path) -> None:
    with pytest.raises(NoStore):
        Store.open(tmp_path, PASSPHRASE)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory):
    with Store.create(tmp_path_factory.mktemp("prop"), PASSPHRASE, CHEAP) as opened:
        yield opened


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(), title=st.text())
@example(text="\x00", title="\x00")
@example(text="a\x00b\x00", title="")
@example(text="\U0001f600 e\u0301 \u202e \ufeff \r\n\t", title="\uffff")
def test_any_text_round_trips(shared_store: Store, text: str, title: str) -> None:
    conversation = shared_store.new_conversation(title)
    shared_store.add_message(conversation.id, "user", text)
    assert shared_store.conversation(conversation.id).title == title
    assert texts(shared_store.messages(conversation.id)) == [text]


def test_ten_megabyte_message_round_trips(store: Store) -> None:
    rng = random.Random(4)
    alphabet = [chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x800), *range(0x4E00, 0x4F00), 0x1F600, 0x0)]
    chunk = "".join(rng.choices(alphabet, k=100_000))
    big = "".join(chunk[i:] + chunk[:i] for i in range(0, 100 * 997, 997))
    assert len(big.encode()) >= 10_000_000
    conversation = store.new_conversation("big")
    store.add_message(conversation.id, "user", big)
    assert store.messages(conversation.id)[0].text == big


def test_a_turn_is_written_whole_or_not_at_all(store: Store) -> None:
    conversation = store.new_conversation("turns")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_message(conversation.id, "user", "half a turn")
        raise RuntimeError("the reply failed")
    assert store.messages(conversation.id) == []

    seen: list[int] = []
    with store.transaction():
        store.add_message(conversation.id, "user", "question")
        reader = threading.Thread(target=lambda: seen.append(len(store.messages(conversation.id))))
        reader.start()
        reader.join(0.2)
        assert reader.is_alive()  # the reader waits for the turn to be complete
        store.add_message(conversation.id, "assistant", "answer")
    reader.join()
    assert seen == [2]


def test_edit_and_regenerate_make_branches(store: Store) -> None:
    conversation = store.new_conversation("branches")
    first = store.add_message(conversation.id, "user", "u1")
    store.add_message(conversation.id, "assistant", "a1")
    asked = store.add_message(conversation.id, "user", "u2")
    store.add_message(conversation.id, "assistant", "a2")

    edited = store.replace(asked.id, "u2 edited")
    store.add_message(conversation.id, "assistant", "a2 for the edit")
    assert texts(store.messages(conversation.id)) == ["u1", "a1", "u2 edited", "a2 for the edit"]
    assert texts(store.siblings(edited.id)) == ["u2", "u2 edited"]

    regenerated = store.replace(store.messages(conversation.id)[-1].id, "a2 again", model="other")
    assert texts(store.messages(conversation.id)) == ["u1", "a1", "u2 edited", "a2 again"]
    assert regenerated.role == "assistant"

    store.select(asked.id)
    assert texts(store.messages(conversation.id)) == ["u1", "a1", "u2", "a2"]
    assert store.conversation(conversation.id).messages == 4

    store.replace(first.id, "a fresh start")
    assert texts(store.messages(conversation.id)) == ["a fresh start"]
    store.select(edited.id)
    assert texts(store.messages(conversation.id)) == ["u1", "a1", "u2 edited", "a2 again"]


def test_newest_messages_come_in_pages(store: Store) -> None:
    conversation = store.new_conversation("long")
    with store.transaction():
        for index in range(500):
            store.add_message(conversation.id, "user", str(index))
    page = store.messages(conversation.id)
    assert texts(page) == [str(i) for i in range(300, 500)]
    earlier = store.messages(conversation.id, before=page[0].id)
    assert texts(earlier) == [str(i) for i in range(100, 300)]
    assert texts(store.messages(conversation.id, limit=None)) == [str(i) for i in range(500)]
    assert store.conversation(conversation.id).messages == 500


def test_unknown_ids_are_reported(store: Store) -> None:
    with pytest.raises(NotFound):
        store.add_message(99, "user", "hello")
    with pytest.raises(NotFound):
        store.messages(99)
    with pytest.raises(NotFound):
        store.delete_conversation(99)
    with pytest.raises(NotFound):
        store.replace(99, "x")


def test_search_finds_words_and_takes_any_query(store: Store) -> None:
    conversation = store.new_conversation("Search")
    store.add_message(conversation.id, "user", "The café by the river is where I feel calm")
    store.add_message(conversation.id, "user", "Nothing to see here")
    [hit] = store.search("cafe RIVER")
    assert (hit.conversation_id, hit.title) == (conversation.id, "Search")
    assert "[café]" in hit.snippet
    for query in ('"', "don't", "a OR b", "NEAR(", "*", "col:x", "", "  "):
        assert store.search(query) == []


def test_deleting_a_conversation_removes_it_everywhere(store: Store) -> None:
    gone = store.new_conversation("gone")
    kept = store.new_conversation("kept")
    store.add_message(gone.id, "user", "wombat secret")
    store.add_message(kept.id, "user", "wombat kept")
    store.delete_conversation(gone.id)
    assert [c.id for c in store.conversations()] == [kept.id]
    assert [hit.message_id for hit in store.search("wombat")] == [store.messages(kept.id)[0].id]
    assert store.search("secret") == []
    with pytest.raises(NotFound):
        store.conversation(gone.id)


def decrypted_pages(db: Path, key: bytes) -> bytes:
    """Every page of a SQLCipher 4 file decrypted with AES-256-CBC by openssl (4096-byte pages,
    each ending in a 16-byte IV and a 64-byte HMAC; page 1 starts with the 16-byte salt)."""
    data = db.read_bytes()
    plain = []
    for start in range(0, len(data), 4096):
        page = data[start : start + 4096]
        command = ["openssl", "enc", "-d", "-aes-256-cbc", "-nopad", "-K", key.hex(), "-iv", page[4016:4032].hex()]
        body = page[16 if start == 0 else 0 : 4016]
        plain.append(subprocess.run(command, input=body, capture_output=True, check=True).stdout)
    return b"".join(plain)


def test_deleted_text_leaves_the_file(tmp_path: Path) -> None:
    canary = "zanzibarcanary"
    with Store.create(tmp_path, PASSPHRASE, CHEAP) as new:
        gone = new.new_conversation(f"title {canary}")
        new.add_message(gone.id, "user", f"my secret is {canary} " * 50)
        kept = new.new_conversation("kept")
        new.add_message(kept.id, "user", "keepsakecontrol")
    key = bytes(read_keyfile(tmp_path / "keys.json").active.unlock(PASSPHRASE))
    assert canary.encode() in decrypted_pages(tmp_path / "history.db", key)  # the decryption works
    assert canary.encode() not in (tmp_path / "history.db").read_bytes()

    with Store.open(tmp_path, PASSPHRASE) as reopened:
        reopened.delete_conversation(gone.id)
        assert (tmp_path / "history.db-wal").stat().st_size == 0
        assert canary.encode() not in decrypted_pages(tmp_path / "history.db", key)
    plain = decrypted_pages(tmp_path / "history.db", key)
    assert canary.encode() not in plain
    assert b"keepsakecontrol" in plain


def test_export_markdown_and_json_carry_the_labels(store: Store) -> None:
    conversation = store.new_conversation("For my therapist")
    first = store.add_message(conversation.id, "user", "line one\nline two", triage=TRIAGE, model="minilm")
    store.add_message(conversation.id, "assistant", "a reply", model="fallback")
    store.replace(first.id, "edited line", triage=TRIAGE, model="minilm")

    markdown = store.export(conversation.id, "md")
    assert markdown.startswith("# For my therapist\n")
    assert "not encrypted" in markdown
    assert "> edited line" in markdown and "line one" not in markdown  # the active branch only
    assert "intent `sleep`, risk `none`" in markdown and "model `minilm`" in markdown

    exported = json.loads(store.export(conversation.id, "json"))
    assert {"id", "title", "created", "updated", "messages"} <= set(exported)
    [message] = exported["messages"]
    assert message["text"] == "edited line" and message["role"] == "user"
    assert message["triage"] == TRIAGE.as_dict()
    with pytest.raises(ValueError):
        store.export(conversation.id, "pdf")


def test_wrong_passphrase_changes_no_file(tmp_path: Path) -> None:
    before = snapshot(filled(tmp_path))
    for wrong in ("wrong", PASSPHRASE + " ", PASSPHRASE.upper()):
        with pytest.raises(WrongPassphrase, match="wrong passphrase"):
            Store.open(tmp_path, wrong)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("offset", [3, 100, 4096 + 200, -300], ids=["page1-salt", "page1", "page2", "last-page"])
def test_a_flipped_byte_is_reported_as_damage(tmp_path: Path, offset: int) -> None:
    db = filled(tmp_path) / "history.db"
    data = bytearray(db.read_bytes())
    data[offset] ^= 0x01
    db.write_bytes(data)
    before = snapshot(tmp_path)
    with pytest.raises(StoreDamaged, match="damaged"):
        Store.open(tmp_path, PASSPHRASE)
    assert snapshot(tmp_path) == before


def test_a_modified_parameters_file_is_damage_not_a_wrong_passphrase(tmp_path: Path) -> None:
    keys = filled(tmp_path) / "keys.json"
    item = json.loads(keys.read_text())
    item["active"]["salt"] = "00" * 16
    keys.write_text(json.dumps(item))
    before = snapshot(tmp_path)
    with pytest.raises(StoreDamaged):
        Store.open(tmp_path, PASSPHRASE)
    keys.unlink()
    with pytest.raises(StoreDamaged, match="missing"):
        Store.open(tmp_path, PASSPHRASE)
    keys.write_bytes(before["keys.json"])
    assert snapshot(tmp_path) == before


def test_one_instance_at_a_time(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreLocked):
        Store.open(tmp_path / "data", PASSPHRASE)
    with pytest.raises(StoreLocked):
        wipe(tmp_path / "data")
    store.lock()
    Store.open(tmp_path / "data", PASSPHRASE).lock()


def test_lock_closes_and_zeroes_the_key(store: Store) -> None:
    key = store._vault.key
    assert any(key)
    store.lock()
    assert key == bytearray(len(key))
    with pytest.raises(StoreClosed):
        store.conversations()
    store.lock()


def test_change_passphrase(tmp_path: Path) -> None:
    filled(tmp_path)
    with Store.open(tmp_path, PASSPHRASE) as opened:
        opened.change_passphrase("a new one")
        assert len(opened.conversations()) == 2
    with pytest.raises(WrongPassphrase):
        Store.open(tmp_path, PASSPHRASE)
    with Store.open(tmp_path, "a new one") as reopened:
        reopened.verify()
        assert [c.messages for c in reopened.conversations()] == [30, 30]
    assert read_keyfile(tmp_path / "keys.json").pending is None


@pytest.mark.parametrize("rekeyed", [False, True], ids=["before-rekey", "after-rekey"])
def test_an_interrupted_passphrase_change_loses_nothing(tmp_path: Path, rekeyed: bool) -> None:
    """Rebuild the two states a crash during change_passphrase can leave: the new slot written
    beside the old one, with the database under the old key or already under the new one."""
    filled(tmp_path / "old")
    old_db = (tmp_path / "old" / "history.db").read_bytes()
    old_slot = read_keyfile(tmp_path / "old" / "keys.json").active
    with Store.open(tmp_path / "old", PASSPHRASE) as opened:
        opened.change_passphrase("new passphrase")
    new_slot = read_keyfile(tmp_path / "old" / "keys.json").active
    if not rekeyed:
        (tmp_path / "old" / "history.db").write_bytes(old_db)
    write_keyfile(tmp_path / "old" / "keys.json", KeyFile(old_slot, new_slot))

    works, fails = ("new passphrase", PASSPHRASE) if rekeyed else (PASSPHRASE, "new passphrase")
    with pytest.raises(WrongPassphrase):
        Store.open(tmp_path / "old", fails)
    with Store.open(tmp_path / "old", works) as reopened:
        assert len(reopened.conversations()) == 2
    assert read_keyfile(tmp_path / "old" / "keys.json") == KeyFile(new_slot if rekeyed else old_slot)


def test_wipe_deletes_everything_even_without_the_passphrase(tmp_path: Path) -> None:
    with Store.create(tmp_path / "a", PASSPHRASE, CHEAP) as new:
        new.wipe()
    wipe(filled(tmp_path / "b"))
    for name in ("a", "b"):
        assert not history_exists(tmp_path / name)
        assert {p.name for p in (tmp_path / name).iterdir()} <= {"history.lock"}
    Store.create(tmp_path / "a", "another", CHEAP).lock()


def test_logs_hold_events_not_text(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    canary = "quokkacanary"
    caplog.set_level(logging.DEBUG)
    with Store.create(tmp_path, PASSPHRASE, CHEAP) as new:
        conversation = new.new_conversation(canary)
        new.add_message(conversation.id, "user", canary)
        new.search(canary)
        new.export(conversation.id, "md")
        new.delete_conversation(conversation.id)
        new.change_passphrase(canary)
    with pytest.raises(WrongPassphrase):
        Store.open(tmp_path, PASSPHRASE + canary)
    assert "history created" in caplog.text and "conversation deleted" in caplog.text
    assert canary not in caplog.text


WRITER = """
import sys
from pathlib import Path
from desktop_app.engine.history.store import Store

store = Store.open(Path(sys.argv[1]), sys.argv[2])
conversation, index = int(sys.argv[3]), int(sys.argv[4])
while True:
    text = f"message {index} " + "x" * (index * 7919 % 30000)
    with store.transaction():
        store.add_message(conversation, "user", text)
        store.add_message(conversation, "assistant", text + " reply")
    print(index, flush=True)
    index += 1
"""


def test_acknowledged_messages_survive_sigkill(tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    with Store.create(tmp_path, PASSPHRASE, CHEAP) as new:
        conversation = new.new_conversation("durable").id
    acknowledged: list[int] = []
    for _round in range(4):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), PASSPHRASE, str(conversation), str(len(acknowledged))],
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        assert child.stdout is not None
        acknowledged.append(int(child.stdout.readline()))  # writing has begun
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(child.pid, signal.SIGKILL)
        rest = child.stdout.read()
        child.wait()
        acknowledged += [int(line) for line in rest.split("\n")[:-1]]  # complete lines only

        with Store.open(tmp_path, PASSPHRASE) as reopened:
            reopened.verify()  # SQLCipher's page HMACs and SQLite's integrity_check
            stored = texts(reopened.messages(conversation, limit=None))
        assert len(stored) % 2 == 0, f"half a turn stored (seed {seed})"
        indexes = [int(text.split()[1]) for text in stored[::2]]
        assert indexes[: len(acknowledged)] == acknowledged, f"an acknowledged turn was lost (seed {seed})"
        assert all(reply == asked + " reply" for asked, reply in zip(stored[::2], stored[1::2], strict=True))
        acknowledged = indexes  # a turn committed but not yet acknowledged is kept too


def test_a_history_from_schema_1_keeps_every_message_and_gains_the_clinical_columns(tmp_path: Path,
                                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.engine.history import schema
    from desktop_app.engine.history import store as store_module
    from desktop_app.engine.messages import Origin

    monkeypatch.setattr(store_module, "MIGRATIONS", schema.MIGRATIONS[:1])
    with Store.create(tmp_path, PASSPHRASE, CHEAP) as old:
        conversation = old.new_conversation("from last year")
        db = old._db()
        scores = json.dumps({"intent": {"sleep": 0.9}, "risk": {"none": 0.8, "concern": 0.15, "crisis": 0.05}})
        db.execute("INSERT INTO messages(conversation_id, parent_id, depth, role, text, time, intent, risk, scores, model)"
                   " VALUES (?, NULL, 0, 'user', 'I sleep badly', '2025-01-01T00:00:00.000+00:00', 'sleep', 'none', ?, 'minilm')",
                   (conversation.id, scores))
        db.execute("INSERT INTO messages(conversation_id, parent_id, depth, role, text, time, model)"
                   " VALUES (?, 1, 1, 'assistant', 'That sounds tiring.', '2025-01-01T00:00:01.000+00:00', 'gemma')", (conversation.id,))
        db.execute("UPDATE conversations SET leaf_id = 2")
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    monkeypatch.undo()

    with Store.open(tmp_path, PASSPHRASE) as migrated:
        assert migrated._db().execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS) == 3
        user, reply = migrated.messages(conversation.id)
        assert (user.text, reply.text) == ("I sleep badly", "That sounds tiring.")
        assert user.triage == Triage("sleep", "none", {"sleep": 0.9}, {"none": 0.8, "concern": 0.15, "crisis": 0.05})
        assert reply.origin is None and reply.model == "gemma"
        judged = Triage("sleep", "concern", {"sleep": 0.7}, {"concern": 0.6}, ("classifier: concern",), True, "medication")
        asked = migrated.add_message(conversation.id, "user", "and my pills?", triage=judged, model="minilm")
        answered = migrated.add_message(conversation.id, "assistant", "I can't advise on medication.",
                                        origin=Origin("boundary", "boundary: medication", "GB"), model="fixed")
        assert migrated.message(asked.id).triage == judged
        assert migrated.message(answered.id).origin == Origin("boundary", "boundary: medication", "GB")
        migrated.verify()
    with Store.open(tmp_path, PASSPHRASE) as reopened:
        assert len(reopened.messages(conversation.id)) == 4


def test_a_history_in_memory_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    memory = Store.in_memory()
    conversation = memory.new_conversation("not saved")
    first = memory.add_message(conversation.id, "user", "hello", triage=TRIAGE)
    memory.replace(first.id, "hello again", triage=TRIAGE)
    assert [m.text for m in memory.messages(conversation.id)] == ["hello again"]
    assert memory.search("again")[0].message_id != first.id
    assert not memory.saved and list(tmp_path.iterdir()) == []
    with pytest.raises(StoreError, match="not saved"):
        memory.change_passphrase("new")
    memory.lock()
    with pytest.raises(StoreClosed):
        memory.conversations()
