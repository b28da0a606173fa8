"""The `haven` command: the GUI with no arguments, headless subcommands otherwise."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_app import __version__
from desktop_app.history_cli import add_history_parser
from desktop_app.reply_cli import add_reply_parsers

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
    """Bad input from the user: reported as one line, exit EXIT_INPUT."""


@dataclass(frozen=True)
class Incoming:
    """A message to judge or answer, with the conversation before it as (role, text) pairs."""

    text: str
    history: tuple[tuple[str, str], ...] = ()


def _add_global_options(parser: argparse.ArgumentParser, after_command: bool) -> None:
    """The options of every command. After a subcommand they default to SUPPRESS, so that they do not
    overwrite the same option given before it."""
    unset = {"default": argparse.SUPPRESS} if after_command else {}
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="the encrypted history's folder (or $HAVEN_DATA_DIR)", **unset)
    parser.add_argument("--passphrase-stdin", action="store_true", help="the passphrase is the first line of stdin", **unset)


def _accept_global_options_after_commands(parser: argparse.ArgumentParser) -> None:
    """`haven history list --passphrase-stdin` means the same as `haven --passphrase-stdin history list`."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                _add_global_options(command, after_command=True)
                _accept_global_options_after_commands(command)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="haven",
        description="Haven: a private, offline support chat. An AI, not a clinician; not for emergencies.",
    )
    parser.add_argument("--version", action="version", version=f"haven {__version__}")
    _add_global_options(parser, after_command=False)
    parser.add_argument("--self-test", action="store_true",
                        help="answer a crisis and an ordinary message headless, with a temporary encrypted store")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    triage = commands.add_parser("triage", help="label messages with intent and risk (JSON output)")
    source = triage.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help="the message to triage")
    source.add_argument("--jsonl", type=Path, metavar="FILE", help=JSONL_HELP)
    triage.add_argument("--model", help="triage model: minilm or lstm (default: the better one, see assets/models/triage)")
    add_reply_parsers(commands, JSONL_HELP)
    add_history_parser(commands)
    _accept_global_options_after_commands(parser)
    return parser


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


def _messages(args: argparse.Namespace) -> list[Incoming]:
    return _jsonl_messages(args.jsonl) if args.jsonl else [Incoming(_checked_text(args.text))]


def _run(args: argparse.Namespace) -> Iterator[str]:
    """The lines a headless command prints."""
    from desktop_app import reply_cli
    from desktop_app.engine.chat import Chat
    from desktop_app.engine.facade import Engine
    from desktop_app.history_cli import run_history

    if args.command == "triage":
        messages = _messages(args)
        engine = Engine(triage_model=args.model, replies=False)
        for message in messages:
            assessment = Chat.replayed(engine, list(message.history)).assess(message.text)
            yield json.dumps(assessment.as_dict(), ensure_ascii=False)
    elif args.command == "reply":
        messages = _messages(args)
        yield from reply_cli.reply_lines(reply_cli.make_engine(args), [(m.text, m.history) for m in messages])
    elif args.command == "chat":
        reply_cli.run_chat(args, reply_cli.make_engine(args))
    elif args.command == "history":
        yield from run_history(args)


def _exit_code(exc: Exception) -> int | None:
    """The exit code for an error reported as one line, or None for one that is not ours."""
    from desktop_app.engine.llm import ReplyModelError
    from desktop_app.engine.store import NotFound, StoreDamaged, StoreError, StoreLocked, WrongPassphrase
    from desktop_app.engine.triage import TriageModelError
    from desktop_app.history_cli import HistoryInputError

    codes: list[tuple[type[Exception], int]] = [
        (InputError, EXIT_INPUT), (HistoryInputError, EXIT_INPUT), (NotFound, EXIT_INPUT),
        (TriageModelError, EXIT_MODEL), (ReplyModelError, EXIT_MODEL),
        (WrongPassphrase, EXIT_WRONG_PASSPHRASE), (StoreDamaged, EXIT_DAMAGED), (StoreLocked, EXIT_IN_USE),
        (StoreError, EXIT_STORAGE),
    ]
    return next((code for kind, code in codes if isinstance(exc, kind)), None)


def main(argv: Sequence[str] | None = None, open_window: Callable[[], int] | None = None) -> int:
    """The haven command. With no subcommand it opens the window through `open_window`, which the launcher
    (`desktop_app.__main__`) passes, so that this module never imports the window."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from desktop_app.reply_cli import self_test

        passed, summary = self_test()
        print(summary)
        return 0 if passed else 1
    if args.command is None:
        if open_window is None:
            parser.print_help()
            return 2
        return open_window()
    try:
        for line in _run(args):
            print(line, flush=True)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error of ours
    except Exception as exc:
        code = _exit_code(exc)
        if code is None:
            raise
        print(f"haven: error: {exc}", file=sys.stderr)
        return code
    return 0
