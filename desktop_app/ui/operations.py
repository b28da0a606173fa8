"""Background operations that report back on the GUI thread (after Anki's aqt/operations).

Work runs in lanes, each a QThreadPool of one thread, so the operations of a lane run one after
another, in the order given, and a lane never waits for another: the models lane (loading models,
replies) and the store lane (the history: unlock, lists, search). A result or a failure comes back
through a signal, so callbacks always run on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Lane(Enum):
    MODELS = "models"
    STORE = "store"


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(str)


class _Operation(QRunnable):
    def __init__(self, work: Callable[[], Any], describe_error: Callable[[Exception], str]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._work = work
        self._describe_error = describe_error

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # reported to the GUI, which shows it; nothing is lost silently
            self.signals.failed.emit(self._describe_error(exc))
        else:
            self.signals.succeeded.emit(result)


def _error_kind(exc: Exception) -> str:
    """An error description with no message text: exception messages may quote input."""
    return type(exc).__name__


class Operations(QObject):
    """Runs work off the GUI thread, in lanes; drained when the window closes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[Lane, QThreadPool] = {}
        for lane in Lane:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            self._pools[lane] = pool
        self._pending: dict[Lane, set[_Operation]] = {lane: set() for lane in Lane}

    def run(
        self,
        lane: Lane,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None],
        describe_error: Callable[[Exception], str] = _error_kind,
    ) -> None:
        operation = _Operation(work, describe_error)
        operation.setAutoDelete(False)
        pending = self._pending[lane]
        pending.add(operation)
        # Forget the operation first, so a callback may start the next one.
        operation.signals.succeeded.connect(lambda _r: pending.discard(operation))
        operation.signals.failed.connect(lambda _e: pending.discard(operation))
        operation.signals.succeeded.connect(on_success)
        operation.signals.failed.connect(on_failure)
        self._pools[lane].start(operation)

    def busy(self, lane: Lane) -> bool:
        """Whether the lane has work queued or running whose result has not come back yet."""
        return bool(self._pending[lane])

    def wait(self, msecs: int = -1) -> bool:
        """Block until every lane has finished its work (on close, and in tests)."""
        return all(pool.waitForDone(msecs) for pool in self._pools.values())

    def idle(self) -> bool:
        return all(pool.activeThreadCount() == 0 for pool in self._pools.values())
