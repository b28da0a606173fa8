"""Build the triage dataset from ../shared/data and our hand-written messages.

Every rule here is deterministic, so the same inputs give the same splits:
text is cleaned (HTML entities, mojibake, URLs, @mentions, whitespace), rows are
deduplicated by a normalised key, labels that conflict are resolved by the rules in
`_resolve`, and the held-out split shares no normalised text with training.

Each example carries an intent and a risk; either may be unknown (None) for a source
that only tells one of them, and the trainer masks that head for the example.

    python -m export.triage.dataset            # prints the counts per split and source
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from desktop_app.engine.triage.labels import CRISIS_INTENTS, INTENTS, RISKS, default_risk

REPO = Path(__file__).resolve().parents[2]
DATA = Path(REPO.parent / "shared" / "data")
WRITTEN = Path(__file__).resolve().parent / "written"
SPLITS = ("train", "val", "test")
MAX_CHARS = 1500  # long posts are cut here; the models see their first 128 tokens anyway

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Example:
    text: str
    intent: str | None
    risk: str | None
    source: str
    split: str


# ---------------------------------------------------------------- cleaning

_URL = re.compile(r"(https?://|www\.)\S+", re.I)
_MENTION = re.compile(r"(^|\s)(RT\s+)?@\w+:?", re.I)
_SPACE = re.compile(r"\s+")
_KEY_DROP = re.compile(r"[^\w\s]")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as latin-1/cp1252 (e.g. 'iâ\x80\x99m')."""
    if not re.search("[\u00c2-\u00f0][\u0080-\u00bf\u2018-\u203a\u0152-\u017e]", text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def clean(text: str) -> str:
    text = fix_mojibake(text)
    text = html.unescape(html.unescape(text))  # some rows are double-escaped (&amp;#x200B;)
    text = text.replace("\u200b", " ")
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    return text[:MAX_CHARS]


def key(text: str) -> str:
    """The normalised form used for deduplication and for keeping splits apart."""
    return _SPACE.sub(" ", _KEY_DROP.sub(" ", text.lower())).strip()


def hash_split(text: str, val: float = 0.15, test: float = 0.15) -> str:
    bucket = int(hashlib.sha256(key(text).encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if bucket < test else "val" if bucket < test + val else "train"


def _carve_val(text: str) -> str:
    """For sources that ship only train/test: take a validation slice out of train."""
    return "val" if hash_split(text, val=0.15, test=0.0) == "val" else "train"


# ---------------------------------------------------------------- sources

# The 80 tags of mh_intents (and of its augmented copy) mapped to our intents.
# None drops the tag: `no-response` is empty, `name` is unfilled templates and `help`
# mixes "what can you do" with "I need help", which belong to different intents.
TAG_INTENT: dict[str, str | None] = {
    **dict.fromkeys(["greeting", "morning", "afternoon", "evening"], "greeting"),
    **dict.fromkeys(["goodbye", "night"], "goodbye"),
    **dict.fromkeys(["thanks", "pandora-useful"], "thanks"),
    **dict.fromkeys(["about", "skill", "creation", "location"], "about"),
    **dict.fromkeys(
        [
            "neutral-response", "casual", "not-talking", "understand", "done", "hate-you", "hate-me",
            "jokes", "repeat", "wrong", "stupid", "something-else", "ask", "no-approach",
            "learn-more", "user-agree", "meditation",
        ],
        "smalltalk",
    ),
    **dict.fromkeys(["happy", "user-meditation"], "positive"),
    **dict.fromkeys(["user-advice", "learn-mental-health", "mental-health-fact"], "info"),
    **{f"fact-{i}": "info" for i in range(1, 33)},
    "sad": "depression",
    "depressed": "depression",
    "stressed": "stress",
    "problem": "stress",
    "worthless": "self_esteem",
    "anxious": "anxiety",
    "scared": "anxiety",
    "sleep": "sleep",
    "death": "grief",
    "friends": "loneliness",
    "suicide": "crisis_suicide",
    "default": None,  # single topic words ("money", "boyfriend"): see _default_tag_intent
    "no-response": None,
    "name": None,
    "help": None,
}

_LONELY = re.compile(r"\b(lonely|alone|isolated|on my own|don'?t have anyone|no one to talk)\b", re.I)
# A pattern under `suicide` stays a crisis only if it speaks of dying, ending or not
# existing; bare hopelessness ("I feel hopeless", also listed under `sad`) is depression.
_SUICIDAL_WORDS = re.compile(
    r"suicid|kill|die\b|dying|dead|death|end (it|my life|everything|things)|ending my life|"
    r"alive|living|\blive\b|wake up|exist|gone|disappear|better off|goodbye|can'?t go on",
    re.I,
)
_DEFAULT_TOPICS = {
    "stress": re.compile(r"exam|money|financ|work|job|career|school|deadline|debt", re.I),
    "relationships": re.compile(r"boyfriend|girlfriend|relationship|family|partner|marriage|parent", re.I),
    "loneliness": re.compile(r"friends|lonel", re.I),
    "anxiety": re.compile(r"anxiety|fear|worry", re.I),
    "anger": re.compile(r"anger", re.I),
    "depression": re.compile(r"depression|sadness", re.I),
}


def _default_tag_intent(pattern: str) -> str | None:
    for intent, rx in _DEFAULT_TOPICS.items():
        if rx.search(pattern):
            return intent
    return None


def _intent_for_pattern(tag: str, pattern: str) -> str | None:
    if tag == "default":
        return _default_tag_intent(pattern)
    intent = TAG_INTENT[tag]
    if tag == "sad" and _LONELY.search(pattern):
        return "loneliness"
    if intent == "crisis_suicide" and not _SUICIDAL_WORDS.search(pattern):
        return "depression"
    return intent


def _intents_file(path: Path, source: str, split_of) -> list[Example]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for item in data["intents"]:
        for pattern in sorted(set(item["patterns"])):
            text = clean(pattern)
            intent = _intent_for_pattern(item["tag"], text)
            if text and intent:
                rows.append(Example(text, intent, default_risk(intent), source, split_of(text)))
    return rows


def mh_intents() -> list[Example]:
    return _intents_file(DATA / "mh_intents" / "intents.json", "mh_intents", hash_split)


def mh_intents_augmented() -> list[Example]:
    """Paraphrases: training only (its SOURCE.md: never evaluate on this file)."""
    rows = _intents_file(DATA / "mh_intents_kb_augmented" / "KB.json", "mh_intents_kb", lambda _t: "train")
    return _cap_per_intent(rows, 150)


def _cap_per_intent(rows: list[Example], cap: int) -> list[Example]:
    """Keep at most `cap` rows per intent, chosen by text hash (the set is very imbalanced)."""
    by_intent: dict[str | None, list[Example]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: hashlib.sha256(r.text.encode()).hexdigest()):
        by_intent[row.intent].append(row)
    return [row for group in by_intent.values() for row in group[:cap]]


COUNSEL_TOPIC_INTENT = {
    "depression": "depression",
    "anxiety": "anxiety",
    "intimacy": "relationships",
    "relationships": "relationships",
    "parenting": "relationships",
    "family-conflict": "relationships",
    "relationship-dissolution": "relationships",
    "marriage": "relationships",
    "social-relationships": "relationships",
    "self-esteem": "self_esteem",
    "trauma": "trauma",
    "military-issues": "trauma",
    "anger-management": "anger",
    "substance-abuse": "substance",
    "addiction": "substance",
    "workplace-relationships": "stress",
    "stress": "stress",
    "grief-and-loss": "grief",
    "sleep-improvement": "sleep",
    "eating-disorders": "eating",
    "counseling-fundamentals": "info",
    "diagnosis": "info",
    "professional-ethics": "info",
    "legal-regulatory": "info",
    # Left out: domestic-violence and self-harm mix past and present danger (crisis or
    # concern cannot be told from the topic); behavioral-change, lgbtq, spirituality,
    # children-adolescents and human-sexuality have no single intent of ours.
}


def counsel_chat() -> list[Example]:
    """Question titles (short, chat-like) and question texts, one per question, in the set's own split."""
    rows, seen = [], set()
    with open(DATA / "counsel_chat" / "20200325_counsel_chat.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            intent = COUNSEL_TOPIC_INTENT.get(row["topic"])
            if intent is None or row["questionID"] in seen:
                continue
            seen.add(row["questionID"])
            split = {"train": "train", "val": "val", "test": "test"}[row["split"]]
            for text in (clean(row["questionTitle"]), clean(row["questionText"])):
                if text:
                    rows.append(Example(text, intent, default_risk(intent), "counsel_chat", split))
    return rows


_EXPLICIT_SUICIDE = re.compile(r"suicid|kill (my ?self|me)|end (it all|my life)|want(ed)? to die|take my (own )?life", re.I)


def sdcnl() -> list[Example]:
    """r/SuicideWatch posts as crisis_suicide, r/depression posts as depression.

    Depression posts that plainly speak of suicide are dropped: their subreddit label
    would teach the model that explicit suicidal text is not a crisis.
    """
    rows = []
    for name, is_test in (("training-set.csv", False), ("testing-set.csv", True)):
        with open(DATA / "sdcnl" / name, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                body = "" if row["selftext"].strip() == "emptypost" else row["selftext"]
                text = clean(f"{row['title']}. {body}" if body else row["title"])
                suicidal = row["is_suicide"] == "1"
                if not text or (not suicidal and _EXPLICIT_SUICIDE.search(text)):
                    continue
                intent = "crisis_suicide" if suicidal else "depression"
                split = "test" if is_test else _carve_val(text)
                rows.append(Example(text, intent, default_risk(intent), "sdcnl", split))
    return rows


DREADDIT_SUBREDDIT_INTENT = {
    "ptsd": "trauma",
    "survivorsofabuse": "trauma",
    "relationships": "relationships",
    "anxiety": "anxiety",
    "stress": "stress",
    "assistance": "stress",
    "homeless": "stress",
    "almosthomeless": "stress",
    "food_pantry": "stress",
    # domesticviolence is left out: its segments mix past abuse with present danger.
}
_PHONE_LIST = re.compile(r"(\d[\d\-\s().]{6,}\d.*){3,}")


def dreaddit() -> list[Example]:
    """Stressed segments from distress subreddits: the subreddit gives the intent, risk is concern.

    Segments that annotators judged not stressed keep their intent but no risk label.
    """
    rows = []
    for name, is_test in (("dreaddit-train.csv", False), ("dreaddit-test.csv", True)):
        with open(DATA / "dreaddit" / name, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                intent = DREADDIT_SUBREDDIT_INTENT.get(row["subreddit"])
                text = clean(row["text"])
                if intent is None or not text or _PHONE_LIST.search(text):
                    continue
                risk = "concern" if row["label"] == "1" else None
                split = "test" if is_test else _carve_val(text)
                rows.append(Example(text, intent, risk, "dreaddit", split))
    return rows


_ENGLISHISH = re.compile(r"[a-z]{3,}", re.I)


def twitter() -> list[Example]:
    """Tweets labelled "Not Suicide post" as everyday text (risk none, intent unknown).

    The "Potential Suicide post" label is too loose to train on (its SOURCE.md: plain
    tiredness and unrelated tweets); those rows are not used.
    """
    rows = []
    path = DATA / "twitter_suicidal_ideation" / "Suicide_Ideation_Dataset(Twitter-based).csv"
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = clean(row["Tweet"])
            if row["Suicide"].strip() != "Not Suicide post" or len(_ENGLISHISH.findall(text)) < 2:
                continue
            rows.append(Example(text, None, "none", "twitter", hash_split(text)))
    return rows


_SUBSTANCE = re.compile(
    r"drink|alcohol|beer|wine|vodka|whisk|drunk|smok|cigar|nicotine|vap|weed|marijuana|"
    r"cannabis|cocaine|heroin|meth|opioid|pills|drug|high\b|hangover|sober",
    re.I,
)
_FILLER = re.compile(r"^(um+|uh+|mm+-?hmm+|yeah|okay|so|well|right)[,.]?\s+", re.I)


def annomi() -> list[Example]:
    """Client turns from high-quality MI sessions that talk about a substance: substance/concern."""
    rows = []
    with open(DATA / "annomi" / "AnnoMI-simple.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["mi_quality"] != "high" or row["interlocutor"] != "client":
                continue
            text = clean(row["utterance_text"])
            while _FILLER.match(text):
                text = _FILLER.sub("", text, count=1)
            if 25 <= len(text) <= 300 and _SUBSTANCE.search(text):
                rows.append(Example(text, "substance", "concern", "annomi", hash_split(text)))
    return rows


def written() -> list[Example]:
    """Our hand-written short chat messages (training files), split by text hash."""
    rows = []
    for path in sorted(WRITTEN.glob("train_*.jsonl")):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            item = json.loads(line)
            intent, text = item["intent"], clean(item["text"])
            if intent not in INTENTS or item.get("risk", default_risk(intent)) not in RISKS:
                raise ValueError(f"{path.name}:{line_no}: bad label {intent!r}/{item.get('risk')!r}")
            rows.append(Example(text, intent, item.get("risk") or default_risk(intent), "written", hash_split(text)))
    return rows


def jsonl(path: Path) -> list[dict]:
    """The records of a JSON Lines file (blank lines skipped)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def context_controls() -> list[Example]:
    """The last messages of the development conversations' controls, read alone: warning-sign words in harmless
    use ("i'm ready" before a speech, "wrote letters to my future self"), which the classifiers otherwise learn
    as crisis words from the crisis messages. A control's own intent labels it where it is not a crisis intent;
    its risk is none for everyday talk and concern otherwise. The held-out conversations stay unseen."""
    rows = []
    for item in jsonl(WRITTEN / "context_dev.jsonl"):
        if item["label"] != "control":
            continue
        intent = item["intent"] if item["intent"] in INTENTS and item["intent"] not in CRISIS_INTENTS else None
        risk = default_risk(intent) if intent else "none" if item["kind"] == "everyday" else "concern"
        text = clean(item["text"])
        rows.append(Example(text, intent, risk, "written", hash_split(text)))
    return rows


def chat_eval() -> list[dict]:
    """The independent evaluation set of short chat messages (never used for training)."""
    return jsonl(WRITTEN / "eval_chat.jsonl")


def evaluation_texts(with_development: bool = True, with_trained_controls: bool = True) -> list[str]:
    """Every text of our evaluation sets: the chat set, and each message of the conversation and
    medical-request sets; without the development requests, which train the medical-request model,
    when `with_development` is false, and without the last messages of the development controls, which
    train the triage classifiers (`context_controls`), when `with_trained_controls` is false."""
    texts = [item["text"] for item in chat_eval()]
    requests = sorted(WRITTEN.glob("boundaries_*.jsonl" if with_development else "boundaries_test.jsonl"))
    for path in sorted(WRITTEN.glob("context_*.jsonl")) + requests:
        for item in jsonl(path):
            texts += [turn["text"] for turn in item.get("history", [])]
            if with_trained_controls or not (path.name == "context_dev.jsonl" and item["label"] == "control"):
                texts.append(item["text"])
    return texts


SOURCES = (written, context_controls, mh_intents, mh_intents_augmented, counsel_chat, sdcnl, dreaddit, twitter, annomi)


# ---------------------------------------------------------------- assembly

_RISK_ORDER = {"crisis": 0, "concern": 1, "none": 2}


def _resolve(group: list[Example]) -> Example | None:
    """One example per normalised text.

    Conflicting intents: if any label is a crisis the most severe crisis label wins (a
    false alarm is cheaper than a miss); otherwise the text is ambiguous and dropped.
    Held-out membership wins over training, so no text is in two splits.
    """
    split = min((e.split for e in group), key=lambda s: {"test": 0, "val": 1, "train": 2}[s])
    intents = {e.intent for e in group if e.intent}
    risks = {e.risk for e in group if e.risk}
    crisis = sorted(intents & set(CRISIS_INTENTS), key=CRISIS_INTENTS.index)
    if len(intents) > 1 and not crisis:
        return None
    intent = crisis[0] if crisis else next(iter(intents), None)
    risk = min(risks, key=_RISK_ORDER.__getitem__) if risks else None
    if intent in CRISIS_INTENTS:
        risk = "crisis"
    first = group[0]
    return Example(first.text, intent, risk, first.source, split)


def build() -> list[Example]:
    groups: dict[str, list[Example]] = defaultdict(list)
    for source in SOURCES:
        for example in source():
            k = key(example.text)
            if k:
                groups[k].append(example)
    eval_keys = {key(text) for text in evaluation_texts(with_trained_controls=False)}
    resolved = (_resolve(group) for k, group in sorted(groups.items()) if k not in eval_keys)
    return [e for e in resolved if e is not None]


def load(split: str) -> list[Example]:
    return [e for e in build() if e.split == split]


def summary(examples: list[Example]) -> dict:
    by_split = Counter(e.split for e in examples)
    by_source = Counter((e.split, e.source) for e in examples)
    by_intent = Counter((e.split, e.intent) for e in examples)
    return {
        "splits": dict(by_split),
        "sources": {f"{s}/{src}": n for (s, src), n in sorted(by_source.items())},
        "intents_train": {i or "(unknown)": n for (s, i), n in sorted(by_intent.items(), key=str) if s == "train"},
    }


def main() -> None:
    examples = build()
    print(json.dumps(summary(examples), indent=1))


if __name__ == "__main__":
    main()
