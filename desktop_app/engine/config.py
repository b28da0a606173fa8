"""How the engine is set up: the command line over the saved settings over the environment over the
defaults, resolved once into an EngineConfig. The window, the command line and a frozen build all
resolve it here, so they agree."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from desktop_app.engine.resources import guess_country
from desktop_app.engine.settings import Settings, load_settings

DATA_DIR_VARIABLE = "HAVEN_DATA_DIR"


def data_dir(option: Path | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """The encrypted history's folder: the option, else $HAVEN_DATA_DIR, else the platform's user data folder."""
    if option is not None:
        return option
    if environ.get(DATA_DIR_VARIABLE):
        return Path(environ[DATA_DIR_VARIABLE])
    return Path(platformdirs.user_data_dir("haven"))


@dataclass(frozen=True)
class EngineConfig:
    """Everything an Engine is built from. `triage_model` None is the shipped default; `seed`, `temperature`
    and `max_tokens` None keep the reply model's defaults; `replies` False answers with the curated replies only."""

    country: str = field(default_factory=guess_country)
    triage_model: str | None = None
    replies: bool = True
    reply_model_path: Path | None = None
    reply_model_sha256: str | None = None
    seed: int | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    threads: int = 2
    data_dir: Path = field(default_factory=data_dir)


def resolve(*, country: str | None = None, triage_model: str | None = None, reply_model_path: Path | None = None,
            reply_model_sha256: str | None = None, seed: int | None = None, replies: bool = True,
            data_dir_option: Path | None = None, settings: Settings | None = None,
            environ: Mapping[str, str] = os.environ) -> EngineConfig:
    """The config for these options (None: not given), the saved settings (default: the settings file) and
    the environment. A setting fills only what an option leaves open; the country falls back to the locale."""
    saved = load_settings() if settings is None else settings
    return EngineConfig(
        country=(country or saved.country or guess_country()).upper(),
        triage_model=triage_model or saved.triage_model or None,
        replies=replies,
        reply_model_path=reply_model_path or saved.reply_model_file,
        reply_model_sha256=reply_model_sha256 or saved.reply_model_sha256 or None,
        seed=seed,
        temperature=saved.reply_temperature,
        max_tokens=saved.reply_max_tokens,
        data_dir=data_dir(data_dir_option, environ),
    )

