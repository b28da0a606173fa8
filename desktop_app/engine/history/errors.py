"""The history's errors, and SQLite and OS failures translated into them: one line each for the user."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from desktop_app.engine.errors import HavenError


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
def reported() -> Iterator[None]:
    """SQLite and OS failures as the store's errors, one line each."""
    import sqlcipher3  # with the history, not with the window

    try:
        yield
    except sqlcipher3.Error as exc:
        translated = _translated(exc)
        if translated is exc:
            raise
        raise translated from exc
    except OSError as exc:
        raise StoreUnavailable(f"cannot use the history files: {exc.strerror or exc}") from exc
