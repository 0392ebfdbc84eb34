"""Stories: reports of one event grouped as they arrive, one article at a time, never rebuilt.

A new article joins the story whose centroid (the sum of its members' title+lead vectors) is
closest in meaning, when the story is active within a few days of the article and either the
meaning alone is close, or it is fairly close and they share a name or an actor; otherwise it
starts a story. A near-duplicate joins its original's story. Because each article is placed
against the stories as they stood when it arrived, in the order articles were added, ingesting
a collection in one go or in several calls gives the same stories.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

from newsdesk.analyze.names import LEAD_CHARS
from newsdesk.analyze.names import salient_names as _names
from newsdesk.model import Article, Mention
from newsdesk.store.story_state import STORY_DAYS, StoryItem, StoryState
from newsdesk.store.story_state import day_of as _day

# Cosines of a lead to a story's centroid (use-multilingual-v3). Chosen on RealTime QA weeks
# 20220617-20220722 (best ARI) and reported on 20220729-20220826 (bench/cluster_quality.py).
JOIN_WITH_NAME = 0.55
JOIN_ALONE = 0.6
HEADLINE_WORDS = 4
_WORDS = re.compile(r"\w+")
# A name shared with a story counts only when it is distinctive: in fewer than this share of the articles
# seen (or in fewer than DISTINCTIVE_MIN): an outlet's own name or "White House" joins nothing.
DISTINCTIVE_SHARE = 0.02
DISTINCTIVE_MIN = 5
_GENERIC_KINDS = frozenset({"group"})  # "the group", "officials": not who a story is about


def story_item(article: Article, vector: np.ndarray | None, mentions: Iterable[Mention]) -> StoryItem:
    lead = f"{article.title}\n{article.text[:LEAD_CHARS]}"
    names = frozenset(n.lower() for n in _names(lead))
    actors = frozenset(m.actor for m in mentions if m.kind not in _GENERIC_KINDS)
    unit = None
    if vector is not None and len(vector):
        v = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(v))
        unit = v / norm if norm else None
    return StoryItem(article.id, article.title, unit, names, actors, article.published, article.outlet,
                     article.language)


class StoryIndex:
    """The stories of an index in memory: places new articles, remembers which stories changed."""

    def __init__(self, stories: Iterable[StoryState], members: Mapping[str, int], next_id: int = 1, *,
                 join_alone: float = JOIN_ALONE, join_with_name: float = JOIN_WITH_NAME) -> None:
        self.join_alone, self.join_with_name = join_alone, join_with_name
        self.stories = {s.id: s for s in stories}
        self.members = dict(members)  # article id -> story id
        self.frequency: Counter[str] = Counter()  # articles naming each name or actor, over all stories
        for story in self.stories.values():
            self.frequency.update(story.names)
            self.frequency.update(story.actors)
        self.seen = sum(s.size for s in self.stories.values())
        self.next_id = max([next_id, *[i + 1 for i in self.stories]])
        self._rows = _StoryRows()
        for story in self.stories.values():
            self._rows.update(story)

    def _near(self, vector: np.ndarray | None, day: int | None) -> list[StoryState]:
        """Stories active near `day` whose centroid may be within JOIN_WITH_NAME of `vector`, in story order.

        One matrix product over the active stories picks them (a margin covers its rounding); the caller
        then scores each exactly as before, so the choice does not depend on how the product summed.
        """
        if vector is None:
            return []
        rows = self._rows.candidates(vector, day, self.join_with_name - _MARGIN)
        if rows is None:  # a vector of another dimension than the stories': compare one by one
            return [s for s in self.stories.values() if s.active_near(day)]
        return [self.stories[self._rows.ids[r]] for r in rows]

    def place(self, item: StoryItem, original: str | None = None) -> tuple[int, float]:
        """Put an article into its story (its original's, the best matching one, or a new one)."""
        if item.article_id in self.members:
            return self.members[item.article_id], 1.0
        chosen, score = None, 0.0
        if original is not None and original in self.members:
            chosen, score = self.stories[self.members[original]], 1.0
        else:
            parsed = _day(item.published)
            day = parsed.toordinal() if parsed else None
            for story in self._near(item.vector, day):
                cosine = story.cosine(item.vector)
                if cosine < self.join_with_name or cosine <= score:
                    continue
                if cosine >= self.join_alone or self._shares_distinctive(item, story):
                    chosen, score = story, cosine
        if chosen is None:
            chosen = StoryState(self.next_id, item.title, item.article_id, None, None, 0, None)
            self.stories[chosen.id] = chosen
            self.next_id += 1
            score = 1.0
        chosen.add(item)
        self._rows.update(chosen)
        self.members[item.article_id] = chosen.id
        self.frequency.update(item.names)
        self.frequency.update(item.actors)
        self.seen += 1
        return chosen.id, score

    def _shares_distinctive(self, item: StoryItem, story: StoryState) -> bool:
        limit = max(DISTINCTIVE_MIN, DISTINCTIVE_SHARE * self.seen)
        return any(self.frequency[n] < limit for n in item.names if n in story.names) or any(
            self.frequency[a] < limit for a in item.actors if a in story.actors)

    def dirty(self) -> list[StoryState]:
        return [s for s in self.stories.values() if s.dirty]


class _StoryRows:
    """Every story's centroid as one row of a matrix, with its norm and active days, kept in step with the stories.

    Rows are in the order stories were made (the order `StoryIndex.place` compared them in one by one).
    """

    def __init__(self) -> None:
        self.ids: list[int] = []
        self._row: dict[int, int] = {}
        self._centroids = np.zeros((0, 0), dtype=np.float32)
        self._norms = np.zeros(0, dtype=np.float64)
        self._first = np.zeros(0, dtype=np.int64)
        self._last = np.zeros(0, dtype=np.int64)

    def update(self, story: StoryState) -> None:
        """Add the story's row, or refresh it after the story changed."""
        row = self._row.get(story.id)
        if row is None:
            row = self._row[story.id] = len(self.ids)
            self.ids.append(story.id)
        self._grow(len(self.ids), None if story.centroid is None else len(story.centroid))
        first, last = _day(story.first_published), _day(story.last_published)
        self._first[row], self._last[row] = (first.toordinal(), last.toordinal()) if first and last else _ALWAYS
        centroid = story.centroid
        if centroid is not None and len(centroid) == self._centroids.shape[1]:
            self._centroids[row] = centroid
            self._norms[row] = float(np.linalg.norm(centroid))
        else:
            self._norms[row] = 0.0 if centroid is None else np.nan  # nan: another dimension, compared one by one

    def _grow(self, rows: int, dims: int | None) -> None:
        if not self._centroids.shape[1] and dims:
            self._centroids = np.zeros((len(self._norms), dims), dtype=np.float32)
        if rows <= len(self._norms):
            return
        capacity = max(rows, 2 * len(self._norms), 64)
        self._centroids = _resized(self._centroids, capacity)
        self._norms, self._first, self._last = (_resized(a, capacity) for a in (self._norms, self._first, self._last))

    def candidates(self, vector: np.ndarray, day: int | None, floor: float) -> list[int] | None:
        """Rows active near `day` whose cosine to `vector` is at least `floor`; None when dimensions differ."""
        count = len(self.ids)
        norms = self._norms[:count]
        if len(vector) != self._centroids.shape[1] or np.isnan(norms).any():
            return None if count else []
        usable = norms > 0
        if day is not None:
            usable &= (self._first[:count] - day <= STORY_DAYS) & (day - self._last[:count] <= STORY_DAYS)
        rows = np.flatnonzero(usable)
        if not len(rows):
            return []
        cosines = (self._centroids[rows] @ np.asarray(vector, dtype=np.float32)) / norms[rows]
        return rows[cosines >= floor].tolist()


def _resized(array: np.ndarray, rows: int) -> np.ndarray:
    out = np.zeros((rows, *array.shape[1:]), dtype=array.dtype)
    out[: len(array)] = array
    return out


_ALWAYS = (-(10**9), 10**9)  # the active days of a story without dates: any
_MARGIN = 1e-3  # matrix-product cosines below the join threshold by more than this cannot join


def central_member(centroid: np.ndarray | None, vectors: Mapping[str, np.ndarray], members: list[str],
                   titles: Mapping[str, str] | None = None) -> str:
    """The member whose lead is closest to the centroid (ties: the earliest added); the story's label.

    Members whose title looks like a headline (HEADLINE_WORDS words or more) are preferred: a title the
    extractor cut to a dateline ("Madrid CNN —") names no story.
    """
    if titles:
        headlines = [aid for aid in members if len(_WORDS.findall(titles.get(aid, ""))) >= HEADLINE_WORDS]
        members = headlines or members
    if centroid is None or not vectors:
        return members[0]
    best, best_score = members[0], -2.0
    for aid in members:
        vector = vectors.get(aid)
        if vector is None:
            continue
        score = float(np.asarray(vector, dtype=np.float32) @ centroid)
        if score > best_score + 1e-6:
            best, best_score = aid, score
    return best
