"""Claims: what a sentence asserts that another source could contradict, found by rules at ingest.

Why rules and not a model: claims are extracted for every article at ingest, which must
stay fast (a few milliseconds for an article of 80 sentences), and every claim must keep
the exact sentence and offsets it came from so that a brief can quote it verbatim.

Found per sentence:
- counts: a figure (digits, "1,200", "1.2 million", "dozens", "50-60"), its qualifier
  (exact, lower/upper bound, approximate, range, vague) and what it counts (killed,
  injured, arrested, missing, evacuated, hostages, attackers, amounts of money). Years,
  ages, times of day, addresses, distances and durations never count anything here;
- responsibility: who claimed it, who is blamed, accused, suspected or linked, what caused
  it, "no group has claimed", "the cause is under investigation", and denials;
- when: the time of day and the day the event happened ("started at about 4:40 a.m.").
Each claim carries the speaker the sentence names ("officials said", "according to ..."),
and an anchor when the sentence is about another, earlier event ("In August, ...").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property

from newsdesk.analyze.aliases import load_aliases
from newsdesk.analyze.claims_intl import extract_claims_intl
from newsdesk.analyze.claims_intl import languages as intl_languages
from newsdesk.analyze.numbers import QUANTITY, QUANTITY_RE, Quantity, quantity
from newsdesk.model import Article, Claim, Sentence

# Bump when extraction changes: stored claims of an older version are re-extracted (see refresh_claims).
CLAIMS_VERSION = "2"  # 2: de/fr/es/zh claims (analyze/claims_intl.py)

# --- vocabulary ------------------------------------------------------------------------------

# Who is counted, when not people in general: kept as the claim's `group` (compared only with the same group).
_PEOPLE = r"(?:people|persons?|individuals|others|more|victims)"
_SPECIFIC = (
    r"(?:civilians|soldiers|troops|police(?:men|women)?|police\s+officers|officers|officials|cadets|workers|"
    r"employees|staff|children|kids|women|men|students|pupils|passengers|residents|villagers|pilgrims|tourists|"
    r"worshippers|fighters|members|protesters|demonstrators|migrants|refugees|miners|firefighters|journalists|"
    r"patients|inhabitants|families|households|suspects|guards|crew|sailors|climbers|hikers|fans|spectators|"
    r"prisoners|inmates|detainees|hostages|contractors|farmers|rebels|(?-i:[A-Z][a-z]+(?:ans|ians|is|ese)))"
)
_PERPETRATORS = r"(?:attackers|gunmen|assailants|perpetrators|bombers|suicide\s+bombers|hijackers|terrorists|shooters)"
_ADJ = (
    r"(?:other|more|unarmed|innocent|young|local|foreign|security|army|paramilitary|government|rebel|suspected|"
    r"armed|civilian|police|military|[A-Z][a-z]+(?:an|ian|ese|i|ish))"
)
_NOUN = rf"(?:(?:{_ADJ}\s+){{0,2}}(?P<noun>{_PEOPLE}|{_SPECIFIC}|{_PERPETRATORS}))"
_AUX = (
    r"(?:were|was|are|is|have\s+been|has\s+been|had\s+been|have|has|had|been|reportedly|also|later|all|still|"
    r"now|remain(?:ed)?|believed\s+to\s+have\s+been|feared|confirmed|who|that|being)"
)
_ADV = r"(?P<adv>seriously|critically|badly|severely|slightly|lightly|fatally|mortally|gravely)"
# Predicates after the number ("61 people were killed") and the attribute each stands for.
_PREDICATES: dict[str, str] = {
    r"killed|dead(?=\s*(?:[,.;:)!?—–-]|$|\s(?:and|as|in|after|from|when|while|including|at|on|with|since|so|but|"
    r"or|after|following|during)\b))|died|perished|slain|murdered|lost\s+their\s+lives|confirmed\s+dead": "killed",
    r"injured|wounded|hurt": "injured",
    r"hospitali[sz]ed|taken\s+to\s+(?:the\s+|a\s+)?hospitals?|treated\s+in\s+(?:the\s+|a\s+)?hospitals?|"
    r"admitted\s+to\s+(?:the\s+|a\s+)?hospitals?": "hospitalized",
    r"arrested|detained|taken\s+into\s+custody|apprehended": "arrested",
    r"missing|unaccounted\s+for": "missing",
    r"evacuated|displaced|moved\s+out\s+of\s+(?:their\s+)?homes|forced\s+(?:from|out\s+of)\s+(?:their\s+)?homes|"
    r"fled\s+(?:their\s+)?homes|ordered\s+to\s+leave(?:\s+their\s+homes)?": "evacuated",
    r"taken\s+hostage|held\s+hostage|kidnapped|abducted": "hostages",
    r"rescued": "rescued",
}
_PRED = "|".join(f"(?:{p})" for p in _PREDICATES)
# Verbs followed by the number ("killing 60 people").
_VERB_FIRST: dict[str, str] = {
    r"killing|killed|kills|kill": "killed",
    r"injuring|injured|wounding|wounded|injures|wounds": "injured",
    r"arrested|arresting|detained|detaining|arrests": "arrested",
    r"evacuated|evacuating|displaced|displacing": "evacuated",
    r"rescued|rescuing": "rescued",
    r"abducted|abducting|kidnapped|kidnapping": "hostages",
}
_VFIRST = "|".join(f"(?:{p})" for p in _VERB_FIRST)
_TOLL_HEADS = (
    r"(?P<head>(?:death|casualty|injury)\s+toll|toll|number\s+of\s+(?:people\s+|those\s+|persons\s+)?"
    r"(?:killed|dead|deaths|fatalities|injured|wounded|victims|casualties|missing|arrested|evacuated|evacuees)|"
    r"(?:number|count|tally)\s+of\s+(?:the\s+)?dead)"
)
_LABELS: dict[str, str] = {
    r"dead|deaths|killed|fatalities|death\s+toll": "killed",
    r"injured|wounded|hurt|injuries": "injured",
    r"missing": "missing",
    r"arrested|detained|arrests": "arrested",
    r"(?:residents\s+|people\s+)?evacuated|evacuations|evacuees|displaced": "evacuated",
    r"(?:treated\s+|admitted\s+)?in\s+hospital[^:]{0,30}|hospitali[sz]ed": "hospitalized",
}
_CURRENCY_SIGN = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "rs": "INR", "rs.": "INR",
                  "usd": "USD", "eur": "EUR", "gbp": "GBP"}
_CURRENCY_WORD = (
    r"(?:dollars|euros|pounds(?:\s+sterling)?|yen|yuan|renminbi|rupees|crowns|kronor|kroner|krona|francs|"
    r"roubles|rubles|dinars|riyals|dirhams|pesos|lira|won|shekels|naira|rand|ringgit|baht|rupiah)"
)
# What an amount of money is, from a word near it: amounts are compared only within one topic.
_AMOUNT_TOPICS: dict[str, str] = {
    "damage": "damage", "damages": "damage", "cost": "cost", "costs": "cost", "costing": "cost", "fund": "fund",
    "fine": "fine", "fined": "fine", "ransom": "ransom", "compensation": "compensation", "bail": "bail",
    "budget": "budget", "loan": "loan", "aid": "aid", "deal": "deal", "bid": "bid", "salary": "salary",
    "profit": "profit", "profits": "profit", "revenue": "revenue", "revenues": "revenue", "sales": "sales",
    "debt": "debt", "bill": "bill", "valued": "value", "valuation": "value", "worth": "value", "raised": "raised",
    "donated": "donation", "donation": "donation", "donations": "donation", "paid": "payment", "payment": "payment",
    "reward": "reward", "settlement": "settlement", "investment": "investment", "invested": "investment",
    "losses": "loss", "loss": "loss", "income": "income", "earnings": "earnings", "bought": "deal",
    "acquired": "deal", "acquisition": "deal", "purchase": "deal",
}
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
)
_WEEKDAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTH_NUMBER = {m[:3].lower(): i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), 1)}
_EVENT_NOUNS = (
    r"(?:fire|blaze|explosion|blast|attack|assault|shooting|earthquake|quake|crash|collision|storm|raid|bombing|"
    r"riot|clashes|fighting|derailment|collapse|flood|flooding|tsunami|eruption|stampede|accident|massacre|siege)"
)

# --- compiled patterns -----------------------------------------------------------------------

_F = re.IGNORECASE
_QTY = QUANTITY
# "61 people were killed", "more than 120 were injured", "dozens more were hurt", "six dead"
_AFTER = re.compile(
    rf"(?<![\w$€£¥.,\-])(?P<qty>{_QTY})(?:\s+of)?(?:\s+{_NOUN}(?:\s+(?:of|from|in|at|near|on)\s+[^,.;:]{{1,50}}?)?)?"
    rf"(?:\s*,)?(?:\s+{_AUX}){{0,3}}(?:\s+{_ADV})?"
    rf"\s+(?P<pred>{_PRED})\b", _F)
# "killing 60 people", "killed at least 61 people", "injuring 30"
_BEFORE = re.compile(
    rf"\b(?P<verb>{_VFIRST})\s+(?:(?:an\s+estimated|another|a\s+further|a\s+total\s+of)\s+)?(?P<qty>{_QTY})"
    rf"(?:\s+of)?(?:\s+{_NOUN})?(?=\s*(?:[,.;:)!?]|$|\s+(?:and|in|when|as|after|on|during|while|including|at|"
    rf"near|across|since|before|inside|outside|from|with|\(|—|–)\b))", _F)
# "left more than 100 people injured", "leaving 20 dead"
_LEFT = re.compile(
    rf"\b(?:left|leaving|leaves)\s+(?P<qty>{_QTY})(?:\s+of)?(?:\s+{_NOUN})?\s+(?P<pred>dead|injured|wounded|hurt|"
    r"homeless|missing)\b", _F)
# "the death toll rose to 50", "the number of people killed ... has risen to six"
_TOLL = re.compile(
    rf"\b{_TOLL_HEADS}\b(?P<gap>[^.;:!?]{{0,90}}?)\s(?P<link>has\s+risen|had\s+risen|rose|risen|rises|climbed|"
    r"jumped|increased|reached|stood|stands|stand|hit|was|is|at|of|to)\s+(?:to\s+|at\s+)?"
    rf"(?P<qty>{_QTY})", _F)
# "Dead: 6 (fire service)", "Residents evacuated: 3,500 (provincial government) or 2,000 (fire service)"
_LABEL = re.compile(
    rf"^(?P<label>{'|'.join(_LABELS)})\s*:\s*(?P<qty>{_QTY})(?:\s*\((?P<spk>[^)]{{2,60}})\))?", _F)
_LABEL_MORE = re.compile(rf"\s*(?:,|or|/|and)\s*(?P<qty>{_QTY})(?:\s*\((?P<spk>[^)]{{2,60}})\))?", _F)
# "three attackers", "at least three gunmen"
_ATTACKERS = re.compile(
    rf"(?<![\w$€£¥.,\-])(?P<qty>{_QTY})\s+(?:(?:armed|masked|suspected|other|more|heavily\s+armed|suicide|"
    rf"militant)\s+)?(?P<noun>{_PERPETRATORS})\b", _F)
# "$10.4 billion", "10 million crowns", "between 80 million and 120 million crowns"
_MONEY_SIGN = re.compile(rf"(?P<sign>US\$|\$|€|£|¥|₹|\bRs\.?|\bUSD|\bEUR|\bGBP)\s?(?P<qty>{_QTY})", _F)
_MONEY_WORD = re.compile(
    rf"(?<![\w$€£¥.,\-])(?P<qty>{_QTY})\s+(?:(?:US|Hong\s+Kong|Canadian|Australian|Singapore|New\s+Zealand)\s+)?"
    rf"(?P<word>{_CURRENCY_WORD})\b", _F)
# "no one was killed", "there were no casualties"
_ZERO = re.compile(
    r"\b(?:(?P<who>no\s+one|nobody|no-one|none)\s+(?:(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+)?"
    r"(?:(?:seriously|badly)\s+)?(?P<pred>killed|died|dead|injured|hurt|wounded|missing)"
    r"|there\s+(?:were|have\s+been|had\s+been|was)\s+no\s+(?P<noun>casualties|deaths|fatalities|injuries|dead)"
    r"|no\s+(?:lives|one)\s+(?:were|was)\s+lost)\b", _F)

# What stops a number from being a count.
_NOT_COUNT_AFTER = re.compile(
    r"^(?:\s*[-‐]?\s*(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|km|kilomet|miles?|"
    r"metres?|meters?|feet|foot|ft|inch|kg|kilo|tonnes?|tons?|pounds?\s+of|percent|per\s*cent|%|points?|"
    r"a\.m|p\.m|am\b|pm\b|o'clock|GMT|UTC|local\s+time|:\d)|:\d\d|\.\d\d\s*[ap]\.?m)", _F)
_NOT_COUNT_BEFORE = re.compile(
    r"(?:\b(?:No|Nos|no|number|Number|Tank|Route|Highway|Flight|Room|Gate|Pier|Platform|Unit|Block|Building|"
    r"Article|Section|Resolution|aged|age|ages|page|chapter|version|Level|level|grade|Grade|size|Size|"
    r"saw|seen|see|spotted|heard|watched|the\s+other|those|these|first|last|top|Apollo|Boeing|Airbus|Windows|"
    r"iPhone|[A-Z]{2,}-?)\.?\s*|[#№]\s*|\d[\d,.]*\s*(?:-|–|to)\s*)$")
_SUBSET_AFTER = re.compile(r"^\s+of\s+(?:the|them|those|whom|these|its|their|his|her)\b", _F)
_EARLIER = re.compile(
    r"(?:\b(?:lower|earlier|initial|first|previous|original|old|preliminary|provisional)\s+(?:death\s+)?"
    r"(?:toll|figures?|count|estimates?|tally|numbers?|reports?)(?:\s+of)?|\b(?:up|down|revised)\s+from|"
    r"\binstead\s+of|\breplacing(?:\s+the\s+figures?\s+of)?|\binitially(?:\s+\w+){0,3})\s*[\"“]?\s*$", _F)
_EARLIER_AFTER = re.compile(r"^[^.;]{0,40}\b(?:earlier\s+in\s+the\s+day|earlier|initially|at\s+first)\b", _F)
_INCREMENT = re.compile(r"^\s+(?:more|new|additional|further)\b", _F)
_DENIAL_BEFORE = re.compile(r"\b(?:denied|denies|deny|dismissed|dismisses|rejected|rejects|disputed|disputes|"
                            r"refuted|refutes)\b[^.;]{0,80}$", _F)
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")

# Responsibility.
_ACTOR_NAME = (r"(?:[\"“][^\"”]{2,60}[\"”]|(?:[A-Z][\w'’.\-]*|al-\w+)"
               r"(?:\s+(?:of|the|al|el|e|bin|de|for|and|al-\w+)?\s*[A-Z][\w'’.\-]*)*)")
_NONE_CLAIMED = re.compile(
    r"\b(?:(?:no|not\s+any|none\s+of\s+the)\s+(?:[\w\-]+\s+){0,2}?(?:group|groups|organi[sz]ations?|one|faction|"
    r"outfit|party|militants?)\s+(?:has|have|had|immediately|yet|so\s+far|publicly|\s)*"
    r"(?:claimed|taken|accepted|admitted)\s+(?:the\s+)?(?:responsibility|credit)"
    r"|nobody\s+(?:has\s+|had\s+)?(?:yet\s+|immediately\s+)?(?:claimed|taken\s+responsibility)"
    r"|(?:there\s+(?:was|has\s+been|had\s+been)\s+)?no\s+(?:immediate\s+)?claims?\s+of\s+responsibility"
    r"|(?:has|have|had)\s+not\s+(?:yet\s+)?been\s+claimed)", _F)
_CLAIMED = re.compile(
    r"\b(?:(?:has|have|had)\s+)?(?:(?:also|since|quickly|later|swiftly|reportedly|purportedly|already)\s+)?"
    r"(?P<verb>claimed|claims|claiming|took|takes|accepted|accepts|admitted|admits|taken)\s+(?:the\s+)?"
    r"(?:responsibility|credit)\b"
    r"|\b(?:(?:has|have|had)\s+)?(?:also\s+)?(?:claimed|claims)\s+(?:(?:that|this)\s+|(?:the|yesterday's|"
    r"last\s+\w+'s|\w+day's)\s+(?:\w+\s+)?)(?:attack|bombing|assault|blast|raid|shooting|killing|killings|attacks|"
    r"bombings)\b", _F)
_CLAIMED_BY = re.compile(
    rf"\b(?:responsibility|credit)\s+(?:for\s+[^.;]{{0,60}}?\s+)?(?:was|has\s+been|had\s+been)\s+claimed\s+by\s+"
    rf"(?:the\s+)?(?P<who>{_ACTOR_NAME})|\bclaims?\s+of\s+responsibility\s+(?:by|from)\s+(?:the\s+)?"
    rf"(?P<who2>{_ACTOR_NAME})")
_BLAMED = re.compile(
    r"\b(?P<verb>blamed|blames|blame|blaming|accused|accuses|accuse|accusing)\s+(?P<who>[^.;:]{2,90}?)\s+"
    r"(?:(?:on|in)\s+\w+\s+)?(?:for|of|over)\b"
    r"|\b(?:blamed|blames|blaming)\s+(?:the\s+|this\s+|that\s+|\w+'s\s+)?(?:\w+\s+){0,3}?on\s+"
    r"(?P<who2>[^.;:,]{2,80})", _F)
_RESPONSIBLE = re.compile(
    rf"(?P<who>{_ACTOR_NAME})(?:\s*,[^,;]{{1,170}},)?\s+(?:was|were|is|are|had\s+been|may\s+have\s+been)\s+"
    r"(?:(?:likely|probably|possibly|most\s+likely|believed\s+to\s+be|thought\s+to\s+be|suspected\s+to\s+be|"
    r"also)\s+)?(?P<what>responsible|behind|to\s+blame)\b")
_LINKED = re.compile(
    r"\b(?:attackers?|perpetrators?|gunmen|assailants|bombers?|militants|suspects?|culprits)\b[^.;]{0,90}?\b"
    r"(?:connected|linked|tied|affiliated|belonged|belonging|loyal)\s+(?:to|with)\s+(?P<who>[^.;,]{2,90})", _F)
_SUSPECTED = re.compile(
    rf"\bsuspect(?:ed|s)?\s+(?:that\s+)?(?:the\s+)?(?P<who>{_ACTOR_NAME})\s+(?:militants|fighters|rebels|"
    rf"members|gunmen|of|was|were|is|are|had|carried|behind)\b|(?P<who2>{_ACTOR_NAME})\s+(?:is|are|was|were)\s+"
    r"(?:widely\s+|strongly\s+)?suspected\b")
# The cause is the clause subject before the verb (found by looking back from it: fast, no backtracking).
_CAUSED = re.compile(
    rf"(?<![-‐])\b(?:(?:caused|sparked|triggered|set\s+off|ignited)\s+(?:the\s+|a\s+|this\s+)?(?:\w+\s+)?"
    rf"{_EVENT_NOUNS}|started\s+(?:the\s+|a\s+)(?:\w+\s+)?(?:fire|blaze|wildfire))\b", _F)
_CAUSED_BY = re.compile(
    rf"\b{_EVENT_NOUNS}\s+(?:was|were|had\s+been|has\s+been|may\s+have\s+been|is\s+believed\s+to\s+have\s+been|"
    r"might\s+have\s+been)\s+(?:caused|started|sparked|triggered)\s+by\s+(?P<cause>[^.;,]{2,80})", _F)
_UNDETERMINED = re.compile(
    r"\bcause\b[^.;]{0,80}?\b(?:is|was|remains|remained|has|had|were)?\s*(?:still\s+|yet\s+)?"
    r"(?:under\s+investigation|being\s+investigated|unknown|not\s+(?:yet\s+)?(?:known|clear|determined|"
    r"established)|unclear|undetermined|yet\s+to\s+be\s+(?:determined|established))\b", _F)
# The denier is the clause subject before the verb (looked up backwards from it).
_DENIED = re.compile(
    r"\b(?:(?:has|have|had|also|strongly|flatly|categorically|vehemently|repeatedly|firmly)\s+)*"
    r"(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes|disputed|disputes)\s+"
    r"(?P<obj>[^.;]{0,80})", _F)
_DENIED_WHICH = re.compile(
    rf"\bwhich\s+(?P<who>the\s+\w+|{_ACTOR_NAME})\s+(?:denies|denied|rejects|rejected|disputes|disputed)\b")
_FALSE = re.compile(
    r"\b(?:claims?|suggestions?|allegations?|accusations?|reports?|idea|notion)\s+that\s+[^.]{0,100}?\s+"
    r"(?:is|was|are|were)\s+(?:categorically\s+|completely\s+|totally\s+|simply\s+|entirely\s+|absolutely\s+)?"
    r"(?:false|untrue|baseless|wrong|unfounded|a\s+lie|nonsense|fabricated)\b", _F)
# What a denial denies: the object's first words must say so ("the union's account", "any involvement", "that").
_DENIAL_OBJECTS = re.compile(
    r"^(?:(?:any|the|all|these|such|its|their|his|her|a|an|reports?\s+of|\w+'s|\w+’s|most|more|serious|of|"
    r"\w+ly)\s+){0,3}(?:involvement|responsibility|role|links?|claims?|"
    r"accusations?|allegations?|charges?|reports?|account|suggestions?|blame|wrongdoing|negligence|that|part|"
    r"\w+ing)\b", _F)
_PASSIVE = re.compile(r"\b(?:be|been|being|was|were|is|are)\s+$", _F)
_HARM = re.compile(rf"\b(?:{_EVENT_NOUNS[3:-1]}|killing|killings|deaths|disaster|bloodshed|violence|leak|spill)\b",
                   _F)

# Time and day of the event: the time or day is found first, then the text before it must name the event and
# a verb of its happening ("the fire started at about 4:40 a.m."); looking back keeps the rules linear.
_TIME = r"(?P<time>\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b)|\d{1,2}:\d{2}|noon|midnight)"
_AT_TIME = re.compile(rf"\b(?P<q>at\s+about|at\s+around|at\s+approximately|at|around|about|approximately|"
                      rf"shortly\s+(?:before|after)|just\s+(?:before|after))\s+{_TIME}", _F)
_DAY = rf"(?P<day>{_WEEKDAYS}|(?:{_MONTHS})\s+\d{{1,2}}\b|\d{{1,2}}\s+(?:{_MONTHS}))"
_ON_DAY = re.compile(rf"\b(?:on|late\s+on|early\s+on)\s+{_DAY}", _F)
_DAY_FIRST = re.compile(rf"^(?:On|Late\s+on|Early\s+on)\s+{_DAY}(?:\s+(?:morning|evening|night|afternoon))?,", _F)
# The event noun as the subject right before the verb, not "the fire service began work".
_EVENT_SUBJECT = re.compile(
    rf"\b(?:{_EVENT_NOUNS}|gunmen|attackers|militants|terrorists|assailants)(?!\s+(?:service|brigade|department|"
    r"crews?|fighters?|station|chief|officials?|engines?|alarms?))\s+(?:[\w,'’\-]+\s+){0,3}$", _F)
_HAPPENED = re.compile(
    r"\b(?:started|broke\s+out|began|erupted|occurred|happened|took\s+place|struck|hit|went\s+off|exploded|"
    r"stormed|attacked|raided|broke\s+into|opened\s+fire|swept\s+through)\b", _F)

# Speakers.
_SAY = (r"(?:said|says|say|told|tells|announced|announces|reported|reports|stated|states|added|adds|confirmed|"
        r"confirms|claimed|claims|estimated|estimates|maintains|maintained|insisted|insists|blamed|blames|accused|"
        r"accuses|denied|denies|rejected|rejects|quoted|believes?|believed|suspects?|suspected)")
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<s>[^,.;:\"“”()]{2,80})", _F)
_SAID_AFTER = re.compile(r"[,\"”]\s*(?:said|says|told\s+\w+)\s+(?P<s>(?:[A-Z][\w.'’\-]*\s*){1,5})")
_SPEAKER_BEFORE = re.compile(
    rf"(?:^|[,;:\"“”(—–]|\bthat\b|\band\b|\bbut\b|\bwhile\b)\s*(?P<s>[^,;:\"“”()—–]{{2,90}}?)\s+"
    rf"(?:(?:had|has|have|also|previously|later|earlier|repeatedly|publicly|reportedly)\s+)*{_SAY}\b")
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’\-]{2,40}(?:\([^)]{1,30}\))?\s+[-—–]\s+")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "which", "who"}
_LEADING = re.compile(r"^(?:but|and|however|meanwhile|also|yet|so|then|while|though|although|earlier|later)\b[,\s]*",
                      _F)

# Anchors on another event.
_ANCHOR = re.compile(
    rf"\b(?:[Ii]n|[Dd]uring|[Ll]ast)\s+(?:(?:early|late|mid)[-\s])?(?P<month>{_MONTHS})(?![a-z])"
    r"(?:\s+(?P<my>(?:1[89]|20)\d\d))?(?![\w.]*\s+\d)|\b(?:[Ii]n|[Dd]uring)\s+(?P<year>(?:1[89]|20)\d\d)\b"
    r"|\b(?P<rel>last\s+(?:year|month|decade)|in\s+recent\s+years|years\s+ago|months\s+ago|decades\s+ago|"
    r"in\s+the\s+(?:last|past)\s+\w+\s+(?:years|decades)|"
    r"in\s+the\s+past|earlier\s+this\s+year|the\s+previous\s+year|a\s+year\s+ago)\b")
_BACKREF = re.compile(r"\b(?:that|the\s+same|the\s+earlier|this\s+earlier)\s+(?:attack|bombing|assault|blast|fire|"
                      r"explosion|incident|shooting|raid)\b", _F)

_HAS_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
    r"dozens?|scores|several|few|handful|no\s+one|nobody|none|no\s+(?:casualties|deaths|fatalities|injuries|lives))\b",
    _F)
_HAS_RESPONSIBILITY = re.compile(
    r"responsib|credit|claim|blam|accus|\bbehind\b|linked|connected|\btied\b|affiliated|belong|loyal|suspect|caus|"
    r"sparked|trigger|set\s+off|started|ignited|denie|deny|reject|dismiss|refut|disput|false|untrue|baseless", _F)
_HAS_TIME = re.compile(rf"\d\s*(?:a\.?m|p\.?m)|\d:\d\d|\bnoon\b|\bmidnight\b|\b(?:{_WEEKDAYS})\b|\b(?:{_MONTHS})\s*\d",
                       _F)
_ORG_SUFFIX = re.compile(
    r"\b(?:[A-Z][\w&'’\-]*\s+){1,3}(?:Chemicals?|Company|Co\.|Corp\.?|Corporation|Inc\.?|Ltd\.?|Group|Bank|Airlines?|"
    r"Motors|Holdings|Industries|Energy|Oil|Pharmaceuticals?|Technologies|Systems|Railways?|Authority|Agency|"
    r"Ministry|Department|Service|Party|Army|Front|Movement)\b")
_GENERIC_ORG = re.compile(r"^(?:the\s+)?(?:company|firm|plant\s+operator|operator|owner|manufacturer|group's\s+owner)$",
                          _F)


@dataclass
class _Context:
    """What carries over between sentences: the last speaker (for "he said"), the previous sentence (for
    "that attack"), the article's main organisation (for "the company")."""

    article: Article
    last_speaker: str | None = None
    unread_say: list[str] = field(default_factory=list)  # later sentences with a reporting verb, not read yet
    previous: str | None = None

    @cached_property
    def main_org(self) -> str | None:
        return _main_org(self.article.text)


