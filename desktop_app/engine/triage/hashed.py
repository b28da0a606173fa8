"""Hashed n-gram features and the small linear models that read them (medical requests, context).

No vocabulary file: each word uni- and bigram and each character 3- to 5-gram of a word is hashed
(CRC-32) into FEATURES buckets, the same in training (`export/`) and in the app. A prefix keeps the
n-grams of different parts of an input apart (the message, the earlier messages, the assistant's).
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.engine.triage.phrases import normalise

if TYPE_CHECKING:  # numpy loads with the models, not with the window
    import numpy as np

FEATURES = 2**17
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def ngrams(text: str, prefix: str = "", chars: bool = True) -> Counter[str]:
    """Word uni- and bigrams and (with `chars`) character 3- to 5-grams of each word, counted."""
    words = _WORD.findall(normalise(text))
    grams: Counter[str] = Counter(f"{prefix}w:{word}" for word in words)
    grams.update(f"{prefix}b:{first} {second}" for first, second in pairwise(words))
    if chars:
        for word in words:
            padded = f" {word} "
            grams.update(f"{prefix}c:{padded[i:i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1))
    return grams


def hashed(grams: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
    """Counted n-grams as (feature indices, values): log-scaled counts, L2-normalised."""
    import numpy as np
    buckets: defaultdict[int, float] = defaultdict(float)
    for gram, count in grams.items():
        buckets[zlib.crc32(gram.encode("utf-8")) % FEATURES] += 1 + math.log(count)
    index = np.fromiter(buckets.keys(), dtype=np.int64, count=len(buckets))
    values = np.fromiter(buckets.values(), dtype=np.float32, count=len(buckets))
    norm = float(np.linalg.norm(values))
    return index, values / norm if norm else values


class LinearModel:
    """Multinomial logistic regression weights (`model.npz`): `classes`, `weights` (classes by FEATURES),
    `bias`, the `threshold` a class other than "none" must reach, and any other thresholds a model names
    (`*_threshold`)."""

    def __init__(self, path: Path) -> None:
        import numpy as np
        with np.load(path) as data:
            self.classes: list[str] = [str(name) for name in data["classes"]]
            self.weights = data["weights"].astype(np.float32)
            self.bias = data["bias"].astype(np.float32)
            self.thresholds = {name: float(data[name]) for name in data.files if name.endswith("threshold")}
        self.threshold = self.thresholds["threshold"]

    def probabilities(self, features: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        import numpy as np
        index, values = features
        logits = self.weights[:, index] @ values + self.bias
        exp = np.exp(logits - logits.max())
        probabilities: np.ndarray = exp / exp.sum()
        return probabilities
