"""The window, driven headless with pytest-qt: loads off the GUI thread, labels each message."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from desktop_app.engine.api import Reply
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
    assert win.operations.idle(), "a background operation outlived the window"


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


def test_switching_model_swaps_only_the_classifier_and_keeps_the_conversation(qtbot, window: MainWindow) -> None:
    send(qtbot, window, "i can't sleep at night")
    engine, session = window.engine, window.session
    other = "lstm" if window.model_picker.currentText() != "lstm" else "minilm"
    with qtbot.waitSignal(window.engine_ready, timeout=TIMEOUT_MS) as blocker:
        window.model_picker.setCurrentText(other)
    assert blocker.args[0] == other and window.engine is engine and window.session is session
    reply = send(qtbot, window, "still awake")
    assert reply.assessment.triage.model == other and len(session.messages) == 4


def test_a_message_sent_while_the_models_load_waits_and_is_answered(qtbot) -> None:
    win = MainWindow(country="GB")
    qtbot.addWidget(win)
    win.show()
    assert win.engine is None
    win.input.setText("hello, is anyone there?")
    with qtbot.waitSignal(win.replied, timeout=TIMEOUT_MS) as blocker:
        win.send_button.click()
        assert "as soon as the models are ready" in win.statusBar().currentMessage()
    assert blocker.args[0].action in ("generated", "fallback")
    assert "hello, is anyone there?" in win.transcript.toPlainText()
    win.close()


def test_reply_streams_and_can_be_stopped(qtbot, window: MainWindow) -> None:
    pieces: list[str] = []
    window.reply_piece.connect(pieces.append)
    window.reply_piece.connect(lambda _p: window.stop_button.click())
    reply = send(qtbot, window, "Tell me something that might help me relax after a long, stressful day at work")
    assert pieces and reply.stopped
    assert window.statusBar().currentMessage() == "Stopped."
    assert not window.stop_button.isEnabled() and window.streaming.text() == ""
