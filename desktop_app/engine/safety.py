"""The deterministic safety policy that runs before any reply is generated.

It combines the classifier's risk with the phrase layer: either one can raise a
message to crisis (a false alarm is cheaper than a miss), and nothing lowers a crisis.
A crisis gets a fixed, human-written response with the crisis resources of the user's
country; the language model never answers it.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.engine.labels import CRISIS_INTENTS, Risk
from desktop_app.engine.phrases import PhraseHit, scan
from desktop_app.engine.resources import crisis_texts, resources_for
from desktop_app.engine.triage import TriageResult


@dataclass(frozen=True)
class Decision:
    """What the policy decided for one message, and why (rule ids, never message text)."""

    intent: str
    risk: Risk
    reasons: tuple[str, ...]

    @property
    def is_crisis(self) -> bool:
        return self.risk == "crisis"


def decide(triage: TriageResult, hits: list[PhraseHit]) -> Decision:
    reasons = []
    if triage.risk == "crisis":
        if triage.crisis_by_intent:
            reasons.append(f"classifier: top intent {triage.intent} is a crisis intent ({triage.model})")
        else:
            reasons.append(f"classifier: crisis score {triage.risk_scores['crisis']:.2f} ({triage.model})")
    reasons += [f"phrase rule {hit.rule}: {hit.description}" for hit in hits]
    if triage.risk != "crisis" and not hits:
        return Decision(triage.intent, triage.risk, (f"classifier: risk {triage.risk} ({triage.model})",))
    intent = triage.intent if triage.intent in CRISIS_INTENTS else (hits[0].intent if hits else _crisis_intent(triage))
    return Decision(intent, "crisis", tuple(reasons))


def _crisis_intent(triage: TriageResult) -> str:
    """The most likely crisis intent, for a crisis raised by the risk head alone."""
    return max(CRISIS_INTENTS, key=lambda name: triage.scores.get(name, 0.0))


def assess(triage: TriageResult, text: str) -> Decision:
    return decide(triage, scan(text))


def crisis_response(decision: Decision, country: str | None) -> str:
    """The fixed reply to a crisis: a human-written message, then the country's resources."""
    texts = crisis_texts()
    message = texts["responses"][decision.intent if decision.intent in CRISIS_INTENTS else "crisis_suicide"]
    resources = resources_for(country).as_text()
    return f"{message}\n\n{texts['resources_heading']}\n{resources}\n\n{texts['closing']}"
