"""The engine's one surface: what the window, the command line and a frozen build may use.

Everything else under `desktop_app.engine` is internal, and import-linter holds the UI and the
command line to this module and `errors`. Calls block: a window makes them from a worker thread.

- `resolve` turns options, saved settings and the environment into an `EngineConfig`; an `Engine`
  is built from one and changes country or triage model through its thread-safe setters.
- A `Session` is one conversation; its calls return `Changes`, and its messages are `Message`s.
- `open_or_create` applies the passphrase policy to the encrypted history (`Store`).
- `self_test` checks the whole path headless.

The names that bring the engine's models and rule tables (`Engine`, `Session`, `Store`, …) are imported when
first used, so a window that imports this module shows without waiting for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

from desktop_app.engine.config import DATA_DIR_VARIABLE, EngineConfig, data_dir, resolve
from desktop_app.engine.errors import HavenError
from desktop_app.engine.history.errors import NoStore, NotFound, StoreDamaged, StoreError, StoreLocked, StoreUnavailable, WrongPassphrase
from desktop_app.engine.history.export import NOT_ENCRYPTED, ExportFormat, labels
from desktop_app.engine.history.files import history_exists
from desktop_app.engine.history.keys import FORGOTTEN_PASSPHRASE, KdfParams
from desktop_app.engine.history.records import Conversation, SearchHit
from desktop_app.engine.history.safety_plan import SECTIONS, SafetyPlan
from desktop_app.engine.messages import Action, Message, Origin, Role, TimelinePoint, Triage, timeline
from desktop_app.engine.paths import APP_ICON
from desktop_app.engine.resources import CountryResources, countries, guess_country, resources_for
from desktop_app.engine.settings import Settings, load_settings, save_settings
from desktop_app.engine.triage.labels import INTENTS, RISKS

if TYPE_CHECKING:
    from desktop_app.engine.core import Assessment, Engine, EngineInfo, Reply
    from desktop_app.engine.history.store import Store, open_or_create, wipe
    from desktop_app.engine.replies.cards import Card
    from desktop_app.engine.replies.model import ReplyModelError, Sampling
    from desktop_app.engine.selftest import SelfTestResult, self_test
    from desktop_app.engine.session import Changes, Session
    from desktop_app.engine.triage.classifier import TriageModelError, available_models, default_model_name

# Imported on first use: these bring the rule tables, the model runtimes and SQLCipher, which a window
# must not wait for before it shows (it loads the engine on a worker thread).
_LOADED_ON_USE: Final = {
    "desktop_app.engine.core": ("Assessment", "Engine", "EngineInfo", "Reply"),
    "desktop_app.engine.history.store": ("Store", "open_or_create", "wipe"),
    "desktop_app.engine.replies.cards": ("Card",),
    "desktop_app.engine.replies.model": ("ReplyModelError", "Sampling"),
    "desktop_app.engine.selftest": ("SelfTestResult", "self_test"),
    "desktop_app.engine.session": ("Changes", "Session"),
    "desktop_app.engine.triage.classifier": ("TriageModelError", "available_models", "default_model_name"),
}
_MODULE_OF: Final = {name: module for module, names in _LOADED_ON_USE.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULE_OF[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "APP_ICON", "DATA_DIR_VARIABLE", "FORGOTTEN_PASSPHRASE", "INTENTS", "NOT_ENCRYPTED", "RISKS", "SECTIONS",
    "Action", "Assessment", "Card", "Changes", "Conversation", "CountryResources", "Engine", "EngineConfig", "EngineInfo",
    "ExportFormat", "HavenError", "KdfParams", "Message", "NoStore", "NotFound", "Origin", "Reply", "ReplyModelError",
    "Role", "SafetyPlan", "Sampling", "SearchHit", "SelfTestResult", "Session", "Settings", "Store", "StoreDamaged", "StoreError", "StoreLocked",
    "StoreUnavailable", "TimelinePoint", "Triage", "TriageModelError", "WrongPassphrase",
    "available_models", "countries", "data_dir", "default_model_name", "guess_country", "history_exists", "labels", "load_settings",
    "open_or_create", "resolve", "resources_for", "save_settings", "self_test", "timeline", "wipe",
]
