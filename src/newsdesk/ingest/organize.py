"""Copies and stories for articles already stored: run after each ingest batch, and by `newsdesk migrate`.

Every article without a stored signature is taken in the order it was added: its MinHash is
checked against all earlier ones (a copy is linked to its original), then it is placed in a
story. Indexes built before copies and stories existed, or a run killed between a batch and
this step, catch up the same way, so the result never depends on when the work was done.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable

import numpy as np

from newsdesk.ingest.dedupe import CopyIndex, signature
from newsdesk.ingest.stories import StoryIndex, central_member, story_item
from newsdesk.store.base import StaleOrganization, Store
from newsdesk.store.story_state import StoryState

ProgressHook = Callable[[int, int], None]  # (articles done, articles to do)
CHUNK = 200
CHUNKS_LISTED = 10  # chunks whose ids one listing of unorganised articles returns
CACHED_MEMBERS = 200_000  # story members whose vectors and titles the organiser keeps (at most ~260 MB)
_Members = tuple[list[str], dict[str, np.ndarray], dict[str, str]]  # ids in order added, vectors, titles


class Organizer:
    """Loads the copy and story indexes from the store on first need and keeps them across batches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._copies: CopyIndex | None = None
        self._stories: StoryIndex | None = None
        self._organized = 0  # articles organised in the store as the indexes in memory know it
        self._members = MemberCache()

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
        # Ids are listed for several chunks at once: listing scans the whole index (0.1 s at 100 k articles).
        while todo and (listed := self.store.unorganized_ids(CHUNK * CHUNKS_LISTED)):
            for start in range(0, len(listed), CHUNK):
                ids = listed[start : start + CHUNK]
                try:
                    self._organize(ids)
                except StaleOrganization:  # another writer organised or deleted articles: reload, list again
                    self._forget()
                    break
                except BaseException:  # nothing was saved: what the indexes in memory took in must go too
                    self._forget()
                    raise
                done += len(ids)
                if on_progress is not None:
                    on_progress(done, todo)
        return done

    def _forget(self) -> None:
        """Drop the indexes and members in memory; they are read from the store again on next need."""
        self._copies = self._stories = None
        self._members = MemberCache()

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
        self._relabel(changed, members, vectors, {aid: articles[aid].title for aid in ids})
        self.store.save_organization(signatures, links, members, changed, self._organized)
        self._organized += len(signatures)
        for state in changed:
            state.dirty = False

    def _relabel(self, changed: list[StoryState], placed: list[tuple[str, int, float]], vectors: dict[str, np.ndarray],
                 titles: dict[str, str]) -> None:
        """A changed story's label becomes its most central headline.

        `vectors` and `titles` are those of the articles just placed (not stored yet); earlier members come
        from the member cache.
        """
        pending: dict[int, list[str]] = defaultdict(list)
        for aid, sid, _ in placed:
            pending[sid].append(aid)
        members = self._members.members(self.store, [s.id for s in changed], pending, vectors, titles)
        for story in changed:
            ids, member_vectors, member_titles = members[story.id]
            if len(ids) == 1:
                continue
            best = central_member(story.centroid, member_vectors, ids, member_titles)
            if best != story.label_article:
                story.label_article = best
                story.label = member_titles[best]


class MemberCache:
    """Story members' ids (in the order added), lead vectors and titles, kept between chunks.

    Relabelling a story needs all its members; reading them again for every chunk that touched the story
    cost more than everything else once stories grew (0.9 s a chunk at 100 k articles). Only stories not
    held are read. The least recently used stories are dropped beyond CACHED_MEMBERS members (about
    1.3 KB each: a float16 vector, id and title), and read again when needed.
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = CACHED_MEMBERS if limit is None else limit
        self._stories: OrderedDict[int, _Members] = OrderedDict()
        self._size = 0

    def members(self, store: Store, story_ids: list[int], pending: dict[int, list[str]],
                vectors: dict[str, np.ndarray], titles: dict[str, str]) -> dict[int, _Members]:
        """Each story's members: those stored, then `pending` ones (placed in this chunk, not saved yet)."""
        self._read(store, [s for s in story_ids if s not in self._stories])
        out = {}
        for sid in story_ids:
            ids, member_vectors, member_titles = entry = self._stories[sid]
            self._stories.move_to_end(sid)
            for aid in pending.get(sid, []):
                if aid in member_titles:
                    continue
                ids.append(aid)
                member_titles[aid] = titles.get(aid, "")
                if aid in vectors:
                    member_vectors[aid] = np.asarray(vectors[aid], dtype=np.float16)  # float16 values: exact
                self._size += 1
            out[sid] = entry
        while self._size > self.limit and len(self._stories) > len(story_ids):
            _, (ids, _, _) = self._stories.popitem(last=False)
            self._size -= len(ids)
        return out

    def _read(self, store: Store, story_ids: list[int]) -> None:
        """Stored members of these stories: one read of ids, one of vectors and one of titles for all."""
        if not story_ids:
            return
        stored = store.story_member_ids(story_ids)
        wanted = [aid for sid in story_ids for aid in stored.get(sid, [])]
        vectors = store.lead_vectors(wanted) if wanted else {}
        titles = store.titles(wanted) if wanted else {}
        for sid in story_ids:
            ids = stored.get(sid, [])
            self._stories[sid] = (list(ids), {a: np.asarray(vectors[a], dtype=np.float16) for a in ids if a in vectors},
                                  {a: titles.get(a, "") for a in ids})
            self._size += len(ids)


def refresh_stories(store: Store, on_progress: ProgressHook | None = None) -> int:
    """Organise every article not organised yet (cheap when nothing is pending): the writer's catch-up.

    Ingest organises each batch it writes; this finishes an index built before copies and stories,
    a cut run or an import (`newsdesk migrate`, ingest/migrate.py). Questions never call it.
    """
    if not store.unorganized_count():
        return 0
    return Organizer(store).run(on_progress)
