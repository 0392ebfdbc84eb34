"""The English claim rules: patterns spelled from the words of `data/claims_lexicon_en.json`.

Only the structure of each rule is written here (what comes before the figure, what after, which
group is the actor); the words it is made of (predicates, nouns, verbs, gates) are data, read by
the same loader as the other languages' rules. Month and weekday names come from analyze.months,
name patterns from analyze.names.
"""

from __future__ import annotations

import re

from newsdesk.analyze.claims.lexicon import english
from newsdesk.analyze.months import MONTH_ABBREVIATIONS, MONTH_DOTTED, MONTHS, WEEKDAY_NAMES, WEEKDAYS
from newsdesk.analyze.names import ACTOR_NAME, SPEAKER_AFTER_SAID
from newsdesk.analyze.numbers import QUANTITY

_EN = english()


def _words(*groups: str) -> frozenset[str]:
    return frozenset(w for g in groups for w in g.split())


def _alternatives(table: dict[str, str]) -> dict[str, str]:
    """{pattern: attribute} from the lexicon's {attribute: pattern}."""
    return {pattern: attribute for attribute, pattern in table.items()}


# --- vocabulary (from the lexicon) --------------------------------------------------------------

# Who is counted, when not people in general: kept as the claim's `group` (compared only with the same group).
PEOPLE = f"(?:{_EN['people']})"
SPECIFIC = f"(?:{_EN['specific']})"
PERPETRATORS = f"(?:{_EN['perpetrators']})"
ADJ = f"(?:{_EN['adjectives']})"
NOUN = rf"(?:(?:{ADJ}\s+){{0,2}}(?P<noun>{PEOPLE}|{SPECIFIC}|{PERPETRATORS}))"
AUX = f"(?:{_EN['auxiliaries']})"
ADV = f"(?P<adv>{_EN['adverbs']})"
# Predicates after the number ("61 people were killed") and the attribute each stands for.
PREDICATES: dict[str, str] = _alternatives(_EN["counts"]["after"])
PRED = "|".join(f"(?:{p})" for p in PREDICATES)
# Verbs followed by the number ("killing 60 people").
VERB_FIRST: dict[str, str] = _alternatives(_EN["counts"]["before"])
VFIRST = "|".join(f"(?:{p})" for p in VERB_FIRST)
TOLL_HEADS = f"(?P<head>{_EN['toll_heads']})"
LABELS: dict[str, str] = _alternatives(_EN["labels"])
CURRENCY_SIGN: dict[str, str] = _EN["currency_signs"]
CURRENCY_WORD = f"(?:{_EN['currency_words']})"
# What an amount of money is, from a word near it: amounts are compared only within one topic.
AMOUNT_TOPICS: dict[str, str] = _EN["amount_topics"]
EVENT_NOUNS = f"(?:{_EN['event_nouns']})"

# --- compiled patterns -----------------------------------------------------------------------

F = re.IGNORECASE
QTY = QUANTITY
# "61 people were killed", "more than 120 were injured", "dozens more were hurt", "six dead"
AFTER = re.compile(
    rf"(?<![\w$€£¥.,\-])(?P<qty>{QTY})(?:\s+of)?(?:\s+{NOUN}(?:\s+(?:of|from|in|at|near|on)\s+[^,.;:]{{1,50}}?)?)?"
    rf"(?:\s*,)?(?:\s+{AUX}){{0,3}}(?:\s+{ADV})?"
    rf"\s+(?P<pred>{PRED})\b", F)
# "killing 60 people", "killed at least 61 people", "injuring 30"
BEFORE = re.compile(
    rf"\b(?P<verb>{VFIRST})\s+(?:(?:an\s+estimated|another|a\s+further|a\s+total\s+of)\s+)?(?P<qty>{QTY})"
    rf"(?:\s+of)?(?:\s+{NOUN})?(?=\s*(?:[,.;:)!?]|$|\s+(?:and|in|when|as|after|on|during|while|including|at|"
    rf"near|across|since|before|inside|outside|from|with|\(|—|–)\b))", F)
