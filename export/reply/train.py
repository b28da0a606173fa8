"""Fine-tune the base Gemma 3 270M with LoRA on the reply conversations of export.reply.data.

    python -m export.reply.train            # runs/reply-lora/: train.log, loss.csv, last.pt, adapter/
    python -m export.reply.train --resume   # continue from runs/reply-lora/last.pt

The loss covers the reply tokens only (the last model turn, with its <end_of_turn>),
computed in chunks so the 262k-token vocabulary never makes a full logits tensor, under
bf16 autocast. Seeded: the same data and arguments give the same adapter on one machine.
A checkpoint is written every CHECKPOINT_STEPS steps, with the validation loss.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

from desktop_app.engine.replies.prompt import REPLY_CUE, blocks
from export.reply import data
from export.reply.base import TARGET_MODULES, load_torch_model
from export.triage.dataset import REPO
from export.triage.train import batches

RUN = REPO / "runs" / "reply-lora"
IGNORE = -100
log = logging.getLogger("export.reply.train")


@dataclass(frozen=True)
class Settings:
    rank: int = 32
    alpha: int = 64
    dropout: float = 0.05
    lr: float = 3e-4
    epochs: int = 1
    batch: int = 4
    max_tokens: int = 320  # longer conversations are left out
    max_examples: int = 1280  # a random subset of this many, once: 2 CPU cores train about 0.3 examples a second
    warmup_steps: int = 20
    checkpoint_steps: int = 100
    val_examples: int = 64
    seed: int = 7


def encode(tokenizer, conversation: data.Conversation) -> tuple[list[int], list[int]]:
    """Token ids of the whole conversation, and labels that keep only the reply's tokens."""
    parts = blocks(list(conversation.turns))
    context = tokenizer("".join(parts[:-1]) + REPLY_CUE, add_special_tokens=False).input_ids
    reply = tokenizer(parts[-1][len(REPLY_CUE):].rstrip("\n"), add_special_tokens=False).input_ids
    ids = [tokenizer.bos_token_id, *context, *reply]
    return ids, [IGNORE] * (1 + len(context)) + reply


def reply_loss(model, rows, index: list[int], pad_id: int, chunk: int = 256) -> tuple[torch.Tensor, int]:
    """Mean cross-entropy over the reply tokens of a batch, and how many there were."""
    width = max(len(rows[i][0]) for i in index)
    ids = torch.full((len(index), width), pad_id, dtype=torch.long)
    labels = torch.full((len(index), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(index), width), dtype=torch.long)
    for row, i in enumerate(index):
        n = len(rows[i][0])
        ids[row, :n], labels[row, :n], mask[row, :n] = torch.tensor(rows[i][0]), torch.tensor(rows[i][1]), 1
    with torch.autocast("cpu", dtype=torch.bfloat16):
        hidden = model.base_model.model.model(input_ids=ids, attention_mask=mask).last_hidden_state
    targets = labels[:, 1:]
    chosen = targets != IGNORE
    states, gold = hidden[:, :-1][chosen], targets[chosen]
    head = model.base_model.model.lm_head
    cap = getattr(model.config, "final_logit_softcapping", None)
    total = torch.zeros((), dtype=torch.float32)
    for start in range(0, len(gold), chunk):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = head(states[start : start + chunk]).float()
        if cap:
            logits = torch.tanh(logits / cap) * cap
        total = total + nn.functional.cross_entropy(logits, gold[start : start + chunk], reduction="sum")
    return total / max(len(gold), 1), len(gold)


@torch.no_grad()
def validation_loss(model, rows, pad_id: int) -> float:
    model.eval()
    total, count = 0.0, 0
    for start in range(0, len(rows), 8):
        index = list(range(start, min(start + 8, len(rows))))
        loss, n = reply_loss(model, rows, index, pad_id)
        total, count = total + loss.item() * n, count + n
    model.train()
    return total / max(count, 1)


def prepare(tokenizer, settings: Settings, split: str) -> list[tuple[list[int], list[int]]]:
    rows = [encode(tokenizer, c) for c in data.build() if c.split == split]
    return [r for r in rows if len(r[0]) <= settings.max_tokens]


def with_lora(model, settings: Settings):
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(r=settings.rank, lora_alpha=settings.alpha, lora_dropout=settings.dropout,
                        target_modules=list(TARGET_MODULES), task_type="CAUSAL_LM")
    return get_peft_model(model, config)


