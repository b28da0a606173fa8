"""Opening the database with a key derived from the passphrase, without changing any file on failure."""

from __future__ import annotations

import sqlcipher3

from desktop_app.engine.history.errors import StoreDamaged, StoreUnavailable, WrongPassphrase, reported
from desktop_app.engine.history.files import KEYS_NAME, HistoryFiles
from desktop_app.engine.history.keys import KeyFile, KeySlot, read_keyfile, zero
from desktop_app.engine.history.schema import SCHEMA_VERSION


def connect(target: str, key: bytearray, *, uri: bool = False) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher would print decryption failures to stderr
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


class _KeyRejected(Exception):
    """The key does not open the database (wrong key, or page 1 damaged)."""


def _check_untouched(files: HistoryFiles, key: bytearray) -> None:
    """Check the database with a connection that cannot write, so a failure changes no file."""
    wal = files.db.with_name(files.db.name + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    # immutable=1 creates no -wal or -shm file; after a crash the WAL must be read, read-only.
    target = f"{files.db.absolute().as_uri()}?{'mode=ro' if has_wal else 'immutable=1'}"
    with reported():
        conn = connect(target, key, uri=True)
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
    if version > SCHEMA_VERSION:
        raise StoreDamaged("the history was written by a newer version of Haven")


def opens(files: HistoryFiles, key: bytearray) -> bool:
    """Whether the key decrypts the database's first page (read-only, while the store holds it open)."""
    conn = connect(f"{files.db.absolute().as_uri()}?mode=ro", key, uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def read_keys(files: HistoryFiles) -> KeyFile:
    if not files.db.exists():
        raise StoreDamaged(f"the history database is missing from {files.folder}")
    try:
        return read_keyfile(files.keys)
    except FileNotFoundError:
        raise StoreDamaged(f"{KEYS_NAME} is missing: the history cannot be decrypted") from None
    except ValueError as exc:
        raise StoreDamaged(f"the history parameters file is damaged ({exc})") from None
    except OSError as exc:
        raise StoreUnavailable(f"cannot read {files.keys}: {exc.strerror}") from None


def open_with(files: HistoryFiles, keyfile: KeyFile, passphrase: str) -> tuple[bytearray, KeySlot]:
    """The key that opens the database, and its slot (the new one after an interrupted change)."""
    matched = False
    for slot in (s for s in (keyfile.active, keyfile.pending) if s is not None):
        key = slot.unlock(passphrase)
        if key is None:
            continue
        matched = True
        try:
            _check_untouched(files, key)
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
