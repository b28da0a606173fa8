"""Render the app icon (assets/icons/haven.svg) as PNGs for desktops that want bitmaps.

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (48, 256)
SOURCE = Path(__file__).resolve().parents[1] / "assets" / "icons" / "haven.svg"


def main(out_dir: Path) -> int:
    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(SOURCE))
    out_dir.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        if not image.save(str(out_dir / f"haven-{size}.png")):
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
