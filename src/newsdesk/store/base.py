"""The one narrow interface every storage backend implements.

Stages above the store (ingest, search, answer) only talk to this protocol, so a
server backend can replace the embedded SQLite file without touching them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from newsdesk.model import AnalyzedArticle, Article, Filters, Passage, PassageHit, Sentence


class StoreError(Exception):
    """A store that cannot be opened or used (wrong schema, wrong embedder, corrupt file)."""


class Store(Protocol):
    def add_batch(self, items: Sequence[AnalyzedArticle]) -> list[str]:
        """Add articles in one transaction; returns the ids that were new.

        An id already present only gains the new locations (URL, path) it was seen at.
        """
        ...

    def known_ids(self, ids: Sequence[str]) -> set[str]: ...

    def add_locations(self, article: Article) -> None: ...

    def article(self, article_id: str) -> Article | None: ...

    def articles(self, article_ids: Sequence[str]) -> dict[str, Article]: ...

    def sentences(self, article_id: str) -> list[Sentence]: ...

    def passages(self, passage_ids: Sequence[int]) -> dict[int, Passage]: ...

    def lead_passages(self, article_ids: Sequence[str], count: int) -> list[Passage]: ...

    def lexical_search(self, query: str, limit: int, filters: Filters) -> list[PassageHit]:
        """BM25 over passages; `query` is an FTS5 expression built by the caller."""
        ...

    def dense_search(self, vector: np.ndarray, limit: int, filters: Filters) -> list[PassageHit]: ...

    def delete_articles(self, article_ids: Sequence[str]) -> int: ...

    def article_ids(self, outlet: str | None = None) -> list[str]: ...

    def stats(self) -> dict[str, Any]: ...

    def article_count(self) -> int: ...

    def latest_published(self) -> str | None: ...

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...