# Words that must occur for a family of rules to be tried at all: most sentences are skipped at once.
def _words(*groups: str) -> frozenset[str]:
    return frozenset(w for g in groups for w in g.split())


_GATE_NUMBER = _words("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                      "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
                      "hundred thousand million dozen dozens scores several few handful no nobody none hundreds "
                      "thousands millions")
_GATE_PRED = _words("killed dead died perished slain murdered lost injured wounded hurt hospitalized hospitalised "
                    "hospital hospitals arrested detained custody apprehended missing unaccounted evacuated displaced "
                    "moved forced fled ordered hostage kidnapped abducted rescued")
_GATE_VFIRST = _words("killing killed kills kill injuring injured wounding wounded injures wounds arrested arresting "
                      "detained detaining arrests evacuated evacuating displaced displacing rescued rescuing abducted "
                      "abducting kidnapped kidnapping")
_GATE_PERP = _words("attackers gunmen assailants perpetrators bombers hijackers terrorists shooters")
_GATE_MONEY = _words("dollars euros pounds yen yuan renminbi rupees crowns kronor kroner krona francs roubles rubles "
                     "dinars riyals dirhams pesos lira won shekels naira rand ringgit baht rupiah rs usd eur gbp")
_GATE_RESPONSIBILITY = _words(
    "responsibility responsible credit claimed claims claim claiming took takes accepted accepts admitted admits "
    "taken blamed blame blames blaming accused accuses accuse accusing behind linked connected tied affiliated "
    "belonged belonging loyal suspect suspected suspects cause caused sparked triggered started set ignited denied "
    "denies deny rejected rejects dismissed dismisses refuted refutes disputed disputes false untrue baseless wrong "
    "unfounded lie nonsense fabricated")
