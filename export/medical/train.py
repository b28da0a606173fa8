"""Train the medical-request detector (desktop_app/engine/triage/medical_model.py) and write its card.

    python -m export.medical.train

Data (all ours, in export/triage/written/): the development medical-request sets
(`boundaries_dev.jsonl`: diagnosis → diagnosis; medication choice, dose, stopping and
interaction → medication; lethality questions → lethality; controls → none), and, as `none`, every
hand-written training message that is not a medical question (`train_*.jsonl`, without the
`info` questions of `train_lookalikes.jsonl`, which are unlabelled medical questions). Any text
that is also in an evaluation set (the held-out `boundaries_test.jsonl`, the conversations, the
chat set) is left out, as for the triage classifiers.

The regularisation and the threshold are chosen by 5-fold cross-validation: the threshold is
the lowest that keeps false boundaries at most 2% of the `none` messages. A false boundary gives a
fixed "ask your doctor" reply to someone who asked nothing of the kind, but a missed request lets
the reply model improvise medical advice; and at run time the model only judges messages that ask
something, so its false boundaries among all messages are fewer than out of fold here.
The lethality threshold is the lowest that flags at most 0.5% of the harmless messages (the `none` ones that
are not crises) out of fold: a lethality question is a crisis, so a flag is a crisis response.
Writes assets/models/medical/model.npz, metrics.json and MODEL_CARD.md.
"""

from __future__ import annotations

import json

import numpy as np
from scipy import sparse

from desktop_app.engine.triage.medical_model import BOUNDARY_CLASSES, MODEL_FILE, features
from export.linear import C_GRID, fit_and_save, matrix, out_of_fold, threshold_at
from export.triage.dataset import WRITTEN, evaluation_texts, jsonl, key

CLASSES = ("none", "diagnosis", "medication", "lethality")
KIND_OF_CATEGORY = {"diagnosis": "diagnosis", "medication_choice": "medication", "dose_change": "medication",
                    "stopping": "medication", "interaction": "medication", "lethality": "lethality", "control": "none"}
MAX_FALSE_BOUNDARIES = 0.02
MAX_FALSE_LETHALITY = 0.005


def examples() -> list[tuple[str, str, str]]:
    """(text, class, source) for training, deduplicated by text. A training message labelled a crisis has the
    source "crisis", so the lethality threshold can be set on harmless messages."""
    rows = [(item["text"], KIND_OF_CATEGORY[item["category"]], path.name)
            for path in [WRITTEN / "boundaries_dev.jsonl"] for item in jsonl(path)]
    for path in sorted(WRITTEN.glob("train_*.jsonl")):
        rows += [(item["text"], "none", "crisis" if item.get("risk") == "crisis" or item["intent"].startswith("crisis") else path.name)
                 for item in jsonl(path) if not (path.name == "train_lookalikes.jsonl" and item["intent"] == "info")]
    held_out = {key(text) for text in evaluation_texts(with_development=False)}
    unique = {text: (text, kind, source) for text, kind, source in rows if key(text) not in held_out}
    return list(unique.values())


def cross_validate(x: sparse.csr_matrix, y: np.ndarray, harmless: np.ndarray) -> dict:
    """For each C, out of fold: request recall, kind accuracy and false boundaries at the boundary threshold, and
    lethality recall and flags on harmless messages at the lethality threshold."""
    classes = list(np.unique(y))
    boundary = [classes.index(name) for name in BOUNDARY_CLASSES]
    results = {}
    for c in C_GRID:
        p = out_of_fold(x, y, c)
        scores, kinds = p[:, boundary].max(axis=1), np.array(BOUNDARY_CLASSES)[p[:, boundary].argmax(axis=1)]
        requests = np.isin(y, BOUNDARY_CLASSES)
        threshold = threshold_at(scores[~requests], MAX_FALSE_BOUNDARIES)
        flagged = scores >= threshold
        lethality = p[:, classes.index("lethality")]
        lethality_threshold = threshold_at(lethality[harmless], MAX_FALSE_LETHALITY)
        raised = lethality >= lethality_threshold
        results[c] = {"threshold": threshold, "recall": float(flagged[requests].mean()),
                      "kind_accuracy": float((kinds[requests & flagged] == y[requests & flagged]).mean()),
                      "false_boundary_rate": float(flagged[~requests].mean()),
                      "lethality_threshold": lethality_threshold, "lethality_recall": float(raised[y == "lethality"].mean()),
                      "lethality_flag_rate": float(raised[harmless].mean())}
    return results


