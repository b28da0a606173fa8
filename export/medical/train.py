"""Train the medical-request detector (desktop_app/engine/triage/medical_model.py) and write its card.

    python -m export.medical.train

Data (all ours, in export/triage/written/): the development medical-request sets
(`boundaries_dev.jsonl`: diagnosis → diagnosis; medication choice, dose, stopping and
interaction → medication; lethality questions and controls → none), and, as `none`, every
hand-written training message that is not a medical question (`train_*.jsonl`, without the
`info` questions of `train_lookalikes.jsonl`, which are unlabelled medical questions). Any text
that is also in an evaluation set (the held-out `boundaries_test.jsonl`, the conversations, the
chat set) is left out, as for the triage classifiers.

The regularisation and the threshold are chosen by 5-fold cross-validation: the threshold is
the lowest that keeps false boundaries at most 2% of the `none` messages. A false boundary gives a
fixed "ask your doctor" reply to someone who asked nothing of the kind, but a missed request lets
the reply model improvise medical advice; and at run time the model only judges messages that ask
something, so its false boundaries among all messages are fewer than out of fold here.
Writes assets/models/medical/model.npz, metrics.json and MODEL_CARD.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from desktop_app.engine.triage.medical_model import FEATURES, MODEL_FILE, features
from export.triage.dataset import WRITTEN, evaluation_texts, key

CLASSES = ("none", "diagnosis", "medication")
KIND_OF_CATEGORY = {"diagnosis": "diagnosis", "medication_choice": "medication", "dose_change": "medication",
                    "stopping": "medication", "interaction": "medication", "lethality": "none", "control": "none"}
MAX_FALSE_BOUNDARIES = 0.02
C_GRID = (3.0, 10.0, 30.0, 100.0, 300.0)
SEED = 13


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def examples() -> list[tuple[str, str, str]]:
    """(text, class, source) for training, deduplicated by text."""
    rows = [(item["text"], KIND_OF_CATEGORY[item["category"]], path.name)
            for path in [WRITTEN / "boundaries_dev.jsonl"] for item in _jsonl(path)]
    for path in sorted(WRITTEN.glob("train_*.jsonl")):
        rows += [(item["text"], "none", path.name) for item in _jsonl(path)
                 if not (path.name == "train_lookalikes.jsonl" and item["intent"] == "info")]
    held_out = {key(text) for text in evaluation_texts(with_development=False)}
    unique = {text: (text, kind, source) for text, kind, source in rows if key(text) not in held_out}
    return list(unique.values())


def matrix(texts: list[str]) -> sparse.csr_matrix:
    rows, cols, values = [], [], []
    for row, text in enumerate(texts):
        index, weights = features(text)
        rows += [row] * len(index)
        cols += index.tolist()
        values += weights.tolist()
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), FEATURES), dtype=np.float32)


def _fit(x: sparse.csr_matrix, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)


def _request_probability(model: LogisticRegression, x: sparse.csr_matrix) -> np.ndarray:
    p = model.predict_proba(x)
    return p[:, [k for k, name in enumerate(model.classes_) if name != "none"]].max(axis=1)


def _threshold(none_scores: np.ndarray) -> float:
    """The lowest threshold with at most MAX_FALSE_BOUNDARIES of `none` messages at or above it."""
    return float(np.quantile(none_scores, 1 - MAX_FALSE_BOUNDARIES, method="higher")) + 1e-6


def cross_validate(x: sparse.csr_matrix, y: np.ndarray) -> dict:
    """Out-of-fold request probabilities for each C; the C with the best recall at its threshold."""
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y))
    results = {}
    for c in C_GRID:
        scores, kinds = np.zeros(len(y)), np.empty(len(y), dtype=object)
        for train, test in folds:
            model = _fit(x[train], y[train], c)
            scores[test] = _request_probability(model, x[test])
            p = model.predict_proba(x[test])
            request = [k for k, name in enumerate(model.classes_) if name != "none"]
            kinds[test] = [model.classes_[request[int(np.argmax(row[request]))]] for row in p]
        threshold = _threshold(scores[y == "none"])
        flagged = scores >= threshold
        requests = y != "none"
        results[c] = {"threshold": threshold, "recall": float(flagged[requests].mean()),
                      "kind_accuracy": float((kinds[requests & flagged] == y[requests & flagged]).mean()),
                      "false_boundary_rate": float(flagged[~requests].mean())}
    return results


def main() -> None:
    rows = examples()
    texts = [text for text, _, _ in rows]
    y = np.array([kind for _, kind, _ in rows])
    x = matrix(texts)
    validation = cross_validate(x, y)
    best = max(C_GRID, key=lambda c: validation[c]["recall"])
    model = _fit(x, y, best)
    threshold = validation[best]["threshold"]
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    order = [list(model.classes_).index(name) for name in CLASSES]
    np.savez_compressed(MODEL_FILE, classes=np.array(CLASSES), weights=model.coef_[order].astype(np.float32),
                        bias=model.intercept_[order].astype(np.float32), threshold=np.float32(threshold))
    counts = {name: int((y == name).sum()) for name in CLASSES}
    metrics = {"C": best, "threshold": threshold, "features": FEATURES, "counts": counts,
               "cross_validation": {str(c): v for c, v in validation.items()}}
    (MODEL_FILE.parent / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    write_card(metrics)
    print(json.dumps(metrics, indent=1))


def write_card(metrics: dict) -> None:
    cv = metrics["cross_validation"][str(metrics["C"])]
    text = f"""# Medical-request model card

