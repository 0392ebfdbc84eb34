"""English month and weekday names, the one place they are written, and the patterns spelled from them.

Several rules need months: the claim rules ("Oct. 24", "In August"), the relation anchors
("since March 2015"), the event-date resolver (dateparser's keys), name finders (which must not
take "Monday" for a name) and the question slots. They read the names here. The two month
patterns differ on purpose and are kept as they were: `MONTH_DOTTED` takes an abbreviation with
its dot ("Sept."), `MONTH_PREFIXED` spells each full name as its abbreviation plus the rest, and
`MONTH_SHORT_OR_FULL` (the rank's date cue) differs from it only in September.
"""

from __future__ import annotations

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# "January|...|December|Jan.|...": full names, then abbreviations with an optional dot (claim rules).
MONTH_DOTTED = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
)
# "Jan(?:uary)?|...": each name as its abbreviation and an optional rest (relation anchors).
MONTH_PREFIXED = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
# "Jan(?:uary)?|...|Sep(?:t|tember)?|...": as MONTH_PREFIXED but "Sep", "Sept" or "September" only (rank cues).
MONTH_SHORT_OR_FULL = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t|tember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
# "Monday|...|Sunday", capitalised.
WEEKDAY_NAMES = "|".join(w.capitalize() for w in WEEKDAYS)


def month_number(word: str) -> int | None:
    """1-12 for a month name or abbreviation by its first three letters ("Sept." -> 9), else None."""
    prefix = word[:3].lower()
    return next((i for i, m in enumerate(MONTHS, 1) if m[:3] == prefix), None)

