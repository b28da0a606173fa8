"""The post-check on every generated reply: no method or lethality information, no encouragement of harm,
no diagnosis and no medication advice.

It runs on the text as it grows (`Screen`), so a reply is stopped the moment a rule matches. Streaming
shows the text only up to where a rule could still match as it grows (the start of the earliest
partial match), so no part of a matched phrase is ever shown before the reply is replaced, while
safe text shows at once. Rules report their id, never the matched text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from desktop_app.engine.triage.boundaries import MEDICINE
from desktop_app.engine.triage.phrases import LazyPattern, any_of

_DRUG = (r"(?:pills?|tablets?|meds|medications?|paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|insulin|"
         r"opioids?|fentanyl|heroin|oxy\w*|morphine|benzos?|xanax|valium|diazepam|sleeping pills|antidepressants?|"
         r"lithium|digoxin|warfarin)")
_POISON = (r"(?:carbon monoxide|exhaust fumes|charcoal|helium|nitrogen|bleach|antifreeze|pesticides?|"
           r"weed ?killer|cyanide|arsenic|rat poison|drain cleaner|ammonia|paint thinner|chlorine gas)")
_SELF = r"(?:yourself|your ?self|your life|themselves|himself|herself|oneself|myself)"
_DIAGNOSIS = (r"(?:clinical depression|major depress\w*|(?:generali[sz]ed |social )?anxiety disorder|panic disorder|adhd|add\b|autis\w*|"
              r"asperger\w*|bipolar|bpd|borderline personality|ocd|c-?ptsd|ptsd|schizo\w*|psychosis|anorexia|bulimia|eating disorder|"
              r"insomnia|dysthymia|cyclothymia|seasonal affective disorder|postpartum depression|postnatal depression|dementia|"
              r"alzheimer\w*|\w+ disorder|\w+ syndrome)")
_OTHER = r"(?:him|her|them|someone|somebody|people|others|that person|your (?:\w+ )?(?:boss|ex|partner|family|wife|husband))"


class GrowingPattern(LazyPattern):
    """A rule pattern compiled with the `regex` module, whose partial matches say where a match could still begin
    as text grows. Like every LazyPattern it is compiled while the engine loads, not at the first reply."""

    @cached_property
    def compiled(self) -> Any:  # a regex-module pattern: the same search API, and partial matches
        import regex  # imported with the engine's models, not with the window

        return regex.compile(self.source, regex.I | regex.V0)


@dataclass(frozen=True)
class UnsafeRule:
    id: str
    pattern: LazyPattern


def _rule(rule_id: str, *alternatives: str) -> UnsafeRule:
    return UnsafeRule(rule_id, any_of(*alternatives, kind=GrowingPattern))


RULES: Final[tuple[UnsafeRule, ...]] = (
    _rule("method.dose", r"(?:lethal|fatal|deadly|toxic|overdose|killing) (?:dose|amount|quantity|level|threshold)s?\b",
          rf"\d+\s*(?:mg|milligrams?|g|grams?|ml|units?)\b.{{0,30}}\b{_DRUG}", rf"\d+\s*(?:or more )?{_DRUG}\b",
          rf"(?:enough|how many|how much|a (?:whole|full) (?:bottle|box|pack) of) {_DRUG}",
          rf"{_DRUG} (?:to|that would|will|would|can|could) (?:kill|end|stop your heart|be fatal)",
          rf"{_DRUG}\b.{{0,40}}\b(?:toxic\w*|overdos\w*|doses?|dosage|amounts?|levels?)\b",
          rf"(?:toxic\w*|overdos\w*|doses?|dosage|amounts?|levels?) (?:\w+ ){{0,3}}(?:of )?{_DRUG}"),
    # A supportive listener has no reason to name poisons or gases: any mention is replaced.
    _rule("method.substance", _POISON, r"(?:poisonous|toxic|deadly|lethal|fatal) (?:enough|to (?:drink|swallow|inhale))",
          r"(?:household )?chemicals? (?:that are|which are|are) (?:poisonous|toxic|deadly|lethal)"),
    _rule("method.means", r"\bnoose\b", r"(?:tie|tying|make|making) a (?:noose|ligature)", r"\bligature points?\b",
          r"(?:hang|hanging) (?:yourself|oneself|from)", r"(?:slit|slitting|cut|cutting) (?:your |the |my )?(?:wrists?|veins?|throat|arteries)",
          r"(?:across|along|down) the (?:wrist|vein|artery)", r"(?:deep|deeper|depth) (?:cuts?|enough)",
          rf"(?:inhale|inhaling|breathe|breathing|drink|drinking|swallow|swallowing|mix|mixing) (?:some |the )?{_POISON}",
          rf"{_POISON} (?:poisoning|in (?:a|the|your) (?:car|garage|room|tent))",
          r"(?:jump|jumping|fall|falling) (?:off|from) (?:a|the) (?:bridge|building|roof|cliff|balcony|height)",
          r"(?:high|tall) enough to (?:kill|be fatal|die)", r"(?:floors?|storeys?|stories|metres|meters|feet) (?:high |up )?(?:is|are|would be) (?:enough|fatal|lethal)",
          r"(?:in front of|under) (?:a|the) (?:train|bus|truck|car)\b.{0,20}\b(?:would|will|to)\b",
          r"(?:load|loading|point|pointing|aim|aiming) (?:a|the) (?:gun|firearm|pistol|rifle)",
          rf"(?:shoot|shooting) {_SELF}", r"(?:most|least|less) painful (?:way|method)", r"painless (?:way|method)s?",
          r"(?:quickest|fastest|easiest|surest|best|most effective|most reliable) (?:way|method)s? to (?:die|kill|end)",
          rf"how to (?:kill|hurt|harm|cut|poison|hang|overdose|end) (?:{_SELF}|{_OTHER}|it all)",
          r"(?:step|steps) (?:one|two|1|2)\b.{0,40}\b(?:kill|die|overdose|cut|hang)"),
    _rule("harm.encourage", rf"(?:you should|you could|go ahead and|why don'?t you|you deserve to|just) (?:kill|hurt|harm|cut|end|punish) {_SELF}",
          r"(?:you should|you could|go ahead and|why don'?t you|you deserve to|just) (?:die|end it)\b",
          r"(?:better off|be better) (?:dead|without you)", r"(?:no one|nobody) would (?:miss|care about) you",
          r"(?:the world|everyone|they) would be better (?:off )?without you", r"you (?:should|deserve to) (?:suffer|disappear|not exist)",
          r"(?:suicide|self-harm|cutting) (?:is|would be|could be) (?:a |the )?(?:good|right|valid|reasonable|best) (?:option|choice|idea|answer|way)"),
    _rule("harm.others", rf"(?:you should|you could|go ahead and|why don'?t you|just) (?:kill|hurt|harm|hit|attack|poison|stab|punch) {_OTHER}",
          rf"how to (?:kill|hurt|harm|hit|attack|poison|stab) {_OTHER}", rf"{_OTHER} (?:deserves?|deserved) to (?:die|be hurt|suffer)"),
    # Haven does not diagnose or advise on medication: a reply that does is replaced by the boundary reply.
    _rule("medical.diagnosis", rf"(?:you|he|she|they) (?:probably |definitely |clearly |might |may |could )?(?:have|has|are suffering from|"
          rf"are showing signs of) (?:\w+ ){{0,2}}{_DIAGNOSIS}",
          rf"(?:it|this|that|these|what you describe) (?:sounds?|seems?|looks?|is|are) (?:\w+ ){{0,2}}(?:like )?(?:a |an )?(?:classic |textbook |"
          rf"clear |typical )?(?:case of |signs? of |symptoms? of )?{_DIAGNOSIS}", r"(?:you|he|she|they) (?:are|is|'re|'s) (?:probably |definitely |"
          r"clearly )?(?:bipolar|autistic|depressed|anorexic|bulimic|psychotic|a narcissist|borderline|an alcoholic|an addict)",
          r"my diagnosis (?:is|would be)", r"i(?:'d| would) diagnose",
          r"(?:you|he|she|they) (?:probably |definitely |clearly |might |may |could )?(?:have|has|'ve got|are suffering from) "
          r"(?:clinical |severe |major |mild )?(?:depression|anxiety)\b(?! about| around| when| before)"),
    _rule("medical.medication", rf"(?:you|he|she|they) (?:should|could|can|might want to|need to|must) (?:\w+ )?(?:take|try|start|stop|quit|"
          rf"increase|decrease|double|halve|skip|reduce|raise|lower|switch to|switch|come off|go off|mix) (?:\w+ ){{0,3}}(?:{MEDICINE}|dose|dosage)",
          rf"(?:i|i'd|i would) (?:recommend|suggest|advise) (?:\w+ ){{0,3}}{MEDICINE}", r"(?:it'?s|it is|that'?s|that is) (?:\w+ )?(?:safe|fine|ok|okay|"
          r"alright) to (?:take|mix|drink|stop|combine|double|skip|come off)", r"\d+ ?(?:mg|milligrams?|ml|mcg)\b",
          rf"(?:{MEDICINE}) (?:is|are|would be|works?) (?:\w+ )?(?:better|best|a good (?:choice|option)|the right choice|safe (?:to|with))"),
)

# What a replaced reply becomes: the boundary reply for these rules, the crisis lines for the rest.
BOUNDARY_OF_RULE: Final = {"medical.diagnosis": "diagnosis", "medical.medication": "medication"}


_WHITESPACE = re.compile(r"\s+")


class Screen:
    """The post-check over one reply as it grows: call `unsafe_rule`, then `visible`, with the whole text so far.

    No match can begin before the earliest place where one could still begin at the previous check, so each
    check reads only the text from there on: a reply costs about the same to check at its end as at its
    start."""

    def __init__(self) -> None:
        self._from = 0  # in the whitespace-normalised text
        self._last: tuple[str, tuple[str, list[int]]] = ("", ("", []))

    def _normalised(self, text: str) -> tuple[str, list[int]]:
        if self._last[0] != text:
            self._last = (text, _normalised_with_offsets(text))
        return self._last[1]

    def unsafe_rule(self, text: str) -> str | None:
        """The id of the first rule the text breaks, or None."""
        normalised, _starts = self._normalised(text)
        return next((rule.id for rule in RULES if rule.pattern.compiled.search(normalised, self._from)), None)

    def visible(self, text: str) -> int:
        """How much of the text (with no full match) may be shown: all of it, or up to the start of the earliest
        place where a rule could still match once more text arrives."""
        normalised, starts = self._normalised(text)
        match = _ANY_RULE.compiled.search(normalised, self._from, partial=True)
        self._from = match.start() if match is not None else len(normalised)
        return starts[self._from] if self._from < len(normalised) else len(text)


_ANY_RULE: Final = GrowingPattern("|".join(f"(?:{rule.pattern.source})" for rule in RULES))  # where the earliest match could begin


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """The text with runs of whitespace as one space (as the rules read it; none at the start), and where each
    of its characters starts in `text`."""
    pieces: list[str] = []
    starts: list[int] = []
    done = 0
    for run in _WHITESPACE.finditer(text):
        pieces.append(text[done:run.start()])
        starts.extend(range(done, run.start()))
        if starts:
            pieces.append(" ")
            starts.append(run.start())
        done = run.end()
    pieces.append(text[done:])
    starts.extend(range(done, len(text)))
    return "".join(pieces), starts


def unsafe_rule(text: str) -> str | None:
    """The id of the first rule a whole reply breaks, or None when it is safe to show."""
    return Screen().unsafe_rule(text)
