"""Coping and information cards (assets/cards.json), and finding the one a message asks for.

A card is a short text we wrote, following a named public source (NHS, NIMH, WHO, APA…). When a message
asks for a skill or for information, the best-matching card goes into the prompt, so the reply is
grounded on it rather than on what a 270M model remembers, and the reply names the card's source.
Cards are ranked by cosine similarity of sentence embeddings (all-MiniLM-L6-v2 in ONNX, INT8) with an
exact search over every card.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Final

from desktop_app.engine.onnx import cpu_session
from desktop_app.engine.paths import ASSETS_DIR
from desktop_app.engine.triage.phrases import any_of, normalise

CARDS_FILE: Final = ASSETS_DIR / "cards.json"
EMBEDDER_DIR: Final = ASSETS_DIR / "models" / "embedder"
MIN_SIMILARITY: Final = 0.35  # below it no card fits well enough to ground a reply (chosen on card_queries.jsonl)
MAX_TOKENS: Final = 128

# A message asking for a skill or for information, rather than only telling how things are.
ASKS_FOR_HELP: Final = any_of(
    r"how (?:do|can|could|should) (?:i|you|we|people|someone)", r"what (?:can|could|should) i do", r"what (?:is|are|does|do) (?:a |an |the )?",
    r"(?:any|some|got) (?:tips|ideas|advice|suggestions|techniques|exercises?)", r"(?:tips|advice|ideas) (?:for|on|about)",
    r"help me (?:to )?(?:calm|relax|sleep|breathe|stop|cope|deal|ground|focus|get)", r"(?:calm|settle|ground) (?:myself|me) down",
    r"(?:is there|are there) (?:a |an |any )?(?:way|thing|exercise|technique|trick)", r"how to\b", r"teach me", r"show me how",
    r"(?:explain|tell me about|tell me what)", r"where (?:can|do|could) i (?:find|get|go)", r"(?:breathing|grounding|relaxation) (?:exercise|technique)",
)


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    kind: str
    text: str
    organisation: str
    source_title: str
    year: int

    @property
    def citation(self) -> str:
        return f"{self.organisation}, \u201c{self.source_title}\u201d ({self.year})"

    @property
    def prompt(self) -> str:
        """The card as the reply model reads it."""
        return f"{self.title}: {self.text}"

    @property
    def attribution(self) -> str:
        """The line a grounded reply ends with."""
        return f"(From Haven's card \u201c{self.title}\u201d, which follows {self.citation}.)"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "kind": self.kind, "text": self.text, "source": self.citation}


def load_cards(path: Path = CARDS_FILE) -> tuple[Card, ...]:
    items = json.loads(path.read_text(encoding="utf-8"))["cards"]
    return tuple(Card(item["id"], item["title"], item["kind"], item["text"], item["source"]["organisation"],
                      item["source"]["title"], int(item["source"]["year"])) for item in items)


def asks_for_help(text: str, intent: str) -> bool:
    """Whether a message asks for a skill or for information (the `info` intent, or words that ask)."""
    return intent == "info" or bool(ASKS_FOR_HELP.search(normalise(text)))


class CardIndex:
    """The cards and their embeddings; `best` finds the card a message asks for. Thread-safe; the encoder
    loads at the first search."""

    def __init__(self, cards: tuple[Card, ...] | None = None, folder: Path = EMBEDDER_DIR) -> None:
        self.cards = cards if cards is not None else load_cards()
        self._folder = folder
        self._lock = threading.Lock()

    @cached_property
    def _encoder(self) -> Any:
        from tokenizers import Tokenizer

        session = cpu_session(self._folder / "model.onnx", threads=1)
        tokenizer = Tokenizer.from_file(str(self._folder / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()
        return session, tokenizer

    def embed(self, text: str) -> Any:
        import numpy as np

        session, tokenizer = self._encoder
        ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
        return session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]

    @cached_property
    def _matrix(self) -> Any:
        import numpy as np

        return np.stack([self.embed(f"{card.title}. {card.text}") for card in self.cards])

    def ranked(self, text: str) -> list[tuple[Card, float]]:
        """Every card with its cosine similarity to `text`, best first."""
        with self._lock:
            scores = self._matrix @ self.embed(_question(text))
        order = sorted(range(len(self.cards)), key=lambda k: -float(scores[k]))
        return [(self.cards[k], float(scores[k])) for k in order]

    def best(self, text: str) -> Card | None:
        card, score = self.ranked(text)[0]
        return card if score >= MIN_SIMILARITY else None


def _question(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:1000]
