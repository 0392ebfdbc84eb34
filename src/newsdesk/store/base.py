"""The interface every storage backend implements, split by the role each caller needs.

Stages above the store (ingest, search, answer) only talk to these protocols, so a server backend can
replace the embedded SQLite file without touching them. A caller types its store as the narrowest role
it uses; `Store` is all of them, what `open_store` returns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from newsdesk.model import (
    AnalyzedArticle,
    Article,
    Claim,
    Filters,
    Mention,
    Passage,
    PassageHit,
    Relation,
    Sentence,
    Story,
    TermQuery,
)
from newsdesk.store.follow_state import ChangeRow, FeedState, NewChange, PollResult, WatchState
from newsdesk.store.story_state import StoryState


class StoreError(Exception):
    """A store that cannot be opened or used (wrong schema, wrong embedder, corrupt file)."""


class StaleOrganization(Exception):
    """Another connection organised or deleted articles since this one loaded its copy and story indexes."""


class ArticleStore(Protocol):
    """Articles as ingested: their text, sentences, passages and where they were found; index metadata."""

    path: str  # what messages and stats name: a file path, or a server URL without its password

    def add_batch(self, items: Sequence[AnalyzedArticle]) -> list[str]:
        """Add articles in one transaction; returns the ids that were new.

        An id already present only gains the new locations (URL, path) it was seen at.
        """
        ...

    def known_ids(self, ids: Sequence[str]) -> set[str]: ...

    def add_locations(self, article: Article) -> None: ...

    def article(self, article_id: str) -> Article | None: ...

    def articles(self, article_ids: Sequence[str]) -> dict[str, Article]: ...

    def titles(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Titles alone (relabelling a story reads thousands without their text)."""
        ...

    def sentences(self, article_id: str) -> list[Sentence]: ...

    def passages(self, passage_ids: Sequence[int]) -> dict[int, Passage]: ...

    def lead_passages(self, article_ids: Sequence[str], count: int) -> list[Passage]: ...

    def delete_articles(self, article_ids: Sequence[str]) -> int:
        """Delete these articles with everything of theirs; the copies and stories they shaped are unorganised.

        The articles those stories held are organised again by the next `refresh_stories` (ingest/organize.py),
        as if the deleted articles had never come. Returns how many articles were deleted.
        """
        ...

    def article_ids(self, outlet: str | None = None) -> list[str]: ...

    def article_ids_as_added(self) -> list[str]:
        """Every id in the order stored: copies and stories are formed in that order, so an export keeps it."""
        ...

    def article_vectors(self, article_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Every stored vector of these articles, one row per embedded passage in passage order, as stored
        (float16 in SQLite), so an export carries them bit for bit. Articles without vectors are left out."""
        ...

    def stats(self) -> dict[str, Any]: ...

    def article_count(self) -> int: ...

    def latest_published(self) -> str | None: ...

    def published_dates(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        """Publication dates alone (retrieval weighs articles by age without reading their text)."""
        ...

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def schema_version(self) -> int:
        """The number of the last migration applied (0: no newsdesk index yet)."""
        ...

    def check_integrity(self) -> list[str]:
        """Problems found in the stored data (empty when sound)."""
        ...

    def close(self) -> None: ...


class SearchIndex(Protocol):
    """Finding passages: by words (BM25-like), by meaning (vectors), and the lead vector of each article."""

    def lexical_search(self, query: TermQuery, limit: int, filters: Filters) -> list[PassageHit]:
        """Passages holding any phrase of `query`, best first; each backend compiles it to its own syntax."""
        ...

    def dense_search(self, vector: np.ndarray, limit: int, filters: Filters) -> list[PassageHit]: ...

    def prepare_dense_search(self) -> None:
        """Bring what dense search keeps beside the store up to date, so the next question need not.

        A writer calls it after a load (ingest, import, migrate); a no-op where the database keeps it.
        """
        ...

    def lead_vectors(self, article_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Each article's first-passage vector (title and lead), to tell whether two articles report one event."""
        ...


class AnalysisStore(Protocol):
    """What analysis found in the articles: claims, actor mentions and relations between actors."""

    def claims(self, article_ids: Sequence[str] | None = None) -> list[Claim]:
        """Claims of these articles (all when None), in article then text order."""
        ...

    def replace_claims(self, by_article: Mapping[str, Sequence[Claim]]) -> None:
        """Swap the stored claims of these articles for new ones in one transaction (re-extraction)."""
        ...

    def relations(self, sources: Sequence[str] | None = None, targets: Sequence[str] | None = None,
                  filters: Filters = ..., *, either_way: bool = False) -> list[Relation]:
        """Relations from any of `sources` to any of `targets` (None: any); with `either_way` the reverse too."""
        ...

    def article_relations(self, article_ids: Sequence[str]) -> list[Relation]:
        """The relations found in these articles, in article then text order (for export)."""
        ...

    def mentions(self, article_ids: Sequence[str] | None = None, actors: Sequence[str] | None = None) -> list[Mention]:
        """Mentions of these articles and/or actors (all when None), in article then text order."""
        ...

    def actor_stats(self, actors: Sequence[str] | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Actors by mention count: kind, mentions, articles, names as written, parts, relation count."""
        ...

    def actor_names(self) -> list[str]:
        """Every actor named in the index."""
        ...

    def replace_actor_data(self, by_article: Mapping[str, tuple[Sequence[Mention], Sequence[Relation]]]) -> None:
        """Swap the stored mentions and relations of these articles for new ones in one transaction."""
        ...


class StoryStore(Protocol):
    """Copies and stories: the organiser's saved state (ingest/organize.py) and the reads of briefs and listings."""

    def unorganized_ids(self, limit: int) -> list[str]:
        """Articles not yet checked for copies nor placed in a story, in the order they were added."""
        ...

    def unorganized_count(self) -> int: ...

    def organized_count(self) -> int:
        """Articles organised so far: `save_organization` checks it to notice another writer."""
        ...

    def signature_rows(self) -> Iterator[tuple[str, np.ndarray, str | None, str | None]]:
        """(article id, MinHash values, original id or None, published) of every organised article, in order added."""
        ...

    def story_states(self) -> tuple[list[StoryState], dict[str, int]]:
        """Every story as the clustering keeps it, and which story each organised article is in."""
        ...

    def story_member_ids(self, story_ids: Sequence[int]) -> dict[int, list[str]]:
        """The articles of these stories, in the order they were added."""
        ...

    def save_organization(self, signatures: Sequence[tuple[str, np.ndarray]],
                          copies: Sequence[tuple[str, str, float]], members: Sequence[tuple[str, int, float]],
                          stories: Sequence[StoryState], organized_before: int) -> None:
        """Write one chunk's signatures, copy links, members and changed stories in one transaction.

        Raises StaleOrganization (writing nothing) when `organized_before` is no longer the stored count.
        """
        ...

    def copy_originals(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Copy -> the first article of its copy group, for those of `article_ids` that are near-duplicates."""
        ...

    def copies_of(self, article_ids: Sequence[str]) -> dict[str, list[str]]:
        """Original -> its near-duplicate copies, for those of `article_ids` that have any."""
        ...

    def story_ids(self, article_ids: Sequence[str]) -> dict[str, int]:
        """Article -> its story."""
        ...

    def stories(self, story_ids: Sequence[int] | None = None, filters: Filters | None = None) -> list[Story]:
        """Stories (these, or all) in time order, counted over their current members matching `filters`."""
        ...


class FollowStore(Protocol):
    """Followed feeds and their entries, watched questions and their change records (store/follow_sql.py)."""

    def add_feed(self, url: str, every_seconds: int) -> FeedState | None:
        """Follow `url`, due at once; None when it is already followed."""
        ...

    def remove_feed(self, url: str) -> bool: ...

    def feeds(self) -> list[FeedState]: ...

    def feed(self, feed_id: int) -> FeedState | None: ...

    def seen_entries(self, feed_id: int, guids: Sequence[str]) -> set[str]:
        """Those of `guids` already taken from this feed."""
        ...

    def save_poll(self, feed_id: int, result: PollResult) -> None:
        """A poll's new feed state and the entries it took, in one transaction."""
        ...

    def add_watch(self, question: str, webhook: str | None, secret: str) -> WatchState: ...

    def remove_watch(self, watch_id: int) -> bool: ...

    def watches(self) -> list[WatchState]: ...

    def seen_keys(self, watch_id: int) -> set[str]:
        """Every key this watch has reported."""
        ...

    def record_changes(self, watch_id: int, answered_count: int, changes: Sequence[NewChange],
                       report: bool = True) -> list[int]:
        """Record the changes not reported yet (by their first key) in one transaction; their new ids."""
        ...

    def changes(self, since: str | None = None, watch_id: int | None = None) -> list[ChangeRow]: ...

    def unread_counts(self) -> dict[int, tuple[int, int]]:
        """Per watch id: (its change records, those not marked read)."""
        ...

    def read_through(self, watch_id: int) -> int | None:
        """The highest change id of the watch marked read (0: none); None when there is no such watch."""
        ...

    def mark_read(self, watch_id: int, through: int | None = None) -> int | None:
        """Mark the watch's changes read up to id `through` (default: all); never backwards. None: no watch."""
        ...

    def undelivered(self, now: float) -> list[tuple[ChangeRow, WatchState]]:
        """Changes due for a webhook delivery attempt, oldest first, with their watch."""
        ...

    def save_delivery(self, change_id: int, delivered: str | None, attempts: int, next_attempt: float | None,
                      error: str | None) -> None: ...


class Store(ArticleStore, SearchIndex, AnalysisStore, StoryStore, FollowStore, Protocol):
    """Every role at once: what a backend implements and `open_store` returns."""
