"""The encrypted conversation history: a SQLCipher 4 database under a key derived from the passphrase.

A Store is one unlocked history (see files.py for its files). Its calls block, so the UI makes them
from a worker thread; each holds one lock, so there is one writer and a reader never sees half a
turn. A conversation is a tree: editing a message or regenerating a reply adds a sibling version,
and the conversation's leaf marks its active branch. `Store.in_memory()` is the same history in RAM,
unencrypted and never written anywhere, for a conversation the person chose not to save. Nothing
here logs message text or titles.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import sqlcipher3

from desktop_app.engine.history.errors import NoStore, NotFound, StoreClosed, StoreDamaged, StoreError, StoreUnavailable, reported
from desktop_app.engine.history.export import ExportFormat, exported
from desktop_app.engine.history.files import FileLock, HistoryFiles, history_exists
from desktop_app.engine.history.keys import KdfParams, KeyFile, KeySlot, fsync_dir, write_keyfile, zero
from desktop_app.engine.history.records import Conversation, SearchHit, now
from desktop_app.engine.history.safety_plan import SafetyPlan
from desktop_app.engine.history.schema import MIGRATIONS, PRAGMAS, statements
from desktop_app.engine.history.unlock import connect, open_with, opens, read_keys
from desktop_app.engine.messages import Message, Origin, Role, Triage

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


def _guarded(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """Hold the store's lock and report failures as StoreErrors."""

    @functools.wraps(method)
    def run(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._mutex, reported():
            return method(self, *args, **kwargs)

    return run


_COLUMNS = "id, conversation_id, parent_id, role, text, time, intent, risk, scores, model, policy, action, note, lines"
# A message's place among its siblings: the versions of the same turn.
_VERSIONS = """,
    (SELECT count(*) FROM messages s WHERE s.conversation_id = {t}.conversation_id AND s.parent_id IS {t}.parent_id
        AND s.id <= {t}.id),
    (SELECT count(*) FROM messages s WHERE s.conversation_id = {t}.conversation_id AND s.parent_id IS {t}.parent_id)"""
_CONVERSATION_QUERY = """
    SELECT c.id, c.title, c.created, c.updated, coalesce(m.depth + 1, 0)
    FROM conversations c LEFT JOIN messages m ON m.id = c.leaf_id
"""


def _qualified(table: str) -> str:
    return ", ".join(f"{table}.{column}" for column in _COLUMNS.split(", "))


def _message(row: tuple[Any, ...]) -> Message:
    id_, conversation_id, parent_id, role, text, time, intent, risk, scores, model, policy, action, note, lines, *place = row
    triage = None
    if intent is not None:
        both = json.loads(scores)
        judged = json.loads(policy) if policy else {}
        triage = Triage(intent, risk, both["intent"], both["risk"], tuple(judged.get("reasons", ())),
                        bool(judged.get("by_context", False)), judged.get("boundary"))
    origin = Origin(action, note or "", lines) if action else None
    version, versions = place or (1, 1)
    return Message(id_, conversation_id, parent_id, role, text, time, triage, origin, model, version, versions)


def _labels(triage: Triage | None, origin: Origin | None) -> tuple[Any, ...]:
    """The columns of a message's triage and origin."""
    intent = risk = scores = policy = None
    if triage:
        intent, risk = triage.intent, triage.risk
        scores = json.dumps({"intent": dict(triage.scores), "risk": dict(triage.risk_scores)})
        policy = json.dumps({"reasons": list(triage.reasons), "by_context": triage.by_context, "boundary": triage.boundary})
    action, note, lines = (origin.action, origin.note, origin.lines) if origin else (None, None, None)
    return intent, risk, scores, policy, action, note, lines


@dataclass
class _Vault:
    """What an on-disk history holds while unlocked: its files, its key and slot, and the OS lock."""

    files: HistoryFiles
    slot: KeySlot
    key: bytearray
    file_lock: FileLock


class Store:
    """An unlocked history. Create or open one with Store.create / Store.open (or Store.in_memory);
    lock() closes it."""

    def __init__(self, vault: _Vault | None) -> None:
        self._vault = vault
        self._conn: sqlcipher3.Connection | None = None
        self._mutex = threading.RLock()
        self._depth = 0  # nesting of transaction()
        self._closed = False

    def _open_connection(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlcipher3.Error):
                self._conn.close()
            self._conn = None
        if self._vault is None:
            self._conn = sqlcipher3.connect(":memory:", isolation_level=None, check_same_thread=False)
        else:
            self._conn = connect(str(self._vault.files.db), self._vault.key)
        for pragma in PRAGMAS:
            self._conn.execute(f"PRAGMA {pragma}")

    def _start(self, keyfile_settled: bool = True) -> None:
        with reported():
            self._open_connection()
            if not keyfile_settled and self._vault:  # a passphrase change was interrupted: keep the key that opened it
                write_keyfile(self._vault.files.keys, KeyFile(self._vault.slot))
        self._migrate()

    @property
    def saved(self) -> bool:
        """Whether this history is on disk (False for Store.in_memory())."""
        return self._vault is not None

    @classmethod
    def in_memory(cls) -> Store:
        """A history in RAM only: unencrypted, never written to disk, gone when locked."""
        store = cls(None)
        store._start()
        return store

    @classmethod
    def create(cls, data_dir: Path, passphrase: str, params: KdfParams | None = None) -> Store:
        """A new, empty history in data_dir (see FORGOTTEN_PASSPHRASE)."""
        if not passphrase:
            raise ValueError("empty passphrase")
        files = HistoryFiles(Path(data_dir))
        with reported():
            files.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        file_lock = FileLock(files.lock)
        if files.exist():
            file_lock.release()
            raise StoreError(f"a history already exists in {files.folder}")
        slot, key = KeySlot.new(passphrase, params or KdfParams())
        store = cls(_Vault(files, slot, key, file_lock))
        try:
            with reported():
                write_keyfile(files.keys, KeyFile(slot))
                os.close(os.open(files.db, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # -wal, -shm inherit 0600
            store._start()
        except BaseException:
            store.lock()
            for path in (*files.database_files(), files.keys):
                path.unlink(missing_ok=True)
            raise
        log.info("history created")
        return store

    @classmethod
    def open(cls, data_dir: Path, passphrase: str) -> Store:
        """Unlock an existing history. Every failure leaves the files as they were."""
        files = HistoryFiles(Path(data_dir))
        if not files.exist():
            raise NoStore(f"no history in {files.folder}")
        file_lock = FileLock(files.lock)
        try:
            keyfile = read_keys(files)
            key, slot = open_with(files, keyfile, passphrase)
        except BaseException:
            file_lock.release()
            raise
        store = cls(_Vault(files, slot, key, file_lock))
        try:
            store._start(keyfile_settled=keyfile.pending is None)
        except BaseException:
            store.lock()
            raise
        log.info("history opened")
        return store

    def _db(self) -> sqlcipher3.Connection:
        if self._conn is None:
            raise StoreClosed("the history is locked")
        return self._conn

    def _migrate(self) -> None:
        version = self._db().execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], version + 1):
            with self.transaction():
                for statement in statements(script):
                    self._db().execute(statement)
                self._db().execute(f"PRAGMA user_version = {number}")
            log.info("history schema migrated to version %d", number)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside are committed together or not at all: use it to write a whole turn."""
        with self._mutex, reported():
            conn = self._db()
            if self._depth:
                yield
                return
            conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    @_guarded
    def new_conversation(self, title: str = "") -> Conversation:
        stamp = now()
        with self.transaction():
            cursor = self._db().execute(
                "INSERT INTO conversations(title, created, updated) VALUES (?, ?, ?)", (title, stamp, stamp)
            )
        return Conversation(cursor.lastrowid, title, stamp, stamp, 0)

    @_guarded
    def conversation(self, conversation_id: int) -> Conversation:
        row = self._db().execute(f"{_CONVERSATION_QUERY} WHERE c.id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise NotFound(f"no conversation {conversation_id}")
        return Conversation(*row)

    @_guarded
    def conversations(self) -> list[Conversation]:
        """All conversations, the most recently updated first."""
        rows = self._db().execute(f"{_CONVERSATION_QUERY} ORDER BY c.updated DESC, c.id DESC")
        return [Conversation(*row) for row in rows]

    @_guarded
    def rename(self, conversation_id: int, title: str) -> Conversation:
        """Give a conversation a new title; its place in the list (by last message) stays."""
        with self.transaction():
            cursor = self._db().execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))
            if cursor.rowcount == 0:
                raise NotFound(f"no conversation {conversation_id}")
        return self.conversation(conversation_id)

    @_guarded
    def add_message(self, conversation_id: int, role: Role, text: str, *, triage: Triage | None = None,
                    origin: Origin | None = None, model: str | None = None) -> Message:
        """Append a message to the conversation's active branch."""
        leaf = self._db().execute("SELECT leaf_id FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if leaf is None:
            raise NotFound(f"no conversation {conversation_id}")
        return self._insert(conversation_id, leaf[0], role, text, _labels(triage, origin), model)

    @_guarded
    def replace(self, message_id: int, text: str, *, triage: Triage | None = None, origin: Origin | None = None,
                model: str | None = None) -> Message:
        """Edit a user message or regenerate a reply: the new version becomes a sibling of the old one
        and ends the active branch; the old one and what followed it remain as another branch."""
        old = self._db().execute("SELECT conversation_id, parent_id, role FROM messages WHERE id = ?", (message_id,)).fetchone()
        if old is None:
            raise NotFound(f"no message {message_id}")
        conversation_id, parent_id, role = old
        return self._insert(conversation_id, parent_id, role, text, _labels(triage, origin), model)

    def _insert(self, conversation_id: int, parent_id: int | None, role: Role, text: str, labels: tuple[Any, ...],
                model: str | None) -> Message:
        if role not in ("user", "assistant"):
            raise ValueError(f"unknown role {role!r}")
        stamp = now()
        intent, risk, scores, policy, action, note, lines = labels
        with self.transaction():
            conn = self._db()
            depth = conn.execute("SELECT depth + 1 FROM messages WHERE id = ?", (parent_id,)).fetchone()
            cursor = conn.execute(
                f"INSERT INTO messages(depth, {_COLUMNS.removeprefix('id, ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (depth[0] if depth else 0, conversation_id, parent_id, role, text, stamp, intent, risk, scores, model,
                 policy, action, note, lines),
            )
            conn.execute("UPDATE conversations SET leaf_id = ?, updated = ? WHERE id = ?", (cursor.lastrowid, stamp, conversation_id))
        return self._message(cursor.lastrowid)

    def _message(self, message_id: int) -> Message:
        row = self._db().execute(f"SELECT {_COLUMNS}{_VERSIONS.format(t='messages')} FROM messages WHERE id = ?",
                                 (message_id,)).fetchone()
        if row is None:
            raise NotFound(f"no message {message_id}")
        return _message(row)

    @_guarded
    def message(self, message_id: int) -> Message:
        return self._message(message_id)

    @_guarded
    def messages(self, conversation_id: int, limit: int | None = 200, before: int | None = None) -> list[Message]:
        """The active branch, oldest first: its newest `limit` messages (all with None), or those
        before the message `before` (for paging back)."""
        if before is None:
            start = self._db().execute("SELECT leaf_id FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if start is None:
                raise NotFound(f"no conversation {conversation_id}")
        else:
            start = self._db().execute(
                "SELECT parent_id FROM messages WHERE id = ? AND conversation_id = ?", (before, conversation_id)
            ).fetchone()
            if start is None:
                raise NotFound(f"no message {before} in conversation {conversation_id}")
        # Walking up from the newest message stops after `limit` rows, whatever the conversation's length.
        rows = self._db().execute(
            f"""WITH RECURSIVE branch({_COLUMNS}, depth) AS (
                    SELECT {_COLUMNS}, depth FROM messages WHERE id = ?
                    UNION ALL
                    SELECT {_qualified('m')}, m.depth FROM messages m JOIN branch b ON m.id = b.parent_id
                    LIMIT ?
                )
                SELECT {_COLUMNS}{_VERSIONS.format(t='branch')} FROM branch ORDER BY depth""",
            (start[0], -1 if limit is None else limit),
        )
        return [_message(row) for row in rows]

    @_guarded
    def siblings(self, message_id: int) -> list[Message]:
        """The versions of a message (itself included), oldest first."""
        message = self._message(message_id)
        rows = self._db().execute(
            f"SELECT {_COLUMNS}{_VERSIONS.format(t='messages')} FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY id",
            (message.conversation_id, message.parent_id),
        )
        return [_message(row) for row in rows]

    @_guarded
    def select(self, message_id: int) -> None:
        """Make the branch through this message active, down to its most recent descendant."""
        message = self._message(message_id)
        leaf = self._db().execute(
            """WITH RECURSIVE below(id) AS (
                   SELECT ? UNION ALL SELECT m.id FROM messages m JOIN below b ON m.parent_id = b.id
               ) SELECT max(id) FROM below""",
            (message_id,),
        ).fetchone()[0]
        with self.transaction():
            self._db().execute("UPDATE conversations SET leaf_id = ? WHERE id = ?", (leaf, message.conversation_id))

    @_guarded
    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Messages holding every word of the query, the best matches first."""
        words = query.split()
        if not words:
            return []
        # Each word is quoted, so FTS5 syntax in what the user typed is searched for, not obeyed.
        match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
        rows = self._db().execute(
            """SELECT m.conversation_id, m.id, c.title, m.time, snippet(messages_fts, 0, '[', ']', '…', 12)
               FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
               JOIN conversations c ON c.id = m.conversation_id
               WHERE messages_fts MATCH ? ORDER BY rank LIMIT ?""",
            (match, limit),
        )
        return [SearchHit(*row) for row in rows]

    @_guarded
    def delete_conversation(self, conversation_id: int) -> None:
        """Delete a conversation; its text leaves the database file, not only the index."""
        with self.transaction():
            cursor = self._db().execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            if cursor.rowcount == 0:
                raise NotFound(f"no conversation {conversation_id}")
        log.info("conversation deleted")
        self._empty_wal()  # secure_delete zeroed the freed space; the old page versions go too

    @_guarded
    def export(self, conversation_id: int, fmt: ExportFormat) -> str:
        """The conversation's active branch as Markdown or JSON, with triage labels per message.
        The result is plaintext: write it only where the user chose."""
        if fmt not in ("md", "json"):
            raise ValueError(f"unknown export format {fmt!r}")
        text = exported(self.conversation(conversation_id), self.messages(conversation_id, limit=None), fmt)
        log.info("conversation exported")
        return text

    @_guarded
    def safety_plan(self) -> SafetyPlan:
        """The person's safety plan (empty until they write one)."""
        rows = self._db().execute("SELECT section, text, updated FROM safety_plan").fetchall()
        return SafetyPlan({section: text for section, text, _updated in rows}, max((row[2] for row in rows), default=""))

    @_guarded
    def save_safety_plan(self, plan: SafetyPlan) -> SafetyPlan:
        """Keep the plan as given: every section is replaced, and an empty one leaves the file."""
        stamp = now()
        with self.transaction():
            conn = self._db()
            conn.execute("DELETE FROM safety_plan")
            conn.executemany("INSERT INTO safety_plan(section, text, updated) VALUES (?, ?, ?)",
                             [(key, text, stamp) for key, text in plan.sections.items() if text.strip()])
        log.info("safety plan saved")
        return self.safety_plan()

    def _vault_or_refuse(self) -> _Vault:
        if self._vault is None:
            raise StoreError("this conversation is not saved: it has no passphrase")
        return self._vault

    @_guarded
    def change_passphrase(self, new_passphrase: str, params: KdfParams | None = None) -> None:
        """Re-encrypt the database under a key from the new passphrase and a new salt."""
        if not new_passphrase:
            raise ValueError("empty passphrase")
        vault = self._vault_or_refuse()
        slot, key = KeySlot.new(new_passphrase, params or vault.slot.params)
        # The new slot is written beside the old one first: wherever a crash or a full disk stops
        # this, one of the two passphrases opens the history (and Store.open settles on it).
        try:
            write_keyfile(vault.files.keys, KeyFile(vault.slot, slot))
            self._db().execute(f"PRAGMA rekey = \"x'{key.hex()}'\"")
            # SQLCipher answers "ok" even when the rekey failed; page 1 under the new key proves it committed.
            if not opens(vault.files, key):
                raise StoreUnavailable("cannot change the passphrase: the disk is full or read-only (nothing changed)")
        except BaseException:
            zero(key)
            self._open_connection()  # a failed rekey breaks the connection; the file is still under the old key
            with contextlib.suppress(OSError):
                write_keyfile(vault.files.keys, KeyFile(vault.slot))
            raise
        zero(vault.key)
        vault.slot, vault.key = slot, key
        with contextlib.suppress(OSError):  # failing here is harmless: Store.open settles on the new slot
            write_keyfile(vault.files.keys, KeyFile(slot))
        log.info("passphrase changed")
        self._empty_wal()  # pages under the old key go: the old passphrase may be why it was changed

    def _empty_wal(self) -> None:
        """Copy the WAL into the database and truncate it. What was asked is already committed, so a
        failure (disk full) is not reported: the next checkpoint, at the latest on lock, does it."""
        if self._vault is None:
            return
        try:
            self._db().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlcipher3.Error as exc:
            log.info("checkpoint deferred (%s)", getattr(exc, "sqlite_errorname", "error"))

    @_guarded
    def verify(self) -> None:
        """Run SQLCipher's and SQLite's full integrity checks; StoreDamaged if either fails."""
        problems = [row[0] for row in self._db().execute("PRAGMA cipher_integrity_check")] if self._vault else []
        problems += [row[0] for row in self._db().execute("PRAGMA integrity_check") if row[0] != "ok"]
        if problems:
            raise StoreDamaged(f"the history database is damaged ({len(problems)} problems)")

    def lock(self) -> None:
        """Close the database and zero the key. Safe to call twice."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            try:
                if self._conn is not None:
                    self._conn.close()
            finally:
                self._conn = None
                if self._vault is not None:
                    zero(self._vault.key)
                    self._vault.file_lock.release()
            log.info("history locked")

    def wipe(self) -> None:
        """Lock, then delete the whole history (the UI confirms first)."""
        vault = self._vault_or_refuse()
        self.lock()
        wipe(vault.files.folder)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.lock()


def wipe(data_dir: Path) -> None:
    """Delete the history in data_dir without its passphrase (it may be forgotten)."""
    files = HistoryFiles(Path(data_dir))
    file_lock = FileLock(files.lock)
    try:
        # The salt goes first: without it no passphrase opens a copy of the database left on the disk.
        with contextlib.suppress(OSError):
            files.keys.write_bytes(secrets.token_bytes(files.keys.stat().st_size))
        with reported():
            for path in (files.keys, *files.database_files()):
                path.unlink(missing_ok=True)
            fsync_dir(files.folder)
    finally:
        file_lock.release()
    log.info("history wiped")


def open_or_create(data_dir: Path, passphrase: Callable[[], str], new_passphrase: Callable[[], str],
                   params: KdfParams | None = None) -> tuple[Store, bool]:
    """The history in data_dir unlocked with `passphrase()`, or, where there is none yet, a new one under
    `new_passphrase()`. True when it was created: the person must then be told FORGOTTEN_PASSPHRASE."""
    if history_exists(data_dir):
        return Store.open(data_dir, passphrase()), False
    return Store.create(data_dir, new_passphrase(), params), True
