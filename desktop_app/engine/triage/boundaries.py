"""Medical boundaries: requests that Haven answers with a fixed, human-written reply, never the model.

Haven is an AI, not a clinician: it does not diagnose, and it does not advise on medication (which
one, changing or skipping a dose, stopping, mixing with alcohol, drugs or other medicines). Such a
request is recognised here, deterministically and before any generation, and gets a reply that says
so and names who can help. The rules here decide first; a small learned model (`medical_model.py`)
adds the requests they miss. Questions about how dangerous or lethal an amount of something is are
not boundaries but crises: the phrase rule `means.lethality` catches them, however they are framed.

Rules report their id, never the matched text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from desktop_app.engine.triage.medical_model import shipped_model
from desktop_app.engine.triage.phrases import LazyPattern, any_of, normalise

BoundaryKind = Literal["diagnosis", "medication"]

MEDICINE: Final = (
    r"(?:ssris?|snris?|maois?|sertraline|zoloft|fluoxetine|prozac|citalopram|celexa|escitalopram|lexapro|cipralex|paroxetine|paxil|"
    r"seroxat|venlafaxine|effexor|desvenlafaxine|pristiq|duloxetine|cymbalta|bupropion|wellbutrin|mirtazapine|remeron|trazodone|"
    r"amitriptyline|nortriptyline|vortioxetine|trintellix|agomelatine|lithium|lamotrigine|lamictal|valproate|depakote|carbamazepine|"
    r"quetiapine|seroquel|olanzapine|zyprexa|risperidone|risperdal|aripiprazole|abilify|clozapine|haloperidol|lurasidone|latuda|"
    r"benzos?|benzodiazepines?|xanax|alprazolam|valium|diazepam|lorazepam|ativan|clonazepam|klonopin|temazepam|adderall|ritalin|"
    r"methylphenidate|vyvanse|elvanse|lisdexamfetamine|concerta|dexedrine|dexamphetamine|modafinil|atomoxetine|strattera|guanfacine|"
    r"stimulants?|melatonin|zopiclone|zolpidem|ambien|antihistamines?|benadryl|diphenhydramine|promethazine|phenergan|hydroxyzine|"
    r"propranolol|beta[- ]?blockers?|gabapentin|pregabalin|lyrica|tramadol|codeine|co-codamol|oxycodone|oxycontin|hydrocodone|"
    r"vicodin|morphine|fentanyl|opioids?|opiates?|painkillers?|pain killers?|ibuprofen|advil|nurofen|paracetamol|acetaminophen|tylenol|"
    r"panadol|aspirin|naproxen|st\.? john'?s wort|5-?htp|ashwagandha|kava|valerian|cbd|antidepressants?|anti-depressants?|"
    r"antipsychotics?|anti-psychotics?|mood stabili[sz]ers?|sleeping (?:pills?|tablets?)|sleep aids?|anxiety (?:meds|medication|pills)|"
    r"meds?|medications?|medicines?|pills?|tablets?|prescriptions?|birth control|the pill|contraceptive pill|insulin|metformin|"
    r"levothyroxine|thyroxine|statins?|warfarin|steroids?|prednisolone|prednisone|antibiotics?|naltrexone|disulfiram|antabuse|"
    r"methadone|suboxone|buprenorphine|nicotine (?:patch|patches|gum)|supplements?|vitamins?|"
    r"ozempic|wegovy|mounjaro|saxenda|roaccutane|accutane|isotretinoin|apixaban|eliquis|rivaroxaban|xarelto|microgynon|yasmin|"
    r"rigevidon|cerazette|the implant|the coil|calpol|nytol|sominex|sudafed|night nurse|lemsip|inhalers?|epipen|viagra|sildenafil|"
    r"cialis|finasteride|minoxidil|hrt|estrogen|oestrogen|progesterone|testosterone|antacids?|gaviscon|laxatives?|fish oil|turmeric|"
    r"magnesium|iron tablets|vitamin [a-e]\d*|b12|zinc|creatine|pre-?workout|kratom|nicotine|cold (?:and flu )?(?:medicine|tablets)|"
    r"decongestants?|allergy (?:pills|tablets|meds)|hay ?fever (?:pills|tablets|meds)|rivotril|medikinet|phenibut|tianeptine|saffron|"
    r"baldrian|rescue remedy|antideps?|anti-?deps?|happy pills|methotrexate|topiramate|phenelzine|water tablets?|blood thinners?|"
    r"(?:the )?(?:blue|brown) inhaler|lion'?s mane|l-?theanine|magnesium glycinate|nootropics?|"
    r"\w{3,}(?:pril|olol|statin|prazole|azole|dipine|sartan|cillin|mycin|cycline|floxacin|afil|tidine|glutide|xetine|triptyline|"
    r"azepam|zolam|barbital|codone|morphone|profen|tadine|lukast|olone|asone|ridone|apine|apam|oxacin|semide|thiazide|gliptin|"
    r"gliflozin|parin|xaban|fenac|coxib|setron|triptan|mide|amide|pramine|azine|pam))"
)
CONDITION: Final = (
    r"(?:depress\w*|anxi\w*|adhd|add\b|autis\w*|asperger\w*|on the spectrum|neurodivergent|bipolar|manic|mania|bpd|borderline|ocd|"
    r"obsessive|ptsd|c-?ptsd|schizo\w*|psycho\w*|narcissis\w*|sociopath\w*|psychopath\w*|anorexi\w*|bulimi\w*|binge eating|"
    r"eating disorder|arfid|insomnia|narcolepsy|dementia|alzheimer\w*|dyslexi\w*|dyspraxi\w*|dyscalculia|tourette\w*|tics?\b|"
    r"personality disorder|mentally ill|mental illness|panic (?:disorder|attacks?)|social anxiety|agoraphobi\w*|phobi\w*|gad\b|mdd\b|"
    r"pmdd|seasonal affective|postpartum|postnatal|hypochondri\w*|health anxiety|dissociat\w*|did\b|derealisation|derealization|"
    r"depersonali[sz]ation|disorder|syndrome|condition|illness|disease|burn ?out|chronic fatigue|fibromyalgia|thyroid|diabetes|"
    r"concussion|tumou?r|cancer|heart attack|stroke|seizures?|epilepsy|migraines?|ibs|long covid|anemi\w*|anaemi\w*|"
    r"sleep apnea|sleep apnoea|lupus|ms\b|multiple sclerosis|parkinson\w*|menopause|perimenopause|pcos|endometriosis|"
    r"infection|virus|flu|covid|strep|tonsillitis|allergy|allergic|asthma|arthritis|gout|hernia|appendicitis|ulcer|gallstones?|"
    r"kidney stones?|uti|std|sti|chlamydia|herpes|shingles|melanoma|skin cancer|eczema|psoriasis|rosacea|acne|hyperthyroid\w*|"
    r"hypothyroid\w*|an?\w+ attack|a heart thing|cluster headaches?|\w+itis|\w+osis|\w+emia|\w+phobia|\w+pathy|\w+thymia|\w+mania|sick)"
)
# A message about symptoms or health, for the diagnosis questions that name no condition ("strep or a virus?").
HEALTH: Final = (
    r"(?:symptoms?|pain|painful|aches?|aching|hurts?|sores?|fever|temperature|rash|spots|lumps?|moles?|swell\w*|swollen|cough\w*|"
    r"headaches?|dizzy|dizziness|numb\w*|tingl\w*|tired|exhausted|fatigue|shak\w*|tremor|sweat\w*|heart (?:races|racing|pounding)|"
    r"chest|breath\w*|wheez\w*|snor\w*|weight|appetite|periods?|bleed\w*|vomit\w*|nause\w*|diarrh\w*|stomach|tummy|bowel|"
    r"vision|memory|forget\w*|confus\w*|mood|moods|voices|hearing things|seeing things|paranoi\w*|obsess\w*|compuls\w*|"
    r"flashbacks?|nightmares?|binge\w*|purg\w*|focus|concentrat\w*|fidget\w*|panic\w*|itch\w*|blister\w*|bruis\w*|"
    r"cramps?|hot flushes|flushes|puffy|pregnan\w*|sleep\w*|insomnia|anxious|anxiety|depressed|low|sad|crying)"
)
ABOUT_HEALTH: Final = rf"(?=.*\b(?:{HEALTH}|{CONDITION}|{MEDICINE})\b)"  # somewhere in the message
_HEALTH_WORDS: Final = LazyPattern(rf"\b(?:{HEALTH}|{CONDITION}|{MEDICINE})\b")
# The model's bar for a message that names no symptom, condition or medicine we know: everyday requests
# ("can you suggest something for the weekend") look like medication requests to it.
UNNAMED_HEALTH_THRESHOLD: Final = 0.85
REQUEST_CHARS: Final = 1500
# A question word opening any clause ("..., which is better", ". does that clash"), not only the message.
_CLAUSE_QUESTION = (r"(?:^|[.,;:!(\-–—] *|\b(?:and|but|so|just|honestly|tbh|ok|okay|quick one|pls|please|seriously|like) )"
                    r"(?:what|whats|what'?s|which|how|is|are|does|do|did|can|could|should|would|will|am|anything|any|ok to|okay to|"
                    r"fine to|safe to|alright to)\b")
_ASKS = (rf"(?:\?|{_CLAUSE_QUESTION}|"
         r"\b(?:not sure (?:if|whether)|idk (?:if|whether)|wondering (?:if|whether)|no idea (?:if|whether)|(?:pick|choose) (?:one|for me)|"
         r"assess|diagnose|rate how|suggest|a problem|vs\.?|versus|"
         r"(?:doesn'?t|don'?t|isn'?t|aren'?t|hasn'?t|haven'?t|wasn'?t) (?:it|she|he|they|i|that|this)(?=\W*(?:[.!,;]|$))|"
         r"between us (?:what|which|how)|(?:thinking (?:of|about)|planning (?:to|on)) (?:\w+ing|\w+ my))\b|"
         r"\b(?:should|can i|can he|can she|can we|could i|would|is it|is that|is this|do i|does (?:he|she|my)|am i|will it|tell me|"
         r"any advice|advise|recommend|what do you think|do you think|do u think|would you say|would u say|in your opinion|which one|"
         r"pick for me|you agree|can you confirm|can you|could you|will you|be honest|yes or no|y/n|is there|isn'?t it|innit|"
         r"(?:thinking (?:of|about)|planning (?:to|on)|going to|gonna|want to|wanna|tempted to|about to|i'?ll|i will|might) (?:\w+ ){0,3}(?:stop|"
         r"stopping|quit|quitting|come off|coming off|go off|going off|ditch|skip|skipping|double|doubling|halve|lower|drop|dropping|taper|cut|"
         r"break|pause|leave|leaving)|any (?:issues?|problems?|risks?|danger|harm|side effects)|"
         r"will (?:it|they|that|this|she|he) (?:be|mess|affect|"
         r"interact|cancel|work|hurt|matter|clash))\b|"
         r"\b(?:fine|ok|okay|alright|right|or nah|or not|good idea|bad idea|thoughts|honestly|pick|choose|opinion|confirm|agree|"
         r"what is it|what have i got|or (?:just |maybe )?(?:\w+ ){0,4}\w+)\W*$)")


@dataclass(frozen=True)
class BoundaryRule:
    """A kind of medical request; it fires only on a message that asks something (`_asks`)."""

    id: str
    kind: BoundaryKind
    description: str
    pattern: LazyPattern


def _rule(rule_id: str, kind: BoundaryKind, description: str, *alternatives: str) -> BoundaryRule:
    return BoundaryRule(rule_id, kind, description, any_of(*alternatives))



def _with_medicine(*words: str, medicine: str = MEDICINE) -> str:
    """A message that names a medicine and says one of `words` (in either order)."""
    said = "|".join(words)
    return rf"^(?=.*\b{medicine}\b)(?=.*\b(?:{said})\b)"


# The requests in the languages of our users (Spanish, Portuguese, French, German, Italian, Polish, Hindi and Urdu
# in Latin script, Tagalog, Swahili): a medicine or a condition, and the question's own words.
MEDICINE_ABROAD: Final = (r"(?:medicamento\w*|medica[çc][ãa]o|rem[ée]dios?|pastillas?|comprimidos?|p[íi]lulas?|m[ée]dicaments?|traitement|"
                          r"cachets?|tabletten?|medikament\w*|pillen|arznei\w*|pastiglie|pillole|farmac[oi]|leki|lek[óo]w|lekarstw\w*|tabletk\w*|"
                          r"dawa|dawai|gamot|goli(?:yan|yon|ya)?|antidepresiv\w*|antidepressiv\w*|antidepresyjn\w*|ansiol[íi]tic\w*|\w+alina|"
                          rf"\w+etina|\w+apam|\w+azepam|{MEDICINE})")
CONDITION_ABROAD: Final = (r"(?:trastorno|transtorno|trouble|st[öo]rung|\w+st[öo]rung|disturbo|zaburzeni\w*|depresi[oó]n|depress[ãa]o|"
                           r"d[ée]pression|depressione|depresj\w*|ansiedad|ansiedade|anxi[ée]t[ée]|angst\w*|ansia|l[ęe]k\w*|bipolar\w*|tdah|toc|"
                           r"tept|esquizofreni\w*|schizophr[eé]ni\w*|schizofreni\w*|demencia|dem[eê]ncia|d[ée]mence|demenz|autism\w*|autysm\w*|"
                           rf"bimari|bimaari|rog|sakit|ugonjwa|enfermedad|doen[çc]a|maladie|krankheit|malattia|choroba|{CONDITION})")
_DIAGNOSIS_QUESTION_ABROAD: Final = (r"(?:tengo|tendr[ée]|ser[áa] (?:que )?|tenho|est-ce que j'?ai|ai-je|est-ce que (?:c'est|il a|elle a)|j'?ai (?:une?|la|le|des)|"
                                     r"habe ich|hab ich|hat (?:er|sie)|ist das|ho (?:la|una?|il|lo)|soffro di|czy (?:mam|ma|to)|kya (?:mujhe|mujhko|mere ko|use|usko|ye|yeh)|"
                                     r"mujhe kya|may .{0,20} ba (?:ako|siya)|ako ba|je,? ana|nina)")
# Other ways of asking: an order that opens a clause ("give me your diagnosis", "fill in this form"), a blank to
# fill in ("dose: ___"), and the question words of other languages.
_ASKS_OTHERWISE: Final = (r"(?:^|[.!:;,] *|\b(?:now|then|just|please|pls|ok|okay|so) )(?:give|write|make|fill|complete|list|rank|rate|name|answer|"
                          r"create|generate|draft|finish|continue|help me|tell me|be my|act as|play)\b|_{2,}|"
                          r"\b(?:batao|bataiye|bata do|d[íi]melo|dime|dis-moi|dites-moi|sag mir|sagen sie|dimmi|mi dica|powiedz|sabihin|niambie|"
                          r"puedo|debo|deber[íi]a|posso|devo|deveria|peux-je|puis-je|dois-je|kann ich|darf ich|soll ich|sollte ich|potrei|mog[ęe]|"
                          r"powinienem|powinnam|czy|kya|chahiye|pwede|dapat|naweza|nifanye)\b")

DOSE_WORDS: Final = (r"(?:more|less|fewer|extra|another|a second|double|half) (?:of )?(?:my |the |his |her |a |an )?(?:\w+ )?(?:pills?|tablets?|"
                     r"doses?|ones?|mg|meds|dose)|(?:take|taking|give|giving|have|having|use|using) (?:\w+ )?(?:a (?:little|bit|few) )?"
                     r"(?:more|less|extra|another)|double|doubl\w+|halve|(?:go|going|put|bump|move|moving|drop|dropping|come|coming|step|stepping) "
                     r"(?:up|down)|up (?:my|the|it|to)|down to|increase|decrease|higher|lower|skip\w*|miss\w*|forgot\w*|"
                     r"instead|earlier|later|both|twice|on top|catch up|make up|morning|night|bedtime|every other|weekends?|\d+ ?mg|split|"
                     r"(?:take|taking|have|having|cut|cutting|split|splitting) (?:\w+ ){0,2}(?:in )?half")
STOP_WORDS: Final = (r"stop\w*|quit\w*|come off|coming off|go off|going off|get off|be off|stay off|bin|binn\w*|flush\w*|"
                      r"(?:don'?t|do not|dont) (?:think i )?need (?:it|them|my \w+) (?:any ?more|now)|wean\w*|taper\w*|cold turkey|break from|holiday|pause\w*")
CHOICE_WORDS: Final = (r"which|best|better|recommend\w*|alternative|instead of|replac\w*|substitut\w*|natural|herbal|over the counter|otc|works as well|as good as|"
                       r"switch\w*|start|try|go on|get on|ask (?:for|about)|push for|prescribe\w*")
OTHER_SUBSTANCE: Final = (r"(?:alcohol|booze|beers?|wine|vodka|gin|rum|whisky|whiskey|shots?|drinks?|drinking|drunk|liquor|spirits|weed|cannabis|"
                          r"marijuana|edibles?|joint|smoke|smoking|mdma|molly|ecstasy|pills at a|coke|cocaine|ketamine|shrooms|mushrooms|acid|"
                          r"lsd|speed|grapefruit|caffeine|coffee|energy drinks?|red bull)")

RULES: Final[tuple[BoundaryRule, ...]] = (
    _rule(
        "boundary.diagnosis", "diagnosis", "asks whether they (or someone) have a condition, or which one",
        rf"(?:am i|are you saying i'?m|is (?:he|she|my \w+)|are (?:they|we)) (?:\w+ ){{0,4}}{CONDITION}",
        rf"(?:do|could|might|would|can) (?:i|he|she|they|my \w+) (?:\w+ ){{0,2}}(?:have|be|suffer from|meet the criteria for|qualify for|count as) "
        rf"(?:\w+ ){{0,4}}{CONDITION}",
        rf"(?:do|would|could) you (?:think|say|reckon|guess|believe) (?:that )?(?:i|i'?m|he|she|they|my \w+) (?:\w+ ){{0,5}}{CONDITION}",
        rf"(?:is|could) (?:this|it|that|these|what i have|what i'?m feeling|what i'?m going through) (?:\w+ ){{0,4}}(?:a sign of |signs of |"
        rf"symptoms? of |a symptom of |just |actually |really )?(?:a |an )?{CONDITION}",
        rf"(?:sounds?|seems?|looks?|feels?) like (?:i have|i'?ve got|i'?m|im|it'?s|its|he has|she has|they have) (?:\w+ ){{0,3}}{CONDITION}",
        r"diagnos(?:e|ing) (?:me|him|her|them|my|this)", r"(?:give|make) (?:me )?a diagnosis", r"what(?:'s| is) (?:wrong|the matter) with (?:me|him|her|my)",
        rf"what (?:kind of |type of )?(?:{CONDITION}|disorder|condition|illness|diagnosis) (?:do|does|would|could|might) (?:i|he|she|they|my \w+|this)",
        rf"(?:which|what) (?:\w+ ){{0,2}}(?:disorder|condition|illness|diagnosis|type of (?:{CONDITION})) (?:is|am|do|fits|matches|describes)",
        rf"(?:test|screen|assess|check|evaluate|quiz) (?:me|him|her|them) (?:for|on) (?:\w+ ){{0,2}}{CONDITION}",
        rf"(?:how likely|what are the chances|rate how likely|on a scale) (?:\w+ ){{0,6}}(?:i|i'?m|he|she|they) (?:\w+ ){{0,4}}{CONDITION}",
        rf"(?:{CONDITION}) or (?:just )?(?:\w+ ){{0,3}}{CONDITION}\?", rf"(?:^|[.!?,;:] *)(?:\w+ ){{0,2}}{CONDITION} *\?+\W*$", rf"(?:i think|i bet|pretty sure|i reckon) i(?: have|'?ve got|'?ve| am|'m) (?:\w+ ){{0,3}}{CONDITION}",
        r"(?:my symptoms|i have|i'?ve had|i get|i keep getting) .{0,120}(?:what is it|what could it be|what (?:do|does) (?:i|that|it) have|what'?s causing)",
        rf"(?:{HEALTH}).{{0,200}}(?:what is it|what could it be|what have i got|what(?:'s| is) (?:causing|going on|happening)|what (?:do|does) "
        rf"(?:i|he|she|they|my \w+) have|(?:is|could) (?:this|it|that) be|{CONDITION}\b[^.?!]{{0,40}}\bor\b|\bor\b[^.?!]{{0,40}}\b(?:{CONDITION}|"
        rf"something|nothing|serious)|\bor (?:just |maybe )?(?:normal|regular|ordinary|nothing|something|a normal)\b|(?:^|[.!,;:] )\w+(?: \w+)?\?+\W*$|(?:is|could|would) (?:that|this|it) (?:\w+ ){{0,3}}\w+\?|y/n|\byes or no)",
        r"(?:do|does|did) (?:i|he|she|they|my \w+|my \w+'s \w+) (?:\w+ )?(?:have|has|got)\b(?! to\b)(?! (?:a|any|the|my|your) (?:job|car|"
        r"time|chance|idea|point|money|friends?|plans?|way))",
        r"(?:have|has) (?:i|he|she|they) got (?:\w+ ){0,3}\w+\?", r"(?:would|do) (?:u|you) say (?:i|he|she|they|my)",
        r"(?:can you|could you|just) (?:confirm|tell me what)", r"(?:gut feeling|percentage|what are the odds|how likely)",
        rf"(?:sounds?|seems?|looks?) like (?:\w+ ){{0,2}}{CONDITION}", rf"(?:that'?s|thats|this is|it'?s|its|is that) (?:\w+ ){{0,2}}{CONDITION}",
        r"(?:tell|know|say|see|guess) (?:if|whether) (?:i|he|she|they|my \w+) (?:have|has|am|is|'?m|'?s|got)\b",
        rf"would (?:you|u) say (?:that'?s|it'?s|this is|thats|its) (?:\w+ ){{0,2}}{CONDITION}",
        r"(?:what could it be|what (?:is|could|might) (?:it|this|that) be|what(?:'s| is) (?:causing|wrong)|what (?:condition|disorder|illness|"
        r"diagnosis) (?:makes|causes|is|would|fits|do|does)|what would (?:they|he|she|i|you) be diagnosed|give (?:it|me) a (?:name|label)|"
        r"what(?:'s| is) my diagnosis|tell me what (?:disorder|condition|illness|is wrong))",
        rf"^{ABOUT_HEALTH}.*?\b(?:would|do|could) (?:you|u) (?:class|call|count|consider|label|see) (?:him|her|them|me|this|that|it|my \w+) "
        r"(?:as )?(?:an? |as )?\w+",
        rf"^{ABOUT_HEALTH}.*?\b(?:{CONDITION}|(?!{MEDICINE}\b)\w+) or (?:just |is it |am i |maybe |something )?(?:\w+ ){{0,3}}(?:{CONDITION}|moody|lazy|thick|stressed|tired|"
        r"a bad week|normal|burnout|something worse|something else|growing pains)\b",
        rf"(?:has|have|got) (?:\w+ ){{0,2}}{CONDITION} (?:doesn'?t|don'?t|hasn'?t|haven'?t|isn'?t|aren'?t) (?:she|he|they|i|it)\b",
        rf"^{ABOUT_HEALTH}.*?\b(?:is|are) (?:he|she|they|my \w+) right\b", rf"^{ABOUT_HEALTH}.*?\b(?:counts?|qualif\w+|classed) as (?:\w+ ){{0,2}}\w+",
        rf"^{ABOUT_HEALTH}.*?\b(?:these|this|that|it) (?:are|is) (?:textbook|classic|definitely|obviously) (?:\w+ ){{0,2}}\w+",
        rf"would (?:a|my|the|any) (?:doctor|gp|psychiatrist|psychologist|therapist|specialist|nurse) (?:\w+ )?(?:say|call|diagnose|think|class|label)"
        rf"\b.{{0,60}}(?:{CONDITION}|{HEALTH}|this|that|it)",
        rf"(?:tell|show) me (?:if|whether) (?:this|it|that|dis) (?:is|na|be|sounds like) (?:\w+ ){{0,2}}{CONDITION}",
        rf"{_DIAGNOSIS_QUESTION_ABROAD}\b.{{0,60}}\b{CONDITION_ABROAD}\b",
        # Fill-in and format tricks: "diagnosis: ___", "you have ___", "which disorder I have", "give me your diagnosis".
        r"(?:diagnos\w*|disorder|condition|you have|i have|she has|he has|it'?s|it is)\W{0,4}_{2,}|_{2,}\W{0,4}(?:diagnos\w*|disorder)",
        r"(?:which|what) (?:disorder|condition|illness|diagnosis|mental illness) (?:i|i'?ve|i have|i'?ve got|i got|i'?m|he|she|they|my \w+) (?:have|has|got|had)?",
        r"(?:give|tell|write|make) (?:me |us )?(?:your|a|my|the|his|her) (?:\w+ )?(?:diagnosis|diagnoses|prognosis)\b",
    ),
    _rule(
        "boundary.medication_choice", "medication", "asks which medicine to take, start or ask for",
        rf"(?:worth|should i (?:be )?|make i )(?:asking|ask|go) (?:for|about) (?:\w+ ){{0,2}}(?:{MEDICINE}|treatment|medication|meds|therapy drug)",
        rf"^(?=.*\b(?:{MEDICINE}|treatment|medication|meds)\b).*\b(?:would|will|could|does|do) (?:it|this|that|they|these) (?:\w+ )?work for "
        r"(?:someone like |people like )?(?:me|him|her|them|my \w+)",
        r"\bmake i (?:take|start|use|try)\b",
        rf"(?:should|can|could|would|do) (?:i|he|she|they|we|my \w+) (?:\w+ ){{0,3}}(?:take|try|start|use|get|ask (?:my \w+ |the \w+ )?for|switch (?:to|from)|"
        rf"change (?:to|from)|go on|be on|pop|buy|order) (?:\w+ ){{0,4}}{MEDICINE}",
        rf"(?:which|what) (?:\w+ ){{0,2}}{MEDICINE} (?:\w+ ){{0,3}}(?:should|would|could|is (?:the )?best|works? (?:the )?best|is better|do you recommend|to take|"
        r"to (?:try|ask for|start|use)|helps? (?:the )?most|is good|are good)",
        rf"(?:best|good|strongest|right|safest|better|mildest|gentlest) {MEDICINE}\b(?: (?:for|to|against))?",
        rf"recommend (?:me )?(?:a |an |some |any )?(?:\w+ ){{0,2}}{MEDICINE}", rf"(?:instead of|rather than|replace|substitute for|swap) (?:my |a |the )?(?:\w+ ){{0,2}}{MEDICINE}",
        rf"{MEDICINE} (?:better|worse|stronger|safer|more effective) than", rf"(?:is|are|would) {MEDICINE} (?:good|ok|okay|safe|right|better|the answer|worth it|"
        r"a good idea) (?:for|to|with|if)", rf"(?:brand|generic) (?:\w+ ){{0,3}}{MEDICINE}|{MEDICINE} (?:\w+ ){{0,3}}(?:brand|generic)",
        r"(?:prescribe|get (?:me )?(?:a )?prescription)", rf"(?:need|needs|should be on|belong on) (?:\w+ ){{0,2}}{MEDICINE}\W*\?",
        rf"(?:worth|time to) (?:\w+ ){{0,2}}(?:trying|starting|taking|going on) (?:\w+ ){{0,2}}{MEDICINE}",
        rf"{MEDICINE}\W+(?:or|vs\.?|versus) (?:\w+ )?{MEDICINE}", rf"^(?=.*\b{MEDICINE}\b).*?\b(?:which|what)(?: one|'s| is)? (?:\w+ )?(?:better|best|works|"
        r"would you (?:pick|choose|take|go with)|do i (?:give|take|pick|choose)|should i (?:give|take|pick|choose|go with))",
        rf"^{ABOUT_HEALTH}.*?\b(?:is there|what'?s|whats|what is|any) (?:a |an |some )?(?:\w+ ){{0,3}}(?:thing|alternative|substitute|replacement|option|"
        r"equivalent|version)s? (?:that|for|to|instead|like)",
        rf"(?:should|shall|do) (?:i|we|u|you think i should) (?:\w+ )?(?:go on|try|start|push for|ask for|get|be on|switch).{{0,40}}{MEDICINE}",
        r"(?:should|shall|could|can) (?:i|we|he|she|they|my \w+) (?:\w+ ){0,3}(?:go on|try|start|push for|ask for|be on|switch\w*|changed? to)",
        rf"(?:works?|work) as well as|as good as|same (?:job|thing) as|{MEDICINE}(?: \w+)?\W+(?:or|vs\.?|versus) (?:\w+ )?{MEDICINE}",
        _with_medicine(CHOICE_WORDS, r"(?:should|shall|can|could) (?:i|we) (?:\w+ ){0,2}(?:take|try|get|use|start|have) (?:it|some|them|one|that)"),
        r"(?:best|good|strongest|right) (?:over the counter |otc |natural |herbal )?(?:thing|stuff|something|remedy|medicine|option) (?:to take|for)",
        r"(?:what|which|any) (?:\w+ )?(?:medicine|medication|meds?|pills?|tablets?|drug|remedy|remedies|supplement|cream|brand)s? "
        r"(?:\w+ ){0,3}(?:could|would|should|can|will|for|to|is|are|do)\b",
        rf"^{ABOUT_HEALTH}.*?\b(?:suggest|recommend|prescribe|give (?:me|him|her|them|my \w+)) (?:\w+ )?(?:something|anything|a (?!(?:json|list|table|few|couple|summary|poem|story|plan|schedule|"
        rf"breakdown|rundown|quick|short|song)\b)\w+)\b.{{0,40}}\b(?:for|to)\b",
        rf"^{ABOUT_HEALTH}.*?\bwhat can (?:i|we) (?:give|take|buy|use|get)\b", r"(?:patches|gum|inhaler|spray|cream|injection|jab) or (?:the )?\w+",
        rf"(?:do|does|should|would|will) (?:i|he|she|they|you think i|u think i) (?:really |still |even )?(?:need|be on|go on) (?:\w+ ){{0,2}}"
        rf"{MEDICINE}\b",
        r"(?:qu[eé]|cu[aá]l|que|qual|quel(?:le)?|was|welche[snr]?|cosa|quale|co|jak[iąae]|kaunsi|kaun si|kaunsa|anong|ano ang|dawa gani)\b.{0,40}"
        r"\b(?:tomar|tomo|prendre|nehmen|prendere|bra[ćc]|za?ży[ćc]|le(?:ni|na|ni chahiye)|khani|khaun|inumin|kunywa|tumia)\b",
        rf"{MEDICINE_ABROAD}\b.{{0,60}}\b(?:mejor|melhor|meilleur|besser|migliore|lepszy|behtar|mas mabuti|bora)\b",
        r"(?:best|right|ideal|first[- ]line|recommended) (?:\w+ ){0,2}for (?:me|you|my \w+)\b|(?:medication|medicine|pill|drug|treatment)(?: is| would be| should be| for me)?\W{0,4}_{2,}",
    ),
    _rule(
        "boundary.dose", "medication", "asks about taking more, less, extra or skipping a dose",
        r"\bmake i (?:increase|reduce|double|skip|add)\b",
        rf"(?:double|doubling|halve|halving|split|splitting|skip|skipping|miss|missed|missing|up|upping|lower|lowering|increase|increasing|"
        rf"decrease|decreasing|reduce|reducing|raise|raising|cut|cutting|adjust|adjusting|bump|bumping|change|changing) (?:up |down )?(?:my |the |a |an |his |her |"
        rf"their )?(?:\w+ ){{0,2}}(?:dose|doses|dosage|{MEDICINE})",
        rf"(?:take|taking|took|have|having) (?:an? )?(?:extra|another|more|less|fewer|two|three|double|half|a second|a higher|a lower|"
        rf"a bigger|a smaller|twice|an additional) (?:\w+ ){{0,3}}(?:{MEDICINE}|dose|one|ones)",
        r"how (?:many|much) (?:mg |milligrams )?(?:\w+ ){0,3}(?:should|can|do|could|would) (?:i|he|she|they|you) (?:\w+ ){0,2}(?:take|have|give|use)",
        r"(?:make up for|catch up on|catch up|compensate for) (?:a |the |my )?(?:missed|skipped|forgotten)", r"(?:missed|skipped|forgot) (?:a |my |the |her |his )?"
        r"(?:\w+ )?(?:dose|pill|tablet|meds|medication)",
        rf"(?:take|taking) (?:my |the |his |her )?(?:\w+ ){{0,2}}{MEDICINE} (?:at night|in the morning|in the evening|twice|every|earlier|later|"
        r"before bed|with food|on an empty)",
        rf"(?:more|less) (?:of )?(?:my |the )?{MEDICINE} (?:than|to|for|because|since|so|just)",
        rf"(?:a|one) (?:extra|more) (?:\w+ )?(?:{MEDICINE}|dose)",
        rf"(?:take|taking|have|having|give|giving) (?:my |the |his |her |their )?(?:\w+ ){{0,2}}{MEDICINE} (?:at \d|at (?:night|lunch|noon|bedtime)|"
        rf"instead|only when|every other|on weekends|as needed|when i feel)", r"(?:\d+ ?mg|\d+ milligrams?).{0,60}(?:instead|rather|enough|too|up|down)",
        rf"(?:go|going|drop|dropping|move|moving|bump|bumping|step|stepping) (?:up|down) (?:to|on|from) .{{0,30}}{MEDICINE}|{MEDICINE}.{{0,40}}(?:go|going|drop|dropping) (?:up|down) to",
        rf"(?:split|splitting|cut|cutting|crush|crushing|chew|chewing) (?:my |the |a |an |his |her )?(?:\w+ )?(?:{MEDICINE}|capsules?)\b",
        r"(?:split|splitting|cut|cutting|crush|crushing|chew|chewing) (?:it|them) (?:in half|into halves|in two|up)\b",
        rf"(?:take|taking|use|using|borrow|borrowing|try|trying) (?:some of )?(?:my|a) (?:\w+'s|friend'?s|mum'?s|mom'?s|dad'?s|sister'?s|brother'?s|partner'?s|mate'?s) "
        rf"(?:\w+ )?{MEDICINE}",
        _with_medicine(DOSE_WORDS, medicine=rf"(?:{MEDICINE}|(?:my|the|a|her|his|their|tomorrow'?s|today'?s|next|last|evening|morning|"
                                             r"night) (?:dose|doses|dosage))"),
        r"how (?:many|much) (?:puffs|drops|mg|ml|units|tablets|pills|capsules|doses?|\w+ oil|melatonin|of (?:it|them|this|that))\b.{0,60}"
        r"(?:should|can|could|do|a day|per day|daily|max|have|give|take)",
        r"(?:starting|right|normal|good|safe|max(?:imum)?) (?:amount|dose|dosage|number)\b",
        r"(?:at night|in the morning|morning|evening|bedtime|late|early|instead|\d+ hours? late|a day late)\b.{0,60}\b(?:instead|or|do i|should i|"
        r"can i|that fine|is that ok|still)\b",
        r"(?:go|going|move|moving|drop|dropping|cut|cutting|bring|bringing) (?:myself |me |it |them |(?:up|down|from \d+) )?to \d+", r"\d+ ?(?:mg|ml|puffs?|units|times) (?:a|per) day\b.{0,40}\b(?:can|should|fine|ok|only)",
        r"(?:aumentar|subir|bajar|baixar|reducir|reduzir|diminuir|disminuir|doblar|duplicar|dobrar|augmenter|baisser|doubler|r[ée]duire|erh[öo]hen|verdoppeln|reduzieren|senken|"
        r"aumentare|diminuire|raddoppiare|ridurre|zwi[ęe]kszy[ćc]|zmniejszy[ćc]|podwoi[ćc]|badha\w*|kam kar\w*|dagdagan|bawasan|ongeza|punguza)\b.{0,40}"
        r"\b(?:dosis|dose|dosage|dawk\w*|dosaggio|dozi|khurak|dosi)\b",
        r"\b(?:dosis|dose|dosage|dawk\w*|dosaggio|dozi|khurak|dosi)\b.{0,40}\b(?:aumentar|subir|bajar|baixar|reducir|reduzir|diminuir|disminuir|doblar|dobrar|augmenter|baisser|doubler|"
        r"erh[öo]hen|verdoppeln|reduzieren|aumentare|diminuire|raddoppiare|zwi[ęe]kszy[ćc]|zmniejszy[ćc]|badha\w*|kam kar\w*|dagdagan|bawasan|ongeza|punguza)\b",
        r"(?:dose|dosage|dosing)\W{0,4}_{2,}|(?:new|next|recommended|right|correct) dose (?:for me|\w+ me)?\W{0,4}_{2,}",
    ),
    _rule(
        "boundary.stopping", "medication", "asks about stopping or tapering a medicine on their own",
        r"\bmake i (?:stop|carry on|continue)\b",
        rf"(?:stop|stopping|stopped|quit|quitting|come off|coming off|go off|going off|get off|getting off|wean|weaning|taper|tapering|drop|"
        rf"dropping|ditch|ditching|pause|pausing|skip|skipping|give up|giving up|cut out) (?:\w+ ){{0,2}}(?:taking |using )?(?:my |the |his |her |"
        rf"their |all )?(?:\w+ ){{0,2}}{MEDICINE}",
        rf"(?:cold turkey|(?:a )?break from (?:my |the )?(?:\w+ )?{MEDICINE}|(?:holiday|vacation|time off) from (?:my |the )?{MEDICINE})",
        rf"(?:{MEDICINE}) (?:\w+ ){{0,3}}(?:cold turkey|for (?:a|the) (?:week|weekend|holiday|party|wedding|night|few days))",
        rf"(?:without|off) (?:my |the )?{MEDICINE} (?:for|during|over)", r"(?:do i|will i|would i) (?:still |really )?(?:need|have) to (?:keep )?(?:take|taking) (?:my |the )?",
        r"taper\w*", r"(?:coming|come|get|getting|go|going) off (?:of )?(?:it|them)\b",
        r"(?:not taking|stop taking|leave off|come off|want off|wants off|go off) (?:my |her |his |their |the )?(?:\w+ ){0,2}\w+",
        r"(?:keep going|carry on|continue) (?:with )?(?:the |my |it|them)\b.{0,40}\bor (?:stop|quit|come off)",
        _with_medicine(STOP_WORDS),
        rf"(?:dejar (?:de tomar|el|la|los|las|mis?)|parar (?:de tomar|com|o|a|os|as)|deixar de tomar|arr[êe]ter (?:mon|ma|mes|le|la|les|de prendre)|absetzen|"
        rf"aufh[öo]ren|smettere|sospendere|odstawi[ćc]|przesta[ćc] bra[ćc]|chhod\w*|band kar\w*|itigil|tumigil|kuacha|acha kutumia)\b.{{0,60}}\b{MEDICINE_ABROAD}\b",
        rf"{MEDICINE_ABROAD}\b.{{0,60}}\b(?:dejar|parar|deixar|arr[êe]ter|absetzen|aufh[öo]ren|smettere|sospendere|odstawi[ćc]|chhod\w*|band kar\w*|"
        rf"itigil|kuacha)\b",
    ),
    _rule(
        "boundary.interaction", "medication", "asks about mixing a medicine with alcohol, drugs or other medicines",
        r"\bmake i mix\b",
        rf"(?:drink|drinking|alcohol|booze|beer|beers|wine|vodka|shots?|liquor|spirits|weed|cannabis|marijuana|edibles?|smoke|smoking|a joint|"
        rf"mdma|molly|ecstasy|coke|cocaine|ketamine|shrooms|mushrooms|acid|lsd|speed|pills|grapefruit|caffeine|coffee|energy drinks?|red bull|"
        rf"st\.? john'?s wort|cold medicine|decongestant|{MEDICINE}) .{{0,60}}(?:on|with|while on|while taking|after taking|and|plus|if i'?m on|"
        rf"if i take|if i'?ve taken) (?:my |the |his |her |some )?(?:\w+ ){{0,2}}{MEDICINE}",
        rf"{MEDICINE} (?:\w+ ){{0,3}}(?:with|and|plus|\+|after|before) (?:a |some |any |my |the )?(?:\w+ ){{0,2}}(?:alcohol|booze|beer|beers|wine|"
        rf"drinks?|drinking|vodka|shots?|weed|cannabis|marijuana|edibles?|joint|mdma|molly|ecstasy|coke|cocaine|ketamine|grapefruit|caffeine|coffee|"
        rf"energy drinks?|{MEDICINE})",
        rf"(?:mix|mixing|combine|combining|together|interact|interaction|interactions|clash)\b.{{0,60}}{MEDICINE}|{MEDICINE}.{{0,60}}(?:mix|mixing|combine|"
        r"combining|together|interact\w*|clash)",
        r"(?:is it|is that|would it be|will it be|it'?s) (?:ok|okay|safe|bad|fine|dangerous|alright|risky|a problem) to (?:drink|smoke|have|take|do|use)"
        r" .{0,60}(?:on|with|while)",
        rf"(?:drink|drinking|have a drink|have a few|get drunk|get high|smoke) (?:\w+ ){{0,4}}(?:on|while on|while taking|with) (?:my |the )?(?:\w+ ){{0,2}}"
        rf"{MEDICINE}",
        rf"^(?=.*\b{MEDICINE}\b)(?=.*\b{OTHER_SUBSTANCE}\b)",
        r"(?:interfere|interact|clash|mess) with (?:my |his |her |their |the )?\w+", r"(?:alongside|along with|on top of|together with) (?:his|her|my|their|the) \w+",
        r"(?:mixing|mix|combining|combine) \w+ (?:and|with) (?:my |his |her |the )?\w+",
        rf"^(?=.*\b{MEDICINE}\b.*\b{MEDICINE}\b)(?=.*\b(?:together|at once|with|on top|and|both|mix|same time|after|then|on)\b)",
        rf"^(?=.*\b{MEDICINE_ABROAD}\b)(?=.*\b(?:alcohol|alcool|[áa]lcool|alkohol\w*|alcol|sharab|daru|alak|pombe|cerveza|vino|bier|wein|birra|"
        r"piwo|vinho|cerveja|junto con|junto com|zusammen mit|insieme a|insieme al|razem z|ensemble avec|kasama ng|pamoja na|saath)\b)",
    ),
)


# Words that keep a classifier's crisis on a boundary request: taking a lot at once, death or harm, hopelessness.
HARM_CUES: Final = LazyPattern(
    r"\b(?:(?<!off )(?<!stop )(?<!stopping )(?<!quit )(?<!quitting )(?<!ditch )(?<!ditching )all (?:of )?(?:my|the|them|it)|whole|entire|bunch|handful|a lot of|lots of|loads of|(?<!how )many|stack|stockpil\w*|sav(?:e|ed|ing) (?:up|them)|"
    r"\d{2,} (?:of )?(?:my |the )?(?:pills|tablets|caps)|at once|in one go|all together|never wake|not wake|sleep forever|for good|"
    r"end (?:it|things|my)|die|dying|dead|kill|suicid\w*|overdos\w*|\bod\b|hurt myself|harm myself|no point|what'?s the point|"
    r"hopeless|worthless|burden|give up|can'?t (?:go on|do this|take (?:it|this))|numb|done with|don'?t care (?:what|if))\b"
)


@dataclass(frozen=True)
class BoundaryHit:
    rule: str
    kind: BoundaryKind
    description: str


def _asks(normal: str) -> bool:
    return bool(re.search(_ASKS, normal) or re.search(_ASKS_OTHERWISE, normal))


def _request_part(text: str) -> str:
    """The normalised message, or for a long one its start and its end: a request to a chat sits there."""
    normal = normalise(text)
    return normal if len(normal) <= 2 * REQUEST_CHARS else f"{normal[:REQUEST_CHARS]} {normal[-REQUEST_CHARS:]}"


def boundary_rule(text: str) -> BoundaryHit | None:
    """The first medical-boundary rule a message asks across, or None."""
    normal = _request_part(text)
    if not _asks(normal):
        return None
    return next((BoundaryHit(rule.id, rule.kind, rule.description) for rule in RULES if rule.pattern.search(normal)), None)


def find_boundary(text: str) -> BoundaryHit | None:
    """The medical boundary a message asks across: a rule's, else the medical-request model's, or None. Like the
    rules, the model judges only messages that ask something."""
    hit = boundary_rule(text)
    if hit is not None:
        return hit
    request = _request_part(text)
    if not _asks(request):
        return None
    score = shipped_model().score(request)
    if score.kind == "none" or (score.probability < UNNAMED_HEALTH_THRESHOLD and not _HEALTH_WORDS.search(request)):
        return None
    kind: BoundaryKind = "diagnosis" if score.kind == "diagnosis" else "medication"
    return BoundaryHit("boundary.model", kind, f"the medical-request model scores it a {score.kind} request "
                       f"({score.probability:.2f} ≥ {shipped_model().threshold:.2f})")
