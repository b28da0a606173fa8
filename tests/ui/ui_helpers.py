"""Driving the window over the real engine in tests: unlock, send, wait for a redraw."""

from __future__ import annotations

from pathlib import Path

from desktop_app.engine.api import Reply
from desktop_app.ui.window import MainWindow

TIMEOUT_MS = 90_000
PASSPHRASE = "tea and toast at dawn"


def unlock_with(qtbot, window: MainWindow, passphrase: str = PASSPHRASE, again: str | None = None) -> None:
    page = window.unlock_page
    page.passphrase.setText(passphrase)
    page.again.setText(passphrase if again is None else again)
    page.button.click()


def opened(qtbot, data: Path, passphrase: str = PASSPHRASE) -> MainWindow:
    window = MainWindow(country="GB", data_dir=data)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.unlocked, timeout=TIMEOUT_MS):
        unlock_with(qtbot, window, passphrase)
    qtbot.waitUntil(lambda: window.session is not None, timeout=TIMEOUT_MS)
    return window


def send(qtbot, window: MainWindow, text: str) -> Reply:
    window.composer.editor.setPlainText(text)
    with qtbot.waitSignal(window.replied, timeout=TIMEOUT_MS) as blocker:
        window.composer.send_button.click()
    return blocker.args[0]


def sidebar_texts(window: MainWindow) -> list[str]:
    return [window.sidebar.list.item(i).text() for i in range(window.sidebar.list.count())]
