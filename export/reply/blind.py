"""Count a blind side-by-side read of the new adapter against the one it replaces.

    python -m export.reply.blind RATINGS.jsonl

`python -m export.reply.evaluate --previous OLD.gguf` writes runs/reply-blind/pairs.jsonl (each held-out
exchange with two replies, A and B, in a seeded random order) and key.jsonl (which one is new). A reader who
has not looked at the key rates every reply against the style guide (export/reply/written/README.md):
RATINGS.jsonl holds `{"id", "A": "good"|"acceptable"|"bad", "B": …}` per pair. This joins the ratings to
the key, adds the counts to assets/models/reply/metrics.json and writes the model card again.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from desktop_app.engine.paths import REPLY_MODEL_DIR
from export.reply.evaluate import BLIND_DIR, write_card

RANK = {"bad": 0, "acceptable": 1, "good": 2}


def counts(ratings: list[dict], key: list[dict]) -> dict:
    new_of = {k["id"]: k["new"] for k in key}
    new, old = Counter(), Counter()
    as_good = 0
    for rating in ratings:
        mine = new_of[rating["id"]]
        theirs = "B" if mine == "A" else "A"
        new[rating[mine]] += 1
        old[rating[theirs]] += 1
        as_good += RANK[rating[mine]] >= RANK[rating[theirs]]
    n = len(ratings)
    return {"pairs": n, "new": dict(new), "previous": dict(old), "new_as_good_or_better": round(as_good / n, 4),
            "new_bad": round(new["bad"] / n, 4), "previous_bad": round(old["bad"] / n, 4)}


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    result = counts(_lines(Path(sys.argv[1])), _lines(BLIND_DIR / "key.jsonl"))
    metrics_file = REPLY_MODEL_DIR / "metrics.json"
    metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    metrics["blind_read"] = result
    write_card(metrics)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
