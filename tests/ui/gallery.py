"""Screenshots of the window's main states in the light and the dark theme, to look at as a person would.

    QT_QPA_PLATFORM=offscreen python tests/ui/gallery.py OUT_DIR

Runs the real engine with a temporary history and settings, and writes one PNG per state and theme into
OUT_DIR (first run, chat while streaming, versions, a crisis response, the crisis panel with a safety plan, the
safety plan editor, the clinician view with its risk timeline, search results, settings, the export warning,
the screen after a quick exit, unlock).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

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
    from desktop_app.engine.api import NOT_ENCRYPTED, SafetyPlan
    from desktop_app.ui.safety_plan_dialog import SafetyPlanDialog
    from desktop_app.ui.window import MainWindow

    window = MainWindow(country="GB", data_dir=folder / "data")
    window.resize(1100, 720)
    window.show()

    def shot(name: str, widget: QWidget | None = None) -> None:
        app.processEvents()
        (widget or window).grab().save(str(out / f"{name}-{theme}.png"))

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
    window.save_safety_plan(SafetyPlan({
        "warning_signs": "Not sleeping, cancelling plans, scrolling all night",
        "coping": "Cold water on my face, the playlist Jo made me, a walk round the block",
        "helpers": "Jo (sister) 07700 900318\nMarcus 07700 900772",
        "reasons": "Jo's kids. Finishing my course. The sea in summer."}))
    wait(lambda: not window.plan.is_empty)
    window.new_conversation()
    send("everything feels pointless lately, i'm so tired of it all")
    send("work was long and the bus was late again")
    send("i've sorted out who gets my cat and my guitar")
    shot("clinician-timeline")
    window.set_clinician_view(False)
    shot("crisis-panel-with-plan")
    editor = SafetyPlanDialog(window.plan, window)
    editor.show()
    shot("safety-plan-editor", editor)
    editor.close()
    window.new_conversation()
    send("the marathon training is wearing me out")
    window.sidebar.search_box.setText("week")
    window.sidebar.search.emit("week")
    wait(lambda: "found" in window.sidebar.list.item(0).text())
    shot("search-results")
    dialog = window.make_settings_dialog()
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / f"settings-{theme}.png"))
    dialog.close()
    warning = QMessageBox(QMessageBox.Icon.Warning, "Export conversation", f"{NOT_ENCRYPTED} Export anyway?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, window)
    warning.show()
    shot("export-warning", warning)
    warning.close()
    window.quick_exit()
    window.show()
    shot("after-quick-exit")
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
