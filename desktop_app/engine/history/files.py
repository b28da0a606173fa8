"""The history's files in its data folder, and the OS lock that keeps it to one instance of Haven.

history.db (with -wal and -shm while open), keys.json (salt and Argon2 costs, see keys.py) and
history.lock.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from desktop_app.engine.history.errors import StoreLocked, StoreUnavailable

DB_NAME = "history.db"
KEYS_NAME = "keys.json"
LOCK_NAME = "history.lock"


@dataclass(frozen=True)
class HistoryFiles:
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

    def exist(self) -> bool:
        return self.db.exists() or self.keys.exists()

    def database_files(self) -> list[Path]:
        return [self.db, self.db.with_name(DB_NAME + "-wal"), self.db.with_name(DB_NAME + "-shm")]


def history_exists(data_dir: Path) -> bool:
    """Whether data_dir holds a history (or the start of one), without opening it."""
    return HistoryFiles(Path(data_dir)).exist()


class FileLock:
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