def main() -> None:
    rows = examples()
    y = np.array([kind for _, kind, _ in rows])
    harmless = np.array([kind == "none" and source != "crisis" for _, kind, source in rows])
    x = matrix([features(text) for text, _, _ in rows])
    metrics = fit_and_save(MODEL_FILE, x, y, CLASSES, cross_validate(x, y, harmless))
    write_card(metrics)
    print(json.dumps(metrics, indent=1))


def write_card(metrics: dict) -> None:
    cv = metrics["cross_validation"][str(metrics["C"])]
    training_files = ", ".join(f"`{path.name}`" for path in sorted(WRITTEN.glob("train_*.jsonl")))
    text = f"""# Medical-request model card

Generated by `python -m export.medical.train`; do not edit by hand.

## What it does
Scores one message as a request for a diagnosis, a request for medication advice (which medicine, doses,
stopping, mixing), a question of how dangerous or lethal an amount or a method is, or none of these.
- **Boundaries.** It is one input of Haven's medical boundary (`desktop_app/engine/triage/boundaries.py`): the
  boundary rules decide first, and this model adds the requests they miss. It cannot turn a crisis into a
  boundary (only a rule can, for a plain medicine question that only the triage classifier called a crisis).
- **Lethality.** A lethality question is a crisis however it is framed. The phrase rules catch the wordings we
  wrote down; a lethality probability of at least the lethality threshold makes any other message a crisis too
  (`desktop_app/engine/triage/safety.py`), with the reason "medical-request model: lethality …". It only ever
  raises a risk.

## Model
Multinomial logistic regression (scikit-learn, class weights balanced, C = {metrics['C']}) over {metrics['features']:,}
hashed features: word unigrams and bigrams and character 3- to 5-grams of each word, log-scaled counts,
L2-normalised (`desktop_app/engine/triage/hashed.py`, shared by training and the app). Weights
in `model.npz` (float32). A diagnosis or medication probability of at least **{metrics['threshold']:.3f}** makes a
boundary: the lowest threshold at which, out of fold, at most {MAX_FALSE_BOUNDARIES:.0%} of the other messages
are flagged. A lethality probability of at least **{metrics['lethality_threshold']:.3f}** makes a crisis: the lowest
threshold at which, out of fold, at most {MAX_FALSE_LETHALITY:.1%} of the harmless messages (not requests, not
crises) are flagged.

## Data (all written by us, `export/triage/written/`)
| source | how it is used |
|---|---|
| `boundaries_dev.jsonl` (development medical requests) | diagnosis → diagnosis; medication choice, dose change, stopping, interaction → medication; lethality questions → lethality; controls → none |
| {training_files} | none (the lookalikes' `info` medical questions are left out: unlabelled requests); those labelled a crisis are not counted among the harmless messages of the lethality threshold |
| `boundaries_test.jsonl`, `context_*.jsonl`, `eval_chat.jsonl` | never read: evaluation only |

Counts: {json.dumps(metrics['counts'])}.

## Results
5-fold cross-validation (chosen C): request recall **{cv['recall']:.1%}**, false boundaries on other messages
**{cv['false_boundary_rate']:.1%}**, right kind among flagged requests {cv['kind_accuracy']:.1%}; lethality recall
**{cv['lethality_recall']:.1%}**, harmless messages flagged {cv['lethality_flag_rate']:.2%}. All C values:
`{json.dumps(metrics['cross_validation'])}`.

The whole policy (rules and this model) on the held-out requests is in the triage model card
(`assets/models/triage/<model>/MODEL_CARD.md`, "In a conversation").

## Limits
- Mostly English, with some requests in other languages; trained on a few thousand written requests, not on real
  users' messages.
- A linear model over n-grams: a request in unusual words may be missed (the rules and the reply model's
  persona, which says it does not diagnose, remain), and a message that only talks about medicines may be
  flagged (it then gets a fixed reply pointing to a doctor or pharmacist).
"""
    (MODEL_FILE.parent / "MODEL_CARD.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
