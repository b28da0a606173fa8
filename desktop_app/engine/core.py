"""The Engine: triage, the safety policy, and replies. What a Session calls for each message.

Everything here is plain Python and blocking; the UI runs it on worker threads. A reply
streams through `on_text` (pieces already passed by the post-check) and stops between
tokens when `stop` is set.

A message is judged in its conversation (`Context`). A crisis gets the fixed crisis response,
and the conversation enters crisis mode; while it lasts, a crisis or an ambiguous reply gets a
fixed check-in, and any other reply carries the crisis lines as data (`Reply.resources`). A
request for a diagnosis or medication advice gets a fixed boundary reply. Only the rest reaches
the reply model.

The config is a frozen value. The country and the triage model change only through `set_country`
and `set_triage_model`, which are safe to call from any thread while a reply is being written: a
message is judged wholly with the classifier and country it started with.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop_app.engine.config import EngineConfig
from desktop_app.engine.messages import Action, Origin, Triage
from desktop_app.engine.replies.cards import Card, CardIndex, asks_for_help
from desktop_app.engine.replies.fixed import boundary_reply, fallback_reply, post_check_replacement
from desktop_app.engine.replies.model import ReplyModel, ReplyModelError, Sampling
from desktop_app.engine.replies.post_check import BOUNDARY_OF_RULE, Screen
from desktop_app.engine.replies.prompt import Turn
from desktop_app.engine.resources import CountryResources, resources_for
from desktop_app.engine.triage.classifier import TriageModel, TriageResult
from desktop_app.engine.triage.context import NO_CONTEXT, Context, CrisisMode, mode_after
from desktop_app.engine.triage.phrases import LazyPattern
from desktop_app.engine.triage.safety import Decision, assess, crisis_checkin, crisis_response

log = logging.getLogger(__name__)

# What Haven is must be said exactly (an AI, not a clinician, private): never left to a 270M model.
CURATED_INTENTS = frozenset({"about"})


@dataclass(frozen=True)
class Assessment:
    """Triage of one message: the classifier's view and the safety policy's decision."""

    triage: TriageResult
    decision: Decision

    def labels(self) -> Triage:
        """What is stored with the message and shown to a clinician."""
        decision = self.decision
        return Triage(decision.intent, decision.risk, self.triage.scores, self.triage.risk_scores, tuple(decision.reasons),
                      decision.by_context, decision.boundary)

    def as_dict(self) -> dict[str, Any]:
        return {**self.labels().as_dict(), "model": self.triage.model}


@dataclass(frozen=True)
class Reply:
    """The answer to one message and how it was made. `note` says why a reply is not the model's own
    (post-check rule, unavailable model) or that it was stopped; it never holds message text.
    `crisis` is the conversation's crisis mode after this message; `resources` are the crisis lines
    whenever they apply (a crisis, crisis mode, a replaced reply), so a window can keep them in view; `card`
    is the card a grounded reply follows, so a window can show it."""

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
    card: Card | None = None  # the coping or information card a generated reply is grounded on

    @property
    def crisis_mode(self) -> bool:
        return self.crisis.active

    def origin(self) -> Origin:
        return Origin(self.action, self.note, self.resources.code if self.resources else None)


@dataclass(frozen=True)
class EngineInfo:
    """What the engine runs with, for a status line and the self-test. `reply_error` says why the
    curated replies answer instead of a reply model ("" when the model is loaded)."""

    triage_model: str
    reply_model: str
    adapter: str | None
    reply_error: str
    country: str
    reply_sha256: str = ""
    temperature: float | None = None
    max_tokens: int | None = None

    def describe(self) -> str:
        replies = f"{self.reply_model} + {self.adapter}" if self.adapter else self.reply_model
        if self.reply_error:
            replies = f"curated replies ({self.reply_error})"
        return f"triage {self.triage_model}; replies: {replies}; crisis lines: {self.country}"


def clean_input(text: str) -> str:
    """Text as the models can take it: lone surrogates (from bad UTF-8) become "?"."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def _sampling(config: EngineConfig) -> Sampling:
    """The evaluated defaults, with what the config sets instead."""
    default = Sampling()
    return replace(default, seed=default.seed if config.seed is None else config.seed,
                   temperature=default.temperature if config.temperature is None else config.temperature,
                   max_tokens=default.max_tokens if config.max_tokens is None else config.max_tokens)


