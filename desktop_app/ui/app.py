"""The Haven window: a private chat that shows each message's triage labels."""

from __future__ import annotations

import html
import sys
import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.engine.api import Changes, Engine, HavenError, Session, available_models, countries, default_model_name, resolve
from desktop_app.ui.operations import Lane, Operations

DISCLAIMER = (
    "Haven is an AI, not a clinician. It can't diagnose, and it isn't for emergencies: "
    "if you are in danger, call your local emergency number."
)
RISK_COLOURS = {"crisis": "#b3261e", "concern": "#9a6700", "none": "#5f6368"}


def _describe(exc: Exception) -> str:
    return str(exc) if isinstance(exc, HavenError) else type(exc).__name__


class MainWindow(QMainWindow):
    """Transcript, input, and the model and country pickers. All engine work runs off the GUI thread."""

    engine_ready = Signal(str)
    replied = Signal(object)
    failed = Signal(str)
    reply_piece = Signal(str)  # emitted from the worker thread; Qt queues it to the GUI thread

    def __init__(self, model: str | None = None, country: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Haven")
        self.resize(760, 620)
        self.operations = Operations(self)
        self.engine: Engine | None = None
        self.session: Session | None = None
        self._config = resolve(country=country, triage_model=model)
        self._waiting: list[str] = []  # sent before the models were ready
        self._stops: list[threading.Event] = []  # of the replies queued or being written, oldest first

        self.transcript = QTextBrowser(objectName="transcript")
        self.transcript.setOpenLinks(False)
        self.input = QLineEdit(objectName="input", placeholderText="Write a message…")
        self.send_button = QPushButton("Send", objectName="send")
        self.stop_button = QPushButton("Stop", objectName="stop", enabled=False)
        self.streaming = QLabel("", objectName="streaming", wordWrap=True)
        self.streaming.setTextFormat(Qt.TextFormat.PlainText)
        self.model_picker = QComboBox(objectName="model")
        self.model_picker.addItems(available_models())
        self.model_picker.setCurrentText(self._config.triage_model or default_model_name())
        self.country_picker = QComboBox(objectName="country")
        for code, name in countries().items():
            self.country_picker.addItem(name, code)
        self.country_picker.setCurrentIndex(max(0, self.country_picker.findData(self._config.country)))
        banner = QLabel(DISCLAIMER, objectName="disclaimer", wordWrap=True)
        banner.setStyleSheet("background:#fff4e5;color:#3c2a00;padding:8px;border-radius:6px;")

        pickers = QHBoxLayout()
        pickers.addWidget(QLabel("Triage model:"))
        pickers.addWidget(self.model_picker)
        pickers.addStretch()
        pickers.addWidget(QLabel("Crisis lines for:"))
        pickers.addWidget(self.country_picker)
        entry = QHBoxLayout()
        entry.addWidget(self.input, 1)
        entry.addWidget(self.send_button)
        entry.addWidget(self.stop_button)
        layout = QVBoxLayout()
        layout.addWidget(banner)
        layout.addLayout(pickers)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self.streaming)
        layout.addLayout(entry)
        body = QWidget()
        body.setLayout(layout)
        self.setCentralWidget(body)

        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop_reply)
        self.reply_piece.connect(self._show_piece)
        self.input.returnPressed.connect(self.send)
        self.model_picker.currentTextChanged.connect(self.switch_triage_model)
        self.country_picker.currentIndexChanged.connect(self._country_changed)
        self._load_engine()

    # ------------------------------------------------------------ engine

    def _load_engine(self) -> None:
        config = self._config
        self.model_picker.setEnabled(False)
        self.statusBar().showMessage("Loading the triage model and the reply model…")
        self.operations.run(Lane.MODELS, lambda: Engine(config), self._engine_loaded, self._failed, _describe)

    def _engine_loaded(self, engine: Engine) -> None:
        self.engine = engine
        self.session = Session(engine)
        self._show_ready()
        for text in self._waiting:
            self._start_reply(text)
        self._waiting.clear()

    def switch_triage_model(self, name: str) -> None:
        """Judge the next messages with another classifier; the conversation and the reply model stay."""
        engine = self.engine
        if engine is None or name == engine.info().triage_model:
            return
        self.model_picker.setEnabled(False)
        self.statusBar().showMessage(f"Loading the {name} triage model…")
        self.operations.run(Lane.MODELS, lambda: engine.set_triage_model(name), lambda _done: self._show_ready(),
                            self._failed, _describe)

    def _show_ready(self) -> None:
        assert self.engine is not None
        info = self.engine.info()
        self.model_picker.setEnabled(True)
        self.model_picker.setCurrentText(info.triage_model)
        self.statusBar().showMessage(f"Ready ({info.describe()}).")
        self.engine_ready.emit(info.triage_model)

    def _country_changed(self) -> None:
        if self.engine is not None:
            self.engine.set_country(self.country_picker.currentData())

    # ------------------------------------------------------------ chat

    def send(self) -> None:
        """Show the message and answer it; while the models load, or while a reply is being written, it waits
        its turn, and the status line says so."""
        text = self.input.text().strip()
        if not text:
            return
        self.input.clear()
        self._append("You", html.escape(text), "#1a73e8")
        if self.session is None:
            self._waiting.append(text)
            self.statusBar().showMessage("Your message will be answered as soon as the models are ready.")
            return
        self._start_reply(text)

    def _start_reply(self, text: str) -> None:
        session, stop = self.session, threading.Event()
        assert session is not None
        queued = self.operations.busy(Lane.MODELS)
        self.statusBar().showMessage("Your message will be answered after this reply." if queued else "Haven is writing…")
        self._stops.append(stop)
        self.stop_button.setEnabled(True)
        self.operations.run(Lane.MODELS, lambda: session.send(text, on_text=self.reply_piece.emit, stop=stop),
                            self._show_reply, self._reply_failed, _describe)

    def stop_reply(self) -> None:
        """Ends the reply being written at its next token; what was written so far is kept."""
        if self._stops:
            self._stops[0].set()

    def _show_piece(self, piece: str) -> None:
        self.streaming.setText(self.streaming.text() + piece)

    def _show_reply(self, changes: Changes) -> None:
        reply = changes.reply
        assert reply is not None
        decision, triage = reply.assessment.decision, reply.assessment.triage
        colour = RISK_COLOURS[decision.risk]
        score = triage.scores.get(decision.intent, 0.0)
        self.transcript.append(
            f'<div style="color:{colour};font-size:small">triage: {decision.intent} · risk: {decision.risk}'
            f" · {score:.0%} ({html.escape(triage.model)})</div>"
        )
        self._reply_done()
        body = html.escape(reply.text).replace("\n", "<br>")
        self._append("Haven", body, RISK_COLOURS["crisis"] if reply.action in ("crisis_response", "crisis_checkin") else "#188038")
        writing = self.operations.busy(Lane.MODELS)
        self.statusBar().showMessage("Haven is writing…" if writing else "Stopped." if reply.stopped else "Ready.")
        self.replied.emit(reply)

    def _reply_done(self) -> None:
        self.streaming.clear()
        if self._stops:
            self._stops.pop(0)
        self.stop_button.setEnabled(bool(self._stops))

    def _reply_failed(self, message: str) -> None:
        self._reply_done()
        self._failed(message)

    def _failed(self, message: str) -> None:
        self.model_picker.setEnabled(self.engine is not None)
        self.statusBar().showMessage(f"Something went wrong: {message}")
        self.failed.emit(message)

    # ------------------------------------------------------------ helpers

    def _append(self, who: str, body_html: str, colour: str) -> None:
        self.transcript.append(f'<p><b style="color:{colour}">{who}</b><br>{body_html}</p>')

    def closeEvent(self, event: QCloseEvent) -> None:
        for stop in self._stops:
            stop.set()
        self.operations.wait()
        super().closeEvent(event)


def run_gui(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("Haven")
    window = MainWindow()
    window.show()
    window.input.setFocus(Qt.FocusReason.OtherFocusReason)
    return app.exec()
