"""The first screen: a welcome and a new passphrase on the first run, else the passphrase to unlock.

The key is derived on a worker thread; this page only collects what is typed and shows progress.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop_app.engine.api import FORGOTTEN_PASSPHRASE, countries

WELCOME = (
    "<h2>Welcome to Haven</h2>"
    "<p>Haven is an AI listener. It is <b>not a clinician</b> and it is <b>not for emergencies</b>: if you are in "
    "danger, call your local emergency number.</p>"
    "<p>Everything stays on this computer. Nothing you write goes online, and your conversations are kept "
    "encrypted under a passphrase you choose.</p>"
)
MIN_LENGTH = 8


def strength_hint(passphrase: str) -> str:
    """A plain-words hint of how hard a passphrase is to guess (length and variety; no dictionary)."""
    if len(passphrase) < MIN_LENGTH:
        return f"Too short: use at least {MIN_LENGTH} characters."
    kinds = sum(any(test(c) for c in passphrase) for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum()))
    words = len(passphrase.split())
    if len(passphrase) >= 20 or words >= 4:
        return "Strong: a long passphrase is hard to guess."
    if len(passphrase) >= 12 and kinds >= 2:
        return "Good. A few more words would make it stronger."
    return "Weak: a longer passphrase, or a few unrelated words, is much harder to guess."


class UnlockPage(QWidget):
    """`create` carries a new passphrase and the country for crisis lines; `unlock` carries a passphrase."""

    create = Signal(str, str)
    unlock = Signal(str)
    forgot = Signal()

    def __init__(self, country: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.welcome = QLabel(WELCOME, objectName="welcome", wordWrap=True)
        self.welcome.setTextFormat(Qt.TextFormat.RichText)
        self.title = QLabel("", objectName="unlock_title", wordWrap=True)
        self.passphrase = QLineEdit(objectName="passphrase", echoMode=QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.again = QLineEdit(objectName="passphrase_again", echoMode=QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("Passphrase again")
        self.hint = QLabel("", objectName="strength", wordWrap=True)
        self.country = QComboBox(objectName="first_country")
        self.country.setAccessibleName("Country for crisis lines")
        for code, name in countries().items():
            self.country.addItem(name, code)
        self.country.setCurrentIndex(max(0, self.country.findData(country)))
        self.write_plan = QCheckBox("Help me write a safety plan next (optional)", objectName="write_plan")
        self.write_plan.setToolTip("A short list, in your own words, of what helps and who you can turn to when things get hard")
        self.warning = QLabel(f"<b>{FORGOTTEN_PASSPHRASE}</b>", objectName="forgotten", wordWrap=True)
        self.warning.setStyleSheet("background:#fff4e5;color:#3c2a00;padding:8px;border-radius:6px;")
        self.error = QLabel("", objectName="unlock_error", wordWrap=True)
        self.error.setStyleSheet("color:#b3261e")
        self.progress = QProgressBar(objectName="unlocking")
        self.progress.setRange(0, 0)  # busy: Argon2 gives no progress of its own
        self.progress.hide()
        self.button = QPushButton("", objectName="unlock_button")
        self.forgot_button = QPushButton("Forgot the passphrase? Delete everything and start again…", objectName="forgot")
        self.forgot_button.setFlat(True)
        form = QFormLayout()
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Again", self.again)
        form.addRow("Crisis lines for", self.country)
        box = QWidget()
        box.setMinimumWidth(480)
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        for widget in (self.welcome, self.title):
            inner.addWidget(widget)
        inner.addLayout(form)
        for widget in (self.hint, self.warning, self.write_plan, self.error, self.progress, self.button, self.forgot_button):
            inner.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        self._form = form
        self._first_run = False
        self.passphrase.textChanged.connect(self._hint)
        self.passphrase.returnPressed.connect(self._submit)
        self.again.returnPressed.connect(self._submit)
        self.button.clicked.connect(self._submit)
        self.forgot_button.clicked.connect(self.forgot)

    def set_first_run(self, first_run: bool) -> None:
        self._first_run = first_run
        self.welcome.setVisible(first_run)
        self.title.setText("Choose a passphrase for your private history." if first_run else
                           "<b>Haven is locked.</b> Enter your passphrase to open your conversations.")
        for field in (self.again, self.country):
            self._form.setRowVisible(field, first_run)
        self.hint.setVisible(first_run)
        self.warning.setVisible(first_run)
        self.write_plan.setVisible(first_run)
        self.forgot_button.setVisible(not first_run)
        self.button.setText("Create my private history" if first_run else "Unlock")
        self.button.setAccessibleName(self.button.text())
        self.reset()

    def reset(self, error: str = "") -> None:
        """Ready for typing again (after a failure, with its reason)."""
        self.passphrase.clear()
        self.again.clear()
        self.error.setText(error)
        self.progress.hide()
        self.button.setEnabled(True)
        self.passphrase.setFocus()

    def _hint(self, text: str) -> None:
        self.hint.setText(strength_hint(text) if self._first_run and text else "")

    def _submit(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self.error.setText("Enter your passphrase.")
            return
        if self._first_run:
            if len(passphrase) < MIN_LENGTH:
                self.error.setText(f"Use at least {MIN_LENGTH} characters.")
                return
            if passphrase != self.again.text():
                self.error.setText("The two passphrases differ.")
                return
        self.error.setText("")
        self.button.setEnabled(False)
        self.progress.show()
        if self._first_run:
            self.create.emit(passphrase, self.country.currentData())
        else:
            self.unlock.emit(passphrase)
