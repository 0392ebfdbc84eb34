"""When an earlier event was, as a sentence marks it: one value, written out in one place.

A sentence such as "In August, ..." or "since March 2015" puts what it reports on another event
than the article's own. Claims and relations both keep that marker, each in the form its stored
data has always had: claims as a sortable key ("08", "2015-08", "2015"), relations as words
("august", "march 2015", "2015"). Both are spelled here from one `EventTime`, so the two forms
cannot drift apart. A date resolved against the publication date is another thing, kept as ISO
days (`event_dates.DateExpression`).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.analyze.months import MONTHS


@dataclass(frozen=True)
class EventTime:
    """A year, a month (of a year or of no stated year), or a relative phrase ("last year")."""

    year: int | None = None
    month: int | None = None  # 1-12
    phrase: str | None = None  # lower-case, single-spaced

    @classmethod
    def relative(cls, phrase: str) -> EventTime:
        return cls(phrase=" ".join(phrase.lower().split()))

    def key(self) -> str:
        """The claims' form: "2015-08", "08", "2015", or the phrase."""
        if self.phrase is not None:
            return self.phrase
        if self.month is not None:
            return f"{f'{self.year}-' if self.year else ''}{self.month:02d}"
        return str(self.year)

    def words(self) -> str:
        """The relations' form: "march 2015", "march", "2015", or the phrase."""
        if self.phrase is not None:
            return self.phrase
        if self.month is not None:
            name = MONTHS[self.month - 1]
            return f"{name} {self.year}" if self.year else name
        return str(self.year)
