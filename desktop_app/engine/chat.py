"""One conversation: its messages in memory, its replies from the engine, and (when given a store)
each turn saved to the encrypted history as one transaction.

Crisis exchanges stay in the transcript and the history but are left out of the reply
model's context: a crisis message never reaches the generator, not even later as history.

Each message is judged with the conversation before it (`context.Context`): the recent user
messages, the assistant's last message and the crisis mode, which is a fold over the user
messages' risks (so a conversation reopened from the history is in the same mode) until the
person ends it (`end_crisis_mode`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from desktop_app.engine.context import RECENT_USER_MESSAGES, Context, CrisisMode, PriorMessage, mode_after
from desktop_app.engine.facade import Assessment, Engine, Reply
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
    crisis_score: float = 0.0  # the classifier's, for a user message


class Chat:
    """Send, regenerate and edit, with replies streamed through `on_text`. Blocking: call from a worker thread."""

    def __init__(self, engine: Engine, store: Store | None = None, conversation_id: int | None = None) -> None:
        self.engine = engine
        self.store = store
        self.conversation_id = conversation_id
        self.messages: list[ChatMessage] = []
        self._variants = 0  # each regeneration draws another reply
        self._crisis_ended_at = -1  # the number of messages when the person last ended crisis mode
        if store is not None and conversation_id is not None:
            self.messages = [_from_store(m.role, m.text, m.triage, m.id)
                             for m in store.messages(conversation_id, limit=None)]

    @classmethod
    def replayed(cls, engine: Engine, history: list[tuple[str, str]]) -> Chat:
        """A chat holding an earlier conversation, (role, text) pairs with role "user" or "assistant": each
        user message judged in its context, no reply generated, nothing stored."""
        chat = cls(engine)
        for role, text in history:
            if role == "user":
                chat.messages.append(_user_message(text, chat.assess(text)))
            else:
                chat.messages.append(ChatMessage("assistant", text))
        return chat

    def context(self, before: int | None = None) -> Context:
        """What a message after the first `before` messages (default: all) is judged with."""
        messages = self.messages[:before]
        users = [m for m in messages if m.role == "user"]
        recent = tuple(PriorMessage(m.text, m.intent, m.risk, m.crisis_score) for m in users[-RECENT_USER_MESSAGES:])
        assistant = messages[-1].text if messages and messages[-1].role == "assistant" else ""
        return Context(recent, assistant, self._crisis_mode(messages))

    def _crisis_mode(self, messages: list[ChatMessage]) -> CrisisMode:
        mode = CrisisMode()
        for index, message in enumerate(messages):
            if index == self._crisis_ended_at:
                mode = mode.ended()
            if message.role == "user":
                answered = messages[index - 1].text if index and messages[index - 1].role == "assistant" else ""
                mode = mode_after(mode, message.text, message.risk == "crisis", message.intent, message.crisis_score, answered)
        return mode.ended() if len(messages) == self._crisis_ended_at else mode

    @property
    def crisis_mode(self) -> CrisisMode:
        return self._crisis_mode(self.messages)

    def end_crisis_mode(self) -> None:
        """The person ends crisis mode (in the window: by closing the crisis panel)."""
        self._crisis_ended_at = len(self.messages)

    def assess(self, text: str) -> Assessment:
        """Triage of a next message in this conversation, without replying to it."""
        return self.engine.assess(text, self.context())

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
        reply = self.engine.respond(text, self.history(), self.context(), on_text, stop)
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
        reply = self.engine.respond(user.text, self.history()[:-1], self.context(len(self.messages) - 1), on_text, stop,
                                    self._variants)
        self.messages.append(self._replace(old, reply))
        return reply

    def edit(self, index: int, text: str, on_text: Callable[[str], None] | None = None,
             stop: threading.Event | None = None) -> Reply:
        """Replace the user message at `index` (and everything after it) and reply to the new text."""
        if not 0 <= index < len(self.messages) or self.messages[index].role != "user":
            raise ValueError("only a user message can be edited")
        replaced = self.messages[index]
        self.messages = self.messages[:index]
        self._crisis_ended_at = min(self._crisis_ended_at, index)
        reply = self.engine.respond(text, self.history(), self.context(), on_text, stop)
        self._save_turn(text, reply, replacing=replaced)
        return reply

    def _save_turn(self, text: str, reply: Reply, replacing: ChatMessage | None) -> None:
        user = _user_message(text, reply.assessment)
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
            user = replace(user, id=stored.id)
            answer = ChatMessage("assistant", reply.text, id=stored_reply.id)
        self.messages += [user, answer]

    def _replace(self, old: ChatMessage, reply: Reply) -> ChatMessage:
        if self.store is None or old.id is None:
            return ChatMessage("assistant", reply.text)
        with self.store.transaction():
            stored = self.store.replace(old.id, reply.text, model=reply.model)
        return ChatMessage("assistant", reply.text, id=stored.id)


def _user_message(text: str, assessment: Assessment) -> ChatMessage:
    decision = assessment.decision
    return ChatMessage("user", text, decision.intent, decision.risk, crisis_score=assessment.triage.risk_scores["crisis"])


def _from_store(role: str, text: str, triage: Triage | None, message_id: int) -> ChatMessage:
    if triage is None:
        return ChatMessage(role, text, id=message_id)
    return ChatMessage(role, text, triage.intent, triage.risk, message_id, triage.risk_scores.get("crisis", 0.0))


def _title(text: str, limit: int = 48) -> str:
    """A conversation's title: the start of its first message, cut at a word."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"
