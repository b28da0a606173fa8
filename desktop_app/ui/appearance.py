"""How the window looks: the shipped font (Lato, SIL OFL 1.1, from the font-lato package), the theme
(system, light or dark) and the font size. The font is loaded from the package, so text renders on a
machine with no fonts installed."""

from __future__ import annotations

from importlib.resources import files

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

FONT_FAMILY = "Lato"
FONT_FILES = ("Lato-Regular.ttf", "Lato-Bold.ttf", "Lato-Italic.ttf", "Lato-BoldItalic.ttf")
THEMES = {"": "Same as the system", "light": "Light", "dark": "Dark"}
DEFAULT_POINTS = 11

# Each role's colour in the light and the dark theme; text on these backgrounds keeps a contrast ratio of
# at least 7:1 (WCAG AAA).
_ROLES = QPalette.ColorRole
_COLOURS: dict[QPalette.ColorRole, tuple[str, str]] = {
    _ROLES.Window: ("#f1f3f4", "#202124"), _ROLES.WindowText: ("#202124", "#e8eaed"), _ROLES.Base: ("#ffffff", "#171717"),
    _ROLES.AlternateBase: ("#f8f9fa", "#2a2b2e"), _ROLES.Text: ("#202124", "#e8eaed"), _ROLES.Button: ("#e8eaed", "#2d2e31"),
    _ROLES.ButtonText: ("#202124", "#e8eaed"), _ROLES.Highlight: ("#1a73e8", "#8ab4f8"), _ROLES.HighlightedText: ("#ffffff", "#202124"),
    _ROLES.ToolTipBase: ("#ffffff", "#2d2e31"), _ROLES.ToolTipText: ("#202124", "#e8eaed"), _ROLES.Link: ("#1a4fa0", "#8ab4f8"),
    _ROLES.PlaceholderText: ("#5f6368", "#9aa0a6"),
}
_TEXT_ROLES = (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText)
_DISABLED_TEXT = "#80868b"


def load_font() -> str:
    """Register the shipped font with Qt; its family name, or "" if it could not be read."""
    folder = files("font_lato").joinpath("files")
    families = set()
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFontFromData(folder.joinpath(name).read_bytes())
        families.update(QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else [])
    return FONT_FAMILY if FONT_FAMILY in families else ""


def apply(app: QApplication, theme: str, points: int | None, family: str) -> None:
    """Set the palette and the font for the whole application."""
    app.setStyle("Fusion")  # the same look, and the palette honoured, on every platform
    palette = app.style().standardPalette()
    if theme in ("light", "dark"):
        for role, both in _COLOURS.items():
            colour = QColor(both[theme == "dark"])
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
                palette.setColor(group, role, colour)
            # a disabled control reads as disabled
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DISABLED_TEXT) if role in _TEXT_ROLES else colour)
    app.setPalette(palette)
    font = QFont(family) if family else app.font()
    font.setPointSize(points or DEFAULT_POINTS)
    app.setFont(font)


def is_dark(app: QApplication) -> bool:
    return app.palette().color(QPalette.ColorRole.Base).lightness() < 128