_GATE_DAY = _words("monday tuesday wednesday thursday friday saturday sunday january february march april may june "
                   "july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec")
_GATE_SAY = _words("said says say told tells announced announces reported reports stated states added adds confirmed "
                   "confirms claimed claims estimated estimates maintains maintained insisted insists according")
_GATE_TOLL = _words("toll number count tally")
_GATE_LEFT = _words("left leaving leaves")
_GATE_ZERO = _words("no nobody none")
_SIGNS = re.compile(r"[$€£¥₹]|\b(?:Rs|USD|EUR|GBP)\b")
_GATE_COUNTED = _GATE_PRED | _GATE_VFIRST | _GATE_PERP | _GATE_MONEY | _GATE_TOLL | _GATE_LEFT | _GATE_ZERO
_WORD = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")


def extract_claims(article: Article, sentences: Iterable[Sentence]) -> list[Claim]:
    """Every claim of an article's sentences, in text order, with exact offsets into `article.text`."""
    if article.language and article.language in intl_languages():
        return extract_claims_intl(article, sentences, article.language)
    ctx = _Context(article)
    out: list[Claim] = []
    for sentence in sentences:
        text = sentence.text
        if len(text) < 8 or len(text) > 700:
            ctx.previous = None
            continue
        words = frozenset(_WORD.findall(text.lower()))
        found: list[Claim] = []
        speaker: str | None = None
        try:
            digit = _DIGIT.search(text) is not None
            if (digit or words & _GATE_NUMBER) and (words & _GATE_COUNTED or ":" in text or _SIGNS.search(text)):
                found += _counts(sentence, words)
            if words & _GATE_RESPONSIBILITY:
                speaker = _speaker(text, ctx)
                found += _responsibility(sentence, words, speaker, ctx)
            if (digit and _TIME_HINT.search(text)) or words & _GATE_DAY or "noon" in words or "midnight" in words:
                found += _when(sentence)
            if found and speaker is None:
                speaker = _speaker(text, ctx)
            elif not found and words & _GATE_SAY:
                ctx.unread_say = [*ctx.unread_say[-3:], text]
            if found:
                anchor = _anchor(text, article.published)
                if anchor is None and ctx.previous and _BACKREF.search(text):
                    anchor = _anchor(ctx.previous, article.published)
                found = [replace(c, speaker=c.speaker or (speaker if c.kind != "responsibility" else None),
                                 anchor=anchor) for c in found]
        except Exception:  # a rule that trips on odd text loses that sentence's claims, never the article
            found = []
        out += found
        ctx.previous = text
    return out


