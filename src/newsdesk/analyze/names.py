"""Proper names in English text: the capitalised-run patterns every rule uses, in one place.

The patterns differ in small ways that change what they find, so each caller keeps its own
variant here under a name that says what it is for (merging them would change output):

- `SALIENT_NAME`: runs that link two reports of one event ("Marlow Bay", "U.N."), with
  `salient_names` dropping calendar and function words;
- `ACTOR_NAME`: a quoted name or a capitalised run with Arabic particles, as claim rules read
  who claimed or was blamed; `NAME_RUN` the same with "of the" and a dotted initial, for runs
  inside a phrase;
- `QUESTION_NAME`: runs and acronyms of a question;
- `SPEAKER_AFTER_SAID`: up to five capitalised words after "said" ("said Police Chief Ann Lowe");
- `PLACE_AFTER_PREPOSITION`, `PLACE_PREFIX`, `PLACE_POSSESSIVE`: place-like names of a sentence;
- `CAPITALISED_WORD_INTL`: a capitalised word in de/fr/es, with accented capitals;
- `ORGANISATION_WORD`, `ORGANISATION_NAME`: organisation-like runs ("Chemical and Port Workers' Union", "St.");
- `PERSON_NAME`: a person's name after a title, with particles ("Ruth Amsel", "Zia ul Haq");
  `PERSON_BEFORE_COMMA` such a name of two words or more before a comma ("Jonas Keel, secretary of ...");
- `NAME_BEFORE_TITLE`: up to four capitalised words ending just before a title ("Harbour Logistics spokesman");
- `PROPER_WORD_LATER`: a capitalised word after the first of a sentence (whether it may name an actor);
- `CAPITALISED_WORD_MID_SENTENCE`: a capitalised word not opening a sentence (names two statements share).
"""

from __future__ import annotations

import re

from newsdesk.analyze.months import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS

# Title and lead: the first characters of an article, where its salient names are taken from.
LEAD_CHARS = 800

SALIENT_NAME = re.compile(r"(?:[A-Z][\w'’\-]+|[A-Z]\.(?:[A-Z]\.)+)(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w'’\-]+)*")
ACTOR_NAME = (r"(?:[\"“][^\"”]{2,60}[\"”]|(?:[A-Z][\w'’.\-]*|al-\w+)"
              r"(?:\s+(?:of|the|al|el|e|bin|de|for|and|al-\w+)?\s*[A-Z][\w'’.\-]*)*)")
NAME_RUN = re.compile(r"(?:al-|el-)?[A-Z][\w'’\-]*(?:\.(?=\s[A-Z]))?(?:\s+(?:of\s+the|of|the|al|el|e|bin|de|for|and)?"
                      r"\s*(?:al-)?[A-Z][\w'’\-]*)*")
QUESTION_NAME = re.compile(r"\b(?:[A-Z][\w’'.\-]*|[A-Z]{2,})(?:\s+(?:of\s+|the\s+|al-)?[A-Z][\w’'.\-]*)*")
SPEAKER_AFTER_SAID = re.compile(r"[,\"”]\s*(?:said|says|told\s+\w+)\s+(?P<s>(?:[A-Z][\w.'’\-]*\s*){1,5})")
PLACE_AFTER_PREPOSITION = re.compile(r"\b(?:in|at|near|outside|across)\s+(?:the\s+)?(?:[a-z\-]+\s+){0,3}?(?:of\s+)?"
                                     r"(?P<p>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)")
PLACE_PREFIX = re.compile(r"^(?P<p>[A-Z][\w.'’\- ]{1,30}?):\s")  # round-ups: "Berwick: Two people ..."
PLACE_POSSESSIVE = re.compile(r"\b(?P<p>[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)(?:'s|’s)\s")  # "Arizona's death toll"
CAPITALISED_WORD_INTL = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
ORGANISATION_WORD = r"(?:[A-Z][\w&\-]*(?:['’](?:s\b)?)?|St\.)"
ORGANISATION_NAME = re.compile(
    rf"\b{ORGANISATION_WORD}(?:\s+(?:(?:of|and|for|the|&)\s+){{0,2}}{ORGANISATION_WORD}){{0,6}}",
)
PERSON_NAME = r"[A-Z][a-z'’]+(?:[ \-](?:[A-Z][a-z'’\-]+|(?:ul|al|bin|van|de|von|da)\b))*"
PERSON_BEFORE_COMMA = re.compile(rf"(?<![\w.])(?P<name>[A-Z][a-z]+(?:\s+{PERSON_NAME}))(?=,)")
NAME_BEFORE_TITLE = re.compile(r"(?<![\w.])((?:[A-Z][\w&'’\-]*[ \t]+){1,4})$")
PROPER_WORD_LATER = re.compile(r"(?<=[\w,;:’'\-)\]] )[A-Z][a-z]")
CAPITALISED_WORD_MID_SENTENCE = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w\-]+")

# Capitalised words that are not names: function words, calendar words, bylines and page furniture.
NOT_NAMES = frozenset(
    """
    the a an in on at of for and but or by to from with as after before when while this that these those it its
    he she they we i his her their our there here what who how why where which said says according also however
    today yesterday mr mrs ms dr photo video reuters ap afp getty images news breaking update updated live read more
    """.split()
) | frozenset(WEEKDAYS) | frozenset(MONTHS) | frozenset(MONTH_ABBREVIATIONS)


def salient_names(text: str) -> list[str]:
    """Names of a text that can link it to another report: runs without function and calendar words.

    A run of several words also gives its longer words alone ("Marlow Bay" also meets "Marlow").
    """
    out = []
    for m in SALIENT_NAME.finditer(text):
        words = [w for w in m.group(0).split() if w.lower() not in NOT_NAMES]
        if not words:
            continue
        name = re.sub(r"(?:'s|’s)$", "", " ".join(words))
        if len(name) >= 3 and not name.isdigit():
            out.append(name)
            if len(words) > 1:
                out.extend(w for w in words if len(w) >= 4)
    return out

# A run of capitalised words not opening a sentence: a name the question did not ask about (answer/rank.py).
PROPER_RUN_MID_SENTENCE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
