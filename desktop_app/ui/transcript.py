"""The transcript: the active branch of a conversation as bubbles, and the reply being written."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop_app.engine.api import Message
from desktop_app.ui.render import message_html

STREAM_FLUSH_MS = 50  # pieces of a streaming reply are shown in batches, not token by token
SHOWN_AT_FIRST = 200  # a long conversation draws its newest messages; older ones on request, this many at a time


class _Browser(QTextBrowser):
    def loadResource(self, kind: int, name: QUrl) -> object:
        return None  # no image, file or network path is ever loaded


class Transcript(QWidget):
    """Shows messages; each message's links ask for an action (`action` carries "prev", "next", "copy" or
    "edit" and the message id)."""

    action = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browser = _Browser(objectName="transcript")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setAccessibleName("Conversation")
        # a caret that the keyboard moves, so a screen reader can read a message line by line
        self.browser.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.browser.anchorClicked.connect(self._clicked)
        self.streaming = QLabel("", objectName="streaming", wordWrap=True)
        self.streaming.setAccessibleName("Reply being written")
        self.streaming.hide()
        self._pending = ""
        self._flush = QTimer(self, interval=STREAM_FLUSH_MS)
        self._flush.timeout.connect(self._show_pending)
        self._rendered: dict[tuple[int | None, str, int, bool, bool, str], str] = {}
        self._limit = SHOWN_AT_FIRST
        self._shown: tuple[tuple[Message, ...], bool, bool] = ((), False, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.streaming)

    def show_messages(self, messages: Sequence[Message], clinician: bool, dark: bool = False) -> None:
        """Draw the branch's newest messages (a link above them shows earlier ones); the view follows the end
        only if it was there already."""
        self._shown = (tuple(messages), clinician, dark)
        bar = self.browser.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        hidden = max(0, len(messages) - self._limit)
        earlier = (f'<p align="center"><a href="earlier:{hidden}">Show earlier messages ({hidden} more)</a></p>'
                   if hidden else "")
        actions = _reply_actions(messages) if clinician else {}
        self.browser.setHtml(earlier + "".join(self._html(message, clinician, dark, actions.get(message.id, ""))
                                               for message in messages[hidden:]))
        if at_end:
            bar.setValue(bar.maximum())

    def reveal(self, message_id: int) -> None:
        """Show the messages down from `message_id` (a search result) and scroll to it."""
        messages = self._shown[0]
        index = next((i for i, m in enumerate(messages) if m.id == message_id), None)
        if index is not None and len(messages) - index > self._limit:
            self._limit = len(messages) - index
            self.show_messages(*self._shown)
        self.browser.scrollToAnchor(f"m{message_id}")

    def new_conversation(self) -> None:
        """A conversation opened anew starts with only its newest messages drawn."""
        self._limit = SHOWN_AT_FIRST

    def scroll_to_end(self) -> None:
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _html(self, message: Message, clinician: bool, dark: bool, action: str) -> str:
        key = (message.id, message.text if message.id is None else "", message.versions, clinician, dark, action)
        if key not in self._rendered:
            self._rendered[key] = message_html(message, clinician, dark, action)
        return self._rendered[key]

    def clear(self) -> None:
        """Forget every message (on lock): nothing of them stays on screen or in the render cache."""
        self.browser.clear()
        self._rendered.clear()
        self._shown = ((), False, False)
        self.end_stream()

    def add_piece(self, piece: str) -> None:
        self._pending += piece
        if not self._flush.isActive():
            self._flush.start()

    def _show_pending(self) -> None:
        if self._pending:
            self.streaming.setText(self.streaming.text() + self._pending)
            self.streaming.show()
            self._pending = ""

    def start_stream(self) -> None:
        self.streaming.setText("Haven is writing…\n")
        self.streaming.show()

    def end_stream(self) -> None:
        self._flush.stop()
        self._pending = ""
        self.streaming.clear()
        self.streaming.hide()

    def _clicked(self, url: QUrl) -> None:
        kind, _, number = url.toString().partition(":")
        if kind == "earlier":
            self._limit += SHOWN_AT_FIRST
            self.show_messages(*self._shown)
        elif number.isdigit():
            self.action.emit(kind, int(number))


def _reply_actions(messages: Sequence[Message]) -> dict[int | None, str]:
    """User message id → the action of the reply that follows it."""
    return {asked.id: reply.origin.action for asked, reply in pairwise(messages)
            if asked.role == "user" and reply.role == "assistant" and reply.origin is not None}
