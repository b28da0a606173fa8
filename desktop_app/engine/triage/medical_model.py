"""A small learned detector of medical requests, beside the boundary rules (`boundaries.py`).

Rules catch the phrasings we wrote down; people ask for a diagnosis or for medication advice in
many more ways. This linear model reads hashed word and character n-grams (no vocabulary file,
the same features in training and in the app) and scores three classes: `none`, `diagnosis` and
`medication`. Its weights (`assets/models/medical/model.npz`) are trained by
`python -m export.medical.train` on our written requests and messages; it never decides a crisis.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.engine.paths import ASSETS_DIR
from desktop_app.engine.triage.phrases import normalise

if TYPE_CHECKING:  # numpy loads with the models, not with the window
    import numpy as np

MODEL_FILE = ASSETS_DIR / "models" / "medical" / "model.npz"
FEATURES = 2**17
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def features(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Hashed word uni- and bigrams and character 3- to 5-grams of each word, log-scaled counts,
    L2-normalised: (feature indices, values)."""
    import numpy as np
    words = _WORD.findall(normalise(text))
    grams: Counter[str] = Counter(f"w:{word}" for word in words)
    grams.update(f"b:{first} {second}" for first, second in pairwise(words))
    for word in words:
        padded = f" {word} "
        grams.update(f"c:{padded[i:i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1))
    buckets: defaultdict[int, float] = defaultdict(float)
    for gram, count in grams.items():
        buckets[zlib.crc32(gram.encode("utf-8")) % FEATURES] += 1 + math.log(count)
    index = np.fromiter(buckets.keys(), dtype=np.int64, count=len(buckets))
    values = np.fromiter(buckets.values(), dtype=np.float32, count=len(buckets))
    norm = float(np.linalg.norm(values))
    return index, values / norm if norm else values


@dataclass(frozen=True)
class MedicalScore:
    kind: str  # "none", "diagnosis" or "medication"
    probability: float


class MedicalRequestModel:
    """The trained weights: `classes`, `weights` (classes by FEATURES), `bias`, and the `threshold` a
    diagnosis or medication probability must reach."""

    def __init__(self, path: Path = MODEL_FILE) -> None:
        import numpy as np
        with np.load(path) as data:
            self.classes: list[str] = [str(name) for name in data["classes"]]
            self.weights = data["weights"].astype(np.float32)
            self.bias = data["bias"].astype(np.float32)
            self.threshold = float(data["threshold"])

    def probabilities(self, text: str) -> np.ndarray:
        import numpy as np
        index, values = features(text)
        logits = self.weights[:, index] @ values + self.bias
        exp = np.exp(logits - logits.max())
        probabilities: np.ndarray = exp / exp.sum()
        return probabilities

    def score(self, text: str) -> MedicalScore:
        """The most likely request kind, or "none" when neither request class reaches the threshold."""
        probabilities = self.probabilities(text)
        best = max((k for k, name in enumerate(self.classes) if name != "none"), key=lambda k: probabilities[k])
        if probabilities[best] >= self.threshold:
            return MedicalScore(self.classes[best], float(probabilities[best]))
        return MedicalScore("none", float(probabilities[self.classes.index("none")]))


@cache
def shipped_model() -> MedicalRequestModel:
    return MedicalRequestModel()
