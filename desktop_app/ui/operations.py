"""Background operations that report back on the GUI thread (after Anki's aqt/operations).

Long work (loading models, triage, later generation) runs on a QThreadPool; its
result or failure comes back through a signal, so slots always run on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


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
    """Runs work off the GUI thread; one pool per window, drained when the window closes."""

    def __init__(self, parent: QObject | None = None, threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._running: set[_Operation] = set()

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None],
        describe_error: Callable[[Exception], str] = _error_kind,
    ) -> None:
        operation = _Operation(work, describe_error)
        operation.setAutoDelete(False)
        self._running.add(operation)
        # Forget the operation first, so a callback may start the next one.
        operation.signals.succeeded.connect(lambda _r: self._running.discard(operation))
        operation.signals.failed.connect(lambda _e: self._running.discard(operation))
        operation.signals.succeeded.connect(on_success)
        operation.signals.failed.connect(on_failure)
        self.pool.start(operation)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every operation has finished (on close, and in tests)."""
        return self.pool.waitForDone(msecs)
