"""Conversation-aware risk: what a message means after what the person said before it.

Many crises show only across messages: "yes" after "I don't want to be here", a time after talk
of a plan, "I've got them" after talk of dying. A message is judged alone first (classifier and
phrase rules); the rules here, then a small learned model, may raise it to crisis because of its
conversation, and never lower it.

Two strengths of context, chosen so a harmless conversation that uses the same words stays calm:

- **Risk context**: the conversation is in crisis mode (a crisis earlier, not yet followed by
  SAFE_TURNS_TO_END safe messages), or the assistant's last message asked about suicide or
  self-harm. Any reply to a crisis response (or to another offer of crisis help, or a message
  written before any reply) that does not clearly say the person is safe is a crisis (it gets a
  check-in). Later, or after an assistant that did not answer the crisis as one (a conversation
  brought from elsewhere), a short affirmation or ambiguous reply, a time,
  readiness, means, preparations, refusal of help, self-harm escalation or danger from someone is
  a crisis, and so is a classifier crisis score at RISK_CONTEXT_THRESHOLD. A clear statement of
  safety, of reaching out or of being well now after a hard time (and, after talk of hurting someone or of
  being hurt, of getting away or everyone being unhurt) is never raised, unless it also says the
  person is decided, turns help away or arranges things for after their death.
- **Low-mood context**: a recent message spoke of hopelessness, being a burden, self-harm or
  being hurt by someone (the last two even told as past), without being a crisis; or the crisis mode is not firm (its crisis was
  about the past, a denial, or only the classifier's less than certain word). Then only specific
  signs are raised: preparations for after one's death, self-harm escalation, danger from that
  person, or a classifier crisis score at LOW_MOOD_THRESHOLD.
- **After talk of dying, even as past**: a message saying it is still there or back ("still want
  to", "it never went away"), or that the person has settled on what to do, is a crisis.

When no rule raises a message, the context model (`context_model.py`) may: it reads the message
with the recent user messages, for the many words the rules do not list. In a firm crisis mode, before
any safe message, its threshold is CRISIS_MODE_MODEL_THRESHOLD: a crisis is far likelier there (not after
a crisis told as past, denied or told of someone else).

Every raise names its rule in the decision's reasons (never message text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

from desktop_app.engine.resources import crisis_texts
from desktop_app.engine.triage.context_model import shipped_context_model
from desktop_app.engine.triage.labels import CRISIS_INTENTS
from desktop_app.engine.triage.phrases import LazyPattern, any_of, normalise, past_only, scan

SAFE_TURNS_TO_END: Final = 3
RECENT_USER_MESSAGES: Final = 4
RISK_CONTEXT_THRESHOLD: Final = 0.25
FIRM_SCORE: Final = 0.5
LOW_MOOD_THRESHOLD: Final = 0.4
SHORT_WORDS: Final = 4  # a reply this short after a risk turn is ambiguous unless it says the person is safe
TIME_WORDS: Final = 10  # a time in a message this short answers "when"
# In crisis mode a crisis is far likelier than among the controls the model's own threshold is set on (3% flagged).
# On the development conversations of the first nine briefs with out-of-fold model scores (recall / false alarms): the model's threshold
# 94.5% / 14.7%, 0.3 96.1% / 16.5%, 0.4 96.0% / 15.5%, 0.5 95.5% / 15.2%.
CRISIS_MODE_MODEL_THRESHOLD: Final = 0.4


@dataclass(frozen=True)
class CrisisMode:
    """Whether a conversation is in crisis mode, since which crisis intent, and how far out of it.

    A crisis decision starts (or restarts) it; SAFE_TURNS_TO_END messages in a row that are not a
    crisis, each judged with its context, end it; so does the person (`ended`). `firm` says a crisis
    in it speaks of the present in plain words (`is_firm_crisis`); only then do ambiguous replies
    count as a crisis, and any reply to the crisis response that does not say the person is safe."""

    active: bool = False
    intent: str = ""
    safe_turns: int = 0
    checkins: int = 0  # check-ins already given in this crisis mode, so the next one can vary
    firm: bool = False

    def after(self, is_crisis: bool, intent: str = "", firm: bool = True, about_past: bool = False) -> CrisisMode:
        """The mode after a message. A safe message that speaks of the past ("that was years ago, I'm
        well now") makes the mode no longer firm: the crisis before it was a story, not the present."""
        if is_crisis:
            return CrisisMode(True, intent, 0, self.checkins + 1 if self.active else 0, firm or (self.active and self.firm))
        if not self.active:
            return self
        safe_turns = self.safe_turns + 1
        if safe_turns >= SAFE_TURNS_TO_END:
            return CrisisMode()
        return replace(self, safe_turns=safe_turns, firm=self.firm and not about_past)

    def ended(self) -> CrisisMode:
        return CrisisMode()


@dataclass(frozen=True)
class PriorMessage:
    """A user message before the one being judged, with how it was judged."""

    text: str
    intent: str
    risk: str
    crisis_score: float = 0.0


@dataclass(frozen=True)
class Context:
    """What a message is judged with: recent user messages (oldest first), the assistant's last
    message, and the crisis mode the conversation is in."""

    recent: tuple[PriorMessage, ...] = ()
    assistant: str = ""
    crisis: CrisisMode = CrisisMode()


NO_CONTEXT: Final = Context()


@dataclass(frozen=True)
class ContextRaise:
    """A context rule that made a message a crisis."""

    rule: str
    intent: str
    reason: str


# ------------------------------------------------------------------ what the assistant asked

_ASKS_ABOUT_RISK = any_of(
    r"(?:thoughts?|thinking|think) (?:of|about) (?:suicide|ending|killing|hurting|harming|taking|not being|not wanting|wanting to die|dying|"
    r"not living|not waking)", r"(?:don'?t|do not|not) want(?:ing)? to (?:be here|be alive|live|exist|wake up|be a person|be around)",
    r"(?:want|wanting|wish|plan|planning|intend\w*) (?:to )?(?:die|end|kill|hurt|harm|take your)",
    r"(?:suicid\w*|end your life|kill yourself|hurt yourself|harm yourself|self-?harm\w*)\W*(?:\w+\W+){0,6}\?",
    r"(?:do|have) you (?:have|got|made) (?:a (?:plan|way|method)|the means|access|anything)", r"(?:a way|how) (?:you would|you'?d|to) do it",
    r"(?:have|did) you (?:hurt|harm|cut) yourself", r"(?:had|have|having|get|getting|felt|feel|feeling) (?:any )?(?:urges?|those thoughts|thoughts like that)",
    r"do you still (?:have|get|feel|think)", r"(?:thinking of|thinking about|planning|plan|going to|intend\w* to) (?:doing|do) it\b", r"(?:do|have) you (?:have|got) (?:what you(?:'d| would)? need|the things|something to)",
)
_ASKS_ABOUT_SAFETY = any_of(r"are you (?:\w+ )?(?:safe|somewhere safe|okay right now|ok right now)",
                          r"are you (?:\w+ )?(?:doing )?(?:okay|ok|alright|all right)(?: now| right now| today| tonight| these days| at the moment)?\?", r"is (?:everyone|everybody) (?:\w+ )?safe",
                          r"is there (?:an adult|anyone|someone|somebody|a friend) (?:\w+ ){0,3}(?:nearby|with you|around|near you|you (?:can|could) (?:call|tell|go to|trust|reach))",
                          r"(?:is|are) (?:he|she|they) (?:still )?there", r"can you get (?:somewhere )?safe")


_OFFERS_HELP = any_of(r"crisis (?:line|team|service|text)", r"(?:help|hot|life|support) ?line", r"emergency", r"samaritans", r"police",
                      r"ambulance", r"(?:988|999|911|112|111|000|a&e|a and e)\b", r"(?:the|an|to) er\b", r"urgent care")
_ASKS_ABOUT_WORSENING = any_of(r"more (?:often|than before|serious|and more)", r"worse", r"deeper", r"getting (?:more|harder|bigger)")
_ASKS_ABOUT_DANGER = any_of(r"(?:is|are) (?:he|she|they) (?:still )?(?:there|home|with you|around|coming|nearby|back|drinking|angry)",
                            r"alone with (?:him|her|them)")


def _last_question(assistant: str) -> str:
    questions = re.findall(r"[^.?!\n]*\?", normalise(assistant))
    return questions[-1] if questions else ""


# ------------------------------------------------------------------ how the person answers

_AFFIRMATION = re.compile(
    r"^(?:(?:yes|yeah|yea|yep|yup|ya|yah|ye|y|ok|okay|k|mhm+|mm+|uh huh|sure|true|right|correct|exactly|honestly|"
    r"i guess|i think so|guess so|probably|maybe|perhaps|kind of|kinda|sort of|sorta|pretty much|basically|a bit|"
    r"a little|a lot|lots|sometimes|often|always|constantly|all the time|every day|everyday|every night|daily|"
    r"most days|more and more|more than ever|lately|recently|for a while|i do|i am|i have|i did|i will|it is|"
    r"i don'?t know|idk|dunno|not sure|whatever|does it matter|doesn'?t matter|so|why|nothing|no one|nobody|"
    r"same|still|again|too|yes i do|yes i am|yes i have|i really do|i really am)\W*)+$"
)
_YES = re.compile(r"^(?:yes|yeah|yea|yep|yup|ya|yh|y|i am|i'?m (?:safe|ok|okay|alright|fine|good|home|at home)|safe|i think i am)\b")
_UNSURE = re.compile(r"^(?:i don'?t know|idk|dunno|not sure|maybe|kind of|kinda|sort of|i guess|i think so|probably|for now|right now yes|"
                     r"ish|sort of|hard to say|define safe)\b")
_DENIAL = re.compile(r"^(?:no|nope|nah|not really|not at all|no i'?m not|no i don'?t|no,? (?:just|only|i'?m)|i'?m not|of course not|never|"
                     r"not (?:for|in) (?:years|ages|a long time|months|a while|a long while)|not any ?more|not since|not lately|god no)\b")
_NEGATED_SAFETY = any_of(r"(?:not|n'?t|never|no longer|hardly) (?:feel |feeling |really |very |that |so )?(?:safe|ok|okay|fine|alright)",
                       r"(?:no one|nobody|noone|no-one)(?:'s| is)? (?:\w+ )?(?:with me|here|home|around|coming|knows)",
                       r"(?:won'?t|will not|not going to|can'?t|cannot|don'?t want to) (?:call|text|ring|talk|tell|reach|go|stay)")
# Means handed to someone or back ("gave my blades to my mum"): safety, though "gave my ... to" is also a preparation.
_HANDING_MEANS_OVER: Final = (r"(?:took|take|taking|handed|gave|give|giving|brought|returned) (?:\w+ ){0,3}(?:pills|meds|tablets|medication|"
                              r"prescriptions?|gun|rifle|knife|knives|blades?|razors?|rope|car keys|keys) (?:\w+ ){0,3}"
                              r"(?:back|to (?:my|the|a|his|her|their)|in\b(?! (?:one|a|an|the|my|few)\b))|"
                              r"(?:holding onto|holding on to|keeping|looking after|locked (?:up|away)) (?:all )?(?:my|the|those) "
                              r"(?:pills|meds|tablets|medication|blades?|razors?)")
_HANDS_MEANS_OVER = any_of(_HANDING_MEANS_OVER)
# Someone who can be with the person: family (also in Tagalog words), friends, carers and professionals.
_SUPPORTER: Final = (r"(?:friend|mate|buddy|pal|bestie|bff|sister|sis|brother|bro|mum|mom|mam|mama|mother|dad|papa|father|parents?|"
                     r"partner|husband|wife|girlfriend|boyfriend|fianc\w*|roommate|flatmate|housemate|neighbou?r|aunt\w*|uncle|cousin|"
                     r"nan|nana|nanna|gran\w*|tita|tito|ate|kuya|lola|lolo|pastor|priest|imam|vicar|coach|teacher|sponsor|"
                     r"nurse|doctor|gp|counsell?or|therapist|psych\w*|family|team)")
_SAFE = any_of(
    r"(?:i'?m|i am|im|i feel|feel|feeling|i'?ll be|i will be) (?:\w+ ){0,2}(?:safe|okay now|ok now|alright now|fine now|better|calmer|happy|happier|"
    r"a (?:bit|little) (?:better|calmer|safer)|not going to do anything)",
    r"(?:every day|each day|things|life|everything)(?:'s| is| are|'re|'ve been| have been) (?:\w+ )?(?:better|good|great|easier|brighter)\b",
    r"(?:got|getting|get|found) (?:some |the |real |proper )?help\b", r"(?:called|rang|phoned|texted|messaged) (?:the )?(?:samaritans|lifeline|"
    r"(?:a |the )?(?:help ?line|crisis (?:line|team)|hotline|text line)|\d{3,})", r"keeping me (?:in|safe|overnight)",
    r"^(?:at|in) (?:the |a )?(?:\w+'?s )?(?:hospital|er|a&e|shelter|refuge|police station|crisis (?:house|centre|center)|urgent care)\b",
    r"^(?:at|in) (?:my |our )?\w+'s(?: (?:house|place|flat))?\b",
    r"(?:i'?ll|i will|i'?m going to|im going to|i'?m gonna|gonna|going to|i'?m about to|about to|i can) "
    r"(?:call|text|ring|phone|contact|reach out|talk to|tell|go to|stay with|see|message|wake)",
    r"(?:i )?(?:just )?(?:called|texted|rang|phoned|contacted|messaged|woke) (?:the|a|my|them|him|her)",
    r"(?:told|tell|telling) (?:my |a |the )?(?:\w+ )?(?:everything|how i(?:'m| am)? feel\w*|what'?s (?:going on|happening)|the truth|about (?:it|this|"
    r"how|what|tonight|today|my))",
    r"(?:i'?ve |i have |i |i'?m |i am |im |we |we'?re )(?:just )?(?:talked|spoke|speaking|talking) (?:to|with) (?:the|a|my|them|him|her|someone|somebody)",
    rf"(?:i'?m|i am|im|we'?re|we are) with (?:a|my|the|our) (?:\w+ )?{_SUPPORTER}",
    r"(?:went|go|going|got) (?:\w+ )?to (?:a&e|the er|er|hospital|the hospital|a doctor|the doctor|my gp|the gp|the police|a shelter|a refuge|urgent care|a walk-?in)",
    r"admitted (?:myself|me) (?:to|into)?", r"(?:she|he|they) (?:sat|stayed|is staying|are staying|is sitting|are sitting|stays) with (?:me|us)",
    r"(?:my \w+|someone|a friend|she|he|they)(?:'s| is| are|'re) (?:taking|driving|bringing) (?:me|us)",
    r"(?:reached|reaching) out",
    rf"(?:staying|stay|going|went|heading|driving|made it|got|reached|walked|ran) (?:\w+ )?(?:with|at|to) (?:my|a|the|our) (?:\w+ )?"
    rf"(?:{_SUPPORTER}|hospital|shelter|er|a&e|emergency|clinic|police)",
    rf"(?:my|a|our) (?:\w+ )?{_SUPPORTER}(?: \w+)?(?: is| are|'s|s) (?:\w+ )?(?:here|with me|coming|on (?:his|her|their|the) way|staying)",
    r"(?:someone|somebody|people) (?:is|are) (?:here|with me|coming)", r"here (?:w|with) me\b", r"(?:sending|sent) (?:someone|somebody|an ambulance|help)",
    r"(?:on|stay\w* on) the (?:line|phone) with", r"(?:police|they|the cops) (?:took|arrested|have taken) (?:him|her|them)",
    r"(?:won'?t|will not|not going to|promise (?:i )?(?:won'?t|not to)) (?:do (?:it|anything)|hurt|act on|go through)",
    r"(?<!never )(?<!not )(?<!n't )(?:threw|locked|flushed|got rid of|binned) (?:\w+ ){0,3}(?:away|out)", r"(?:gave|handed|put) (?:it|them|those|these|the lot) (?:\w+ ){0,2}(?:away|to (?:my|a|the))",
    r"(?:on the phone|on a call|chatting|texting) with (?:the|a|my)", rf"(?:texting|messaging|calling|ringing|phoning) (?:my|a|the) (?:\w+ )?{_SUPPORTER}",
    r"(?:police|ambulance|help) (?:is|are) (?:here|coming|on (?:the|their) way)",
    r"(?:i'?m|i am|im|we'?re|we are) (?:at|in) (?:the |a )?(?:\w+'?s )?(?:hospital|er|a&e|shelter|refuge|police station|urgent care|(?:my |our )?\w+'s|my \w+s'|my \w+ (?:house|place|flat))",
    r"(?:made|booked|have|got) (?:an|a) (?:appointment|session)",
    r"(?:she|he|they|we|everyone|everybody|the kids)(?:'s|'re| is| are) (?:\w+ )?safe\b",
    r"(?:^|and |but |feel |feeling |i'?m |i am |im )safer?(?: now| tonight| for now| here)?\b", r"\bsafe na\b", r"(?:i|we) (?:dey|de) safe\b",
    r"(?:estoy|estamos) (?:a salvo|segur[ao]s?)\b",
    r"(?:'s|'re| is| are|stay\w*|sitting|sat|sleeping|lying|staying|be) (?:\w+ ){0,3}(?:with me|next to me|beside me|by my side|here with me)",
    r"(?:not|won'?t be|isn'?t|aren'?t) (?:leaving|going to leave|gonna leave) (?:me|my side)",
    r"(?:sleeping|staying|stopping|sleep|stay) (?:over|the night|at (?:hers|his|theirs|ours|my \w+'s))",
    r"(?:came|come|coming|drove|driving|picking|pick) (?:round|over|to get me|me up|to pick me up|me to (?:the|my) (?:hospital|gp|doctor))",
    r"knows? (?:everything|what'?s (?:going on|happening)|how (?:bad|i feel))",
    r"(?:see|seeing|ringing|calling|phoning|meeting|visit\w*) (?:my|the|a|our) (?:\w+ )?(?:psych\w*|therapist|gp|doctor|counsell?or|nurse|"
    r"crisis team|key ?worker|care coordinator|social worker|sponsor)",
    r"safety plan", r"referr(?:al|ed)", r"waiting (?:room|to be seen|for the (?:doctor|nurse|gp|crisis team))",
    _HANDING_MEANS_OVER,
    r"(?:back|in) to the (?:pharmacy|chemist|police)",
    r"asked (?:my|a|the|our) \w+ to (?:take|keep|hold|hide|look after|lock|mind)",
    r"(?:she|he|they|my \w+)(?:'s| is| are|'re)? (?:looking after|holding onto|holding|keeping|locked (?:up|away)|taken|took) (?:my|the|them|it)\b",
    rf"(?:told|i'?m telling|talked to|spoke to|speaking to|opened up to) (?:my|a|the|our) (?:\w+ ){{0,2}}(?:{_SUPPORTER}|boss)",
    r"(?:helping|help) me (?:tell|talk|get|find|through)",
    r"(?:all|it'?s all|its all|all'?s|everything'?s|everything is) (?:good|fine|ok|okay|calm|quiet|sorted|over) now",
    r"(?:calmed|cooled|calming|cooling) (?:\w+ )?(?:down|off)", r"got rid of (?:it|them|the \w+|everything|all)\b",
    r"\btold (?:him|her|them|my \w+)(?:\W*$|\W+(?:and|everything|what|about|the truth)\b)",
    r"(?:drove|took|brought|driving|taking|bringing) (?:me|us) (?:in )?(?:to )?(?:the )?(?:er|a&e|hospital|gp|doctor|clinic|emerg\w*|urgent care)\b",
    r"waiting to (?:see|talk to) (?:someone|somebody|a doctor|the doctor|a nurse|the nurse|the crisis team)", r"(?:i|we) (?:dey|de) (?:for )?(?:my|our) (?:house|place|room|home)\b",
    rf"\b(?:at|to) (?:my|our) (?:\w+ )?{_SUPPORTER}(?:'s|s'|s)\b(?! (?:funeral|grave|ashes))",
)
# After talk of being hurt by someone or of hurting someone: getting away, cooling off, everyone unhurt.
_DE_ESCALATION = any_of(
    r"(?:walked|walk|walking|stormed|went|got|ran) (?:\w+ )?(?:away|off|out)\b", r"(?:left|leaving|got out of|escaped) (?:the house|the flat|there|home|before)",
    r"(?:nobody|no one|noone|no-one)(?:'s| is| got| has| was)? (?:been )?(?:getting )?(?:hurt|harmed|in danger)", r"(?:nobodys|no ones|noones) (?:getting )?(?:hurt|harmed|in danger)",
    r"(?:he|she|they|everyone|everybody|the \w+|my \w+)(?:'s|'re| is| are| dey| de|s) (?:\w+ )?(?:fine|ok|okay|grand|alright|all right|unhurt|not hurt)\b",
    r"(?:he|she|they)(?:'s|'ve| has| have) (?:gone|left)\b", r"(?:police|garda\w*|cops|officers) (?:came|come|arrived|are here|took|arrested|have)",
    r"(?:didn'?t|did not|never|no) (?:do|did) (?:anything|it)\b",
)

_TIME = any_of(
    r"tonight", r"tomorrow", r"today", r"later", r"soon", r"now", r"this (?:morning|afternoon|evening|weekend|week|month|friday|saturday|"
    r"sunday|monday|tuesday|wednesday|thursday)", r"at (?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midnight|dawn|night)",
    r"\d{1,2}(?::\d{2})? ?(?:am|pm)\b", r"\d{1,2}:\d{2}", r"midnight", r"noon", r"dawn", r"sunrise", r"sunset",
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day", r"next (?:week|month|weekend)", r"in (?:an|a|\d+|a few|few|two|three) (?:hours?|minutes?|mins?|days?|weeks?)",
    r"(?:after|once|when|before) (?:everyone|they|he|she|my \w+|the \w+|mum|mom|dad|the house) (?:\w+ )?(?:leaves?|left|goes|go|gone|"
    r"(?:is|are|falls?|fall|gets?|get) (?:asleep|out|home|back)|sleeps?|finish\w*)", r"(?:after|once|when) it'?s dark", r"after (?:work|school|class)",
    r"on my birthday", r"(?:new year|christmas|the anniversary)", r"the (?:\d+(?:st|nd|rd|th)|end of the (?:week|month))",
    r"(?:when|once|after|while) (?:the (?:house|flat|place|street)|it) (?:is|gets|'s) (?:empty|quiet|dark|still)",
    r"(?:when|once|while) (?:no one|nobody|noone)(?:'s| is)? (?:home|around|in|looking|awake|up)",
    r"(?:after|before|once|when) (?:i )?(?:drop|dropped|take|the) (?:the )?(?:kids|children|baby|school run)", r"first thing",
    r"this time (?:tomorrow|next week)", r"(?:by|on) (?:the )?\d{1,2}(?:st|nd|rd|th)\b", r"end of (?:the )?(?:week|month|term|year|day|shift)",
    r"(?:a|in a|after a) (?:couple|few) (?:of )?(?:hours|days|weeks|nights)", r"(?:couple|few) (?:of )?(?:hours|days|weeks)", r"pay ?day",
    r"(?:after|before) (?:my|the|his|her) (?:\w+ )?(?:shift|exam|results|appointment|court date|hearing|party|wedding|funeral|birthday)",
    r"(?:once|when|after) (?:i'?ve|i have|i'?m) (?:finished|done|sorted|packed)",
)
_READINESS = any_of(
    r"(?:i'?m|i am|im) (?:so |really |just |finally |totally |completely )?(?:ready|done|sure|decided|certain|at peace|calm|"
    r"not (?:scared|afraid|sad) any ?more|not scared|not afraid|tired of waiting)",
    r"made up my mind", r"(?:my )?mind(?: is|'s| was) made up", r"(?:it'?s|it is|i'?ve|i have|already) (?:been )?decided",
    r"no (?:going|turning) back", r"nothing (?:will|can|could|is going to) (?:change|stop)", r"(?:won'?t|can'?t|not going to) change my mind",
    r"it'?s (?:time|settled|happening|final|the only (?:way|option))", r"thought (?:it|this) (?:all )?through", r"final (?:decision|answer)",
    r"i (?:just |already )?know what i(?:'m| am)? (?:going to|gonna|have to|need to) do", r"(?:made|making) (?:my )?peace with (?:it|this|that|everything|my decision|the idea|dying|death|going)\b", r"i know how (?:this|it|all this|my story) (?:ends|will end|is going to end)", r"no more (?:going )?back and forth", r"i know what i'?m doing", r"at peace with (?:it|this|my decision)", r"(?:feel|feels|feeling) (?:so |really |weirdly |strangely )?(?:calm|peaceful|relieved) (?:now|about it|since|that)",
    r"(?:enough|no more|done) (?:waiting|trying|fighting|pretending|hoping)", r"(?:this|it) (?:ends|stops) (?:now|tonight|today|soon)", r"(?:i'?ve|i have) chosen",
    r"(?:just|only) a matter of (?:time|when)", r"(?:won'?t|will not) (?:be|have to) (?:a problem|anyone'?s problem|dealing with) (?:for )?(?:much )?(?:longer|anymore)",
    r"(?:see|saw) no other way", r"(?:final|my last) (?:night|day|time|message|one)\b", r"(?:this is|it'?s|tonight'?s|tonight is|today is) (?:the |my )?(?:last|final) (?:night|day|time|message|one)\b", r"(?:won'?t|will not) (?:be|see) (?:around|here|you|them)",
)
_MEANS = any_of(
    r"(?:i'?ve|i have|i got|i'?ve got|got|have|has) (?:them|it|enough|everything|all (?:of )?(?:them|it|i need)|what i need|"
    r"(?:a|the|my|his|her|some|those|these) (?:\w+ )?(?:pills|tablets|meds|medication|rope|cord|belt|gun|rifle|pistol|knife|knives|blade|razor|"
    r"bottle|stash|supply|prescription|box|pack|cans?)|(?:my|his|her) (?:\w+'s )?(?:gun|pills|meds|rifle|pistol))",
    r"(?:saved|saving|stockpiled|stockpiling|collected|collecting|hoarded|hoarding|kept|keeping|stored|hidden|hid) (?:up )?"
    r"(?:them|enough|some|a lot|all|every|my|the|pills|meds|tablets)",
    r"(?:in|under|inside) (?:my|the) (?:drawer|bag|car|pocket|bed|pillow|desk|closet|wardrobe|nightstand|glovebox|locker|backpack|hand|cupboard|cabinet|"
    r"shed|garage|safe|loft|attic|basement)",
    r"(?:found|know) where (?:he|she|they|my \w+) (?:keeps?|hides?|stores?)", r"(?:bought|ordered|picked up|got hold of|borrowed|took) "
    r"(?:it|them|one|some|a |the |my |his |her )", r"(?:key|access|way) (?:to|onto) the (?:roof|top)", r"(?:the )?(?:car|garage|hose|bridge|roof|rooftop|tracks|"
    r"cliff|balcony|ledge|overpass|quarry|river|railway|lake|top floor)\b", r"(?:full|whole|entire|new) (?:bottle|box|pack|packet|prescription|strip|supply)",
    r"(?:pills|tablets|meds|gun|rifle|pistol|rope|knife|blade|razor|lighter|bottle|cord|belt|ammo|bullets)\b", r"(?:enough|plenty) (?:of )?(?:them|it)\b",
    r"(?:it'?s|they'?re|it is|they are) (?:loaded|ready|right here|next to me|in front of me|on the table|within reach)",
)
_PREPARATION = any_of(
    r"who(?:'ll| will| would| is going to| can| could) (?:take care of|look after|feed|have|get|take|walk|keep|raise|adopt|care for|water) ",
    r"(?:found|find|finding|need|needs) (?:a )?(?:new )?(?:home|owner|family|someone) (?:for )?(?:my|for my|for her|for him|for them)",
    r"rehom\w*", r"(?:wrote|written|writing|left|leave|leaving|finished|drafted) (?:\w+ )?(?:letters?|notes?|messages?|a video|cards?) (?:for|to) ",
    r"(?:gave|give|giving|given|gifted|handed) (?:away |out )?(?:all |most of )?(?:my|away) ",
    r"(?:passwords?|pin numbers?|bank (?:details|accounts?)|life insurance|my will|the will|beneficiar\w+)",
    r"(?:paid|pay|paying|settled|settling|cleared|clearing) (?:off |back )?(?:my|all|every|everything|everyone|the last)",
    r"(?:cancel+(?:ed|led|ing)?|deleted|deleting|closed|closing|unsubscribed) (?:all )?(?:my|all|every|the)",
    r"(?:said|saying|say) (?:my )?goodbyes?", r"(?:sorted|sorting|organi[sz]ed|organi[sz]ing|tidied|tidying|cleaned|cleaning|cleared|clearing) "
    r"(?:out )?(?:all )?(?:my|the|everything)", r"so (?:no one|nobody|they|she|he|my \w+) (?:has|have|will have|won'?t have|doesn'?t have|don'?t have) to",
    r"(?:make|made|making) sure (?:my \w+|she|he|they|everyone|everything)(?:'s| is| are| will| gets| has| have|'ll)", r"after i'?m (?:gone|not here|not around)",
    r"won'?t need (?:it|them|any of|this|that)", r"(?:everything|all) (?:is )?(?:in order|sorted|arranged|taken care of|ready for)",
    r"(?:funeral|my playlist for|my ashes|my things go|my stuff goes)", r"(?:manage|cope|be (?:ok|okay|fine|alright)) (?:on (?:his|her|their) own|without me)", r"(?:when|once) i'?m gone", r"(?:one|a) last (?:time|visit|walk|look|hug|call)",
    r"(?:thank(?:ed|ing)?|apologi[sz]\w*) (?:to )?(?:everyone|all of them|my \w+) (?:for everything|for all)",
    r"tell (?:my \w+|them|him|her|everyone|everybody)(?: that)? (?:i'?m sorry|i love|goodbye|bye|it'?s not (?:their|his|her|your) fault)",
    r"loose ends", r"(?:affairs|paperwork|finances) (?:in order|sorted|done)", r"last wish\w*", r"(?:left|leaving|wrote|writing) (?:\w+ )?instructions",
    r"who (?:gets|should get|can have|will have) (?:my|the)", r"(?:can|will|gets? to|should) (?:have|keep) my (?:\w+ )?(?:things|stuff|room|car|guitar|"
    r"clothes|books|games|jewell?e?ry|savings|money|pets?|cat|dog)", r"goodbye (?:letters?|notes?|messages?|videos?|texts?)",
    r"(?:recorded|filmed|made) (?:a |some )?(?:\w+ )?(?:videos?|messages?|voice notes?) (?:for|to) ", r"(?:returned|gave back) (?:all |everything )?(?:the )?"
    r"(?:\w+ )?(?:i borrowed|everything)", r"(?:deleted|wiped|cleared) (?:all )?(?:my )?(?:accounts?|social media|search history|photos|messages)",
    r"(?:won'?t|will not|wont) (?:need|be needing) (?:my|the|it|them|any)", r"(?:put|putting) (?:my )?(?:name|savings|money) (?:in|into|on) (?:\w+ )?(?:name|account)",
    r"(?:guardian|custody) (?:for|of) (?:my|the)",
)
# Signs plain enough to raise even in a low-mood context (the risk context takes the wider _READINESS and _MEANS).
_SETTLED_WORDS: Final = (r"made up my mind", r"(?:my )?mind(?: is|'s) made up", r"no (?:going|turning) back",
                         r"i (?:just |already |finally |now )?know what i(?:'m| am)? (?:going to|gonna) do", r"(?:won'?t|can'?t) change my mind",
                         r"no more (?:going )?back and forth")
_SETTLED = any_of(*_SETTLED_WORDS)  # settled on what to do: a warning sign even after talk of dying told as past
_FIRM_READINESS = any_of(*_SETTLED_WORDS, r"(?:i'?ve|i have) decided\b")
# The wish spoken of before (even as past) is there now: "still want to", "it never went away", "it's back".
_ENDS: Final = r"(?=\W*$|\W+(?:but|and|tbh|honestly|though|tho|i guess|sometimes|every|most|lol|still|yeah)\b)"  # nothing more said
_STILL = any_of(rf"still (?:want|wanna|wish|do|am|feel (?:it|that|like (?:that|it)|that way|the same)|think (?:about|of) (?:it|that))(?: to)?{_ENDS}",
                r"still (?:want|wanna|wish)(?: to)? (?:die|be dead|end|disappear|not (?:be|wake|exist|live))",
                r"still (?:have|get) (?:those|these|the) (?:thoughts|urges|feelings)", r"(?:never|hasn'?t|didn'?t|not) (?:really )?(?:gone|went|go|going) away",
                r"(?:those|these|the|my|same|old) (?:same )?(?:thoughts|urges?|feelings?)(?: are| is|'re|'s| have|'ve| has)? (?:all )?(?:back|come back|coming back)\b",
                r"(?:it|they)(?:'s|'re| is| are) back\b",
                r"(?:it|they)(?:'s| has|'ve| have) (?:all )?come (?:back|flooding back|creeping back)", r"never (?:really )?(?:left|went|stopped)\b",
                r"(?:it'?s|it is) happening again", r"(?:started|starting|doing|done|did) (?:it |that )?again\b(?! (?:with|at|from|on|in|for)\b)",
                r"(?:i'?m|im|i am) back (?:to|at|doing) (?:it|that)\b", r"back to (?:doing it|cutting|hurting myself|it again)\b",
                r"(?:thoughts?|feelings?|feeling|voices?|urges?|it|they|e)(?: has| have|'s|'ve| is| are| don| been)? (?:(?!\w*n'?t\b|not\b|never\b)\w+ )?(?:creeping|crept|coming|came|come) back\b",
                r"(?:louder|stronger|worse|back|there|a thing) again\b(?! (?:at|in|on) (?:work|school|the gym)\b)",
                r"right back (?:there|where i was|in it|to (?:where|that|square one|the start))")
_LETHAL_MEANS = any_of(r"(?:gun|rifle|pistol|shotgun|firearm|handgun|rope|noose|ligature)s?\b", r"(?:stockpil\w*|saved up|saving up|hoard\w*|stash\w*)",
                       r"enough (?:pills|tablets|meds|of them)", r"(?:bridge|roof|rooftop|cliffs?|ledge|overpass|railway|train tracks|top floor)\b")
_ESCALATION = any_of(
    r"deeper", r"worse", r"more (?:often|times|than (?:before|usual|last)|each|every|and more|blood|now|lately)", r"(?:way|much|loads|a lot|heaps|lots) more\b", r"every (?:day|night) now",
    r"(?:each|every) (?:time|day|night)\b", r"(?:can'?t|couldn'?t|won'?t|cannot) stop\b", r"stitches", r"something (?:new|different|else|worse|sharper)", r"(?:won'?t|doesn'?t|didn'?t|wouldn'?t) "
    r"stop bleeding", r"(?:a lot of|so much|lots of) blood", r"bigger", r"longer", r"(?:new|different|another) (?:way|thing|tool|method|spot|place|part)",
    r"not enough\b", r"(?:need|needed|needing|takes?|took) (?:more|longer|something stronger)", r"harder to (?:stop|hide)", r"(?:twice|three times|"
    r"\d+ times|several times|multiple times) (?:today|a day|this week|tonight|since)", r"hid(?:e|ing)? (?:it|them) (?:better|more)", r"infected",
    r"(?:won'?t|doesn'?t|isn'?t) heal", r"(?:moved|switched) (?:on )?to", r"(?:started|start) (?:using|with)", r"(?:again|relapsed?) (?:and|tonight|today)",
    r"(?:ran|run) out of (?:places|room|space)", r"(?:scared|afraid|worried) (?:of )?how far", r"went too far", r"(?:ER|a&e|hospital)\b",
    r"(?:couple|few|\d+|two|three|four|five|several) (?:of )?times (?:a|an|every|each|per) (?:day|night|hour|lesson)", r"(?:every|each|between every) "
    r"(?:lesson|class|break|hour|meal|shift|morning|evening)", r"(?:close|closing|closed) (?:one|it|them|the cut|the wound)", r"(?:wouldn'?t|won'?t|didn'?t) close",
    r"(?:keep|kept|keeps) (?:going|doing it|at it)", r"(?:still )?feel nothing", r"(?:doesn'?t|don'?t|isn'?t|not) (?:work|working|enough) any ?more",
)
_DANGER = any_of(
    r"(?:he'?s|she'?s|they'?re|he is|she is|they are|he'?ll be|she'?ll be) (?:\w+ )?(?:home|back|here|coming|staying (?:over|the night|here)|on (?:his|her|their) way|outside|"
    r"at the (?:door|window|gate)|drunk|wasted|high|angry|furious|mad|yelling|screaming|shouting|banging|awake|looking for me|downstairs|upstairs|"
    r"pulling in|in the driveway|almost here|nearly here|getting closer|on the way|on (?:his|her|their|the) way (?:back|home|over|here)|"
    r"picking me up|collecting me|coming for me|coming to get me|taking me (?:home|back))",
    r"(?:hear|heard|hearing|see|saw|seeing) (?:his|her|their) (?:car|truck|van|keys|footsteps|steps|voice|bike)",
    r"(?:hiding|hid|locked myself|locking myself|barricaded) (?:in|under|inside|behind)",
    r"(?:he|she|they) (?:found out|knows|saw|read|took|has|got|grabbed|locked|blocked|is blocking|broke|smashed|threw|won'?t let|answered|picked up|"
    r"heard|checked my phone|went through my|is checking|is reading)(?! (?:no idea|no clue|nothing|no way|not|never)\b)",
    r"(?:can'?t|cannot|couldn'?t) (?:get out|leave|get away|escape|call)", r"(?:pulling|pulled) (?:in|up)",
    r"(?:coming|come|comes|came|get|gets) (?:home|back) (?:early|tonight|soon|drunk|angry|any minute|in)", r"(?:knife|gun|belt|bat|weapon)s?\b",
    r"(?:door|lock|window) (?:is|was) (?:broken|locked|open)", r"any (?:minute|second) now", r"(?:his|her|their) (?:car|truck)",
    r"(?:on (?:our|the|my) way|in the (?:taxi|car|cab|uber)|heading|driving|walking) (?:back )?home",
    r"(?:he|she|they)(?:'s|'ve| has| have) (?:\w+ )?(?:seen|read|found|heard|checked)", r"(?:banging|pounding|knocking|kicking|hammering) (?:on )?(?:the |my )?(?:door|window|wall)",
    r"hear (?:him|her|them) (?:\w+ )?(?:coming|on the stairs|outside|downstairs|upstairs|shouting|yelling|screaming|at the door)",
    r"(?:locked|locking|lock) (?:me|us) (?:in|out)", r"(?:took|taken|has|got) my (?:phone|keys|car keys|passport|purse|wallet)",
    # Someone who hurt the person, out again or near: released, found the address, seen close by.
    r"(?:out on bail|(?:been|was|got|is|'s) (?:released|let out)\b|got out of (?:prison|jail|custody))",
    r"(?:saw|seen|spotted) (?:him|her|them) (?:\w+ ){0,3}(?:at|near|outside|in|by|around|on|across) ",
    r"(?:asking|asked) (?:\w+ ){0,3}(?:if|where|whether) (?:i|we) (?:was|were|am|are|live|lived|stay|staying|work)\b",
    r"(?:knows?|found out|found|got|has) (?:where (?:i|we) (?:live|am|are|work|stay|moved)|my (?:new )?(?:address|number))",
    r"(?:photo|picture|pic) of (?:my|our|her|his|the) (?:\w+ )?(?:door|house|flat|street|car|window)",
    r"parked (?:\w+ ){0,3}(?:outside|across|near|opposite|down the street|on (?:my|our|the) street)",
    r"(?:been|keeps?|kept|is|'s) (?:knocking|banging|ringing the (?:bell|doorbell))",
)
_HARM_OTHERS_ACCESS = any_of(r"(?:he'?s|she'?s|they'?re|he is|she is|they are) (?:always |usually |often |still )?(?:alone|on (?:his|her|their) own|by (?:himself|herself|themselves))",
                             r"(?:i )?know where (?:he|she|they) (?:lives?|works?|parks?|sleeps?|will be|goes|hangs out)",
                           r"(?:he'?ll|she'?ll|they'?ll) be (?:there|alone|home)", r"(?:waiting|wait) for (?:him|her|them)")
_REFUSAL = any_of(
    r"(?:don'?t|do not|won'?t|will not|not|not going to|no point|not gonna|no use|can'?t be bothered to|never going to) (?:\w+ )?(?:call|calling|ring|"
    r"ringing|text|texting|contact|contacting|talk|talking|bother|need|want|tell|telling)\b",
    r"(?:won'?t|will not|not going to|not gonna|refuse to) (?:go|see|get) (?:to )?(?:a |the |my )?(?:doctor|hospital|gp|therapist|a&e|er|help)", r"(?:it'?s|its|too) late\b", r"(?:no one|nobody|nothing|none of (?:them|you|it)|no number|no hotline) "
    r"(?:can|could|will|would|is going to) (?:help|change|stop|fix|save|understand)", r"(?:don'?t|do not|stop|quit) (?:trying to )?(?:stop|talk me|"
    r"change my mind|convince|save|help) ", r"(?:leave|let) me (?:alone|be|go)", r"(?:you|they|it) can'?t (?:help|stop|change|fix)",
    r"(?:stop|quit) (?:trying|asking|sending)", r"nothing (?:\w+ ){0,3}(?:is going to|will|can|could) (?:change|help|fix)", r"(?:won'?t|will not|doesn'?t|wouldn'?t) (?:work|help|matter|change anything)",
    r"(?:been there|tried that|tried them|tried it|did that) (?:already|before)", r"waste of time", r"(?:don'?t|do not) (?:bother|worry about me)",
    r"(?:i'?m|i am|im) past (?:that|help|caring)", r"(?:save|spare) (?:it|your breath)", r"(?:what'?s|whats) the point", r"not to bother",
    r"(?:stop|quit) (?:checking|calling|texting) (?:up |in )?on me", r"not (?:doing|going through|sitting through) (?:that|this|it) again",
    r"(?:not|never|won'?t be) going (?:back )?(?:to|into) (?:a&e|the er|er|hospital|the hospital|a doctor|the doctor|my gp|the gp)\b",
    r"(?:not|won'?t|never) (?:\w+ )?(?:sitting|sit|wait|waiting) (?:\w+ ){0,4}(?:waiting room|a&e|the er|hospital)", r"(?:binned|bin|threw away|tore up|ripped up|deleted|chucked) (?:\w+ ){0,2}"
    r"(?:number|card|leaflet|appointment|referral|safety plan)s?\b",
)

_RECOVERED = any_of(r"helped", r"better", r"(?:doing|feel|feeling|i'?m|i am|im|am|all) (?:\w+ )?(?:well|fine|good|great|ok|okay|happy)", r"recover\w*",
                    r"(?:through|over|out of) (?:it|that)", r"clean", r"sober", r"free", r"well now", r"proud", r"(?:years?|months?) well")
# Well now, said against a hard time before ("now I'm okay", "it's all behind me", "so grateful I didn't").
_WELL_NOW = any_of(
    r"(?:now|these days|nowadays|today) (?:\w+ ){0,3}(?:i'?m|i am|im|i|i dey|we'?re|we are) (?:(?!not |never |no |far |hardly |barely )\w+ ){0,2}(?:okay|ok|fine|good|well|alright|all right|"
    r"happy|proud|grateful|alive and|not ashamed)\b",
    r"(?:it'?s|its|that'?s|thats|(?:those|these) days are|that time is|all (?:of )?that(?:'s| is)) (?:now )?(?:all |well |long |totally |completely |firmly )?behind me\b",
    r"(?:like|feel like|feels like) (?:another|a different) (?:life|person)", r"turned out (?:alright|all right|ok|okay|fine|well|good)",
    r"(?:grateful|glad|thankful) (?:that )?(?:i'?m (?:still )?(?:here|alive)|i (?:didn'?t|survived|stayed|am (?:still )?(?:here|alive)))",
    r"(?:doesn'?t|does not|no longer) (?:have|has) (?:any )?(?:power|hold) over me",
    r"(?:i'?m|im|i am) (?:doing )?(?:really |so |very |pretty )?well\b(?! (?:aware|and truly))", r"(?:hasn'?t|hasnt|has not|haven'?t|havent|never) (?:\w+ )?(?:come|came) back",
    r"(?:i'?m|im|we'?re|we are) celebrating",
)

# Someone else now well or in care ("she's doing really well now", "he's with the psych team").
_SOMEONE_WELL = any_of(
    r"(?:she|he|they)(?:'s| is|'re| are) (?:now |doing |getting |feeling )?(?:really |so |much |way |a lot |loads )?(?:well|better|good|great|fine|okay|ok|happy|happier)\b",
    r"now (?:she|he|they) (?:is|are) (?:\w+ )?(?:well|better|good|great|fine|okay|happy)", r"(?:she|he|they)(?:'s| is|'re| are) (?:getting|got|having) "
    r"(?:\w+ )?(?:support|help|therapy|treatment)", r"(?:she|he|they)(?:'s| is|'re| are) (?:with|seeing) (?:the |a |her |his |their )?(?:psych\w*|therapist|"
    r"counsell?or|doctor|gp|crisis team|mental health team)",
)

# Words of low mood, burden or being hurt in a recent message, for the low-mood context.
_LOW_MOOD = any_of(
    r"hopeless", r"(?:a |such a |just a )?burden", r"(?:can'?t|cannot) (?:keep going|go on|carry on)(?: like this)?", r"no use to (?:anyone|anybody|everyone|nobody|my \w+)", r"(?:no|any|what'?s the|whats the|don'?t see the|don'?t see a) (?:point|future|way out|reason)",
    r"(?:give|giving|gave) up", r"(?:can'?t|cannot) keep (?:doing|going|living|fighting|pretending)", r"(?:no|any|see a|see no) way forward", r"(?:empty|numb|worthless|pointless|useless|trapped|exhausted by everything)", r"(?:can'?t|cannot) (?:do|take|go on with) (?:this|it|anything)",
    r"(?:better|easier) (?:off |for everyone|without)", r"(?:had|have) enough of (?:being alive|life|living|it all|everything)",
    r"made (?:up )?my mind", r"(?:don'?t|do not) want to (?:be here|be alive|live|exist|wake up)", r"(?:tired|sick) of (?:everything|it all|all of it|trying|fighting|being)",
    r"(?:nothing|never) (?:will|is going to|gets) (?:change|better|get better)", r"(?:disappear|vanish|not wake|stop existing|not be here|not being here|"
    r"not be around|ending things|end things|checking out|not exist)", r"(?:nobody|no one) would (?:care|notice|miss)",
)
# A wish to die told in any tense ("my last suicidal episode", "dark thoughts about joining her"): what "it's back" points to.
_TALK_OF_DYING = any_of(r"suicid\w*", r"(?:want|wanted|wanting) to (?:die|end it|be dead|disappear)", r"(?:didn'?t|did not|don'?t) want to (?:live|be alive|be here)",
                        r"dark thoughts", r"attempt(?:ed)?\b", r"tried to (?:kill|end|take|hang|overdose)", r"(?:end|ending|take|taking) (?:it|my life|my own life)",
                        r"overdos\w*", r"joining (?:her|him|them)\b", r"(?:kill|killing) myself")
_HURT_BY_SOMEONE = any_of(
    r"(?:he|she|they|my (?:\w+ )?(?:husband|wife|partner|boyfriend|girlfriend|bf|gf|ex|dad|father|mom|mum|mother|stepdad|stepmom|stepmum|uncle|"
    r"brother|sister|son|daughter|grandson|granddaughter|nephew|carer|flatmate|housemate|roommate|fianc\w*|cousin|aunt)) "
    r"(?:\w+ ){0,5}(?:knock\w* me (?:about|around)|hits?|hitting|hurts?|hurting|shoves?|shoved|pushe[sd]|grabs?|grabbed|chokes?|choked|slaps?|slapped|threatens?|threatened|"
    r"controls?|scares? me|screams? at me|yells? at me|throws?|threw|punch\w*|kick\w*|beats?|beating)",
    r"(?:scared|afraid|terrified|frightened) (?:of|when) (?:him|her|them|my \w+|he|she|they)", r"walk(?:ing)? on eggshells", r"bruises?",
    r"(?:comes?|came|coming|gets?|got) into my (?:room|bed)", r"(?:touches|touched|touching) me\b",
    r"(?:won'?t|doesn'?t) let me", r"(?:he|she|they)(?:'ll| will| would|'d| said (?:he|she|they)'?d) (?:make me|hurt|kill|punish|get me|"
    r"teach me)", r"(?<!never )(?<!not )(?<!isn't )(?<!wasn't )(?:abus\w+|violent|violence)",
)
_HARM_OTHERS_TALK = any_of(
    r"(?:scared|afraid|worried|terrified) (?:that )?i(?:'?ll| will| might| could| am going to|'?m going to|'?m gonna) (?:\w+ )?(?:hurt|hit|harm|attack|stab|"
    r"strangle|beat|shake|kill)", r"(?:going to|gonna|want to|wanna|will|'ll) (?:\w+ )?(?:hurt|harm|attack|stab|strangle|beat up|shake) "
    r"(?:him|her|them|my \w+|someone|somebody)", r"make (?:him|her|them|that \w+|the \w+|my \w+) (?:pay|suffer|regret)")
_ABOUT_ME = any_of(r"(?:i|i'?m|im|i'?ve|me|my|we|us|our|mine)\b")  # being hurt told of oneself, not of a film or the news
_SELF_HARM_TALK = any_of(r"(?:cut|cutting|burn|burning|hurt|hurting|harm|harming|scratch\w*|hit|hitting) (?:my ?self|my (?:arms?|legs?|wrists?|skin|thighs?))",
                       r"(?:hit|hitting|bang|banging|slam|slamming|punch|punching) my (?:head|fists?) (?:against|on|into)",
                       r"(?:do it|hurt myself|cut|burn) to (?:feel|make me feel) (?:something|anything|real|alive|in control|numb)",
                       r"(?:started|start|been|keep|kept|stop|stopped|quit) (?:cutting|burning|scratching)", r"\bi (?:\w+ )?(?:scratch|cut|burn|pick)\b",
                       r"\b(?:scratching|cutting|burning)\b",
                       r"self[- ]?harm\w*", r"\bsh\b", r"relaps\w*", r"scars?\b")


# ------------------------------------------------------------------ the rules

# Crisis kinds about another person (being hurt by them, or hurting them): their arrival is danger, their being fine
# or the person getting away is safety, and calm is no sign of a decision.
_ABOUT_ANOTHER_PERSON: Final = ("crisis_abuse", "crisis_harm_others")


# A wish to die or self-harm told of someone else ("my friend told me she'd thought about suicide", "the main character
# wants to die"), with nothing in it of the person's own risk.
_SOMEONE_ELSE_AT_RISK = any_of(
    r"\b(?:he|she|they|(?:my|our|a|the|his|her|their) (?:\w+ )?(?:friend|mate|brother|sister|cousin|mum|mom|mother|dad|father|son|daughter|"
    r"uncle|aunt|gran\w*|nan|patient|client|co-?worker|colleague|student|boss|neighbou?r|man|woman|guy|girl|boy|kid|character|hero|"
    r"protagonist)s?)(?:'\w+)? (?:\w+ ){0,3}(?:wants?|wanted|wanting|tried|tries|trying|said|says|saying|told|tells|talked|talks|thinking|"
    r"thought|thinks|overdosed|attempted|hurts?|hurting|cuts?|cutting|kill\w*|died|dies|jumped|plann?\w*|was|is|had|has)\b")
_OWN_RISK = any_of(r"\b(?:i'm|im|i've|ive|i'd|i'll|i(?!'))\b(?! (?:think|thought|guess|heard|read|saw|watched|mean|know|knew|hope|was told|told|"
                   r"asked|texted|found out|writing|reading|watching)\b)", r"\bmyself\b",
                   r"(?<!told )(?<!tells )(?<!telling )(?<!asked )(?<!texted )(?<!messaged )(?<!to )\bme\b")

_NOT_AT_RISK = any_of(r"(?:not|never|n'?t|no longer) (?:\w+ )?(?:suicidal|going to (?:kill|hurt|harm) myself|want(?:ing)? to (?:die|end it))")


def is_firm_crisis(text: str, crisis_score: float, intent: str = "crisis_suicide") -> bool:
    """Whether a crisis message speaks plainly of the present: a phrase rule fires or the classifier is all
    but certain, or it names a plain warning sign (being decided, means, arrangements), and it is not about the past ("when I was 16…", "years ago"),
    a denial ("not suicidal"), or told only of someone else ("my friend said she wanted to die").
    A crisis that is not firm still gets the crisis response; it only does not make every reply a crisis."""
    normal = normalise(text)
    if past_only(normal) or _NOT_AT_RISK.search(normal) or _told_of_someone_else(normal, intent):
        return False
    return bool(scan(text)) or crisis_score >= FIRM_SCORE or any(sign.search(normal) for sign in (_READINESS, _MEANS, _PREPARATION, _STILL))


def _told_of_someone_else(normal: str, intent: str) -> bool:
    """A wish to die or self-harm told of someone else. Harm to others and abuse always involve someone else."""
    return intent in ("crisis_suicide", "crisis_self_harm") and bool(_SOMEONE_ELSE_AT_RISK.search(normal)) \
        and not _OWN_RISK.search(normal)


def speaks_of_recovery(text: str) -> bool:
    """Whether a message tells of a hard time in the past that is over ("that was years ago, therapy helped"), or
    says the person is well now against it ("now I own a café and I'm happy"), without saying it is back."""
    normal = normalise(text)
    return (past_only(normal) and bool(_RECOVERED.search(normal))) or (bool(_WELL_NOW.search(normal)) and not _STILL.search(normal))


def mode_after(mode: CrisisMode, text: str, is_crisis: bool, intent: str, crisis_score: float, assistant: str = "") -> CrisisMode:
    """The crisis mode after a user message judged (in its context) crisis or not, `assistant` being the
    message it answers. A crisis is firm when it is plain on its own or answers a question about suicide
    or self-harm ("yes" to "are you thinking of ending your life?")."""
    if is_crisis:
        firm = is_firm_crisis(text, crisis_score, intent) or bool(_ASKS_ABOUT_RISK.search(_last_question(assistant)))
        return mode.after(True, intent, firm)
    if not mode.active:
        return mode  # the fold runs over every message on every turn: no regex work outside crisis mode
    return mode.after(False, about_past=speaks_of_recovery(text))


def _after_crisis_help(assistant: str) -> bool:
    """Whether a message replies to a crisis answered as one, or not yet answered: after Haven's crisis response or
    check-in (they carry the crisis lines), after an offer of a crisis line or emergency help (in a conversation
    brought from elsewhere), or with no reply between (the crisis response is still owed)."""
    return not assistant or crisis_texts()["resources_heading"] in assistant or bool(_OFFERS_HELP.search(normalise(assistant)))


def _words(normal: str) -> int:
    return len(re.findall(r"[\w']+", normal))


def says_safe(text: str) -> bool:
    """Whether a message clearly says the person is safe or is reaching out to someone."""
    normal = normalise(text)
    return bool(_SAFE.search(normal)) and not _NEGATED_SAFETY.search(normal)


def clearly_safe(text: str) -> bool:
    """Whether a message says the person is safe or reaching out, with no sign beside it of being decided,
    turning help away, having means (other than handing them over), making arrangements or someone dangerous arriving."""
    normal = normalise(text)
    keeps_means = bool(_MEANS.search(normal)) and not _HANDS_MEANS_OVER.search(normal)
    return says_safe(text) and not keeps_means and not _DANGER.search(normal) and not _warning_sign(normal, "")


def _context_intent(context: Context) -> str:
    """The crisis intent the context is about: crisis mode's, else the latest crisis or hurt in recent messages."""
    if context.crisis.active:
        return context.crisis.intent
    for prior in reversed(context.recent):
        if prior.intent in CRISIS_INTENTS:
            return prior.intent
    return "crisis_suicide"


def _risk_context(context: Context) -> str:
    """Why the conversation is a risk context ("" when it is not)."""
    if context.crisis.active and context.crisis.firm:
        return "in crisis mode"
    question = _last_question(context.assistant)
    if question and _ASKS_ABOUT_RISK.search(question):
        return "the assistant asked about suicide or self-harm"
    return ""


def _answer_to_safety_question(context: Context, normal: str) -> ContextRaise | None:
    """After "are you safe?": a no or an unsure answer is a crisis; a yes is not raised."""
    question = _last_question(context.assistant)
    if not question or not _ASKS_ABOUT_SAFETY.search(question) or _ASKS_ABOUT_RISK.search(question):
        return None
    if _DENIAL.search(normal) or _UNSURE.match(normal):
        return ContextRaise("context.unsafe_answer", _context_intent(context), "says no or is unsure when asked if they are safe")
    return None


def _answers_safely(context: Context, normal: str, kind: str) -> bool:
    """ "yes" to "are you safe?" (with no warning sign beside it), or "no" to "are you thinking of ending your life?"."""
    question = _last_question(context.assistant)
    asks_about_risk = bool(_ASKS_ABOUT_RISK.search(question))
    if _ASKS_ABOUT_SAFETY.search(question) and not asks_about_risk and _YES.match(normal):
        return not _warning_sign(normal, kind)
    return asks_about_risk and bool(_DENIAL.search(normal))


def _risk_context_rules(context: Context, normal: str, intent: str) -> ContextRaise | None:
    answer = _answer_to_safety_question(context, normal)
    if answer:
        return answer
    question = _last_question(context.assistant)
    words = _words(normal)
    checks: list[tuple[bool, str, str, str]] = [
        (intent == "crisis_abuse" and bool(_DANGER.search(normal)), "context.danger", "crisis_abuse",
         "danger from someone, after talk of being hurt"),
        (intent == "crisis_harm_others" and bool(_HARM_OTHERS_ACCESS.search(normal) or _MEANS.search(normal) or _TIME.search(normal)),
         "context.harm_others", "crisis_harm_others", "a time, place or means, after talk of hurting someone"),
        (intent == "crisis_self_harm" and bool(_ESCALATION.search(normal)), "context.escalation", "crisis_self_harm",
         "self-harm getting worse, after talk of self-harm"),
        (bool(_readiness(intent).search(normal)), "context.readiness", intent, "says they are decided or ready, after a risk turn"),
        (bool(_MEANS.search(normal)), "context.means", intent, "speaks of having means, after a risk turn"),
        (bool(_PREPARATION.search(normal)), "context.preparation", intent, "arranges things for after they are gone, after a risk turn"),
        (bool(_REFUSAL.search(normal)), "context.refusal", intent, "turns help away, after a risk turn"),
        (bool(_STILL.search(normal)), "context.still", intent, "says what they spoke of before is still there or back, after a risk turn"),
        (bool(_AFFIRMATION.match(normal)) or words == 0 or (bool(_YES.match(normal)) and bool(_ASKS_ABOUT_RISK.search(question))),
         "context.affirmation", intent, "a short yes or unsure reply, or a yes to a question about suicide or self-harm, after a risk turn"),
        (words <= TIME_WORDS and bool(_TIME.search(normal)), "context.time", intent, "gives a time, after a risk turn"),
        (context.crisis.active and context.crisis.safe_turns == 0 and _after_crisis_help(context.assistant) and not past_only(normal),
         "context.after_crisis", intent, "a reply to a crisis response or offer of crisis help that does not say they are safe"),
        (words <= SHORT_WORDS, "context.short_reply", intent, "a short reply that does not say they are safe, after a risk turn"),
    ]
    return next((ContextRaise(rule, kind, reason) for fired, rule, kind, reason in checks if fired), None)


def _low_mood_kind(context: Context) -> str:
    """The crisis intent a recent low-mood, self-harm or hurt message (or a crisis mode that is not firm)
    points to ("" when none does)."""
    if context.crisis.active and context.crisis.firm:
        return context.crisis.intent
    for prior in reversed(context.recent):
        normal = normalise(prior.text)
        hurt_me = bool(_HURT_BY_SOMEONE.search(normal) and _ABOUT_ME.search(normal))
        if speaks_of_recovery(prior.text) or (past_only(normal) and not _SELF_HARM_TALK.search(normal) and not hurt_me):
            continue  # a story of a hard time that is over; self-harm and being hurt "used to" are kept: escalation and danger are told against them
        if prior.intent == "crisis_abuse" or hurt_me:
            return "crisis_abuse"
        if prior.intent == "crisis_self_harm" or _SELF_HARM_TALK.search(normal):
            return "crisis_self_harm"
        if prior.intent == "crisis_harm_others" or _HARM_OTHERS_TALK.search(normal):
            return "crisis_harm_others"
        if prior.risk == "crisis" or _LOW_MOOD.search(normal) or prior.crisis_score >= LOW_MOOD_THRESHOLD:
            return "crisis_suicide"
    return ""


def _low_mood_rules(kind: str, normal: str, assistant: str) -> ContextRaise | None:
    question = _last_question(assistant)
    says_yes = bool(_AFFIRMATION.match(normal) or _YES.match(normal))
    checks: list[tuple[bool, str, str, str]] = [
        (kind == "crisis_harm_others" and bool(_HARM_OTHERS_ACCESS.search(normal) or _MEANS.search(normal) or
                                               (_words(normal) <= TIME_WORDS and _TIME.search(normal))), "context.harm_others",
         "crisis_harm_others", "a time, place or means, after talk of hurting someone"),
        (kind == "crisis_abuse" and bool(_DANGER.search(normal) or (says_yes and _ASKS_ABOUT_DANGER.search(question))), "context.danger",
         "crisis_abuse", "danger from someone, after talk of being hurt by them"),
        (kind == "crisis_self_harm" and bool(_ESCALATION.search(normal) or (says_yes and _ASKS_ABOUT_WORSENING.search(question))),
         "context.escalation", "crisis_self_harm", "self-harm getting worse, after talk of self-harm"),
        (kind == "crisis_suicide" and bool(_PREPARATION.search(normal)), "context.preparation", "crisis_suicide",
         "arranges things for after they are gone, after talk of hopelessness"),
        (kind == "crisis_suicide" and bool(_FIRM_READINESS.search(normal)), "context.readiness", "crisis_suicide",
         "says they are decided, after talk of hopelessness"),
        (kind == "crisis_suicide" and bool(_LETHAL_MEANS.search(normal)), "context.means", "crisis_suicide",
         "speaks of a firearm, a ligature, saved-up medicine or a high place, after talk of hopelessness"),
    ]
    return next((ContextRaise(rule, intent, reason) for fired, rule, intent, reason in checks if fired), None)


def _after_talk_of_dying(context: Context, normal: str) -> ContextRaise | None:
    """After talk of wanting to die or of self-harm, even told as past: "still want to", "it's back" (what "still"
    points back to), or having settled on what to do ("I finally know what I'm going to do")."""
    rule, says = (("context.still", "says it is still there or back") if _STILL.search(normal) else
                  ("context.readiness", "says they have settled on what to do") if _SETTLED.search(normal) else ("", ""))
    if not rule:
        return None
    for prior in reversed(context.recent):
        prior_normal = normalise(prior.text)
        if prior.intent == "crisis_self_harm" or _SELF_HARM_TALK.search(prior_normal):
            return ContextRaise(rule, "crisis_self_harm", f"{says}, after talk of self-harm (even told as past)")
        if prior.risk == "crisis" or _LOW_MOOD.search(prior_normal) or _TALK_OF_DYING.search(prior_normal) \
                or prior.crisis_score >= LOW_MOOD_THRESHOLD:
            return ContextRaise(rule, "crisis_suicide", f"{says}, after talk of wanting to die (even told as past)")
    return None


def _tells_someone_is_well(normal: str, kind: str) -> bool:
    """Someone else now well or in care, as after talk of a friend's hard time. Not after talk of being hurt by
    someone or of hurting someone: there "he's happy now" is no comfort."""
    return kind not in _ABOUT_ANOTHER_PERSON and bool(_SOMEONE_WELL.search(normal))


def _de_escalates(normal: str, kind: str) -> bool:
    """After talk of being hurt by someone or of hurting someone, the person got away or cooled off, or everyone is
    unhurt ("walked off, he's fine"). After talk of dying these words say nothing of safety ("left the house")."""
    return kind in _ABOUT_ANOTHER_PERSON and bool(_DE_ESCALATION.search(normal))


def _readiness(kind: str) -> LazyPattern:
    """Words of being decided. After talk of hurting someone or of being hurt, being calm or done is no sign
    ("walked it off, i'm calm now"); only settled words are."""
    return _FIRM_READINESS if kind in _ABOUT_ANOTHER_PERSON else _READINESS


def _warning_sign(normal: str, kind: str) -> bool:
    """Being decided, refusing help or arranging things for after one's death, or (after talk of being hurt, or of
    hurting someone) that person arriving: these outweigh a statement of safety or calm in the same message ("I feel
    calm now, I know what I'm doing"; "rang my mum to say goodbye"; "he's coming round, he knows"). Means do not, nor
    handing them over ("gave my blades to my mum"): beside "I'm safe" that is what they are mostly about."""
    return bool(_readiness(kind).search(normal) or _REFUSAL.search(normal)
                or (_PREPARATION.search(normal) and not _HANDS_MEANS_OVER.search(normal))
                or (kind in _ABOUT_ANOTHER_PERSON and _DANGER.search(normal)))


def raise_in_context(text: str, crisis_score: float, context: Context) -> ContextRaise | None:
    """The context rule, else the context model, that makes a message a crisis, or None. Only called for
    messages that are not a crisis on their own; a clear statement of safety (with no warning sign beside
    it) is never raised."""
    normal = normalise(text)
    why = _risk_context(context)
    kind = _context_intent(context) if why else _low_mood_kind(context)
    if (says_safe(text) or speaks_of_recovery(text) or _tells_someone_is_well(normal, kind) or _de_escalates(normal, kind)) \
            and not _warning_sign(normal, kind):
        return None
    if _answers_safely(context, normal, kind):
        return None
    return _rule_raise(normal, crisis_score, context, why, kind) or _learned_raise(text, context)


def _rule_raise(normal: str, crisis_score: float, context: Context, why: str, kind: str) -> ContextRaise | None:
    if why:
        found = _risk_context_rules(context, normal, kind)
        if found:
            return ContextRaise(found.rule, found.intent, f"{found.reason} ({why})")
        if crisis_score >= RISK_CONTEXT_THRESHOLD:
            return ContextRaise("context.score", kind, f"classifier crisis score {crisis_score:.2f} ≥ "
                                f"{RISK_CONTEXT_THRESHOLD:.2f} ({why})")
        return None
    found = (_low_mood_rules(kind, normal, context.assistant) if kind else None) or _after_talk_of_dying(context, normal)
    if found:
        return found
    if kind and crisis_score >= LOW_MOOD_THRESHOLD:
        return ContextRaise("context.score", kind, f"classifier crisis score {crisis_score:.2f} ≥ {LOW_MOOD_THRESHOLD:.2f} "
                            "after a low-mood message")
    return None


def _learned_raise(text: str, context: Context) -> ContextRaise | None:
    """The context model's raise (`context_model.py`), for a message after earlier user messages. Not once a
    crisis among them has been followed by a safe message or ended by the person: the model reads the crisis
    words still in the recent messages, and would keep crisis mode from ever ending."""
    crisis_settled = context.crisis.safe_turns > 0 if context.crisis.active else any(prior.risk == "crisis" for prior in context.recent)
    if not context.recent or crisis_settled:
        return None
    model = shipped_context_model()
    score = model.score(text, [prior.text for prior in context.recent], context.assistant)
    firm_mode = context.crisis.active and context.crisis.firm
    threshold, where = (CRISIS_MODE_MODEL_THRESHOLD, ", its threshold in crisis mode") if firm_mode else (model.threshold, "")
    if score.probability < threshold:
        return None
    return ContextRaise("context.model", score.intent, f"the context model reads a crisis in this conversation "
                        f"(probability {score.probability:.2f} ≥ {threshold:.2f}{where})")