# "left more than 100 people injured", "leaving 20 dead"
LEFT = re.compile(
    rf"\b(?:left|leaving|leaves)\s+(?P<qty>{QTY})(?:\s+of)?(?:\s+{NOUN})?\s+(?P<pred>dead|injured|wounded|hurt|"
    r"homeless|missing)\b", F)
# "the death toll rose to 50", "the number of people killed ... has risen to six"
TOLL = re.compile(
    rf"\b{TOLL_HEADS}\b(?P<gap>[^.;:!?]{{0,90}}?)\s(?P<link>has\s+risen|had\s+risen|rose|risen|rises|climbed|"
    r"jumped|increased|reached|stood|stands|stand|hit|was|is|at|of|to)\s+(?:to\s+|at\s+)?"
    rf"(?P<qty>{QTY})", F)
# "Dead: 6 (fire service)", "Residents evacuated: 3,500 (provincial government) or 2,000 (fire service)"
LABEL = re.compile(
    rf"^(?P<label>{'|'.join(LABELS)})\s*:\s*(?P<qty>{QTY})(?:\s*\((?P<spk>[^)]{{2,60}})\))?", F)
LABEL_MORE = re.compile(rf"\s*(?:,|or|/|and)\s*(?P<qty>{QTY})(?:\s*\((?P<spk>[^)]{{2,60}})\))?", F)
# "three attackers", "at least three gunmen"
ATTACKERS = re.compile(
    rf"(?<![\w$€£¥.,\-])(?P<qty>{QTY})\s+(?:(?:armed|masked|suspected|other|more|heavily\s+armed|suicide|"
    rf"militant)\s+)?(?P<noun>{PERPETRATORS})\b", F)
# "$10.4 billion", "10 million crowns", "between 80 million and 120 million crowns"
MONEY_SIGN = re.compile(rf"(?P<sign>US\$|\$|€|£|¥|₹|\bRs\.?|\bUSD|\bEUR|\bGBP)\s?(?P<qty>{QTY})", F)
MONEY_WORD = re.compile(
    rf"(?<![\w$€£¥.,\-])(?P<qty>{QTY})\s+(?:(?:US|Hong\s+Kong|Canadian|Australian|Singapore|New\s+Zealand)\s+)?"
    rf"(?P<word>{CURRENCY_WORD})\b", F)
# "no one was killed", "there were no casualties"
ZERO = re.compile(
    r"\b(?:(?P<who>no\s+one|nobody|no-one|none)\s+(?:(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+)?"
    r"(?:(?:seriously|badly)\s+)?(?P<pred>killed|died|dead|injured|hurt|wounded|missing)"
    r"|there\s+(?:were|have\s+been|had\s+been|was)\s+no\s+(?P<noun>casualties|deaths|fatalities|injuries|dead)"
    r"|no\s+(?:lives|one)\s+(?:were|was)\s+lost)\b", F)

# What stops a number from being a count.
NOT_COUNT_AFTER = re.compile(
    r"^(?:\s*[-‐]?\s*(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|km|kilomet|miles?|"
    r"metres?|meters?|feet|foot|ft|inch|kg|kilo|tonnes?|tons?|pounds?\s+of|percent|per\s*cent|%|points?|"
    r"a\.m|p\.m|am\b|pm\b|o'clock|GMT|UTC|local\s+time|:\d)|:\d\d|\.\d\d\s*[ap]\.?m)", F)
NOT_COUNT_BEFORE = re.compile(
    r"(?:\b(?:No|Nos|no|number|Number|Tank|Route|Highway|Flight|Room|Gate|Pier|Platform|Unit|Block|Building|"
    r"Article|Section|Resolution|aged|age|ages|page|chapter|version|Level|level|grade|Grade|size|Size|"
    r"saw|seen|see|spotted|heard|watched|the\s+other|those|these|first|last|top|Apollo|Boeing|Airbus|Windows|"
    r"iPhone|[A-Z]{2,}-?)\.?\s*|[#№]\s*|\d[\d,.]*\s*(?:-|–|to)\s*)$")
