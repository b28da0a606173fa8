"""Starting the window: the application object, the shipped font and the saved theme, and the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from desktop_app.engine.api import load_settings
from desktop_app.ui import appearance
from desktop_app.ui.window import MainWindow


def run_gui(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Haven")
    settings = load_settings()
    appearance.apply(app, settings.theme, settings.font_points, appearance.load_font())
    window = MainWindow()
    window.exited.connect(app.quit)  # a quick exit leaves nothing running: the next start asks for the passphrase
    window.show()
    code = app.exec()
    window.shut_down()
    return code
