"""`haven triage`: label messages with intent and risk, each in the conversation before it (JSON lines)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator

from desktop_app.cli.common import add_message_source, incoming


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    triage = commands.add_parser("triage", help="label messages with intent and risk (JSON output)")
    add_message_source(triage, "triage")
    triage.add_argument("--model", help="triage model: minilm or lstm (default: the better one, see assets/models/triage)")


def run(args: argparse.Namespace) -> Iterator[str]:
    from desktop_app.engine.api import Engine, Session, resolve

    messages = incoming(args)
    engine = Engine(resolve(triage_model=args.model, replies=False, data_dir_option=args.data_dir))
    for message in messages:
        assessment = Session.replayed(engine, message.history).assess(message.text)
        yield json.dumps(assessment.as_dict(), ensure_ascii=False)