_EVENT_WORD = re.compile(rf"\b(?:{_EVENT_NOUNS}|gunmen|attackers|militants|terrorists|assailants)\b", re.I)
_TIME_HINT = re.compile(r"\d\s*[ap]\.?m\b|\d[:.]\d\d", re.I)


# --- counts -------------------------------------------------------------------------------------


def _counts(sentence: Sentence, words: frozenset[str]) -> list[Claim]:
    """Figures with what they count; the speaker is filled in by the caller (labels carry their own)."""
    text = sentence.text
    claims: dict[int, Claim] = {}  # by the start of the figure: one claim per figure

    def add(match: re.Match[str], group: str, attribute: str, *, noun: str | None = None, adv: str | None = None,
            detail: str | None = None, who: str | None = None) -> None:
        start, end = match.span(group)
        if start in claims or not _is_count(text, match, group):
            return
        q = quantity(_subgroup(match, group))
        if q is None or q.high < 0:
            return
        group_name, attribute = _counted_group(noun, attribute)
        if attribute == "attackers" and q.low > 100:
            return
        before = text[:start]
        polarity = "denied" if _DENIAL_BEFORE.search(before) else "affirmed"
        earlier = bool(_EARLIER.search(before[-60:])) or bool(_EARLIER_AFTER.search(text[end:]))
        if _INCREMENT.match(text[end:]) and not any(c.attribute != attribute for c in claims.values()):
            detail = "new"  # "three more dead", "36 more people were hospitalized": an increase, not a total
        claims[start] = _claim(sentence, "count", attribute, q.label(), q, start, end, polarity=polarity,
                               speaker=who, detail=detail or (adv.lower() if adv else None),
                               group=group_name, earlier=earlier)

    if ":" in text:
        for m in _LABEL.finditer(text):
            attribute = _lookup(_LABELS, m.group("label"))
            add(m, "qty", attribute, who=m.group("spk"))
            pos = m.end()
            while (more := _LABEL_MORE.match(text, pos)) is not None:
                add(more, "qty", attribute, who=more.group("spk"))
                pos = more.end()
    if words & _GATE_TOLL:
        for m in _TOLL.finditer(text):
            head = m.group("head").lower()
            attribute = "injured" if re.search(r"injur|wound", head) else _lookup(_LABELS, head.split()[-1], "killed")
            if re.search(r"toll|dead|death|fatalit|victim|casualt", head):
                attribute = "injured" if "injur" in head else "killed"
            risen = re.search(r"risen|rose|climbed|jumped|increased", m.group("link").lower())
            add(m, "qty", attribute, detail="risen" if risen else None)
    if words & _GATE_PRED:
        for m in _AFTER.finditer(text):
            add(m, "qty", _lookup(_PREDICATES, m.group("pred")), noun=m.group("noun"), adv=m.group("adv"))
    if words & _GATE_VFIRST:
        for m in _BEFORE.finditer(text):
            add(m, "qty", _lookup(_VERB_FIRST, m.group("verb")), noun=m.group("noun"))
    if words & _GATE_LEFT:
        for m in _LEFT.finditer(text):
            pred = m.group("pred").lower()
            attribute = {"dead": "killed", "homeless": "evacuated"}.get(pred, _lookup(_PREDICATES, pred))
            add(m, "qty", attribute, noun=m.group("noun"))
    if words & _GATE_PERP:
        for m in _ATTACKERS.finditer(text):
            add(m, "qty", "attackers", noun=m.group("noun"))
    money = [*(_MONEY_SIGN.finditer(text) if _SIGNS.search(text) else ()),
             *(_MONEY_WORD.finditer(text) if words & _GATE_MONEY else ())]
    for m in money:
        topic = _amount_topic(text, m.start(), m.end())
        if topic is None or m.start("qty") in claims:
            continue
        sign = m.groupdict().get("sign")
        unit = _CURRENCY_SIGN.get(sign.lower(), sign) if sign else m.group("word").lower().split()[0]
        add(m, "qty", f"amount:{topic}")
        if m.start("qty") in claims:
            claims[m.start("qty")] = replace(claims[m.start("qty")], group=unit)
    if words & _GATE_ZERO:
        for m in _ZERO.finditer(text):
            pred = (m.group("pred") or m.group("noun") or "killed").lower()
            attribute = ("injured" if re.match(r"injur|hurt|wound", pred) else
                         "missing" if pred == "missing" else "killed")
            if re.search(r"\breports?\s+of\s*$", text[: m.start()]):
                continue
            claims.setdefault(m.start(), _claim(sentence, "count", attribute, "0", Quantity(0.0, 0.0, 0.0, "exact"),
                                                m.start(), m.end()))
    return [claims[k] for k in sorted(claims)]


