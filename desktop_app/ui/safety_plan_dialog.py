"""The safety plan editor: the seven steps of the Stanley-Brown plan, each in the person's own words."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.engine.api import SECTIONS, SafetyPlan

INTRO = ("A safety plan is a short list, in your own words, of what you can do and who you can turn to when things get "
         "hard. Write as much or as little as you like; you can change it at any time. It is kept encrypted with your "
         "conversations.")


class SafetyPlanDialog(QDialog):
    """`saved` carries the plan when the person saves it; `print_requested` carries it for a printable page."""

    saved = Signal(object)
    print_requested = Signal(object)

    def __init__(self, plan: SafetyPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("My safety plan")
        self.setObjectName("safety_plan_dialog")
        self.resize(560, 640)
        self.fields: dict[str, QPlainTextEdit] = {}
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(QLabel(INTRO, wordWrap=True))
        for number, (key, heading, prompt) in enumerate(SECTIONS, 1):
            editor = QPlainTextEdit(plan.text(key), objectName=f"plan_{key}")
            editor.setPlaceholderText(prompt)
            editor.setAccessibleName(heading)
            editor.setAccessibleDescription(prompt)
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(72)
            title = QLabel(f"<b>{number}. {heading}</b>")
            title.setBuddy(editor)
            column.addWidget(title)
            column.addWidget(editor)
            self.fields[key] = editor
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.print_button = QPushButton("Printable page…", objectName="print_plan")
        self.print_button.setToolTip("Save the plan as a Markdown page you can print (not encrypted)")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.plan()))

    def plan(self) -> SafetyPlan:
        return SafetyPlan({key: editor.toPlainText() for key, editor in self.fields.items()})

    def _save(self) -> None:
        self.saved.emit(self.plan())
        self.accept()
