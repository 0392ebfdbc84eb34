"""Words that name relations between actors, in the spirit of event coding (CAMEO-like types).

Each action has a polarity from -1 (hostile) to +1 (friendly) and a mode: an `action` is something
done, a `statement` something said. The word lists are general English, not tuned to any corpus;
`CANDIDATE` finds the sentences worth parsing (a cheap regex over every sentence at ingest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.analyze.event_time import EventTime
from newsdesk.analyze.months import MONTH_PREFIXED, month_number


@dataclass(frozen=True)
class ActionType:
    name: str
    polarity: float
    mode: str  # "action" or "statement"
    label: str  # plural phrase for counts: "attacks", "accusations"
    one: str  # the singular: "attack", "accusation"

    def count(self, n: int) -> str:
        """"1 accusation", "2 accusations", "1 attack claimed"."""
        return f"{n} {self.one if n == 1 else self.label}"


ACTIONS: dict[str, ActionType] = {a.name: a for a in [
    ActionType("attack", -1.0, "action", "attacks", "attack"),
    ActionType("claim_responsibility", -1.0, "action", "attacks claimed", "attack claimed"),
    ActionType("coerce", -0.6, "action", "coercive acts", "coercive act"),  # arrest, detain, sanction, expel, ban
    ActionType("threaten", -0.7, "statement", "threats", "threat"),
    ActionType("condemn", -0.6, "statement", "condemnations", "condemnation"),
    ActionType("accuse", -0.5, "statement", "accusations", "accusation"),
    ActionType("criticize", -0.4, "statement", "criticisms", "criticism"),
    ActionType("demand", -0.3, "statement", "demands", "demand"),
    ActionType("deny", -0.3, "statement", "denials", "denial"),
    ActionType("negotiate", 0.3, "action", "negotiations", "negotiation"),
    ActionType("meet", 0.3, "action", "meetings", "meeting"),
    ActionType("cooperate", 0.6, "action", "acts of cooperation", "act of cooperation"),
    ActionType("aid", 0.8, "action", "acts of aid", "act of aid"),
    ActionType("support", 0.7, "statement", "statements of support", "statement of support"),
    ActionType("praise", 0.7, "statement", "statements of praise", "statement of praise"),
    ActionType("sympathize", 0.5, "statement", "expressions of sympathy", "expression of sympathy"),
    ActionType("apologize", 0.4, "statement", "apologies", "apology"),
]}

# Verbs by base form. Some need a particular object or particle, checked in analyze.relations.
_VERBS: dict[str, str] = {}
for _action, _words in {
    "attack": "attack assault bomb shell raid storm ambush strike kill shoot target invade massacre behead kidnap "
              "abduct fight battle clash stab execute besiege",
    "claim_responsibility": "claim",
    "coerce": "arrest detain sanction expel ban",
    "threaten": "threaten warn vow",
    "condemn": "condemn denounce deplore decry slam",
    "accuse": "accuse blame allege fault",
    "criticize": "criticize criticise lambast rebuke chide",
    "demand": "demand urge press call ask order insist",
    "deny": "deny reject dismiss refute rebuff",
    "negotiate": "negotiate mediate",
    "meet": "meet host visit",
    "cooperate": "cooperate collaborate partner ally sign agree",
    "aid": "aid help assist fund arm supply",
    "support": "support back endorse defend",
    "praise": "praise commend hail applaud laud thank congratulate welcome",
    "sympathize": "mourn console",
    "apologize": "apologize apologise",
}.items():
    for _word in _words.split():
        _VERBS[_word] = _action

_IRREGULAR = {
    "struck": "strike", "striking": "strike", "strikes": "strike", "shot": "shoot", "fought": "fight", "met": "meet",
    "meets": "meet", "meeting": "meet", "stabbed": "stab", "stabbing": "stab", "banned": "ban", "banning": "ban",
    "slammed": "slam", "slamming": "slam", "besieged": "besiege", "allied": "ally", "allies": "ally",
    "rebuffed": "rebuff", "insisted": "insist", "kidnapped": "kidnap", "kidnapping": "kidnap",
}


def verb_base(word: str) -> str | None:
    """The lexicon's base form of an inflected verb ("blamed" -> "blame"), or None."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w in _VERBS:
        return w
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
                         ("es", ""), ("s", ""), ("d", "")):
        if w.endswith(suffix):
            stem = w[: -len(suffix)] + repl
            if stem in _VERBS:
                return stem
    return None