def _subgroup(match: re.Match[str], group: str) -> re.Match[str]:
    """The QUANTITY sub-match of `group` (its named parts q, n, suffix), re-matched on its own text."""
    inner = QUANTITY_RE.fullmatch(match.group(group))
    assert inner is not None
    return inner


def _is_count(text: str, match: re.Match[str], group: str) -> bool:
    """False for years, times, ages, addresses, distances, durations, parts of a whole ("two of the")."""
    start, end = match.span(group)
    figure = match.group(group)
    after, before = text[end:], text[:start]
    if _NOT_COUNT_AFTER.match(after) or _SUBSET_AFTER.match(after):
        return False
    if _NOT_COUNT_BEFORE.search(before[-24:]):
        return False
    digits = re.sub(r"^\D+", "", figure)
    if _YEAR.fullmatch(digits.strip()) and not re.match(r"^\s+(?:people|persons|civilians|residents)", after, _F):
        return False
    if re.search(r"[A-Za-z]\s*,\s*(?:also\s+|aged\s+|age\s+)?$", before) and re.match(r"^\s*,", after):
        return False  # an age in apposition: "Billy Lincks, 75, who died"
    if re.match(r"^\s*(?:[A-Z][a-z]+\s+)?(?:Road|Street|St\.|Avenue|Ave\.|Lane|Boulevard|Blvd|Square|Drive)\b", after):
        return False
    return not re.search(r"\d[\-/]$", before) and not re.match(r"^[\-/]\d", after)


