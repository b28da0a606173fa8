"""Starting the window: the application object, the shipped font and the saved theme, and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop_app.engine.api import APP_ICON, load_settings
from desktop_app.ui import appearance
from desktop_app.ui.window import MainWindow


def run_gui(argv: list[str] | None = None, screenshot: Path | None = None) -> int:
    """Open the window and run until it closes. With `screenshot`, save a picture of the window as the event loop
    starts (what a person first sees, models still loading) and quit."""
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Haven")
    app.setDesktopFileName("haven")  # ties the window to packaging/haven.desktop on Linux desktops
    app.setWindowIcon(QIcon(str(APP_ICON)))
    settings = load_settings()
    appearance.apply(app, settings.theme, settings.font_points, appearance.load_font())
    window = MainWindow()
    window.exited.connect(app.quit)  # a quick exit leaves nothing running: the next start asks for the passphrase
    window.show()
    if screenshot is not None:
        QTimer.singleShot(0, lambda: app.exit(0 if window.grab().save(str(screenshot)) else 1))
    code = app.exec()
    window.shut_down()
    return code
