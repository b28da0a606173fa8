"""A small learned detector of medical requests, beside the boundary rules (`boundaries.py`).

Rules catch the phrasings we wrote down; people ask for a diagnosis or for medication advice in
many more ways. This linear model reads hashed word and character n-grams (no vocabulary file,
the same features in training and in the app) and scores three classes: `none`, `diagnosis` and
`medication`. Its weights (`assets/models/medical/model.npz`) are trained by
`python -m export.medical.train` on our written requests and messages; it never decides a crisis.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

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


class MedicalRequestModel(LinearModel):
    """The trained weights; a diagnosis or medication probability must reach `threshold`."""

    def score(self, text: str) -> MedicalScore:
        """The most likely request kind, or "none" when neither request class reaches the threshold."""
        probabilities = self.probabilities(features(text))
        best = max((k for k, name in enumerate(self.classes) if name != "none"), key=lambda k: probabilities[k])
        if probabilities[best] >= self.threshold:
            return MedicalScore(self.classes[best], float(probabilities[best]))
        return MedicalScore("none", float(probabilities[self.classes.index("none")]))


@cache
def shipped_model() -> MedicalRequestModel:
    return MedicalRequestModel(MODEL_FILE)
