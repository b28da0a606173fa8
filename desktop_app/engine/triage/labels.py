"""The triage label sets shared by the classifiers, the safety policy and the export pipeline."""

from __future__ import annotations

from typing import Final, Literal

Risk = Literal["crisis", "concern", "none"]

RISKS: Final[tuple[Risk, ...]] = ("crisis", "concern", "none")

EVERYDAY_INTENTS: Final = ("greeting", "goodbye", "thanks", "about", "smalltalk", "positive", "info")
CONCERN_INTENTS: Final = (
    "depression",
    "anxiety",
    "stress",
    "sleep",
    "grief",
    "loneliness",
    "anger",
    "relationships",
    "self_esteem",
    "trauma",
    "substance",
    "eating",
)
CRISIS_INTENTS: Final = ("crisis_suicide", "crisis_self_harm", "crisis_harm_others", "crisis_abuse")
INTENTS: Final[tuple[str, ...]] = EVERYDAY_INTENTS + CONCERN_INTENTS + CRISIS_INTENTS


def default_risk(intent: str) -> Risk:
    """The risk level an intent carries when nothing else is known."""
    if intent in CRISIS_INTENTS:
        return "crisis"
    if intent in CONCERN_INTENTS:
        return "concern"
    if intent in EVERYDAY_INTENTS:
        return "none"
    raise ValueError(f"unknown intent: {intent!r}")
