"""The server backend: PostgreSQL with full text (tsvector, ts_rank times IDF) and pgvector (HNSW), many users at once.

Chosen by a `--db postgresql://...` URL (store/open.py). Behaves as `SQLiteStore`: the same
tables and migration numbers (store/migrations_pg/), one transaction per `add_batch`, the same
filters, scores in the same direction. Connections come from a pool, so one process can serve
several threads, and several processes (`newsdesk serve` workers, ingests) can share one database:
concurrent batches with the same articles neither fail nor duplicate them (ON CONFLICT, ids
locked in sorted order so two writers cannot deadlock).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import numpy as np
import psycopg
from psycopg import errors, sql
from psycopg_pool import ConnectionPool, PoolTimeout

from newsdesk.analyze.searchtext import SEARCHABLE_VERSION
from newsdesk.model import AnalyzedArticle, Article, Filters, Location, Passage, PassageHit, Sentence, TermQuery
from newsdesk.store.base import StoreError
from newsdesk.store.dialect import POSTGRES
from newsdesk.store.follow_sql import FollowMixin
from newsdesk.store.location import redact
from newsdesk.store.migrate import apply_migrations
from newsdesk.store.postgres_actors import PgActorsMixin
from newsdesk.store.postgres_claims import PgClaimsMixin
from newsdesk.store.postgres_rows import columns, insert_rows, one_row, unnest_select
from newsdesk.store.postgres_terms import (
    FILTER_FIRST_ARTICLES,
    TermStats,
    TermStatsCache,
    matching_terms,
    query_lexemes,
)
from newsdesk.store.postgres_text import index_text, tsquery_terms, tsvector_sql
from newsdesk.store.rows import ARTICLE_COLUMNS, article_from_row, article_row, check_vectors, location_rows
from newsdesk.store.stories_sql import StoriesMixin

# Key of the advisory lock that serialises schema migrations across processes ("newsdesk" in ASCII).
_MIGRATION_LOCK = 0x6E65777364657368
# Lexical ranking, chosen on the RealTime QA gate subset (bench/store_backends.py quality, docs/POSTGRES.md):
# "rank_idf": ts_rank per query alternative times its IDF (default); "cd_idf": the same with ts_rank_cd;
# "cd": ts_rank_cd of the whole query.
RANKING = "rank_idf"
_SENTENCE_SPEC = [("article_id", "text"), ("idx", "int"), ("start", "int"), ("end", "int")]
_PASSAGE_SPEC = [("article_id", "text"), ("idx", "int"), ("first_sentence", "int"), ("last_sentence", "int"),
                 ("start", "int"), ("stop", "int"), ("title", "text"), ("body", "text")]
_VECTOR_SPEC = [("article_id", "text"), ("idx", "int"), ("vector", "text")]
# Key of the advisory lock that serialises saving copies and stories ("stories" in ASCII).
_ORGANIZE_LOCK = 0x73746F72696573
_RETRIES = 3  # a writer that loses a deadlock or serialization race retries its whole batch
LEXICAL_WORK_MEM = "64MB"  # per full-text query: its candidates' tsvectors (13 MB at 26 k candidates) fit


def _vector_text(vector: np.ndarray) -> str:
    """A vector as pgvector's text form; float16-rounded first so both backends store the same numbers."""
    return "[" + ",".join(map(repr, np.asarray(vector, dtype=np.float16).astype(np.float32).tolist())) + "]"


