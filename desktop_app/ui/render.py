"""Messages as the transcript shows them: safe HTML, with the actions of each message as links.

A reply's Markdown is rendered with raw HTML turned off, and the document that renders it loads no
resource (no image, no file, no network path): what a person or the model typed never reaches
anything but the screen.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from desktop_app.engine.api import Message

RISK_MARKS = {"crisis": "▲", "concern": "■", "none": "●"}  # a shape beside each colour: colour is never the only cue
FIXED_ACTIONS = frozenset({"crisis_response", "crisis_checkin", "boundary"})
# Bubble backgrounds and label colours for a light and a dark theme; text on them keeps at least 4.5:1.
COLOURS = {
    False: {"user": "#e8f0fe", "assistant": "#f1f3f4", "crisis": "#fce8e6", "boundary": "#fef7e0", "meta": "#5f6368",
            "crisis_risk": "#b3261e", "concern_risk": "#8a5a00", "none_risk": "#5f6368", "chip": "#ffffff", "chip_text": "#202124"},
    True: {"user": "#1f3a5f", "assistant": "#2d2e31", "crisis": "#43303a", "boundary": "#4a3f14", "meta": "#bdc1c6",
           "crisis_risk": "#f6aea9", "concern_risk": "#fdd663", "none_risk": "#bdc1c6", "chip": "#202124", "chip_text": "#e8eaed"},
}


class _InertDocument(QTextDocument):
    """A document that never loads a resource: Markdown images and links stay text."""

    def loadResource(self, kind: int, name: QUrl) -> object:
        return None


def markdown_html(text: str) -> str:
    """The body of `text` rendered as Markdown, with HTML in it shown as text."""
    document = _InertDocument()
    document.setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML)
    rendered = document.toHtml()
    start, end = rendered.find("<body"), rendered.rfind("</body>")
    return rendered[rendered.find(">", start) + 1:end] if start >= 0 and end >= 0 else html.escape(text)


def local_time(stamp: str) -> str:
    """An ISO timestamp in the local time zone, as hours and minutes."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M")
    except ValueError:
        return ""


def message_html(message: Message, clinician: bool = True, dark: bool = False, action: str = "") -> str:
    """One message as a bubble: who and when, the text, its versions and actions, and for a user message
    its triage chips (when `clinician`; `action` is what the reply to it was), in the colours of a light or a
    `dark` theme."""
    colours = COLOURS[dark]
    mine = message.role == "user"
    who = "You" if mine else "Haven"
    generated = message.origin is not None and message.origin.action == "generated"
    body = markdown_html(message.text) if generated else html.escape(message.text).replace("\n", "<br>")
    colour = colours["user" if mine else "assistant"]
    if message.origin is not None and message.origin.action in FIXED_ACTIONS:
        colour = colours["boundary" if message.origin.action == "boundary" else "crisis"]
    links = []
    if message.versions > 1 and message.id is not None:
        links.append(f'<a href="prev:{message.id}" title="Previous version">‹</a> {message.version}/{message.versions} '
                     f'<a href="next:{message.id}" title="Next version">›</a>')
    if message.id is not None:
        links.append(f'<a href="copy:{message.id}">Copy</a>')
        if mine:
            links.append(f'<a href="edit:{message.id}">Edit</a>')
    labels = clinician_chips(message, action, colours) if clinician and message.triage is not None else ""
    margins = "margin-left:96px;margin-right:4px" if mine else "margin-left:4px;margin-right:96px"
    anchor = f'<a name="m{message.id}"></a>' if message.id is not None else ""
    when = f" · {local_time(message.time)}" if message.time else " · sending…"
    return (f'{anchor}<table cellspacing="0" cellpadding="8" width="100%" style="background:{colour};{margins};margin-bottom:8px">'
            f'<tr><td><div style="font-size:small;color:{colours["meta"]}"><b>{who}</b>{when}</div>'
            f"<div>{body}</div>{labels}"
            f'<div style="font-size:small">{" · ".join(links)}</div></td></tr></table>')


def decisive(reasons: tuple[str, ...]) -> list[str]:
    """The rules and figures behind a decision, without their long descriptions ("context rule context.time")."""
    heads = []
    for reason in reasons:
        head, _, rest = reason.partition(": ")
        heads.append(f"{head}: {rest.split(' (')[0]}" if head == "classifier" else head)
    return heads


def clinician_chips(message: Message, action: str, colours: dict[str, str]) -> str:
    """A user message's triage as chips: intent and confidence, risk (with a shape), why, and the reply's action."""
    triage = message.triage
    assert triage is not None
    risk_colour = colours.get(f"{triage.risk}_risk", colours["meta"])
    top = max(triage.scores, key=lambda name: triage.scores[name], default=triage.intent)
    chips = [f"intent: {triage.intent}" + (f" {triage.scores[top]:.0%}" if top == triage.intent else
                                            f" · classifier: {top} {triage.scores.get(top, 0.0):.0%}"),
             f"{RISK_MARKS.get(triage.risk, '')} risk: {triage.risk} · crisis score {triage.crisis_score:.2f}"]
    if triage.by_context:
        chips.append("raised by context")
    if triage.boundary:
        chips.append(f"boundary: {triage.boundary}")
    if action:
        chips.append(f"reply: {action.replace('_', ' ')}")
    why = "; ".join(decisive(triage.reasons))
    shown = " ".join(f'<span style="background-color:{colours["chip"]};color:{risk_colour if k == 1 else colours["chip_text"]}">'
                     f"&nbsp;{html.escape(chip)}&nbsp;</span>" for k, chip in enumerate(chips))
    return (f'<div style="font-size:small">{shown}</div>'
            + (f'<div style="font-size:small;color:{colours["meta"]}">why: {html.escape(why)}</div>' if why else ""))
