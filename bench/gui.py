"""Window timings: launch to window shown, the GUI thread's longest stall while a reply streams, and
opening a conversation of 1,000 messages.

    QT_QPA_PLATFORM=offscreen python bench/gui.py --json

`window_ms` is measured from starting a fresh process to the window being shown (models still
loading): the median of five starts. `max_stall_ms` is the longest gap between beats of a 5 ms timer on the GUI thread from
sending a message to its reply being shown. `open_1000_ms` is from asking to open a stored
conversation of 1,000 messages to its transcript being drawn. `quick_exit_ms` is from the third press
of Shift to the handler's return, with every window hidden, the screen cleared and the history locked,
while that long conversation is open in the clinician view and a reply streams. Targets: 500 ms, 50 ms,
smooth, and 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "bench passphrase"
TARGETS = {"window_ms": 500, "max_stall_ms": 50, "quick_exit_ms": 100}
SHOWN = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from desktop_app.ui.window import MainWindow
app = QApplication([])
window = MainWindow(country="GB", data_dir=Path(sys.argv[1]))
window.show()
app.processEvents()
print("shown", flush=True)
window.close()
"""


def window_ms(folder: Path, starts: int = 5) -> float:
    """The median over `starts` fresh processes, after one that is not counted (it warms the file cache and
    writes the bytecode cache): one start on 2 cores varied from 370 to 750 ms."""
    times = [_one_start(folder / str(run)) for run in range(starts + 1)]
    return statistics.median(times[1:])


def _as_launched() -> dict[str, str]:
    """The environment of a launch from a desktop: Python keeps its compiled bytecode (written by the warm-up start,
    or by the installer), even where this shell tells it not to (PYTHONDONTWRITEBYTECODE)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _one_start(folder: Path) -> float:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", SHOWN, str(folder)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                               env=_as_launched())
    assert process.stdout is not None
    line = process.stdout.readline()
    shown = (time.perf_counter() - started) * 1000
    process.wait(timeout=300)
    if line.strip() != "shown":
        raise SystemExit("the window did not show")
    return shown


def wait_for(condition: Callable[[], bool], seconds: float = 300) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop, deadline = QEventLoop(), time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        QTimer.singleShot(5, loop.quit)
        loop.exec()


def fill(folder: Path, messages: int) -> int:
    """A stored conversation of `messages` messages, as the app writes them."""
    from desktop_app.engine.api import Origin, Store, Triage

    with Store.open(folder, PASSPHRASE) as store:
        conversation = store.new_conversation("a long conversation").id
        triage = Triage("stress", "concern", {"stress": 0.8}, {"none": 0.3, "concern": 0.6, "crisis": 0.1}, ("classifier",))
        with store.transaction():
            for number in range(messages // 2):
                store.add_message(conversation, "user", f"message {number}: work has been a lot this week", triage=triage,
                                  model="minilm")
                store.add_message(conversation, "assistant", f"reply {number}: that sounds **heavy**. What has been hardest?",
                                  origin=Origin("generated"), model="gemma")
    return conversation


def in_window(folder: Path, messages: int) -> dict[str, float]:
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(country="GB", data_dir=folder)
    window.show()
    page = window.unlock_page
    page.passphrase.setText(PASSPHRASE)
    page.again.setText(PASSPHRASE)
    page.button.click()
    wait_for(lambda: window.session is not None)

    gaps: list[float] = []
    clock = QElapsedTimer()
    beat = QTimer(interval=5)
    beat.timeout.connect(lambda: gaps.append(clock.restart()))
    replies: list[object] = []
    window.replied.connect(replies.append)
    clock.start()
    beat.start()
    window.send("I've had a long week and I can't switch off at night")
    wait_for(lambda: bool(replies))
    beat.stop()
    stall = max(gaps[1:] or [0.0])

    window.lock()
    wait_for(lambda: window.operations.idle())
    conversation = fill(folder, messages)
    page.passphrase.setText(PASSPHRASE)
    page.button.click()
    wait_for(lambda: window.session is not None)
    started = time.perf_counter()
    window.open_conversation(conversation)
    wait_for(lambda: window.session is not None and len(window.session.messages) == messages)
    app.processEvents()
    opened = (time.perf_counter() - started) * 1000

    window.set_clinician_view(True)
    pieces: list[str] = []
    window.reply_piece.connect(pieces.append)
    window.send("tell me something calm")
    wait_for(lambda: bool(pieces))
    editor = window.composer.editor
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_Shift)
    QTest.keyClick(editor, Qt.Key.Key_Shift)
    started = time.perf_counter()
    QTest.keyClick(editor, Qt.Key.Key_Shift)
    exited = (time.perf_counter() - started) * 1000
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets()) and window.store is None
    window.close()
    return {"max_stall_ms": round(stall, 1), "open_1000_ms": round(opened, 1), "quick_exit_ms": round(exited, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--messages", type=int, default=1000, help="the long conversation's length")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="haven-bench-gui-") as tmp:
        os.environ["HAVEN_CONFIG_DIR"] = str(Path(tmp) / "config")
        figures = {"window_ms": round(window_ms(Path(tmp) / "shown"), 1), **in_window(Path(tmp) / "data", args.messages)}
    figures |= {"messages": args.messages, "targets_met": {k: figures[k] <= v for k, v in TARGETS.items()}}
    print(json.dumps(figures) if args.json else json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
