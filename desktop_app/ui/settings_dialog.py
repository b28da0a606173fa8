"""Settings: theme and font size, applied at once and kept; and wiping the whole history."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from desktop_app.engine.api import Settings
from desktop_app.ui.appearance import DEFAULT_POINTS, THEMES


class SettingsDialog(QDialog):
    """`changed` carries the new settings as soon as one is changed; `wipe_requested` asks for the wipe
    (the window confirms it)."""

    changed = Signal(object)
    wipe_requested = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        self.theme = QComboBox(objectName="theme")
        self.theme.setAccessibleName("Theme")
        for key, name in THEMES.items():
            self.theme.addItem(name, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.font_size = QSpinBox(objectName="font_size", minimum=8, maximum=28, suffix=" pt")
        self.font_size.setAccessibleName("Font size")
        self.font_size.setValue(int(settings.font_size) if settings.font_size.isdigit() else DEFAULT_POINTS)
        self.wipe = QPushButton("Delete everything…", objectName="wipe")
        self.wipe.setAccessibleName("Delete the whole history")
        form = QFormLayout()
        form.addRow("Theme", self.theme)
        form.addRow("Font size", self.font_size)
        danger = QLabel("Deleting everything removes every conversation and the passphrase's key from this computer. "
                        "It cannot be undone.", wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(danger)
        layout.addWidget(self.wipe)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.theme.currentIndexChanged.connect(self._changed)
        self.font_size.valueChanged.connect(self._changed)
        self.wipe.clicked.connect(self.wipe_requested)

    def _changed(self) -> None:
        self._settings = replace(self._settings, theme=self.theme.currentData(), font_size=str(self.font_size.value()))
        self.changed.emit(self._settings)
