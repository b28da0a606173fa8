"""`haven`: the parser, the dispatch to one module per subcommand, and one-line errors with exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop_app import __version__
from desktop_app.cli import chat, history, reply, triage
from desktop_app.cli.common import add_global_options, exit_code

SUBCOMMANDS = {"triage": triage, "reply": reply, "chat": chat, "history": history}


def _accept_global_options_after_commands(parser: argparse.ArgumentParser) -> None:
    """`haven history list --passphrase-stdin` means the same as `haven --passphrase-stdin history list`."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                add_global_options(command, after_command=True)
                _accept_global_options_after_commands(command)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="haven",
        description="Haven: a private, offline support chat. An AI, not a clinician; not for emergencies.",
    )
    parser.add_argument("--version", action="version", version=f"haven {__version__}")
    add_global_options(parser, after_command=False)
    parser.add_argument("--self-test", action="store_true",
                        help="answer a crisis and an ordinary message headless, with a temporary encrypted store")
    parser.add_argument("--screenshot", type=Path, metavar="PNG",
                        help="open the window, save a picture of it once drawn, and quit (checks that a build renders)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS.values():
        module.add_parser(commands)
    _accept_global_options_after_commands(parser)
    return parser


def main(argv: Sequence[str] | None = None, open_window: Callable[[Path | None], int] | None = None) -> int:
    """The haven command. With no subcommand it opens the window through `open_window`, which the launcher
    (`desktop_app.__main__`) passes, so that this package never imports the window."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from desktop_app.engine.api import self_test

        result = self_test()
        print(result.summary)
        return 0 if result.passed else 1
    if args.command is None:
        if open_window is None:
            parser.print_help()
            return 2
        return open_window(args.screenshot)
    try:
        for line in SUBCOMMANDS[args.command].run(args):
            print(line, flush=True)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error of ours
    except Exception as exc:
        code = exit_code(exc)
        if code is None:
            raise
        print(f"haven: error: {exc}", file=sys.stderr)
        return code
    return 0
