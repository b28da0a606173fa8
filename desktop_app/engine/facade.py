"""The engine's one small facade: what the UI and the command line call.

Everything here is plain Python and blocking; the UI runs it on worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from desktop_app.engine.replies import fallback_reply
from desktop_app.engine.safety import Decision, assess, crisis_response
from desktop_app.engine.triage import TriageModel, TriageResult


@dataclass(frozen=True)
class Assessment:
    """Triage of one message: the classifier's view and the safety policy's decision."""

    triage: TriageResult
    decision: Decision

    def as_dict(self) -> dict[str, Any]:
        return {
            "intent": self.decision.intent,
            "risk": self.decision.risk,
            "scores": self.triage.scores,
            "risk_scores": self.triage.risk_scores,
            "model": self.triage.model,
            "reasons": list(self.decision.reasons),
        }


@dataclass(frozen=True)
class Reply:
    """The answer to one message and how it was made."""

    assessment: Assessment
    action: Literal["crisis_response", "fallback"]
    text: str


def clean_input(text: str) -> str:
    """Text as the models can take it: lone surrogates (from bad UTF-8) become "?"."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


class Engine:
    """Triage and the safety policy now; replies and history plug in here later."""

    def __init__(self, triage_model: str | None = None, country: str | None = None, threads: int = 2) -> None:
        self.classifier = TriageModel(triage_model, threads=threads)
        self.country = country

    def assess(self, text: str) -> Assessment:
        text = clean_input(text)
        result = self.classifier.classify(text)
        return Assessment(result, assess(result, text))

    def respond(self, text: str) -> Reply:
        """Triage, then the safety policy's fixed response to a crisis, or a reply."""
        assessment = self.assess(text)
        if assessment.decision.is_crisis:
            return Reply(assessment, "crisis_response", crisis_response(assessment.decision, self.country))
        return Reply(assessment, "fallback", fallback_reply(assessment.decision.intent))