def _counted_group(noun: str | None, attribute: str) -> tuple[str | None, str]:
    """The counted group ("workers") and attribute; perpetrators are a count of their own, never the toll."""
    if not noun:
        return None, attribute
    noun = " ".join(noun.lower().split())
    if re.fullmatch(_PERPETRATORS, noun, _F):
        if attribute in ("killed", "attackers"):
            return None, "attackers"
        return noun, attribute
    if re.fullmatch(_PEOPLE, noun, _F) or (attribute == "evacuated" and re.fullmatch(
            r"(?:residents|inhabitants|villagers|families|households|locals)", noun)):
        return None, attribute
    return noun, attribute


def _amount_topic(text: str, start: int, end: int) -> str | None:
    """The nearest topic word before an amount (or just after it): what the money is."""
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 70) : start])
    for word in reversed(before):
        if word.lower() in _AMOUNT_TOPICS:
            return _AMOUNT_TOPICS[word.lower()]
    for word in re.findall(r"[A-Za-z]+", text[end : end + 30])[:4]:
        if word.lower() in _AMOUNT_TOPICS:
            return _AMOUNT_TOPICS[word.lower()]
    return None


def _lookup(table: dict[str, str], word: str, default: str = "") -> str:
    for pattern, attribute in _compiled(tuple(table.items())):
        if pattern.fullmatch(word):
            return attribute
    return default


@cache
def _compiled(table: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern, _F), attribute) for pattern, attribute in table]


# --- responsibility ------------------------------------------------------------------------------


def _responsibility(sentence: Sentence, words: frozenset[str], speaker: str | None, ctx: _Context) -> list[Claim]:
    text = sentence.text
    out: list[Claim] = []
    taken: list[tuple[int, int]] = []

    def add(found: tuple[str, int, int] | None, *, polarity: str = "affirmed", detail: str,
            who: str | None = speaker, qualifier: str = "exact") -> None:
        if found is None:
            return
        value, start, end = found
        if any(s <= start < e or start <= s < end for s, e in taken):
            return
        taken.append((start, end))
        out.append(_claim(sentence, "responsibility", "responsibility", value, None, start, end,
                          polarity=polarity, speaker=who, detail=detail, qualifier=qualifier))

    def actor(m: re.Match[str], *groups: str, last: bool = False) -> tuple[str, int, int] | None:
        g = next((g for g in groups if m.group(g)), None)
        return _actor_in(text, m.start(g), m.end(g), ctx, last=last) if g else None

    for m in _scan(_NONE_CLAIMED, text, words):
        add(("none", m.start(), m.end()), polarity="negated", detail="claimed", who=_not_negated(speaker))
    for m in _scan(_CLAIMED_BY, text, words):
        found = actor(m, "who", "who2")
        add(found, detail="claimed", who=found[0] if found else None)
    for m in _scan(_CLAIMED, text, words):
        subject = _subject_before(text, m.start())
        if subject is None or re.search(r"\b(?:no|not|nobody|none)\b", subject[0], _F):
            continue
        if re.search(r"\bnot\s+(?:yet\s+)?$", text[: m.start()]) or re.search(r"\bnot\b", m.group(0)):
            continue
        found = _actor_in(text, subject[1], subject[2], ctx)
        add(found, detail="claimed", who=found[0] if found else None)
    for m in _scan(_BLAMED, text, words):
        verb = (m.group("verb") or "blamed").lower()
        if not _HARM.search(text):  # "blamed coronavirus for the problems" is no claim about an event
            continue
        add(actor(m, "who", "who2"), detail="accused" if verb.startswith("accus") else "blamed",
            who=_subject_speaker(text, m, speaker))
    for m in _scan(_RESPONSIBLE, text, words) if _HARM.search(text) else ():
        if not _is_speaker_only(m.group("who"), speaker):
            add(actor(m, "who"), detail="blamed")
    for m in _scan(_LINKED, text, words):
        add(actor(m, "who", last=True), detail="linked")
    for m in _scan(_SUSPECTED, text, words):
        add(actor(m, "who", "who2"), detail="suspected", qualifier="approximate")
    for m in _scan(_UNDETERMINED, text, words):
        add(("undetermined", m.start(), m.end()), polarity="negated", detail="cause", qualifier="vague")
    causes = [(max(0, m.start() - 120), m.start()) for m in _scan(_CAUSED, text, words)]
    causes += [m.span("cause") for m in _scan(_CAUSED_BY, text, words)]
    for lo, hi in causes:
        window = _whole_words(text, lo, hi)
        phrase = _cause_phrase(window)
        if phrase:
            start = hi - len(window) + max(0, window.rfind(phrase))
            found = _actor_in(text, start, start + len(phrase), ctx)
            add((found[0] if found else phrase, start, start + len(phrase)), detail="caused")
    for m in _scan(_DENIED, text, words):
        obj = m.group("obj") or ""
        if not _DENIAL_OBJECTS.search(obj) or re.search(r"\d", obj) or _PASSIVE.search(text[: m.start()]):
            continue
        window = _whole_words(text, max(0, m.start() - 90), m.start())
        who = _clause_tail(re.split(r"[\"“”]", window)[-1])
        if who:
            start = m.start() - len(window) + window.rfind(who)
            found = _actor_in(text, start, start + len(who), ctx)
            add(found, polarity="denied", detail="denied", who=found[0] if found else None)
    for m in _scan(_DENIED_WHICH, text, words):
        found = actor(m, "who")
        add(found, polarity="denied", detail="denied", who=found[0] if found else None)
    for m in _scan(_FALSE, text, words):
        who = speaker or _last_speaker(ctx)
        if who:
            denier = _organisation_of(who, ctx) or canonical_name(who)
            add((denier, m.start(), m.end()), polarity="denied", detail="denied", who=who)
    return sorted(out, key=lambda c: c.value_start)


_RESPONSIBILITY_GATES: dict[re.Pattern[str], frozenset[str]] = {
    _NONE_CLAIMED: _words("responsibility credit claimed claim claims"),
    _CLAIMED_BY: _words("claimed claims"),
    _CLAIMED: _words("claimed claims claiming took takes accepted accepts admitted admits taken"),
    _BLAMED: _words("blamed blames blame blaming accused accuses accuse accusing"),
    _RESPONSIBLE: _words("responsible behind blame"),
    _LINKED: _words("connected linked tied affiliated belonged belonging loyal"),
    _SUSPECTED: _words("suspect suspected suspects"),
    _UNDETERMINED: _words("cause"),
    _CAUSED: _words("caused sparked triggered started set ignited"),
    _CAUSED_BY: _words("caused sparked triggered started"),
    _DENIED: _words("denied denies deny rejected rejects dismissed dismisses refuted refutes disputed disputes"),
    _DENIED_WHICH: _words("denied denies rejected rejects disputed disputes"),
    _FALSE: _words("false untrue baseless wrong unfounded lie nonsense fabricated"),
}


def _scan(pattern: re.Pattern[str], text: str, words: frozenset[str]) -> Iterable[re.Match[str]]:
    """The pattern's matches, or none at once when the sentence lacks every word the pattern needs."""
    return pattern.finditer(text) if words & _RESPONSIBILITY_GATES[pattern] else ()


def _whole_words(text: str, lo: int, hi: int) -> str:
    """text[lo:hi] without a word cut in half at its start."""
    if lo > 0 and text[lo - 1].isalnum():
        space = text.find(" ", lo, hi)
        lo = hi if space < 0 else space + 1
    return text[lo:hi]


