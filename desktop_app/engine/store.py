"""The encrypted conversation history: a SQLCipher 4 database under a key derived from the passphrase.

Files in the data folder: history.db (with -wal and -shm while open), keys.json (salt and Argon2
costs, see keys.py) and history.lock (an OS lock: one instance at a time). A Store is one unlocked
history. Its calls block, so the UI makes them from a worker thread; each holds one lock, so there
is one writer and a reader never sees half a turn. Nothing here logs message text or titles.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import secrets
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

import sqlcipher3

from desktop_app.engine.errors import HavenError
from desktop_app.engine.keys import KdfParams, KeyFile, KeySlot, fsync_dir, read_keyfile, write_keyfile, zero

log = logging.getLogger(__name__)

DB_NAME = "history.db"
KEYS_NAME = "keys.json"
LOCK_NAME = "history.lock"
FORGOTTEN_PASSPHRASE = (
    "If you forget the passphrase, the history cannot be recovered: nothing that could unlock it is kept."
)

Role = Literal["user", "assistant"]

# SQLCipher turns secure_delete on for keyed databases already; it is said here as the history needs it.
# synchronous=FULL syncs the WAL at every commit, so a committed message survives even a power cut.
PRAGMAS = ("journal_mode = WAL", "synchronous = FULL", "secure_delete = ON", "foreign_keys = ON", "temp_store = MEMORY")

MIGRATIONS = (
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        leaf_id INTEGER  -- the newest message of the active branch
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
        depth INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        text TEXT NOT NULL,
        time TEXT NOT NULL,
        intent TEXT,
        risk TEXT,
        scores TEXT,
        model TEXT
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id);
    CREATE INDEX messages_by_parent ON messages(parent_id);
    CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    -- deleted messages leave the index at once rather than at the next merge
    INSERT INTO messages_fts(messages_fts, rank) VALUES ('secure-delete', 1);
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    """,
)


class StoreError(HavenError):
    """The history cannot do what was asked; the message is one line for the user."""


class WrongPassphrase(StoreError):
    def __init__(self) -> None:
        super().__init__("wrong passphrase")


class StoreDamaged(StoreError):
    """The database or its parameters file is damaged or was modified; it is left untouched."""


class StoreLocked(StoreError):
    """Another instance of Haven has the history open."""


class StoreUnavailable(StoreError):
    """The disk is full or read-only, or the files cannot be reached."""


class NoStore(StoreError):
    """No history exists in the data folder yet."""


class NotFound(StoreError, LookupError):
    """No conversation or message with that id."""


class StoreClosed(StoreError):
    """The store was locked; open it again with the passphrase."""


@dataclass(frozen=True)
class Triage:
    """The triage labels of a message (see facade.Assessment)."""

    intent: str
    risk: str
    scores: Mapping[str, float] = field(default_factory=dict)
    risk_scores: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, item: Mapping[str, Any]) -> Triage:
        """From an Assessment.as_dict() (other fields are ignored)."""
        return cls(item["intent"], item["risk"], dict(item.get("scores", {})), dict(item.get("risk_scores", {})))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    parent_id: int | None
    role: Role
    text: str
    time: str
    triage: Triage | None
    model: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "parent_id": self.parent_id,
            "role": self.role,
            "time": self.time,
            "text": self.text,
            "triage": self.triage.as_dict() if self.triage else None,
            "model": self.model,
        }


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created: str
    updated: str
    messages: int  # on the active branch

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    message_id: int
    title: str
    time: str
    snippet: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


_SQLITE_UNAVAILABLE = {
    3: "permission denied",
    8: "the disk is read-only",
    10: "disk I/O error",
    13: "the disk is full",
    14: "cannot open the database file",
}
_SQLITE_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_SQLITE_BUSY = {5, 6}


def _translated(exc: Exception) -> Exception:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in _SQLITE_UNAVAILABLE:
        return StoreUnavailable(f"cannot write the history: {_SQLITE_UNAVAILABLE[code]}")
    if code in _SQLITE_DAMAGED:
        return StoreDamaged("the history database is damaged or was modified")
    if code in _SQLITE_BUSY:
        return StoreLocked("the history is in use by another instance of Haven")
    return exc


