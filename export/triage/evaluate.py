"""Evaluate both shipped triage models and write their metrics and model cards.

    python -m export.triage.evaluate

For each model, on the held-out test split (by source, short messages apart), on the
independent chat set (export/triage/written/eval_chat.jsonl) and on the Reddit C-SSRS
severity set: per-intent precision/recall/F1, macro-F1, crisis recall/precision and
false alarms (classifier alone and full safety policy), the idiom false-alarm rate and
an intent confusion matrix. With the whole policy in a conversation (export.triage.context_eval):
context crisis recall and false alarms on our written conversations, and medical-boundary
accuracy on our written requests, for the development and the held-out split of each.
Writes assets/models/triage/<model>/metrics.json and MODEL_CARD.md, and picks the default
model (assets/models/triage/models.json).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
from collections import defaultdict

from desktop_app.engine.config import EngineConfig
from desktop_app.engine.core import Assessment, Engine
from desktop_app.engine.paths import TRIAGE_MODELS_DIR
from desktop_app.engine.triage.labels import INTENTS
from export.triage import context_eval, dataset, metrics
from export.triage.card import write_card
from export.triage.train import SHORT_CHARS

TARGETS = {"crisis_recall": 0.97, "false_alarm_rate": 0.03, "macro_f1": 0.85, "context_recall": 0.95,
           "context_false_alarm_rate": 0.10, "boundary_accuracy": 1.0}
CSSRS_LEVELS = ("Supportive", "Indicator", "Ideation", "Behavior", "Attempt")


def _figures(items: list[dict], results: list[Assessment]) -> dict:
    """Metrics for items with keys text/intent/risk (either label may be None)."""
    labelled = [k for k, item in enumerate(items) if item.get("intent")]
    truth = [items[k]["intent"] for k in labelled]
    classifier = [results[k].triage.intent for k in labelled]
    table = metrics.per_intent(truth, classifier)
    output = metrics.per_intent(truth, [results[k].decision.intent for k in labelled])
    risky = [k for k, item in enumerate(items) if item.get("risk")]
    is_crisis = [items[k]["risk"] == "crisis" for k in risky]
    return {
        "n": len(items),
        "macro_f1": metrics.macro_f1(table),
        "output_macro_f1": metrics.macro_f1(output),
        "accuracy": sum(t == p for t, p in zip(truth, classifier, strict=True)) / len(truth) if truth else float("nan"),
        "per_intent": table,
        "crisis_classifier": metrics.crisis_stats(is_crisis, [results[k].triage.risk == "crisis" for k in risky]),
        "crisis_policy": metrics.crisis_stats(is_crisis, [results[k].decision.is_crisis for k in risky]),
        "confusion": metrics.confusion(truth, classifier, INTENTS),
    }


def heldout(engine: Engine) -> dict:
    items = [{"text": e.text, "intent": e.intent, "risk": e.risk, "source": e.source} for e in dataset.load("test")]
    results = [engine.assess(item["text"]) for item in items]
    groups: dict[str, list[int]] = defaultdict(list)
    for k, item in enumerate(items):
        groups[f"source:{item['source']}"].append(k)
        groups["short" if len(item["text"]) <= SHORT_CHARS else "long"].append(k)
    out = {"all": _figures(items, results)}
    for name, index in sorted(groups.items()):
        out[name] = _figures([items[k] for k in index], [results[k] for k in index])
    return out


def chat_set(engine: Engine) -> dict:
    items = dataset.chat_eval()
    english = [item for item in items if item.get("lang", "en") == "en"]
    results = {id(item): engine.assess(item["text"]) for item in items}
    out = {"english": _figures(english, [results[id(i)] for i in english])}
    idioms = [item for item in english if item["kind"] == "idiom"]
    out["idiom_false_alarm_rate"] = sum(results[id(i)].decision.is_crisis for i in idioms) / len(idioms)
    out["idiom_count"] = len(idioms)
    kinds: dict[str, list[bool]] = defaultdict(list)
    for item in english:
        if item["risk"] == "crisis":
            kinds[item["kind"]].append(results[id(item)].decision.is_crisis)
        if item["intent"].startswith("crisis_"):
            kinds[item["intent"]].append(results[id(item)].decision.is_crisis)
    out["policy_recall_by_kind"] = {kind: sum(v) / len(v) for kind, v in sorted(kinds.items())}
    indonesian = [item for item in items if item.get("lang") == "id"]
    out["indonesian_policy"] = metrics.crisis_stats(
        [i["risk"] == "crisis" for i in indonesian], [results[id(i)].decision.is_crisis for i in indonesian]
    )
    return out


def cssrs(engine: Engine) -> dict:
    """Reddit C-SSRS users (evaluation only): crisis score and crisis rate per severity level."""
    by_level: dict[str, list[Assessment]] = defaultdict(list)
    path = dataset.DATA / "reddit_cssrs_500" / "500_Reddit_users_posts_labels.csv"
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            try:
                posts = " ".join(ast.literal_eval(row["Post"]))
            except (ValueError, SyntaxError):  # 28 rows were cut at the spreadsheet cell limit
                posts = row["Post"].strip("[]")
            by_level[row["Label"]].append(engine.assess(posts))
    return {
        level: {
            "users": len(by_level[level]),
            "mean_crisis_score": sum(a.triage.risk_scores["crisis"] for a in by_level[level]) / len(by_level[level]),
            "classifier_crisis_rate": sum(a.triage.risk == "crisis" for a in by_level[level]) / len(by_level[level]),
            "policy_crisis_rate": sum(a.decision.is_crisis for a in by_level[level]) / len(by_level[level]),
        }
        for level in CSSRS_LEVELS
    }


def evaluate(name: str) -> dict:
    engine = Engine(EngineConfig(triage_model=name, replies=False))
    return {"model": name, "heldout": heldout(engine), "chat": chat_set(engine), "cssrs": cssrs(engine),
            "conversations": {split: context_eval.context_figures(engine, split) for split in context_eval.SPLITS},
            "boundaries": {split: context_eval.boundary_figures(engine, split) for split in context_eval.SPLITS}}


def headline(result: dict) -> dict:
    chat, short = result["chat"]["english"], result["heldout"]["short"]
    return {
        "chat_policy_crisis_recall": chat["crisis_policy"]["recall"],
        "chat_policy_false_alarm_rate": chat["crisis_policy"]["false_alarm_rate"],
        "chat_classifier_crisis_recall": chat["crisis_classifier"]["recall"],
        "chat_classifier_false_alarm_rate": chat["crisis_classifier"]["false_alarm_rate"],
        "chat_macro_f1": chat["macro_f1"],
        "chat_output_macro_f1": chat["output_macro_f1"],
        "heldout_short_policy_crisis_recall": short["crisis_policy"]["recall"],
        "heldout_short_policy_false_alarm_rate": short["crisis_policy"]["false_alarm_rate"],
        "heldout_short_macro_f1": short["macro_f1"],
        "heldout_all_macro_f1": result["heldout"]["all"]["macro_f1"],
        "idiom_false_alarm_rate": result["chat"]["idiom_false_alarm_rate"],
        "indonesian_policy_recall": result["chat"]["indonesian_policy"]["recall"],
        "context_recall": result["conversations"]["test"]["context_recall"],
        "context_false_alarm_rate": result["conversations"]["test"]["context_false_alarm_rate"],
        "boundary_accuracy": result["boundaries"]["test"]["boundary_accuracy"],
        "lethality_crisis_rate": result["boundaries"]["test"]["lethality_crisis_rate"],
        "boundary_control_untouched_rate": result["boundaries"]["test"]["control_untouched_rate"],
    }


def selection_score(figures: dict) -> float:
    return (figures["chat_macro_f1"] + figures["chat_policy_crisis_recall"]
            - figures["chat_policy_false_alarm_rate"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards-only", action="store_true", help="rewrite the model cards from metrics.json")
    if parser.parse_args().cards_only:
        for name in ("minilm", "lstm"):
            folder = TRIAGE_MODELS_DIR / name
            write_card(folder, json.loads((folder / "metrics.json").read_text(encoding="utf-8")), TARGETS)
        return
    results = {name: evaluate(name) for name in ("minilm", "lstm")}
    for name, result in results.items():
        folder = TRIAGE_MODELS_DIR / name
        result["headline"] = headline(result)
        (folder / "metrics.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        write_card(folder, result, TARGETS)
        print(json.dumps({name: {k: round(v, 4) for k, v in result["headline"].items()}}, indent=1))
    best = max(results, key=lambda n: selection_score(results[n]["headline"]))
    index = {"default": best, "models": sorted(results),
             "chosen_by": "chat set: macro-F1 + policy crisis recall - policy false-alarm rate"}
    (TRIAGE_MODELS_DIR / "models.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    print(f"default model: {best}")


if __name__ == "__main__":
    main()