SUBSET_AFTER = re.compile(r"^\s+of\s+(?:the|them|those|whom|these|its|their|his|her)\b", F)
EARLIER = re.compile(
    r"(?:\b(?:lower|earlier|initial|first|previous|original|old|preliminary|provisional)\s+(?:death\s+)?"
    r"(?:toll|figures?|count|estimates?|tally|numbers?|reports?)(?:\s+of)?|\b(?:up|down|revised)\s+from|"
    r"\binstead\s+of|\breplacing(?:\s+the\s+figures?\s+of)?|\binitially(?:\s+\w+){0,3})\s*[\"“]?\s*$", F)
EARLIER_AFTER = re.compile(r"^[^.;]{0,40}\b(?:earlier\s+in\s+the\s+day|earlier|initially|at\s+first)\b", F)
INCREMENT = re.compile(r"^\s+(?:more|new|additional|further)\b", F)
DENIAL_BEFORE = re.compile(r"\b(?:denied|denies|deny|dismissed|dismisses|rejected|rejects|disputed|disputes|"
                            r"refuted|refutes)\b[^.;]{0,80}$", F)
YEAR = re.compile(r"(?:1[5-9]|20)\d\d")

# Responsibility.
NONE_CLAIMED = re.compile(
    r"\b(?:(?:no|not\s+any|none\s+of\s+the)\s+(?:[\w\-]+\s+){0,2}?(?:group|groups|organi[sz]ations?|one|faction|"
    r"outfit|party|militants?)\s+(?:has|have|had|immediately|yet|so\s+far|publicly|\s)*"
    r"(?:claimed|taken|accepted|admitted)\s+(?:the\s+)?(?:responsibility|credit)"
    r"|nobody\s+(?:has\s+|had\s+)?(?:yet\s+|immediately\s+)?(?:claimed|taken\s+responsibility)"
    r"|(?:there\s+(?:was|has\s+been|had\s+been)\s+)?no\s+(?:immediate\s+)?claims?\s+of\s+responsibility"
    r"|(?:has|have|had)\s+not\s+(?:yet\s+)?been\s+claimed)", F)
CLAIMED = re.compile(
    r"\b(?:(?:has|have|had)\s+)?(?:(?:also|since|quickly|later|swiftly|reportedly|purportedly|already)\s+)?"
    r"(?P<verb>claimed|claims|claiming|took|takes|accepted|accepts|admitted|admits|taken)\s+(?:the\s+)?"
    r"(?:responsibility|credit)\b"
    r"|\b(?:(?:has|have|had)\s+)?(?:also\s+)?(?:claimed|claims)\s+(?:(?:that|this)\s+|(?:the|yesterday's|"
    r"last\s+\w+'s|\w+day's)\s+(?:\w+\s+)?)(?:attack|bombing|assault|blast|raid|shooting|killing|killings|attacks|"
    r"bombings)\b", F)
CLAIMED_BY = re.compile(
    rf"\b(?:responsibility|credit)\s+(?:for\s+[^.;]{{0,60}}?\s+)?(?:was|has\s+been|had\s+been)\s+claimed\s+by\s+"
    rf"(?:the\s+)?(?P<who>{ACTOR_NAME})|\bclaims?\s+of\s+responsibility\s+(?:by|from)\s+(?:the\s+)?"
    rf"(?P<who2>{ACTOR_NAME})")
BLAMED = re.compile(
    r"\b(?P<verb>blamed|blames|blame|blaming|accused|accuses|accuse|accusing)\s+(?P<who>[^.;:]{2,90}?)\s+"
    r"(?:(?:on|in)\s+\w+\s+)?(?:for|of|over)\b"
    r"|\b(?:blamed|blames|blaming)\s+(?:the\s+|this\s+|that\s+|\w+'s\s+)?(?:\w+\s+){0,3}?on\s+"
    r"(?P<who2>[^.;:,]{2,80})", F)
