"""App-wide watchers for a person's safety at the keyboard: Shift pressed three times (quick exit, as
GOV.UK's "Exit this page" does; Esc is taken by too many things) and no input for a while (idle lock)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent

TRIPLE_SHIFT_SECONDS = 1.5  # three presses of Shift within this time
INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
                          QEvent.Type.TouchBegin, QEvent.Type.TabletPress})


class TripleShift(QObject):
    """`pressed` fires when Shift is pressed three times in a row, with no other key between."""

    pressed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._presses: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A key press passes through the window and the focus widget's parents too: count it once, at the focus.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and not event.isAutoRepeat() \
                and watched is QGuiApplication.focusObject():
            self._key(event.key())
        return False

    def _key(self, key: int) -> None:
        if key != Qt.Key.Key_Shift:
            self._presses.clear()
            return
        now = time.monotonic()
        self._presses = [t for t in self._presses if now - t <= TRIPLE_SHIFT_SECONDS] + [now]
        if len(self._presses) >= 3:
            self._presses.clear()
            self.pressed.emit()


class IdleWatch(QObject):
    """`idle` fires after `minutes` with no keyboard, mouse or touch input anywhere in the app (0: never)."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.idle)

    def set_minutes(self, minutes: float) -> None:
        if minutes > 0:
            self._timer.setInterval(int(minutes * 60_000))
            self._timer.start()
        else:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self._timer.interval() > 0 and self._timer.isActive():
            self._timer.start()  # restarts the count
        return False
