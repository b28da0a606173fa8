"""`haven history`: list, show, export, search and delete conversations; change the passphrase."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from desktop_app.engine.store import FORGOTTEN_PASSPHRASE, Store, StoreUnavailable, wipe

DATA_DIR_VARIABLE = "HAVEN_DATA_DIR"
EXPORT_WARNING = "an export is not encrypted: anyone who can read it can read the conversation"


class HistoryInputError(Exception):
    """No usable passphrase or confirmation was given: reported as bad input."""


def add_history_parser(commands: argparse._SubParsersAction) -> None:
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


def data_dir(option: Path | None) -> Path:
    """--data-dir, else $HAVEN_DATA_DIR, else the platform's user data folder."""
    if option is not None:
        return option
    if os.environ.get(DATA_DIR_VARIABLE):
        return Path(os.environ[DATA_DIR_VARIABLE])
    import platformdirs

    return Path(platformdirs.user_data_dir("haven"))


def ask_passphrase(from_stdin: bool, prompt: str) -> str:
    """One line of standard input (leaving the rest unread), or a prompt without echo."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise HistoryInputError("no passphrase on standard input")
        passphrase = line.removesuffix("\n").removesuffix("\r")
    else:
        if not sys.stdin.isatty():
            raise HistoryInputError("no terminal to ask for the passphrase: use --passphrase-stdin")
        try:
            passphrase = getpass.getpass(prompt)
        except EOFError:
            raise HistoryInputError("no passphrase given") from None
    if not passphrase:
        raise HistoryInputError("empty passphrase")
    return passphrase


def _new_passphrase(from_stdin: bool, prompt: str) -> str:
    passphrase = ask_passphrase(from_stdin, prompt)
    if not from_stdin and ask_passphrase(from_stdin, "Again: ") != passphrase:
        raise HistoryInputError("the two passphrases differ")
    return passphrase


def open_store(args: argparse.Namespace) -> Store:
    """The history under --data-dir, created on first use."""
    folder = data_dir(args.data_dir)
    if Store.exists(folder):
        return Store.open(folder, ask_passphrase(args.passphrase_stdin, "Passphrase for the history: "))
    passphrase = _new_passphrase(args.passphrase_stdin, f"New history in {folder}. Choose a passphrase: ")
    store = Store.create(folder, passphrase)
    print(f"haven: created an encrypted history in {folder}. {FORGOTTEN_PASSPHRASE}", file=sys.stderr)
    return store


def run_history(args: argparse.Namespace) -> Iterator[str]:
    """The lines a `history` action prints; raises StoreError or HistoryInputError on failure."""
    if args.history_command == "wipe":
        yield _wipe(args)
        return
    with open_store(args) as store:
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
                raise HistoryInputError("the two new passphrases differ")
            store.change_passphrase(new)
            yield "passphrase changed"


def _wipe(args: argparse.Namespace) -> str:
    folder = data_dir(args.data_dir)
    if not Store.exists(folder):
        return f"no history in {folder}"
    if not args.yes:
        if not sys.stdin.isatty():
            raise HistoryInputError("wiping needs a terminal to confirm, or --yes")
        answer = input(f"Delete every conversation in {folder}? This cannot be undone. Type 'wipe' to confirm: ")
        if answer.strip().lower() != "wipe":
            return "nothing deleted"
    wipe(folder)
    return f"wiped the history in {folder}"


def _shown(store: Store, conversation_id: int) -> Iterator[str]:
    conversation = store.conversation(conversation_id)
    yield f"# {conversation.title or '(untitled)'}"
    for message in store.messages(conversation_id, limit=None):
        labels = [message.time]
        if message.triage:
            labels.append(f"{message.triage.intent}, risk {message.triage.risk}")
        yield f"\n[{'you' if message.role == 'user' else 'haven'}] {' · '.join(labels)}"
        yield message.text


def _export(store: Store, args: argparse.Namespace) -> Iterator[str]:
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
