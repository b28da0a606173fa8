"""A small learned model of crises that only a conversation reveals, beside the context rules (`context.py`).

The rules name the warning signs we wrote down (a time, being decided, means, arrangements…) after the
kinds of earlier messages we wrote down. People say both in more ways. This linear model reads the
message, the recent user messages before it and the assistant's last message, each as its own hashed
n-grams (`hashed.py`), and scores five classes: `none` and the four crisis intents. Its weights
(`assets/models/context/model.npz`) are trained by `python -m export.context.train` on our written
development conversations. It only ever raises a risk: the policy asks it about a message that is not a
crisis on its own, with earlier user messages, and that no statement of safety settles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from desktop_app.engine.paths import ASSETS_DIR
from desktop_app.engine.triage.hashed import LinearModel, hashed, ngrams

if TYPE_CHECKING:  # numpy loads with the models, not with the window
    import numpy as np

MODEL_FILE = ASSETS_DIR / "models" / "context" / "model.npz"


def features(text: str, earlier: Sequence[str], assistant: str) -> tuple[np.ndarray, np.ndarray]:
    """The message's n-grams, the earlier user messages' and the assistant's words, kept apart by prefix."""
    grams = ngrams(text, "m")
    for message in earlier:
        grams.update(ngrams(message, "e"))
    if assistant:
        grams.update(ngrams(assistant, "a", chars=False))
    return hashed(grams)


@dataclass(frozen=True)
class ContextScore:
    intent: str  # the most likely crisis intent
    probability: float  # that the message is a crisis in its conversation: 1 - P(none)


class ContextModel(LinearModel):
    """The trained weights; a crisis probability must reach `threshold` to raise a message."""

    def score(self, text: str, earlier: Sequence[str], assistant: str = "") -> ContextScore:
        probabilities = self.probabilities(features(text, earlier, assistant))
        best = max((k for k, name in enumerate(self.classes) if name != "none"), key=lambda k: probabilities[k])
        return ContextScore(self.classes[best], 1 - float(probabilities[self.classes.index("none")]))


@cache
def shipped_context_model() -> ContextModel:
    return ContextModel(MODEL_FILE)
