"""Build the reply model's fine-tuning conversations from ../shared/data.

Deterministic: the same files give the same examples in the same order.

- CounselChat (train split only; its val and test questions are kept for evaluation):
  therapist answers cleaned of self-promotion, credentials, names, links and sign-offs,
  and shortened at a sentence boundary into a conversational reply.
- AnnoMI (high-quality motivational-interviewing sessions only): a client turn with the
  turns before it as context, the therapist's reflection or question as the target.
- mh_intents: reviewed supportive responses of the tags listed in REVIEWED_TAGS (the
  flippant ones and the single foreign helpline are left out).

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
from dataclasses import dataclass
from functools import cache

from desktop_app.engine.replies.prompt import Turn
from export.triage.dataset import DATA, clean, hash_split, key

csv.field_size_limit(sys.maxsize)

MAX_REPLY_CHARS = 600  # about 130 tokens: a chat reply, not a letter
MAX_QUESTION_CHARS = 600
ANNOMI_CONTEXT_TURNS = 4
ANNOMI_MIN_WORDS = 8
ANNOMI_MIN_CLIENT_WORDS = 5  # after "Oh, yeah." the therapist goes on with their own thread
# Questions about therapy as a profession, or asking for a diagnosis: Haven is neither.
COUNSEL_TOPICS_LEFT_OUT = {"counseling-fundamentals", "professional-ethics", "legal-regulatory", "diagnosis"}


@dataclass(frozen=True)
class Conversation:
    """Turns ending with the model turn to learn; `split` is train, val or test."""

    turns: tuple[Turn, ...]
    source: str
    split: str

    @property
    def reply(self) -> str:
        return self.turns[-1].text


_GLUED = re.compile(r"([a-z0-9][.!?)])([A-Z])")  # "him?Has": CounselChat lost the space between paragraphs
_SENTENCE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_SELF_PROMOTION = re.compile(
    r"\b(i am|i'm|as) an? (licensed |certified |registered |professional |marriage |family |clinical |"
    r"mental health )*(therapist|counsel+or|psychologist|psychotherapist|social worker|clinician|coach|lmft|lpc)\b"
    r"|\bmy (practice|office|clients?|patients?|website|book|blog|practise|colleagues?|workshops?)\b"
    r"|\b(contact|call|email|e-mail|text|visit) me\b|\bfeel free to (contact|reach|call|email)\b|\bi offer\b"
    r"|\bi specialize\b|\bin my (work|experience|years|career)\b|\bsessions? with me\b|\b(phone|website|http|www\.|\.com\b)"
    r"|\b(clients?|patients?|counselee)\b|\b(your|this) (recent )?(inquiry|question|post|letter)\b|^i write\b|\bfree consultation\b|\bi (have )?work(ed)? with (many|a lot|people|clients|couples)\b",
    re.I,
)
_GREETING = re.compile(r"^(hi|hello|hey|dear|greetings|good (morning|afternoon|evening))\b[^.!?]{0,40}[,.!]?\s*", re.I)
_THANKS_FOR_ASKING = re.compile(r"^thank(s| you) (so much |very much )?for (your|the|this|asking|writing|reaching|sharing)"
                                r"[^.!?]*[.!?]\s*", re.I)
_SIGN_OFF = re.compile(r"\b(best|warmly|sincerely|regards|kind regards|warm regards|all the best|blessings|"
                       r"wishing you( all the best| well)?|take care|good luck)[,!.]?\s*([A-Z][\w.]*\s*){0,4}$", re.I)
_DIAGNOSIS = re.compile(r"\b(you (have|suffer from|are suffering from|may have|might have|probably have) "
                        r"(an? )?(\w+ )?(disorder|adhd|ptsd|ocd|bipolar|schizophrenia|depression|bpd))|\bdiagnos", re.I)
_MEDICATION = re.compile(r"\b(medication|meds|pills?|dosage|dose|prescri\w*|antidepressant|ssri|mg)\b", re.I)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(_GLUED.sub(r"\1 \2", text)) if s.strip()]


def conversational(answer: str, limit: int = MAX_REPLY_CHARS) -> str:
    """A therapist's letter-style answer as a chat reply: its opening sentences, in order, with
    greetings, self-promotion, credentials, diagnoses, medication advice and sign-offs left out."""
    text = _THANKS_FOR_ASKING.sub("", _GREETING.sub("", clean(answer)))
    kept: list[str] = []
    sentences = split_sentences(text)
    while sentences and not sentences[0][0].isupper():  # the tail of a removed greeting
        sentences.pop(0)
    for sentence in sentences:
        if _SELF_PROMOTION.search(sentence) or _DIAGNOSIS.search(sentence) or _MEDICATION.search(sentence):
            continue
        if len(" ".join([*kept, sentence])) > limit:
            break
        kept.append(sentence)
    reply = _SIGN_OFF.sub("", " ".join(kept)).strip()
    return reply if reply.endswith((".", "?", "!")) else ""


def _question(title: str, text: str) -> str:
    title, text = clean(title), clean(text)
    body = text if key(title) in key(text) else f"{title} {text}".strip()
    if len(body) <= MAX_QUESTION_CHARS:
        return body
    cut = body[:MAX_QUESTION_CHARS]
    return cut[: cut.rfind(" ")] + "…"


def counsel_chat() -> list[tuple[str, str, str]]:
    """(question, reply, split) from CounselChat, using the data set's own split by question."""
    by_question: dict[str, list[dict]] = defaultdict(list)
    with open(DATA / "counsel_chat" / "20200325_counsel_chat.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_question[row["questionID"]].append(row)
    out, seen = [], set()
    for question_id in sorted(by_question, key=int):
        if by_question[question_id][0]["topic"] in COUNSEL_TOPICS_LEFT_OUT:
            continue
        rows = sorted(by_question[question_id], key=lambda r: (-int(r["upvotes"] or 0), r["answerText"]))
        question = _question(rows[0]["questionTitle"], rows[0]["questionText"])
        for row in rows:
            reply = conversational(row["answerText"])
            if len(reply) < 80 or key(reply) in seen:
                continue
            seen.add(key(reply))
            out.append((question, reply, row["split"]))
    return out


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


# Tags whose responses were read and found supportive and safe as chat replies. Left out:
# `suicide` (a single foreign helpline), `creation` (a placeholder), the scripted dialogue
# tags, the fact-* answers (statistics we cannot check), jokes and the flippant ones.
REVIEWED_TAGS = ("greeting", "morning", "afternoon", "evening", "night", "goodbye", "thanks", "about", "skill",
                 "help", "sad", "stressed", "worthless", "depressed", "happy", "casual", "anxious", "not-talking",
                 "sleep", "scared", "death", "understand", "done", "friends", "ask", "problem", "default")
_FLIPPANT = re.compile(r"\bduh\b|not a joke|live in your computer|i'?m a bot|pandora", re.I)


def mh_intents() -> list[tuple[str, str]]:
    """(pattern, response) pairs of the reviewed tags, by hash split of the pattern."""
    data = json.loads((DATA / "mh_intents" / "intents.json").read_text(encoding="utf-8"))
    out = []
    for intent in data["intents"]:
        if intent["tag"] not in REVIEWED_TAGS:
            continue
        responses = [clean(r) for r in intent["responses"] if r.strip() and not _FLIPPANT.search(r)]
        for number, pattern in enumerate(p for p in intent["patterns"] if p.strip()):
            if responses:
                out.append((clean(pattern), responses[number % len(responses)]))
    return out


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


def build() -> list[Conversation]:
    raw: list[tuple[tuple[Turn, ...], str, str]] = []
    raw += [((Turn("user", q), Turn("model", a)), "counsel_chat", split) for q, a, split in counsel_chat()]
    raw += [(turns, "annomi", split) for turns, split in annomi()]
    raw += [((Turn("user", p), Turn("model", r)), "mh_intents", hash_split(p)) for p, r in mh_intents()]
    out = []
    for turns, source, split in raw:
        labelled = with_triage(turns)
        if labelled is not None:
            out.append(Conversation(labelled, source, split))
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
