"""Care in the window, over the real engine: the crisis panel and the safety plan, the clinician's chips and
timeline, quick exit and the idle lock."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
)
from ui_helpers import TIMEOUT_MS, send, unlock_with

from desktop_app.engine.api import SafetyPlan, load_settings, resources_for
from desktop_app.ui.safety_plan_dialog import SafetyPlanDialog
from desktop_app.ui.window import MainWindow

LOW = "everything feels pointless lately, i'm so tired of it all"
ARRANGING = "i've sorted out who gets my cat and my guitar"  # a crisis only after LOW
SAFE = "thanks, i'll call them now"
PLAN_WORDS = "my brother Tomasz, 07700 900461"


def crisis_in_context(qtbot, window: MainWindow):
    send(qtbot, window, LOW)
    assert not window.crisis_panel.isVisible()
    return send(qtbot, window, ARRANGING)


def plan_dialog(window: MainWindow) -> SafetyPlanDialog:
    dialog = window.findChild(SafetyPlanDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_a_crisis_in_context_opens_the_panel_and_it_stays_after_a_safe_reply(qtbot, window: MainWindow) -> None:
    reply = crisis_in_context(qtbot, window)
    assert reply.assessment.decision.by_context and reply.crisis_mode
    assert window.crisis_panel.isVisible()
    after = send(qtbot, window, SAFE)
    assert after.crisis_mode and after.resources is not None
    assert window.crisis_panel.isVisible()


def test_the_panel_shows_the_countrys_lines_and_a_tap_copies_a_number(qtbot, window: MainWindow) -> None:
    crisis_in_context(qtbot, window)
    buttons = [b for b in window.crisis_panel.lines.findChildren(QAbstractButton) if b.objectName() == "line_number"]
    gb = resources_for("GB")
    shown = " ".join(b.text() for b in buttons)
    assert gb.emergency and gb.emergency in shown and all(line.phone in shown for line in gb.lines if line.phone)
    buttons[-1].click()
    assert QGuiApplication.clipboard().text() in buttons[-1].text()


def test_hiding_the_panel_keeps_crisis_mode_and_it_comes_back_with_the_next_reply(qtbot, window: MainWindow) -> None:
    crisis_in_context(qtbot, window)
    window.crisis_panel.close_button.click()
    assert not window.crisis_panel.isVisible() and window.session.crisis_mode.active
    send(qtbot, window, "ok")
    assert window.crisis_panel.isVisible()


def test_im_safe_now_ends_crisis_mode_and_closes_the_panel(qtbot, window: MainWindow) -> None:
    crisis_in_context(qtbot, window)
    window.crisis_panel.safe_button.click()
    assert not window.crisis_panel.isVisible()
    qtbot.waitUntil(lambda: not window.session.crisis_mode.active, timeout=TIMEOUT_MS)
    reply = send(qtbot, window, "i think i'll make some tea")
    assert not reply.crisis_mode and not window.crisis_panel.isVisible()


def test_the_panel_opens_from_the_menu_without_a_reply_model_and_breathing_counts(qtbot, window: MainWindow) -> None:
    window.show_crisis_panel()
    assert window.crisis_panel.isVisible() and "safety plan" in window.crisis_panel.plan.text()
    breathing = window.crisis_panel.breathing
    breathing.button.click()
    assert breathing.running and breathing.cue.text().startswith("Breathe in slowly")
    qtbot.waitUntil(lambda: breathing.cue.text().endswith("3"), timeout=3000)
    breathing.button.click()
    assert not breathing.running


def test_the_safety_plan_is_saved_kept_through_lock_and_shown_in_the_panel(qtbot, window: MainWindow) -> None:
    window.open_safety_plan()
    dialog = plan_dialog(window)
    dialog.fields["helpers"].setPlainText(PLAN_WORDS)
    dialog.fields["reasons"].setPlainText("my daughter's laugh")
    with qtbot.waitSignal(window.plan_saved, timeout=TIMEOUT_MS):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    window.lock()
    assert PLAN_WORDS not in window.crisis_panel.plan.text()
    with qtbot.waitSignal(window.unlocked, timeout=TIMEOUT_MS):
        unlock_with(qtbot, window)
    qtbot.waitUntil(lambda: PLAN_WORDS in window.crisis_panel.plan.text(), timeout=TIMEOUT_MS)
    assert window.plan.text("reasons") == "my daughter's laugh"
    window.show_crisis_panel()
    assert "People I can ask for help" in window.crisis_panel.plan.text()
    assert window.crisis_panel.plan_button.text().startswith("Edit")


def test_the_printable_plan_warns_first_and_is_written_for_its_owner_only(qtbot, window: MainWindow, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text) or QMessageBox.StandardButton.Yes)
    target = tmp_path / "plan.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), "Markdown (*.md)"))
    window.export_safety_plan(SafetyPlan({"coping": "a cold shower, then music"}))
    qtbot.waitUntil(target.exists, timeout=TIMEOUT_MS)
    window.operations.wait()
    assert "not encrypted" in warned[0]
    assert "a cold shower, then music" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_first_run_can_go_on_to_the_safety_plan(qtbot, tmp_path: Path) -> None:
    window = MainWindow(country="GB", data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    assert window.unlock_page.write_plan.isVisible()
    window.unlock_page.write_plan.setChecked(True)
    with qtbot.waitSignal(window.unlocked, timeout=TIMEOUT_MS):
        unlock_with(qtbot, window)
    qtbot.waitUntil(lambda: window.findChild(SafetyPlanDialog) is not None, timeout=TIMEOUT_MS)
    assert plan_dialog(window).fields["warning_signs"].placeholderText()
    window.close()


def test_clinician_chips_show_the_reasons_and_the_action(qtbot, window: MainWindow) -> None:
    window.set_clinician_view(True)
    crisis_in_context(qtbot, window)
    text = window.transcript.browser.toPlainText()
    assert "▲ risk: crisis" in text and "raised by context" in text
    assert "why: classifier: risk" in text and "context rule context.preparation" in text
    assert "reply: crisis response" in text and "reply: generated" in text


def test_the_timeline_marks_crises_and_a_click_scrolls_to_the_message(qtbot, window: MainWindow) -> None:
    window.resize(900, 500)
    for text in (LOW, "work was long", "the bus was late again", "i had soup for tea", ARRANGING):
        send(qtbot, window, text)
    assert not window.timeline.isVisible()
    window.set_clinician_view(True)
    chart, table = window.timeline.chart, window.timeline.findChild(QTableWidget, "timeline_table")
    assert window.timeline.isVisible() and [p.risk for p in chart.points][-1] == "crisis"
    assert table.rowCount() == 5 and table.item(4, 3).text() == "▲ crisis" and table.item(4, 5).text() == "yes"
    bar = window.transcript.browser.verticalScrollBar()
    bar.setValue(bar.maximum())
    first = chart.points[0].message_id
    with qtbot.waitSignal(window.timeline.chosen, timeout=2000) as chosen:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.centre(0).toPoint())
    assert chosen.args == [first]
    assert bar.value() < bar.maximum()


def _texts_on_screen(window: MainWindow) -> str:
    found = []
    for widget in [window, *QApplication.topLevelWidgets()]:
        found += [w.text() for w in widget.findChildren(QLabel)] + [w.text() for w in widget.findChildren(QLineEdit)]
        found += [w.toPlainText() for w in widget.findChildren(QTextEdit)] + [w.toPlainText() for w in widget.findChildren(QPlainTextEdit)]
        for table in widget.findChildren(QTableWidget):
            found += [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount()) if table.item(r, c)]
        found.append(widget.windowTitle())
    return "\n".join(found)


def test_quick_exit_hides_everything_clears_the_screen_and_the_clipboard_and_drops_the_key(qtbot, window: MainWindow) -> None:
    window.set_clinician_view(True)
    reply = crisis_in_context(qtbot, window)
    window.sidebar.search_box.setText("guitar")
    window._message_action("copy", window.session.messages[-2].id)
    assert QGuiApplication.clipboard().text() == ARRANGING and ARRANGING in _texts_on_screen(window)
    store = window.store
    with qtbot.waitSignal(window.exited, timeout=2000):
        window.quick_exit_button.click()
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets())
    assert window.store is None and window.session is None and QGuiApplication.clipboard().text() == ""
    screen = _texts_on_screen(window)
    assert all(words not in screen for words in (LOW, ARRANGING, reply.text.split("\n")[0], "guitar", PLAN_WORDS))
    window.operations.wait()
    with pytest.raises(Exception, match="locked"):
        store.conversations()
    window.show()
    assert window.pages.currentIndex() == 0 and not window.crisis_panel.isVisible()


def test_quick_exit_leaves_someone_elses_clipboard_alone(qtbot, window: MainWindow) -> None:
    QGuiApplication.clipboard().setText("shopping list: eggs")
    window.quick_exit()
    assert QGuiApplication.clipboard().text() == "shopping list: eggs"


def test_shift_three_times_is_a_quick_exit_and_another_key_between_is_not(qtbot, window: MainWindow) -> None:
    editor = window.composer.editor
    editor.setFocus()
    for key in (Qt.Key.Key_Shift, Qt.Key.Key_A, Qt.Key.Key_Shift, Qt.Key.Key_Shift):
        qtbot.keyClick(editor, key)
    assert window.store is not None
    with qtbot.waitSignal(window.exited, timeout=2000):
        qtbot.keyClick(editor, Qt.Key.Key_Shift)
    assert window.store is None and not window.isVisible()


def test_quick_exit_stops_a_reply_being_written(qtbot, window: MainWindow) -> None:
    window.composer.editor.setPlainText("tell me about a calm evening by the sea")
    pieces: list[str] = []
    window.reply_piece.connect(pieces.append)
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: bool(pieces), timeout=TIMEOUT_MS)
    window.quick_exit()
    assert window.operations.wait(TIMEOUT_MS) and window.store is None
    assert window.transcript.streaming.text() == ""


def test_the_idle_lock_fires_after_no_input_and_input_puts_it_off(qtbot, window: MainWindow) -> None:
    window.idle_watch.set_minutes(0.01)  # 600 ms
    qtbot.wait(300)
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_A)
    qtbot.wait(400)
    assert window.store is not None  # the key press started the count again
    qtbot.waitUntil(lambda: window.store is None, timeout=5000)
    assert window.pages.currentIndex() == 0 and not window.idle_watch.active


def test_idle_lock_settings_persist_and_never_means_never(qtbot, window: MainWindow) -> None:
    assert load_settings().idle_lock_minutes == 10 and window.idle_watch.active
    dialog = window.make_settings_dialog()
    dialog.idle_lock.setValue(0)
    dialog.lock_on_minimise.setChecked(True)
    assert load_settings().idle_lock == "0" and load_settings().lock_on_minimise == "on"
    assert not window.idle_watch.active
    dialog.deleteLater()


def test_quick_exit_clears_text_selected_and_copied_from_a_message(qtbot, window: MainWindow) -> None:
    send(qtbot, window, LOW)
    QGuiApplication.clipboard().setText("so tired of it all")  # as Ctrl+C leaves a selection
    window.quick_exit()
    assert QGuiApplication.clipboard().text() == ""


def test_minimising_locks_when_the_setting_is_on(qtbot, window: MainWindow) -> None:
    window.showMinimized()
    qtbot.wait(50)
    assert window.store is not None  # off by default
    window.showNormal()
    window.make_settings_dialog().lock_on_minimise.setChecked(True)
    window.showMinimized()
    qtbot.waitUntil(lambda: window.store is None, timeout=5000)


def test_a_grounded_reply_shows_its_card_until_closed(qtbot, window: MainWindow) -> None:
    reply = send(qtbot, window, "can you teach me a breathing exercise to calm down before my exam")
    assert reply.card is not None and window.card_panel.isVisible()
    assert reply.card.title in window.card_panel.title.text() and reply.card.organisation in window.card_panel.source.text()
    window.card_panel.close_button.click()
    assert not window.card_panel.isVisible() and window.card_panel.text.text() == ""
