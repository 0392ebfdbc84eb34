"""The embedded backend: one SQLite file in WAL mode, FTS5 for BM25, vectors beside it.

Each `add_batch` is a single transaction, so a process killed mid-ingest leaves
the file as it was after the last whole batch; content-addressed ids make a
re-run complete the work without duplicates.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from newsdesk.analyze.searchtext import SEARCHABLE_VERSION, has_han, searchable
from newsdesk.model import AnalyzedArticle, Article, Filters, Location, Passage, PassageHit, Sentence, TermQuery
from newsdesk.store import dense_index
from newsdesk.store.base import StoreError
from newsdesk.store.dialect import SQLITE
from newsdesk.store.follow_sql import FollowMixin
from newsdesk.store.migrate import apply_migrations, split_sql
from newsdesk.store.passage_index import PassageDoc, PassageIndex, Stamp, available, folder_for
from newsdesk.store.rows import ARTICLE_COLUMNS, article_from_row, article_row, check_vectors, location_rows
from newsdesk.store.sqlite_actors import ActorsMixin
from newsdesk.store.sqlite_claims import ClaimsMixin
from newsdesk.store.stories_sql import StoriesMixin
from newsdesk.store.transaction import write_transaction

LOG = logging.getLogger(__name__)
# From this many passages full-text search goes through the tantivy passage index (store/passage_index.py),
# built then; below it FTS5 ranks every match, which is cheap there and keeps small indexes' answers as before.
PASSAGE_INDEX_FROM = 200_000
GENERATION_KEY = "passages_generation"  # meta: bumped by every transaction that adds or removes passages


class SQLiteStore(ClaimsMixin, ActorsMixin, StoriesMixin, FollowMixin):
    """The `Store` protocol over one SQLite file."""

    _dialect = SQLITE

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        if readonly and not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no such index; run `newsdesk ingest` first")
        if readonly:  # the connection itself cannot write: a question never changes the file
            self.conn = _connect_readonly(self.path)
        else:
            try:
                self.conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot open the index ({exc})") from exc
        try:
            self.conn.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            if readonly:  # applying a migration would write
                raise StoreError(f"{self.path}: the index needs `newsdesk migrate` before it can be read ({exc})") \
                    from exc
            raise StoreError(f"{self.path}: not a usable newsdesk index ({exc})") from exc
        except BaseException:
            self.conn.close()
            raise
        self._vector_cache: dense_index.DenseVectors | None = None
        self._vector_version = -1
        self.ann_threshold = dense_index.ANN_THRESHOLD  # exact search up to this many vectors
        # Passages from which search uses the passage index (None: never, FTS5 only; tests and benches set it).
        self.passage_index_from: int | None = PASSAGE_INDEX_FROM
        self._passage_index: PassageIndex | None = None

    # -- connections ------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Cursor]:
        """A cursor on the one connection (autocommit: each statement reads the latest committed state)."""
        cur = self.conn.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def _write(self) -> AbstractContextManager[sqlite3.Cursor]:
        return write_transaction(self.conn)

    def _lock_organizing(self, cur: sqlite3.Cursor) -> None:
        """Nothing more to take: the write transaction (BEGIN IMMEDIATE) holds the file's one write lock."""

    # -- schema ---------------------------------------------------------------------------

    def _migrate(self) -> None:
        apply_migrations(_SQLiteSchema(self.conn), "migrations", _PYTHON_STEPS, self.path)

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- writing --------------------------------------------------------------------------

    def add_batch(self, items: Sequence[AnalyzedArticle]) -> list[str]:
        added: list[str] = []
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with write_transaction(self.conn) as cur:
            before = self._stamp(cur)
            for item in items:
                art = item.article
                exists = cur.execute("SELECT 1 FROM articles WHERE id = ?", (art.id,)).fetchone()
                if not exists:
                    self._insert_article(cur, item, now)
                    added.append(art.id)
                self._insert_locations(cur, art)
            if added:
                self._passages_changed(cur, before, added, [])
        if added:
            self._vector_version = -1  # re-check the key: appended vectors are read, not all again
        return added

    def _insert_article(self, cur: sqlite3.Cursor, item: AnalyzedArticle, now: str) -> None:
        art = item.article
        check_vectors(item)
        cur.execute(f"INSERT INTO articles ({ARTICLE_COLUMNS}, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (*article_row(art), now))
        cur.executemany(
            'INSERT INTO sentences (article_id, idx, start, "end") VALUES (?,?,?,?)',
            [(art.id, s.index, s.start, s.end) for s in item.sentences],
        )
        self._insert_claims(cur, item)
        self._insert_actors(cur, item)
        vectors = np.asarray(item.vectors, dtype=np.float16)
        for i, passage in enumerate(item.passages):
            cur.execute(
                "INSERT INTO passages (article_id, idx, first_sentence, last_sentence, start, \"end\")"
                " VALUES (?,?,?,?,?,?)",
                (art.id, passage.index, passage.first_sentence, passage.last_sentence, passage.start, passage.end),
            )
            pid = cur.lastrowid
            cur.execute("INSERT INTO passage_fts (rowid, title, body) VALUES (?,?,?)",
                        (pid, searchable(art.title) if passage.index == 0 else "", searchable(passage.text)))
            if i < len(vectors):
                cur.execute("INSERT INTO passage_vectors (passage_id, vector) VALUES (?,?)",
                            (pid, vectors[i].tobytes()))

    def _insert_locations(self, cur: sqlite3.Cursor, art: Article) -> None:
        cur.executemany("INSERT OR IGNORE INTO locations (article_id, url, path) VALUES (?,?,?)", location_rows(art))

    def add_locations(self, article: Article) -> None:
        with write_transaction(self.conn) as cur:
            self._insert_locations(cur, article)

    def delete_articles(self, article_ids: Sequence[str]) -> int:
        with write_transaction(self.conn) as cur:
            before = self._stamp(cur)
            self._unorganize_before_delete(cur, article_ids)
            deleted = 0
            removed: list[int] = []
            for article_id in article_ids:
                pids = [r[0] for r in cur.execute("SELECT id FROM passages WHERE article_id = ?", (article_id,))]
                cur.executemany("DELETE FROM passage_fts WHERE rowid = ?", [(p,) for p in pids])
                deleted += cur.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount
                removed.extend(pids)
            if deleted:
                self._vectors_changed(cur)
            if removed:
                self._passages_changed(cur, before, [], removed)
        self._vector_version = -1  # the generation moved: the next question reads the vectors again
        return deleted

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # -- reading --------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        return found

    def article(self, article_id: str) -> Article | None:
        return self.articles([article_id]).get(article_id)

    def articles(self, article_ids: Sequence[str]) -> dict[str, Article]:
        out: dict[str, Article] = {}
        ids = list(dict.fromkeys(article_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", chunk)
            for row in rows.fetchall():
                out[row[0]] = article_from_row(row)
            for article_id, url, path in self.conn.execute(
                f"SELECT article_id, url, path FROM locations WHERE article_id IN ({marks}) ORDER BY rowid", chunk
            ):
                if article_id in out:
                    out[article_id].locations.append(Location(url or None, path or None))
        return out

    def sentences(self, article_id: str) -> list[Sentence]:
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return []
        text = row[0]
        return [
            Sentence(article_id, idx, start, end, text[start:end])
            for idx, start, end in self.conn.execute(
                'SELECT idx, start, "end" FROM sentences WHERE article_id = ? ORDER BY idx', (article_id,)
            )
        ]

    def passages(self, passage_ids: Sequence[int]) -> dict[int, Passage]:
        out: dict[int, Passage] = {}
        ids = list(dict.fromkeys(int(p) for p in passage_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f'SELECT p.id, p.article_id, p.idx, p.first_sentence, p.last_sentence, p.start, p."end", '
                f"substr(a.text, p.start + 1, p.\"end\" - p.start) "
                f"FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.id IN ({marks})",
                chunk,
            )
            for pid, aid, idx, first, last, start, end, text in rows:
                out[pid] = Passage(aid, idx, first, last, start, end, text)
        return out

    def lead_passages(self, article_ids: Sequence[str], count: int) -> list[Passage]:
        """The first `count` passages of each article, in article order then position."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT p.id FROM passages p WHERE p.article_id IN ({marks}) AND p.idx < ? ORDER BY p.idx", [*ids, count]
        ).fetchall()
        found = self.passages([r[0] for r in rows])
        order = {aid: i for i, aid in enumerate(ids)}
        return sorted(found.values(), key=lambda p: (order[p.article_id], p.index))

    def _filter_sql(self, filters: Filters, alias: str = "a") -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if filters.since:
            clauses.append(f"{alias}.published >= ?")
            params.append(filters.since[:10])
        if filters.until:
            # Inclusive of the whole day: any timestamp on that date sorts below date + "~".
            clauses.append(f"{alias}.published <= ?")
            params.append(filters.until[:10] + "~")
        if filters.outlets:
            clauses.append(f"lower({alias}.outlet) IN ({','.join('?' * len(filters.outlets))})")
            params.extend(o.lower() for o in filters.outlets)
        if filters.languages:
            clauses.append(f"lower({alias}.language) IN ({','.join('?' * len(filters.languages))})")
            params.extend(lang.lower() for lang in filters.languages)
        return (" AND " + " AND ".join(clauses)) if clauses else "", params

    def lexical_search(self, query: TermQuery, limit: int, filters: Filters) -> list[PassageHit]:
        """Passages matching any phrase of `query`, best first by BM25 (title weighs double).

        A big index is searched through its tantivy passage index (top-k without ranking every match);
        FTS5 answers when there is none, or when it lags behind the store and cannot be rebuilt here.
        """
        if not query.terms:
            return []
        found = self._passage_index_search(query, limit, filters)
        if found is not None:
            return found
        where, params = self._filter_sql(filters)
        expression = fts5_match(query)
        # bm25() is lower-is-better; weight the title column above the body.
        sql = (
            "SELECT p.id, p.article_id, p.idx, p.first_sentence, p.last_sentence, p.start, p.\"end\", "
            "substr(a.text, p.start + 1, p.\"end\" - p.start), bm25(passage_fts, 2.0, 1.0) AS rank "
            "FROM passage_fts JOIN passages p ON p.id = passage_fts.rowid "
            "JOIN articles a ON a.id = p.article_id "
            f"WHERE passage_fts MATCH ? {where} ORDER BY rank LIMIT ?"
        )
        try:
            rows = self.conn.execute(sql, [expression, *params, limit]).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"bad full-text query {expression!r}: {exc}") from exc
        return [
            PassageHit(Passage(aid, idx, first, last, start, end, body), -float(rank))
            for _pid, aid, idx, first, last, start, end, body, rank in rows
        ]

    # -- the tantivy passage index (store/passage_index.py) ---------------------------------

    def _passage_index_search(self, query: TermQuery, limit: int, filters: Filters) -> list[PassageHit] | None:
        """Hits from the passage index; None when FTS5 must answer (no usable index, or a filter it cannot read)."""
        if not self._passage_index_wanted():
            return None
        with self._read() as cur:
            stamp = self._stamp(cur)
        index = self._open_passage_index(create=False)
        if index is None or not index.serves(stamp):
            if self.readonly:  # none, or it lags behind the store (a write stopped half-way): FTS5 is right
                return None
            stamp = self._repair_passage_index()
            index = self._passage_index
            assert index is not None
        try:
            ranked = index.search(query.terms, limit, filters, stamp)
        except ValueError:  # e.g. a date filter that is not ISO: SQL compares it as text
            return None
        found = self.passages([pid for pid, _ in ranked])
        # A passage deleted since the search began is skipped.
        return [PassageHit(found[pid], score) for pid, score in ranked if pid in found]

    def _passage_index_wanted(self) -> bool:
        """Whether search and writes keep a passage index: tantivy installed, a file, and one there or big enough."""
        if self.passage_index_from is None or not available() or self.path == ":memory:":
            return False
        if self._passage_index is not None or folder_for(self.path).exists():
            return True
        return self._passage_estimate() >= self.passage_index_from

    def _repair_passage_index(self) -> Stamp:
        """Under the write lock: the passage index made or rebuilt unless it serves the store now; the stamp.

        Checked again once the lock is held: a writer that was committing when this search looked has
        brought the index up to date meanwhile.
        """
        with write_transaction(self.conn) as cur:
            stamp = self._stamp(cur)
            index = self._open_passage_index(create=True)
            assert index is not None
            if not index.serves(stamp):
                LOG.warning("%s: the passage index differs from the store; rebuilding it", self.path)
                index.rebuild(self._passage_docs(cur, None), stamp)
        return stamp

    def _open_passage_index(self, create: bool) -> PassageIndex | None:
        if self._passage_index is None:
            folder = folder_for(self.path)
            self._passage_index = PassageIndex(folder, create=True) if create else PassageIndex.open_existing(folder)
        return self._passage_index

    def rebuild_passage_index(self) -> Stamp:
        """The tantivy passage index written anew from the store's rows (beside the file); the stamp it holds.

        A writable store holds the write lock meanwhile, so no write slips between; a read-only one reads
        one snapshot (the index is a cache beside the file, not the file: for a copy no one writes to).
        """
        if not available():
            raise StoreError("the passage index needs the `tantivy` package")
        if not self.readonly:
            with write_transaction(self.conn) as cur:  # writers wait while it is rebuilt
                stamp = self._stamp(cur)
                index = self._open_passage_index(create=True)
                assert index is not None
                index.rebuild(self._passage_docs(cur, None), stamp)
            return stamp
        index = self._open_passage_index(create=True)
        assert index is not None
        cur = self.conn.cursor()
        cur.execute("BEGIN")  # one snapshot for the stamp and the rows
        try:
            stamp = self._stamp(cur)
            index.rebuild(self._passage_docs(cur, None), stamp)
        finally:
            cur.execute("COMMIT")
            cur.close()
        return stamp

    def _passages_changed(self, cur: sqlite3.Cursor, before: Stamp, added_articles: Sequence[str],
                          removed: Sequence[int]) -> None:
        """In the write transaction: the generation bumped, and the passage index told (or rebuilt, if it lagged).

        `before` is the store's stamp when the transaction began: an index holding another one missed a
        write and is rebuilt. The index is written before the store commits; a failure there leaves it
        without a stamp, so the next search rebuilds it. The store's write itself stands.
        """
        cur.execute(f"INSERT INTO meta (key, value) VALUES ('{GENERATION_KEY}', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")
        if not self._passage_index_wanted():
            return
        stamp = self._stamp(cur)
        try:
            index = self._open_passage_index(create=True)
            if index is None:
                return
            if index.stamp() == before:
                index.update(self._passage_docs(cur, added_articles), removed, stamp)
            else:
                index.rebuild(self._passage_docs(cur, None), stamp)
        except (OSError, ValueError, RuntimeError) as exc:
            LOG.warning("%s: the passage index was not updated (%s); the next search rebuilds it", self.path, exc)

    @staticmethod
    def _stamp(cur: sqlite3.Cursor) -> Stamp:
        """(passages_generation, highest passage id): what a passage index in step with the store records."""
        row = cur.execute("SELECT value FROM meta WHERE key = ?", (GENERATION_KEY,)).fetchone()
        highest = cur.execute("SELECT coalesce(max(id), 0) FROM passages").fetchone()[0]
        return (int(row[0]) if row else 0, int(highest))

    def _passage_estimate(self) -> int:
        """About how many passages the index holds (the highest id: one index lookup, no count)."""
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM passages").fetchone()[0])

    @staticmethod
    def _passage_docs(cur: sqlite3.Cursor, article_ids: Sequence[str] | None) -> Iterator[PassageDoc]:
        """Passages as the passage index holds them: of `article_ids`, or all (None), with the same text as FTS5."""
        sql = ('SELECT p.id, p.idx, a.title, substr(a.text, p.start + 1, p."end" - p.start), a.published, '
               "a.outlet, a.language FROM passages p JOIN articles a ON a.id = p.article_id")
        if article_ids is None:
            batches: list[tuple[str, list[str]]] = [(sql, [])]
        else:
            batches = [(sql + f" WHERE p.article_id IN ({','.join('?' * len(chunk))})", chunk)
                       for chunk in (list(article_ids[i:i + 500]) for i in range(0, len(article_ids), 500))]
        for statement, params in batches:
            rows = cur.execute(statement, params)
            for pid, idx, title, body, published, outlet, language in rows:
                yield PassageDoc(pid, searchable(title) if idx == 0 else "", searchable(body), published, outlet,
                                 language)

    def _vectors(self) -> dense_index.DenseVectors:
        """The lead vectors, read once and then only when they change (checked cheaply on every question).

        `PRAGMA data_version` moves only when another connection commits: unchanged, the cache
        stands without a query. When it moved, the vectors' key (a generation in `meta` bumped by
        every delete, and the highest passage id, which grows with every append) is two primary-key
        lookups; a count(*) would scan the table (0.14 s at 100 k articles, docs/SCALING.md M12).
        This connection's own writes make the next call check the key (data_version ignores them).
        """
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        cached = self._vector_cache
        if cached is not None and self._vector_version == version:
            return cached
        key = dense_index.vectors_key(self.conn)
        if cached is None or cached.key != key:
            cached = dense_index.load(self.path, self.conn, key, cached, self.ann_threshold,
                                      save=not self.readonly and self.path != ":memory:")
            self._vector_cache = cached
        self._vector_version = version
        return cached

    def prepare_dense_search(self) -> None:
        """Read new vectors and save them (and, above the threshold, the graph) beside the index."""
        self._vectors()

    def _vectors_changed(self, cur: sqlite3.Cursor) -> None:
        """Inside a write that removed vectors: a new generation, so every reader reloads them."""
        cur.execute("INSERT INTO meta (key, value) VALUES ('vectors_generation', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    def dense_search(self, vector: np.ndarray, limit: int, filters: Filters) -> list[PassageHit]:
        vectors = self._vectors()
        if len(vectors.ids) == 0:
            return []
        where, params = self._filter_sql(filters)
        allowed: np.ndarray | None = None
        if where:
            # Only passages that have a vector can be picked (one per article by default): CROSS JOIN makes
            # SQLite walk the vectors, not every passage.
            allowed = np.fromiter((r[0] for r in self.conn.execute(
                "SELECT v.passage_id FROM passage_vectors v CROSS JOIN passages p ON p.id = v.passage_id "
                f"CROSS JOIN articles a ON a.id = p.article_id WHERE v.passage_id <= ? {where} "
                "ORDER BY v.passage_id", [vectors.key[1], *params]
            )), dtype=np.int64)
        picked = dense_index.search(vectors, vector, limit, allowed)
        passages = self.passages([p for p, _ in picked])
        return [PassageHit(passages[p], s) for p, s in picked if p in passages]

    def article_ids(self, outlet: str | None = None) -> list[str]:
        if outlet is None:
            return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY id")]
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE lower(outlet) = lower(?) ORDER BY id", (outlet,))]

    def article_ids_as_added(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY rowid")]

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def latest_published(self) -> str | None:
        """The newest publication date in the index: "now" for a collection of past news."""
        return self.conn.execute("SELECT max(published) FROM articles").fetchone()[0]

    def published_dates(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for statement, params in SQLITE.among("SELECT id, published FROM articles WHERE {among}", "id", article_ids):
            out.update(self.conn.execute(statement, params))
        return out

    def stats(self) -> dict[str, Any]:
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        size = sum(Path(self.path + suffix).stat().st_size
                   for suffix in ("", "-wal") if Path(self.path + suffix).exists())
        return {
            "db": self.path,
            "schema_version": self.schema_version(),
            "articles": one("SELECT count(*) FROM articles"),
            "locations": one("SELECT count(*) FROM locations"),
            "sentences": one("SELECT count(*) FROM sentences"),
            "passages": one("SELECT count(*) FROM passages"),
            "outlets": one("SELECT count(DISTINCT outlet) FROM articles"),
            "languages": dict(self.conn.execute(
                "SELECT coalesce(language, '?'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC").fetchall()),
            "first_published": one("SELECT min(published) FROM articles"),
            "last_published": one("SELECT max(published) FROM articles"),
            "embedder": self.get_meta("embedder"),
            "bytes_on_disk": size,
        }

    def check_integrity(self) -> list[str]:
        """Problems found by SQLite's own checks plus our cross-table invariants (empty when sound)."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        unembedded = self.conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM passages p JOIN passage_vectors v "
            "ON v.passage_id = p.id WHERE p.article_id = a.id)").fetchone()[0]
        if unembedded:
            problems.append(f"{unembedded} articles without a vector")
        fts = self.conn.execute("SELECT count(*) FROM passage_fts").fetchone()[0]
        passages = self.conn.execute("SELECT count(*) FROM passages").fetchone()[0]
        if fts != passages:
            problems.append(f"{fts} full-text rows for {passages} passages")
        bare = self.conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = a.id)"
        ).fetchone()[0]
        if bare:
            problems.append(f"{bare} articles without sentences")
        return problems

    def close(self) -> None:
        self.conn.close()


