"""`haven reply`: answer messages, each after its own history (JSON lines); and the engine options it
shares with `haven chat`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.cli.common import add_message_source, incoming

if TYPE_CHECKING:  # the engine loads onnxruntime and llama.cpp: only the commands that use it import it
    from desktop_app.engine.api import Engine


def add_engine_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--model", help="triage model: minilm or lstm")
    command.add_argument("--country", help="country code for crisis lines (default: settings.json, else the system locale)")
    command.add_argument("--seed", type=int, help="sampling seed (replies are deterministic for a seed)")
    command.add_argument("--reply-model", type=Path, metavar="GGUF",
                         help="another Gemma-family GGUF to reply with (default: settings.json, else ours)")
    command.add_argument("--reply-model-sha256", metavar="HEX", help="refuse the GGUF unless it has this sha256")


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    reply = commands.add_parser("reply", help="answer messages, each on its own (JSON lines)")
    add_message_source(reply, "answer")
    add_engine_options(reply)


def engine_for(args: argparse.Namespace) -> Engine:
    """The engine for the options given, the saved settings and the environment; warns when the curated
    replies must stand in for the reply model."""
    from desktop_app.engine.api import Engine, resolve

    engine = Engine(resolve(country=args.country, triage_model=args.model, reply_model_path=args.reply_model,
                            reply_model_sha256=args.reply_model_sha256, seed=args.seed, data_dir_option=args.data_dir))
    error = engine.info().reply_error
    if error:
        print(f"haven: warning: {error}; answering with curated replies", file=sys.stderr)
    return engine


def run(args: argparse.Namespace) -> Iterator[str]:
    """One JSON line per message: the reply to it after its own history."""
    from desktop_app.engine.api import Session

    messages = incoming(args)
    engine = engine_for(args)
    for message in messages:
        reply = Session.replayed(engine, message.history).send(message.text).reply
        assert reply is not None
        yield json.dumps({"text": message.text, "triage": reply.assessment.as_dict(), "action": reply.action,
                          "reply": reply.text, "tokens": reply.tokens, "ms": round(reply.ms, 1),
                          "model": reply.model, "note": reply.note, "crisis_mode": reply.crisis_mode,
                          "resources": reply.resources.as_dict() if reply.resources else None}, ensure_ascii=False)
