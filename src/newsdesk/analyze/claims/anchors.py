"""Anchors: a time marker that puts a sentence on another, earlier event ("In August, ...")."""

from __future__ import annotations

from newsdesk.analyze.claims.patterns import (
    ANCHOR,
    ANY_YEAR,
)
from newsdesk.analyze.event_time import EventTime
from newsdesk.analyze.months import month_number


def event_anchor(text: str, published: str | None) -> str | None:
    """A time marker that puts the sentence on another event ("In August", "in 2015", "last year")."""
    for m in ANCHOR.finditer(text):
        if m.group("rel"):
            return EventTime.relative(m.group("rel")).key()
        year = m.group("year") or m.group("my")
        if m.group("month"):
            month = month_number(m.group("month"))
            if published and month and published[5:7] == f"{month:02d}" and (not year or published[:4] == year):
                continue
            return EventTime(int(year) if year else None, month).key() if month else None
        if year:
            if published and published[:4] == year:
                continue
            return EventTime(int(year)).key()
    if published and published[:4].isdigit():
        # "on September 11, 2001", "the 1998 bombings": a year before the report's own is another event.
        for m in ANY_YEAR.finditer(text):
            if int(m.group(0)) < int(published[:4]):
                return EventTime(int(m.group(0))).key()
    return None
