"""The SQLite store's part for claims ("where sources disagree"): write them with their article, read them back.

A mixin of `SQLiteStore` (it uses its `conn`), kept apart so the claims schema and queries
live in one place. Claims are deleted with their article (ON DELETE CASCADE).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

import numpy as np

from newsdesk.analyze.claims import CLAIMS_VERSION
from newsdesk.model import AnalyzedArticle, Claim
from newsdesk.store.rows import CLAIM_COLUMNS, claim_from_row, claim_row
from newsdesk.store.transaction import write_transaction


class ClaimsMixin:
    conn: sqlite3.Connection

    def _insert_claims(self, cur: sqlite3.Cursor, item: AnalyzedArticle) -> None:
        """Called inside `add_batch`'s transaction for a new article."""
        if item.claims:
            cur.executemany(f"INSERT INTO claims ({CLAIM_COLUMNS}) VALUES ({','.join('?' * 18)})",
                            [claim_row(c) for c in item.claims])
        # A fresh index is current; an index from before claims was marked "0" by its migration.
        cur.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('claims_version', ?)", (CLAIMS_VERSION,))

    def claims(self, article_ids: Sequence[str] | None = None) -> list[Claim]:
        """Claims of the given articles (all when None), in article then text order."""
        order = 'ORDER BY article_id, value_start, id'
        if article_ids is None:
            return [claim_from_row(r) for r in self.conn.execute(f"SELECT {CLAIM_COLUMNS} FROM claims {order}")]
        out: list[Claim] = []
        ids = list(dict.fromkeys(article_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.extend(claim_from_row(r) for r in self.conn.execute(
                f"SELECT {CLAIM_COLUMNS} FROM claims WHERE article_id IN ({marks}) {order}", chunk))
        return sorted(out, key=lambda c: (c.article_id, c.value_start))

    def replace_claims(self, by_article: Mapping[str, Sequence[Claim]]) -> None:
        """Swap the stored claims of these articles for new ones, in one transaction (re-extraction)."""
        with write_transaction(self.conn) as cur:
            for article_id, claims in by_article.items():
                cur.execute("DELETE FROM claims WHERE article_id = ?", (article_id,))
                cur.executemany(f"INSERT INTO claims ({CLAIM_COLUMNS}) VALUES ({','.join('?' * 18)})",
                                [claim_row(c) for c in claims])

    def lead_vectors(self, article_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Each article's first passage vector (title and lead): what the article is about, for event matching."""
        out: dict[str, np.ndarray] = {}
        ids = list(dict.fromkeys(article_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for aid, blob in self.conn.execute(
                f"SELECT p.article_id, v.vector FROM passages p JOIN passage_vectors v ON v.passage_id = p.id "
                f"WHERE p.article_id IN ({marks}) AND p.idx = 0", chunk,
            ):
                out[aid] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return out

    def article_vectors(self, article_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Every stored vector of these articles (float16, one row per embedded passage, in passage order)."""
        rows: dict[str, list[bytes]] = {}
        ids = list(dict.fromkeys(article_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for aid, blob in self.conn.execute(
                f"SELECT p.article_id, v.vector FROM passages p JOIN passage_vectors v ON v.passage_id = p.id "
                f"WHERE p.article_id IN ({marks}) ORDER BY p.article_id, p.idx", chunk,
            ):
                rows.setdefault(aid, []).append(blob)
        return {aid: np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(len(blobs), -1)
                for aid, blobs in rows.items()}
