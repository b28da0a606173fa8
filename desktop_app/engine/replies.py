"""Replies to non-crisis messages. Until the reply model is wired in, the engine answers
with the human-written reply for the message's intent (assets/fallback_replies.json)."""

from __future__ import annotations

import json
from functools import cache

from desktop_app.engine.paths import ASSETS_DIR


@cache
def _fallback_replies() -> dict[str, str]:
    return json.loads((ASSETS_DIR / "fallback_replies.json").read_text(encoding="utf-8"))["replies"]


def fallback_reply(intent: str) -> str:
    replies = _fallback_replies()
    return replies.get(intent, replies["smalltalk"])