Generated by `python -m export.medical.train`; do not edit by hand.

## What it does
Scores one message as a request for a diagnosis, a request for medication advice (which medicine, doses,
stopping, mixing), or neither. It is one input of Haven's medical boundary (`desktop_app/engine/triage/boundaries.py`):
the boundary rules decide first, and this model adds the requests they miss. It never decides a crisis, and it
cannot turn a crisis into a boundary (only a rule can, for a plain medicine question that only the triage
classifier called a crisis). A question about how dangerous an amount of something is is a crisis, decided by
the phrase rules before this model is asked.

## Model
Multinomial logistic regression (scikit-learn, class weights balanced, C = {metrics['C']}) over {metrics['features']:,}
hashed features: word unigrams and bigrams and character 3- to 5-grams of each word, log-scaled counts,
L2-normalised (`features()` in `desktop_app/engine/triage/medical_model.py`, shared by training and the app). Weights
in `model.npz` (float32). A diagnosis or medication probability of at least **{metrics['threshold']:.3f}** makes a
boundary: the lowest threshold at which, out of fold, at most {MAX_FALSE_BOUNDARIES:.0%} of the other messages
are flagged.

## Data (all written by us, `export/triage/written/`)
| source | how it is used |
|---|---|
| `boundaries_dev.jsonl` (development medical requests) | diagnosis → diagnosis; medication choice, dose change, stopping, interaction → medication; lethality questions and controls → none |
| `train_everyday.jsonl`, `train_crisis.jsonl`, `train_boundaries.jsonl`, `train_lookalikes.jsonl` | none (the lookalikes' `info` medical questions are left out: unlabelled requests) |
| `boundaries_test.jsonl`, `context_*.jsonl`, `eval_chat.jsonl` | never read: evaluation only |

Counts: {json.dumps(metrics['counts'])}.

## Results
5-fold cross-validation (chosen C): request recall **{cv['recall']:.1%}**, false boundaries on other messages
**{cv['false_boundary_rate']:.1%}**, right kind among flagged requests {cv['kind_accuracy']:.1%}. All C values:
`{json.dumps(metrics['cross_validation'])}`.

The whole policy (rules and this model) on the held-out requests is in the triage model card
(`assets/models/triage/<model>/MODEL_CARD.md`, "In a conversation").

## Limits
- English only; trained on a few hundred written requests, not on real users' messages.
- A linear model over n-grams: a request in unusual words may be missed (the rules and the reply model's
  persona, which says it does not diagnose, remain), and a message that only talks about medicines may be
  flagged (it then gets a fixed reply pointing to a doctor or pharmacist).
"""
    (MODEL_FILE.parent / "MODEL_CARD.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
