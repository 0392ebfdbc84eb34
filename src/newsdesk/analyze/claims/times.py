"""When: the time of day and the day an event happened, when a sentence ties one to the event's verb."""

from __future__ import annotations

import re

from newsdesk.analyze.claims.claim import make_claim
from newsdesk.analyze.claims.patterns import (
    APPROXIMATE_TIME,
    AT_TIME,
    DAY_FIRST,
    EVENT_SUBJECT,
    EVENT_WORD,
    HAPPENED,
    ON_DAY,
    F,
)
from newsdesk.analyze.months import MONTH_DOTTED, WEEKDAY_NAMES, month_number
from newsdesk.analyze.numbers import Quantity
from newsdesk.model import Claim, Sentence


def find_times(sentence: Sentence) -> list[Claim]:
    """The time of day and the day the event happened, when a sentence ties one to the event's verb."""
    text = sentence.text
    out: list[Claim] = []
    if not EVENT_WORD.search(text):
        return out
    for m in AT_TIME.finditer(text):
        if not _happened_before(text[max(0, m.start() - 130) : m.start()]):
            continue
        minutes = _minutes(m.group("time"))
        if minutes is None:
            continue
        approx = bool(APPROXIMATE_TIME.search(m.group("q")))
        spread = 20 if approx else 5
        quantity_ = Quantity(minutes, minutes - spread, minutes + spread, "approximate" if approx else "exact")
        out.append(make_claim(sentence, "time", "time", f"{int(minutes) // 60:02d}:{int(minutes) % 60:02d}", quantity_,
                          m.start("time"), m.end("time")))
    days = []
    for m in ON_DAY.finditer(text):
        if _happened_before(text[max(0, m.start() - 140) : m.start()]):
            days.append(m)
    first = DAY_FIRST.match(text)
    if first and HAPPENED.search(text, first.end(), first.end() + 80):
        days.append(first)
    for m in days:
        value = _day_value(m.group("day"))
        if value:
            out.append(make_claim(sentence, "date", "date", value, None, m.start("day"), m.end("day")))
    return out


def _happened_before(before: str) -> bool:
    """The text before a time names the event as the subject of its happening ("the fire started ...")."""
    for verb in HAPPENED.finditer(before):
        if EVENT_SUBJECT.search(before[max(0, verb.start() - 60) : verb.start()]):
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
    if re.fullmatch(WEEKDAY_NAMES, t, F):
        return t.lower()
    m = re.fullmatch(rf"(?P<m>{MONTH_DOTTED})\s+(?P<d>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH_DOTTED})", t, F)
    if not m:
        return None
    month = month_number(m.group("m") or m.group("m2"))
    day = int(m.group("d") or m.group("d2"))
    if not month or not 1 <= day <= 31:
        return None
    return f"{month:02d}-{day:02d}"
