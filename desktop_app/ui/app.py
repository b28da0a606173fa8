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

from desktop_app.engine.chat import Chat
from desktop_app.engine.errors import HavenError
from desktop_app.engine.facade import Engine, Reply
from desktop_app.engine.resources import countries, guess_country
from desktop_app.engine.settings import load_settings
from desktop_app.engine.triage import available_models, default_model_name
from desktop_app.ui.operations import Operations

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
        self.chat: Chat | None = None
        self._country = country
        self._stop = threading.Event()

        self.transcript = QTextBrowser(objectName="transcript")
        self.transcript.setOpenLinks(False)
        self.input = QLineEdit(objectName="input", placeholderText="Write a message…")
        self.send_button = QPushButton("Send", objectName="send")
        self.stop_button = QPushButton("Stop", objectName="stop", enabled=False)
        self.streaming = QLabel("", objectName="streaming", wordWrap=True)
        self.streaming.setTextFormat(Qt.TextFormat.PlainText)
        self.model_picker = QComboBox(objectName="model")
        self.model_picker.addItems(available_models())
        self.model_picker.setCurrentText(model or default_model_name())
        self.country_picker = QComboBox(objectName="country")
        for code, name in countries().items():
            self.country_picker.addItem(name, code)
        self.country_picker.setCurrentIndex(max(0, self.country_picker.findData((country or guess_country()).upper())))
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
        self.model_picker.currentTextChanged.connect(self.load_engine)
        self.country_picker.currentIndexChanged.connect(self._country_changed)
        self.load_engine(self.model_picker.currentText())

    # ------------------------------------------------------------ engine

    def load_engine(self, model: str) -> None:
        self._set_busy(True, f"Loading the {model} triage model and the reply model…")
        country = self.country_picker.currentData()
        saved = load_settings()
        self.operations.run(
            lambda: Engine(model, country, reply_model_path=saved.reply_model_file,
                           reply_model_sha256=saved.reply_model_sha256),
            self._engine_loaded, self._failed, _describe,
        )

    def _engine_loaded(self, engine: Engine) -> None:
        self.engine = engine
        self.chat = Chat(engine)
        replies = engine.reply_model_name if engine.reply_model else f"curated replies ({engine.reply_error})"
        self._set_busy(False, f"Ready (triage {engine.classifier.name}; replies: {replies}).")
        self.engine_ready.emit(engine.classifier.name)

    def _country_changed(self) -> None:
        if self.engine is not None:
            self.engine.country = self.country_picker.currentData()

    # ------------------------------------------------------------ chat

    def send(self) -> None:
        text = self.input.text().strip()
        if not text or self.chat is None or self.operations.busy:
            return
        self.input.clear()
        self._append("You", html.escape(text), "#1a73e8")
        chat, stop = self.chat, threading.Event()
        self._stop = stop
        self._set_busy(True, "Haven is writing…")
        self.stop_button.setEnabled(True)
        self.operations.run(lambda: chat.send(text, on_text=self.reply_piece.emit, stop=stop),
                            self._show_reply, self._failed, _describe)

    def stop_reply(self) -> None:
        """Ends the reply being written at its next token; what was written so far is kept."""
        self._stop.set()

    def _show_piece(self, piece: str) -> None:
        self.streaming.setText(self.streaming.text() + piece)

    def _show_reply(self, reply: Reply) -> None:
        decision, triage = reply.assessment.decision, reply.assessment.triage
        colour = RISK_COLOURS[decision.risk]
        score = triage.scores.get(decision.intent, 0.0)
        self.transcript.append(
            f'<div style="color:{colour};font-size:small">triage: {decision.intent} · risk: {decision.risk}'
            f" · {score:.0%} ({html.escape(triage.model)})</div>"
        )
        self.streaming.clear()
        self.stop_button.setEnabled(False)
        body = html.escape(reply.text).replace("\n", "<br>")
        self._append("Haven", body, RISK_COLOURS["crisis"] if reply.action in ("crisis_response", "crisis_checkin") else "#188038")
        self._set_busy(False, "Stopped." if reply.stopped else "Ready.")
        self.replied.emit(reply)

    def _failed(self, message: str) -> None:
        self.streaming.clear()
        self.stop_button.setEnabled(False)
        self._set_busy(False, f"Something went wrong: {message}")
        self.failed.emit(message)

    # ------------------------------------------------------------ helpers

    def _append(self, who: str, body_html: str, colour: str) -> None:
        self.transcript.append(f'<p><b style="color:{colour}">{who}</b><br>{body_html}</p>')

    def _set_busy(self, busy: bool, status: str) -> None:
        self.send_button.setEnabled(not busy)
        self.model_picker.setEnabled(not busy)
        self.statusBar().showMessage(status)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_reply()
        self.operations.wait()
        super().closeEvent(event)


def run_gui(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("Haven")
    window = MainWindow()
    window.show()
    window.input.setFocus(Qt.FocusReason.OtherFocusReason)
    return app.exec()
