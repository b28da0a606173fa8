"""Triage metrics: per-intent precision/recall/F1, crisis recall and false alarms."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from desktop_app.engine.triage.labels import INTENTS


def per_intent(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, float]]:
    table = {}
    for intent in INTENTS:
        tp = sum(t == intent and p == intent for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != intent and p == intent for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == intent and p != intent for t, p in zip(truth, predicted, strict=True))
        support = tp + fn
        if support == 0:
            continue
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / support
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[intent] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    return table


def macro_f1(table: dict[str, dict[str, float]]) -> float:
    return float(np.mean([row["f1"] for row in table.values()])) if table else 0.0


def crisis_stats(truth_crisis: Sequence[bool], predicted_crisis: Sequence[bool]) -> dict[str, float]:
    """Recall and precision of crisis, and the false-alarm rate on non-crisis text."""
    tp = sum(t and p for t, p in zip(truth_crisis, predicted_crisis, strict=True))
    fp = sum(p and not t for t, p in zip(truth_crisis, predicted_crisis, strict=True))
    positives = sum(truth_crisis)
    negatives = len(truth_crisis) - positives
    return {
        "recall": tp / positives if positives else float("nan"),
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "false_alarm_rate": fp / negatives if negatives else float("nan"),
        "crisis": positives,
        "non_crisis": negatives,
    }


def confusion(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for t, p in zip(truth, predicted, strict=True):
        matrix[index[t]][index[p]] += 1
    return matrix
