"""Copies and stories for articles already stored: run after each ingest batch, and once on first use.

Every article without a stored signature is taken in the order it was added: its MinHash is
checked against all earlier ones (a copy is linked to its original), then it is placed in a
story. Indexes built before copies and stories existed, or a run killed between a batch and
this step, catch up the same way, so the result never depends on when the work was done.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from newsdesk.ingest.dedupe import CopyIndex, signature
from newsdesk.ingest.stories import StoryIndex, central_member, story_item
from newsdesk.store.sqlite_stories import StaleOrganization

ProgressHook = Callable[[int, int], None]  # (articles done, articles to do)
CHUNK = 200


class Organizer:
    """Loads the copy and story indexes from the store on first need and keeps them across batches."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._copies: CopyIndex | None = None
        self._stories: StoryIndex | None = None
        self._organized = 0  # articles organised in the store as the indexes in memory know it

    def _load(self) -> tuple[CopyIndex, StoryIndex]:
        if self._copies is None or self._stories is None:
            self._organized = self.store.organized_count()
            self._copies = CopyIndex()
            self._copies.load(self.store.signature_rows())
            states, members = self.store.story_states()
            self._stories = StoryIndex(states, members)
        return self._copies, self._stories

    def run(self, on_progress: ProgressHook | None = None) -> int:
        """Organise every article not organised yet; returns how many were."""
        todo = self.store.unorganized_count()
        done = 0
        while todo and (ids := self.store.unorganized_ids(CHUNK)):
            try:
                self._organize(ids)
            except StaleOrganization:  # another writer organised or deleted articles: reload and redo the chunk
                self._copies = self._stories = None
                continue
            done += len(ids)
            if on_progress is not None:
                on_progress(done, todo)
        return done

    def _organize(self, ids: list[str]) -> None:
        copies, stories = self._load()
        articles = self.store.articles(ids)
        vectors = self.store.lead_vectors(ids)
        mentions = defaultdict(list)
        for m in self.store.mentions(ids):
            mentions[m.article_id].append(m)
        signatures, links, members = [], [], []
        for aid in ids:
            article = articles[aid]
            values = signature(article.text)
            original, similarity = copies.add(aid, values, article.published)
            if original is not None:
                links.append((aid, original, round(similarity, 4)))
            story, score = stories.place(story_item(article, vectors.get(aid), mentions[aid]), original)
            members.append((aid, story, round(score, 4)))
            signatures.append((aid, values))
        changed = stories.dirty()
        self._relabel(changed, members)
        self.store.save_organization(signatures, links, members, changed, self._organized)
        self._organized += len(signatures)
        for story in changed:
            story.dirty = False

    def _relabel(self, changed: list[Any], placed: list[tuple[str, int, float]]) -> None:
        """A changed story's label becomes its most central headline."""
        member_ids = self.store.story_member_ids([s.id for s in changed])
        pending = defaultdict(list)
        for aid, sid, _ in placed:  # members placed in this chunk are not stored yet
            pending[sid].append(aid)
        members = {s.id: list(dict.fromkeys([*member_ids.get(s.id, []), *pending.get(s.id, [])])) for s in changed}
        # One read of vectors and titles for all changed stories: a round trip per story cost more than the rest.
        wanted = [aid for ids in members.values() if len(ids) > 1 for aid in ids]
        vectors = {k: np.asarray(v) for k, v in self.store.lead_vectors(wanted).items()} if wanted else {}
        titles = self.store.titles(wanted) if wanted else {}
        for story in changed:
            ids = members[story.id]
            if len(ids) == 1:
                continue
            best = central_member(story.centroid, {k: vectors[k] for k in ids if k in vectors}, ids,
                                  {k: titles[k] for k in ids if k in titles})
            if best != story.label_article:
                story.label_article = best
                story.label = titles[best]


def refresh_stories(store: Any, on_progress: ProgressHook | None = None) -> int:
    """The one-time catch-up for an index built before copies and stories (cheap when nothing is pending)."""
    if not store.unorganized_count():
        return 0
    return Organizer(store).run(on_progress)