def verb_action(word: str) -> tuple[str, str] | None:
    """(base form, action) for a relation verb."""
    base = verb_base(word)
    return (base, _VERBS[base]) if base else None


# Nouns that name an action ("an attack on", "support for", "talks with").
NOUNS: dict[str, str] = {}
for _action, _words in {
    "attack": "attack attacks assault assaults bombing bombings raid raids strike strikes airstrike airstrikes "
              "offensive ambush massacre shelling invasion",
    "threaten": "threat threats ultimatum",
    "accuse": "accusation accusations allegation allegations",
    "condemn": "condemnation",
    "criticize": "criticism",
    "deny": "denial",
    "negotiate": "negotiation negotiations talks",
    "meet": "meeting meetings summit visit",
    "cooperate": "cooperation partnership alliance agreement deal",
    "support": "support backing",
    "aid": "aid assistance",
    "praise": "praise",
    "sympathize": "condolences sympathy solidarity",
    "coerce": "sanctions",
}.items():
    for _word in _words.split():
        NOUNS[_word] = _action

# Nouns naming a violent event, which "claimed responsibility for", "was responsible for", "blamed for" point at.
EVENT_NOUNS = frozenset(
    "attack attacks assault bombing bombings blast blasts explosion explosions bloodshed massacre killing killings "
    "shooting shootings raid strike violence ambush siege kidnapping abduction rampage carnage operation "
    "onslaught slaughter atrocity atrocities".split()
)

# Verbs that report what someone said: their subject is the speaker of the clause below them.
REPORT_VERBS = frozenset(
    "say said says saying tell told tells announce announced announces state stated states add added adds "
    "report reported reports claim claimed claims allege alleged alleges insist insisted insists confirm "
    "confirmed confirms explain explained write wrote declare declared note noted believe believed believes "
    "suspect suspected think thought acknowledge acknowledged argue argued maintain maintained maintains "
    "warn warned warns quote quoted".split()
)

# Link words: "the attackers were linked to X", "the perpetrators were connected to X".
LINK_WORDS = frozenset("linked connected tied affiliated loyal belonged belonging".split())
PERPETRATOR_NOUNS = frozenset(
    "perpetrators perpetrator attackers attacker gunmen gunman assailants assailant bombers bomber "
    "militants suspects killers".split()
)

# Nouns for parts of a state: with a country ("Pakistani authorities") or, alone, the article's country.
STATE_NOUNS = frozenset(
    "authorities authority government officials official police policemen policeman officers officer "
    "forces troops army military soldiers navy ministry minister ministers president premier prime "
    "intelligence embassy diplomats diplomat envoy ambassador regime administration cabinet parliament "
    "lawmakers paramilitaries paramilitary rangers guards state spokesman spokeswoman prosecutors court "
    "judiciary governor governors commander commanders general generals chief security".split()
)
# Armed groups without a name: a demonym makes them an actor ("Afghan militants"); "the militants" refers back.
ARMED_NOUNS = frozenset(
    "militants militant insurgents insurgent rebels rebel extremists extremist jihadists jihadist fighters "
    "gunmen separatists terrorists terrorist militia militias guerrillas islamists".split()
)
# People and places a state is hit through ("police cadets in Quetta", "a group of lawyers", "a police school").
PEOPLE_NOUNS = frozenset(
    "people civilians citizens nationals residents villagers cadets recruits lawyers attorneys workers students "
    "pupils pilgrims worshippers tourists journalists doctors nurses children women men minority community "
    "protesters demonstrators farmers voters firefighters passengers shoppers worshipers families victims "
    "employees staff teachers judges activists hazaras shiites christians muslims hindus sikhs services rescuers "
    "volunteers investigators inspectors regulators schoolgirls schoolchildren girls boys hostages "
    "worshipers mourners guests".split()
)
FACILITY_NOUNS = frozenset(
    "school academy college camp centre center base station post checkpoint barracks hostel compound office "
    "offices embassy consulate hospital mosque church temple shrine market hotel convoy patrol headquarters "
    "building court prison jail airport university rally bus train city town village province region "
    "complex facility dormitory".split()
)
# "the group", "the company": references to an actor named earlier (or later) in the article, by kind.
REFERENCE_NOUNS: dict[str, tuple[str, ...]] = {
    **{w: ("armed_group",) for w in "group organization organisation militia movement faction outfit network "
       "militants extremists jihadists insurgents terrorists rebels".split()},
    **{w: ("company",) for w in "company firm corporation manufacturer operator business conglomerate".split()},
    "union": ("union",),
}
# Titles before a person's name; a state title ties the person to the article's country when nothing else does.
PERSON_TITLES = (
    r"President|Prime\s+Minister|Premier|Chancellor|Foreign\s+Minister|Interior\s+Minister|Defen[cs]e\s+Minister|"
    r"Minister|Secretary\s+of\s+State|Secretary|Governor|Gov\.|Senator|Sen\.|Rep\.|Mayor|King|Queen|Prince|"
    r"Sheikh|General|Gen\.|Maj\.\s+Gen\.|Lt\.\s+Gen\.|Brig\.|Col\.|Lt\.\s+Col\.|Lt\.|Capt\.|Maj\.|Sgt\.|"
    r"Admiral|Adm\.|Commander|Chief|Judge|Justice|Ambassador|Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.|"
    r"spokes(?:man|woman|person)|chief\s+executive|CEO|chairman|chairwoman|director|leader|secretary"
)
STATE_TITLES = frozenset(
    "president prime minister premier chancellor foreign interior defence defense secretary governor gov. "
    "general gen. maj. lt. col. brig. capt. sgt. admiral adm. commander ambassador king queen prince mayor "
    "senator sen. rep. judge justice".split()
)

