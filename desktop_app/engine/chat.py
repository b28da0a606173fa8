"""One conversation: its messages in memory, its replies from the engine, and (when given a store)
each turn saved to the encrypted history as one transaction.

Crisis exchanges stay in the transcript and the history but are left out of the reply
model's context: a crisis message never reaches the generator, not even later as history.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.engine.facade import Engine, Reply
from desktop_app.engine.prompt import Turn
from desktop_app.engine.store import Store, Triage


@dataclass(frozen=True)
class ChatMessage:
    """A message of the transcript; `id` is its id in the store (None without one)."""

    role: str  # "user" or "assistant"
    text: str
    intent: str = ""
    risk: str = ""
    id: int | None = None


class Chat:
    """Send, regenerate and edit, with replies streamed through `on_text`. Blocking: call from a worker thread."""

    def __init__(self, engine: Engine, store: Store | None = None, conversation_id: int | None = None) -> None:
        self.engine = engine
        self.store = store
        self.conversation_id = conversation_id
        self.messages: list[ChatMessage] = []
        self._variants = 0  # each regeneration draws another reply
        if store is not None and conversation_id is not None:
            self.messages = [
                ChatMessage(m.role, m.text, m.triage.intent if m.triage else "", m.triage.risk if m.triage else "", m.id)
                for m in store.messages(conversation_id, limit=None)
            ]

    def history(self) -> list[Turn]:
        """The transcript as the reply model may see it: crisis exchanges left out."""
        turns: list[Turn] = []
        skip_reply = False
        for message in self.messages:
            if message.role == "user":
                skip_reply = message.risk == "crisis"
                if not skip_reply:
                    turns.append(Turn("user", message.text, message.intent, message.risk))
            elif not skip_reply:
                turns.append(Turn("model", message.text))
        return turns

    def send(self, text: str, on_text: Callable[[str], None] | None = None,
             stop: threading.Event | None = None) -> Reply:
        """Reply to a new user message."""
        reply = self.engine.respond(text, self.history(), on_text, stop)
        self._save_turn(text, reply, replacing=None)
        return reply

    @property
    def can_regenerate(self) -> bool:
        """Whether the conversation ends with a reply to a user message."""
        return len(self.messages) >= 2 and self.messages[-1].role == "assistant"

    def regenerate(self, on_text: Callable[[str], None] | None = None, stop: threading.Event | None = None) -> Reply:
        """A new reply to the last user message; the old reply stays in the history as a sibling."""
        if not self.can_regenerate:
            raise ValueError("there is no reply to regenerate")
        old, user = self.messages[-1], self.messages[-2]
        self.messages = self.messages[:-1]
        self._variants += 1
        reply = self.engine.respond(user.text, self.history()[:-1], on_text, stop, self._variants)
        self.messages.append(self._replace(old, reply))
        return reply

    def edit(self, index: int, text: str, on_text: Callable[[str], None] | None = None,
             stop: threading.Event | None = None) -> Reply:
        """Replace the user message at `index` (and everything after it) and reply to the new text."""
        if not 0 <= index < len(self.messages) or self.messages[index].role != "user":
            raise ValueError("only a user message can be edited")
        replaced = self.messages[index]
        self.messages = self.messages[:index]
        reply = self.engine.respond(text, self.history(), on_text, stop)
        self._save_turn(text, reply, replacing=replaced)
        return reply

    def _save_turn(self, text: str, reply: Reply, replacing: ChatMessage | None) -> None:
        decision = reply.assessment.decision
        user = ChatMessage("user", text, decision.intent, decision.risk)
        answer = ChatMessage("assistant", reply.text)
        if self.store is not None:
            triage = Triage.from_dict(reply.assessment.as_dict())
            with self.store.transaction():
                if self.conversation_id is None:
                    self.conversation_id = self.store.new_conversation(_title(text)).id
                if replacing is not None and replacing.id is not None:
                    stored = self.store.replace(replacing.id, text, triage=triage, model=reply.assessment.triage.model)
                else:
                    stored = self.store.add_message(self.conversation_id, "user", text, triage=triage,
                                                    model=reply.assessment.triage.model)
                stored_reply = self.store.add_message(self.conversation_id, "assistant", reply.text, model=reply.model)
            user = ChatMessage("user", text, decision.intent, decision.risk, stored.id)
            answer = ChatMessage("assistant", reply.text, id=stored_reply.id)
        self.messages += [user, answer]

    def _replace(self, old: ChatMessage, reply: Reply) -> ChatMessage:
        if self.store is None or old.id is None:
            return ChatMessage("assistant", reply.text)
        with self.store.transaction():
            stored = self.store.replace(old.id, reply.text, model=reply.model)
        return ChatMessage("assistant", reply.text, id=stored.id)


def _title(text: str, limit: int = 48) -> str:
    """A conversation's title: the start of its first message, cut at a word."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"
