"""The engine's one small facade: what the UI and the command line call.

Everything here is plain Python and blocking; the UI runs it on worker threads. A reply
streams through `on_text` (pieces already passed by the post-check) and stops between
tokens when `stop` is set.

A message is judged in its conversation (`Context`). A crisis gets the fixed crisis response,
and the conversation enters crisis mode; while it lasts, a crisis or an ambiguous reply gets a
fixed check-in, and any other reply carries the crisis lines as data (`Reply.resources`). A
request for a diagnosis or medication advice gets a fixed boundary reply. Only the rest reaches
the reply model.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from desktop_app.engine.context import NO_CONTEXT, Context, CrisisMode, mode_after
from desktop_app.engine.llm import ReplyModel, ReplyModelError
from desktop_app.engine.prompt import Turn
from desktop_app.engine.replies import boundary_reply, fallback_reply, post_check_replacement
from desktop_app.engine.reply_safety import BOUNDARY_OF_RULE, HOLDBACK, unsafe_rule
from desktop_app.engine.resources import CountryResources, resources_for
from desktop_app.engine.safety import Decision, assess, crisis_checkin, crisis_response
from desktop_app.engine.triage import TriageModel, TriageResult

log = logging.getLogger(__name__)

Action = Literal["crisis_response", "crisis_checkin", "boundary", "generated", "fallback"]
# What Haven is must be said exactly (an AI, not a clinician, private): never left to a 270M model.
CURATED_INTENTS = frozenset({"about"})


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
            "by_context": self.decision.by_context,
            "boundary": self.decision.boundary,
        }


@dataclass(frozen=True)
class Reply:
    """The answer to one message and how it was made. `note` says why a reply is not the model's own
    (post-check rule, unavailable model) or that it was stopped; it never holds message text.
    `crisis` is the conversation's crisis mode after this message; `resources` are the crisis lines
    whenever they apply (a crisis, crisis mode, a replaced reply), so a window can keep them in view."""

    assessment: Assessment
    action: Action
    text: str
    model: str
    tokens: int = 0
    ms: float = 0.0
    note: str = ""
    stopped: bool = False
    crisis: CrisisMode = field(default_factory=CrisisMode)
    resources: CountryResources | None = None

    @property
    def crisis_mode(self) -> bool:
        return self.crisis.active


def clean_input(text: str) -> str:
    """Text as the models can take it: lone surrogates (from bad UTF-8) become "?"."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


class Engine:
    """Triage, the safety policy, and replies from the reply model (or the curated fallback)."""

    def __init__(self, triage_model: str | None = None, country: str | None = None, threads: int = 2,
                 replies: bool = True, reply_model_path: Path | None = None,
                 reply_model_sha256: str | None = None) -> None:
        self.classifier = TriageModel(triage_model, threads=threads)
        self.country = country
        self.reply_model: ReplyModel | None = None
        self.reply_error = "" if replies else "replies are turned off"
        if replies:
            try:
                self.reply_model = ReplyModel(reply_model_path, reply_model_sha256, threads=threads)
            except ReplyModelError as exc:
                self.reply_error = str(exc)
                log.warning("reply model unavailable, using curated replies: %s", exc)
        self._lock = threading.Lock()  # one reply at a time: llama.cpp's state is one conversation

    @property
    def reply_model_name(self) -> str:
        return self.reply_model.info.name if self.reply_model else "fallback"

    def assess(self, text: str, context: Context = NO_CONTEXT) -> Assessment:
        text = clean_input(text)
        result = self.classifier.classify(text)
        return Assessment(result, assess(result, text, context))

    def respond(self, text: str, history: Sequence[Turn] = (), context: Context = NO_CONTEXT,
                on_text: Callable[[str], None] | None = None, stop: threading.Event | None = None,
                variant: int = 0) -> Reply:
        """Triage `text` in its context, then a fixed reply (crisis response, check-in, boundary), a generated
        reply, or the curated one."""
        text = clean_input(text)
        assessment = self.assess(text, context)
        reply = self._answer(assessment, [*history, Turn("user", text, assessment.decision.intent,
                                                          assessment.decision.risk)], context, on_text, stop, variant)
        if on_text is not None and reply.action != "generated":
            on_text(reply.text)
        decision = assessment.decision
        crisis = mode_after(context.crisis, text, decision.is_crisis, decision.intent, assessment.triage.risk_scores["crisis"],
                            context.assistant)
        lines_apply = crisis.active or (reply.note.startswith("post-check") and reply.action == "fallback")
        return replace(reply, crisis=crisis, resources=resources_for(self.country) if lines_apply else None)

    def _answer(self, assessment: Assessment, turns: list[Turn], context: Context,
                on_text: Callable[[str], None] | None, stop: threading.Event | None, variant: int) -> Reply:
        decision = assessment.decision
        if decision.is_crisis and context.crisis.active:
            return Reply(assessment, "crisis_checkin", crisis_checkin(decision, context.crisis.checkins, self.country), "fixed")
        if decision.is_crisis:
            return Reply(assessment, "crisis_response", crisis_response(decision, self.country), "fixed")
        if decision.boundary:
            return Reply(assessment, "boundary", boundary_reply(decision.boundary), "fixed", note=f"boundary: {decision.boundary}")
        if self.reply_model is None:
            return Reply(assessment, "fallback", fallback_reply(decision.intent), "fallback", note=self.reply_error)
        if decision.intent in CURATED_INTENTS:
            return Reply(assessment, "fallback", fallback_reply(decision.intent), "curated", note="curated intent")
        with self._lock:
            return self._generate(assessment, turns, on_text, stop, variant)

    def _generate(self, assessment: Assessment, turns: list[Turn], on_text: Callable[[str], None] | None,
                  stop: threading.Event | None, variant: int) -> Reply:
        model = self.reply_model
        assert model is not None
        started = time.perf_counter()
        text, shown, rule = "", 0, None
        for piece in model.stream(turns, stop, variant):
            text = (text + piece).lstrip()
            rule = unsafe_rule(text)
            if rule:
                break
            safe_until = max(shown, len(text) - HOLDBACK)
            if on_text is not None and safe_until > shown:
                on_text(text[shown:safe_until])
                shown = safe_until
        ms = (time.perf_counter() - started) * 1000
        tokens = len(model.last_tokens)
        if rule:
            log.info("post-check replaced a generated reply (rule %s)", rule)
            if rule in BOUNDARY_OF_RULE:
                return Reply(assessment, "boundary", boundary_reply(BOUNDARY_OF_RULE[rule]), model.info.name, tokens, ms,
                             f"post-check: {rule}")
            replacement = post_check_replacement(self.country)
            return Reply(assessment, "fallback", replacement, model.info.name, tokens, ms, f"post-check: {rule}")
        stopped = stop is not None and stop.is_set()
        final = text.rstrip()
        if not final:
            return Reply(assessment, "fallback", fallback_reply(assessment.decision.intent), model.info.name, tokens, ms,
                         "stopped" if stopped else "empty generation", stopped)
        if tokens >= model.sampling.max_tokens and not stopped and not final.endswith((".", "!", "?")):
            final += "…"  # cut by the length cap
        model.remember(final, model.last_tokens)
        if on_text is not None and len(final) > shown:
            on_text(final[shown:])
        return Reply(assessment, "generated", final, model.info.name, tokens, ms, "stopped" if stopped else "", stopped)

