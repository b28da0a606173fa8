"""The sidebar: conversations grouped by date, a new one, rename and delete, and search across the history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QMenu, QPushButton, QVBoxLayout, QWidget

from desktop_app.engine.api import Conversation, SearchHit

CONVERSATION = Qt.ItemDataRole.UserRole
MESSAGE = Qt.ItemDataRole.UserRole + 1


def date_group(stamp: str, today: date | None = None) -> str:
    """The heading a conversation last updated at `stamp` is listed under."""
    today = today or date.today()
    try:
        day = datetime.fromisoformat(stamp).astimezone().date()
    except ValueError:
        return "Older"
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    if day > today - timedelta(days=7):
        return "Previous 7 days"
    return "Older"


class Sidebar(QWidget):
    """`opened` carries a conversation id and the message to show (0: its end); `new`, `rename`, `delete`
    and `search` ask the window to do them."""

    opened = Signal(int, int)
    new = Signal()
    rename = Signal(int)
    delete = Signal(int)
    search = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new_button = QPushButton("New conversation", objectName="new_conversation")
        self.new_button.setAccessibleName("New conversation")
        self.search_box = QLineEdit(objectName="search", placeholderText="Search all conversations…")
        self.search_box.setAccessibleName("Search all conversations")
        self.search_box.setClearButtonEnabled(True)
        self.list = QListWidget(objectName="conversations")
        self.list.setAccessibleName("Conversations")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search_box)
        layout.addWidget(self.list, 1)
        self.setMinimumWidth(220)
        self.new_button.clicked.connect(self.new)
        self.search_box.returnPressed.connect(lambda: self.search.emit(self.search_box.text().strip()))
        self.search_box.textChanged.connect(lambda text: None if text.strip() else self.search.emit(""))
        self.list.itemActivated.connect(self._open)
        self.list.itemClicked.connect(self._open)
        self.list.customContextMenuRequested.connect(self._menu)

    def show_conversations(self, conversations: Sequence[Conversation], current: int | None) -> None:
        self.list.clear()
        if not conversations:
            self._heading("No conversations yet")
        heading = None
        for conversation in conversations:
            group = date_group(conversation.updated)
            if group != heading:
                heading = group
                self._heading(group)
            item = QListWidgetItem(conversation.title or "Untitled conversation")
            item.setData(CONVERSATION, conversation.id)
            item.setData(MESSAGE, 0)
            item.setToolTip(f"{conversation.messages} messages")
            self.list.addItem(item)
            if conversation.id == current:
                self.list.setCurrentItem(item)

    def show_results(self, hits: Sequence[SearchHit], query: str) -> None:
        self.list.clear()
        self._heading(f"{len(hits)} found for “{query}”" if hits else f"Nothing found for “{query}”")
        for hit in hits:
            snippet = " ".join(hit.snippet.split())
            item = QListWidgetItem(f"{snippet}\n    in “{hit.title or 'Untitled conversation'}”")
            item.setData(CONVERSATION, hit.conversation_id)
            item.setData(MESSAGE, hit.message_id)
            self.list.addItem(item)

    def _heading(self, text: str) -> None:
        """A line that names what follows; it cannot be selected."""
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        self.list.addItem(item)

    def clear(self) -> None:
        self.list.clear()
        self.search_box.clear()

    def _open(self, item: QListWidgetItem) -> None:
        conversation = item.data(CONVERSATION)
        if conversation is not None:
            self.opened.emit(int(conversation), int(item.data(MESSAGE)))

    def _menu(self, where: QPoint) -> None:
        item = self.list.itemAt(where)
        if item is None or item.data(CONVERSATION) is None:
            return
        conversation = int(item.data(CONVERSATION))
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.rename.emit(conversation))
        menu.addAction("Delete…", lambda: self.delete.emit(conversation))
        menu.exec(self.list.viewport().mapToGlobal(where))
