"""Train a triage model (LSTM or MiniLM) on the dataset of export.triage.dataset.

    python -m export.triage.train --model lstm
    python -m export.triage.train --model minilm --resume

Writes runs/triage-<model>/: train.log, last.pt (resumable after every epoch),
best.pt (the weights with the best validation score) and, for the LSTM, tokenizer.json.
Seeded: the same data and arguments give the same weights on the same machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from desktop_app.engine.triage.classifier import decide
from desktop_app.engine.triage.labels import INTENTS, RISKS
from desktop_app.engine.triage.tokens import Encoder
from export.triage import dataset, metrics
from export.triage.models import PAD_ID, LstmClassifier, MiniLmClassifier, minilm_dir, train_wordpiece

RUNS = dataset.REPO / "runs"
SHORT_CHARS = 300  # "short message" for the crisis figures, as typed in a chat
TRAIN_TOKENS = 64  # long posts are cut shorter in training than in the app: 2 CPU cores

log = logging.getLogger("export.triage.train")


@dataclass(frozen=True)
class Settings:
    epochs: int
    batch: int
    lr: float
    head_lr: float
    written_repeat: int  # our short chat messages are the target distribution: show them more


SETTINGS = {
    "lstm": Settings(epochs=24, batch=32, lr=2e-3, head_lr=2e-3, written_repeat=2),
    "minilm": Settings(epochs=6, batch=32, lr=5e-5, head_lr=1e-3, written_repeat=2),
}


def run_dir(model: str) -> Path:
    return RUNS / f"triage-{model}"


def encoder_for(model: str, train_texts: list[str] | None = None) -> Encoder:
    if model == "minilm":
        return Encoder.from_file(str(minilm_dir() / "tokenizer.json"), framed=True)
    path = run_dir(model) / "tokenizer.json"
    if not path.exists():
        if train_texts is None:
            raise FileNotFoundError(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        train_wordpiece(train_texts).save(str(path))
    return Encoder.from_file(str(path), framed=False)


def new_model(model: str, encoder: Encoder) -> nn.Module:
    if model == "minilm":
        return MiniLmClassifier.pretrained()
    return LstmClassifier(encoder.tokenizer.get_vocab_size())


def labels_of(example: dataset.Example) -> tuple[int, int]:
    intent = INTENTS.index(example.intent) if example.intent else -100
    risk = RISKS.index(example.risk) if example.risk else -100
    return intent, risk


def batches(rows: Sequence[tuple[list[int], ...]], size: int, rng: random.Random | None,
            pool_batches: int = 50) -> list[list[int]]:
    """Index batches of similar length (less padding), sorted within pools of `pool_batches` batches;
    shuffled when rng is given."""
    order = list(range(len(rows)))
    if rng:
        rng.shuffle(order)
    pool = pool_batches * size
    out = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: len(rows[i][0]))
        out += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    if rng:
        rng.shuffle(out)
    return out


def forward(model: nn.Module, rows, index: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    seqs = [rows[i][0] for i in index]
    lengths = torch.tensor([len(s) for s in seqs])
    ids = torch.full((len(seqs), int(lengths.max())), PAD_ID, dtype=torch.long)
    for row, seq in enumerate(seqs):
        ids[row, : len(seq)] = torch.tensor(seq)
    if isinstance(model, MiniLmClassifier):
        return model.logits(ids, (ids != PAD_ID).long())
    return model.logits(ids, lengths)


def class_weights(labels: list[int], n: int) -> torch.Tensor:
    counts = Counter(label for label in labels if label >= 0)
    mean = sum(counts.values()) / max(len(counts), 1)
    return torch.tensor([min(3.0, math.sqrt(mean / counts[i])) if counts[i] else 0.0 for i in range(n)])


def masked(loss: nn.CrossEntropyLoss, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The loss of one head; zero for a batch with no label for it (the mean of nothing is NaN)."""
    return loss(logits, labels) if bool((labels != -100).any()) else logits.sum() * 0.0


@torch.no_grad()
def predict(model: nn.Module, rows, batch: int = 64) -> tuple[np.ndarray, np.ndarray]:
    model.eval()
    intents, risks = np.zeros((len(rows), len(INTENTS))), np.zeros((len(rows), len(RISKS)))
    for index in batches(rows, batch, None):
        intent, risk = forward(model, rows, index)
        intents[index], risks[index] = intent.softmax(-1).numpy(), risk.softmax(-1).numpy()
    return intents, risks


