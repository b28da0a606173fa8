"""The policy's combination rules, on classifier results built by hand."""

from __future__ import annotations

from desktop_app.engine.triage.classifier import TriageResult, decide_risk
from desktop_app.engine.triage.labels import INTENTS
from desktop_app.engine.triage.phrases import scan
from desktop_app.engine.triage.safety import crisis_response, decide


def result(intent: str, crisis: float, concern: float = 0.0) -> TriageResult:
    scores = {name: (0.9 if name == intent else 0.1 / (len(INTENTS) - 1)) for name in INTENTS}
    risk_scores = {"crisis": crisis, "concern": concern, "none": 1 - crisis - concern}
    risk, by_intent = decide_risk(intent, risk_scores, crisis_threshold=0.4)
    return TriageResult(intent, risk, scores, risk_scores, "test", by_intent)


def test_classifier_threshold_and_crisis_intent() -> None:
    assert decide_risk("smalltalk", {"crisis": 0.41, "concern": 0.0, "none": 0.59}, 0.4) == ("crisis", False)
    assert decide_risk("crisis_abuse", {"crisis": 0.25, "concern": 0.2, "none": 0.55}, 0.4) == ("crisis", True)
    assert decide_risk("crisis_abuse", {"crisis": 0.1, "concern": 0.2, "none": 0.7}, 0.4) == ("none", False)
    assert decide_risk("stress", {"crisis": 0.1, "concern": 0.5, "none": 0.4}, 0.4) == ("concern", False)
    assert decide_risk("greeting", {"crisis": 0.0, "concern": 0.1, "none": 0.9}, 0.4) == ("none", False)


def test_a_phrase_rule_raises_a_calm_classifier_to_crisis() -> None:
    decision = decide(result("depression", crisis=0.05, concern=0.8), scan("everyone would be better off without me"))
    assert decision.is_crisis and decision.intent == "crisis_suicide"
    assert any("suicide.explicit" in reason for reason in decision.reasons)


def test_nothing_lowers_a_classifier_crisis() -> None:
    decision = decide(result("crisis_self_harm", crisis=0.9), [])
    assert decision.is_crisis and decision.intent == "crisis_self_harm"
    assert decision.reasons == ("classifier: crisis score 0.90 (test)",)


def test_risk_head_alone_picks_the_likeliest_crisis_intent() -> None:
    triage = result("stress", crisis=0.6)
    triage.scores["crisis_abuse"] = 0.05
    assert decide(triage, []).intent == "crisis_abuse"


def test_no_crisis_keeps_the_classifier_view() -> None:
    decision = decide(result("sleep", crisis=0.01, concern=0.7), [])
    assert not decision.is_crisis and decision.intent == "sleep" and decision.risk == "concern"


def test_crisis_response_is_fixed_text_with_resources() -> None:
    decision = decide(result("crisis_abuse", crisis=0.9), [])
    first, second = crisis_response(decision, "AU"), crisis_response(decision, "AU")
    assert first == second
    assert "13 11 14" in first and "000" in first and "not your fault" in first
