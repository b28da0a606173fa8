"""The window, driven headless with pytest-qt over the real engine: first run, unlock and lock, the
conversation with versions, the history's list and search."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from ui_helpers import PASSPHRASE, TIMEOUT_MS, opened, send, sidebar_texts, unlock_with

from desktop_app.engine.api import history_exists, load_settings
from desktop_app.ui.window import DISCLAIMER, OFFLINE, MainWindow


def test_first_run_welcomes_and_creates_the_encrypted_history(qtbot, tmp_path: Path) -> None:
    window = MainWindow(country="GB", data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    page = window.unlock_page
    assert page.welcome.isVisible() and "not a clinician" in page.welcome.text() and "not for emergencies" in page.welcome.text()
    assert "cannot be recovered" in page.warning.text() and page.warning.isVisible()
    unlock_with(qtbot, window, "short", "short")
    assert "at least 8" in page.error.text() and not history_exists(tmp_path / "data")
    unlock_with(qtbot, window, PASSPHRASE, PASSPHRASE + "!")
    assert "differ" in page.error.text()
    page.country.setCurrentIndex(page.country.findData("ID"))
    with qtbot.waitSignal(window.unlocked, timeout=TIMEOUT_MS):
        unlock_with(qtbot, window)
    assert history_exists(tmp_path / "data") and window.pages.currentIndex() == 1
    assert load_settings().country == "ID"
    qtbot.waitUntil(lambda: window.engine is not None, timeout=TIMEOUT_MS)
    assert window.engine.info().country == "ID" and window.make_settings_dialog().country.currentData() == "ID"
    window.close()


def test_the_window_says_it_is_an_ai_and_offline(window: MainWindow) -> None:
    assert "AI, not a clinician" in DISCLAIMER
    assert window.findChild(QLabel, "disclaimer").text() == DISCLAIMER
    assert window.findChild(QLabel, "offline").text() == OFFLINE


def test_a_message_gets_a_streamed_reply_and_a_title_and_the_clinician_view_shows_its_labels(qtbot, window: MainWindow) -> None:
    pieces: list[str] = []
    window.reply_piece.connect(pieces.append)
    reply = send(qtbot, window, "i feel so anxious about my exams tomorrow")
    assert reply.action == "generated" and pieces
    text = window.transcript.browser.toPlainText()
    assert "i feel so anxious about my exams tomorrow" in text and reply.text.split()[0] in text
    assert "intent:" not in text  # a person sees their words, not labels
    window.clinician_action.trigger()
    assert f"intent: {reply.assessment.decision.intent}" in window.transcript.browser.toPlainText()
    assert load_settings().clinician_view == "on"
    window.set_clinician_view(False)
    assert "intent:" not in window.transcript.browser.toPlainText() and not window.clinician_action.isChecked()
    qtbot.waitUntil(lambda: any("i feel so anxious" in t for t in sidebar_texts(window)), timeout=TIMEOUT_MS)
    assert "Today" in sidebar_texts(window)


def test_a_crisis_gets_the_fixed_response_with_the_lines(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.set_clinician_view(True)
    reply = send(qtbot, window, "i want to end my life")
    assert reply.action == "crisis_response"
    text = window.transcript.browser.toPlainText()
    assert "116 123" in text and "risk: crisis" in text
    assert window.grab().save(str(tmp_path / "crisis.png"))


def test_regenerate_adds_a_version_and_the_arrows_switch_it(qtbot, window: MainWindow) -> None:
    first = send(qtbot, window, "I failed my driving test again")
    with qtbot.waitSignal(window.replied, timeout=TIMEOUT_MS) as blocker:
        window.regenerate()
    second = blocker.args[0]
    assert second.text != first.text
    assert "2/2" in window.transcript.browser.toPlainText()
    reply_id = window.session.messages[-1].id
    window.transcript.action.emit("prev", reply_id)
    qtbot.waitUntil(lambda: "1/2" in window.transcript.browser.toPlainText(), timeout=TIMEOUT_MS)
    assert window.session.messages[-1].text == first.text


def test_edit_and_resend_makes_the_later_turns_a_new_version(qtbot, window: MainWindow) -> None:
    send(qtbot, window, "my week was awful")
    send(qtbot, window, "work was too much")
    first_id = window.session.messages[0].id
    window.transcript.action.emit("edit", first_id)
    assert window.composer.editor.toPlainText() == "my week was awful" and window.composer.editing == first_id
    window.composer.editor.setPlainText("my week was actually fine")
    with qtbot.waitSignal(window.replied, timeout=TIMEOUT_MS):
        window.composer.send_button.click()
    messages = window.session.messages
    assert len(messages) == 2 and messages[0].text == "my week was actually fine" and (messages[0].version, messages[0].versions) == (2, 2)
    assert "work was too much" not in window.transcript.browser.toPlainText()


def test_a_reply_can_be_stopped(qtbot, window: MainWindow) -> None:
    window.reply_piece.connect(lambda _p: window.stop_reply())
    reply = send(qtbot, window, "Tell me something that might help me relax after a long, stressful day at work")
    assert reply.stopped and window.statusBar().currentMessage() == "Stopped."
    assert not window.composer.stop_button.isEnabled() and not window.transcript.streaming.isVisible()


def test_lock_clears_the_screen_and_unlock_brings_the_history_back(qtbot, tmp_path: Path) -> None:
    window = opened(qtbot, tmp_path / "data")
    send(qtbot, window, "my cat knocked over my plant this morning")
    window.lock()
    assert window.pages.currentIndex() == 0 and window.transcript.browser.toPlainText() == ""
    assert window.sidebar.list.count() == 0 and window.store is None and window.session is None
    assert not window.unlock_page.welcome.isVisible()
    with qtbot.waitSignal(window.failed, timeout=TIMEOUT_MS):
        unlock_with(qtbot, window, "not the passphrase")
    assert "wrong passphrase" in window.unlock_page.error.text()
    with qtbot.waitSignal(window.unlocked, timeout=TIMEOUT_MS):
        unlock_with(qtbot, window)
    qtbot.waitUntil(lambda: any("cat knocked" in t for t in sidebar_texts(window)), timeout=TIMEOUT_MS)
    item = next(window.sidebar.list.item(i) for i in range(window.sidebar.list.count())
                if "cat knocked" in window.sidebar.list.item(i).text())
    window.sidebar.list.itemClicked.emit(item)
    qtbot.waitUntil(lambda: "my cat knocked over my plant" in window.transcript.browser.toPlainText(), timeout=TIMEOUT_MS)
    window.close()


def test_search_finds_a_message_and_opens_its_conversation(qtbot, window: MainWindow) -> None:
    send(qtbot, window, "the marathon training is wearing me out")
    holding = sum("marathon" in message.text.lower() for message in window.session.messages)  # a reply may reflect the word
    window.new_conversation()
    assert window.transcript.browser.toPlainText() == ""
    window.sidebar.search.emit("marathon")
    qtbot.waitUntil(lambda: any("found" in text for text in sidebar_texts(window)), timeout=TIMEOUT_MS)
    results = sidebar_texts(window)
    assert results[0].startswith(f"{holding} found") and "[marathon]" in results[1]
    window.sidebar.list.itemClicked.emit(window.sidebar.list.item(1))
    qtbot.waitUntil(lambda: "marathon training" in window.transcript.browser.toPlainText(), timeout=TIMEOUT_MS)


def test_rename_and_delete_a_conversation(qtbot, window: MainWindow, monkeypatch) -> None:
    send(qtbot, window, "just saying hello")
    conversation = window.session.conversation_id
    monkeypatch.setattr("desktop_app.ui.window.QInputDialog.getText", lambda *_a, **_k: ("Sunday  chat", True))
    window.rename_conversation(conversation)
    qtbot.waitUntil(lambda: "Sunday chat" in sidebar_texts(window), timeout=TIMEOUT_MS)
    monkeypatch.setattr("desktop_app.ui.window.QMessageBox.question", lambda *_a, **_k: QMessageBox.StandardButton.Cancel)
    window.delete_conversation(conversation)
    assert window.session.conversation_id == conversation
    monkeypatch.setattr("desktop_app.ui.window.QMessageBox.question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    window.delete_conversation(conversation)
    qtbot.waitUntil(lambda: "Sunday chat" not in sidebar_texts(window), timeout=TIMEOUT_MS)
    assert window.session.messages == () and window.store.conversations() == []


def test_switching_model_swaps_only_the_classifier_and_keeps_the_conversation(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.engine is not None, timeout=TIMEOUT_MS)
    send(qtbot, window, "i can't sleep at night")
    engine, session = window.engine, window.session
    dialog = window.make_settings_dialog()
    other = "lstm" if dialog.triage_model.currentText() != "lstm" else "minilm"
    with qtbot.waitSignal(window.engine_ready, timeout=TIMEOUT_MS) as blocker:
        dialog.triage_model.setCurrentText(other)
    assert blocker.args[0] == other and window.engine is engine and window.session is session
    assert load_settings().triage_model == other and f"triage {other}" in window.model_status.text()
    reply = send(qtbot, window, "still awake")
    assert reply.assessment.triage.model == other and len(session.messages) == 4


def test_a_message_sent_before_the_models_are_ready_waits_and_is_answered(qtbot, tmp_path: Path) -> None:
    window = MainWindow(country="GB", data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.unlocked, timeout=TIMEOUT_MS):
        unlock_with(qtbot, window)
    if window.engine is None:
        window.composer.editor.setPlainText("hello, is anyone there?")
        with qtbot.waitSignal(window.replied, timeout=TIMEOUT_MS):
            window.composer.send_button.click()
            assert "as soon as the models are ready" in window.statusBar().currentMessage()
        assert "hello, is anyone there?" in window.transcript.browser.toPlainText()
    window.close()


def test_html_and_markdown_images_in_messages_stay_text(qtbot, window: MainWindow) -> None:
    send(qtbot, window, "<b>bold</b> <img src='file:///etc/passwd'> ![x](file:///etc/hostname)")
    text = window.transcript.browser.toPlainText()
    assert "<b>bold</b>" in text and "<img src=" in text


def test_enter_sends_and_shift_enter_starts_a_new_line(qtbot, window: MainWindow) -> None:
    editor = window.composer.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "first line")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "second line")
    assert editor.toPlainText() == "first line\nsecond line"
    with qtbot.waitSignal(window.replied, timeout=TIMEOUT_MS):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "" and "second line" in window.transcript.browser.toPlainText()


def test_a_message_longer_than_the_limit_is_cut_with_a_clear_note(window: MainWindow) -> None:
    from desktop_app.ui.composer import MAX_CHARS

    window.composer.editor.setPlainText("a" * (MAX_CHARS + 50))
    assert len(window.composer.editor.toPlainText()) == MAX_CHARS
    assert str(MAX_CHARS) in window.composer.note.text() and not window.composer.note.isHidden()


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit

    for kind in (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit):
        for control in window.findChildren(kind):
            if control.isVisibleTo(window) and control.objectName() not in ("qt_spinbox_lineedit",):
                assert control.accessibleName() or (isinstance(control, QAbstractButton) and control.text()), control


def test_export_warns_and_writes_a_private_file_with_the_labels(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    import json

    send(qtbot, window, "my exams start on monday")
    out = tmp_path / "for-my-counsellor.json"
    monkeypatch.setattr("desktop_app.ui.window.QMessageBox.warning", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr("desktop_app.ui.window.QFileDialog.getSaveFileName", lambda *_a, **_k: (str(out), "JSON (*.json)"))
    window.export_conversation()
    qtbot.waitUntil(out.exists, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=TIMEOUT_MS)
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["messages"][0]["text"] == "my exams start on monday" and exported["messages"][0]["triage"]["intent"]
    assert out.stat().st_mode & 0o777 == 0o600


def test_export_can_be_refused_at_the_warning(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    send(qtbot, window, "hello")
    monkeypatch.setattr("desktop_app.ui.window.QMessageBox.warning", lambda *_a, **_k: QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr("desktop_app.ui.window.QFileDialog.getSaveFileName",
                        lambda *_a, **_k: (_ for _ in ()).throw(AssertionError("no file dialog after Cancel")))
    window.export_conversation()


def test_wipe_needs_the_word_and_then_deletes_everything(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    send(qtbot, window, "something to forget")
    monkeypatch.setattr("desktop_app.ui.window.QInputDialog.getText", lambda *_a, **_k: ("yes", True))
    window.wipe_everything()
    assert window.store is not None and history_exists(tmp_path / "data")
    monkeypatch.setattr("desktop_app.ui.window.QInputDialog.getText", lambda *_a, **_k: ("delete", True))
    window.wipe_everything()
    qtbot.waitUntil(lambda: not history_exists(tmp_path / "data"), timeout=TIMEOUT_MS)
    assert window.pages.currentIndex() == 0 and window.transcript.browser.toPlainText() == ""
    qtbot.waitUntil(lambda: window.unlock_page.welcome.isVisible(), timeout=TIMEOUT_MS)


def test_settings_apply_at_once_and_persist(qtbot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_app.engine.api import Settings
    from desktop_app.ui import appearance

    app = QApplication.instance()
    window.apply_settings(Settings(theme="dark", font_size="14"))
    try:
        assert load_settings().theme == "dark" and load_settings().font_size == "14"
        assert appearance.is_dark(app) and app.font().pointSize() == 14
        send(qtbot, window, "hi")
        assert "#2d2e31" in window.transcript.browser.toHtml().lower() or "#1f3a5f" in window.transcript.browser.toHtml().lower()
    finally:
        window.apply_settings(Settings(theme="light"))
    assert not appearance.is_dark(app)


def test_the_shipped_font_loads(qapp) -> None:
    from desktop_app.ui.appearance import FONT_FAMILY, load_font

    assert load_font() == FONT_FAMILY


def test_generation_settings_reach_the_engine_and_a_bad_model_is_refused(qtbot, window: MainWindow, tmp_path: Path,
                                                                         monkeypatch) -> None:
    qtbot.waitUntil(lambda: window.engine is not None, timeout=TIMEOUT_MS)
    engine = window.engine
    dialog = window.make_settings_dialog()
    assert engine.info().reply_sha256[:12] in dialog.reply_model.text()
    dialog.max_tokens.setValue(100)
    qtbot.waitUntil(lambda: engine.config.max_tokens == 100, timeout=TIMEOUT_MS)
    assert load_settings().max_tokens == "100" and engine.reply_model.sampling.max_tokens == 100

    broken = tmp_path / "not-a-model.gguf"
    broken.write_bytes(b"GGUF" + bytes(1024))
    monkeypatch.setattr("desktop_app.ui.settings_dialog.QFileDialog.getOpenFileName", lambda *_a, **_k: (str(broken), ""))
    with qtbot.waitSignal(window.failed, timeout=TIMEOUT_MS):
        dialog.import_button.click()
    assert "Not used" in dialog.reply_model.text() and engine.info().adapter is not None
    assert load_settings().reply_model_path == ""
    window.settings_dialog = None


def test_a_long_conversation_draws_its_newest_messages_and_earlier_ones_on_request(qtbot, window: MainWindow) -> None:
    from PySide6.QtCore import QUrl

    from desktop_app.engine.api import Origin

    store = window.store
    conversation = store.new_conversation("a long one").id
    for number in range(225):
        store.add_message(conversation, "user", f"question number {number}")
        store.add_message(conversation, "assistant", f"answer number {number}", origin=Origin("generated"))
    window.open_conversation(conversation)
    qtbot.waitUntil(lambda: "answer number 224" in window.transcript.browser.toPlainText(), timeout=TIMEOUT_MS)
    text = window.transcript.browser.toPlainText()
    assert "Show earlier messages (250 more)" in text and "question number 124\n" not in text and "question number 125" in text
    window.transcript.browser.anchorClicked.emit(QUrl("earlier:250"))
    assert "Show earlier messages (50 more)" in window.transcript.browser.toPlainText()

    first = window.session.messages[0].id
    window.open_conversation(conversation, first)
    qtbot.waitUntil(lambda: "question number 0\n" in window.transcript.browser.toPlainText(), timeout=TIMEOUT_MS)
    assert "Show earlier messages" not in window.transcript.browser.toPlainText()


def test_the_transcript_can_be_read_with_a_keyboard_caret(window: MainWindow) -> None:
    flags = window.transcript.browser.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard and flags & Qt.TextInteractionFlag.LinksAccessibleByKeyboard


def test_haven_starts_the_window_with_the_shipped_font_and_saved_theme(qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.engine.api import Settings, save_settings
    from desktop_app.ui import appearance
    from desktop_app.ui.app import run_gui

    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path / "data"))
    save_settings(Settings(theme="dark", font_size="13"))
    shown: list[MainWindow] = []

    class Recorded(MainWindow):
        def showEvent(self, event) -> None:
            shown.append(self)
            super().showEvent(event)

    monkeypatch.setattr("desktop_app.ui.app.MainWindow", Recorded)
    app = QApplication.instance()
    QTimer.singleShot(300, lambda: (shown[0].close(), app.quit()))
    try:
        assert run_gui() == 0
        assert shown and app.font().family() == appearance.FONT_FAMILY
        assert appearance.is_dark(app) and app.font().pointSize() == 13
    finally:
        appearance.apply(app, "light", None, appearance.FONT_FAMILY)
