"""What the two small linear models (medical requests, context) share in training: hashed feature rows as a
sparse matrix, the regularisation grid and fit, out-of-fold scores, a threshold by a false-flag budget, and
the weights file the app reads (`desktop_app/engine/triage/hashed.py`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from desktop_app.engine.triage.hashed import FEATURES

C_GRID = (3.0, 10.0, 30.0, 100.0, 300.0)
SEED = 13


def matrix(rows: Sequence[tuple[np.ndarray, np.ndarray]]) -> sparse.csr_matrix:
    """Hashed (indices, values) rows as one sparse matrix."""
    indptr = np.cumsum([0, *(len(index) for index, _ in rows)])
    index = np.concatenate([index for index, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
    values = np.concatenate([values for _, values in rows]) if rows else np.zeros(0, dtype=np.float32)
    return sparse.csr_matrix((values, index, indptr), shape=(len(rows), FEATURES), dtype=np.float32)


def fit(x: sparse.csr_matrix, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)


def out_of_fold(x: sparse.csr_matrix, y: np.ndarray, c: float) -> np.ndarray:
    """Each example's class probabilities (columns in `np.unique(y)` order) from a model fitted on the
    other four fifths."""
    probabilities = np.zeros((len(y), len(np.unique(y))))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y):
        probabilities[test] = fit(x[train], y[train], c).predict_proba(x[test])
    return probabilities


def threshold_at(negative_scores: np.ndarray, max_rate: float) -> float:
    """The lowest threshold with at most `max_rate` of the negative examples at or above it."""
    return float(np.quantile(negative_scores, 1 - max_rate, method="higher")) + 1e-6


def fit_and_save(path: Path, x: sparse.csr_matrix, y: np.ndarray, classes: Sequence[str], validation: dict[float, dict]) -> dict:
    """Fit the C with the best out-of-fold recall on all the data and save it with that C's threshold (and any other
    `*_threshold` its validation names), in the order of `classes`; its metrics, also written next to it."""
    best = max(C_GRID, key=lambda c: validation[c]["recall"])
    model = fit(x, y, best)
    threshold = validation[best]["threshold"]
    path.parent.mkdir(parents=True, exist_ok=True)
    order = [list(model.classes_).index(name) for name in classes]
    others = {name: value for name, value in validation[best].items() if name.endswith("_threshold")}
    np.savez_compressed(path, classes=np.array(classes), weights=model.coef_[order].astype(np.float32),
                        bias=model.intercept_[order].astype(np.float32), threshold=np.float32(threshold),
                        **{name: np.float32(value) for name, value in others.items()})
    metrics = {"C": best, "threshold": threshold, **others, "features": FEATURES,
               "counts": {name: int((y == name).sum()) for name in classes},
               "cross_validation": {str(c): v for c, v in validation.items()}}
    (path.parent / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    return metrics
