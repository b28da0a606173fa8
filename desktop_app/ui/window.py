"""The Haven window: unlock, the conversations, the transcript and the composer.

Every engine call runs in an operation lane (models: loading, replies, anything that writes a turn;
store: unlocking, lists, search), and its result comes back to a slot on the GUI thread. A result that
belongs to a conversation no longer on screen only refreshes the list.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.engine import api
from desktop_app.engine.api import (
    NOT_ENCRYPTED,
    ExportFormat,
    HavenError,
    Message,
    SafetyPlan,
    Settings,
    history_exists,
    load_settings,
    resolve,
    resources_for,
    save_settings,
    timeline,
)
from desktop_app.ui import appearance
from desktop_app.ui.card_panel import CardPanel
from desktop_app.ui.composer import Composer
from desktop_app.ui.crisis_panel import CrisisPanel
from desktop_app.ui.guards import IdleWatch, TripleShift
from desktop_app.ui.operations import Lane, Operations
from desktop_app.ui.render import local_time
from desktop_app.ui.safety_plan_dialog import SafetyPlanDialog
from desktop_app.ui.settings_dialog import SettingsDialog
from desktop_app.ui.sidebar import Sidebar
from desktop_app.ui.timeline import Timeline
from desktop_app.ui.transcript import Transcript
from desktop_app.ui.unlock import UnlockPage

if TYPE_CHECKING:  # at run time these come through `api.` when first used, off the window's start
    from desktop_app.engine.api import Changes, Engine, Session, Store

DISCLAIMER = (
    "Haven is an AI, not a clinician. It can't diagnose, and it isn't for emergencies: "
    "if you are in danger, call your local emergency number."
)
OFFLINE = "Offline: nothing you write leaves this computer"
LOAD_AT_THE_LATEST_MS = 300


@dataclass(frozen=True)
class _Turn:
    """A call that writes a turn, and the message it shows until its reply is stored (None: none)."""

    call: Callable[[Session, threading.Event], Changes]
    shown: str | None = None


def describe(exc: Exception) -> str:
    """What a person is told of a failure: a HavenError's own line, else only its kind (never message text)."""
    return str(exc) if isinstance(exc, HavenError) else type(exc).__name__


