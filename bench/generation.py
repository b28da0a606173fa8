"""Reply generation speed: the app's reply path against plain llama-cpp-python, in one run.

    python bench/generation.py --json [--turns 20] [--rounds 2]

- app_tps / raw_tps: decode speed (decode steps after the first token, the one that yields
  <end_of_turn> included, per second) of the app's reply path (Engine.respond: prompt
  building, streaming, post-check) and of plain llama-cpp-python create_completion on the
  same prompt tokens, same model, adapter and sampling; the two alternate message by
  message, each on a fresh context.
- ttft_turn1_ms / ttft_turn20_ms: time to the first token at turn 1 and turn N of one
  conversation through the app (the evaluated prefix is reused, so only the new turn is
  processed); with the tokens reused at turn N.
- first_visible_ms: from the model's first token to the first text the app shows (the post-check holds
  back only what could still grow into an unsafe phrase), median over the app replies; target 150.
- rss_mb: resident memory of this process after the app path ran (triage + reply model),
  before the plain llama-cpp-python instance is loaded.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.engine.config import EngineConfig
from desktop_app.engine.core import Engine
from desktop_app.engine.replies.model import ADAPTER_FILE, default_base_model
from desktop_app.engine.replies.prompt import Turn
from desktop_app.engine.session import Session

MESSAGES = [
    "I've been feeling really stressed about work and I can't switch off in the evenings.",
    "My best friend moved away and I feel lonely most weekends.",
    "I keep procrastinating on my thesis and then I feel guilty about it.",
    "My partner and I argue about money all the time.",
    "I can't sleep before exams, my mind just races.",
    "I lost my dog last month and the house feels empty.",
]
CONVERSATION = [
    "Hi, I'm not sure where to start.", "Work has been a lot lately.", "My manager keeps adding deadlines.",
    "I stay late almost every day.", "Then I'm too tired to see friends.", "I used to play football on Sundays.",
    "I stopped going a few months ago.", "I miss it, honestly.", "My girlfriend says I seem distant.",
    "I don't want to push her away.", "Sometimes I just scroll my phone for hours.", "It doesn't even make me feel better.",
    "I tried meditation once but it felt silly.", "Maybe I should talk to my manager?", "I'm scared he'll think I can't cope.",
    "My dad always said asking for help is weak.", "I know that's not really true.", "What could I say to him?",
    "Okay, that makes sense.", "Thanks, I think I'll try talking to him tomorrow.",
]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def app_reply(engine: Engine, text: str) -> tuple[int, float, list[int], float]:
    """(decode steps after the first token, their seconds, prompt tokens, ms from the first token to the first
    text shown) of one reply on a fresh context."""
    model = engine.reply_model
    model.forget_context()
    shown: list[float] = []
    reply = engine.respond(text, on_text=lambda _p: shown.append(time.perf_counter()))
    # The engine streams through the post-check's holdback, so the decode is timed from the model's own
    # first token to the end of the reply path: the reply's other tokens and the step that gave <end_of_turn>.
    decode_s = (reply.ms - model.last_timing.first_token_ms) / 1000
    prompt = model.prompt_tokens([Turn("user", text, reply.assessment.decision.intent, reply.assessment.decision.risk)])
    return reply.tokens, decode_s, prompt, (shown[0] - model.last_timing.first_token_at) * 1000


def raw_reply(llm, prompt: list[int], sampling) -> tuple[int, float]:
    """(decode steps after the first token, their seconds) of plain create_completion: its last chunk, with
    no text, comes after the step that gave <end_of_turn>."""
    llm.reset()
    llm.set_seed(sampling.seed)
    times = []
    for _chunk in llm.create_completion(prompt, max_tokens=sampling.max_tokens, temperature=sampling.temperature,
                                        top_p=sampling.top_p, top_k=sampling.top_k, min_p=sampling.min_p,
                                        repeat_penalty=sampling.repeat_penalty, stop=["<end_of_turn>"], stream=True):
        times.append(time.perf_counter())
    return len(times) - 1, times[-1] - times[0]


def conversation_ttft(engine: Engine, turns: int) -> list[dict]:
    chat = Session(engine)
    model = engine.reply_model
    model.forget_context()
    out = []
    for text in (CONVERSATION * 2)[:turns]:
        chat.send(text)
        timing = model.last_timing
        out.append({"ttft_ms": round(timing.first_token_ms, 1), "prompt_tokens": timing.prompt_tokens,
                    "reused_tokens": timing.reused_tokens})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--turns", type=int, default=20, help="turns of the time-to-first-token conversation")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the messages for the speed comparison")
    args = parser.parse_args()
    from llama_cpp import Llama

    engine = Engine(EngineConfig(country="GB"))
    if engine.reply_model is None:
        raise SystemExit(f"reply model unavailable: {engine.info().reply_error}")
    ttft = conversation_ttft(engine, args.turns)
    memory = rss_mb()
    sampling = engine.reply_model.sampling
    raw = Llama(str(default_base_model()), lora_path=str(ADAPTER_FILE), n_ctx=engine.reply_model.llm.n_ctx(),
                n_threads=2, n_threads_batch=2, seed=sampling.seed, verbose=False)
    app_tokens = app_time = raw_tokens = raw_time = 0.0
    visible: list[float] = []
    for _ in range(args.rounds):
        for text in MESSAGES:
            tokens, seconds, prompt, first_visible = app_reply(engine, text)
            visible.append(first_visible)
            app_tokens, app_time = app_tokens + tokens, app_time + seconds
            tokens, seconds = raw_reply(raw, prompt, sampling)
            raw_tokens, raw_time = raw_tokens + tokens, raw_time + seconds
    app_tps, raw_tps = app_tokens / app_time, raw_tokens / raw_time
    result = {
        "app_tps": round(app_tps, 2),
        "raw_tps": round(raw_tps, 2),
        "app_vs_raw": round(app_tps / raw_tps, 3),
        "ttft_turn1_ms": ttft[0]["ttft_ms"],
        f"ttft_turn{len(ttft)}_ms": ttft[-1]["ttft_ms"],
        "ttft_last_vs_first": round(ttft[-1]["ttft_ms"] / ttft[0]["ttft_ms"], 3),
        "ttft_median_ms": statistics.median(t["ttft_ms"] for t in ttft),
        "turns": ttft,
        "first_visible_ms": round(statistics.median(visible), 1),
        "rss_mb": round(memory, 1),
        "messages": len(MESSAGES) * args.rounds,
        "targets": {"app_vs_raw >= 0.95": app_tps / raw_tps >= 0.95, "first_visible_ms <= 150": statistics.median(visible) <= 150,
                    "ttft_last <= 1.3 x ttft_turn1": ttft[-1]["ttft_ms"] <= 1.3 * ttft[0]["ttft_ms"]},
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
