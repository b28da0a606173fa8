"""`haven chat`: a terminal chat, saved in the encrypted history unless --no-save."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from desktop_app.cli.common import open_history
from desktop_app.cli.reply import add_engine_options, engine_for

if TYPE_CHECKING:
    from desktop_app.engine.api import Changes

AGAIN = "/again"  # regenerate the last reply


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    chat = commands.add_parser("chat", help="a terminal chat, saved in the encrypted history")
    chat.add_argument("--no-save", action="store_true", help="keep this conversation in memory only")
    add_engine_options(chat)


def run(args: argparse.Namespace) -> Iterator[str]:
    """Each line of standard input is a message (or AGAIN); each reply is printed as it is generated."""
    from desktop_app.engine.api import Session

    engine = engine_for(args)
    interactive = sys.stdin.isatty() and not args.passphrase_stdin
    store = None if args.no_save else open_history(args)
    session = Session(engine, store)
    try:
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
                if session.can_regenerate:
                    _answer(session.regenerate)
                else:
                    print("(there is no reply to write again yet)", flush=True)
            elif text.strip():
                reply = _answer(lambda on_text, stop, text=text: session.send(text, on_text, stop)).reply
                if reply is not None and reply.resources is not None and reply.action in ("generated", "boundary"):
                    print(f"(crisis lines, while you need them)\n{reply.resources.as_text()}", flush=True)
    finally:
        session.store.lock()
    yield from ()  # the chat prints its replies as they stream: it has no lines to return


def _answer(produce: Callable[[Callable[[str], None], threading.Event], Changes]) -> Changes:
    """Run `produce(on_text, stop)` on a worker thread, printing the reply as it streams, so Ctrl-C can stop it
    between tokens."""
    stop, done = threading.Event(), threading.Event()
    result: list[Changes | BaseException] = []

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