class MainWindow(QMainWindow):
    """All engine work runs off the GUI thread; results come back by signal."""

    engine_ready = Signal(str)
    unlocked = Signal()
    replied = Signal(object)
    failed = Signal(str)
    reply_piece = Signal(str)  # emitted from the worker thread; Qt queues it to the GUI thread
    plan_saved = Signal(object)
    exited = Signal()  # after a quick exit: the application may quit

    def __init__(self, model: str | None = None, country: str | None = None, data_dir: Path | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Haven")
        self.resize(980, 680)
        self.operations = Operations(self)
        self.engine: Engine | None = None
        self.store: Store | None = None
        self.session: Session | None = None
        self._config = resolve(country=country, triage_model=model, data_dir_option=data_dir)
        self._waiting: list[_Turn] = []  # asked before the models were ready
        self._running: list[tuple[_Turn, threading.Event]] = []  # queued or being written, oldest first, with their stop
        self.settings_dialog: SettingsDialog | None = None
        self.plan = SafetyPlan()
        self._copied: set[str] = set()  # what Haven put on the clipboard, cleared by a quick exit
        self.quick_exit_ms = 0.0

        self.unlock_page = UnlockPage(self._config.country)
        self.sidebar = Sidebar()
        self.transcript = Transcript()
        self.composer = Composer()
        self.crisis_panel = CrisisPanel()
        self.crisis_panel.hide()
        self.timeline = Timeline()
        self.card_panel = CardPanel()
        self.quick_exit_button = QPushButton("Quick exit", objectName="quick_exit")
        self.quick_exit_button.setAccessibleName("Quick exit: hide Haven and lock it now")
        self.quick_exit_button.setToolTip("Hides Haven at once and locks it. Or press Shift three times.")
        self.quick_exit_button.setStyleSheet("background:#0b57d0;color:#ffffff;font-weight:bold;padding:4px 12px;border-radius:4px;")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.unlock_page)
        self.pages.addWidget(self._chat_page())
        self.setCentralWidget(self.pages)
        self.model_status = QLabel("", objectName="model_status")
        self.statusBar().addPermanentWidget(QLabel(OFFLINE, objectName="offline"))
        self.statusBar().addWidget(self.model_status)
        self._menus()
        self._connect()
        self._guards()
        self.unlock_page.set_first_run(not history_exists(self._config.data_dir))
        # The models load after the window is first painted: loading competes for the interpreter, and the
        # window must appear at once. (The timer covers a window that is never painted.)
        self._loading_started = False
        QTimer.singleShot(LOAD_AT_THE_LATEST_MS, self._load_engine)

    # ------------------------------------------------------------ layout

    def _chat_page(self) -> QWidget:
        banner = QLabel(DISCLAIMER, objectName="disclaimer", wordWrap=True)
        banner.setStyleSheet("background:#fff4e5;color:#3c2a00;padding:8px;border-radius:6px;")
        chat = QWidget()
        column = QVBoxLayout(chat)
        column.addWidget(banner)
        column.addWidget(self.timeline)
        column.addWidget(self.transcript, 1)
        column.addWidget(self.card_panel)
        column.addWidget(self.composer)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(chat)
        splitter.addWidget(self.crisis_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 600, 300])
        return splitter

    def _menus(self) -> None:
        actions: list[tuple[str, str, str | QKeySequence.StandardKey, Callable[[], None]]] = [
            ("File", "&New conversation", QKeySequence.StandardKey.New, self.new_conversation),
            ("File", "&Export conversation…", "Ctrl+E", self.export_conversation),
            ("File", "&Settings…", "Ctrl+,", self.open_settings),
            ("File", "&Lock", "Ctrl+L", self.lock),
            ("File", "&Quit", QKeySequence.StandardKey.Quit, self.close),
            ("Conversation", "&Regenerate the last reply", "Ctrl+Shift+R", self.regenerate),
            ("Conversation", "&Stop the reply", "Esc", self.stop_reply),
            ("Conversation", "&Find in all conversations", QKeySequence.StandardKey.Find, self.sidebar.search_box.setFocus),
        ]
        menus: dict[str, Any] = {}
        for menu_name, text, keys, slot in actions:
            menu = menus.get(menu_name) or menus.setdefault(menu_name, self.menuBar().addMenu(f"&{menu_name}"))
            action = QAction(text, self, shortcut=QKeySequence(keys))
            action.triggered.connect(slot)
            menu.addAction(action)
        self.clinician_action = QAction("&Clinician view: triage labels on each message", self, checkable=True,
                                        shortcut=QKeySequence("Ctrl+Shift+T"))
        self.clinician_action.setChecked(load_settings().clinician_view == "on")
        self.clinician_action.toggled.connect(self.set_clinician_view)
        self.menuBar().addMenu("&View").addAction(self.clinician_action)
        support = self.menuBar().addMenu("&Support")
        for text, slot in (("&Crisis lines and breathing", self.show_crisis_panel), ("My &safety plan…", self.open_safety_plan),
                           ("&Quick exit (or press Shift three times)", self.quick_exit)):
            action = QAction(text, self)
            action.triggered.connect(slot)
            support.addAction(action)
        self.menuBar().setCornerWidget(self.quick_exit_button)

    def _connect(self) -> None:
        self.unlock_page.create.connect(self._create_history)
        self.unlock_page.unlock.connect(self._open_history)
        self.unlock_page.forgot.connect(self.wipe_everything)
        self.composer.sent.connect(self.send)
        self.composer.stop_requested.connect(self.stop_reply)
        self.transcript.action.connect(self._message_action)
        self.sidebar.new.connect(self.new_conversation)
        self.sidebar.opened.connect(self.open_conversation)
        self.sidebar.rename.connect(self.rename_conversation)
        self.sidebar.delete.connect(self.delete_conversation)
        self.sidebar.search.connect(self.search)
        self.reply_piece.connect(self.transcript.add_piece)
        self.crisis_panel.safe_now.connect(self.end_crisis_mode)
        self.crisis_panel.edit_plan.connect(self.open_safety_plan)
        self.crisis_panel.copied.connect(self._copy)
        self.timeline.chosen.connect(self.transcript.reveal)
        self.quick_exit_button.clicked.connect(self.quick_exit)

    def _guards(self) -> None:
        """Quick exit on Shift pressed three times, and the idle lock, both watching the whole application."""
        app = QApplication.instance()
        assert app is not None
        self.triple_shift = TripleShift(self)
        self.triple_shift.pressed.connect(self.quick_exit)
        self.idle_watch = IdleWatch(self)
        self.idle_watch.idle.connect(self.lock)
        app.installEventFilter(self.triple_shift)
        app.installEventFilter(self.idle_watch)

    # ------------------------------------------------------------ models

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest and not self._loading_started:
            QTimer.singleShot(0, self._load_engine)
        return super().event(event)

    def _load_engine(self) -> None:
        if self._loading_started:
            return
        self._loading_started = True
        config = self._config
        self.model_status.setText("Loading the triage model and the reply model…")
        self.operations.run(Lane.MODELS, lambda: api.Engine(config), self._engine_loaded, self._models_failed, describe)

    def _engine_loaded(self, engine: Engine) -> None:
        self.engine = engine
        self._show_ready()
        if self.store is not None:
            self._start_session(api.Session(engine, self.store))

    def switch_triage_model(self, name: str) -> None:
        """Judge the next messages with another classifier; the conversation and the reply model stay."""
        engine = self.engine
        if engine is None or name == engine.info().triage_model:
            return
        self.model_status.setText(f"Loading the {name} triage model…")
        self.operations.run(Lane.MODELS, lambda: engine.set_triage_model(name), lambda _done: self._triage_model_switched(name),
                            self._models_failed, describe)

    def _triage_model_switched(self, name: str) -> None:
        self._config = replace(self._config, triage_model=name)
        save_settings(replace(load_settings(), triage_model=name))
        self._show_ready()

    def _show_ready(self) -> None:
        assert self.engine is not None
        info = self.engine.info()
        self.model_status.setText(f"Ready ({info.describe()}).")
        self.engine_ready.emit(info.triage_model)

    def _models_failed(self, message: str) -> None:
        self.model_status.setText(f"The models could not be loaded: {message}")
        self.failed.emit(message)

    def set_country(self, code: str) -> None:
        """Show the crisis lines of another country from the next message (and in the crisis panel at once)."""
        self._config = replace(self._config, country=code)
        save_settings(replace(load_settings(), country=code))
        if self.engine is not None:
            self.engine.set_country(code)
        if self.crisis_panel.isVisible():
            self.crisis_panel.show_resources(resources_for(code))
        if self.engine is not None:
            self._show_ready()

    # ------------------------------------------------------------ history

    def _create_history(self, passphrase: str, country: str) -> None:
        folder = self._config.data_dir
        self.set_country(country)
        self.operations.run(Lane.STORE, lambda: api.Store.create(folder, passphrase), self._history_open, self._unlock_failed, describe)

    def _open_history(self, passphrase: str) -> None:
        folder = self._config.data_dir
        self.operations.run(Lane.STORE, lambda: api.Store.open(folder, passphrase), self._history_open, self._unlock_failed, describe)

    def _unlock_failed(self, message: str) -> None:
        self.unlock_page.reset(f"Could not open the history: {message}.")
        self.failed.emit(message)

    def _history_open(self, store: Store) -> None:
        self.store = store
        first_plan = self.unlock_page.write_plan.isVisible() and self.unlock_page.write_plan.isChecked()
        self.unlock_page.set_first_run(False)
        self.pages.setCurrentIndex(1)
        self.idle_watch.set_minutes(load_settings().idle_lock_minutes)
        self.operations.run(Lane.STORE, store.safety_plan, lambda plan: self._plan_loaded(store, plan, first_plan), self._failed, describe)
        self.composer.editor.setFocus()
        if self.engine is not None:
            self._start_session(api.Session(self.engine, store))
        self.refresh_conversations()
        self.unlocked.emit()

    def lock(self) -> None:
        """Drop the key and clear the screen. A reply being written stops; what was committed stays."""
        store, self.store, self.session = self.store, None, None
        replying = bool(self._running)
        for _turn, stop in self._running:
            stop.set()
        self._waiting.clear()
        self._running.clear()
        self.idle_watch.stop()
        for dialog in (self.settings_dialog, self.findChild(SafetyPlanDialog)):
            if dialog is not None:
                dialog.reject()
        self.plan = SafetyPlan()
        self.crisis_panel.clear()
        self.card_panel.clear()
        self.timeline.show_points((), local_time)
        self.transcript.clear()
        self.sidebar.clear()
        self.composer.editor.clear()
        self.composer.cancel_edit()
        self.pages.setCurrentIndex(0)
        self.statusBar().clearMessage()
        self.unlock_page.reset()
        if store is not None:  # after a reply being written, which still commits its turn
            self.operations.run(Lane.MODELS if replying else Lane.STORE, store.lock, lambda _r: None, self._failed, describe)

    def refresh_conversations(self) -> None:
        store = self.store
        if store is None:
            return
        current = self.session.conversation_id if self.session else None
        self.operations.run(Lane.STORE, store.conversations,
                            lambda found: self._list_if(store, lambda: self.sidebar.show_conversations(found, current)),
                            self._failed, describe)

    def search(self, query: str) -> None:
        store = self.store
        if store is None:
            return
        if not query:
            self.refresh_conversations()
            return
        self.operations.run(Lane.STORE, lambda: store.search(query),
                            lambda hits: self._list_if(store, lambda: self.sidebar.show_results(hits, query)), self._failed, describe)

    def _list_if(self, store: Store, show: Callable[[], None]) -> None:
        if store is self.store:
            show()

    def new_conversation(self) -> None:
        if self.engine is not None and self.store is not None:
            self._start_session(api.Session(self.engine, self.store))
            self.refresh_conversations()

    def open_conversation(self, conversation_id: int, message_id: int = 0) -> None:
        engine, store = self.engine, self.store
        if engine is None or store is None:
            return
        self.operations.run(Lane.STORE, lambda: api.Session(engine, store, conversation_id),
                            lambda session: self._opened(session, message_id), self._failed, describe)

    def _opened(self, session: Session, message_id: int) -> None:
        if session.store is self.store:
            self._start_session(session)
            if message_id:
                self.transcript.reveal(message_id)

    def rename_conversation(self, conversation_id: int) -> None:
        store = self.store
        if store is None:
            return
        title, accepted = QInputDialog.getText(self, "Rename conversation", "New title:")
        if accepted and title.strip():
            self.operations.run(Lane.STORE, lambda: store.rename(conversation_id, " ".join(title.split())),
                                lambda _c: self.refresh_conversations(), self._failed, describe)

    def delete_conversation(self, conversation_id: int) -> None:
        store = self.store
        if store is None:
            return
        answer = QMessageBox.question(self, "Delete conversation",
                                      "Delete this conversation? Its text is removed from this computer; this cannot be undone.",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        session = self.session
        if session is not None and session.conversation_id == conversation_id:
            self.operations.run(Lane.MODELS, session.delete, lambda changes: self._apply(session, changes), self._failed, describe)
        else:
            self.operations.run(Lane.STORE, lambda: store.delete_conversation(conversation_id),
                                lambda _r: self.refresh_conversations(), self._failed, describe)

    # ------------------------------------------------------------ conversation

    def _start_session(self, session: Session) -> None:
        self.session = session
        self.transcript.new_conversation()
        self.composer.cancel_edit()
        self.transcript.end_stream()
        self._redraw()
        self.card_panel.clear()
        if session.crisis_mode.active:
            self.show_crisis_panel()
        else:
            self.crisis_panel.hide()
        waiting, self._waiting = self._waiting, []
        for turn in waiting:
            self._run_turn(turn)

    def send(self, text: str) -> None:
        """Answer a message, or resend an edited one; while the models load or a reply is being written it
        waits its turn, and the status line says so."""
        editing = self.composer.editing
        self.composer.cancel_edit()
        if editing is not None:
            self._run_turn(_Turn(lambda s, stop: s.edit(editing, text, self.reply_piece.emit, stop), text))
        else:
            self._run_turn(_Turn(lambda s, stop: s.send(text, self.reply_piece.emit, stop), text))

    def regenerate(self) -> None:
        if self.session is not None and self.session.can_regenerate:
            self._run_turn(_Turn(lambda s, stop: s.regenerate(self.reply_piece.emit, stop)))

    def _run_turn(self, turn: _Turn) -> None:
        session = self.session
        if session is None:
            self._waiting.append(turn)
            self._redraw()
            self.statusBar().showMessage("Your message will be answered as soon as the models are ready.")
            return
        stop = threading.Event()
        queued = self.operations.busy(Lane.MODELS)
        self.statusBar().showMessage("Your message will be answered after this reply." if queued else "Haven is writing…")
        self._running.append((turn, stop))
        self._redraw()
        self.composer.stop_button.setEnabled(True)
        self.transcript.start_stream()
        self.transcript.scroll_to_end()
        self.announce("Haven is replying")
        self.operations.run(Lane.MODELS, lambda: turn.call(session, stop), lambda changes: self._apply(session, changes),
                            self._reply_failed, describe)

    def _message_action(self, kind: str, message_id: int) -> None:
        session = self.session
        if session is None:
            return
        message = next((m for m in session.messages if m.id == message_id), None)
        if message is None:
            return
        if kind == "copy":
            self._copy(message.text)
        elif kind == "edit":
            self.composer.start_edit(message_id, message.text)
        elif kind in ("prev", "next"):
            step = -1 if kind == "prev" else 1
            self.operations.run(Lane.MODELS, lambda: session.switch_version(message_id, step),
                                lambda changes: self._apply(session, changes), self._failed, describe)

    def stop_reply(self) -> None:
        """Ends the reply being written at its next token; what was written so far is kept."""
        if self._running:
            self._running[0][1].set()
        elif self.composer.editing is not None:
            self.composer.cancel_edit()

    def _redraw(self) -> None:
        """The conversation on screen, with the messages sent and not yet answered after it."""
        stored = self.session.messages if self.session is not None else ()
        unanswered = [turn.shown for turn, _stop in self._running] + [turn.shown for turn in self._waiting]
        waiting = tuple(Message(None, None, None, "user", text) for text in unanswered if text)
        dark = appearance.is_dark(QApplication.instance())  # type: ignore[arg-type]
        clinician = self.clinician_action.isChecked()
        self.transcript.show_messages((*stored, *waiting), clinician=clinician, dark=dark)
        self.timeline.setVisible(clinician)
        if clinician:
            self.timeline.show_points(timeline(stored), local_time)

    def set_clinician_view(self, on: bool) -> None:
        """Show or hide each message's triage labels (intent, risk, confidence), and keep the choice."""
        if self.clinician_action.isChecked() != on:
            self.clinician_action.setChecked(on)  # toggled calls back here
            return
        save_settings(replace(load_settings(), clinician_view="on" if on else ""))
        self._redraw()

    def announce(self, text: str) -> None:
        """Tell a screen reader, once (not per token)."""
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.transcript.browser, text))

    def _apply(self, session: Session, changes: Changes) -> None:
        if changes.reply is not None:
            self._reply_done()
        if session is self.session and changes.messages:
            self._redraw()
        if changes.conversations:
            self.refresh_conversations()
        if session is self.session and changes.crisis and not session.crisis_mode.active:
            self.crisis_panel.hide()
        reply = changes.reply
        if reply is not None and reply.crisis_mode and session is self.session:
            self.show_crisis_panel()
        if reply is not None and reply.card is not None and session is self.session:
            self.card_panel.show_card(reply.card)
        if reply is not None:
            writing = self.operations.busy(Lane.MODELS)
            self.statusBar().showMessage("Haven is writing…" if writing else "Stopped." if reply.stopped else "Ready.")
            self.announce("Reply complete")
            self.replied.emit(reply)

    def _reply_done(self) -> None:
        self.transcript.end_stream()
        if self._running:
            self._running.pop(0)
        self.composer.stop_button.setEnabled(bool(self._running))

    def _reply_failed(self, message: str) -> None:
        self._reply_done()
        self._redraw()
        self._failed(message)

    def _failed(self, message: str) -> None:
        self.statusBar().showMessage(f"Something went wrong: {message}")
        self.failed.emit(message)

    # ------------------------------------------------------------ care: crisis panel, safety plan, quick exit

    def show_crisis_panel(self) -> None:
        """The crisis lines of the chosen country, breathing and the person's plan; no reply model needed."""
        self.crisis_panel.show_resources(resources_for(self._config.country))
        self.crisis_panel.show_plan(self.plan)
        self.crisis_panel.show()

    def end_crisis_mode(self) -> None:
        """The person says they are safe now: the conversation leaves crisis mode and the panel closes."""
        self.crisis_panel.hide()
        session = self.session
        if session is not None:
            self.operations.run(Lane.MODELS, session.end_crisis_mode, lambda changes: self._apply(session, changes),
                                self._failed, describe)

    def _plan_loaded(self, store: Store, plan: SafetyPlan, then_edit: bool) -> None:
        if store is not self.store:
            return
        self.plan = plan
        self.crisis_panel.show_plan(plan)
        if then_edit:
            self.open_safety_plan()

    def open_safety_plan(self) -> None:
        """The safety plan editor (only while the history is open: the plan is kept in it)."""
        if self.store is None:
            self.statusBar().showMessage("Unlock Haven to write or read your safety plan.", 5000)
            return
        dialog = SafetyPlanDialog(self.plan, self)
        dialog.saved.connect(self.save_safety_plan)
        dialog.print_requested.connect(lambda plan: self.export_safety_plan(plan, dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def save_safety_plan(self, plan: SafetyPlan) -> None:
        store = self.store
        if store is None:
            return
        self.operations.run(Lane.STORE, lambda: store.save_safety_plan(plan), lambda saved: self._plan_saved(store, saved),
                            self._failed, describe)

    def _plan_saved(self, store: Store, plan: SafetyPlan) -> None:
        if store is self.store:
            self.plan = plan
            self.crisis_panel.show_plan(plan)
            self.statusBar().showMessage("Your safety plan is saved.", 4000)
            self.plan_saved.emit(plan)

    def export_safety_plan(self, plan: SafetyPlan, parent: QWidget | None = None) -> None:
        """A printable Markdown page of the plan, after saying it is not encrypted."""
        answer = QMessageBox.warning(parent or self, "Printable safety plan", f"{NOT_ENCRYPTED} Save it anyway?",
                                     QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                     QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        path, _kind = QFileDialog.getSaveFileName(parent or self, "Save the safety plan", "safety-plan.md", "Markdown (*.md)")
        if path:
            page = plan.as_markdown(NOT_ENCRYPTED)
            self.operations.run(Lane.STORE, lambda: _write_private(Path(path), page),
                                lambda _r: self.statusBar().showMessage(f"Saved to {path}.", 5000), self._failed, describe)

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self._copied.add(text)
        self.statusBar().showMessage("Copied.", 3000)

    def quick_exit(self) -> None:
        """Hide every Haven window at once, then clear what was on screen and on the clipboard, stop any
        reply and lock. Shown again, the window has only the unlock screen."""
        started = time.perf_counter()
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.hide()
        self.quick_exit_ms = (time.perf_counter() - started) * 1000
        clipboard = QGuiApplication.clipboard()
        if self._is_haven_text(clipboard.text()):
            clipboard.clear()
        self._copied.clear()
        self.sidebar.search_box.clear()
        self.lock()
        self.exited.emit()

    def _is_haven_text(self, text: str) -> bool:
        """Whether text came from Haven: copied by its buttons, or selected from a message or the safety plan."""
        if not text.strip():
            return False
        shown = [message.text for message in self.session.messages] if self.session else []
        return text in self._copied or any(text.strip() in words for words in (*shown, *self.plan.sections.values()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.WindowStateChange and self.isMinimized() and load_settings().lock_on_minimise == "on":
            self.lock()
        super().changeEvent(event)

    # ------------------------------------------------------------ settings, export, wipe

    def make_settings_dialog(self) -> SettingsDialog:
        """The settings dialog, each change wired to where it applies."""
        dialog = SettingsDialog(load_settings(), self.engine.info() if self.engine else None, self._config.country, self)
        dialog.changed.connect(self.apply_settings)
        dialog.reply_model_chosen.connect(self.choose_reply_model)
        dialog.triage_model_chosen.connect(self.switch_triage_model)
        dialog.country_chosen.connect(self.set_country)
        dialog.wipe_requested.connect(lambda: self.wipe_everything(dialog))
        self.settings_dialog = dialog
        return dialog

    def open_settings(self) -> None:
        self.make_settings_dialog().exec()
        self.settings_dialog = None

    def apply_settings(self, settings: Settings) -> None:
        """Keep the settings and apply what changed: the look at once, generation from the next reply."""
        save_settings(settings)
        if self.store is not None:
            self.idle_watch.set_minutes(settings.idle_lock_minutes)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        appearance.apply(app, settings.theme, settings.font_points, app.font().family())
        self._redraw()
        temperature, max_tokens = settings.reply_temperature, settings.reply_max_tokens
        self._config = replace(self._config, temperature=temperature, max_tokens=max_tokens)
        engine = self.engine
        if engine is not None and (engine.config.temperature, engine.config.max_tokens) != (temperature, max_tokens):
            self.operations.run(Lane.MODELS, lambda: engine.set_generation(temperature, max_tokens),
                                lambda _r: None, self._failed, describe)

    def choose_reply_model(self, path: str) -> None:
        """Reply with an imported GGUF ("" for the embedded model). It is checked as it loads; once it replies, its
        sha256 is kept with its path, so a file changed later is refused."""
        engine = self.engine
        if engine is None:
            self._reply_model_refused("the models are still loading")
            return
        chosen = Path(path) if path else None
        self.model_status.setText("Loading the reply model…")
        self.operations.run(Lane.MODELS, lambda: engine.set_reply_model(chosen), lambda _r: self._reply_model_changed(),
                            self._reply_model_refused, describe)

    def _reply_model_changed(self) -> None:
        assert self.engine is not None
        info = self.engine.info()
        path = self.engine.config.reply_model_path
        save_settings(replace(load_settings(), reply_model_path=str(path) if path else "",
                              reply_model_sha256=info.reply_sha256 if path else ""))
        self._show_ready()
        if self.settings_dialog is not None:
            self.settings_dialog.show_reply_model(info)

    def _reply_model_refused(self, message: str) -> None:
        if self.engine is not None:
            self._show_ready()
        if self.settings_dialog is not None:
            self.settings_dialog.show_reply_model(self.engine.info() if self.engine else None, f"Not used: {message}.")
        self.failed.emit(message)

    def wipe_everything(self, parent: QWidget | None = None) -> None:
        """Delete the whole history, once the person has typed the word: a click alone cannot do it."""
        word, accepted = QInputDialog.getText(parent or self, "Delete everything",
                                              "This deletes every conversation on this computer and cannot be undone.\n"
                                              "Type DELETE to confirm:")
        if not accepted or word.strip().upper() != "DELETE":
            return
        folder = self._config.data_dir
        self.lock()
        self.operations.run(Lane.STORE, lambda: api.wipe(folder), lambda _r: self._wiped(), self._failed, describe)

    def _wiped(self) -> None:
        self.unlock_page.set_first_run(True)
        self.statusBar().showMessage("Everything was deleted.", 5000)

    def export_conversation(self) -> None:
        """Write the conversation as Markdown or JSON, where the person chooses, after saying it is not encrypted."""
        session, store = self.session, self.store
        if session is None or store is None or session.conversation_id is None:
            self.statusBar().showMessage("There is no conversation to export yet.", 5000)
            return
        answer = QMessageBox.warning(self, "Export conversation", f"{NOT_ENCRYPTED} Export anyway?",
                                     QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                     QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        path, chosen = QFileDialog.getSaveFileName(self, "Export conversation", "conversation.md",
                                                   "Markdown (*.md);;JSON (*.json)")
        if not path:
            return
        fmt: ExportFormat = "json" if chosen.startswith("JSON") or path.endswith(".json") else "md"
        conversation = session.conversation_id
        self.operations.run(Lane.STORE, lambda: _write_private(Path(path), store.export(conversation, fmt)),
                            lambda _r: self.statusBar().showMessage(f"Exported to {path}.", 5000), self._failed, describe)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shut_down()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """Stop any reply, wait for the lanes and lock the history (on close, and when the app quits)."""
        for _turn, stop in self._running:
            stop.set()
        self.operations.wait()
        if self.store is not None:
            self.store.lock()



def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (an export holds the conversation in plain text)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
