"""The settings file: defaults when missing or damaged, unknown keys ignored, saved atomically."""

from __future__ import annotations

from pathlib import Path

from desktop_app.engine.settings import Settings, load_settings, save_settings


def test_missing_or_damaged_settings_give_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.json") == Settings()
    damaged = tmp_path / "settings.json"
    damaged.write_text("{not json", encoding="utf-8")
    assert load_settings(damaged) == Settings()


def test_settings_round_trip_and_ignore_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    saved = Settings(country="ID", reply_model_path="/models/gemma.gguf", reply_model_sha256="ab" * 32)
    save_settings(saved, path)
    assert load_settings(path) == saved
    path.write_text('{"country": "GB", "window": [1, 2], "triage_model": 3}', encoding="utf-8")
    assert load_settings(path) == Settings(country="GB")
