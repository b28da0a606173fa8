"""What the subcommands share: the global options, exit codes, input checks, and passphrase prompts."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.engine.api import Store

EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_MODEL = 4
EXIT_WRONG_PASSPHRASE = 5
EXIT_DAMAGED = 6
EXIT_IN_USE = 7
EXIT_STORAGE = 8

JSONL_HELP = ('read lines {"text": ..., "history": [{"role": "user"|"assistant", "text": ...}, ...]} (history optional: '
              'the conversation before text); print one JSON line each')
ROLES = ("user", "assistant")


class InputError(Exception):
    """Bad input from the user (a file, a passphrase, a confirmation): reported as one line, exit EXIT_INPUT."""


@dataclass(frozen=True)
class Incoming:
    """A message to judge or answer, with the conversation before it as (role, text) pairs."""

    text: str
    history: tuple[tuple[str, str], ...] = ()


def add_global_options(parser: argparse.ArgumentParser, after_command: bool) -> None:
    """The options of every command. After a subcommand they default to SUPPRESS, so that they do not
    overwrite the same option given before it."""
    unset = {"default": argparse.SUPPRESS} if after_command else {}
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="the encrypted history's folder (or $HAVEN_DATA_DIR)", **unset)
    parser.add_argument("--passphrase-stdin", action="store_true", help="the passphrase is the first line of stdin", **unset)


def add_message_source(command: argparse.ArgumentParser, what: str) -> None:
    source = command.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help=f"the message to {what}")
    source.add_argument("--jsonl", type=Path, metavar="FILE", help=JSONL_HELP)


def incoming(args: argparse.Namespace) -> list[Incoming]:
    """The message on the command line, or every message of the JSONL file."""
    return _jsonl_messages(args.jsonl) if args.jsonl else [Incoming(_checked_text(args.text))]


def _jsonl_messages(path: Path) -> list[Incoming]:
    """Every message of a JSONL file, checked before any is processed (so errors leave no partial output)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    messages = []
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}: line {number}: "
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}malformed JSON ({exc.msg})") from None
        if not isinstance(item, dict) or "text" not in item:
            raise InputError(f'{where}expected an object with a "text" field')
        messages.append(Incoming(_checked_text(item["text"], where), _checked_history(item.get("history"), where)))
    if not messages:
        raise InputError(f"{path}: no messages")
    return messages


def _checked_text(text: object, where: str = "") -> str:
    if not isinstance(text, str):
        raise InputError(f"{where}text must be a string")
    if not text.strip():
        raise InputError(f"{where}empty text")
    return text


def _checked_history(history: object, where: str) -> tuple[tuple[str, str], ...]:
    """A history as (role, text) pairs; None is an empty one."""
    if history is None:
        return ()
    shape = f'{where}history must be a list of {{"role": "user"|"assistant", "text": ...}} objects'
    if not isinstance(history, list):
        raise InputError(shape)
    turns = []
    for index, turn in enumerate(history, 1):
        if not isinstance(turn, dict) or not isinstance(turn.get("text"), str) or "role" not in turn:
            raise InputError(f"{shape} (turn {index} is not)")
        if turn["role"] not in ROLES:
            raise InputError(f"{where}history turn {index}: unknown role (expected user or assistant)")
        turns.append((str(turn["role"]), str(turn["text"])))
    return tuple(turns)


def ask_passphrase(from_stdin: bool, prompt: str) -> str:
    """One line of standard input (leaving the rest unread), or a prompt without echo."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InputError("no passphrase on standard input")
        passphrase = line.removesuffix("\n").removesuffix("\r")
    else:
        if not sys.stdin.isatty():
            raise InputError("no terminal to ask for the passphrase: use --passphrase-stdin")
        try:
            passphrase = getpass.getpass(prompt)
        except EOFError:
            raise InputError("no passphrase given") from None
    if not passphrase:
        raise InputError("empty passphrase")
    return passphrase


def ask_new_passphrase(from_stdin: bool, prompt: str) -> str:
    """A new passphrase: typed twice at a terminal, once on standard input."""
    passphrase = ask_passphrase(from_stdin, prompt)
    if not from_stdin and ask_passphrase(from_stdin, "Again: ") != passphrase:
        raise InputError("the two passphrases differ")
    return passphrase


def open_history(args: argparse.Namespace) -> Store:
    """The history under --data-dir, created on first use."""
    from desktop_app.engine.api import FORGOTTEN_PASSPHRASE, data_dir, open_or_create

    folder = data_dir(args.data_dir)
    store, created = open_or_create(
        folder,
        lambda: ask_passphrase(args.passphrase_stdin, "Passphrase for the history: "),
        lambda: ask_new_passphrase(args.passphrase_stdin, f"New history in {folder}. Choose a passphrase: "),
    )
    if created:
        print(f"haven: created an encrypted history in {folder}. {FORGOTTEN_PASSPHRASE}", file=sys.stderr)
    return store


def exit_code(exc: Exception) -> int | None:
    """The exit code for an error reported as one line, or None for one that is not ours."""
    from desktop_app.engine import api

    codes: list[tuple[type[Exception], int]] = [
        (InputError, EXIT_INPUT), (api.NotFound, EXIT_INPUT),
        (api.TriageModelError, EXIT_MODEL), (api.ReplyModelError, EXIT_MODEL),
        (api.WrongPassphrase, EXIT_WRONG_PASSPHRASE), (api.StoreDamaged, EXIT_DAMAGED), (api.StoreLocked, EXIT_IN_USE),
        (api.StoreError, EXIT_STORAGE),
    ]
    return next((code for kind, code in codes if isinstance(exc, kind)), None)
