"""The window, driven headless with pytest-qt: loads off the GUI thread, labels each message."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from desktop_app.engine.facade import Reply
from desktop_app.ui.app import DISCLAIMER, MainWindow

TIMEOUT_MS = 60_000


@pytest.fixture
def window(qtbot):
    win = MainWindow(country="GB")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.engine is not None, timeout=TIMEOUT_MS)
    yield win
    win.close()
    assert win.operations.pool.activeThreadCount() == 0, "a background operation outlived the window"


def send(qtbot, window: MainWindow, text: str) -> Reply:
    window.input.setText(text)
    with qtbot.waitSignal(window.replied, timeout=TIMEOUT_MS) as blocker:
        window.send_button.click()
    return blocker.args[0]


def test_window_says_it_is_an_ai(window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel

    assert "AI, not a clinician" in DISCLAIMER
    assert window.findChild(QLabel, "disclaimer").text() == DISCLAIMER
    assert "Ready" in window.statusBar().currentMessage()


def test_message_gets_labels_and_reply(qtbot, window: MainWindow) -> None:
    reply = send(qtbot, window, "i feel so anxious about tomorrow")
    assert reply.action == "generated"
    text = window.transcript.toPlainText()
    assert "i feel so anxious about tomorrow" in text
    assert f"triage: {reply.assessment.decision.intent}" in text


def test_crisis_shows_fixed_response_with_country_lines(qtbot, window: MainWindow, tmp_path: Path) -> None:
    reply = send(qtbot, window, "i want to end my life")
    assert reply.action == "crisis_response"
    text = window.transcript.toPlainText()
    assert "116 123" in text and "risk: crisis" in text
    assert window.grab().save(str(tmp_path / "crisis.png"))


def test_html_in_messages_is_shown_as_text(qtbot, window: MainWindow) -> None:
    send(qtbot, window, "<b>bold</b> <script>x</script>")
    assert "<b>bold</b>" in window.transcript.toPlainText()


def test_switching_model_reloads_in_background(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.engine_ready, timeout=TIMEOUT_MS) as blocker:
        window.model_picker.setCurrentText("lstm" if window.model_picker.currentText() != "lstm" else "minilm")
    assert window.engine is not None and window.engine.classifier.name == blocker.args[0]


def test_reply_streams_and_can_be_stopped(qtbot, window: MainWindow) -> None:
    pieces: list[str] = []
    window.reply_piece.connect(pieces.append)
    window.reply_piece.connect(lambda _p: window.stop_button.click())
    reply = send(qtbot, window, "Tell me something that might help me relax after a long, stressful day at work")
    assert pieces and reply.stopped
    assert window.statusBar().currentMessage() == "Stopped."
    assert not window.stop_button.isEnabled() and window.streaming.text() == ""
