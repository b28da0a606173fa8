"""Where a message is written: Enter sends, Shift+Enter starts a new line, and the length is capped with a
clear note."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

MAX_CHARS = 4000


class _Editor(QPlainTextEdit):
    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    """The message editor with Send and Stop. `sent` carries the text; in edit mode it replaces a message."""

    sent = Signal(str)
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = _Editor(objectName="input")
        self.editor.setPlaceholderText("Write a message… (Enter sends, Shift+Enter for a new line)")
        self.editor.setAccessibleName("Message")
        self.editor.setTabChangesFocus(True)
        self.editor.setMaximumHeight(84)
        self.send_button = QPushButton("Send", objectName="send")
        self.send_button.setAccessibleName("Send message")
        self.stop_button = QPushButton("Stop", objectName="stop", enabled=False)
        self.stop_button.setAccessibleName("Stop the reply")
        self.note = QLabel("", objectName="composer_note", wordWrap=True)
        self.note.hide()
        self.editing: int | None = None  # the id of the message being edited
        row = QHBoxLayout()
        row.addWidget(self.editor, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch()
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addLayout(row)
        self.editor.submitted.connect(self._submit)
        self.send_button.clicked.connect(self._submit)
        self.stop_button.clicked.connect(self.stop_requested)
        self.editor.textChanged.connect(self._check_length)

    def _check_length(self) -> None:
        text = self.editor.toPlainText()
        if len(text) > MAX_CHARS:
            self.editor.setPlainText(text[:MAX_CHARS])
            self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
            self.show_note(f"A message can be at most {MAX_CHARS} characters; the rest was not kept.")

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def start_edit(self, message_id: int, text: str) -> None:
        self.editing = message_id
        self.editor.setPlainText(text)
        self.show_note("Editing an earlier message: Enter sends it again, and the later turns become a new version. Esc cancels.")
        self.editor.setFocus()

    def cancel_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.editor.clear()
            self.show_note("")

    def _submit(self) -> None:
        text = self.editor.toPlainText().strip()
        if text:
            self.editor.clear()
            self.sent.emit(text)
