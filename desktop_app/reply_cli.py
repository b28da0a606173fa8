"""`haven reply`, `haven chat` and `haven --self-test`: the reply path without a window."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.history_cli import open_store

if TYPE_CHECKING:  # the engine loads onnxruntime and llama.cpp: only the commands that use it import it
    from desktop_app.engine.facade import Engine, Reply

AGAIN = "/again"  # in `haven chat`: regenerate the last reply


def add_reply_parsers(commands: argparse._SubParsersAction, input_help: str) -> None:
    reply = commands.add_parser("reply", help="answer messages, each on its own (JSON lines)")
    source = reply.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help="the message to answer")
    source.add_argument("--jsonl", type=Path, metavar="FILE", help=input_help)
    chat = commands.add_parser("chat", help="a terminal chat, saved in the encrypted history")
    chat.add_argument("--no-save", action="store_true", help="keep this conversation in memory only")
    for command in (reply, chat):
        command.add_argument("--model", help="triage model: minilm or lstm")
        command.add_argument("--country", help="country code for crisis lines (default: from the system locale)")
        command.add_argument("--seed", type=int, help="sampling seed (replies are deterministic for a seed)")
        command.add_argument("--reply-model", type=Path, metavar="GGUF",
                             help="another Gemma-family GGUF to reply with (default: settings.json, else ours)")
        command.add_argument("--reply-model-sha256", metavar="HEX", help="refuse the GGUF unless it has this sha256")


def make_engine(args: argparse.Namespace) -> Engine:
    from desktop_app.engine.facade import Engine
    from desktop_app.engine.resources import guess_country
    from desktop_app.engine.settings import load_settings

    saved = load_settings()
    engine = Engine(args.model or saved.triage_model or None, args.country or saved.country or guess_country(),
                    reply_model_path=args.reply_model or saved.reply_model_file,
                    reply_model_sha256=args.reply_model_sha256 or saved.reply_model_sha256)
    if engine.reply_model is None:
        print(f"haven: warning: {engine.reply_error}; answering with curated replies", file=sys.stderr)
    elif args.seed is not None:
        engine.reply_model.sampling = replace(engine.reply_model.sampling, seed=args.seed)
    return engine


def reply_lines(engine: Engine, messages: list[tuple[str, tuple[tuple[str, str], ...]]]) -> Iterator[str]:
    """One JSON line per (text, history): the reply to `text` after its own history."""
    from desktop_app.engine.chat import Chat

    for text, history in messages:
        reply = Chat.replayed(engine, list(history)).send(text)
        yield json.dumps({"text": text, "triage": reply.assessment.as_dict(), "action": reply.action,
                          "reply": reply.text, "tokens": reply.tokens, "ms": round(reply.ms, 1),
                          "model": reply.model, "note": reply.note, "crisis_mode": reply.crisis_mode,
                          "resources": reply.resources.as_dict() if reply.resources else None}, ensure_ascii=False)


def run_chat(args: argparse.Namespace, engine: Engine) -> None:
    """Each line of standard input is a message (or AGAIN); each reply is printed as it is generated."""
    from desktop_app.engine.chat import Chat

    interactive = sys.stdin.isatty() and not args.passphrase_stdin
    store = None if args.no_save else open_store(args)
    try:
        chat = Chat(engine, store)
        if interactive:
            print(f"Haven is an AI, not a clinician, and not for emergencies. Ctrl-C stops a reply; {AGAIN} writes "
                  "the last one anew; Ctrl-D ends.")
        while True:
            if interactive:
                print("you> ", end="", flush=True)
            line = sys.stdin.readline()
            if not line:
                break
            text = line.rstrip("\n")
            if text.strip() == AGAIN:
                if chat.can_regenerate:
                    _answer(chat.regenerate)
                else:
                    print("(there is no reply to write again yet)", flush=True)
            elif text.strip():
                reply = _answer(lambda on_text, stop, text=text: chat.send(text, on_text, stop))
                if reply.resources is not None and reply.action in ("generated", "boundary"):
                    print(f"(crisis lines, while you need them)\n{reply.resources.as_text()}", flush=True)
    finally:
        if store is not None:
            store.lock()


def _answer(produce: Callable[[Callable[[str], None], threading.Event], Reply]) -> Reply:
    """Run `produce(on_text, stop)` on a worker thread, printing the reply as it streams, so Ctrl-C can stop it
    between tokens."""
    stop, done = threading.Event(), threading.Event()
    result: list[Reply | BaseException] = []

    def work() -> None:
        try:
            result.append(produce(lambda piece: print(piece, end="", flush=True), stop))
        except BaseException as exc:  # handed to the main thread, which raises it
            result.append(exc)
        finally:
            done.set()

    print("haven> ", end="", flush=True)
    worker = threading.Thread(target=work, name="reply")
    worker.start()
    while not done.is_set():
        try:
            done.wait(0.1)
        except KeyboardInterrupt:
            stop.set()
    worker.join()
    print(flush=True)
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def self_test() -> tuple[bool, str]:
    """Triage, the reply model and a temporary encrypted store, end to end: (passed, one-line summary)."""
    from desktop_app.engine.chat import Chat
    from desktop_app.engine.facade import Engine
    from desktop_app.engine.store import Store

    engine = Engine()
    if engine.reply_model is None:
        return False, f"self-test failed: reply model: {engine.reply_error}"
    with tempfile.TemporaryDirectory(prefix="haven-self-test-") as folder:
        store = Store.create(Path(folder), secrets.token_urlsafe(16))
        try:
            chat = Chat(engine, store)
            crisis = chat.send("I want to end my life tonight")
            checkin = chat.send("ok")
            chat.end_crisis_mode()
            ordinary = chat.send("I've been feeling stressed about work lately")
            stored = store.messages(chat.conversation_id, limit=None)
            store.verify()
        finally:
            store.lock()
    problems = []
    if crisis.action != "crisis_response":
        problems.append(f"crisis message got {crisis.action}")
    if checkin.action != "crisis_checkin":
        problems.append(f"a reply in crisis mode got {checkin.action}")
    if ordinary.action != "generated":
        problems.append(f"ordinary message got {ordinary.action} ({ordinary.note})")
    if [m.text for m in stored] != [m.text for m in chat.messages]:
        problems.append("the encrypted store did not return the conversation")
    if problems:
        return False, "self-test failed: " + "; ".join(problems)
    info = engine.reply_model.info
    return True, (f"self-test ok: triage {engine.classifier.name}; crisis → fixed response, then a check-in; "
                  f"reply model {info.name} + {info.adapter} ({ordinary.tokens} tokens in {ordinary.ms:.0f} ms); encrypted store "
                  f"round-trip of {len(stored)} messages")
