"""The PostgreSQL store's part for claims: the same rows and order as `sqlite_claims.py`, in PostgreSQL's dialect.

A mixin of `PostgresStore` (it uses its `_read`/`_write` cursors). Claims are deleted with their
article (ON DELETE CASCADE); the row conversions are shared with the SQLite mixin (store/rows.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import numpy as np
import psycopg

from newsdesk.analyze.claims import CLAIMS_VERSION
from newsdesk.model import AnalyzedArticle, Claim
from newsdesk.store.postgres_rows import insert_rows
from newsdesk.store.rows import CLAIM_COLUMNS, claim_from_row, claim_row

# The columns of rows.CLAIM_COLUMNS, in order, with their types.
CLAIM_SPEC = [("article_id", "text"), ("sentence_idx", "int"), ("start", "int"), ("end", "int"), ("kind", "text"),
              ("attribute", "text"), ("value", "text"), ("qualifier", "text"), ("low", "float8"), ("high", "float8"),
              ("value_start", "int"), ("value_end", "int"), ("polarity", "text"), ("speaker", "text"),
              ("detail", "text"), ("grp", "text"), ("anchor", "text"), ("earlier", "int")]


class PgClaimsMixin:
    if TYPE_CHECKING:  # provided by the store class this mixes into
        def _read(self) -> AbstractContextManager[psycopg.Cursor[Any]]: ...  # from PostgresStore
        def _write(self) -> AbstractContextManager[psycopg.Cursor[Any]]: ...  # from PostgresStore

    def _insert_claims(self, cur: psycopg.Cursor[Any], items: Sequence[AnalyzedArticle]) -> None:
        """Called inside `add_batch`'s transaction with the new articles (one pipelined statement)."""
        insert_rows(cur, "claims", CLAIM_SPEC, [claim_row(c) for item in items for c in item.claims])

    def _mark_versions(self, cur: psycopg.Cursor[Any]) -> None:
        """At the end of a batch that added articles: a fresh index is current (an older one was marked "0")."""
        from newsdesk.analyze.relations import RELATIONS_VERSION

        cur.executemany("INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                        [("claims_version", CLAIMS_VERSION), ("relations_version", RELATIONS_VERSION)])

    def claims(self, article_ids: Sequence[str] | None = None) -> list[Claim]:
        """Claims of the given articles (all when None), in article then text order."""
        order = "ORDER BY article_id, value_start, id"
        with self._read() as cur:
            if article_ids is None:
                cur.execute(f"SELECT {CLAIM_COLUMNS} FROM claims {order}")
            else:
                cur.execute(f"SELECT {CLAIM_COLUMNS} FROM claims WHERE article_id = ANY(%s) {order}",
                            (list(dict.fromkeys(article_ids)),))
            return [claim_from_row(r) for r in cur.fetchall()]

    def replace_claims(self, by_article: Mapping[str, Sequence[Claim]]) -> None:
        """Swap the stored claims of these articles for new ones, in one transaction (re-extraction)."""
        with self._write() as cur:
            for article_id in sorted(by_article):
                cur.execute("DELETE FROM claims WHERE article_id = %s", (article_id,))
                insert_rows(cur, "claims", CLAIM_SPEC, [claim_row(c) for c in by_article[article_id]])

    def lead_vectors(self, article_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Each article's first passage vector (title and lead): what the article is about, for event matching."""
        with self._read() as cur:
            # halfvec_send: the binary form (no text to print and parse; organising reads thousands at a time).
            cur.execute("SELECT p.article_id, halfvec_send(v.vector) FROM passages p "
                        "JOIN passage_vectors v ON v.passage_id = p.id WHERE p.article_id = ANY(%s) AND p.idx = 0",
                        (list(dict.fromkeys(article_ids)),))
            return {aid: halfvec_array(data) for aid, data in cur.fetchall()}


def halfvec_array(data: bytes) -> np.ndarray:
    """pgvector's binary halfvec (int16 dimensions, int16 unused, big-endian float16 values) as float32.

    The same numbers as SQLite's float16 blobs widened to float32.
    """
    return np.frombuffer(bytes(data), dtype=">f2", offset=4).astype(np.float32)


