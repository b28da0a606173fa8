"""A conversation written out of the encrypted history, as Markdown or JSON, and the labels line a
message is shown with (also by `haven history show`). The result is plaintext: write it only where
the user chose."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from desktop_app.engine.history.records import Conversation, now
from desktop_app.engine.messages import Message, timeline

ExportFormat = Literal["md", "json"]
NOT_ENCRYPTED = "This file is not encrypted: anyone who can open it can read it."


def labels(message: Message) -> list[str]:
    """What a message is shown with besides its text: its time, triage, how it was made, and its version."""
    shown = [message.time]
    if message.triage:
        shown.append(f"intent `{message.triage.intent}`, risk `{message.triage.risk}`")
        if message.triage.reasons:
            shown.append(f"because {'; '.join(message.triage.reasons)}")
    if message.origin and message.origin.action != "generated":
        shown.append(f"action `{message.origin.action}`")
    if message.model:
        shown.append(f"model `{message.model}`")
    if message.versions > 1:
        shown.append(f"version {message.version} of {message.versions}")
    return shown


def exported(conversation: Conversation, messages: Sequence[Message], fmt: ExportFormat) -> str:
    if fmt == "md":
        return _markdown(conversation, messages)
    if fmt == "json":
        item = {**conversation.as_dict(), "exported": now(), "messages": [m.as_dict() for m in messages]}
        return json.dumps(item, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r}")


def _markdown(conversation: Conversation, messages: Sequence[Message]) -> str:
    lines = [
        f"# {conversation.title or 'Untitled conversation'}",
        "",
        f"Exported from Haven on {now()}. {NOT_ENCRYPTED}",
        f"Created {conversation.created}, updated {conversation.updated}, {len(messages)} messages.",
        "",
    ]
    for message in messages:
        lines += [f"**{'You' if message.role == 'user' else 'Haven'}** · {' · '.join(labels(message))}", ""]
        lines += [f"> {line}" if line else ">" for line in message.text.split("\n")]
        lines.append("")
    return "\n".join(lines + _timeline_table(messages))


def _timeline_table(messages: Sequence[Message]) -> list[str]:
    """The risk timeline for a clinician: each user message's labels and the action of the reply it got."""
    rows = ["## Risk timeline", "", "| # | time | intent | risk | crisis score | raised by context | reply |",
            "|---|---|---|---|---|---|---|"]
    for number, point in enumerate(timeline(messages), 1):
        rows.append(f"| {number} | {point.time} | {point.intent or '—'} | {point.risk or '—'} | {point.crisis_score:.2f} | "
                    f"{'yes' if point.by_context else 'no'} | {point.action or '—'} |")
    return [*rows, ""]