RESPONSIBLE = re.compile(
    rf"(?P<who>{ACTOR_NAME})(?:\s*,[^,;]{{1,170}},)?\s+(?:was|were|is|are|had\s+been|may\s+have\s+been)\s+"
    r"(?:(?:likely|probably|possibly|most\s+likely|believed\s+to\s+be|thought\s+to\s+be|suspected\s+to\s+be|"
    r"also)\s+)?(?P<what>responsible|behind|to\s+blame)\b")
LINKED = re.compile(
    r"\b(?:attackers?|perpetrators?|gunmen|assailants|bombers?|militants|suspects?|culprits)\b[^.;]{0,90}?\b"
    r"(?:connected|linked|tied|affiliated|belonged|belonging|loyal)\s+(?:to|with)\s+(?P<who>[^.;,]{2,90})", F)
SUSPECTED = re.compile(
    rf"\bsuspect(?:ed|s)?\s+(?:that\s+)?(?:the\s+)?(?P<who>{ACTOR_NAME})\s+(?:militants|fighters|rebels|"
    rf"members|gunmen|of|was|were|is|are|had|carried|behind)\b|(?P<who2>{ACTOR_NAME})\s+(?:is|are|was|were)\s+"
    r"(?:widely\s+|strongly\s+)?suspected\b")
# The cause is the clause subject before the verb (found by looking back from it: fast, no backtracking).
CAUSED = re.compile(
    rf"(?<![-‐])\b(?:(?:caused|sparked|triggered|set\s+off|ignited)\s+(?:the\s+|a\s+|this\s+)?(?:\w+\s+)?"
    rf"{EVENT_NOUNS}|started\s+(?:the\s+|a\s+)(?:\w+\s+)?(?:fire|blaze|wildfire))\b", F)
CAUSED_BY = re.compile(
    rf"\b{EVENT_NOUNS}\s+(?:was|were|had\s+been|has\s+been|may\s+have\s+been|is\s+believed\s+to\s+have\s+been|"
    r"might\s+have\s+been)\s+(?:caused|started|sparked|triggered)\s+by\s+(?P<cause>[^.;,]{2,80})", F)
UNDETERMINED = re.compile(
    r"\bcause\b[^.;]{0,80}?\b(?:is|was|remains|remained|has|had|were)?\s*(?:still\s+|yet\s+)?"
    r"(?:under\s+investigation|being\s+investigated|unknown|not\s+(?:yet\s+)?(?:known|clear|determined|"
    r"established)|unclear|undetermined|yet\s+to\s+be\s+(?:determined|established))\b", F)
# The denier is the clause subject before the verb (looked up backwards from it).
DENIED = re.compile(
    r"\b(?:(?:has|have|had|also|strongly|flatly|categorically|vehemently|repeatedly|firmly)\s+)*"
    r"(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes|disputed|disputes)\s+"
    r"(?P<obj>[^.;]{0,80})", F)
DENIED_WHICH = re.compile(
    rf"\bwhich\s+(?P<who>the\s+\w+|{ACTOR_NAME})\s+(?:denies|denied|rejects|rejected|disputes|disputed)\b")
FALSE = re.compile(
    r"\b(?:claims?|suggestions?|allegations?|accusations?|reports?|idea|notion)\s+that\s+[^.]{0,100}?\s+"
    r"(?:is|was|are|were)\s+(?:categorically\s+|completely\s+|totally\s+|simply\s+|entirely\s+|absolutely\s+)?"
    r"(?:false|untrue|baseless|wrong|unfounded|a\s+lie|nonsense|fabricated)\b", F)
# What a denial denies: the object's first words must say so ("the union's account", "any involvement", "that").
DENIAL_OBJECTS = re.compile(
    r"^(?:(?:any|the|all|these|such|its|their|his|her|a|an|reports?\s+of|\w+'s|\w+’s|most|more|serious|of|"
    r"\w+ly)\s+){0,3}(?:involvement|responsibility|role|links?|claims?|"
    r"accusations?|allegations?|charges?|reports?|account|suggestions?|blame|wrongdoing|negligence|that|part|"
    r"\w+ing)\b", F)
