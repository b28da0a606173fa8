"""A small learned detector of medical requests, beside the boundary rules (`boundaries.py`).

Rules catch the phrasings we wrote down; people ask for a diagnosis or for medication advice in
many more ways. This linear model reads hashed word and character n-grams (no vocabulary file,
the same features in training and in the app) and scores four classes: `none`, `diagnosis`,
`medication` and `lethality` (how dangerous or lethal an amount or a method is). Its weights
(`assets/models/medical/model.npz`) are trained by `python -m export.medical.train` on our written
requests and messages. A lethality question is a crisis however it is framed: the phrase rules
catch the wordings we wrote down, and this model's lethality score adds the ones they miss. It can
only raise a message to a crisis, never lower one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Final

from desktop_app.engine.paths import ASSETS_DIR
from desktop_app.engine.triage.hashed import LinearModel, hashed, ngrams

if TYPE_CHECKING:  # numpy loads with the models, not with the window
    import numpy as np

MODEL_FILE = ASSETS_DIR / "models" / "medical" / "model.npz"


def features(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The message's hashed n-grams (see `hashed`): (feature indices, values)."""
    return hashed(ngrams(text))


@dataclass(frozen=True)
class MedicalScore:
    kind: str  # "none", "diagnosis" or "medication"
    probability: float


BOUNDARY_CLASSES: Final = ("diagnosis", "medication")


class MedicalRequestModel(LinearModel):
    """The trained weights; a diagnosis or medication probability must reach `threshold`, a lethality
    probability `lethality_threshold`."""

    @property
    def lethality_threshold(self) -> float:
        return self.thresholds["lethality_threshold"]

    def score(self, text: str) -> MedicalScore:
        """The most likely request kind, or "none" when neither request class reaches the threshold."""
        probabilities = self.probabilities(features(text))
        best = max((self.classes.index(name) for name in BOUNDARY_CLASSES), key=lambda k: probabilities[k])
        if probabilities[best] >= self.threshold:
            return MedicalScore(self.classes[best], float(probabilities[best]))
        return MedicalScore("none", float(probabilities[self.classes.index("none")]))

    def lethality(self, text: str) -> float:
        """The probability that the message asks how dangerous or lethal an amount or a method is."""
        return float(self.probabilities(features(text))[self.classes.index("lethality")])


@cache
def shipped_model() -> MedicalRequestModel:
    return MedicalRequestModel(MODEL_FILE)
