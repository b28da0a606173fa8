"""Settings: the country of the crisis lines, the triage model, the reply model (the embedded one or an imported
GGUF, with its name and sha256), how replies are drawn, the theme and font size, when the window locks itself,
each applied at once and kept; and deleting the whole history."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.engine import api
from desktop_app.engine.api import Settings, countries

if TYPE_CHECKING:  # the dialog's module loads with the window; the engine's modules later, on first use
    from desktop_app.engine.api import EngineInfo
from desktop_app.ui.appearance import DEFAULT_POINTS, THEMES


class SettingsDialog(QDialog):
    """`changed` carries the new settings as soon as one is changed; `country_chosen` and `triage_model_chosen` carry
    a country code and a model name; `reply_model_chosen` carries a GGUF path ("" for the embedded model);
    `wipe_requested` asks for the wipe (the window confirms it)."""

    changed = Signal(object)
    country_chosen = Signal(str)
    triage_model_chosen = Signal(str)
    reply_model_chosen = Signal(str)
    wipe_requested = Signal()

    def __init__(self, settings: Settings, info: EngineInfo | None, country: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        self.country = QComboBox(objectName="country")
        self.country.setAccessibleName("Country for crisis lines")
        for code, name in countries().items():
            self.country.addItem(name, code)
        self.country.setCurrentIndex(max(0, self.country.findData(country)))
        self.triage_model = QComboBox(objectName="triage_model")
        self.triage_model.setAccessibleName("Triage model")
        self.triage_model.addItems(api.available_models())
        self.triage_model.setCurrentText(info.triage_model if info else settings.triage_model or api.default_model_name())
        self.triage_model.setEnabled(info is not None)
        self.triage_model.setToolTip("Which classifier judges the next messages; the conversation stays")
        self.reply_model = QLabel("", objectName="reply_model")  # no wrap: a sha256 has no place to break
        self.reply_model.setTextInteractionFlags(self.reply_model.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = QPushButton("Import a GGUF model…", objectName="import_model")
        self.embedded_button = QPushButton("Use the embedded model", objectName="embedded_model")
        defaults = api.Sampling()
        self.temperature = QDoubleSpinBox(objectName="temperature", minimum=0.0, maximum=1.5, singleStep=0.1, decimals=1)
        self.temperature.setAccessibleName("Temperature of a first reply")
        self.temperature.setToolTip("0 gives the most predictable replies; higher values vary more. Regenerating always varies.")
        self.temperature.setValue(defaults.temperature if settings.reply_temperature is None else settings.reply_temperature)
        self.max_tokens = QSpinBox(objectName="max_tokens", minimum=40, maximum=400, singleStep=20, suffix=" tokens")
        self.max_tokens.setAccessibleName("Longest reply")
        self.max_tokens.setValue(defaults.max_tokens if settings.reply_max_tokens is None else settings.reply_max_tokens)
        self.show_reply_model(info)
        self.theme = QComboBox(objectName="theme")
        self.theme.setAccessibleName("Theme")
        for key, name in THEMES.items():
            self.theme.addItem(name, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.font_size = QSpinBox(objectName="font_size", minimum=8, maximum=28, suffix=" pt")
        self.font_size.setAccessibleName("Font size")
        self.font_size.setValue(DEFAULT_POINTS if settings.font_points is None else settings.font_points)
        self.idle_lock = QSpinBox(objectName="idle_lock", minimum=0, maximum=240, suffix=" min")
        self.idle_lock.setSpecialValueText("Never")
        self.idle_lock.setAccessibleName("Lock after this many minutes without use")
        self.idle_lock.setValue(settings.idle_lock_minutes)
        self.lock_on_minimise = QCheckBox("Lock when the window is minimised", objectName="lock_on_minimise")
        self.lock_on_minimise.setChecked(settings.lock_on_minimise == "on")
        self.wipe = QPushButton("Delete everything…", objectName="wipe")
        self.wipe.setAccessibleName("Delete the whole history")
        safety = QGroupBox("Safety")
        safety_form = QFormLayout(safety)
        safety_form.addRow("Crisis lines for", self.country)
        safety_form.addRow("Triage model", self.triage_model)
        replies = QGroupBox("Replies")
        reply_form = QFormLayout(replies)
        reply_form.addRow("Model", self.reply_model)
        model_buttons = QHBoxLayout()
        model_buttons.addWidget(self.import_button)
        model_buttons.addWidget(self.embedded_button)
        reply_form.addRow("", model_buttons)
        reply_form.addRow("Temperature", self.temperature)
        reply_form.addRow("Longest reply", self.max_tokens)
        form = QFormLayout()
        form.addRow("Theme", self.theme)
        form.addRow("Font size", self.font_size)
        form.addRow("Lock after", self.idle_lock)
        form.addRow("", self.lock_on_minimise)
        danger = QLabel("Deleting everything removes every conversation and the passphrase's key from this computer. "
                        "It cannot be undone.", wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(safety)
        layout.addWidget(replies)
        layout.addLayout(form)
        layout.addWidget(danger)
        layout.addWidget(self.wipe)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.theme.currentIndexChanged.connect(self._changed)
        self.font_size.valueChanged.connect(self._changed)
        self.temperature.valueChanged.connect(self._changed)
        self.max_tokens.valueChanged.connect(self._changed)
        self.idle_lock.valueChanged.connect(self._changed)
        self.lock_on_minimise.toggled.connect(self._changed)
        self.wipe.clicked.connect(self.wipe_requested)
        self.country.currentIndexChanged.connect(lambda: self.country_chosen.emit(self.country.currentData()))
        self.triage_model.currentTextChanged.connect(self.triage_model_chosen)
        self.import_button.clicked.connect(self._import)
        self.embedded_button.clicked.connect(lambda: self.reply_model_chosen.emit(""))

    def show_reply_model(self, info: EngineInfo | None, error: str = "") -> None:
        """What replies come from now; `error` says why a model just chosen was refused."""
        if info is None:
            text = "The models are still loading."
        elif info.reply_error:
            text = f"Curated replies only: {info.reply_error}."
        else:
            text = f"{info.reply_model}{' + ' + info.adapter if info.adapter else ''}\nsha256 {info.reply_sha256}"
        self.reply_model.setText(f"{text}\n{error}" if error else text)
        self.reply_model.setMinimumHeight(self.reply_model.sizeHint().height())  # layouts here squeeze it to one line

    def _import(self) -> None:
        path, _kind = QFileDialog.getOpenFileName(self, "Import a reply model", "", "GGUF models (*.gguf)")
        if path:
            self.reply_model.setText("Checking the model…")
            self.reply_model_chosen.emit(path)

    def _changed(self) -> None:
        self._settings = replace(self._settings, theme=self.theme.currentData(), font_size=str(self.font_size.value()),
                                 temperature=f"{self.temperature.value():.1f}", max_tokens=str(self.max_tokens.value()),
                                 idle_lock=str(self.idle_lock.value()),
                                 lock_on_minimise="on" if self.lock_on_minimise.isChecked() else "")
        self.changed.emit(self._settings)
