"""The high-recall phrase layer of the safety policy (English and Indonesian).

Each rule is a named regular expression over normalised text. Rules are written to
catch explicit and indirect crisis phrasing (intent, plans, means, goodbyes, slang)
while leaving common idioms alone ("this traffic is killing me", "I'd die for a
coffee", "dying to see it"). A qualifier for recovery or the distant past ("I used to
cut, two years clean", "when I was a kid he hit me") holds back the self-harm and abuse
rules; the classifier still judges such messages. Rules report their id, never the
matched text, so decisions can be shown and logged without message content.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Final

from desktop_app.engine.triage.labels import CRISIS_INTENTS

_ME = r"(?:my ?self|meself|myslef|mysefl)"
_PEOPLE = (
    r"(?:him|her|them|someone|somebody|people|everyone|everybody|my (?:\w+ )?(?:mom|mum|mother|dad|father|wife|"
    r"husband|partner|boyfriend|girlfriend|bf|gf|ex|boss|roommate|flatmate|housemate|neighbou?r|baby|child|kids?|son|daughter|"
    r"cousin|uncle|aunt\w*|nephew|niece|stepson|stepdaughter|"
    r"brother|sister|teacher|classmates?|coworkers?|family|stepdad|stepmom|toddler|bully|bullies|manager|landlord)|"
    r"random people|strangers)"
)
# What one beats someone at in play ("gonna batter him at fifa"), not in a fight.
_GAMES = (r"(?:chess|fifa|pool|snooker|darts|cards|tennis|golf|poker|scrabble|monopoly|uno|checkers|draughts|football|soccer|basketball|squash|"
          r"badminton|ping ?pong|table tennis|bowling|mario ?kart|cod|fortnite|tekken|arm wrestling|trivia|(?:this|that|the|a|our|every|his|her|their) "
          r"(?:\w+ )?(?:game|match|round|race|quiz|tournament|final))")
_ABUSER = (
    r"(?:he|she|they|my (?:\w+ )?(?:mom|mum|mother|dad|father|wife|husband|partner|boyfriend|girlfriend|bf|gf|ex|"
    r"stepdad|stepmom|stepfather|stepmother|uncle|aunt|brother|sister|boss|coach|teacher|grandpa|grandfather|"
    r"cousin|parents?|carer|caregiver|pimp)|(?:my )?\w+'s (?:new )?(?:boyfriend|bf|husband|stepdad|dad|carer|caregiver|"
    r"teacher|friend|partner|girlfriend|wife|uncle)|(?:mom|mum|dad|grandpa|husband|wife|boyfriend|girlfriend|stepdad|uncle))"
)


@dataclass(frozen=True)
class Rule:
    id: str
    intent: str
    description: str
    pattern: LazyPattern


class LazyPattern:
    """A case-insensitive regular expression compiled on its first search. The rules' patterns are large:
    compiling them all at import would hold up the start of the window and of every command by about
    half a second. The engine compiles them all while it loads (`compile_all`), off the GUI thread."""

    _made: ClassVar[list[LazyPattern]] = []

    def __init__(self, source: str) -> None:
        self.source = source
        LazyPattern._made.append(self)

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.source, re.I)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    @classmethod
    def compile_all(cls) -> None:
        """Compile every pattern made so far (the phrase, boundary and post-check rules)."""
        for pattern in cls._made:
            _ = pattern.compiled


def any_of(*alternatives: str, kind: type[LazyPattern] = LazyPattern) -> LazyPattern:
    """One case-insensitive pattern matching any of `alternatives`, each from a word boundary, made as `kind`. An
    alternative that starts with "^" is a test of the whole message (lookaheads from its start), tried once."""
    anchored = [a for a in alternatives if a.startswith("^")]
    words = r"\b(?:" + "|".join(a for a in alternatives if not a.startswith("^")) + ")"
    return kind("|".join([words, *anchored]))


def _rule(rule_id: str, intent: str, description: str, *alternatives: str) -> Rule:
    assert intent in CRISIS_INTENTS
    return Rule(rule_id, intent, description, any_of(*alternatives))


_NOT = r"(?<!not )(?<!n't )(?<!never )(?<!dont )"
_DIE = r"(?:die|dye|d1e)"
_WANT = r"(?:want|wnat|wamt|wan|wanna|wana|wanted|going|gonna|ready|plan|planning|deserve|need|trying)"
_SUICIDE_WORD = r"(?:suicid|sucid|suicd|suisid|suiside|sucide|suicde)\w*"
_HARMFUL = (r"(?<![a-z])(?:dangerous|harmful|toxic|poisonous|lethal|fatal|deadly|kill(?:s|ed|ing)?\b|die[sd]?\b|death|overdos\w*|od\b|damag\w*|"
            r"liver\b|kidneys?\b|organs?\b|hospital|coma\b|unconscious|stop (?:your|the|a|someone'?s) heart|serious(?:ly)?(?: (?:harm|hurt|ill|damage))?|hurt|harm|poison\w*|heart attack|seizure|stop (?:(?:your|their|his|her|the|someone'?s|\w+'s) )?breathing|pass out|heart (?:stops?|stopping|to stop|would stop)|survivable|breathing (?:\w+ )?stops?|(?:sleep|asleep) (?:permanently|for good|forever)|"
            r"leathal|lethel|letal)")
# The lethality question in the languages of our users: "how much/many" and "which", and words of killing or
# dying (Spanish, Portuguese, French, German, Italian, Polish, Tagalog, Hindi and Urdu in Latin script,
# Indonesian, Swahili, Arabic in Latin script).
_HOW_MUCH_ABROAD = (r"cu[aá]nt[oa]s?|quant[oaie]s?|combien|wie ?viele?|welche menge|ile|gaano|ilan|kitn[aie]|berapa|ngapi|kiasi gani|kam\b")
_WHICH_ABROAD = (r"qu[eé] (?:altura|cantidad|dosis|pastillas?|medicamentos?|qu[ií]mico)|que (?:hauteur|quantit[eé]|dose)|quelle (?:hauteur|quantit[eé]|dose)|"
                 r"welche[rsn]? (?:h[öo]he|dosis|tabletten|chemikalie)|quale (?:altezza|dose|quantit[aà])|jaka (?:wysoko[śs][ćc]|dawka)|kaunsa|kaun ?si|"
                 r"aling?|ipi|dawa gani|qual (?:altura|dose|quantidade)")
_LETHAL_ABROAD = (r"morta(?:l|is)\w*|mortel\w*|leta(?:l|is)\w*|l[ée]tal\w*|t[öo]dlich\w*|mortale|mortali|[śs]mierteln\w*|peligros\w*|perigos\w*|dangereu\w*|"
                  r"matar|morir|morrer|mourir|tuer|umbringen|sterben|t[öo]ten|uccid\w*|morire|zabi[ćc]|umrze[ćc]|nakakamatay|makamatay|mamatay|"
                  r"jaan ja\w*|mar ja\w*|mar sakt\w*|maut|mematikan|kuua|kufa|inaua|ymoot|yemoot|tmoot|overdos\w*|sobredosis|surdose|"
                  r"[üu]berdosis|przedawkow\w*")
_SUBSTANCE = (r"(?:pills?|tablets?|meds|medications?|medicines?|drugs?|paracetamol|acetaminophen|tylenol|panadol|ibuprofen|advil|aspirin|"
              r"insulin|opioids?|fentanyl|heroin|oxy\w*|morphine|codeine|tramadol|benzos?|xanax|valium|diazepam|lorazepam|sleeping pills|"
              r"antidepressants?|sertraline|fluoxetine|citalopram|lithium|quetiapine|seroquel|amitriptyline|melatonin|antihistamines?|benadryl|"
              r"venlafaxine|effexor|mirtazapine|duloxetine|cymbalta|escitalopram|lexapro|zoloft|prozac|paroxetine|bupropion|wellbutrin|trazodone|"
              r"pregabalin|lyrica|gabapentin|propranolol|zopiclone|zolpidem|ambien|diphenhydramine|clonazepam|klonopin|alprazolam|olanzapine|"
              r"risperidone|lamotrigine|methadone|co-?codamol|nurofen|naproxen|"
              r"caffeine|alcohol|vodka|bleach|ammonia|antifreeze|pesticides?|rat poison|cleaning products?|chemicals?|iron tablets|vitamins?)")

# "how much ... hospital" asking a price, and "how many ... died" counting the dead of history, ask of no amount taken.
_NOT_AN_AMOUNT_TAKEN = r"(?!(?:\w+ ){0,3}(?:people|soldiers|civilians|men|women|kids|children|patients) (?:died|were killed|die (?:in|of|from|each|every)|get killed)|.{0,60}\b(?:cost|costs|charge|charges|pay|paid|earn|earns|parking|fee|fees|price)\b)"
_VICTIM = r"(?:you|u|ya|someone|somebody|anyone|anybody|a person|people|ppl|a human|an adult|a man|a woman|a kid|a child|me|him|her|them)"

RULES: Final[tuple[Rule, ...]] = (
    _rule(
        "suicide.explicit", "crisis_suicide", "says they want to kill themselves or die",
        rf"(?:kill|kil|killing|killed|end|ending|off|unalive|unaliving) {_ME}(?! (?:studying|working|laughing|at (?:the )?gym))",
        r"sewer ?slide", r"\bkms+\b", r"\bunalive\b", r"\bctb\b", r"catch the bus\b(?= .{0,40}(?:tonight|soon|ready))",
        rf"{_NOT}{_WANT} (?:to )?{_DIE}\b(?! (?:of|from) (?:embarrassment|boredom|laughter|cringe|shame))",
        r"(?:end|ending|take|taking|finish) (?:my|this) (?:own )?life", r"end (?:it|everything) all\b", r"end it all\b",
        r"(?:end|ending|do|doing|finish|finishing) (?:it|this) (?:tonight|today|now|soon|this weekend|tomorrow)",
        r"(?:want|wanna|how|going|gonna|ready|about) to end it\b", r"(?:ending|end) it all", r"tonight(?:'s| is| feels like) the night",
        r"(?:most reliable|best|easiest|quickest) method", r"time to go\b(?! (?:home|to|out|shopping|back))", r"won'?t make it to my (?:birthday|\w+ birthday)",
        r"not safe with myself", r"can'?t keep myself safe", r"waiting to die", r"why am i still alive", r"(?:death|dying) (?:sounds|seems|would be) (?:\w+ )?(?:peaceful|a relief|nice|better)",
        r"i'?ll be gone\b(?! (?:all|for|this|next|until|till|by|on|from|over|during))", r"(?:took|swallowed|taken) (?:a bunch|all|a lot|a handful) of (?:my )?(?:pills|meds|tablets)", r"stop(?:ped)? trying to (?:be alive|live|stay alive)",
        r"(?:wrote|written|writing|left) (?:a|my) note\b", r"\bod\b (?:tonight|today|now|soon)", r"(?:no|only one|found my|the only) way out\b",
        r"won'?t be long now", r"(?:doesn'?t|does not) want to (?:live|be alive|be here)", r"(?:updated|wrote|made) my will\b", r"don'?t want to be (?:saved|rescued|found)", r"(?:happier|better) (?:if|when) i(?:'m| was| were| am)? (?:dead|gone|not here)",
        r"(?:be|is|are) (?:ok|okay|fine|better) without me", r"on a (?:bridge|ledge|roof) and (?:won'?t|will not)",
        r"(?:i'?m|i am) (?:ready to |going to |gonna )?(?:end|ending) it\b", r"give up on (?:life|living)",
        r"(?:feel|feeling|felt|been feeling) like (?:ending|end) (?:it|things|everything|my life)\b(?! with| between| off)",
        r"(?:took|taken|swallowed) (?:way |a lot |far |much )?more (?:\w+ )?than i (?:should|was supposed to|meant to|'?m supposed to)(?: have)?\b"
        r"(?! (?:to )?(?:eat|eaten|drink|drunk|spend|spent))",
        r"(?:thinking|thought|think|thinks) (?:about|of) (?:ending|end) (?:it all|everything|my life|things)\b(?! with| between| off)",
        r"(?:nobody|no one|noone|no-one) would (?:even )?(?:notice|care|miss me)\W+(?:\w+\W+){0,2}(?:if|when) i (?:went|was gone|were gone|"
        r"disappeared|died|was dead|wasn'?t (?:here|around)|left for good)\b",
        r"(?:don'?t|do not|no longer|dont|never) (?:want|wanna|wish) (?:to )?(?:be )?(?:alive|live|living|exist|be here)",
        r"(?:stop|not|to not) exist(?:ing)?\b", r"(?:tired|sick) of (?:existing|living|being alive|life)\b",
        r"(?:done|finished) with (?:life|living|being alive|this life|existing)\b",
        r"(?:like|want|wish|long|ready|waiting) to (?:join|be with) (?:her|him|them|my (?:late )?(?:wife|husband|son|daughter|mum|mom|dad|partner|"
        r"brother|sister|baby))\b(?! (?:for|at|on|in|tonight|tomorrow|later|next))",
        r"(?:don'?t|do not) think i'?ll (?:be here|be around|be alive|make it|still be here) (?:next|by|much|for|to|at|this|in)",
        r"(?:point|reason) (?:of|in|to) (?:waking up|getting up|carrying on)",
        r"(?:use|using|turn|turning|point|pointing) (?:\w+ ){0,3}(?:gun|pistol|rifle|shotgun|knife|blade) on (?:my ?self|me)\b",
        rf"(?:take|taking|swallow|swallowing|down|downing) (?:all|every one|the whole|a whole|the rest) (?:of )?(?:my |the |these |those |them )?"
        rf"(?:\w+ )?{_SUBSTANCE}",
        r"wish (?:i|id|i'd) (?:was|were|be|was never|had never been|never) (?:dead|born|never born|gone)",
        r"(?:better off|rather be|be better) (?:dead|without me\b)",
        r"(?:cope|manage|do|get on|be happier|be fine|be okay|be ok) (?:\w+ )?(?:better |fine |easier |happier )?without me (?:around|here|in (?:it|the picture|their lives))", r"(?:peaceful|nice|easier) (?:it would be )?to be dead",
        r"(?:no|not any|isn'?t any|lost my) reasons? (?:to|for) (?:live|living|stay|keep going)",
        r"(?:point|reason) (?:of|in|to) (?:living|being here|being alive|life|going on|staying)",
        r"why should i (?:keep going|stay|live|go on)",
        rf"(?:hang|hanging|drown|drowning|shoot|shooting|poison|poisoning|starve to death) {_ME}",
        r"overdos(?:e|ed|es|ing)\b(?! on (?:netflix|coffee|caffeine|sugar|chocolate|memes|tv|anime))(?! scene)",
        r"(?:jump|jumping|step|stepping) (?:off|in front of)\b", r"(?:thinking of|going to|gonna|want to) jump\b",
        r"(?:i'?m|i am|im|standing|sitting|stood|sat|up|here|now|climbed|climbing|went|go|going|get|got|been|stand|sit) (?:\w+ )?(?:on|at) the "
        r"(?:roof|ledge|bridge|train tracks|tracks)\b(?! (?:party|bar))", r"staring at the (?:train )?tracks",
        r"(?:hope|hoping|wish) (?:a|the) (?:car|bus|truck|train) (?:hits|would hit|runs over) me",
        r"(?:never|not) (?:want to )?wake up(?! (?:early|late|on time|until|till|til|before))", r"(?:hope|wish) i (?:don'?t|do not|never|wouldn'?t) wake up(?! (?:late|early))",
        r"(?:go to )?sleep and (?:not|never) wake up(?! (?:early|late|until|till|til|before))", r"(?:not|never) waking up\b(?! (?:early|late|on time|till|until|before|for|in time))", r"(?:want to|wanna|wish i could|just want to) (?:fall asleep|go to sleep|sleep) forever",
        r"(?:won'?t|will not|not) be (?:around|here|alive|a problem|a burden)(?: for)? (?:much longer|anymore|next week|tomorrow|soon|by)",
        r"(?:don'?t|do not) plan on being (?:here|around|alive)",
        r"(?:suicide|goodbye) (?:note|letter|text|message)s?", r"(?:wrote|writing|written|leaving) (?:my |a )?(?:goodbye |last )?(?:letters?|notes?) (?:to|for)\b(?! (?:my |your |our )?future)",
        r"this is (?:my|the) last (?:time|message|goodbye|night)\b(?! before)", r"(?:final|last) goodbye", r"said (?:my|her|his|their) goodbyes",
        r"this is goodbye", r"goodbye (?:for good|forever|world|everyone)", r"i love you all\W+(?:i'?m )?sorry",
        r"(?:giving|gave|give) (?:away )?(?:all )?my (?:stuff|things|belongings) away", r"(?:giving|gave) away (?:all )?(?:my|his|her) (?:stuff|things|belongings)",
        r"won'?t need (?:it|them|my \w+) (?:where i'?m going|anymore|soon)", r"(?:affairs|things) in order",
        r"(?:want|wanna|ready for) (?:it|everything|the pain|this|all of it) to (?:end|stop)\W+(?:\w+\W+){0,4}(?:forever|for good|permanently)",
        r"can'?t (?:go on|keep going|do this) any ?more", r"don'?t want to be here any ?more",
        r"disappear(?:ing)?\W+(?:forever|permanently|for good)", r"(?:want|wants) (?:someone|somebody) to kill me",
        r"(?:it'?ll|it will) all be over soon", r"only one way out", r"(?:picked|chosen|set) a date",
        r"(?:i have|i've got|(?<!we )(?<!we've )(?<!we have )made) a plan\b(?! for| with| together)", r"(?:notice|care|miss me|come to my funeral|get over it)\W+(?:\w+\W+){0,3}(?:when|if) i'?m gone",
        r"when i'?m gone", r"(?:join|be with) (?:my \w+|him|her|them) in heaven", r"(?:going to|gonna) join (?:him|her|them|my \w+)\b(?! for| at| on)",
        r"burden\W+(?:\w+\W+){0,6}(?:fix that|relieved|better off|not for long|soon|gone)", r"finish what i started",
        r"(?:not scared|not afraid) of dying", r"(?:attempted|tried) (?:again|last (?:night|week|month)|yesterday|tonight)",
        r"(?:kill|killing|kills|end|ending) (?:him|her|them)sel(?:f|ves)\b", r"threatening to (?:jump|end it|kill)",
        r"please don'?t try to stop me", r"(?:leaving|leave) for good\b(?! to| for)",
        r"soon (?:none of (?:this|it)|nothing) (?:will|is going to) matter", r"(?:none of (?:this|it)|nothing) (?:will|is going to) matter "
        r"(?:soon|much longer|for long|after tonight)", r"(?:family|kids|children|wife|husband|parents?|mum|mom) (?:would|will|could) (?:\w+ )?(?:get|have) "
        r"(?:the |my )?(?:life )?insurance",
    ),
    _rule(
        "suicide.word", "crisis_suicide", "mentions suicide in the first person or without context",
        rf"{_NOT}(?<!died by )(?<!death by )(?<!lost to ){_SUICIDE_WORD}\b(?! squad| prevention| awareness| hotline| rates?\b| "
        r"statistics| bomber| mission| doors?\b| sprints?| squeeze| king| move\b)",
    ),
    _rule(
        "suicide.means", "crisis_suicide", "asks about or mentions means of suicide",
        r"(?:lethal|fatal|deadly|overdose) (?:dose|amount|quantity)",
        r"how (?:many|much) (?:\w+ ){0,4}(?:pills|tablets|meds|medication|sleeping pills|paracetamol|tylenol|insulin)\b",
        r"(?:pills|meds|tablets) would (?:it take|be enough|kill)",
        r"(?:painless|surest|most reliable|least painful) (?:way|method|ways|methods)\b(?! (?:to (?:learn|study|cook|get there|make|lose weight|save|wean|taper|"
        r"come off|get off (?!this (?:planet|earth|world))|stop taking|quit|cut down|reduce)|of (?:weaning|tapering|coming off|getting off)"
        rf"|to stop (?:my |the )?{_SUBSTANCE}))",
        # "the best way to ask him" is everyday; the quickest or easiest way is a crisis when it is a way out or to die.
        r"(?:easiest|quickest|quick|fastest|best) (?:way|method|ways|methods)\b(?! (?:to|of|for|i|you|we|they|he|she|is|are|was|into)\b)",
        r"(?:easiest|quickest|quick|fastest|best) (?:way|method|ways|methods) (?:for (?:me|someone|a person|my \w+|him|her|them) )?to (?:die|hurt|harm|end (?:it|things|my life|your life|"
        r"everything|this)|kill|go\b(?! to| home| there| back)|do it\b|check out|disappear|not (?:wake|be here|exist)|overdose|od\b|stop (?:living|existing|"
        r"breathing|my heart)|never wake)",
        rf"how (?:to|do i|can i|do you|would i|would someone|would you) (?:kill {_ME}|kill (?:themselves|himself|herself)|commit suicide|end my life|die\b|hang {_ME}|od\b|overdose)",
        r"(?:high|tall) enough to (?:die|kill)", r"(?:bridge|building|roof|cliff)s? (?:high|tall) enough", r"(?:tallest|highest) (?:bridge|building|cliff)",
        r"how (?:high|far|tall) .{0,40}(?:fatal|die|kill|surviv\w*|deadly|lethal)",
        r"(?:pills|gun|rope|knife|blade) (?:is |are )?(?:ready|loaded|waiting|in my (?:bag|drawer|hand|pocket))",
        r"(?:pills|tablets|gun|rope|knife|blade|razor) (?:\w+ ){0,2}(?:in front of me|in my hands?|next to me|beside me|on my lap|lined up|"
        r"counted out|laid out|right here with me)", r"(?:holding|staring at|clutching) (?:the|my|a) (?:pills|tablets|gun|rope|knife|blade|razor)\b",
        r"(?:saving|saved|stockpil\w*|hoard\w*) (?:up )?(?:my |all my |some )?(?:pills|meds|medications?|tablets)",
        r"collect\w* (?:up|all (?:of )?my|enough|loads of|lots of) (?:\w+ )?(?:pills|meds|medications?|tablets)",
        r"(?:bought|buying|got|have) (?:a )?rope\b(?! for)", r"(?:swallow|swallowing|take|taking|down|downing) (?:\w+ )?(?:everything|all of it|the lot|whatever) in the (?:medicine|bathroom|first aid) (?:cabinet|cupboard|box)", r"(?:bottle|handful|pile|box) of (?:pills|tablets|meds)",
        r"(?:deadly|lethal|fatal|kill you) if (?:you )?(?:swallow|take|drink|eat)", r"(?:too many|a lot of) (?:sleeping )?pills",
        r"(?:meds|medications?|drugs|pills|household \w+) (?:are|is|would be) (?:deadly|lethal|fatal)",
        r"which (?:meds|pills|drugs|medications?) .{0,30}(?:deadly|lethal|fatal|kill)",
        r"does it hurt to (?:hang|drown|die|overdose|shoot|jump)", r"can you die from (?:taking|too many|an overdose)",
        r"make it look like an accident", r"(?:made up my mind|decided|ready|sure|settled) (?:about|on|with) (?:the|my|using the|using my) "
        r"(?:rope|pills|tablets|meds|gun|rifle|knife|bridge|roof|car|plan)\b", r"(?:gun|rifle|pistol) in the (?:closet|house|drawer|garage)\b.{0,40}(?:thinking|can'?t stop)",
        r"(?:poisonous|toxic|deadly|lethal) enough", r"(?:is|are|be) (?:toxic|fatal|lethal|deadly) to (?:the |your |my )?(?:liver|kidneys?|heart|body)",
        r"(?:amount|level|dose)s? of \w+ (?:is|are|would be) (?:toxic|fatal|lethal|deadly)",
        r"(?:doses?|amounts?) of (?:\w+ )?(?:medications?|meds|pills|drugs) (?:that )?(?:are |is )?(?:fatal|lethal|deadly|toxic)",
        r"how (?:many|much) of (?:my|these|those|the|his|her) \w+ (?:would be|is|are) too (?:many|much)\b",
        r"(?:mix|mixing|combine|combining) (?:\w+ )?(?:bleach|ammonia|chemicals)", r"bleach and ammonia",
        r"carbon monoxide\b(?! (?:detector|alarm|monitor|sensor))", r"(?:exhaust|car) fumes", r"(?:closed|sealed) garage",
        r"(?:household )?(?:chemicals?|cleaners?) .{0,20}(?:to drink|drinkable|poisonous|deadly|lethal)",
        r"(?:which|what) (?:suicide )?methods? .{0,30}(?:success|work|reliable|effective)",
    ),
    # How dangerous an amount of something is: a crisis however it is framed ("just curious", "for a
    # friend", "for a story"), as the person asking may be the one at risk.
    _rule(
        "means.lethality", "crisis_suicide", "asks how dangerous or lethal an amount of a drug, poison or substance is",
        rf"how (?:many|much) {_NOT_AN_AMOUNT_TAKEN}.{{0,80}}(?:{_HARMFUL}|(?:would|will|could|does it|did it|to) (?:take|need) to (?:{_HARMFUL})|"
        rf"(?:is|are|would be|counts as|becomes?) (?:an overdose|dangerous|fatal|lethal|toxic|deadly))",
        rf"how (?:many|much) (?:\w+ ){{0,3}}{_SUBSTANCE}.{{0,40}}(?:too (?:many|much)|enough)",
        rf"(?:what|which) (?:amount|dose|dosage|quantity|number|level|point) .{{0,60}}(?:{_HARMFUL}|too (?:many|much))",
        rf"(?:is|are|would|could|will) (?:\d+|a (?:whole|full|entire)|an entire|(?:\w+ ){{0,2}}(?:bottle|box|pack|packet|strip|handful|sheet|"
        rf"blister|jar|tub|tube|load|bunch|lot|dozen|couple)) .{{0,60}}(?:{_HARMFUL}|too (?:many|much)|enough to)",
        r"what (?:would|will|could|happens?|happened) .{0,40}if (?:you|someone|somebody|a person|people|i|he|she|they|my \w+|a \w+) "
        r"(?:took|take|takes|swallowed|swallow|drank|drink|ate|eat|had|injected|snorted|mixed) (?:\w+ ){0,3}(?:\d+|a (?:whole|full|lot|load|"
        r"bunch|bottle|box|pack|handful)|all|too many|too much|loads|lots|many|several|the whole|an entire|double|triple|ten|twenty|fifty)",
        r"(?:can|could|would|will|do|does) (?:you|someone|somebody|a person|people|i|he|she|they|a \w+|my \w+) (?:\w+ ){0,2}"
        r"(?:die|overdose|od|be killed|get killed|stop breathing|pass out for good|never wake up) (?:from|of|on|by|after|if)",
        rf"{_SUBSTANCE} (?:can|could|would|will|does|do|is|are) (?:\w+ ){{0,3}}(?:kill|finish (?:\w+ )?off|be fatal|be lethal|be deadly|poison|stop (?:your|a|the|"
        rf"someone'?s) heart) {_VICTIM}",
        rf"(?:can|could|would|will|does|do|is|are) (?:\w+ ){{0,3}}{_SUBSTANCE} (?:\w+ ){{0,3}}(?:kill|finish (?:\w+ )?off|be fatal|be lethal|be deadly|poison|"
        rf"stop (?:your|a|the|someone'?s) heart) {_VICTIM}",
        r"(?:dangerous|lethal|fatal|deadly|toxic|poisonous|harmful|killing|overdose) (?:amount|dose|dosage|level|quantity|limit|threshold|number)",
        r"(?:max(?:imum)?|upper|highest|safe) (?:dose|limit|amount|dosage) .{0,40}before (?:it|you|things?|someone)",
        rf"(?:too (?:many|much)|overdose|od) (?:of |on )?(?:\w+ ){{0,2}}(?:{_SUBSTANCE}) .{{0,40}}(?:would|will|could|can|does|do|is)",
        r"(?:takes?|need) to (?:\w+ ){0,2}(?:kill(?! (?:some |a little |a bit of |the |an? )?(?:time|hours?|minutes?|while|afternoon|evening|wait))"
        r"|be fatal|overdose|od|poison) ",
        rf"(?:bottle|box|pack|packet|strip|handful|jar|tub|blister|sheet)s? of (?:\w+ ){{0,2}}{_SUBSTANCE} (?:\w+ ){{0,2}}(?:can|could|would|will|"
        rf"might|won'?t|wouldn'?t|can'?t|couldn'?t) (?:\w+ ){{0,2}}(?:kill|be fatal|be lethal|be deadly|stop (?:your|a|the|someone'?s) heart)",
        r"(?:threshold|toxic|minimum|min|smallest) (?:dose|amount|level|quantity)s? (?:for|of|that causes?|causing) .{0,40}"
        r"(?:toxicity|poisoning|overdose|liver failure|organ failure|liver damage|death)",
        rf"(?:whole|entire|full|all (?:of )?(?:my|the)|all|my|a) (?:\w+ )?(?:months?'?s?|weeks?'?s?|days?'?s?|years?'?s?|repeat)? ?(?:supply|prescription|"
        rf"stash|stockpile|script)\b.{{0,60}}(?:too (?:many|much)|{_HARMFUL}|at once|in one go|all together|enough to)",
        rf"(?:(?:would|will|could|is|are|does|do)\b.{{0,60}}\b{_SUBSTANCE}|(?:would|will|could) (?:it|they|these|those|that|all of them)) (?:\w+ ){{0,4}}"
        r"too (?:much|many) (?:\w+ ){0,2}(?:at once|in one go|at one time|all together|in one night)",
        rf"how (?:dangerous|harmful|deadly|toxic|lethal|fatal|poisonous) (?:is|are|would be|'?s) (?:\w+ ){{0,3}}{_SUBSTANCE}",
        rf"(?:do|does|can|could|would|will) (?:people|you|someone|somebody|a person|anyone|i|he|she|they) (?:\w+ )?survive (?:\w+ ){{0,3}}"
        rf"(?:taking|swallowing|drinking|eating|an? (?:\w+ )?(?:overdose|od)|overdos\w*|{_SUBSTANCE}|weed ?killer|poison)",
        rf"(?:{_SUBSTANCE}|\bod\b|overdose).{{0,60}}\bsurvivable\b|\bsurvivable\b.{{0,60}}(?:{_SUBSTANCE}|\bod\b|overdose)",
        r"\b(?:taken|take|taking|swallow\w*|at once|in one go)\b.{0,60}\bsurvivable\b",
        r"(?:kills?|kill (?:you|someone|somebody|a person)) (?:the )?(?:fastest|quickest)\b", r"(?:fastest|quickest) (?:to kill|killing|killer)\b",
        rf"(?:more|most|less|least) (?:lethal|deadly|toxic|fatal|dangerous|poisonous)\b.{{0,60}}(?:{_SUBSTANCE}|\btook\b|\btake\b|swallow\w*)",
        r"(?:number|amount|dose|point|level|quantity) (?:of \w+ )?(?:where|at which|when|that|until) .{0,40}(?:breathing|heart|organs?|liver|kidneys?) "
        r"(?:\w+ )?(?:stops?|gives? out|shuts? down|fails?|packs? up)",
        r"(?:is|are|would|could|will) (?:\w+ ){0,3}(?:lethal|leathal|deadly|toxic|poisonous|fatal|dangerous) (?:\w+ ){0,2}if (?:you|someone|somebody|a person|"
        r"i|he|she|they|a \w+|my \w+) (?:eat|eats|drink|drinks|swallow|swallows|take|takes|inhale|inhales|breathe|breathes|mix|mixes|ate|drank|took)",
        r"(?:is|would|does|will) (?:\w+ ){0,2}(?:drinking|swallowing|taking|eating|inhaling|overdosing|an overdose|an od|od'?ing) (?:\w+ ){0,3}"
        r"(?:painful|quick|peaceful|slow|hurt)",
        r"enough (?:\w+ ){0,5}to (?:kill|end (?:it|things|my life|your life)|be fatal|be lethal|poison|overdose)\b(?! (?:time|an hour|the mood|the vibe))",
        r"pump (?:my|your|someone'?s|his|her|their|a|the) stomach",
        rf"(?:took|take|taken|takes|swallowed|swallow) (?:\d+|all|a (?:whole|full|lot|load|bunch|bottle|box|pack|handful)|them|(?:\w+ ){{0,2}}{_SUBSTANCE})"
        r".{0,80}\b(?:still (?:be )?time|in time|too late|get help|be saved)\b",
        r"(?:less|least|more|most) (?:painful|peaceful|reliable|certain)\b.{0,40}\b(?:pills|tablets|meds|gas|rope|hanging|jumping|drowning|overdos\w*|"
        r"cutting|a gun|shooting|poison\w*)",
        # The same question in a few languages of our users ("¿cuántas … son peligrosas?", "gaano karaming … nakakamatay?").
        rf"(?:{_HOW_MUCH_ABROAD})\b.{{0,80}}(?:{_LETHAL_ABROAD})",
        # Which one, or what height or amount, would surely kill, in the languages of our users.
        rf"(?:{_WHICH_ABROAD})\b.{{0,60}}(?:{_LETHAL_ABROAD})", rf"(?:{_LETHAL_ABROAD})\w*\b.{{0,40}}\?",
        # Methods, however framed: which is surer, where it is fatal, what holds a weight, a gas that kills.
        r"(?:more|most|less|least) (?:certain|sure|guaranteed|reliable|effective|foolproof|painless|likely to (?:work|kill|succeed))\b.{0,60}"
        r"(?:die|death|dying|fatal|lethal|kill|gas|crash|jump\w*|fall|hang\w*|drown\w*|pills|overdos\w*|gun\w*|shot|bridge|train|rope)",
        r"(?:gas|crash|jump\w*|fall|hang\w*|drown\w*|pills|overdos\w*|gun\w*|shot|bridge|train|rope)\b.{0,60}\b(?:more|most|less|least) "
        r"(?:certain|sure|guaranteed|reliable|effective|foolproof|painless)\b",
        r"(?:certain|sure|likely) to (?:be fatal|be lethal|kill|die|work|end it)\b",
        r"(?:where|which part|what part|which spot)\b.{0,40}\b(?:body|chest|head|neck|wrist|arm|leg|heart)\b.{0,60}(?:fatal|lethal|deadly|kill|die|bleed out)",
        r"strong enough to (?:hang|hold (?:my|a person'?s|someone'?s|your|his|her|a body'?s|an adult'?s) weight)", r"hang (?:from|off) (?:a|the|my) (?:door|beam|banister|rail|tree|hook)",
        r"(?:could|would|can|might|will) (?:\w+ ){0,4}(?:kill|be fatal to|be lethal to) (?:(?:a person|someone|somebody|a human|an adult|a man|a woman|people) "
        r"(?:if|when|after)\b|(?:you|me|us|them) (?:if|when|after) (?:\w+ ){0,2}(?:eat|ate|eaten|eats|drink|drank|drunk|swallow\w*|took|take|taken|inhale\w*|"
        r"breathe\w*|mix\w*))",
        r"(?:gas|fumes) (?:that|which) (?:could|would|can|will|might) kill", r"(?:mix\w*|combin\w*)\b.{0,60}\b(?:gas|fumes)\b.{0,60}(?:kill|deadly|lethal|fatal|die)",
        r"(?:amount|dose|quantity|number|how (?:much|many))\b.{0,60}\bend (?:a|the|his|her|my|their|someone'?s|\w+'?s) (?:[\w']+ )?life\b",
        r"(?:amount|dose|quantity|number) of (?:\w+ ){0,3}(?:that|which|to|needed to|it takes to) (?:would |could |will |might )?(?:kills?\b|kill (?:you|someone|a person)|is fatal|is lethal|be fatal|be lethal)",
        r"(?:guaranteed|definitely|surely|certainly|100%) (?:be )?(?:fatal|lethal|deadly|not survivable|unsurvivable|to kill|to die)",
        r"(?:die|dead|kill\w*|fatal|lethal)\b (?:for sure|for certain|guaranteed|definitely)\b",
        r"(?:knot|noose|ligature|rope|belt|cord|scarf)\b.{0,60}\bneck\b", r"\bneck\b.{0,40}\b(?:knot|noose|ligature)\b", r"\blethality\b",
        r"(?:way|method)s? (?:is|are|would be) (?:the )?(?:most )?(?:painless|least painful)", r"for (?:it|that|this|them|him|her|someone) to be (?:fatal|lethal|deadly)",
        r"how (?:long|quickly|fast)\b.{0,60}\b(?:lose consciousness|black out|die|bleed out|suffocate|stop breathing)\b",
        r"(?:took|take|takes|swallowed|swallow|drank|ate) (?:\w+ ){0,3}(?:entire|whole|all|every|bottle|box|pack|handful|lot of|load of|bunch of|\d{2,})\b"
        r".{0,60}\b(?:would|will|could|do|does) (?:they|he|she|i|you|someone|a person|it) (?:die|survive|kill|wake up)\b",
        r"(?:deadly|lethal|fatal|poisonous|kill\w*)\b.{0,80}\bhow (?:many|much)\b(?! (?:time|longer|fun|money))",
        r"how (?:many|much)\b.{0,60}\bbefore (?:it'?s|it is|i'?m|i am|you'?re|you are|it'?s all|everything is) (?:over|done|gone|dead|finished)\b",
        r"\bld ?50\b", rf"(?:is there|what'?s|whats|what is) (?:a |an |the )?(?:dose|amount|quantity|number|level) (?:of )?.{{0,40}}"
        rf"(?:that'?s|thats|that is|that would be|which is|that can be|that could be) (?:\w+ )?(?:{_HARMFUL})",
        r"(?:all|whole|every|entire|lot of|load of|bunch of)\b.{0,60}(?:fall asleep forever|sleep forever|never wake up|not wake up|"
        r"wouldn'?t wake up|won'?t wake up|go to sleep for good)", r"how (?:dangerous|bad|harmful|risky|deadly|toxic|lethal|fatal) (?:is it|would it be|is|are) (?:to )?(?:take|taking|have|having|"
        r"drink|drinking|swallow|swallowing|mix|mixing|eat|eating) (?:\d+|a (?:whole|full|lot|load|bunch|bottle|box|pack|handful)|all|too many|"
        r"too much|loads|lots)",
        r"(?:most|more|least|quickest|fastest) (?:dangerous|deadly|lethal|toxic|poisonous|harmful) (?:combination|combo|mix|thing|pill|drug|plant|"
        r"chemical|medicine|medication|substance|way)s?",
        r"(?:deadly|lethal|fatal|poisonous|toxic|dangerous)\b.{0,40}\b(?:smallest|tiniest|least) (?:amount|dose|quantity)",
        r"(?:whole|full|entire) (?:bottle|box|pack|packet|strip|jar) of .{0,60}\b(?:would|could|will|does|do) (?:she|he|they|you|i|someone|"
        r"a person) (?:die|survive|wake up|stop breathing)",
        r"(?:would|could|will|does|can) (?:\w+ ){0,3}stop (?:\w+ )?(?:breathing|heart)",
        rf"(?:max(?:imum)?|most|how much|how many|limit|point|level|dose|amount|quantity|number)\b.{{0,60}}\b(?:before|until|till|becomes?|"
        rf"turns?|gets?|is|where) (?:\w+ ){{0,4}}(?:{_HARMFUL}|life[- ]threatening|liver failure|organ failure|intensive care|icu|stomach pumped|"
        r"an overdose)",
        r"(?:deadliest|most deadly|most lethal|most toxic|most poisonous|most dangerous)\b", r"life[- ]threatening",
        r"(?:put|land|send) (?:someone|somebody|a person|you|me|him|her|them) in (?:hospital|intensive care|icu|a coma)",
        r"(?:enough|too much|too many) to (?:do (?:some |real |serious )?damage|hurt|harm|kill|poison|stop)",
        r"(?:\d+|a (?:whole|full) \w+|a bottle|a box|a pack) (?:of )?(?:\w+ ){0,3}(?:plus|and|with) (?:\d+|a (?:whole|full) \w+|a bottle|a box)"
        r" .{0,40}(?:stop|kill|fatal|lethal|die|breathing|dangerous)",
        r"(?:what|which) (?:quantity|amount|dose|level|number) .{0,60}(?:stop|kill|fatal|lethal|die|breathing|heart)",
        r"if (?:you|someone|somebody|a person|people|i|he|she|they|my \w+|a \w+) (?:took|take|takes|swallowed|swallow|drank|drink|ate|eat|had) "
        r"(?:\d+|a (?:whole|full|lot|load|bunch|bottle|box|pack|handful)|all|too many|too much|loads|lots|ten|twenty|fifty).{0,60}"
        r"(?:what (?:would|will|could) happen|would (?:it|they|that) (?:kill|be|hurt)|(?:would|could|will) (?:they|he|she|you|i) (?:die|survive))",
    ),
    _rule(
        "self_harm", "crisis_self_harm", "says they harm or want to harm themselves, or someone else does",
        rf"(?:cut|cutt|cutting|cuts|burn|burned|burnt|burning|hurt|hurting|harm|harming|scratch|scratching|hit|hitting|"
        rf"punish|punishing|bite|biting|carve|carving) {_ME}",
        r"(?:cuts|cutting|burns|burning|harms|harming|hurts|hurting|hits|hitting) (?:her|him|them)(?:sel(?:f|ves))\b",
        r"\bsh\b", r"relapse[ds]? (?:on|with|into) (?:sh|self|cutting)", r"make myself bleed", r"deserve (?:the |this )?pain",
        r"(?:hurt|hurts|hurting|punish|punishing) (?:it|my body)\b", r"(?:want|need|crave) (?:physical )?pain", r"holding (?:the|a) (?:blade|razor)",
        r"how deep (?:is too deep|should i|can i)", r"(?:cut|hurt|burned|burnt) (?:her|him|them)sel(?:f|ves)\b", r"(?:rather|just) cut\b(?! (?:them|it|that|this|those|these|the|my|out|back|down|off|in half|ties|class|school|corners)\b)", r"covered in (?:fresh )?(?:cuts|scars|burns)",
        r"the cutting", r"(?:keep |kept )?(?:hitting|banging) my head (?:against|when|until|till)", r"started again\b.{0,20}$",
        r"(?:cut|cutt|cutting|slit|slitting|burn|burning|carve|carved|carving|scratch(?:ed)?|scratching) (?:into )?(?:my |her |his )?(?:wrists?|arms?|thighs?|legs?|skin|stomach)\b(?! (?:on|while|when|by accident|accidentally|cooking|chopping))",
        r"(?:urges?|want|wanna|need|going) to (?:cut|hurt myself|bleed|feel pain|hurt my body)\b(?! (?:down|back|out|the|my hair|costs|in line))",
        r"(?:hide|hiding|cover|covering) (?:my |the )?(?:scars|cuts|wounds|marks)", r"(?:fresh|new|my|her|his) cuts\b",
        r"(?:can'?t stop|started|start|starting|keep) cutting(?! (?:her|his|their|the|back|down|up|out|class\w*|school|food|hair|corners|ties|carbs|sugar|costs)\b)", r"cut(?:ting)? again", r"cut deeper", r"reopen\w* (?:my |the )?(?:cuts|wounds)",
        r"(?:until|till|til) (?:i|it|they) (?:bled|bleed|bruise|bruised)", r"(?:deserve|need) to (?:bleed|hurt|suffer|feel pain|be punished)",
        r"(?:on purpose|deliberately)\b", r"see blood", r"(?:blade|razor)s? (?:in my|hidden|hid|without|to cut)", r"(?:buy|get) (?:razor )?blades",
        r"(?:hid|hide|hidden|keep) a (?:blade|razor)",
        r"(?:marks|scars|cuts|burns) on my (?:arms?|thighs?|wrists?|legs?|stomach)", r"long sleeves\b.{0,40}(?:nobody|no one|hide|see|notice)",
        r"what i did to my (?:arm|arms|wrist|leg|legs|body)", r"broke my (?:sh|clean) streak", r"(?:\d+|a|two|three) (?:days|weeks|months) (?:clean )?gone",
        r"(?:is it bad that|why does) cutting", r"(?:need|needs) stitches",
        r"(?:carve|carving|carved|scratch|scratching|scratched|etch\w*) (?:\w+ ){0,3}(?:into|in|on) my (?:skin|arms?|legs?|thighs?|wrists?|body|stomach)",
    ),
    _rule(
        "self_harm.word", "crisis_self_harm", "mentions self-harm in the first person or without context",
        r"self[- ]?harm(?:ing|ed|s)?",
    ),
    _rule(
        "harm_others", "crisis_harm_others", "says they intend to or have urges to hurt someone, or someone else does",
        rf"(?:want|wanna|going|gonna|plan|planning|urges?|thoughts?|ready|thinking|fantasi[sz]ing|think) (?:to |of |about )?(?:really )?(?:stab|stabbing|shoot|shooting|strangle|strangling|poison|poisoning|murder|murdering|smother|drown|beat|hurt|hurting|kill|killing|harm|harming|push|run over) {_PEOPLE}\b(?! (?:if|when|lol|haha|for eating|for taking|in (?:a|the) game|away))(?!(?: \w+){{0,3}} at {_GAMES})",
        # Violence with no idiomatic sense, slang included ("gonna batter him when he comes out"): "when" does not make it a joke.
        rf"(?:want|wanna|going|gonna|plan|planning|urges?|ready|fantasi[sz]ing) (?:to |of |about )?(?:really )?(?:stab|shoot|strangle|smother|hurt|"
        rf"batter|deck|smack|slap|punch|bash|glass|shank|choke|knock out|beat up|jump) (?:that (?:\w+ )?(?:guy|girl|man|woman|bloke|lad|kid|prick|"
        rf"bitch|idiot|twat|dick)|{_PEOPLE})\b(?! (?:lol|haha|in (?:a|the) game))(?!(?: \w+){{0,3}} at {_GAMES})",
        rf"(?:stab|stabbing|shoot|strangle|poison|murder|smother) {_PEOPLE}",
        r"(?:have|got|bought|bring|bringing|take|taking|brought) (?:a |my |his |her |the )?(?:\w+'s )?(?:gun|rifle|knife|weapon)s? (?:to|into) (?:school|work|class|the office|church)",
        r"make (?:them|him|her) (?:all )?pay\b", r"(?:shoot|shooting) up (?:the|my|his|her) (?:school|class|work|office)",
        r"run (?:him|her|them) over", r"(?:get|buy) a gun without", r"(?:poison|drug)s? (?:that )?(?:can'?t|won'?t|cannot) be (?:traced|detected)",
        r"get away with (?:hurting|killing|murder|it)", r"(?:hurt|hit|beat) someone (?:without|so they|so bad)", r"so they don'?t get up",
        r"(?:knife|gun|weapon) to use on", r"make a (?:weapon|bomb)", r"get rid of a body", r"(?:all )?be dead by (?:friday|monday|tomorrow|tonight)",
        r"list of people i'?m going to", r"(?:end|take) (?:his|her|their) life", r"(?:left|leave|leaving) bruises on (?:my|his|her)",
        r"(?:hit|hurt|beat) my (?:girlfriend|boyfriend|wife|husband|partner|kid|kids|child|son|daughter|baby) (?:and|again)",
        r"(?:waiting|outside) (?:outside )?(?:his|her|their) (?:house|home|place)\b.{0,30}(?:knife|gun|hurt|right now)",
        r"(?:gonna|going to) get hurt\b.{0,40}by me", r"(?:physically )?suffer and i'?m going to",
        r"(?:kill|hurt|stab|shoot) (?:his|her|their) (?:dad|mom|ex|wife|girlfriend|boyfriend|sister|brother|coworker|baby|kids?|family)",
        r"i'?m stabbing him", r"not a figure of speech", r"(?:they'?ll|he'?ll|she'?ll|you'?ll) (?:all )?(?:pay|see)\W*$",
        r"(?:knife|gun)\b.{0,30}(?:use it on|going to use it)", r"shook my baby", r"almost (?:hurt|hit|killed) my", r"make (?:my \w+|him|her|them) bleed",
        r"(?:going to|gonna) end (?:his|hers|theirs)\b", r"burn (?:his|her|their) (?:house|home|car)", r"never walks? again",
        rf"how (?:to|do i|can i|would i) (?:hurt|kill|poison|stab|shoot) {_PEOPLE}", r"(?:i'?ll|i will|i'?m) be waiting for (?:him|her|them)",
        r"know (?:his|her|their) schedule", r"ends? up in (?:the )?hospital",
        r"poison(?:ing)? (?:the )?(?:\w+'s )?(?:city|water|food|drink|coffee|tea)\b",
    ),
    _rule(
        "abuse", "crisis_abuse", "says they are being abused or are in danger from someone, or someone else is",
        rf"{_ABUSER} (?:hits|hit|beats|beat|slaps|slapped|punches|punched|kicks|kicked|chokes|choked|strangles|strangled|pushed|pushes|shoved|grabbed|grabs|"
        rf"rapes|raped|molests|molested|touches|touched|abuses|abused|assaults|assaulted|hurts|hurt|burns|burned|beat up|beats up) (?:me|us|her|him|my (?:mom|mum|sister|brother|kids?|baby))\b",
        rf"(?:{_ABUSER}|[\w]+'s (?:boyfriend|husband|stepdad|dad|caregiver|carer|teacher|friend)) (?:is )?(?:hitting|hurting|abusing|beating|molesting|raping) (?:me|her|him)\b",
        r"(?:i was|i got|i've been|i have been|just got|been|i'?m being|she was|he was|being) (?:sexually )?(?:raped|molested|sexually assaulted|assaulted|drugged|trafficked|beaten up|jumped|abused|groped)",
        r"(?:scared|afraid|terrified) (?:to go|of going) home", r"(?:not|don'?t feel|never) safe (?:at home|in my (?:house|home))", r"can'?t go home\b",
        r"(?:threaten(?:s|ed|ing)?|said (?:he|she)'?(?:ll| will| would| is going to)) (?:to )?(?:kill|hurt) me",
        r"(?:he|she|they)(?:'s|'re| is| are)? (?:going to|gonna|coming to) (?:kill|hurt) (?:me|us)\b(?! if| when)",
        r"(?:coming|come) to hurt (?:me|us)", r"help,? he'?s", r"threatened me with", r"knows where i live", r"threatens? to share",
        r"(?:getting|gets) (?:more )?violent", r"(?:threatens|threatened) me\b", r"\bforced me\b", r"makes? me do things",
        r"(?:keep it|keep this|it'?s our) secret", r"typing this in secret", r"(?:reads|checks) my (?:messages|phone)", r"(?:wouldn'?t|won'?t|doesn'?t) let me leave",
        r"starve[sd]? me\b", r"shoves? me\b", r"threw me\b",
        r"\b(?:he|she|they|\w+) (?:only )?(?:is |keeps )?(?:hits|hitting|hurting|beats|beating|shoving|throws|pushed|chokes|choked|slapped|kicked|kicks) "
        r"(?:me|us|mom|mum|my (?:mom|mum|mother|sister|brother|kids?|baby))\b", r"(?:got|get|getting|was|been) (?:attacked|jumped)\b", r"(?:touching|touched) (?:me|her|him)\b(?! up)",
        r"(?:locked|locks|keeps|lock) me (?:in|inside|up)", r"locked in my room", r"(?:took|takes|taken) my (?:phone|passport|keys)",
        r"won'?t let me (?:leave|go out|see)", r"without food\b",
        r"(?:forced|forces|forcing|made|makes|making) me (?:to )?(?:have sex|do sexual|touch him|touch her|sleep with|marry|sell)",
        r"(?:sleep with (?:him|her)|send (?:him|her) (?:pictures|pics|nudes))", r"(?:to )?marry a man i'?ve never met",
        r"told me not to tell", r"(?:says|said) not to tell", r"keep secrets about what (?:he|she) does", r"(?:touched|touches|grab|grabs|grabbed) me\b",
        r"comes into (?:my|her|his) room at night", r"spiked my drink", r"(?:stalking|following|followed) me\b",
        r"(?:gets|getting|get) (?:violent|physical)\b", r"(?:told|said) (?:him|her) no and (?:he|she) (?:didn'?t|did not|wouldn'?t) stop",
        r"bruises\b", r"(?:cover|hide) the (?:marks|bruises)", r"hid(?:e|ing) from (?:him|her|my \w+)\b", r"(?:he'?s|she'?s) (?:outside|throwing things|banging)",
        r"screaming for help", r"(?:i'?m|i am) scared of my (?:dad|father|mom|mother|husband|wife|boyfriend|girlfriend|stepdad|partner)",
        r"(?:i'?m|i am) (?:12|13|14|15|16|17)\b.{0,60}(?:older|adult|grown|guy|man)", r"(?:older|adult|grown) (?:guy|man|men)\b.{0,60}(?:meet|pictures|pics|gifts|secret)",
        r"get hit at home", r"walk on eggshells", r"(?:hurt|hurts|hit|hits) me if i\b", r"(?:family|parents) will (?:hurt|kill) me",
    ),
    # Indonesian (the classifiers are English-only, so this layer is the only judge here).
    _rule(
        "id.suicide", "crisis_suicide", "Indonesian: wants to die or end their life",
        r"bunuh diri", r"bundir", r"(?:ingin|pengen|pengin|pgn|mau|mo|kepengen) (?:aja |saja |rasanya )?mati\b(?! (?:gaya|lampu|listrik|kutu|rasa))(?<!sampai mau mati)(?<!sampe mau mati)",
        r"(?:mengakhiri|akhiri|akhirin|ngakhirin|udahin|sudahi) (?:hidup|semua(?:nya)?)", r"(?:capek|capai|cape|lelah|muak|bosan|bosen) hidup",
        r"(?:gak|ga|nggak|tidak|tak|enggak|ngga) (?:mau|ingin|pengen|kuat) (?:hidup|bangun) lagi", r"(?:gak|ga|nggak|tidak|tak|enggak|ngga) (?:mau|ingin|pengen|kuat) hidup",
        r"(?:gak|ga|nggak|tidak|tak) kuat lagi", r"(?:lebih baik|mending) (?:aku |saya |gue |gw )?mati", r"(?:gantung diri|minum racun|loncat dari|lompat dari)",
        r"(?:surat|pesan) (?:perpisahan|terakhir)", r"selamat tinggal (?:semua|selamanya|dunia)",
        r"(?:lebih baik|mending|bahagia|senang) (?:kalau |kalo |jika )?(?:aku |saya |gw |gue )?(?:gak|ga|tidak|nggak) ada",
        r"(?:ngilang|menghilang|hilang) (?:selamanya|untuk selamanya)", r"(?:jadi|hanya|cuma) beban", r"(?:obat|pil) (?:yang )?cukup (?:buat|untuk) mati",
        r"(?:nyiapin|menyiapkan|siapin|siap) tali",
    ),
    _rule(
        "id.self_harm", "crisis_self_harm", "Indonesian: harms or wants to harm themselves",
        r"(?:melukai|menyakiti|nyakitin|lukain|sakitin) diri", r"(?:menyayat|sayat|nyayat|silet|nyilet|menyilet) (?:tangan|lengan|nadi|kulit|paha)?",
        r"self ?harm lagi", r"(?:bekas|luka) (?:luka |sayatan )?di (?:tangan|lengan|paha)",
    ),
    _rule(
        "id.harm_others", "crisis_harm_others", "Indonesian: intends to hurt someone",
        r"(?:bunuh|membunuh|nusuk|menusuk|tusuk) (?:dia|ayah|ibu|mantan|suami|istri|pacar|adik|kakak|temen|teman|orang)",
        r"(?:mau|pengen|ingin) (?:nyakitin|menyakiti|mukul|memukul) (?:dia|orang|ayah|ibu|mantan|pacar)",
    ),
    _rule(
        "id.abuse", "crisis_abuse", "Indonesian: is being abused or is in danger",
        r"(?:mukul(?:in)?|memukul(?:i)?|nampar|menampar|nyiksa|menyiksa) (?:aku|saya|gue|gw)", r"(?:dipukul(?:i|in)?|diperkosa|dilecehkan|disiksa|dianiaya|ditampar)",
        r"pegang-pegang (?:aku|saya)", r"nyuruh (?:aku|saya) diam", r"minta tolong",
    ),
)

# Messages about the past or about recovery: the self-harm and abuse rules do not fire
# on these alone (unless the message also says it is happening again or now).
_PAST = re.compile(
    r"\b(?:used to|years? ago|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|many) (?:days?|weeks?|months?|years?) (?:clean|free|sober)|"
    r"clean (?:for|since)|when i was (?:a |little|young|\d+)|as a (?:kid|child|teen)|in the past|back in (?:high school|school|sixth form|secondary school|middle school|year \d+|the day|\d{4})|"
    r"in (?:high school|college|uni|university|sixth form|secondary school|middle school)|not any ?more|doing better|"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|many) (?:days?|weeks?|months?|years?) (?:since|without|clear)|"
    r"in my (?:teens|twenties|early \w+|late \w+|\d0s)|as a teenager|when i was younger|it'?s been (?:a decade|years)|"
    r"in (?:19|20)\d\d\b|(?:that|this) was (?:in )?(?:19|20)\d\d|\d+ years? ago|(?:a long time|long time|ages|decades?|months) ago|"
    r"(?:\d+|one|two|three|four|five|a few|several|many|over|almost|nearly) (?:years?|months?) (?:out|well|on from|into recovery|in recovery)\b|"
    r"(?:haven'?t|have not|hasn'?t|has not) (?:had|felt|done|thought|cut|self[- ]?harmed|been|wanted) (?:\w+ ){0,4}(?:in|for) "
    r"(?:about |over |almost |nearly )?(?:\d+|a|one|two|three|four|five|six|a few|several|many|ages|years)\b|"
    r"(?:at|in) (?:uni|university|college|school|high school) i (?:had|was|went|got|felt|tried|did|used)|i remember (?:being|when|feeling|thinking)|back then|"
    r"(?:all|right) (?:through|thru) (?:school|high school|secondary school|middle school|sixth form|uni|university|college|my teens|my twenties)|"
    r"(?:during|throughout) (?:school|high school|secondary school|middle school|uni|university|college|my teens|my twenties|my \d0s)|"
    r"there was a (?:time|period|point|year)|years back|it'?s been (?:over |more than |almost |nearly )?(?:a decade|years|\d+ years)|"
    r"(?:nothing|not once|none) since (?:then|that|\d{4})|(?:haven'?t|havent|hasn'?t|hasnt) (?:\w+ )?since (?:then|that|\d{4}|school|uni)\b|"
    r"(?:haven'?t|havent|hasn'?t|hasnt) since\W*$)",
    re.I,
)
_CURRENT = re.compile(
    r"\b(?:again|relapse[ds]?|tonight|today|right now|keeps?|yesterday|last night|urges?|(?<!don't )(?<!didn't )(?<!didnt )want|wanna|about to|"
    r"(?:it'?s|its|they'?re|it is|they are|came|coming|come) back)\b", re.I
)
_HELD_BACK_BY_PAST = frozenset({"self_harm", "self_harm.word", "suicide.word", "abuse", "id.abuse", "id.self_harm"})
# General questions about a topic ("why do people self harm?"): the bare topic words do
# not fire unless the person also speaks of themselves.
_GENERAL_QUESTION = re.compile(r"^(?:what|why|how|is|are|does|do|can|should|where|who|when)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|me|my|myself)\b", re.I)
_TOPIC_WORDS = frozenset({"suicide.word", "self_harm.word"})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_LEET_WORD = re.compile(r"[a-z][013457@$]+[a-z]")
_DIGIT_WORD = re.compile(r"\b(?:[a-z]*[013457@$][a-z013457@$]*|1)\b")
_LEET_LETTERS = str.maketrans("013457@$", "oieastas")


def normalise(text: str) -> str:
    """Lower case, one kind of apostrophe, spaces for control characters and for an underscore between words
    (`lethal_dose` in a made-up JSON field reads as words; a blank `___` stays), and letters for the digits of a
    message written in leetspeak."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    text = re.sub(r"(?<=[a-z0-9])_(?=[a-z0-9])", " ", re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text))
    return _unleet(re.sub(r"\s+", " ", text))


