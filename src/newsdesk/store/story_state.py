"""A story as the clustering keeps it and the store saves it, and what placing an article into one needs.

The organiser (ingest/stories.py places articles) and the stores (which save and load these rows) both
use it, so it lives below both: the store never imports the ingest stage.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np

STORY_DAYS = 7  # an article joins a story active within this many days of its date
MAIN_ACTORS = 5


@dataclass(frozen=True)
class StoryItem:
    """What placing an article needs: its lead vector, names, actors, date and where it came from."""

    article_id: str
    title: str
    vector: np.ndarray | None
    names: frozenset[str]
    actors: frozenset[str]
    published: str | None
    outlet: str | None
    language: str | None


@dataclass
class StoryState:
    """A story as the clustering keeps it; `dirty` when it changed since it was last saved."""

    id: int
    label: str
    label_article: str
    first_published: str | None
    last_published: str | None
    size: int
    centroid: np.ndarray | None  # float32 sum of the members' unit vectors
    names: Counter[str] = field(default_factory=Counter)
    actors: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    dirty: bool = False
    _span: tuple[int, int] | None = field(default=None, repr=False)  # first/last day as ordinals, cached
    _norm: float | None = field(default=None, repr=False)

    def cosine(self, vector: np.ndarray | None) -> float:
        if vector is None or self.centroid is None:
            return 0.0
        if self._norm is None:
            self._norm = float(np.linalg.norm(self.centroid))
        return float(vector @ self.centroid) / self._norm if self._norm else 0.0

    def active_near(self, day: int | None) -> bool:
        """Whether an article of this day (an ordinal) falls within STORY_DAYS of the story's dates."""
        if day is None:
            return True
        if self._span is None:
            first, last = day_of(self.first_published), day_of(self.last_published)
            self._span = (first.toordinal(), last.toordinal()) if first and last else (-(10**9), 10**9)
        return self._span[0] - day <= STORY_DAYS and day - self._span[1] <= STORY_DAYS

    def add(self, item: StoryItem) -> None:
        self.size += 1
        self._span = self._norm = None
        if item.vector is not None:
            self.centroid = item.vector.copy() if self.centroid is None else self.centroid + item.vector
        self.names.update(item.names)
        self.actors.update(item.actors)
        if item.outlet:
            self.outlets[item.outlet] += 1
        if item.language:
            self.languages[item.language] += 1
        if item.published:
            day = item.published[:10]
            self.first_published = min(filter(None, [self.first_published, day]))
            self.last_published = max(filter(None, [self.last_published, day]))
        self.dirty = True

    def main_actors(self) -> list[str]:
        return [a for a, _ in sorted(self.actors.items(), key=lambda kv: (-kv[1], kv[0]))[:MAIN_ACTORS]]


def day_of(value: str | None) -> date | None:
    """The calendar day of an ISO date or timestamp; None when absent or unreadable."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