def _load_reply_model(config: EngineConfig) -> tuple[ReplyModel | None, str]:
    """The reply model, or None and why not."""
    if not config.replies:
        return None, "replies are turned off"
    try:
        return ReplyModel(config.reply_model_path, config.reply_model_sha256, threads=config.threads, sampling=_sampling(config)), ""
    except ReplyModelError as exc:
        log.warning("reply model unavailable, using curated replies: %s", exc)
        return None, str(exc)


class Engine:
    """Triage, the safety policy, and replies from the reply model (or the curated fallback)."""

    def __init__(self, config: EngineConfig | None = None) -> None:
        config = config or EngineConfig()
        self._classifier = TriageModel(config.triage_model, threads=config.threads)
        LazyPattern.compile_all()  # now, while loading, rather than at the first message that needs a rule
        self._config = replace(config, triage_model=self._classifier.name)
        self._reply_model, self._reply_error = _load_reply_model(config)
        self._settings_lock = threading.Lock()  # guards the config and the classifier while they are swapped
        self._generating = threading.Lock()  # one reply at a time: llama.cpp's state is one conversation
        self._cards = CardIndex()

    @property
    def config(self) -> EngineConfig:
        with self._settings_lock:
            return self._config

    @property
    def reply_model(self) -> ReplyModel | None:
        return self._reply_model

    def set_country(self, code: str) -> None:
        """Crisis lines for another country, from the next message on."""
        with self._settings_lock:
            self._config = replace(self._config, country=code.upper())

    def set_triage_model(self, name: str) -> None:
        """Judge the next messages with another classifier; the reply model and every conversation stay.
        Loads the classifier first (blocking): a TriageModelError leaves the engine as it was."""
        classifier = TriageModel(name, threads=self._config.threads)
        with self._settings_lock:
            self._classifier = classifier
            self._config = replace(self._config, triage_model=classifier.name)

    def set_reply_model(self, path: Path | None, sha256: str | None = None) -> None:
        """Reply with another Gemma-family GGUF (None: the embedded model), refused unless it has `sha256`
        when one is given. Loads it first (blocking), then swaps it in between replies; a ReplyModelError
        leaves the engine as it was. Triage, the country and every conversation stay."""
        config = replace(self.config, reply_model_path=path, reply_model_sha256=sha256, replies=True)
        model = ReplyModel(path, sha256, threads=config.threads, sampling=_sampling(config))
        with self._generating, self._settings_lock:
            old, self._reply_model, self._reply_error = self._reply_model, model, ""
            self._config = replace(self._config, reply_model_path=path, reply_model_sha256=sha256, replies=True)
        if old is not None:
            old.close()

    def set_generation(self, temperature: float | None, max_tokens: int | None) -> None:
        """How first replies are drawn from the next reply on (None: the evaluated default)."""
        with self._generating, self._settings_lock:
            self._config = replace(self._config, temperature=temperature, max_tokens=max_tokens)
            if self._reply_model is not None:
                chosen = _sampling(self._config)
                self._reply_model.sampling = replace(self._reply_model.sampling, temperature=chosen.temperature,
                                                     max_tokens=chosen.max_tokens)

    def info(self) -> EngineInfo:
        config = self.config
        model = self._reply_model
        if model is None:
            return EngineInfo(config.triage_model or "", "fallback", None, self._reply_error, config.country)
        return EngineInfo(config.triage_model or "", model.info.name, model.info.adapter, "", config.country, model.info.sha256,
                          model.sampling.temperature, model.sampling.max_tokens)

    def _current(self) -> tuple[TriageModel, str]:
        with self._settings_lock:
            return self._classifier, self._config.country

    def assess(self, text: str, context: Context = NO_CONTEXT) -> Assessment:
        return self._assess(self._current()[0], clean_input(text), context)

    @staticmethod
    def _assess(classifier: TriageModel, text: str, context: Context) -> Assessment:
        result = classifier.classify(text)
        return Assessment(result, assess(result, text, context))

    def respond(self, text: str, history: Sequence[Turn] = (), context: Context = NO_CONTEXT,
                on_text: Callable[[str], None] | None = None, stop: threading.Event | None = None,
                variant: int = 0) -> Reply:
        """Triage `text` in its context, then a fixed reply (crisis response, check-in, boundary), a generated
        reply, or the curated one."""
        classifier, country = self._current()
        text = clean_input(text)
        assessment = self._assess(classifier, text, context)
        card = self._card_for(text, assessment)
        turn = Turn("user", text, assessment.decision.intent, assessment.decision.risk, card.prompt if card else "")
        reply = self._answer(assessment, [*history, turn], context, country, on_text, stop, variant)
        if reply.action == "generated" and card is not None:
            reply = replace(reply, text=f"{reply.text}\n\n{card.attribution}", card=card)
            if on_text is not None:
                on_text(f"\n\n{card.attribution}")
        if on_text is not None and reply.action != "generated":
            on_text(reply.text)
        decision = assessment.decision
        crisis = mode_after(context.crisis, text, decision.is_crisis, decision.intent, assessment.triage.risk_scores["crisis"],
                            context.assistant)
        lines_apply = crisis.active or (reply.note.startswith("post-check") and reply.action == "fallback")
        return replace(reply, crisis=crisis, resources=resources_for(country) if lines_apply else None)

    def _card_for(self, text: str, assessment: Assessment) -> Card | None:
        """The card a message asking for a skill or information is answered from (never for a crisis or a boundary)."""
        decision = assessment.decision
        if decision.is_crisis or decision.boundary or self._reply_model is None or not asks_for_help(text, decision.intent):
            return None
        return self._cards.best(text)

    def _answer(self, assessment: Assessment, turns: list[Turn], context: Context, country: str,
                on_text: Callable[[str], None] | None, stop: threading.Event | None, variant: int) -> Reply:
        decision = assessment.decision
        if decision.is_crisis and context.crisis.active:
            return Reply(assessment, "crisis_checkin", crisis_checkin(decision, context.crisis.checkins, country), "fixed")
        if decision.is_crisis:
            return Reply(assessment, "crisis_response", crisis_response(decision, country), "fixed")
        if decision.boundary:
            return Reply(assessment, "boundary", boundary_reply(decision.boundary), "fixed", note=f"boundary: {decision.boundary}")
        if self._reply_model is None:
            return Reply(assessment, "fallback", fallback_reply(decision.intent), "fallback", note=self._reply_error)
        if decision.intent in CURATED_INTENTS:
            return Reply(assessment, "fallback", fallback_reply(decision.intent), "curated", note="curated intent")
        with self._generating:
            return self._generate(self._reply_model, assessment, turns, country, on_text, stop, variant)

    @staticmethod
    def _generate(model: ReplyModel, assessment: Assessment, turns: list[Turn], country: str,
                  on_text: Callable[[str], None] | None, stop: threading.Event | None, variant: int) -> Reply:
        started = time.perf_counter()
        text, shown, rule, screen = "", 0, None, Screen()
        for piece in model.stream(turns, stop, variant):
            text = (text + piece).lstrip()
            rule = screen.unsafe_rule(text)
            if rule:
                break
            safe_until = max(shown, screen.visible(text))
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
            return Reply(assessment, "fallback", post_check_replacement(country), model.info.name, tokens, ms, f"post-check: {rule}")
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
