"""The crisis panel: the country's crisis lines, a breathing exercise and the person's own safety plan.

It sits beside the conversation (never a modal: the person can keep writing), shows whenever a reply
comes in crisis mode, and needs nothing from the reply model: the lines are data from the engine and
the plan comes from the history.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desktop_app.engine.api import CountryResources, SafetyPlan

# (what to do, seconds): paced breathing with a longer out-breath, which slows the heart.
BREATHING = (("Breathe in slowly", 4), ("Hold", 4), ("Breathe out gently", 6))
GROUNDING = ("Name 5 things you can see", "4 things you can feel", "3 things you can hear", "2 things you can smell",
             "1 thing you can taste")


class Breathing(QWidget):
    """Paced breathing to follow on screen: one phase at a time, with its seconds counting down."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cue = QLabel("When you are ready, breathe with the count: in for 4, hold for 4, out for 6.",
                          objectName="breathing_cue", wordWrap=True)
        self.cue.setAccessibleName("Breathing exercise")
        self.button = QPushButton("Start breathing", objectName="breathing_button")
        self.button.setCheckable(True)
        self.button.toggled.connect(self._toggle)
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self._phase, self._left = 0, 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cue)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self.button.setChecked(False)

    def _toggle(self, on: bool) -> None:
        if on:
            self._phase, self._left = 0, BREATHING[0][1]
            self._timer.start()
            self.button.setText("Stop")
            self._show()
        else:
            self._timer.stop()
            self.button.setText("Start breathing")
            self.cue.setText("Breathe with the count whenever you need it: in for 4, hold for 4, out for 6.")

    def _tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._phase = (self._phase + 1) % len(BREATHING)
            self._left = BREATHING[self._phase][1]
        self._show()

    def _show(self) -> None:
        self.cue.setText(f"{BREATHING[self._phase][0]}… {self._left}")


class CrisisPanel(QFrame):
    """`closed`: the person hid the panel (it comes back with the next reply in crisis mode); `safe_now`:
    they say they are safe, which ends crisis mode; `edit_plan`: open the safety plan editor; `copied`
    carries a number the person copied."""

    closed = Signal()
    safe_now = Signal()
    edit_plan = Signal()
    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crisis_panel")
        self.setAccessibleName("Crisis support")
        self.setMinimumWidth(280)
        self.heading = QLabel("<b>You don't have to face this alone.</b>", objectName="crisis_heading", wordWrap=True)
        self.intro = QLabel("You can talk to a person right now, free and in confidence:", wordWrap=True)
        self.lines = QWidget(objectName="crisis_lines")
        self._lines_layout = QGridLayout(self.lines)
        self._lines_layout.setContentsMargins(0, 0, 0, 0)
        self.breathing = Breathing()
        grounding = QLabel("<b>Grounding: 5-4-3-2-1</b><br>" + "<br>".join(GROUNDING), objectName="grounding", wordWrap=True)
        self.plan = QLabel("", objectName="crisis_plan", wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.plan.setAccessibleName("My safety plan")
        self.plan.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.plan_button = QPushButton("Write my safety plan…", objectName="plan_button")
        self.safe_button = QPushButton("I'm safe now", objectName="safe_now")
        self.safe_button.setToolTip("Ends crisis support in this conversation")
        self.close_button = QPushButton("Hide", objectName="close_panel")
        self.close_button.setAccessibleName("Hide crisis support")
        body = QFrame()
        column = QVBoxLayout(body)
        for widget in (self.intro, self.lines, _heading("Breathe with me"), self.breathing, grounding,
                       _heading("My safety plan"), self.plan, self.plan_button):
            column.addWidget(widget)
        column.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        top = QHBoxLayout()  # the way out of the panel stays in view however long the plan is
        top.addWidget(self.heading, 1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.safe_button)
        self.close_button.clicked.connect(self._close)
        self.safe_button.clicked.connect(self.safe_now)
        self.plan_button.clicked.connect(self.edit_plan)
        self.show_plan(SafetyPlan())

    def show_resources(self, resources: CountryResources) -> None:
        """The country's lines: each number copies with one tap."""
        while self._lines_layout.count():
            item = self._lines_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        row = 0
        if resources.emergency:
            self._add_line(row, f"Emergency ({resources.name})", resources.emergency, "call")
            row += 1
        for line in resources.lines:
            for way, number in (("call", line.phone), ("text", line.text)):
                if number:
                    self._add_line(row, f"{line.name} · {line.hours}", number, way)
                    row += 1
        if resources.note:
            self._lines_layout.addWidget(QLabel(resources.note, wordWrap=True), row, 0, 1, 2)

    def _add_line(self, row: int, name: str, number: str, way: str) -> None:
        label = QLabel(name, wordWrap=True)
        button = QPushButton(f"{'Call' if way == 'call' else 'Text'} {number}", objectName="line_number")
        button.setAccessibleName(f"Copy the number to {way}: {name}, {number}")
        button.setToolTip("Copy the number")
        button.clicked.connect(lambda: self.copied.emit(number))
        self._lines_layout.addWidget(label, row, 0)
        self._lines_layout.addWidget(button, row, 1)

    def show_plan(self, plan: SafetyPlan) -> None:
        """The person's plan in their own words, or an offer to write one."""
        filled = plan.filled()
        self.plan.setText("\n\n".join(f"{heading}:\n{text}" for heading, text in filled) if filled else
                          "You haven't written a safety plan yet. It is a short list, in your own words, of what helps "
                          "and who you can turn to.")
        self.plan_button.setText("Edit my safety plan…" if filled else "Write my safety plan…")

    def clear(self) -> None:
        """Forget the plan's words (on lock and quick exit)."""
        self.breathing.stop()
        self.show_plan(SafetyPlan())
        self.hide()

    def _close(self) -> None:
        self.breathing.stop()
        self.hide()
        self.closed.emit()


def _heading(text: str) -> QLabel:
    return QLabel(f"<b>{text}</b>")