@contextlib.contextmanager
def _reported() -> Iterator[None]:
    """SQLite and OS failures as the store's errors, one line each."""
    try:
        yield
    except sqlcipher3.Error as exc:
        translated = _translated(exc)
        if translated is exc:
            raise
        raise translated from exc
    except OSError as exc:
        raise StoreUnavailable(f"cannot use the history files: {exc.strerror or exc}") from exc


P = ParamSpec("P")
R = TypeVar("R")


def _guarded(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """Hold the store's lock and report failures as StoreErrors."""

    @functools.wraps(method)
    def run(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._mutex, _reported():
            return method(self, *args, **kwargs)

    return run


class _FileLock:
    """An exclusive OS lock on a file, held while the history is open."""

    def __init__(self, path: Path) -> None:
        try:
            self._file = open(path, "a+b")  # noqa: SIM115 (held until release)
        except OSError as exc:
            raise StoreUnavailable(f"cannot open {path}: {exc.strerror}") from exc
        try:
            self._lock()
        except OSError:
            self._file.close()
            raise StoreLocked("the history is open in another instance of Haven") from None

    def _lock(self) -> None:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(self._file.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        self._file.close()  # closing the file releases the lock


def _connect(target: str, key: bytearray, *, uri: bool = False) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher would print decryption failures to stderr
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


class _KeyRejected(Exception):
    """The key does not open the database (wrong key, or page 1 damaged)."""


def _check_untouched(db: Path, key: bytearray) -> None:
    """Check the database with a connection that cannot write, so a failure changes no file."""
    wal = db.with_name(db.name + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    # immutable=1 creates no -wal or -shm file; after a crash the WAL must be read, read-only.
    target = f"{db.absolute().as_uri()}?{'mode=ro' if has_wal else 'immutable=1'}"
    with _reported():
        conn = _connect(target, key, uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            problems = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
            problems += [row[0] for row in conn.execute("PRAGMA quick_check") if row[0] != "ok"]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlcipher3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", 0) == 26:  # SQLITE_NOTADB: page 1 fails its HMAC
                raise _KeyRejected from None
            raise
        finally:
            conn.close()
    if problems:
        raise StoreDamaged(f"the history database is damaged or was modified ({len(problems)} problems found)")
    if version == 0:
        raise StoreDamaged("the history database is damaged: it holds no history")
    if version > len(MIGRATIONS):
        raise StoreDamaged("the history was written by a newer version of Haven")


def _opens(db: Path, key: bytearray) -> bool:
    """Whether the key decrypts the database's first page (read-only, while the store holds it open)."""
    conn = _connect(f"{db.absolute().as_uri()}?mode=ro", key, uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def _read_keys(paths: _Paths) -> KeyFile:
    if not paths.db.exists():
        raise StoreDamaged(f"the history database is missing from {paths.folder}")
    try:
        return read_keyfile(paths.keys)
    except FileNotFoundError:
        raise StoreDamaged(f"{KEYS_NAME} is missing: the history cannot be decrypted") from None
    except ValueError as exc:
        raise StoreDamaged(f"the history parameters file is damaged ({exc})") from None
    except OSError as exc:
        raise StoreUnavailable(f"cannot read {paths.keys}: {exc.strerror}") from None


def _open_with(paths: _Paths, keyfile: KeyFile, passphrase: str) -> tuple[bytearray, KeySlot]:
    """The key that opens the database, and its slot (the new one after an interrupted change)."""
    matched = False
    for slot in (s for s in (keyfile.active, keyfile.pending) if s is not None):
        key = slot.unlock(passphrase)
        if key is None:
            continue
        matched = True
        try:
            _check_untouched(paths.db, key)
        except _KeyRejected:
            zero(key)
            continue
        except BaseException:
            zero(key)
            raise
        return key, slot
    if matched and keyfile.pending is None:
        raise StoreDamaged("the history database is damaged or was modified (it cannot be decrypted)")
    raise WrongPassphrase()


@dataclass(frozen=True)
class _Paths:
    folder: Path

    @property
    def db(self) -> Path:
        return self.folder / DB_NAME

    @property
    def keys(self) -> Path:
        return self.folder / KEYS_NAME

    @property
    def lock(self) -> Path:
        return self.folder / LOCK_NAME

    def database_files(self) -> list[Path]:
        return [self.db, self.db.with_name(DB_NAME + "-wal"), self.db.with_name(DB_NAME + "-shm")]


_MESSAGE_COLUMNS = "id, conversation_id, parent_id, role, text, time, intent, risk, scores, model"
_CONVERSATION_QUERY = """
    SELECT c.id, c.title, c.created, c.updated, coalesce(m.depth + 1, 0)
    FROM conversations c LEFT JOIN messages m ON m.id = c.leaf_id
"""


def _qualified(table: str) -> str:
    return ", ".join(f"{table}.{column}" for column in _MESSAGE_COLUMNS.split(", "))


def _message(row: tuple[Any, ...]) -> Message:
    id_, conversation_id, parent_id, role, text, time, intent, risk, scores, model = row
    triage = None
    if intent is not None:
        both = json.loads(scores)
        triage = Triage(intent, risk, both["intent"], both["risk"])
    return Message(id_, conversation_id, parent_id, role, text, time, triage, model)


class Store:
    """An unlocked history. Create or open one with Store.create / Store.open; lock() closes it."""

    def __init__(self, paths: _Paths, slot: KeySlot, key: bytearray, file_lock: _FileLock) -> None:
        self._paths = paths
        self._slot = slot
        self._key = key
        self._file_lock: _FileLock | None = file_lock
        self._conn: sqlcipher3.Connection | None = None
        self._mutex = threading.RLock()
        self._depth = 0  # nesting of transaction()

    def _open_connection(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlcipher3.Error):
                self._conn.close()
            self._conn = None
        self._conn = _connect(str(self._paths.db), self._key)
        for pragma in PRAGMAS:
            self._conn.execute(f"PRAGMA {pragma}")

    def _start(self, keyfile_settled: bool) -> None:
        with _reported():
            self._open_connection()
            if not keyfile_settled:  # a passphrase change was interrupted: keep the key that opened it
                write_keyfile(self._paths.keys, KeyFile(self._slot))
        self._migrate()

    @staticmethod
    def exists(data_dir: Path) -> bool:
        paths = _Paths(Path(data_dir))
        return paths.db.exists() or paths.keys.exists()

    @classmethod
    def create(cls, data_dir: Path, passphrase: str, params: KdfParams | None = None) -> Store:
        """A new, empty history in data_dir (see FORGOTTEN_PASSPHRASE)."""
        if not passphrase:
            raise ValueError("empty passphrase")
        paths = _Paths(Path(data_dir))
        with _reported():
            paths.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        file_lock = _FileLock(paths.lock)
        if cls.exists(paths.folder):
            file_lock.release()
            raise StoreError(f"a history already exists in {paths.folder}")
        slot, key = KeySlot.new(passphrase, params or KdfParams())
        store = cls(paths, slot, key, file_lock)
        try:
            with _reported():
                write_keyfile(paths.keys, KeyFile(slot))
                os.close(os.open(paths.db, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # -wal, -shm inherit 0600
            store._start(keyfile_settled=True)
        except BaseException:
            store.lock()
            for path in (*paths.database_files(), paths.keys):
                path.unlink(missing_ok=True)
            raise
        log.info("history created")
        return store

    @classmethod
    def open(cls, data_dir: Path, passphrase: str) -> Store:
        """Unlock an existing history. Every failure leaves the files as they were."""
        paths = _Paths(Path(data_dir))
        if not cls.exists(paths.folder):
            raise NoStore(f"no history in {paths.folder}")
        file_lock = _FileLock(paths.lock)
        try:
            keyfile = _read_keys(paths)
            key, slot = _open_with(paths, keyfile, passphrase)
        except BaseException:
            file_lock.release()
            raise
        store = cls(paths, slot, key, file_lock)
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
                for statement in _statements(script):
                    self._db().execute(statement)
                self._db().execute(f"PRAGMA user_version = {number}")
            log.info("history schema migrated to version %d", number)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside are committed together or not at all: use it to write a whole turn."""
        with self._mutex, _reported():
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
        now = _now()
        with self.transaction():
            cursor = self._db().execute(
                "INSERT INTO conversations(title, created, updated) VALUES (?, ?, ?)", (title, now, now)
            )
        return Conversation(cursor.lastrowid, title, now, now, 0)

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
    def add_message(
        self, conversation_id: int, role: Role, text: str, *, triage: Triage | None = None, model: str | None = None
    ) -> Message:
        """Append a message to the conversation's active branch."""
        leaf = self._db().execute("SELECT leaf_id FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if leaf is None:
            raise NotFound(f"no conversation {conversation_id}")
        return self._insert(conversation_id, leaf[0], role, text, triage, model)

    @_guarded
    def replace(self, message_id: int, text: str, *, triage: Triage | None = None, model: str | None = None) -> Message:
        """Edit a user message or regenerate a reply: the new version becomes a sibling of the old one
        and ends the active branch; the old one and what followed it remain as another branch."""
        old = self._message(message_id)
        return self._insert(old.conversation_id, old.parent_id, old.role, text, triage, model)

    def _insert(
        self,
        conversation_id: int,
        parent_id: int | None,
        role: Role,
        text: str,
        triage: Triage | None,
        model: str | None,
    ) -> Message:
        if role not in ("user", "assistant"):
            raise ValueError(f"unknown role {role!r}")
        now = _now()
        intent, risk, scores = None, None, None
        if triage:
            intent, risk = triage.intent, triage.risk
            scores = json.dumps({"intent": dict(triage.scores), "risk": dict(triage.risk_scores)})
        with self.transaction():
            conn = self._db()
            depth = conn.execute("SELECT depth + 1 FROM messages WHERE id = ?", (parent_id,)).fetchone()
            cursor = conn.execute(
                "INSERT INTO messages(conversation_id, parent_id, depth, role, text, time, intent, risk, scores, model)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, parent_id, depth[0] if depth else 0, role, text, now, intent, risk, scores, model),
            )
            conn.execute(
                "UPDATE conversations SET leaf_id = ?, updated = ? WHERE id = ?",
                (cursor.lastrowid, now, conversation_id),
            )
        return Message(cursor.lastrowid, conversation_id, parent_id, role, text, now, triage, model)

    def _message(self, message_id: int) -> Message:
        row = self._db().execute(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise NotFound(f"no message {message_id}")
        return _message(row)

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
            f"""WITH RECURSIVE branch({_MESSAGE_COLUMNS}, depth) AS (
                    SELECT {_MESSAGE_COLUMNS}, depth FROM messages WHERE id = ?
                    UNION ALL
                    SELECT {_qualified('m')}, m.depth FROM messages m JOIN branch b ON m.id = b.parent_id
                    LIMIT ?
                )
                SELECT {_MESSAGE_COLUMNS} FROM branch ORDER BY depth""",
            (start[0], -1 if limit is None else limit),
        )
        return [_message(row) for row in rows]

    @_guarded
    def siblings(self, message_id: int) -> list[Message]:
        """The versions of a message (itself included), oldest first."""
        message = self._message(message_id)
        rows = self._db().execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY id",
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
    def export(self, conversation_id: int, fmt: Literal["md", "json"]) -> str:
        """The conversation's active branch as Markdown or JSON, with triage labels per message.
        The result is plaintext: write it only where the user chose."""
        if fmt not in ("md", "json"):
            raise ValueError(f"unknown export format {fmt!r}")
        conversation = self.conversation(conversation_id)
        messages = self.messages(conversation_id, limit=None)
        log.info("conversation exported")
        if fmt == "md":
            return _markdown(conversation, messages)
        item = {**conversation.as_dict(), "exported": _now(), "messages": [m.as_dict() for m in messages]}
        return json.dumps(item, ensure_ascii=False, indent=2) + "\n"

    @_guarded
    def change_passphrase(self, new_passphrase: str, params: KdfParams | None = None) -> None:
        """Re-encrypt the database under a key from the new passphrase and a new salt."""
        if not new_passphrase:
            raise ValueError("empty passphrase")
        slot, key = KeySlot.new(new_passphrase, params or self._slot.params)
        # The new slot is written beside the old one first: wherever a crash or a full disk stops
        # this, one of the two passphrases opens the history (and Store.open settles on it).
        try:
            write_keyfile(self._paths.keys, KeyFile(self._slot, slot))
            self._db().execute(f"PRAGMA rekey = \"x'{key.hex()}'\"")
            # SQLCipher answers "ok" even when the rekey failed; page 1 under the new key proves it committed.
            if not _opens(self._paths.db, key):
                raise StoreUnavailable("cannot change the passphrase: the disk is full or read-only (nothing changed)")
        except BaseException:
            zero(key)
            self._open_connection()  # a failed rekey breaks the connection; the file is still under the old key
            with contextlib.suppress(OSError):
                write_keyfile(self._paths.keys, KeyFile(self._slot))
            raise
        zero(self._key)
        self._slot, self._key = slot, key
        with contextlib.suppress(OSError):  # failing here is harmless: Store.open settles on the new slot
            write_keyfile(self._paths.keys, KeyFile(slot))
        log.info("passphrase changed")
        self._empty_wal()  # pages under the old key go: the old passphrase may be why it was changed

    def _empty_wal(self) -> None:
        """Copy the WAL into the database and truncate it. What was asked is already committed, so a
        failure (disk full) is not reported: the next checkpoint, at the latest on lock, does it."""
        try:
            self._db().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlcipher3.Error as exc:
            log.info("checkpoint deferred (%s)", getattr(exc, "sqlite_errorname", "error"))

    @_guarded
    def verify(self) -> None:
        """Run SQLCipher's and SQLite's full integrity checks; StoreDamaged if either fails."""
        problems = [row[0] for row in self._db().execute("PRAGMA cipher_integrity_check")]
        problems += [row[0] for row in self._db().execute("PRAGMA integrity_check") if row[0] != "ok"]
        if problems:
            raise StoreDamaged(f"the history database is damaged ({len(problems)} problems)")

    def lock(self) -> None:
        """Close the database and zero the key. Safe to call twice."""
        with self._mutex:
            if self._file_lock is None:
                return
            try:
                if self._conn is not None:
                    self._conn.close()
            finally:
                self._conn = None
                zero(self._key)
                self._file_lock.release()
                self._file_lock = None
            log.info("history locked")

    def wipe(self) -> None:
        """Lock, then delete the whole history (the UI confirms first)."""
        self.lock()
        wipe(self._paths.folder)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.lock()


def wipe(data_dir: Path) -> None:
    """Delete the history in data_dir without its passphrase (it may be forgotten)."""
    paths = _Paths(Path(data_dir))
    file_lock = _FileLock(paths.lock)
    try:
        # The salt goes first: without it no passphrase opens a copy of the database left on the disk.
        with contextlib.suppress(OSError):
            paths.keys.write_bytes(secrets.token_bytes(paths.keys.stat().st_size))
        with _reported():
            for path in (paths.keys, *paths.database_files()):
                path.unlink(missing_ok=True)
            fsync_dir(paths.folder)
    finally:
        file_lock.release()
    log.info("history wiped")


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration script (triggers hold semicolons of their own)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlcipher3.complete_statement(statement):
            yield statement.strip()
            statement = ""


def _markdown(conversation: Conversation, messages: list[Message]) -> str:
    lines = [
        f"# {conversation.title or 'Untitled conversation'}",
        "",
        f"Exported from Haven on {_now()}. This file is not encrypted: anyone who can open it can read it.",
        f"Created {conversation.created}, updated {conversation.updated}, {len(messages)} messages.",
        "",
    ]
    for message in messages:
        labels = [message.time]
        if message.triage:
            labels.append(f"intent `{message.triage.intent}`, risk `{message.triage.risk}`")
        if message.model:
            labels.append(f"model `{message.model}`")
        lines += [f"**{'You' if message.role == 'user' else 'Haven'}** · {' · '.join(labels)}", ""]
        lines += [f"> {line}" if line else ">" for line in message.text.split("\n")]
        lines.append("")
    return "\n".join(lines)