PASSIVE = re.compile(r"\b(?:be|been|being|was|were|is|are)\s+$", F)
HARM = re.compile(rf"\b(?:{EVENT_NOUNS[3:-1]}|killing|killings|deaths|disaster|bloodshed|violence|leak|spill)\b",
                   F)

# Time and day of the event: the time or day is found first, then the text before it must name the event and
# a verb of its happening ("the fire started at about 4:40 a.m."); looking back keeps the rules linear.
TIME = r"(?P<time>\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b)|\d{1,2}:\d{2}|noon|midnight)"
AT_TIME = re.compile(rf"\b(?P<q>at\s+about|at\s+around|at\s+approximately|at|around|about|approximately|"
                      rf"shortly\s+(?:before|after)|just\s+(?:before|after))\s+{TIME}", F)
DAY = rf"(?P<day>{WEEKDAY_NAMES}|(?:{MONTH_DOTTED})\s+\d{{1,2}}\b|\d{{1,2}}\s+(?:{MONTH_DOTTED}))"
ON_DAY = re.compile(rf"\b(?:on|late\s+on|early\s+on)\s+{DAY}", F)
DAY_FIRST = re.compile(rf"^(?:On|Late\s+on|Early\s+on)\s+{DAY}(?:\s+(?:morning|evening|night|afternoon))?,", F)
# The event noun as the subject right before the verb, not "the fire service began work".
EVENT_SUBJECT = re.compile(
    rf"\b(?:{EVENT_NOUNS}|gunmen|attackers|militants|terrorists|assailants)(?!\s+(?:service|brigade|department|"
    r"crews?|fighters?|station|chief|officials?|engines?|alarms?))\s+(?:[\w,'’\-]+\s+){0,3}$", F)
HAPPENED = re.compile(
    r"\b(?:started|broke\s+out|began|erupted|occurred|happened|took\s+place|struck|hit|went\s+off|exploded|"
    r"stormed|attacked|raided|broke\s+into|opened\s+fire|swept\s+through)\b", F)

# Speakers.
SAY = f"(?:{_EN['say']})"
ACCORDING = re.compile(r"\baccording\s+to\s+(?P<s>[^,.;:\"“”()]{2,80})", F)
SAID_AFTER = SPEAKER_AFTER_SAID
SPEAKER_BEFORE = re.compile(
    rf"(?:^|[,;:\"“”(—–]|\bthat\b|\band\b|\bbut\b|\bwhile\b)\s*(?P<s>[^,;:\"“”()—–]{{2,90}}?)\s+"
    rf"(?:(?:had|has|have|also|previously|later|earlier|repeatedly|publicly|reportedly)\s+)*{SAY}\b")
DATELINE = re.compile(r"^[A-Z][A-Z .,'’\-]{2,40}(?:\([^)]{1,30}\))?\s+[-—–]\s+")
PRONOUNS = _words(_EN["pronouns"])
LEADING = re.compile(r"^(?:but|and|however|meanwhile|also|yet|so|then|while|though|although|earlier|later)\b[,\s]*",
                      F)

# Anchors on another event.
ANCHOR = re.compile(
    rf"\b(?:[Ii]n|[Dd]uring|[Ll]ast)\s+(?:(?:early|late|mid)[-\s])?(?P<month>{MONTH_DOTTED})(?![a-z])"
    r"(?:\s+(?P<my>(?:1[89]|20)\d\d))?(?![\w.]*\s+\d)|\b(?:[Ii]n|[Dd]uring)\s+(?P<year>(?:1[89]|20)\d\d)\b"
    r"|\b(?P<rel>last\s+(?:year|month|decade)|in\s+recent\s+years|years\s+ago|months\s+ago|decades\s+ago|"
    r"in\s+the\s+(?:last|past)\s+\w+\s+(?:years|decades)|"
    r"in\s+the\s+past|earlier\s+this\s+year|the\s+previous\s+year|a\s+year\s+ago)\b")