# Anchors that put an event at another time than the article's main one.
ANCHOR = re.compile(
    rf"\b(?:in|on|since|during|last|early|late|mid-?|until|by)\s+(?P<month>(?-i:{MONTH_PREFIXED}))\.?"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+(?P<myear>(?:19|20)\d\d))?\b"
    r"|\b(?:in|since|during)\s+(?P<year>(?:19|20)\d\d)\b"
    r"|\b(?P<phrase>in\s+recent\s+years|over\s+the\s+(?:past\s+|last\s+)?(?:years|decades?)|last\s+year|"
    r"in\s+the\s+past|years\s+ago|months\s+ago)\b",
    re.IGNORECASE,
)


def anchor_of(text: str) -> str | None:
    """The earliest time marker of a sentence, normalised ("In August," -> "august"; "in 2006" -> "2006")."""
    match = ANCHOR.search(text)
    if not match:
        return None
    if match.group("month"):
        year = match.group("myear")
        return EventTime(int(year) if year else None, month_number(match.group("month"))).words()
    if match.group("year"):
        return EventTime(int(match.group("year"))).words()
    return EventTime.relative(match.group("phrase")).words()


_DOUBLING = frozenset({"ban", "slam", "stab", "kidnap"})


def verb_forms(base: str) -> set[str]:
    """Regular inflections of a verb: base, -s, -ed, -ing (with e-dropping, y -> i and doubling)."""
    forms = {base}
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        forms |= {base + "s", base + "ed", base + "ing"}
    if base in _DOUBLING:
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return forms


# Every form of every trigger word, for the cheap test of whether a sentence is worth parsing.
# Forms too common in other senses to make a sentence worth parsing on their own ("in order to", "came back",
# "a storm", "press conference"); the relation can still be found from another word of the sentence.
_WEAK_FORMS = frozenset(
    "back backs help helps helping call calls calling called sign signs order orders press presses deal ban bans "
    "supply supplies fund funds funding host hosts target targets warning aids allies partner partners storm "
    "storms arm arms armed shell shells bomb bombs ask asks asking agree agrees agreing strikes".split()
)
TRIGGER_FORMS = frozenset(
    ({f for base in _VERBS for f in verb_forms(base)} | set(_IRREGULAR) | set(NOUNS) | LINK_WORDS
     | {"responsible", "responsibility"}) - _WEAK_FORMS
)
_CALL_FOR = re.compile(r"\bcall(?:s|ed|ing)?\s+(?:for|on|upon)\b", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+")


def is_trigger(word: str) -> bool:
    """Whether a (lower-cased) word can name a relation."""
    return word in TRIGGER_FORMS or word in ("called", "calls", "call", "asked", "backed", "signed")


def is_candidate(text: str) -> bool:
    """Whether a sentence holds a relation word at all (most do not: they are not parsed)."""
    return any(w.lower() in TRIGGER_FORMS for w in _WORDS.findall(text)) or bool(_CALL_FOR.search(text))