def _not_negated(speaker: str | None) -> str | None:
    """"No group" is the subject of the negation, not a speaker."""
    return None if speaker and re.match(r"(?:no|none|nobody|not)\b", speaker, _F) else speaker


def _organisation_of(speaker: str, ctx: _Context) -> str | None:
    """A spokesperson or executive speaks for the article's organisation ("spokeswoman Dana Okafor")."""
    if ctx.main_org and re.search(r"\b(?:spokes(?:wo)?man|spokesperson|chief|executive|CEO|director|company|firm|"
                                  r"management|statement)\b", speaker, _F):
        return canonical_name(ctx.main_org)
    return None


def _subject_before(text: str, end: int) -> tuple[str, int, int] | None:
    """The clause subject just before a verb at `end`: (phrase, start, end), skipping adverbs."""
    head = text[:end].rstrip()
    m = re.search(r"(?:^|[,;:(—–]|\bthat\b|\band\b|\bbut\b|\bwhile\b|\bwhen\b)\s*(?P<s>[^,;:()—–]{1,90}?)\s*$", head)
    if not m:
        return None
    phrase = m.group("s")
    start = m.start("s")
    phrase_stripped = re.sub(r"(?:\s+(?:has|have|had|also|since|quickly|later|swiftly|reportedly|purportedly|"
                             r"already))+\s*$", "", phrase, flags=_F)
    return phrase_stripped, start, start + len(phrase_stripped)


def _subject_speaker(text: str, match: re.Match[str], speaker: str | None) -> str | None:
    """Who blames or accuses: the subject of the verb, else the sentence's speaker."""
    subject = _subject_before(text, match.start())
    if subject and re.search(r"[A-Za-z]", subject[0]):
        phrase = _clean_speaker(subject[0])
        if phrase:
            return phrase
    return speaker


def _is_speaker_only(phrase: str, speaker: str | None) -> bool:
    return bool(speaker) and phrase.strip(" \"“”") == speaker


def _clause_tail(phrase: str) -> str | None:
    """The last clause of a phrase ("The company said it" -> "it"); None when only a pronoun is left.

    A parenthetical just before the verb is skipped: "Lakeline, which runs the ferry, rejected" -> "Lakeline".
    """
    phrase = re.sub(r",\s*(?:which|who|whose|a|an|the|its|their)\b[^,;:]*,\s*$", "", phrase.rstrip(), flags=_F)
    tail = re.split(r"[,;:]|\bthat\b|\band\b|\bbut\b", phrase)[-1].strip()
    tail = _LEADING.sub("", tail).strip()
    if not tail or tail.lower() in _PRONOUNS or len(tail.split()) > 8:
        return None
    return tail


def _cause_phrase(raw: str) -> str | None:
    """The cause as a short noun phrase: "Halvard said a lightning strike during a storm" -> "a lightning strike"."""
    phrase = re.split(r"[,;:]|\b(?:that|said|says|maintains|maintained|believes|believed|thinks|insists|insisted|"
                      r"claimed|claims|suspected|suspects|because|after|when|while)\b", raw, flags=_F)[-1]
    phrase = re.split(r"\s+(?:had|has|have|was|were|is|are|may|might|could|would|probably|likely)\b", phrase,
                      flags=_F)[0]
    phrase = re.split(r"\s+(?:during|on|at|in|from|near|inside|outside|within|before|after)\b", phrase,
                      flags=_F)[0].strip()
    if not phrase or phrase.lower() in _PRONOUNS or len(phrase.split()) > 6 or not re.search(r"[A-Za-z]", phrase):
        return None
    words = phrase.lower().split()
    if words[-1] in _FUNCTION_WORDS or words[0] in _FUNCTION_WORDS - {"a", "an", "the"}:
        return None
    if re.fullmatch(r"(?:the\s+|a\s+)?(?:fire|blaze|explosion|blast|crash|it|this|what|which|who)", phrase, _F):
        return None
    return phrase


def _actor_in(text: str, start: int, end: int, ctx: _Context, *, last: bool = False) -> tuple[str, int, int] | None:
    """The actor named in text[start:end]: (canonical name, span of the name as written), or None.

    A quoted or capitalised name wins (resolved through the alias table, "IS" -> "Islamic State");
    "the company" stands for the article's main organisation; a short common-noun phrase is kept as is.
    """
    phrase = text[start:end]
    quoted = re.search(r"[\"“]([^\"”]{2,60})[\"”]", phrase)
    if quoted:
        return canonical_name(quoted.group(1).strip()), start + quoted.start(1), start + quoted.end(1)
    names = [(n, i) for n, i in _capitalised(phrase) if n.lower() not in _STOP_NAMES]
    if names:
        name, i = names[-1] if last else max(names, key=lambda n: (len(n[0].split()), -n[1]))
        tail = re.match(r"\s+(?:militants|fighters|rebels|insurgents|extremists|forces|troops|handlers|gunmen|"
                        r"authorities|officials)\b", phrase[i + len(name) :])
        if tail:
            name += tail.group(0)
        return canonical_name(name), start + i, start + i + len(name)
    lead = len(phrase) - len(phrase.lstrip())
    core = phrase.strip().rstrip(",")
    generic = re.sub(r"^(?:the|a|an)\s+", "", core, flags=_F)
    if _GENERIC_ORG.fullmatch(generic) and ctx.main_org:
        return canonical_name(ctx.main_org), start + lead, start + lead + len(core)
    if 1 <= len(core.split()) <= 6 and generic.lower() not in _PRONOUNS and re.search(r"[a-z]", generic):
        return generic, start + lead, start + lead + len(core)
    return None


_FUNCTION_WORDS = frozenset("and or but to of the a an with by for from as than then so nor".split())
_STOP_NAMES = {"the", "a", "an", "but", "and", "however", "he", "she", "it", "they", "we", "i", "on", "in", "at",
               "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "officials", "police"}
_NAME_RUN = re.compile(r"(?:al-|el-)?[A-Z][\w'’\-]*(?:\.(?=\s[A-Z]))?(?:\s+(?:of\s+the|of|the|al|el|e|bin|de|for|and)?"
                       r"\s*(?:al-)?[A-Z][\w'’\-]*)*")


def _capitalised(phrase: str) -> list[tuple[str, int]]:
    """Capitalised name runs in a phrase, with their offsets, without a leading article."""
    out = []
    for m in _NAME_RUN.finditer(phrase):
        raw = m.group(0)
        lead = re.match(r"(?:The|A|An|But|And|However|Its|Their|His|Her)\s+", raw)
        offset = m.start() + (lead.end() if lead else 0)
        name = raw[lead.end() if lead else 0 :]
        name = re.sub(r"(?:'s|’s)$", "", name.rstrip(" .'’"))
        if len(name) >= 2 and name[0].isupper():
            out.append((name, offset))
    return out


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for group in load_aliases().groups:
        for alias in group:
            index.setdefault(name_key(alias), group[0])
    return index


def name_key(name: str) -> str:
    """A spelling-blind key: "Lashkar-e Jhangvi" and "Lashkar-e-Jhangvi" meet."""
    key = re.sub(r"[\s.\-'’\"“”]+", "", name).casefold()
    return key.removeprefix("the") if len(key) > 5 else key


def canonical_name(name: str) -> str:
    """The alias table's first name for an actor ("ISIS" -> "Islamic State"), else the name as written."""
    name = " ".join(name.split()).strip(" ,.;:")
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=_F)
    return _alias_index().get(name_key(name), name)