def validation_score(examples: list[dataset.Example], intents: np.ndarray, risks: np.ndarray) -> dict[str, float]:
    labelled = [i for i, e in enumerate(examples) if e.intent]
    table = metrics.per_intent(
        [examples[i].intent for i in labelled], [INTENTS[int(np.argmax(intents[i]))] for i in labelled]
    )
    short = [i for i, e in enumerate(examples) if e.risk and len(e.text) <= SHORT_CHARS]
    crisis = metrics.crisis_stats(
        [examples[i].risk == "crisis" for i in short],
        [decide(intents[i], risks[i], 0.5)[1] == "crisis" for i in short],  # the app's rule, at a neutral threshold
    )
    macro = metrics.macro_f1(table)
    return {"macro_f1": macro, "crisis_recall_short": crisis["recall"], "false_alarms_short": crisis["false_alarm_rate"],
            "score": macro + crisis["recall"] - crisis["false_alarm_rate"]}


def train(model_name: str, resume: bool, epochs: int | None, threads: int, seed: int = 13) -> Path:
    settings = SETTINGS[model_name]
    total_epochs = epochs or settings.epochs
    out = run_dir(model_name)
    out.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s",
        handlers=[logging.FileHandler(out / "train.log"), logging.StreamHandler()],
    )
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    examples = dataset.build()
    train_set = [e for e in examples if e.split == "train"]
    val_set = [e for e in examples if e.split == "val"]
    encoder = encoder_for(model_name, [e.text for e in train_set])
    weighted = [e for e in train_set for _ in range(settings.written_repeat if e.source == "written" else 1)]
    rows = [(encoder.first_window(e.text, TRAIN_TOKENS), *labels_of(e)) for e in weighted]
    val_rows = [(encoder.first_window(e.text, TRAIN_TOKENS), *labels_of(e)) for e in val_set]
    log.info("train %d rows (%d examples), val %d", len(rows), len(train_set), len(val_rows))

    model = new_model(model_name, encoder)
    heads = [p for n, p in model.named_parameters() if n.startswith(("intent_head", "risk_head", "dense"))]
    body = [p for n, p in model.named_parameters() if not n.startswith(("intent_head", "risk_head", "dense"))]
    optimizer = torch.optim.AdamW(
        [{"params": body, "lr": settings.lr}, {"params": heads, "lr": settings.head_lr}], weight_decay=0.01
    )
    steps_per_epoch = math.ceil(len(rows) / settings.batch)
    total_steps = steps_per_epoch * total_epochs
    warmup = max(1, total_steps // 16)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total_steps - s) / (total_steps - warmup)))
    )
    intent_loss = nn.CrossEntropyLoss(weight=class_weights([r[1] for r in rows], len(INTENTS)), ignore_index=-100)
    risk_weight = torch.tensor([2.0, 1.0, 1.0])  # crisis, concern, none: a miss costs more than a false alarm
    risk_loss = nn.CrossEntropyLoss(weight=risk_weight, ignore_index=-100)

    start_epoch, best = 0, -math.inf
    if resume and (out / "last.pt").exists():
        state = torch.load(out / "last.pt", weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        start_epoch, best = state["epoch"], state["best"]
        torch.set_rng_state(state["torch_rng"])
        log.info("resumed after epoch %d (best %.4f)", start_epoch, best)

    for epoch in range(start_epoch, total_epochs):
        model.train()
        rng = random.Random(seed * 1000 + epoch)
        started, running = time.time(), 0.0
        for step, index in enumerate(batches(rows, settings.batch, rng), 1):
            intent, risk = forward(model, rows, index)
            loss = masked(intent_loss, intent, torch.tensor([rows[i][1] for i in index])) + masked(
                risk_loss, risk, torch.tensor([rows[i][2] for i in index])
            )
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            running += loss.item()
            if step % 50 == 0:
                log.info("epoch %d step %d/%d loss %.4f (%.0f s)", epoch + 1, step, steps_per_epoch,
                         running / 50, time.time() - started)
                running = 0.0
        scores = validation_score(val_set, *predict(model, val_rows))
        log.info("epoch %d validation %s", epoch + 1, json.dumps({k: round(v, 4) for k, v in scores.items()}))
        if scores["score"] > best:
            best = scores["score"]
            torch.save({"model": model.state_dict(), "config": getattr(model, "config", {}), "epoch": epoch + 1,
                        "validation": scores}, out / "best.pt")
            log.info("new best at epoch %d", epoch + 1)
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "epoch": epoch + 1, "best": best,
                    "torch_rng": torch.get_rng_state()}, out / "last.pt")
    return out / "best.pt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=sorted(SETTINGS), required=True)
    parser.add_argument("--resume", action="store_true", help="continue from runs/triage-<model>/last.pt")
    parser.add_argument("--epochs", type=int, help="override the number of epochs")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for torch")
    args = parser.parse_args()
    train(args.model, args.resume, args.epochs, args.threads)


if __name__ == "__main__":
    main()
