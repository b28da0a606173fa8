"""The coping or information card a reply was grounded on, shown beside the conversation until closed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from desktop_app.engine.api import Card


class CardPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card_panel")
        self.setAccessibleName("Coping card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel("", objectName="card_title", wordWrap=True)
        self.text = QLabel("", objectName="card_text", wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.source = QLabel("", objectName="card_source", wordWrap=True)
        self.close_button = QPushButton("Close", objectName="close_card")
        self.close_button.setAccessibleName("Close the card")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text)
        layout.addWidget(self.source)
        self.close_button.clicked.connect(self.clear)
        self.hide()

    def show_card(self, card: Card) -> None:
        self.title.setText(f"<b>{card.title}</b>")
        self.text.setText(card.text)
        self.source.setText(f"<i>Follows {card.citation}.</i>")
        self.show()

    def clear(self) -> None:
        """Hide it and forget its words (on close, lock and quick exit)."""
        for label in (self.title, self.text, self.source):
            label.clear()
        self.hide()
