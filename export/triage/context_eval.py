"""Conversation and medical-boundary evaluation of the safety policy, on our written sets.

    python -m export.triage.context_eval [--model NAME] [--split dev|test] [--misses]

`context_<split>.jsonl`: conversations whose last user message is a crisis only in context
(label "crisis") and look-alike controls ("control"). `boundaries_<split>.jsonl`: single
messages expected to get a boundary reply, a crisis response, or neither. The dev split is
what the rules were developed against and what the context and medical-request models are
trained on; the test split was written from separate briefs and is only measured. `--misses` prints the misses (our own written text, never user data).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict

from desktop_app.engine.config import EngineConfig
from desktop_app.engine.core import Assessment, Engine
from desktop_app.engine.session import Session
from export.triage.dataset import WRITTEN, jsonl

SPLITS = ("dev", "test")


def _in_context(engine: Engine, item: dict) -> Assessment:
    history = [(turn["role"], turn["text"]) for turn in item["history"]]
    return Session.replayed(engine, history).assess(item["text"])


def _rate(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def context_figures(engine: Engine, split: str, misses: list[str] | None = None) -> dict:
    """Crisis recall on the context positives and false alarms on the controls, in context and alone."""
    items = jsonl(WRITTEN / f"context_{split}.jsonl")
    in_context = [_in_context(engine, item).decision.is_crisis for item in items]
    alone = [engine.assess(item["text"]).decision.is_crisis for item in items]
    positive = [k for k, item in enumerate(items) if item["label"] == "crisis"]
    control = [k for k, item in enumerate(items) if item["label"] == "control"]
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for k, item in enumerate(items):
        by_kind[f"{item['label']}:{item['kind']}"].append(in_context[k])
    if misses is not None:
        misses += [f"{items[k]['label']}/{items[k]['kind']}: {json.dumps(items[k], ensure_ascii=False)}"
                   for k in range(len(items)) if in_context[k] != (items[k]["label"] == "crisis")]
    return {
        "conversations": len(items),
        "positives": len(positive),
        "controls": len(control),
        "context_recall": _rate([in_context[k] for k in positive]),
        "context_false_alarm_rate": _rate([in_context[k] for k in control]),
        "alone_recall": _rate([alone[k] for k in positive]),
        "alone_false_alarm_rate": _rate([alone[k] for k in control]),
        "crisis_rate_by_kind": {kind: round(_rate(flags), 4) for kind, flags in sorted(by_kind.items())},
    }


def _outcome(assessment: Assessment) -> str:
    decision = assessment.decision
    return "crisis" if decision.is_crisis else ("boundary" if decision.boundary else "none")


def boundary_figures(engine: Engine, split: str, misses: list[str] | None = None) -> dict:
    """How often each expected outcome (boundary reply, crisis, neither) is what the policy decides."""
    items = jsonl(WRITTEN / f"boundaries_{split}.jsonl")
    outcomes = [_outcome(engine.assess(item["text"])) for item in items]
    by_expect: dict[str, list[bool]] = defaultdict(list)
    by_category: dict[str, list[bool]] = defaultdict(list)
    for item, outcome in zip(items, outcomes, strict=True):
        by_expect[item["expect"]].append(outcome == item["expect"])
        by_category[item["category"]].append(outcome == item["expect"])
        if misses is not None and outcome != item["expect"]:
            misses.append(f"{item['category']} expected {item['expect']}, got {outcome}: {item['text']}")
    requests = [outcome == item["expect"] for item, outcome in zip(items, outcomes, strict=True) if item["expect"] != "none"]
    return {
        "messages": len(items),
        "boundary_accuracy": _rate(by_expect["boundary"]),
        "lethality_crisis_rate": _rate(by_expect["crisis"]),
        "requests_handled": _rate(requests),
        "control_untouched_rate": _rate(by_expect["none"]),
        "accuracy_by_category": {name: round(_rate(flags), 4) for name, flags in sorted(by_category.items())},
        "counts": {name: len(flags) for name, flags in sorted(by_expect.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None)
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--misses", action="store_true", help="print each miss")
    args = parser.parse_args()
    engine = Engine(EngineConfig(triage_model=args.model, replies=False))
    misses: list[str] | None = [] if args.misses else None
    result = {"context": context_figures(engine, args.split, misses), "boundaries": boundary_figures(engine, args.split, misses)}
    print(json.dumps(result, indent=1))
    for line in misses or []:
        print(line)


if __name__ == "__main__":
    main()
