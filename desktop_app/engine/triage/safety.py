"""The deterministic safety policy that runs before any reply is generated.

It combines the classifier's risk with the phrase layer: either one can raise a
message to crisis (a false alarm is cheaper than a miss), and nothing lowers a phrase
rule's crisis. A question of how dangerous or lethal an amount or a method is that no phrase rule
caught is a crisis when the medical-request model reads one (`medical_model.py`). A crisis gets a fixed, human-written response with the crisis resources of the user's
country; the language model never answers it.

A message is judged with its conversation (`context.Context`): context may raise it to crisis
(`context.raise_in_context`), never lower it. A request for a diagnosis or medication advice is
marked as a medical boundary (`boundaries.find_boundary`) and gets a fixed reply; a crisis wins
over a boundary.

Two narrow exceptions, judged on the message alone, where the classifiers are known to be wrong:
a plain medicine question and a clear statement of being safe are not a crisis on the
classifier's word alone. Neither applies when a phrase rule fires or a warning sign stands in the
message, and the first never in crisis mode.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from desktop_app.engine.resources import crisis_texts, resources_for
from desktop_app.engine.triage.boundaries import HARM_CUES, BoundaryKind, find_boundary
from desktop_app.engine.triage.classifier import TriageResult
from desktop_app.engine.triage.context import NO_CONTEXT, Context, clearly_safe, raise_in_context
from desktop_app.engine.triage.labels import CRISIS_INTENTS, Risk
from desktop_app.engine.triage.medical_model import shipped_model
from desktop_app.engine.triage.phrases import PhraseHit, normalise, scan


@dataclass(frozen=True)
class Decision:
    """What the policy decided for one message, and why (rule ids, never message text). `boundary` names
    the medical boundary the message asks across (None for none); `by_context` says the conversation, not
    the message alone, made it a crisis."""

    intent: str
    risk: Risk
    reasons: tuple[str, ...]
    boundary: BoundaryKind | None = None
    by_context: bool = False

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
        # A crisis intent whose risk head all but rules a crisis out (see decide_risk) is not shown or used as one.
        intent = _top_non_crisis_intent(triage) if triage.intent in CRISIS_INTENTS else triage.intent
        return Decision(intent, triage.risk, (f"classifier: risk {triage.risk} ({triage.model})",))
    intent = triage.intent if triage.intent in CRISIS_INTENTS else (hits[0].intent if hits else _crisis_intent(triage))
    return Decision(intent, "crisis", tuple(reasons))


def _crisis_intent(triage: TriageResult) -> str:
    """The most likely crisis intent, for a crisis raised by the risk head alone."""
    return max(CRISIS_INTENTS, key=lambda name: triage.scores.get(name, 0.0))


def assess(triage: TriageResult, text: str, context: Context = NO_CONTEXT) -> Decision:
    """The decision for a message in its conversation: alone, then raised by context, then checked for a
    medical boundary (a crisis has none)."""
    hits = scan(text)
    decision = decide(triage, hits)
    if decision.is_crisis:
        return _medical_question(decision, triage, text, hits, context) or _safety_statement(decision, triage, text, hits) \
            or decision
    lethality = _lethality_question(decision, text)
    if lethality:
        return lethality
    raised = raise_in_context(text, triage.risk_scores["crisis"], context)
    if raised:
        reasons = (*decision.reasons, f"context rule {raised.rule}: {raised.reason}")
        return Decision(raised.intent, "crisis", reasons, by_context=True)
    boundary = find_boundary(text)
    if boundary:
        reasons = (*decision.reasons, f"boundary rule {boundary.rule}: {boundary.description}")
        return replace(decision, reasons=reasons, boundary=boundary.kind)
    return decision


def _medical_question(decision: Decision, triage: TriageResult, text: str, hits: list[PhraseHit],
                      context: Context) -> Decision | None:
    """A boundary decision for a plain medication or diagnosis question that only the classifier called a crisis.

    The classifiers learnt that pills go with overdoses, so they flag many ordinary questions about
    medicines. A boundary rule or the medical-request model's reading of a request decides it, and the crisis
    stands whenever anything else points to risk: a phrase rule (lethality questions are one, however framed), the
    medical-request model's reading of a lethality question, a risk context, or words of taking a lot at once,
    of death or of hopelessness."""
    if hits or context.crisis.active or HARM_CUES.search(normalise(text)):
        return None
    boundary = find_boundary(text)
    if boundary is None or _lethality_reason(text):
        return None
    reasons = (*decision.reasons, f"boundary rule {boundary.rule}: {boundary.description}; a medical question with no "
               "phrase rule, risk context, quantity or distress words, so the classifier's crisis is not kept")
    return Decision(_top_non_crisis_intent(triage), _non_crisis_risk(triage), reasons, boundary.kind)


def _lethality_reason(text: str) -> str | None:
    """Why the medical-request model reads a question of how dangerous or lethal an amount or a method is, or None."""
    model = shipped_model()
    probability = model.lethality(text)
    if probability < model.lethality_threshold:
        return None
    return (f"medical-request model: lethality question (probability {probability:.2f} ≥ "
            f"{model.lethality_threshold:.2f}), a crisis however it is framed")


def _lethality_question(decision: Decision, text: str) -> Decision | None:
    """A crisis for a lethality question that no phrase rule caught but the medical-request model reads."""
    reason = _lethality_reason(text)
    return Decision("crisis_suicide", "crisis", (*decision.reasons, reason)) if reason else None


def _safety_statement(decision: Decision, triage: TriageResult, text: str, hits: list[PhraseHit]) -> Decision | None:
    """A clear statement of being safe or reaching out ("I'm at my sister's, I called the line") that only the
    classifier called a crisis: the classifiers learnt safety words from crisis conversations. It stands as a
    crisis if a phrase rule fires or the message also speaks of being decided, refusing help, means,
    arrangements or someone dangerous arriving (`context.clearly_safe`), or the medical-request model reads a lethality
    question. In crisis mode the conversation keeps its lines either way."""
    if hits or not clearly_safe(text) or _lethality_reason(text):
        return None
    reasons = (*decision.reasons, "says they are safe or reaching out, with no phrase rule or warning sign, so the "
               "classifier's crisis is not kept")
    return Decision(_top_non_crisis_intent(triage), _non_crisis_risk(triage), reasons)


def _top_non_crisis_intent(triage: TriageResult) -> str:
    return max((name for name in triage.scores if name not in CRISIS_INTENTS), key=lambda name: triage.scores[name])


def _non_crisis_risk(triage: TriageResult) -> Risk:
    return "concern" if triage.risk_scores["concern"] >= triage.risk_scores["none"] else "none"


def crisis_response(decision: Decision, country: str | None) -> str:
    """The fixed reply to a crisis: a human-written message, then the country's resources."""
    return _with_resources(crisis_texts()["responses"][_crisis_intent_of(decision)], country)


def crisis_checkin(decision: Decision, checkins: int, country: str | None) -> str:
    """The fixed reply to a crisis, or an ambiguous reply, while the conversation is in crisis mode: it asks
    directly about safety right now and repeats the lines. `checkins` (how many came before) picks the
    variant, so two in a row do not read the same."""
    variants = crisis_texts()["checkins"][_crisis_intent_of(decision)]
    return _with_resources(variants[checkins % len(variants)], country)


def _crisis_intent_of(decision: Decision) -> str:
    return decision.intent if decision.intent in CRISIS_INTENTS else "crisis_suicide"


def _with_resources(message: str, country: str | None) -> str:
    texts = crisis_texts()
    resources = resources_for(country).as_text()
    return f"{message}\n\n{texts['resources_heading']}\n{resources}\n\n{texts['closing']}"
