"""Where the app finds its shipped assets."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs


def _assets_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set inside a PyInstaller build
    root = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return root / "assets"


ASSETS_DIR = _assets_dir()
TRIAGE_MODELS_DIR = ASSETS_DIR / "models" / "triage"
CRISIS_RESOURCES_FILE = ASSETS_DIR / "crisis_resources.json"
REPLY_MODEL_DIR = ASSETS_DIR / "models" / "reply"
APP_ICON = ASSETS_DIR / "icons" / "haven.svg"
# Written only into a desktop build (packaging/build.sh): names the base GGUF beside it and its sha256.
BUNDLED_BASE_MODEL = ASSETS_DIR / "models" / "base" / "base-model.json"


def cache_dir() -> Path:
    """Where the app keeps files it can rebuild (the assembled base model); never message text."""
    return Path(os.environ.get("HAVEN_CACHE_DIR") or platformdirs.user_cache_dir("haven"))