BACKREF = re.compile(r"\b(?:that|the\s+same|the\s+earlier|this\s+earlier)\s+(?:attack|bombing|assault|blast|fire|"
                      r"explosion|incident|shooting|raid)\b", F)

ORG_SUFFIX = re.compile(
    r"\b(?:[A-Z][\w&'’\-]*\s+){1,3}(?:Chemicals?|Company|Co\.|Corp\.?|Corporation|Inc\.?|Ltd\.?|Group|Bank|Airlines?|"
    r"Motors|Holdings|Industries|Energy|Oil|Pharmaceuticals?|Technologies|Systems|Railways?|Authority|Agency|"
    r"Ministry|Department|Service|Party|Army|Front|Movement)\b")
GENERIC_ORG = re.compile(r"^(?:the\s+)?(?:company|firm|plant\s+operator|operator|owner|manufacturer|group's\s+owner)$",
                          F)


# Words that must occur for a family of rules to be tried at all: most sentences are skipped at once.
_GATES = {name: _words(words) for name, words in _EN["gates"].items()}
GATE_NUMBER = _GATES["number"]
GATE_PRED = _GATES["pred"]
GATE_VFIRST = _GATES["vfirst"]
GATE_PERP = _GATES["perp"]
GATE_MONEY = _GATES["money"]
GATE_RESPONSIBILITY = _GATES["responsibility"]
GATE_DAY = frozenset(WEEKDAYS) | frozenset(MONTHS) | frozenset(MONTH_ABBREVIATIONS)
GATE_SAY = _GATES["say"]
GATE_TOLL = _GATES["toll"]
GATE_LEFT = _GATES["left"]
GATE_ZERO = _GATES["zero"]
SIGNS = re.compile(r"[$€£¥₹]|\b(?:Rs|USD|EUR|GBP)\b")
GATE_COUNTED = GATE_PRED | GATE_VFIRST | GATE_PERP | GATE_MONEY | GATE_TOLL | GATE_LEFT | GATE_ZERO
WORD = re.compile(r"[a-z]+")
DIGIT = re.compile(r"\d")

EVENT_WORD = re.compile(rf"\b(?:{EVENT_NOUNS}|gunmen|attackers|militants|terrorists|assailants)\b", re.I)
TIME_HINT = re.compile(r"\d\s*[ap]\.?m\b|\d[:.]\d\d", re.I)

RESPONSIBILITY_GATES: dict[re.Pattern[str], frozenset[str]] = {
    pattern: _words(_EN["responsibility_gates"][name]) for name, pattern in (
        ("none_claimed", NONE_CLAIMED), ("claimed_by", CLAIMED_BY), ("claimed", CLAIMED), ("blamed", BLAMED),
        ("responsible", RESPONSIBLE), ("linked", LINKED), ("suspected", SUSPECTED),
        ("undetermined", UNDETERMINED), ("caused", CAUSED), ("caused_by", CAUSED_BY), ("denied", DENIED),
        ("denied_which", DENIED_WHICH), ("false", FALSE))
}

FUNCTION_WORDS = _words(_EN["function_words"])
STOP_NAMES = _words(_EN["not_names"]) | frozenset(WEEKDAYS)
ANY_YEAR = re.compile(r"(?<![\d$€£.,:/\-])(?:19|20)\d\d(?![\d%,.:/\-]\d)(?!\s*(?:%|percent|people|residents|"
                       r"[a-z]+\s+(?:killed|dead|died|injured)))")


# Word lists the extractors test phrases against (kept here so that their code holds no vocabulary).
SPEAKER_ROLE = re.compile(
    r"\b(?:officials?|police|military|army|spokes(?:wo)?man|spokesperson|minister|ministry|government|"
    r"authorities|sources?|witness(?:es)?|residents?|doctors?|hospital|agency|media|officer|commander|"
    r"governor|mayor|president|company|union|group|analysts?|experts?|investigators?|prosecutors?|"
    r"service|department|statement|report|chief|director|secretary|leader|cadet|eyewitness)\b", F)
