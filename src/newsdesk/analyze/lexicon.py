"""Words that name relations between actors, in the spirit of event coding (CAMEO-like types).

Each action has a polarity from -1 (hostile) to +1 (friendly) and a mode: an `action` is something
done, a `statement` something said. The word lists are general English, not tuned to any corpus;
`CANDIDATE` finds the sentences worth parsing (a cheap regex over every sentence at ingest).
The words are data, in `data/relations_lexicon_en.json`; this module builds the tables from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.analyze.event_time import EventTime
from newsdesk.analyze.months import MONTH_PREFIXED, month_number
from newsdesk.analyze.vocabulary import data_file, word_set

RELATIONS_FILE = "relations_lexicon_en.json"
EN = data_file(RELATIONS_FILE)["en"]  # the English words, for analyze.actors and analyze.relations too


@dataclass(frozen=True)
class ActionType:
    name: str
    polarity: float
    mode: str  # "action" or "statement"
    label: str  # plural phrase for counts: "attacks", "accusations"
    one: str  # the singular: "attack", "accusation"
    contact: bool = False  # meetings and talks: adversaries hold them too, so they weigh as friendly only alone

    def count(self, n: int) -> str:
        """"1 accusation", "2 accusations", "1 attack claimed"."""
        return f"{n} {self.one if n == 1 else self.label}"


ACTIONS: dict[str, ActionType] = {
    name: ActionType(name, a["polarity"], a["mode"], a["label"], a["one"], a.get("contact", False))
    for name, a in EN["actions"].items()
}

# Verbs by base form. Some need a particular object or particle, checked in analyze.relations.
_VERBS: dict[str, str] = {word: action for action, words in EN["verbs"].items() for word in words.split()}
_IRREGULAR: dict[str, str] = EN["irregular_verbs"]


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
NOUNS: dict[str, str] = {word: action for action, words in EN["nouns"].items() for word in words.split()}

# Nouns naming a violent event, which "claimed responsibility for", "was responsible for", "blamed for" point at.
EVENT_NOUNS = word_set(EN["event_nouns"])

# Verbs that report what someone said: their subject is the speaker of the clause below them.
REPORT_VERBS = word_set(EN["report_verbs"])

# Link words: "the attackers were linked to X", "the perpetrators were connected to X".
LINK_WORDS = word_set(EN["link_words"])
PERPETRATOR_NOUNS = word_set(EN["perpetrator_nouns"])

# Nouns for parts of a state: with a country ("Pakistani authorities") or, alone, the article's country.
STATE_NOUNS = word_set(EN["state_nouns"])
# Armed groups without a name: a demonym makes them an actor ("Afghan militants"); "the militants" refers back.
ARMED_NOUNS = word_set(EN["armed_nouns"])
# People and places a state is hit through ("police cadets in Quetta", "a group of lawyers", "a police school").
PEOPLE_NOUNS = word_set(EN["people_nouns"])
FACILITY_NOUNS = word_set(EN["facility_nouns"])
# "the group", "the company": references to an actor named earlier (or later) in the article, by kind.
REFERENCE_NOUNS: dict[str, tuple[str, ...]] = {
    word: (kind,) for kind, words in EN["reference_nouns"].items() for word in words.split()
}
# Titles before a person's name; a state title ties the person to the article's country when nothing else does.
PERSON_TITLES: str = EN["person_titles"]
STATE_TITLES = word_set(EN["state_titles"])

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


_DOUBLING = word_set(EN["doubling_verbs"])


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
_WEAK_FORMS = word_set(EN["weak_forms"])
TRIGGER_FORMS = frozenset(
    ({f for base in _VERBS for f in verb_forms(base)} | set(_IRREGULAR) | set(NOUNS) | LINK_WORDS
     | {"responsible", "responsibility"} | {w for ws in EN["constructions"]["tie"]["objects"].values()
                                             for w in ws.split()}) - _WEAK_FORMS
)
# The constructions (analyze/constructions.py: "send tanks to", "fired a missile over"): a sentence is worth
# parsing for them only with both a verb of one and a word of its objects ("the fire was burning" is not).
_CONSTRUCTION_FORMS = frozenset({f for c in EN["constructions"].values() for w in c["verbs"].split()
                                 for f in verb_forms(w)} | {"sent", "gave", "given", "got", "gotten"})
_CONSTRUCTION_OBJECTS = frozenset(
    w for c in EN["constructions"].values()
    for words in (c["objects"].values() if isinstance(c["objects"], dict) else [c["objects"]]) for w in words.split())
_CALL_FOR = re.compile(r"\bcall(?:s|ed|ing)?\s+(?:for|on|upon)\b", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+")


def is_trigger(word: str) -> bool:
    """Whether a (lower-cased) word can name a relation."""
    return word in TRIGGER_FORMS or word in ("called", "calls", "call", "asked", "backed", "signed")


def is_candidate(text: str) -> bool:
    """Whether a sentence holds a relation word at all (most do not: they are not parsed)."""
    words = {w.lower() for w in _WORDS.findall(text)}
    return bool(words & TRIGGER_FORMS) or bool(_CALL_FOR.search(text)) or bool(
        words & _CONSTRUCTION_FORMS and words & _CONSTRUCTION_OBJECTS)
