"""A message, the one shape it has from the store to the screen, and the labels it carries.

A user message carries its triage (`Triage`): what a clinician view needs to see how it was judged.
An assistant message carries its origin (`Origin`): how the reply was made, and which country's crisis
lines were shown with it. Both are stored with the message in the encrypted history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["user", "assistant"]
Action = Literal["crisis_response", "crisis_checkin", "boundary", "generated", "fallback"]


@dataclass(frozen=True)
class Triage:
    """How a user message was judged: the labels, the classifier's scores, and the policy's reasons
    (`by_context` when the conversation raised the risk, `boundary` for a medical request)."""

    intent: str
    risk: str
    scores: Mapping[str, float] = field(default_factory=dict)
    risk_scores: Mapping[str, float] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()
    by_context: bool = False
    boundary: str | None = None

    @property
    def crisis_score(self) -> float:
        return self.risk_scores.get("crisis", 0.0)

    def as_dict(self) -> dict[str, Any]:
        item = asdict(self)
        item["reasons"] = list(self.reasons)
        return item


@dataclass(frozen=True)
class Origin:
    """How an assistant message was made: the action, why it is not the model's own (`note`, never
    message text), and the country whose crisis lines were shown with it (None when none were)."""

    action: Action
    note: str = ""
    lines: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Message:
    """A message of a conversation. `id` is None only for a message not yet stored. `version` of
    `versions` places it among its siblings: the edits of a user message, the regenerations of a reply."""

    id: int | None
    conversation_id: int | None
    parent_id: int | None
    role: Role
    text: str
    time: str = ""
    triage: Triage | None = None
    origin: Origin | None = None
    model: str | None = None
    version: int = 1
    versions: int = 1

    @property
    def intent(self) -> str:
        return self.triage.intent if self.triage else ""

    @property
    def risk(self) -> str:
        return self.triage.risk if self.triage else ""

    @property
    def crisis_score(self) -> float:
        return self.triage.crisis_score if self.triage else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "parent_id": self.parent_id,
            "role": self.role,
            "time": self.time,
            "text": self.text,
            "triage": self.triage.as_dict() if self.triage else None,
            "origin": self.origin.as_dict() if self.origin else None,
            "model": self.model,
            "version": self.version,
            "versions": self.versions,
        }


@dataclass(frozen=True)
class TimelinePoint:
    """One user message on a conversation's risk timeline, with the action of the reply it got ("" before one)."""

    message_id: int | None
    time: str
    intent: str
    risk: str
    crisis_score: float
    by_context: bool
    action: str

    @property
    def crisis(self) -> bool:
        return self.risk == "crisis"


def timeline(messages: Sequence[Message]) -> list[TimelinePoint]:
    """The user messages of a branch (oldest first) as timeline points."""
    points = []
    for index, message in enumerate(messages):
        if message.role != "user":
            continue
        after = messages[index + 1] if index + 1 < len(messages) else None
        action = after.origin.action if after is not None and after.role == "assistant" and after.origin else ""
        points.append(TimelinePoint(message.id, message.time, message.intent, message.risk, message.crisis_score,
                                    bool(message.triage and message.triage.by_context), action))
    return points
