"""The clinician's risk timeline: each user message's risk across the conversation, with crisis turns marked.

A small QPainter chart (clicking a point asks to scroll to its message) and the same points as a table,
which a screen reader can walk. Colour is never the only cue: each risk has its own row and shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTabWidget, QWidget

from desktop_app.engine.api import TimelinePoint

RISK_ROWS = ("crisis", "concern", "none")  # top to bottom
RISK_COLOURS = {"crisis": "#c5221f", "concern": "#b06000", "none": "#5f6368"}
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 10, 10
RADIUS = 6.0


class RiskChart(QWidget):
    """`chosen` carries the message id of a clicked point."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("risk_chart")
        self.setAccessibleName("Risk timeline chart")
        self.setMinimumHeight(84)
        self.points: tuple[TimelinePoint, ...] = ()

    def show_points(self, points: Sequence[TimelinePoint]) -> None:
        self.points = tuple(points)
        crises = sum(point.crisis for point in self.points)
        self.setAccessibleDescription(f"{len(self.points)} messages, {crises} judged a crisis. The table tab lists each one.")
        self.update()

    def centre(self, index: int) -> QPointF:
        """Where the point of the `index`th message is drawn."""
        width = max(1.0, self.width() - LEFT - RIGHT)
        step = width / max(1, len(self.points) - 1) if len(self.points) > 1 else 0.0
        x = LEFT + (index * step if len(self.points) > 1 else width / 2)
        row = RISK_ROWS.index(self.points[index].risk) if self.points[index].risk in RISK_ROWS else 2
        return QPointF(x, TOP + (row + 0.5) * (self.height() - TOP - BOTTOM) / len(RISK_ROWS))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        band = (self.height() - TOP - BOTTOM) / len(RISK_ROWS)
        for row, risk in enumerate(RISK_ROWS):
            y = TOP + (row + 0.5) * band
            painter.setPen(text)
            painter.drawText(QRectF(0, y - band / 2, LEFT - 8, band), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, risk)
            painter.setPen(QPen(QColor(text.red(), text.green(), text.blue(), 50), 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(LEFT, y), QPointF(self.width() - RIGHT, y))
        centres = [self.centre(k) for k in range(len(self.points))]
        painter.setPen(QPen(QColor(text.red(), text.green(), text.blue(), 110), 1.5))
        for start, end in pairwise(centres):
            painter.drawLine(start, end)
        for point, centre in zip(self.points, centres, strict=True):
            if point.crisis:  # the crisis turns stand out as a band
                painter.fillRect(QRectF(centre.x() - RADIUS * 1.6, TOP, RADIUS * 3.2, self.height() - TOP - BOTTOM),
                                 QColor(197, 34, 31, 40))
            _draw_marker(painter, point, centre)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        for index, point in enumerate(self.points):
            centre = self.centre(index)
            if point.message_id is not None and abs(centre.x() - position.x()) <= RADIUS * 2 and abs(centre.y() - position.y()) <= RADIUS * 2:
                self.chosen.emit(point.message_id)
                return
        super().mousePressEvent(event)


def _draw_marker(painter: QPainter, point: TimelinePoint, centre: QPointF) -> None:
    """A triangle for a crisis, a square for concern, a circle for none; a ring when context raised it."""
    colour = QColor(RISK_COLOURS.get(point.risk, RISK_COLOURS["none"]))
    painter.setPen(QPen(colour.darker(130), 1))
    painter.setBrush(colour)
    if point.risk == "crisis":
        painter.drawPolygon(QPolygonF([QPointF(centre.x(), centre.y() - RADIUS * 1.2), QPointF(centre.x() - RADIUS, centre.y() + RADIUS * 0.8),
                                       QPointF(centre.x() + RADIUS, centre.y() + RADIUS * 0.8)]))
    elif point.risk == "concern":
        painter.drawRect(QRectF(centre.x() - RADIUS * 0.85, centre.y() - RADIUS * 0.85, RADIUS * 1.7, RADIUS * 1.7))
    else:
        painter.drawEllipse(centre, RADIUS * 0.8, RADIUS * 0.8)
    if point.by_context:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, RADIUS * 1.8, RADIUS * 1.8)


class Timeline(QTabWidget):
    """The chart and the table of the same points; `chosen` carries the message id to scroll to."""

    chosen = Signal(int)
    COLUMNS = ("#", "Time", "Intent", "Risk", "Crisis score", "Raised by context", "Reply")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setAccessibleName("Risk timeline")
        self.chart = RiskChart()
        self.table = QTableWidget(0, len(self.COLUMNS), objectName="timeline_table")
        self.table.setAccessibleName("Risk timeline table")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.addTab(self.chart, "Chart")
        self.addTab(self.table, "Table")
        self.setMaximumHeight(150)
        self.chart.chosen.connect(self.chosen)
        self.table.cellActivated.connect(self._row_chosen)
        self.table.cellClicked.connect(self._row_chosen)
        self._ids: list[int | None] = []

    def show_points(self, points: Sequence[TimelinePoint], local_time: Callable[[str], str]) -> None:
        """`local_time` turns a stored timestamp into the time shown."""
        self.chart.show_points(points)
        self._ids = [point.message_id for point in points]
        self.table.setRowCount(len(points))
        for row, point in enumerate(points):
            cells = (str(row + 1), local_time(point.time), point.intent or "—",
                     ("▲ " if point.crisis else "") + (point.risk or "—"), f"{point.crisis_score:.2f}",
                     "yes" if point.by_context else "no", point.action.replace("_", " ") or "—")
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(cell))
        self.table.resizeColumnsToContents()

    def _row_chosen(self, row: int, _column: int) -> None:
        message_id = self._ids[row] if 0 <= row < len(self._ids) else None
        if message_id is not None:
            self.chosen.emit(message_id)
