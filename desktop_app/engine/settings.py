"""The user's settings: a small JSON file in the platform's config folder. Never message text."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TypeVar

import platformdirs

log = logging.getLogger(__name__)


DEFAULT_IDLE_LOCK_MINUTES = 10


@dataclass(frozen=True)
class Settings:
    """Empty strings mean "the default"."""

    country: str = ""
    triage_model: str = ""
    reply_model_path: str = ""  # another Gemma-family GGUF to reply with
    reply_model_sha256: str = ""  # when set, a reply model with another hash is refused
    temperature: str = ""  # sampling temperature of a first reply, as a decimal; empty is the evaluated default
    max_tokens: str = ""  # the longest reply, in tokens, as digits; empty is the default
    theme: str = ""  # "light" or "dark"; empty follows the system
    clinician_view: str = ""  # "on" shows each message's triage labels; empty hides them
    font_size: str = ""  # points, as digits; empty is the system's size
    idle_lock: str = ""  # minutes without input before the window locks, as digits; "0" never; empty is the default
    lock_on_minimise: str = ""  # "on" locks the window when it is minimised

    @property
    def reply_model_file(self) -> Path | None:
        return Path(self.reply_model_path) if self.reply_model_path else None

    @property
    def reply_temperature(self) -> float | None:
        return _number(self.temperature, float)

    @property
    def reply_max_tokens(self) -> int | None:
        return _number(self.max_tokens, int)

    @property
    def font_points(self) -> int | None:
        return _number(self.font_size, int)

    @property
    def idle_lock_minutes(self) -> int:
        """Minutes without input before the window locks; 0 never locks."""
        minutes = _number(self.idle_lock, int)
        return DEFAULT_IDLE_LOCK_MINUTES if minutes is None or minutes < 0 else minutes


N = TypeVar("N", int, float)


def _number(text: str, kind: type[N]) -> N | None:
    """A saved number, or None when it is empty or not one (the default then applies)."""
    try:
        return kind(text) if text else None
    except ValueError:
        return None


def settings_file() -> Path:
    folder = os.environ.get("HAVEN_CONFIG_DIR") or platformdirs.user_config_dir("haven")
    return Path(folder) / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings; the defaults when there are none or the file cannot be read."""
    path = path or settings_file()
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError):
        log.warning("settings file unreadable; using the defaults")
        return Settings()
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: str(v) for k, v in saved.items() if k in known and isinstance(v, str)})


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(asdict(settings), indent=1), encoding="utf-8")
    os.replace(partial, path)
