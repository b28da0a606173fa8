"""Encrypted history timings: unlock, appending messages, opening a long conversation, search.

    python bench/store.py --json

A fresh history in a temporary folder with the default Argon2id costs. One conversation of
chat-like messages (a seeded, Zipf-weighted vocabulary), each appended in its own durable
commit, as the app writes them. Opening and searching run on a freshly unlocked store.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.engine.history.keys import KdfParams, derive_key
from desktop_app.engine.history.store import Store

PASSPHRASE = "bench passphrase"
WORDS = ["i", "you", "it", "the", "a", "and", "to", "of", "my", "me", "feel", "feeling", "so", "really", "just", "not", "can't", "don't", "want", "know", "think", "today", "night", "sleep", "tired", "work", "school", "exam", "friend", "family", "mother", "father", "sister", "brother", "partner", "alone", "lonely", "anxious", "worried", "stressed", "sad", "angry", "calm", "better", "worse", "help", "talk", "people", "time", "week", "month", "year", "home", "morning", "tomorrow", "yesterday", "again", "always", "never", "sometimes", "maybe", "because", "what", "why", "how", "when", "where", "who", "heart", "chest", "breathe", "panic", "attack", "thoughts", "mind", "head", "body", "eat", "food", "hungry", "sick", "doctor", "therapist", "medication", "appointment", "job", "money", "rent", "bills", "car", "bus", "train", "walk", "run", "gym", "music", "book", "film", "game", "phone", "message", "call", "text", "reply", "angry", "shout", "cry", "laugh", "smile", "hug", "love", "hate", "miss", "lost", "grief", "funeral", "wedding", "birthday", "holiday", "weekend", "rain", "sun", "cold", "warm", "tea", "coffee", "dog", "cat", "garden", "river", "park", "city", "village"]
TARGETS = {"open_newest_200_ms": 100, "search_ms": 50}
UNLOCK_RANGE_MS = (300, 1000)


def ms(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def sentences(count: int, rng: random.Random) -> list[str]:
    weights = [1 / rank for rank in range(1, len(WORDS) + 1)]
    return [" ".join(rng.choices(WORDS, weights, k=rng.randint(6, 40))) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(7)
    texts = sentences(args.messages, rng)
    with tempfile.TemporaryDirectory(prefix="haven-bench-") as folder:
        data = Path(folder)
        with Store.create(data, PASSPHRASE) as store:
            conversation = store.new_conversation("bench").id
            started = time.perf_counter()
            for index, text in enumerate(texts):
                store.add_message(conversation, "user" if index % 2 == 0 else "assistant", text)
            append_ms = (time.perf_counter() - started) * 1000

        params = KdfParams()
        argon2_ms = statistics.median(ms(lambda: derive_key(PASSPHRASE, bytes(16), params)) for _ in range(3))
        unlocks, opens = [], []
        for _ in range(3):
            started = time.perf_counter()
            with Store.open(data, PASSPHRASE) as reopened:
                unlocks.append((time.perf_counter() - started) * 1000)
                opens.append(ms(lambda s=reopened: (s.conversation(conversation), s.messages(conversation, limit=200))))

        queries = rng.sample(WORDS, min(args.queries, len(WORDS)))
        with Store.open(data, PASSPHRASE) as store:
            searches = [ms(lambda q=query: store.search(q)) for query in queries]
        db_bytes = (data / "history.db").stat().st_size

    result = {
        "messages": args.messages,
        "argon2id": {"memory_kib": params.memory_kib, "time_cost": params.time_cost, "parallelism": params.parallelism},
        "argon2_ms": round(argon2_ms, 1),
        "unlock_ms": round(statistics.median(unlocks), 1),
        "append_ms": round(append_ms, 1),
        "append_per_message_ms": round(append_ms / args.messages, 3),
        "open_newest_200_ms": round(statistics.median(opens), 2),
        "search_ms": round(statistics.median(searches), 2),
        "search_max_ms": round(max(searches), 2),
        "db_mib": round(db_bytes / 2**20, 2),
    }
    result["targets_met"] = {
        "unlock_ms": UNLOCK_RANGE_MS[0] <= result["unlock_ms"] <= UNLOCK_RANGE_MS[1],
        **{name: result[name] <= limit for name, limit in TARGETS.items()},
    }
    if args.json:
        print(json.dumps(result))
    else:
        for name, value in result.items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