SPEAKER_FOR_ORG = re.compile(r"\b(?:spokes(?:wo)?man|spokesperson|chief|executive|CEO|director|company|firm|"
                             r"management|statement)\b", F)
GROUP_TAIL = re.compile(r"\s+(?:militants|fighters|rebels|insurgents|extremists|forces|troops|handlers|gunmen|"
                        r"authorities|officials)\b")
CAUSE_CLAUSE = re.compile(r"[,;:]|\b(?:that|said|says|maintains|maintained|believes|believed|thinks|insists|insisted|"
                          r"claimed|claims|suspected|suspects|because|after|when|while)\b", F)
CAUSE_VERB = re.compile(r"\s+(?:had|has|have|was|were|is|are|may|might|could|would|probably|likely)\b", F)
CAUSE_PLACE = re.compile(r"\s+(?:during|on|at|in|from|near|inside|outside|within|before|after)\b", F)
CAUSE_NOT_A_CAUSE = re.compile(r"(?:the\s+|a\s+)?(?:fire|blaze|explosion|blast|crash|it|this|what|which|who)", F)
STREET_AFTER = re.compile(
    r"^\s*(?:[A-Z][a-z]+\s+)?(?:Road|Street|St\.|Avenue|Ave\.|Lane|Boulevard|Blvd|Square|Drive)\b")
APPROXIMATE_TIME = re.compile(r"about|around|approximately|shortly|just", F)

# --- small patterns of the speaker, count and blame rules ---------------------------------------------

# Speakers (speakers.py): "no group", "not the government" (a negation, not a speaker).
NEGATED_START = re.compile(r"(?:no|none|nobody|not)\b", F)
# Where a speaker phrase ends: a relative clause or "in a statement".
SPEAKER_CLAUSE_END = re.compile(r"\s+(?:who|which|that|whose|where)\s+|\s+in\s+a\s+statement\b")
# Words of a clause about the event, not a speaker ("... were killed in the attack").
EVENT_CLAUSE_WORD = re.compile(r"\b(?:killed|injured|wounded|attack|were|was)\b", F)
# The subject of a clause, ending just before a verb.
CLAUSE_SUBJECT = re.compile(r"(?:^|[,;:(—–]|\bthat\b|\band\b|\bbut\b|\bwhile\b|\bwhen\b)"
                            r"\s*(?P<s>[^,;:()—–]{1,90}?)\s*$")
# Auxiliaries and adverbs between a subject and its verb ("The group has also claimed").
AUXILIARIES_AFTER_SUBJECT = re.compile(r"(?:\s+(?:has|have|had|also|since|quickly|later|swiftly|reportedly|"
                                       r"purportedly|already))+\s*$", F)
# A parenthetical just before the verb: "Lakeline, which runs the ferry, rejected".
PARENTHETICAL_AT_END = re.compile(r",\s*(?:which|who|whose|a|an|the|its|their)\b[^,;:]*,\s*$", F)
CLAUSE_BREAK = re.compile(r"[,;:]|\bthat\b|\band\b|\bbut\b")
# Counts (counts.py): what a toll's head word or predicate says was counted, and a toll that rose.
INJURY_HEAD = re.compile(r"injur|wound")
DEATH_HEAD = re.compile(r"toll|dead|death|fatalit|victim|casualt")
RISEN = re.compile(r"risen|rose|climbed|jumped|increased")
INJURY_PREDICATE = re.compile(r"injur|hurt|wound")
# A year followed by people is a count after all ("2019 people").
PEOPLE_AFTER_YEAR = re.compile(r"^\s+(?:people|persons|civilians|residents)", F)
# Blame (blame.py): a negated subject ("no group").
NEGATION_WORD = re.compile(r"\b(?:no|not|nobody|none)\b", F)
# Actor names (actor_names.py): an article before a name.
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", F)