class PostgresStore(PgClaimsMixin, PgActorsMixin, StoriesMixin, FollowMixin):
    """The `Store` protocol over a PostgreSQL database with the pgvector extension."""

    _dialect = POSTGRES

    def __init__(self, url: str, *, readonly: bool = False, pool_size: int | None = None) -> None:
        self.url = url
        self.path = redact(url)  # what messages and stats name, as SQLiteStore's path
        size = 4 if pool_size is None else pool_size
        if size < 1:
            raise StoreError(f"{self.path}: pool size must be at least 1, got {size}")
        try:  # one direct connection first: its error says why (refused, no such database, password)
            psycopg.connect(url, connect_timeout=15).close()
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot connect to the database ({_first_line(exc)})") from exc
        # Connections are checked when lent out, so a restarted server costs no failed request.
        self.pool = ConnectionPool(url, min_size=1, max_size=size, open=False, timeout=30.0, name="newsdesk",
                                   kwargs={"autocommit": False}, check=ConnectionPool.check_connection)
        try:
            self.pool.open(wait=True, timeout=15.0)
        except (PoolTimeout, psycopg.Error) as exc:
            self.pool.close()
            raise StoreError(f"{self.path}: cannot connect to the database ({_first_line(exc)})") from exc
        self._indexed_dims: set[int] = set()
        self._term_stats = TermStatsCache()
        try:
            if readonly and self.schema_version() == 0:
                raise StoreError(f"{self.path}: no newsdesk index in this database; run `newsdesk ingest` first")
            self._migrate()
        except psycopg.Error as exc:
            self.pool.close()
            raise StoreError(f"{self.path}: not a usable newsdesk database ({_first_line(exc)})") from exc
        except BaseException:
            self.pool.close()
            raise

    # -- connections --------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[psycopg.Cursor[Any]]:
        """A cursor in a short transaction of its own (one snapshot per statement, READ COMMITTED)."""
        with self.pool.connection() as conn, conn.cursor() as cur:
            yield cur

    @contextmanager
    def _write(self) -> Iterator[psycopg.Cursor[Any]]:
        """One write transaction: COMMIT when the block ends, ROLLBACK when it raises."""
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur

    def _lock_organizing(self, cur: psycopg.Cursor[Any]) -> None:
        """Serialise saving copies and stories across connections (a transaction-level advisory lock)."""
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_ORGANIZE_LOCK,))

    def _retrying(self, work: Any) -> Any:
        """Run `work(cur)` in a write transaction, again if it lost a deadlock to another writer."""
        for attempt in range(_RETRIES):
            try:
                with self._write() as cur:
                    return work(cur)
            except (errors.DeadlockDetected, errors.SerializationFailure):
                if attempt == _RETRIES - 1:
                    raise
        return None

    # -- schema -------------------------------------------------------------------------------

    def _migrate(self) -> None:
        apply_migrations(_PgSchema(self), "migrations_pg", _PYTHON_STEPS, self.path)

    def schema_version(self) -> int:
        with self._read() as cur:
            cur.execute("SELECT to_regclass('newsdesk_schema') IS NOT NULL")
            if not one_row(cur)[0]:
                return 0
            cur.execute("SELECT version FROM newsdesk_schema")
            row = cur.fetchone()
            return int(row[0]) if row else 0

    def _ensure_vector_index(self, dims: int) -> None:
        """One HNSW index (inner product = cosine on normalised vectors) per vector dimension in use."""
        if dims in self._indexed_dims:
            return
        name = f"passage_vectors_hnsw_{int(dims)}"
        with self._write() as cur:
            # Look first, without locks: CREATE INDEX IF NOT EXISTS would wait for every open write batch.
            cur.execute("SELECT to_regclass(%s) IS NOT NULL", (name,))
            if one_row(cur)[0]:
                self._indexed_dims.add(dims)
                return
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            cur.execute(sql.SQL(
                "CREATE INDEX IF NOT EXISTS {name} ON passage_vectors USING hnsw "
                "((vector::halfvec({dims})) halfvec_ip_ops) WHERE vector_dims(vector) = {dims}"
            ).format(name=sql.Identifier(name), dims=sql.Literal(int(dims))))
        self._indexed_dims.add(dims)

    # -- writing ------------------------------------------------------------------------------

    def add_batch(self, items: Sequence[AnalyzedArticle]) -> list[str]:
        for item in items:
            check_vectors(item)
        for dims in {int(np.asarray(i.vectors).shape[1]) for i in items if len(i.vectors)}:
            self._ensure_vector_index(dims)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        # Rows are locked in id order: two writers with overlapping batches wait for each other, never deadlock.
        ordered = sorted(items, key=lambda i: i.article.id)

        def work(cur: psycopg.Cursor[Any]) -> set[str]:
            # Numbers in the order given (SQLite's rowid order): copies and stories are formed in that order.
            cur.execute("SELECT nextval(pg_get_serial_sequence('articles', 'seq')) FROM generate_series(1, %s)",
                        (len(items),))
            numbers = sorted(int(r[0]) for r in cur.fetchall())
            seq: dict[str, int] = {}
            for item, number in zip(items, numbers, strict=True):
                seq.setdefault(item.article.id, number)
            new = self._insert_articles(cur, ordered, now, seq)
            cur.executemany(
                "INSERT INTO locations (article_id, url, path) VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
                [row for item in ordered for row in location_rows(item.article)])
            if new:
                self._insert_details(cur, new)
                self._insert_claims(cur, new)
                self._insert_actors(cur, new)
                self._mark_versions(cur)
            return {item.article.id for item in new}

        added = self._retrying(work)
        out: list[str] = []
        for item in items:
            if item.article.id in added and item.article.id not in out:
                out.append(item.article.id)
        return out

    def _insert_articles(self, cur: psycopg.Cursor[Any], items: Sequence[AnalyzedArticle],
                         now: str, seq: dict[str, int]) -> list[AnalyzedArticle]:
        """Insert the article rows (one pipelined statement); the items that were new.

        An id already stored, or being added by another open transaction (this one waits for it),
        is skipped by ON CONFLICT: concurrent writers neither fail nor duplicate.
        """
        cur.executemany(
            f"INSERT INTO articles ({ARTICLE_COLUMNS}, added_at, seq) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
            "ON CONFLICT (id) DO NOTHING RETURNING id",
            [(*article_row(item.article), now, seq[item.article.id]) for item in items],
            returning=True,
        )
        new: list[AnalyzedArticle] = []
        for item in items:
            if cur.fetchone() is not None:
                new.append(item)
            cur.nextset()
        return new

    def _insert_details(self, cur: psycopg.Cursor[Any], items: Sequence[AnalyzedArticle]) -> None:
        """Sentences, passages with their full text, and vectors of new articles: one statement per table."""
        insert_rows(cur, "sentences", _SENTENCE_SPEC,
                    [(s.article_id, s.index, s.start, s.end) for item in items for s in item.sentences])
        rows = [(item.article.id, p.index, p.first_sentence, p.last_sentence, p.start, p.end,
                 index_text(item.article.title if p.index == 0 else "", item.article.language),
                 index_text(p.text, item.article.language))
                for item in items for p in item.passages]
        if rows:
            cur.execute(sql.SQL(
                'INSERT INTO passages (article_id, idx, first_sentence, last_sentence, start, "end", tsv) '
                "SELECT article_id, idx, first_sentence, last_sentence, start, stop, {tsv} FROM ({select}) AS u"
            ).format(tsv=tsvector_sql("u.title", "u.body"), select=unnest_select(_PASSAGE_SPEC)),
                columns(_PASSAGE_SPEC, rows))
        vectors: list[tuple[str, int, str]] = []
        for item in items:
            matrix = np.asarray(item.vectors)
            vectors.extend((item.article.id, p.index, _vector_text(matrix[i]))
                           for i, p in enumerate(item.passages) if i < len(matrix))
        if vectors:
            cur.execute(sql.SQL(
                "INSERT INTO passage_vectors (passage_id, vector) SELECT p.id, u.vector::halfvec "
                "FROM ({select}) AS u JOIN passages p ON p.article_id = u.article_id AND p.idx = u.idx"
            ).format(select=unnest_select(_VECTOR_SPEC)), columns(_VECTOR_SPEC, vectors))

    def _insert_locations(self, cur: psycopg.Cursor[Any], art: Article) -> None:
        cur.executemany("INSERT INTO locations (article_id, url, path) VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
                        location_rows(art))

    def add_locations(self, article: Article) -> None:
        self._retrying(lambda cur: self._insert_locations(cur, article))

    def delete_articles(self, article_ids: Sequence[str]) -> int:
        with self._write() as cur:
            self._lock_organizing(cur)
            self._unorganize_before_delete(cur, article_ids)
            cur.execute("DELETE FROM articles WHERE id = ANY(%s)", (list(dict.fromkeys(article_ids)),))
            return cur.rowcount

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as cur:
            cur.execute("INSERT INTO meta (key, value) VALUES (%s, %s) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # -- reading ------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self._read() as cur:
            cur.execute("SELECT value FROM meta WHERE key = %s", (key,))
            row = cur.fetchone()
            return row[0] if row else None

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        with self._read() as cur:
            cur.execute("SELECT id FROM articles WHERE id = ANY(%s)", (list(ids),))
            return {r[0] for r in cur.fetchall()}

    def article(self, article_id: str) -> Article | None:
        return self.articles([article_id]).get(article_id)

    def articles(self, article_ids: Sequence[str]) -> dict[str, Article]:
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, Article] = {}
        if not ids:
            return out
        with self._read() as cur:
            cur.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ANY(%s)", (ids,))
            for row in cur.fetchall():
                out[row[0]] = article_from_row(row)
            cur.execute("SELECT article_id, url, path FROM locations WHERE article_id = ANY(%s) ORDER BY id", (ids,))
            for article_id, url, path in cur.fetchall():
                if article_id in out:
                    out[article_id].locations.append(Location(url or None, path or None))
        return out

    def sentences(self, article_id: str) -> list[Sentence]:
        with self._read() as cur:
            cur.execute("SELECT text FROM articles WHERE id = %s", (article_id,))
            row = cur.fetchone()
            if row is None:
                return []
            text = row[0]
            cur.execute('SELECT idx, start, "end" FROM sentences WHERE article_id = %s ORDER BY idx', (article_id,))
            return [Sentence(article_id, idx, start, end, text[start:end]) for idx, start, end in cur.fetchall()]

    def passages(self, passage_ids: Sequence[int]) -> dict[int, Passage]:
        ids = list(dict.fromkeys(int(p) for p in passage_ids))
        if not ids:
            return {}
        with self._read() as cur:
            cur.execute(
                'SELECT p.id, p.article_id, p.idx, p.first_sentence, p.last_sentence, p.start, p."end", '
                'substr(a.text, p.start + 1, p."end" - p.start) '
                "FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.id = ANY(%s)", (ids,))
            return {pid: Passage(aid, idx, first, last, start, end, text)
                    for pid, aid, idx, first, last, start, end, text in cur.fetchall()}

    def lead_passages(self, article_ids: Sequence[str], count: int) -> list[Passage]:
        """The first `count` passages of each article, in article order then position."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return []
        with self._read() as cur:
            cur.execute("SELECT id FROM passages WHERE article_id = ANY(%s) AND idx < %s", (ids, count))
            found = self.passages([r[0] for r in cur.fetchall()])
        order = {aid: i for i, aid in enumerate(ids)}
        return sorted(found.values(), key=lambda p: (order[p.article_id], p.index))

    def _filter_sql(self, filters: Filters, alias: str = "a") -> tuple[str, list[Any]]:
        """The SQL of `filters` on the articles table, with %s parameters (same meaning as SQLiteStore's)."""
        clauses: list[str] = []
        params: list[Any] = []
        if filters.since:
            clauses.append(f"{alias}.published >= %s")
            params.append(filters.since[:10])
        if filters.until:
            # Inclusive of the whole day: any timestamp on that date sorts below date + "~" (byte order).
            clauses.append(f"{alias}.published <= %s")
            params.append(filters.until[:10] + "~")
        if filters.outlets:
            clauses.append(f"lower({alias}.outlet) = ANY(%s)")
            params.append([o.lower() for o in filters.outlets])
        if filters.languages:
            clauses.append(f"lower({alias}.language) = ANY(%s)")
            params.append([lang.lower() for lang in filters.languages])
        return (" AND " + " AND ".join(clauses)) if clauses else "", params

    def lexical_search(self, query: TermQuery, limit: int, filters: Filters) -> list[PassageHit]:
        """Passages matching any phrase of `query`, best first (title weighs double, rare terms more).

        Each phrase of the query scores ts_rank (a term frequency that
        saturates, as BM25's does) times its inverse document frequency, summed: without IDF a common
        word found often outranks the rare name the question is about. In a big index the common
        alternatives only score the passages the rarer ones select (store/postgres_terms.py).
        """
        if not query.terms:
            return []
        terms = tsquery_terms(query)
        values = [p for _, ps in terms for p in ps]
        names = [sql.Identifier(f"q{i}") for i in range(len(terms))]
        columns = sql.SQL(", ").join(sql.SQL("{} AS {}").format(t, n) for (t, _), n in zip(terms, names, strict=True))
        where, params = self._filter_sql(filters)
        with self._read() as cur:
            # The candidates' tsvectors are kept for counting and ranking: in memory, not spilled to disk.
            cur.execute("SELECT set_config('work_mem', %s, true)", (LEXICAL_WORK_MEM,))
            stats = self._term_stats.get(cur)
            if stats is not None and where and self._few_pass(cur, where, params):
                # A narrow filter (a date window, an outlet): its own passages are read first and every
                # term tested on them, cheaper than ranking the index's matches (df is then the window's).
                cur.execute(self._lexical_statement(names, columns, [True] * len(terms), [None] * len(terms),
                                                    where, filter_first=True), [*values, *params, *params, limit])
                rows = cur.fetchall()
            else:
                rows = self._pruned_search(cur, stats, names, columns, values, where, params, limit)
        return [PassageHit(Passage(aid, idx, first, last, start, end, body), float(rank))
                for _pid, aid, idx, first, last, start, end, body, rank in rows]

    def _pruned_search(self, cur: psycopg.Cursor[Any], stats: TermStats | None, names: list[sql.Identifier],
                       columns: sql.Composable, values: list[str], where: str, params: list[Any],
                       limit: int) -> list[tuple[Any, ...]]:
        """Rows of the ranking over the passages the rarer terms select, widened while they find too few."""
        lexemes: list[list[str]] = [[] for _ in names]
        if stats is not None:
            cur.execute(sql.SQL("SELECT {} FROM (SELECT {}) q").format(
                sql.SQL(", ").join(sql.SQL("q.{}::text").format(n) for n in names), columns), values)
            lexemes = [query_lexemes(text or "") for text in one_row(cur)]
        extra = 0
        while True:
            matched, estimated = matching_terms(lexemes, stats, extra)
            cur.execute(self._lexical_statement(names, columns, matched, estimated, where), [*values, *params, limit])
            rows = cur.fetchall()
            # The rarer terms found too few (they may match nothing): widen to the next commoner ones.
            if len(rows) >= limit or all(matched):
                return rows
            extra = 2 * extra + 1

    @staticmethod
    def _few_pass(cur: psycopg.Cursor[Any], where: str, params: list[Any]) -> bool:
        """Whether at most FILTER_FIRST_ARTICLES articles pass the filter (counted through its indexes)."""
        cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE TRUE {where} LIMIT %s) f",
                    [*params, FILTER_FIRST_ARTICLES + 1])
        return one_row(cur)[0] <= FILTER_FIRST_ARTICLES

    @staticmethod
    def _lexical_statement(names: list[sql.Identifier], columns: sql.Composable, matched: list[bool],
                           estimated: list[float | None], where: str, filter_first: bool = False) -> sql.Composed:
        """The ranking query: candidates from the `matched` terms, df counted for those, estimated for the rest.

        `filter_first`: the candidates are the passages of the articles passing `where`, read before
        any term is tested (a materialised CTE, so the planner cannot start from the text index).
        """
        selecting = [n for n, m in zip(names, matched, strict=True) if m]

        def df(i: int) -> sql.Composable:
            count = estimated[i]
            return sql.SQL("df.{}").format(sql.Identifier(f"d{i}")) if count is None else sql.Literal(float(count))

        # Weights {D, C, B, A}: body (B) 0.5, title (A) 1.0, as bm25(passage_fts, 2.0, 1.0) in SQLite;
        # normalisation 1 divides by 1 + log(length), a length penalty in the spirit of BM25's.
        if RANKING in ("rank_idf", "cd_idf"):
            function = sql.SQL("ts_rank" if RANKING == "rank_idf" else "ts_rank_cd")
            rank = sql.SQL(" + ").join(
                # greatest(): an estimate of N older than the last big ingest may be below a term's df.
                sql.SQL("ln(1 + (greatest(n.n, {d}) - {d} + 0.5) / ({d} + 0.5)) * "
                        "{f}('{{0, 0, 0.5, 1.0}}', m.tsv, q.{q}, 1)").format(d=df(i), q=name, f=function)
                for i, name in enumerate(names))
        else:
            rank = sql.SQL("ts_rank_cd('{{0, 0, 0.5, 1.0}}', m.tsv, {}, 1)").format(
                sql.SQL(" || ").join(sql.SQL("q.{}").format(n) for n in names))
        counts = [sql.SQL("count(*) FILTER (WHERE m.tsv @@ q.{}) AS {}").format(n, sql.Identifier(f"d{i}"))
                  for i, (n, m) in enumerate(zip(names, matched, strict=True)) if m]
        return sql.SQL(
            "WITH q AS (SELECT {columns}), "
            "{source}"
            "m AS (SELECT p.id, p.tsv FROM {passages} p, q WHERE p.tsv @@ ({any})), "
            # Collection size: exact while counting is cheap, the planner's estimate beyond.
            "n AS MATERIALIZED (SELECT CASE WHEN reltuples >= 100000 THEN reltuples::float8 "
            "ELSE (SELECT count(*) FROM passages)::float8 END AS n FROM pg_class WHERE oid = 'passages'::regclass), "
            "df AS MATERIALIZED (SELECT {counts} FROM m, q), "
            # Ranked and cut to `limit` first: the article text is read (detoasted) for those rows only.
            "top AS (SELECT m.id, {rank} AS rank FROM m {joins}, q, n, df WHERE TRUE {where} "
            "ORDER BY rank DESC, m.id LIMIT %s) "
            'SELECT p.id, p.article_id, p.idx, p.first_sentence, p.last_sentence, p.start, p."end", '
            'substr(a.text, p.start + 1, p."end" - p.start), top.rank '
            "FROM top JOIN passages p ON p.id = top.id JOIN articles a ON a.id = p.article_id "
            "ORDER BY top.rank DESC, p.id"
        ).format(
            columns=columns,
            any=sql.SQL(" || ").join(sql.SQL("q.{}").format(n) for n in selecting),
            counts=sql.SQL(", ").join(counts), rank=rank,
            source=sql.SQL("narrowed AS MATERIALIZED (SELECT p.id, p.tsv FROM articles a JOIN passages p ON "
                           "p.article_id = a.id WHERE TRUE {where}), ").format(where=sql.SQL(where))
            if filter_first else sql.SQL(""),
            passages=sql.SQL("narrowed" if filter_first else "passages"),
            where=sql.SQL(where),  # `where`: fixed text, its values are parameters
            # Without a filter no candidate needs its passage and article row (two index probes each).
            joins=sql.SQL("JOIN passages p ON p.id = m.id JOIN articles a ON a.id = p.article_id" if where else ""),
        )

    def dense_search(self, vector: np.ndarray, limit: int, filters: Filters) -> list[PassageHit]:
        """Nearest passages by inner product (cosine on normalised vectors) through the HNSW index.

        The index orders candidates; each returned score is recomputed exactly, so the numbers
        match SQLite's matrix product. With filters, pgvector's iterative scan keeps looking until
        `limit` passages pass them.
        """
        query = np.asarray(vector, dtype=np.float32)
        dims = int(query.shape[0])
        where, params = self._filter_sql(filters)
        text = "[" + ",".join(repr(float(x)) for x in query) + "]"
        statement = sql.SQL(
            "SELECT v.passage_id, -(v.vector::vector <#> %s::vector) AS score FROM passage_vectors v "
            "JOIN passages p ON p.id = v.passage_id JOIN articles a ON a.id = p.article_id "
            "WHERE vector_dims(v.vector) = {dims} {where} "
            "ORDER BY v.vector::halfvec({dims}) <#> %s::halfvec({dims}), v.passage_id LIMIT %s"
        ).format(dims=sql.Literal(dims), where=sql.SQL(where))
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            ef_search = str(max(40, min(1000, 2 * limit)))  # candidates the graph search keeps (pgvector: 40)
            cur.execute("SELECT set_config('hnsw.ef_search', %s, true), "
                        "set_config('hnsw.iterative_scan', 'strict_order', true)", (ef_search,))
            cur.execute(statement, [text, *params, text, limit])
            picked = [(int(pid), float(score)) for pid, score in cur.fetchall()]
        picked.sort(key=lambda x: (-x[1], x[0]))
        passages = self.passages([p for p, _ in picked])
        return [PassageHit(passages[p], s) for p, s in picked if p in passages]

    def prepare_dense_search(self) -> None:
        """Nothing to do: PostgreSQL keeps the HNSW index up to date with every write."""

    def article_ids(self, outlet: str | None = None) -> list[str]:
        with self._read() as cur:
            if outlet is None:
                cur.execute("SELECT id FROM articles ORDER BY id")
            else:
                cur.execute("SELECT id FROM articles WHERE lower(outlet) = lower(%s) ORDER BY id", (outlet,))
            return [r[0] for r in cur.fetchall()]

    def article_ids_as_added(self) -> list[str]:
        with self._read() as cur:
            cur.execute("SELECT id FROM articles ORDER BY seq")
            return [r[0] for r in cur.fetchall()]

    def article_vectors(self, article_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Every stored vector of these articles (float16, one row per embedded passage, in passage order)."""
        rows: dict[str, list[np.ndarray]] = {}
        with self._read() as cur:
            cur.execute("SELECT p.article_id, v.vector::vector::text FROM passages p "
                        "JOIN passage_vectors v ON v.passage_id = p.id WHERE p.article_id = ANY(%s) "
                        "ORDER BY p.article_id, p.idx", (list(dict.fromkeys(article_ids)),))
            for aid, text in cur.fetchall():
                rows.setdefault(aid, []).append(np.asarray(text.strip("[]").split(","), dtype=np.float32))
        return {aid: np.vstack(vectors).astype(np.float16) for aid, vectors in rows.items()}

    def article_count(self) -> int:
        with self._read() as cur:
            cur.execute("SELECT count(*) FROM articles")
            return int(one_row(cur)[0])

    def latest_published(self) -> str | None:
        """The newest publication date in the index: "now" for a collection of past news."""
        with self._read() as cur:
            cur.execute("SELECT max(published) FROM articles")
            return one_row(cur)[0]

    def published_dates(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        with self._read() as cur:
            cur.execute("SELECT id, published FROM articles WHERE id = ANY(%s)", [list(dict.fromkeys(article_ids))])
            return dict(cur.fetchall())

    def stats(self) -> dict[str, Any]:
        with self._read() as cur:
            def one(query: str) -> Any:
                cur.execute(query)
                return one_row(cur)[0]

            counts = {table: one(f"SELECT count(*) FROM {table}")
                      for table in ("articles", "locations", "sentences", "passages")}
            cur.execute("SELECT coalesce(language, '?'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1")
            languages = dict(cur.fetchall())
            return {
                "db": self.path,
                "schema_version": one("SELECT version FROM newsdesk_schema"),
                **counts,
                "outlets": one("SELECT count(DISTINCT outlet) FROM articles"),
                "languages": languages,
                "first_published": one("SELECT min(published) FROM articles"),
                "last_published": one("SELECT max(published) FROM articles"),
                "embedder": self.get_meta("embedder"),
                "bytes_on_disk": int(one("SELECT pg_database_size(current_database())")),
            }

    def check_integrity(self) -> list[str]:
        """Cross-table invariants (empty when sound); the server keeps its own files consistent."""
        problems: list[str] = []
        with self._read() as cur:
            cur.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM passages p "
                        "JOIN passage_vectors v ON v.passage_id = p.id WHERE p.article_id = a.id)")
            unembedded = one_row(cur)[0]
            if unembedded:
                problems.append(f"{unembedded} articles without a vector")
            cur.execute("SELECT count(*) FROM passages WHERE tsv IS NULL")
            unindexed = one_row(cur)[0]
            if unindexed:
                problems.append(f"{unindexed} passages without full text")
            cur.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                        "(SELECT 1 FROM sentences s WHERE s.article_id = a.id)")
            bare = one_row(cur)[0]
            if bare:
                problems.append(f"{bare} articles without sentences")
        return problems

    def close(self) -> None:
        self.pool.close()


def _refill_han_tsv(cur: psycopg.Cursor[Any]) -> None:
    """Migration 004's data step: full-text vectors of passages of articles with Chinese text, re-cut into words.

    Runs inside the migration's transaction, once per database; only articles holding Han characters are read.
    """
    cur.execute("SELECT id, title, text FROM articles WHERE title ~ %s OR text ~ %s", (_HAN_CLASS, _HAN_CLASS))
    for article_id, title, text in cur.fetchall():
        cur.execute('SELECT idx, start, "end" FROM passages WHERE article_id = %s', (article_id,))
        for idx, start, end in cur.fetchall():
            cur.execute(sql.SQL("UPDATE passages SET tsv = {tsv} WHERE article_id = %s AND idx = %s").format(
                tsv=tsvector_sql("%s", "%s")),
                (index_text(title) if idx == 0 else "", index_text(text[start:end]), article_id, idx))
    cur.execute("INSERT INTO meta (key, value) VALUES ('fts_text', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (SEARCHABLE_VERSION,))


# Migrations whose data step needs code (run after the file's SQL, in the same transaction), as in SQLite.
_PYTHON_STEPS = {4: _refill_han_tsv}


class _PgSchema:
    """How migrations run on PostgreSQL: the version is a one-row table, created under the advisory lock.

    The transaction-level advisory lock serialises migrations across processes: several opening a new
    database at once, one migrates, the others wait and then find the work done.
    """

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def version(self) -> int:
        return self.store.schema_version()

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        with self.store._write() as cur:  # noqa: SLF001 - the store's own helper
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            cur.execute("CREATE TABLE IF NOT EXISTS newsdesk_schema (version INTEGER NOT NULL)")
            yield cur

    def locked_version(self, cur: psycopg.Cursor[Any]) -> int:
        cur.execute("SELECT version FROM newsdesk_schema")
        row = cur.fetchone()
        if row is None:
            cur.execute("INSERT INTO newsdesk_schema (version) VALUES (0)")
            return 0
        return int(row[0])

    def run_script(self, cur: psycopg.Cursor[Any], script: str) -> None:
        cur.execute(script)  # our own shipped file, no parameters

    def record(self, cur: psycopg.Cursor[Any], number: int) -> None:
        cur.execute("UPDATE newsdesk_schema SET version = %s", (number,))


# The Han ideographs of analyze/searchtext.py, as a PostgreSQL regular expression.
_HAN_CLASS = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