def fts5_match(query: TermQuery) -> str:
    """`query` as an FTS5 MATCH expression: each phrase in double quotes (a quote in it doubled), joined by OR.

    Inside quotes FTS5 reads only words, so no phrase can become an operator, a column filter or a prefix.
    """
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in query.terms)


def _refill_han_fts(conn: sqlite3.Cursor) -> None:
    """Migration 004's data step: full-text rows of articles with Chinese text re-cut into words.

    Runs inside the migration's transaction, once per index; rows of other articles are unchanged
    (`searchable` leaves text without Han characters as it is).
    """
    for article_id, title, text in conn.execute("SELECT id, title, text FROM articles").fetchall():
        if not (has_han(text) or has_han(title)):
            continue
        for pid, idx, start, end in conn.execute(
            'SELECT id, idx, start, "end" FROM passages WHERE article_id = ?', (article_id,)
        ).fetchall():
            conn.execute("DELETE FROM passage_fts WHERE rowid = ?", (pid,))
            conn.execute("INSERT INTO passage_fts (rowid, title, body) VALUES (?,?,?)",
                         (pid, searchable(title) if idx == 0 else "", searchable(text[start:end])))
    conn.execute("INSERT INTO meta (key, value) VALUES ('fts_text', ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (SEARCHABLE_VERSION,))


# Migrations whose data step needs code (run after the file's SQL, in the same transaction).
_PYTHON_STEPS = {4: _refill_han_fts}


class _SQLiteSchema:
    """How migrations run on SQLite: the version is PRAGMA user_version, statements run one at a time."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def transaction(self) -> AbstractContextManager[sqlite3.Cursor]:
        return write_transaction(self.conn)

    def locked_version(self, cur: sqlite3.Cursor) -> int:
        return int(cur.execute("PRAGMA user_version").fetchone()[0])

    def run_script(self, cur: sqlite3.Cursor, script: str) -> None:
        for statement in split_sql(script):
            cur.execute(statement)

    def record(self, cur: sqlite3.Cursor, number: int) -> None:
        cur.execute(f"PRAGMA user_version = {int(number)}")


def _connect_readonly(path: str) -> sqlite3.Connection:
    """SQLite's read-only mode; `immutable` when even that cannot open (a WAL index in a folder we cannot write).

    A WAL index needs its shared-memory file: when there is none and the folder is write-protected, no
    process is writing the index now, so reading the file as it is (immutable) is what it holds.
    """
    uri = f"file:{quote(str(Path(path).resolve()))}"
    last: sqlite3.Error | None = None
    for mode in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(f"{uri}?{mode}", uri=True, timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            last = exc
            continue
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.DatabaseError as exc:
            conn.close()
            last = exc
    raise StoreError(f"{path}: not a usable newsdesk index ({last})")
