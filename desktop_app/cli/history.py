"""`haven history`: list, show, export, search and delete conversations; change the passphrase; wipe."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.cli.common import InputError, ask_passphrase, open_history

if TYPE_CHECKING:
    from desktop_app.engine.api import Store

EXPORT_WARNING = "an export is not encrypted: anyone who can read it can read the conversation"


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    history = commands.add_parser("history", help="the encrypted conversation history")
    actions = history.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list conversations, the most recent first")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    actions.add_parser("show", help="print a conversation").add_argument("id", type=int)
    export = actions.add_parser("export", help="write a conversation as Markdown or JSON (not encrypted)")
    export.add_argument("id", type=int)
    export.add_argument("--format", choices=("md", "json"), required=True)
    export.add_argument("--out", type=Path, metavar="FILE", help="write here instead of standard output")
    actions.add_parser("search", help="find messages holding every word").add_argument("query")
    actions.add_parser("delete", help="delete a conversation").add_argument("id", type=int)
    actions.add_parser("passwd", help="change the passphrase")
    wipe = actions.add_parser("wipe", help="delete the whole history (no passphrase needed; cannot be undone)")
    wipe.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def run(args: argparse.Namespace) -> Iterator[str]:
    """The lines a `history` action prints; raises StoreError or InputError on failure."""
    if args.history_command == "wipe":
        yield _wipe(args)
        return
    with open_history(args) as store:
        action = args.history_command
        if action == "list":
            conversations = [c.as_dict() for c in store.conversations()]
            if args.json:
                yield json.dumps(conversations, ensure_ascii=False)
            else:
                for c in conversations:
                    yield f"{c['id']}\t{c['updated']}\t{c['messages']} messages\t{c['title'] or '(untitled)'}"
        elif action == "show":
            yield from _shown(store, args.id)
        elif action == "export":
            yield from _export(store, args)
        elif action == "search":
            for hit in store.search(args.query):
                yield f"{hit.conversation_id}\t{hit.message_id}\t{hit.time}\t{' '.join(hit.snippet.split())}"
        elif action == "delete":
            store.delete_conversation(args.id)
            yield f"deleted conversation {args.id}"
        elif action == "passwd":
            new = ask_passphrase(args.passphrase_stdin, "New passphrase: ")
            if ask_passphrase(args.passphrase_stdin, "Again: ") != new:
                raise InputError("the two new passphrases differ")
            store.change_passphrase(new)
            yield "passphrase changed"


def _wipe(args: argparse.Namespace) -> str:
    from desktop_app.engine.api import data_dir, history_exists, wipe

    folder = data_dir(args.data_dir)
    if not history_exists(folder):
        return f"no history in {folder}"
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError("wiping needs a terminal to confirm, or --yes")
        answer = input(f"Delete every conversation in {folder}? This cannot be undone. Type 'wipe' to confirm: ")
        if answer.strip().lower() != "wipe":
            return "nothing deleted"
    wipe(folder)
    return f"wiped the history in {folder}"


def _shown(store: Store, conversation_id: int) -> Iterator[str]:
    from desktop_app.engine.api import labels

    conversation = store.conversation(conversation_id)
    yield f"# {conversation.title or '(untitled)'}"
    for message in store.messages(conversation_id, limit=None):
        yield f"\n[{'you' if message.role == 'user' else 'haven'}] {' · '.join(labels(message))}"
        yield message.text


def _export(store: Store, args: argparse.Namespace) -> Iterator[str]:
    from desktop_app.engine.api import StoreUnavailable

    text = store.export(args.id, args.format)
    print(f"haven: warning: {EXPORT_WARNING}", file=sys.stderr)
    if args.out is None:
        yield text.removesuffix("\n")
        return
    try:
        descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise StoreUnavailable(f"cannot write {args.out}: {exc.strerror}") from None
    yield f"exported conversation {args.id} to {args.out}"