def _main_org(text: str) -> str | None:
    """The organisation an article is most about (for "the company"): the most frequent org-like name."""
    counts = Counter(m.group(0).strip() for m in _ORG_SUFFIX.finditer(text[:20000]))
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return name if n >= 2 else None


# --- time and day -----------------------------------------------------------------------------


def _when(sentence: Sentence) -> list[Claim]:
    """The time of day and the day the event happened, when a sentence ties one to the event's verb."""
    text = sentence.text
    out: list[Claim] = []
    if not _EVENT_WORD.search(text):
        return out
    for m in _AT_TIME.finditer(text):
        if not _happened_before(text[max(0, m.start() - 130) : m.start()]):
            continue
        minutes = _minutes(m.group("time"))
        if minutes is None:
            continue
        approx = bool(re.search(r"about|around|approximately|shortly|just", m.group("q"), _F))
        spread = 20 if approx else 5
        quantity_ = Quantity(minutes, minutes - spread, minutes + spread, "approximate" if approx else "exact")
        out.append(_claim(sentence, "time", "time", f"{int(minutes) // 60:02d}:{int(minutes) % 60:02d}", quantity_,
                          m.start("time"), m.end("time")))
    days = []
    for m in _ON_DAY.finditer(text):
        if _happened_before(text[max(0, m.start() - 140) : m.start()]):
            days.append(m)
    first = _DAY_FIRST.match(text)
    if first and _HAPPENED.search(text, first.end(), first.end() + 80):
        days.append(first)
    for m in days:
        value = _day_value(m.group("day"))
        if value:
            out.append(_claim(sentence, "date", "date", value, None, m.start("day"), m.end("day")))
    return out


def _happened_before(before: str) -> bool:
    """The text before a time names the event as the subject of its happening ("the fire started ...")."""
    for verb in _HAPPENED.finditer(before):
        if _EVENT_SUBJECT.search(before[max(0, verb.start() - 60) : verb.start()]):
            return True
    return False


def _minutes(raw: str) -> float | None:
    t = raw.lower().replace(" ", "")
    if t == "noon":
        return 12 * 60
    if t == "midnight":
        return 0
    m = re.match(r"(\d{1,2})(?:[:.](\d{2}))?(a\.?m\.?|p\.?m\.?)?", t)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    if m.group(3):
        if hour > 12:
            return None
        if m.group(3).startswith("p") and hour != 12:
            hour += 12
        elif m.group(3).startswith("a") and hour == 12:
            hour = 0
    return float(hour * 60 + minute)


def _day_value(raw: str) -> str | None:
    """'Monday' -> 'monday'; 'Oct. 24' / '24 October' -> '10-24'."""
    t = raw.strip()
    if re.fullmatch(_WEEKDAYS, t, _F):
        return t.lower()
    m = re.fullmatch(rf"(?P<m>{_MONTHS})\s+(?P<d>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTHS})", t, _F)
    if not m:
        return None
    month = _MONTH_NUMBER.get((m.group("m") or m.group("m2"))[:3].lower())
    day = int(m.group("d") or m.group("d2"))
    if not month or not 1 <= day <= 31:
        return None
    return f"{month:02d}-{day:02d}"


# --- speakers and anchors -------------------------------------------------------------------------


def _speaker(text: str, ctx: _Context) -> str | None:
    """Who the sentence says said it, or None; a bare pronoun ("he said") stands for the last named speaker."""
    found = _named_speaker(text)
    if found == "":
        return _last_speaker(ctx)
    if found:
        ctx.last_speaker, ctx.unread_say = found, []
    return found


def _last_speaker(ctx: _Context) -> str | None:
    """The last speaker named before this sentence (reading a skipped sentence's speaker only now)."""
    for text in reversed(ctx.unread_say):
        found = _named_speaker(text)
        if found:
            ctx.last_speaker = found
            break
    ctx.unread_say = []
    return ctx.last_speaker


def _named_speaker(text: str) -> str | None:
    """The speaker a sentence names; "" when it is only a pronoun; None when there is none."""
    m = _ACCORDING.search(text)
    if m and (found := _clean_speaker(m.group("s"))):
        return found
    for m in reversed(list(_SPEAKER_BEFORE.finditer(text))):
        found = _clean_speaker(m.group("s"))
        if found is not None:
            return found
    m = _SAID_AFTER.search(text)
    if m and (found := _clean_speaker(m.group("s"))):
        return found
    return None


def _clean_speaker(phrase: str) -> str | None:
    """A speaker phrase trimmed of conjunctions and relative clauses; "" for a pronoun, None for no speaker."""
    phrase = _DATELINE.sub("", phrase.strip().lstrip("►•*·-–— "))
    phrase = _LEADING.sub("", phrase).strip()
    if re.match(r"(?:no|none|nobody|not)\b", phrase, _F):
        return None
    phrase = re.split(r"\s+(?:who|which|that|whose|where)\s+|\s+in\s+a\s+statement\b", phrase)[0].strip(" ,")
    if not phrase:
        return None
    if phrase.lower() in _PRONOUNS:
        return ""
    words = phrase.split()
    if len(words) > 10 or not re.search(r"[A-Za-z]", phrase):
        return None
    # A speaker names someone: a capitalised name or a role word, not a clause fragment.
    if not (re.search(r"[A-Z]", phrase) or re.search(
            r"\b(?:officials?|police|military|army|spokes(?:wo)?man|spokesperson|minister|ministry|government|"
            r"authorities|sources?|witness(?:es)?|residents?|doctors?|hospital|agency|media|officer|commander|"
            r"governor|mayor|president|company|union|group|analysts?|experts?|investigators?|prosecutors?|"
            r"service|department|statement|report|chief|director|secretary|leader|cadet|eyewitness)\b", phrase,
            _F)):
        return None
    if re.search(r"\b(?:killed|injured|wounded|attack|were|was)\b", phrase, _F) and len(words) > 5:
        return None
    return phrase


def _anchor(text: str, published: str | None) -> str | None:
    """A time marker that puts the sentence on another event ("In August", "in 2015", "last year")."""
    for m in _ANCHOR.finditer(text):
        if m.group("rel"):
            return " ".join(m.group("rel").lower().split())
        year = m.group("year") or m.group("my")
        if m.group("month"):
            month = _MONTH_NUMBER.get(m.group("month")[:3].lower())
            if published and month and published[5:7] == f"{month:02d}" and (not year or published[:4] == year):
                continue
            return f"{year + '-' if year else ''}{month:02d}" if month else None
        if year:
            if published and published[:4] == year:
                continue
            return year
    if published and published[:4].isdigit():
        # "on September 11, 2001", "the 1998 bombings": a year before the report's own is another event.
        for m in _ANY_YEAR.finditer(text):
            if int(m.group(0)) < int(published[:4]):
                return m.group(0)
    return None


_ANY_YEAR = re.compile(r"(?<![\d$€£.,:/\-])(?:19|20)\d\d(?![\d%,.:/\-]\d)(?!\s*(?:%|percent|people|residents|"
                       r"[a-z]+\s+(?:killed|dead|died|injured)))")


def _claim(sentence: Sentence, kind: str, attribute: str, value: str, q: Quantity | None, start: int, end: int,
           **extra: object) -> Claim:
    """A claim with offsets made absolute (the sentence's position in the article)."""
    qualifier = extra.pop("qualifier", None) or (q.qualifier if q else "exact")
    return Claim(
        article_id=sentence.article_id, sentence_index=sentence.index, start=sentence.start, end=sentence.end,
        kind=kind, attribute=attribute, value=value, qualifier=str(qualifier),
        low=q.low if q else None, high=q.high if q else None,
        value_start=sentence.start + start, value_end=sentence.start + end, **extra,  # type: ignore[arg-type]
    )
