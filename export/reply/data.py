"""Build the reply model's fine-tuning conversations.

Deterministic: the same files give the same examples in the same order.

- Our written exchanges (export/reply/written/, see its README for the style guide): every model turn of
  `train_single*.jsonl` and `train_conversations*.jsonl` is a target (hash split into train and val);
  `heldout_*.jsonl` is the test split, never trained on. Rows that break the guide in ways code can
  see are dropped (`guide_breach`). A message that asks for a skill or information carries the card
  the app would ground it on.
- AnnoMI (high-quality motivational-interviewing sessions only): a client turn with the
  turns before it as context, the therapist's reflection or question as the target.
- CounselChat answers and mh_intents responses are not trained on any more: they teach advice letters
  and stock lines (`counsel_chat` stays for the perplexity of raw answers in the evaluation).

Every user turn gets the triage note the app would give it (the shipped default
triage model and the safety policy); a conversation whose user turn the policy calls a
crisis is dropped, as the app never sends one to the reply model.

    python -m export.reply.data        # counts per source and split, and a few examples
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import cache

from desktop_app.engine.replies.prompt import Turn
from export.triage.dataset import DATA, REPO, clean, hash_split, key

csv.field_size_limit(sys.maxsize)

ANNOMI_CONTEXT_TURNS = 4
ANNOMI_MIN_WORDS = 8
ANNOMI_MIN_CLIENT_WORDS = 5  # after "Oh, yeah." the therapist goes on with their own thread


@dataclass(frozen=True)
class Conversation:
    """Turns ending with the model turn to learn; `split` is train, val or test."""

    turns: tuple[Turn, ...]
    source: str
    split: str

    @property
    def reply(self) -> str:
        return self.turns[-1].text


_SELF_PROMOTION = re.compile(
    r"\b(i am|i'm|as) an? (licensed |certified |registered |professional |marriage |family |clinical |"
    r"mental health )*(therapist|counsel+or|psychologist|psychotherapist|social worker|clinician|coach|lmft|lpc)\b"
    r"|\bmy (practice|office|clients?|patients?|website|book|blog|practise|colleagues?|workshops?)\b"
    r"|\b(contact|call|email|e-mail|text|visit) me\b|\bfeel free to (contact|reach|call|email)\b|\bi offer\b"
    r"|\bi specialize\b|\bin my (work|experience|years|career)\b|\bsessions? with me\b|\b(phone|website|http|www\.|\.com\b)"
    r"|\b(clients?|patients?|counselee)\b|\b(your|this) (recent )?(inquiry|question|post|letter)\b|^i write\b|\bfree consultation\b|\bi (have )?work(ed)? with (many|a lot|people|clients|couples)\b",
    re.I,
)
_BACKCHANNEL = re.compile(r"^(mm-?hmm|uh-?huh|okay|ok|right|yeah|yes|sure|i see|great|good|alright|all right)[.,!]?$", re.I)
_VOCATIVE = re.compile(r"^(?:(?:so|well|okay|and),? )?[A-Z][a-z]+, (?=[a-z])")
_FILLERS = re.compile(r"\b(um+|uh+|erm)\b[,.]?\s*", re.I)
_STUTTER = re.compile(r"\b([\w']+)(?:-+|—)\s?(?=\1\b)", re.I)  # "that- that-that's" → "that's"
_CUT_OFF = ("-", "—")
_LEADING_BACKCHANNEL = re.compile(r"^((mm-?hmm|uh-?huh|okay|ok|right|yeah|yes|sure|alright|all right)[.,!]\s+)+", re.I)


def _utterance(text: str) -> str:
    text = _FILLERS.sub("", clean(text))
    while _STUTTER.search(text):
        text = _STUTTER.sub("", text)
    return re.sub(r"\s+([,.?!])", r"\1", text).strip(" ,")


def annomi() -> list[tuple[tuple[Turn, ...], str]]:
    """Context turns plus a therapist reflection or question, from high-quality sessions, by transcript hash split."""
    sessions: dict[str, list[dict]] = defaultdict(list)
    with open(DATA / "annomi" / "AnnoMI-simple.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["mi_quality"] == "high":
                sessions[row["transcript_id"]].append(row)
    out = []
    for transcript in sorted(sessions, key=int):
        turns = _merged_turns(sorted(sessions[transcript], key=lambda r: int(r["utterance_id"])))
        split = hash_split(f"annomi-{transcript}")
        for index, (turn, behaviour) in enumerate(turns):
            if (turn.role != "model" or behaviour not in {"reflection", "question"} or index == 0
                    or len(turn.text.split()) < ANNOMI_MIN_WORDS or _SELF_PROMOTION.search(turn.text)
                    or turn.text.startswith(_CUT_OFF) or turn.text.endswith(_CUT_OFF)):
                continue  # a target cut off mid-sentence teaches rambling
            context = [t for t, _ in turns[max(0, index - ANNOMI_CONTEXT_TURNS) : index]]
            while context and context[0].role != "user":
                context.pop(0)
            if context and len(context[-1].text.split()) >= ANNOMI_MIN_CLIENT_WORDS and not any(
                    _BACKCHANNEL.match(t.text) for t in context if t.role == "user"):
                target = _VOCATIVE.sub("", _LEADING_BACKCHANNEL.sub("", turn.text))
                out.append(((*context, Turn("model", target[:1].upper() + target[1:])), split))
    return out


def _merged_turns(rows: list[dict]) -> list[tuple[Turn, str]]:
    """Consecutive utterances of one speaker joined into one turn (with the first one's behaviour)."""
    turns: list[tuple[Turn, str]] = []
    for row in rows:
        role = "model" if row["interlocutor"] == "therapist" else "user"
        text = _utterance(row["utterance_text"])
        if not text:
            continue
        if turns and turns[-1][0].role == role:
            turns[-1] = (Turn(role, f"{turns[-1][0].text} {text}"), turns[-1][1])
        else:
            turns.append((Turn(role, text), row["main_therapist_behaviour"]))
    return turns


@cache
def _policy():
    from desktop_app.engine.core import Engine

    return Engine()


def with_triage(turns: tuple[Turn, ...]) -> tuple[Turn, ...] | None:
    """Turns with the app's triage note on each user turn; None when the policy calls one a crisis."""
    out = []
    for turn in turns:
        if turn.role == "user":
            decision = _policy().assess(turn.text).decision
            if decision.is_crisis:
                return None
            turn = Turn("user", turn.text, decision.intent, decision.risk)
        out.append(turn)
    return tuple(out)


WRITTEN = REPO / "export" / "reply" / "written"
MAX_REPLY_WORDS = 70  # the guide says about 60
VAL_SHARE = 0.1
_STOCK_OPENING = re.compile(r"^(i'?m (so )?sorry to hear|i understand how you feel|it sounds like you(?:'re| are) going through a lot|"
                            r"i hear you\.)", re.I)
LIFE_CLAIM = re.compile(r"\b(me too|i'?ve been there|when i was|i remember when|my (?:mum|mom|dad|mother|father|family|wife|husband|"
                        r"partner|kids?|children|son|daughter|friends?|sister|brother|boss|job|life|dog|cat)|i (?:also|too) "
                        r"(?:feel|felt|have|had|struggle)|i'?m (?:so |really |very )?(?:angry|furious|mad|upset|sad|scared|hurt) "
                        r"(?:at|with) you|i (?:have|had) (?:a|my) (?:own )?(?:anxiety|depression|panic))\b", re.I)
_MEDICINE = re.compile(r"\b(\d+ ?mg|dose|dosage|antidepressant|ssri|sertraline|fluoxetine|prozac|xanax|diazepam|melatonin)\b", re.I)


def guide_breach(user_text: str, reply: str) -> str:
    """Why a written reply breaks the style guide in a way code can see ("" when none does)."""
    if len(reply.split()) > MAX_REPLY_WORDS:
        return "too long"
    if _STOCK_OPENING.search(reply):
        return "stock opening"
    if LIFE_CLAIM.search(reply):
        return "life claim"
    if _MEDICINE.search(reply):
        return "medicine"
    if set(re.findall(r"\d+", reply)) - set(re.findall(r"\d+", user_text)):
        return "a number the person did not give"
    return ""


def _written_rows(pattern: str) -> list[dict]:
    return [json.loads(line) for path in sorted(WRITTEN.glob(pattern))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _targets(turns: list[dict]) -> list[tuple[Turn, ...]]:
    """One example per model turn: the conversation up to and including it."""
    out = []
    for index, turn in enumerate(turns):
        if turn["role"] == "model" and index:
            said = " ".join(t["text"] for t in turns[:index] if t["role"] == "user")
            if not guide_breach(said, turn["text"]):
                out.append(tuple(Turn(t["role"], t["text"].strip()) for t in turns[: index + 1]))
    return out


def _written_conversations(prefix: str) -> list[list[dict]]:
    rows = [[{"role": "user", "text": r["text"]}, {"role": "model", "text": r["reply"]}] for r in _written_rows(f"{prefix}_single*.jsonl")]
    return rows + [r["turns"] for r in _written_rows(f"{prefix}_conversations*.jsonl")]


def written() -> list[tuple[tuple[Turn, ...], str]]:
    """(turns, split) of the written exchanges: train/val by a hash of the first message, test for the held-out
    files. A training conversation with a message that is also in a held-out file ("hi", "thanks") is left out."""
    held_out = _written_conversations("heldout")
    held_out_keys = {key(turn["text"]) for turns in held_out for turn in turns if turn["role"] == "user"}
    out = [(example, "test") for turns in held_out for example in _targets(turns)]
    for turns in _written_conversations("train"):
        if any(key(turn["text"]) in held_out_keys for turn in turns if turn["role"] == "user"):
            continue
        split = hash_split(turns[0]["text"], val=VAL_SHARE, test=0.0)
        out += [(example, split) for example in _targets(turns)]
    return out


@cache
def _cards():
    from desktop_app.engine.replies.cards import CardIndex

    return CardIndex()


def with_card(turns: tuple[Turn, ...]) -> tuple[Turn, ...]:
    """The last user turn with the card the app would ground it on, when it asks for a skill or information."""
    from desktop_app.engine.replies.cards import asks_for_help

    *before, asked, answer = turns
    if asked.role != "user" or not asks_for_help(asked.text, asked.intent):
        return turns
    card = _cards().best(asked.text)
    return turns if card is None else (*before, replace(asked, card=card.prompt), answer)


def build() -> list[Conversation]:
    raw: list[tuple[tuple[Turn, ...], str, str]] = []
    raw += [(turns, "written", split) for turns, split in written()]
    raw += [(turns, "annomi", split) for turns, split in annomi()]
    out = []
    for turns, source, split in raw:
        labelled = with_triage(turns)
        if labelled is not None:
            out.append(Conversation(with_card(labelled) if source == "written" else labelled, source, split))
    return out


def summary(conversations: list[Conversation]) -> dict:
    return {
        "by_split_source": dict(sorted(Counter(f"{c.split}/{c.source}" for c in conversations).items())),
        "reply_chars_median": sorted(len(c.reply) for c in conversations)[len(conversations) // 2],
    }


def main() -> None:
    conversations = build()
    print(json.dumps(summary(conversations), indent=1))
    for conversation in conversations[:: max(1, len(conversations) // 6)]:
        print(json.dumps([t.__dict__ for t in conversation.turns], ensure_ascii=False)[:800])


if __name__ == "__main__":
    main()
