"""One conversation: its active branch from the history, its replies from the engine, and the
changes each call makes (after Anki's OpChanges), so a window redraws only what changed.

Every turn is saved as one transaction: to the encrypted history when the session has one, else to
a history in memory (`Store.in_memory`), so versions work the same in a conversation that is not
saved. Editing a message or regenerating a reply adds a sibling version; switching versions
changes the active branch.

Crisis exchanges stay in the transcript and the history but are left out of the reply
model's context: a crisis message never reaches the generator, not even later as history.

Each message is judged with the conversation before it (`Context`): the recent user messages, the
assistant's last message and the crisis mode, which is a fold over the user messages' risks (so a
conversation reopened from the history is in the same mode) until the person ends it
(`end_crisis_mode`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desktop_app.engine.core import Assessment, Engine, Reply
from desktop_app.engine.history.store import Store
from desktop_app.engine.messages import Message
from desktop_app.engine.replies.prompt import Turn
from desktop_app.engine.triage.context import RECENT_USER_MESSAGES, Context, CrisisMode, PriorMessage, mode_after

OnText = Callable[[str], None]


@dataclass(frozen=True)
class Changes:
    """What a Session call changed. `reply` is the reply it wrote, if any."""

    messages: bool = False  # the transcript: the active branch, or a message's versions
    conversations: bool = False  # the list of conversations: one added, renamed, deleted, or moved up by a new message
    crisis: bool = False  # crisis mode started or ended
    reply: Reply | None = None


class Session:
    """Send, regenerate, edit, switch versions, rename and delete. Blocking: call from a worker thread,
    one call at a time."""

    def __init__(self, engine: Engine, store: Store | None = None, conversation_id: int | None = None) -> None:
        self.engine = engine
        self.store = store if store is not None else Store.in_memory()
        self.conversation_id = conversation_id
        self._messages: list[Message] = []
        self._variants = 0  # each regeneration draws another reply
        self._crisis_ended_at = -1  # the number of messages when the person last ended crisis mode
        if conversation_id is not None:
            self._reload()

    @classmethod
    def replayed(cls, engine: Engine, history: Sequence[tuple[str, str]]) -> Session:
        """A session in memory holding an earlier conversation, (role, text) pairs with role "user" or
        "assistant": each user message judged in its context, no reply generated."""
        session = cls(engine)
        with session.store.transaction():
            for role, text in history:
                session._append(text, session.assess(text) if role == "user" else None)
        return session

    @property
    def messages(self) -> tuple[Message, ...]:
        """The active branch, oldest first."""
        return tuple(self._messages)

    @property
    def title(self) -> str:
        return self.store.conversation(self.conversation_id).title if self.conversation_id is not None else ""

    def context(self, before: int | None = None) -> Context:
        """What a message after the first `before` messages (default: all) is judged with."""
        messages = self._messages[:before]
        users = [m for m in messages if m.role == "user"]
        recent = tuple(PriorMessage(m.text, m.intent, m.risk, m.crisis_score) for m in users[-RECENT_USER_MESSAGES:])
        assistant = messages[-1].text if messages and messages[-1].role == "assistant" else ""
        return Context(recent, assistant, self._crisis_mode(messages))

    def _crisis_mode(self, messages: Sequence[Message]) -> CrisisMode:
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
        return self._crisis_mode(self._messages)

    def end_crisis_mode(self) -> Changes:
        """The person ends crisis mode (in the window: by closing the crisis panel)."""
        before = self.crisis_mode
        self._crisis_ended_at = len(self._messages)
        return Changes(crisis=self.crisis_mode.active != before.active)

    def assess(self, text: str) -> Assessment:
        """Triage of a next message in this conversation, without replying to it."""
        return self.engine.assess(text, self.context())

    def history(self) -> list[Turn]:
        """The transcript as the reply model may see it: crisis exchanges left out."""
        return _model_turns(self._messages)

    def send(self, text: str, on_text: OnText | None = None, stop: threading.Event | None = None) -> Changes:
        """Reply to a new user message."""
        return self._turn(text, None, on_text, stop)

    @property
    def can_regenerate(self) -> bool:
        """Whether the conversation ends with a reply to a user message."""
        return len(self._messages) >= 2 and self._messages[-1].role == "assistant"

    def regenerate(self, on_text: OnText | None = None, stop: threading.Event | None = None) -> Changes:
        """A new version of the last reply; the old one stays as a sibling."""
        if not self.can_regenerate:
            raise ValueError("there is no reply to regenerate")
        before = self.crisis_mode
        old, user = self._messages[-1], self._messages[-2]
        self._variants += 1
        asked = len(self._messages) - 2
        reply = self.engine.respond(user.text, _model_turns(self._messages[:asked]), self.context(asked), on_text, stop,
                                    self._variants)
        assert old.id is not None
        self.store.replace(old.id, reply.text, origin=reply.origin(), model=reply.model)
        return self._changed(before, reply)

    def edit(self, message_id: int, text: str, on_text: OnText | None = None, stop: threading.Event | None = None) -> Changes:
        """A new version of an earlier user message, and a reply to it; the old version and what followed
        it stay as another branch."""
        index = next((i for i, m in enumerate(self._messages) if m.id == message_id), None)
        if index is None or self._messages[index].role != "user":
            raise ValueError("only a user message of this conversation can be edited")
        self._crisis_ended_at = min(self._crisis_ended_at, index)
        return self._turn(text, self._messages[index], on_text, stop, before=index)

    def switch_version(self, message_id: int, step: int) -> Changes:
        """Show the version `step` places away (-1: the previous, 1: the next) of a message, and its branch."""
        versions = self.store.siblings(message_id)
        place = next(i for i, m in enumerate(versions) if m.id == message_id) + step
        if not 0 <= place < len(versions):
            raise ValueError(f"there is no version {place + 1} of this message")
        before = self.crisis_mode
        chosen = versions[place].id
        assert chosen is not None
        self.store.select(chosen)
        return self._changed(before, None, conversations=False)

    def rename(self, title: str) -> Changes:
        """Give the conversation a title (an unsaved, empty one gets its title with its first message)."""
        if self.conversation_id is None:
            raise ValueError("the conversation has no messages yet")
        self.store.rename(self.conversation_id, " ".join(title.split()))
        return Changes(conversations=True)

    def delete(self) -> Changes:
        """Delete the conversation from the history; the session starts anew, empty."""
        before = self.crisis_mode
        if self.conversation_id is not None:
            self.store.delete_conversation(self.conversation_id)
        self.conversation_id, self._messages, self._crisis_ended_at = None, [], -1
        return Changes(messages=True, conversations=True, crisis=self.crisis_mode.active != before.active)

    def _turn(self, text: str, replacing: Message | None, on_text: OnText | None, stop: threading.Event | None,
              before: int | None = None) -> Changes:
        crisis_before = self.crisis_mode
        history = _model_turns(self._messages[:before])
        reply = self.engine.respond(text, history, self.context(before), on_text, stop)
        with self.store.transaction():
            if replacing is not None and replacing.id is not None:
                self.store.replace(replacing.id, text, triage=reply.assessment.labels(),
                                   model=reply.assessment.triage.model)
            else:
                self._append(text, reply.assessment)
            self.store.add_message(self._conversation(text), "assistant", reply.text, origin=reply.origin(), model=reply.model)
        return self._changed(crisis_before, reply)

    def _conversation(self, first_text: str) -> int:
        if self.conversation_id is None:
            self.conversation_id = self.store.new_conversation(_title(first_text)).id
        return self.conversation_id

    def _append(self, text: str, assessment: Assessment | None) -> None:
        """Store a message at the end of the active branch: a user message with its assessment, else a reply."""
        conversation = self._conversation(text)
        if assessment is None:
            self._messages.append(self.store.add_message(conversation, "assistant", text))
        else:
            self._messages.append(self.store.add_message(conversation, "user", text, triage=assessment.labels(),
                                                         model=assessment.triage.model))

    def _reload(self) -> None:
        assert self.conversation_id is not None
        self._messages = self.store.messages(self.conversation_id, limit=None)

    def _changed(self, crisis_before: CrisisMode, reply: Reply | None, conversations: bool = True) -> Changes:
        self._reload()
        return Changes(messages=True, conversations=conversations, crisis=self.crisis_mode.active != crisis_before.active, reply=reply)


def _model_turns(messages: Sequence[Message]) -> list[Turn]:
    """Messages as the reply model may see them: crisis exchanges left out."""
    turns: list[Turn] = []
    skip_reply = False
    for message in messages:
        if message.role == "user":
            skip_reply = message.risk == "crisis"
            if not skip_reply:
                turns.append(Turn("user", message.text, message.intent, message.risk))
        elif not skip_reply:
            turns.append(Turn("model", message.text))
    return turns


def _title(text: str, limit: int = 48) -> str:
    """A conversation's title: the start of its first message, cut at a word."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"