def train(resume: bool, threads: int, settings: Settings = Settings()) -> Path:
    RUN.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s",
                        handlers=[logging.FileHandler(RUN / "train.log"), logging.StreamHandler()])
    torch.manual_seed(settings.seed)
    torch.set_num_threads(threads)
    tokenizer, base = load_torch_model()
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    rows = prepare(tokenizer, settings, "train")
    if len(rows) > settings.max_examples:
        rows = [rows[i] for i in sorted(random.Random(settings.seed).sample(range(len(rows)), settings.max_examples))]
    val_rows = prepare(tokenizer, settings, "val")
    val_rows = [val_rows[i] for i in random.Random(settings.seed).sample(range(len(val_rows)), settings.val_examples)]
    log.info("train %d conversations (%d reply tokens), val %d", len(rows),
             sum(sum(t != IGNORE for t in r[1]) for r in rows), len(val_rows))

    model = with_lora(base, settings)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=settings.lr, weight_decay=0.0)
    plan = [b for epoch in range(settings.epochs)
            for b in batches(rows, settings.batch, random.Random(settings.seed * 1000 + epoch), pool_batches=32)]
    total = len(plan)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(
        (s + 1) / settings.warmup_steps, 0.5 * (1 + math.cos(math.pi * min(1.0, s / total)))))

    step = 0
    if resume and (RUN / "last.pt").exists():
        state = torch.load(RUN / "last.pt", weights_only=False)
        model.load_state_dict(state["lora"], strict=False)
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        step = state["step"]
        log.info("resumed at step %d of %d", step, total)
    else:
        (RUN / "loss.csv").write_text("step,train_loss,val_loss\n", encoding="utf-8")
        log.info("settings %s; %d steps; val loss before training %.4f", json.dumps(asdict(settings)), total,
                 validation_loss(model, val_rows, pad_id))

    started, running, tokens = time.time(), 0.0, 0
    while step < total:
        loss, _ = reply_loss(model, rows, plan[step], pad_id)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        scheduler.step()
        step, running, tokens = step + 1, running + loss.item(), tokens + sum(len(rows[i][0]) for i in plan[step])
        if step % 10 == 0:
            log.info("step %d/%d loss %.4f lr %.2e (%.1f tokens/s)", step, total, running / 10,
                     scheduler.get_last_lr()[0], tokens / (time.time() - started))
        if step % settings.checkpoint_steps == 0 or step == total:
            val = validation_loss(model, val_rows, pad_id)
            with open(RUN / "loss.csv", "a", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerow([step, round(running / (step % 10 or 10), 4), round(val, 4)])
            log.info("step %d validation loss %.4f", step, val)
            lora = {k: v for k, v in model.state_dict().items() if "lora_" in k}
            torch.save({"lora": lora, "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                        "torch_rng": torch.get_rng_state(), "step": step}, RUN / "last.pt")
        if step % 10 == 0:
            running = 0.0
    return _save(model, settings, step, total)


def _save(model, settings: Settings, step: int, total: int) -> Path:
    model.save_pretrained(RUN / "adapter")
    info = {**asdict(settings), "trained_steps": step, "planned_steps": total}
    (RUN / "adapter" / "settings.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    log.info("adapter saved to %s after %d of %d steps", RUN / "adapter", step, total)
    return RUN / "adapter"


def adapter_from_checkpoint(settings: Settings = Settings()) -> Path:
    """The adapter of the last checkpoint (runs/reply-lora/last.pt), for a run stopped before its end."""
    _tokenizer, base = load_torch_model()
    model = with_lora(base, settings)
    state = torch.load(RUN / "last.pt", weights_only=False)
    model.load_state_dict(state["lora"], strict=False)
    return _save(model, settings, state["step"], _planned_steps())


def _planned_steps() -> int:
    """The run's number of steps, as its log gave it ("…; 320 steps; val loss before training …")."""
    for line in (RUN / "train.log").read_text(encoding="utf-8").splitlines():
        if "; val loss before training" in line:
            return int(line.split("; ")[-2].split()[0])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resume", action="store_true", help="continue from runs/reply-lora/last.pt")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for torch")
    parser.add_argument("--from-checkpoint", action="store_true", help="save the adapter of the last checkpoint and stop")
    args = parser.parse_args()
    if args.from_checkpoint:
        adapter_from_checkpoint()
    else:
        train(args.resume, args.threads)


if __name__ == "__main__":
    main()
