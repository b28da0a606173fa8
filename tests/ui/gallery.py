"""Screenshots of the window's main states in the light and the dark theme, to look at as a person would.

    QT_QPA_PLATFORM=offscreen python tests/ui/gallery.py OUT_DIR

Runs the real engine with a temporary history and settings, and writes one PNG per state and theme into
OUT_DIR (first run, chat while streaming, versions, a crisis response, search results, settings, unlock).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

PASSPHRASE = "tea and toast at dawn"


def wait(condition: Callable[[], bool], seconds: float = 120) -> None:
    loop, waited = QEventLoop(), 0.0
    while not condition():
        if waited > seconds:
            raise TimeoutError("the window did not reach the state")
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        waited += 0.05


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from desktop_app.ui import appearance

    family = appearance.load_font()
    for theme in ("light", "dark"):
        appearance.apply(app, theme, None, family)
        with tempfile.TemporaryDirectory(prefix="haven-gallery-") as folder:
            os.environ["HAVEN_CONFIG_DIR"] = str(Path(folder) / "config")
            states(app, Path(folder), out, theme)


def states(app: QApplication, folder: Path, out: Path, theme: str) -> None:
    from desktop_app.engine.api import load_settings
    from desktop_app.ui.settings_dialog import SettingsDialog
    from desktop_app.ui.window import MainWindow

    window = MainWindow(country="GB", data_dir=folder / "data")
    window.resize(1100, 720)
    window.show()

    def shot(name: str) -> None:
        app.processEvents()
        window.grab().save(str(out / f"{name}-{theme}.png"))

    page = window.unlock_page
    page.passphrase.setText(PASSPHRASE)
    page.again.setText(PASSPHRASE)
    shot("first-run")
    page.button.click()
    wait(lambda: window.session is not None)
    replies: list[object] = []
    window.replied.connect(replies.append)

    def send(text: str) -> None:
        count = len(replies)
        window.send(text)
        wait(lambda: len(replies) > count)

    pieces: list[str] = []
    window.reply_piece.connect(pieces.append)
    window.send("I've had a really long week and I can't switch off at night")
    wait(lambda: len(pieces) > 6)
    shot("chat-streaming")
    wait(lambda: len(replies) == 1)
    window.regenerate()
    wait(lambda: len(replies) == 2)
    shot("versions")
    window.set_clinician_view(True)  # the crisis state shows the triage labels too
    send("i want to end my life")
    shot("crisis-response")
    window.new_conversation()
    send("the marathon training is wearing me out")
    window.sidebar.search_box.setText("week")
    window.sidebar.search.emit("week")
    wait(lambda: "found" in window.sidebar.list.item(0).text())
    shot("search-results")
    dialog = SettingsDialog(load_settings(), window.engine.info() if window.engine else None, window)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / f"settings-{theme}.png"))
    dialog.close()
    window.lock()
    shot("unlock")
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
