"""How a conversation is written for the reply model: Gemma turns, a persona, triage notes.

Training (export/reply) and the app build prompts with these same functions, so the
adapter sees at run time exactly the format it was trained on. Gemma has no system role:
the persona is folded into the first user turn. Each user turn carries the triage note
of its own message, so the history re-renders to the same text turn after turn and
llama.cpp can reuse its evaluated prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

START, END = "<start_of_turn>", "<end_of_turn>"

PERSONA = (
    "You are Haven, a warm and supportive listener in a private app. You are an AI, not a therapist or a "
    "doctor: you do not diagnose, and you never describe ways to hurt oneself or anyone else. Listen, reflect "
    "what the person feels, and ask one gentle question. Keep replies short. When it fits, suggest talking to "
    "someone they trust or to a professional."
)


@dataclass(frozen=True)
class Turn:
    """One message of a conversation, as the reply model sees it."""

    role: Literal["user", "model"]
    text: str
    intent: str = ""  # triage of a user message, given to the model as context
    risk: str = ""
    card: str = ""  # a coping or information card the reply is grounded on: its title and text


def triage_note(intent: str, risk: str) -> str:
    if not intent:
        return ""
    return f"(topic: {intent.replace('_', ' ')}; risk: {risk or 'none'})\n"


def content(turn: Turn, first: bool) -> str:
    """What a turn says, between its control markers: for a user turn, the persona (first turn only),
    the triage note and the message."""
    if turn.role == "model":
        return turn.text.strip()
    persona = f"{PERSONA}\n\n" if first else ""
    card = f"(card: {turn.card})\n" if turn.card else ""
    return f"{persona}{triage_note(turn.intent, turn.risk)}{card}{turn.text.strip()}"


def head(turn: Turn) -> str:
    return f"{START}{turn.role}\n"


TAIL = f"{END}\n"
REPLY_CUE = f"{START}model\n"


def blocks(turns: list[Turn]) -> list[str]:
    """Each turn as its own block of text; the first block is the one holding the persona."""
    return [head(turn) + content(turn, index == 0) + TAIL for index, turn in enumerate(turns)]
