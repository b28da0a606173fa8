"""Human-written replies: by intent when no reply model can be used (assets/fallback_replies.json), and
the one that replaces a generated reply the post-check stopped."""

from __future__ import annotations

import json
from functools import cache

from desktop_app.engine.paths import ASSETS_DIR
from desktop_app.engine.resources import crisis_texts, resources_for


@cache
def _texts() -> dict:
    return json.loads((ASSETS_DIR / "fallback_replies.json").read_text(encoding="utf-8"))


def fallback_reply(intent: str) -> str:
    replies = _texts()["replies"]
    return replies.get(intent, replies["smalltalk"])


def post_check_replacement(country: str | None) -> str:
    """What the user sees instead of a generated reply that broke a post-check rule."""
    texts = crisis_texts()
    return f"{_texts()['post_check_replacement']}\n\n{texts['resources_heading']}\n{resources_for(country).as_text()}"
