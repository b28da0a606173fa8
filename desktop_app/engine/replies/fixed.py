"""Human-written replies: by intent when no reply model can be used (assets/fallback_replies.json), the one
that replaces a generated reply the post-check stopped, and the replies to medical-boundary requests
(assets/boundary_responses.json)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from desktop_app.engine.paths import ASSETS_DIR
from desktop_app.engine.resources import crisis_texts, resources_for


@cache
def _texts() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ASSETS_DIR / "fallback_replies.json").read_text(encoding="utf-8"))
    return data


@cache
def _boundary_texts() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ASSETS_DIR / "boundary_responses.json").read_text(encoding="utf-8"))
    return data


def boundary_reply(kind: str) -> str:
    """The fixed reply to a request for a diagnosis ("diagnosis") or for medication advice ("medication")."""
    return str(_boundary_texts()["replies"][kind])


def fallback_reply(intent: str) -> str:
    replies = _texts()["replies"]
    return str(replies.get(intent, replies["smalltalk"]))


def post_check_replacement(country: str | None) -> str:
    """What the user sees instead of a generated reply that broke a post-check rule."""
    texts = crisis_texts()
    return f"{_texts()['post_check_replacement']}\n\n{texts['resources_heading']}\n{resources_for(country).as_text()}"
