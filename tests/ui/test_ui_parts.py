"""The window's parts that need no engine: the passphrase hint, date groups, and safe rendering."""

from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("pytestqt")

from desktop_app.engine.api import Message, Origin, Triage
from desktop_app.ui.render import markdown_html, message_html
from desktop_app.ui.sidebar import date_group
from desktop_app.ui.unlock import strength_hint


@pytest.mark.parametrize(("passphrase", "word"), [("abc", "Too short"), ("abcdefgh", "Weak"), ("Abcdefgh1234", "Good"),
                                                  ("correct horse battery staple", "Strong")])
def test_strength_hint(passphrase: str, word: str) -> None:
    assert strength_hint(passphrase).startswith(word)


@pytest.mark.parametrize(("stamp", "group"), [("2026-12-01T09:00:00+00:00", "Today"), ("2026-11-30T12:00:00+00:00", "Yesterday"),
                                              ("2026-11-27T12:00:00+00:00", "Previous 7 days"), ("2026-10-01T12:00:00+00:00", "Older"),
                                              ("not a time", "Older")])
def test_date_groups(stamp: str, group: str) -> None:
    assert date_group(stamp, today=date(2026, 12, 1)) == group


def test_markdown_is_rendered_and_html_in_it_is_text(qapp) -> None:
    rendered = markdown_html("**calm** breath\n\n<script>alert(1)</script> ![pic](file:///etc/passwd)")
    assert "font-weight" in rendered or "<b>" in rendered
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_a_bubble_shows_versions_actions_and_labels(qapp) -> None:
    triage = Triage("sleep", "concern", {"sleep": 0.8}, {"concern": 0.6}, ("classifier: concern",))
    user = Message(3, 1, 2, "user", "can't sleep <again>", "2026-12-01T09:00:00+00:00", triage, version=2, versions=3)
    shown = message_html(user)
    assert 'href="prev:3"' in shown and "2/3" in shown and 'href="edit:3"' in shown and "intent: sleep" in shown
    assert "&lt;again&gt;" in shown and "triage" not in message_html(user, clinician=False)
    reply = Message(4, 1, 3, "assistant", "Call a line now.", "2026-12-01T09:00:01+00:00", origin=Origin("crisis_response", "", "GB"))
    assert 'href="edit:4"' not in message_html(reply) and "#fce8e6" in message_html(reply)
