"""The `haven` command: the GUI with no arguments, headless subcommands otherwise."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from desktop_app import __version__

EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_MODEL = 4


class InputError(Exception):
    """Bad input from the user: reported as one line, exit EXIT_INPUT."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="haven",
        description="Haven: a private, offline support chat. An AI, not a clinician; not for emergencies.",
    )
    parser.add_argument("--version", action="version", version=f"haven {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    triage = commands.add_parser("triage", help="label messages with intent and risk (JSON output)")
    source = triage.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help="the message to triage")
    source.add_argument("--jsonl", type=Path, metavar="FILE", help='read lines {"text": ...}; print one JSON line each')
    triage.add_argument("--model", help="triage model: minilm or lstm (default: the better one, see assets/models/triage)")
    return parser


def _jsonl_texts(path: Path) -> list[str]:
    """Every text of a JSONL file, checked before any is processed (so errors leave no partial output)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    texts = []
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: line {number}: malformed JSON ({exc.msg})") from None
        if not isinstance(item, dict) or "text" not in item:
            raise InputError(f'{path}: line {number}: expected an object with a "text" field')
        texts.append(_checked_text(item["text"], f"{path}: line {number}: "))
    if not texts:
        raise InputError(f"{path}: no messages")
    return texts


def _checked_text(text: object, where: str = "") -> str:
    if not isinstance(text, str):
        raise InputError(f"{where}text must be a string")
    if not text.strip():
        raise InputError(f"{where}empty text")
    return text


def _run_triage(args: argparse.Namespace) -> Iterator[str]:
    from desktop_app.engine.facade import Engine

    texts = _jsonl_texts(args.jsonl) if args.jsonl else [_checked_text(args.text)]
    engine = Engine(triage_model=args.model)
    for text in texts:
        yield json.dumps(engine.assess(text).as_dict(), ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        from desktop_app.ui.app import run_gui

        return run_gui()
    from desktop_app.engine.triage import TriageModelError

    try:
        for line in _run_triage(args):
            print(line, flush=True)
    except InputError as exc:
        print(f"haven: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except TriageModelError as exc:
        print(f"haven: error: {exc}", file=sys.stderr)
        return EXIT_MODEL
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error of ours
    return 0
