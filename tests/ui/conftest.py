"""The window's tests run over the real engine and shipped models, with history and settings in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from ui_helpers import opened


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("HAVEN_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def window(qtbot, tmp_path: Path):
    win = opened(qtbot, tmp_path / "data")
    yield win
    win.close()
    assert win.operations.idle(), "a background operation outlived the window"