def _unleet(text: str) -> str:
    """A message with two or more words that put a digit between letters ("h0w m4ny") is in leetspeak: each word
    with a digit, and a lone "1" ("c4n 1 m1x"), is read with letters. Other messages keep their digits, since
    "10mg", "4am" or "b12" mean what they say."""
    if len(_LEET_WORD.findall(text)) < 2:
        return text
    return _DIGIT_WORD.sub(lambda word: word.group().translate(_LEET_LETTERS), text)


@dataclass(frozen=True)
class PhraseHit:
    rule: str
    intent: str
    description: str


def past_only(normal: str) -> bool:
    """Whether a normalised message speaks of the past or of recovery, and not of now."""
    return bool(_PAST.search(normal)) and not _CURRENT.search(normal)


def scan(text: str) -> list[PhraseHit]:
    """Every rule that fires on the message, in rule order."""
    normal = normalise(text)
    held_back: set[str] = set()
    if past_only(normal):
        held_back |= _HELD_BACK_BY_PAST
    if _GENERAL_QUESTION.search(normal) and not _FIRST_PERSON.search(normal):
        held_back |= _TOPIC_WORDS
    return [
        PhraseHit(rule.id, rule.intent, rule.description)
        for rule in RULES
        if rule.id not in held_back and rule.pattern.search(normal)
    ]
