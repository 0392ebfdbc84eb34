"""Copies and stories, one implementation for both backends: signatures, copy links, stories and members.

A mixin of `SQLiteStore` and `PostgresStore`: it needs their `_read`/`_write` cursors, `_filter_sql`,
`_dialect` and `_lock_organizing`. The statements are the same on both engines but for placeholders,
IN lists and the column numbering articles in the order added (SQLite's rowid, PostgreSQL's seq);
store/dialect.py bridges those. Rows go with their article (ON DELETE CASCADE).

Several writers may organise at once (serve workers, ingests): `save_organization` checks, in its
write transaction and under `_lock_organizing`, that nobody organised articles since the caller's
indexes were loaded, so exactly one of two racing writers saves and the other reloads
(ingest/organize.py handles `StaleOrganization`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import numpy as np

from newsdesk.model import Filters, Story
from newsdesk.store.base import StaleOrganization
from newsdesk.store.dialect import Dialect
from newsdesk.store.rows import (
    STORY_COLUMNS,
    MemberRow,
    ranked_keys,
    story_from_members,
    story_state_from_row,
    story_state_row,
)
from newsdesk.store.story_state import StoryState

_UNORGANIZED = "FROM articles a WHERE NOT EXISTS (SELECT 1 FROM signatures s WHERE s.article_id = a.id)"


class StoriesMixin:
    _dialect: Dialect

    if TYPE_CHECKING:  # provided by the store class this mixes into
        def _read(self) -> AbstractContextManager[Any]: ...  # from the store: a cursor for reading
        def _write(self) -> AbstractContextManager[Any]: ...  # from the store: a cursor in one write transaction
        def _filter_sql(self, filters: Filters, alias: str = "a") -> tuple[str, list[Any]]: ...  # from the store
        def _lock_organizing(self, cur: Any) -> None: ...  # from the store: serialise savers (beyond the write lock)

    # -- organising (ingest/organize.py) -----------------------------------------------------------

    def unorganized_ids(self, limit: int) -> list[str]:
        """Articles not yet checked for copies nor placed in a story, in the order they were added."""
        with self._read() as cur:
            cur.execute(self._dialect.sql(f"SELECT a.id {_UNORGANIZED} ORDER BY a.{self._dialect.added} LIMIT ?"),
                        (limit,))
            return [r[0] for r in cur.fetchall()]

    def unorganized_count(self) -> int:
        """Articles without a signature, as the difference of two counts: a signature belongs to an article
        (foreign key, deleted with it), so no anti-join over every article row, which cost 0.2 s of each
        question at 100 k articles (a reader asks this to say whether `newsdesk migrate` is due)."""
        with self._read() as cur:
            cur.execute("SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM signatures)")
            return int(cur.fetchone()[0])

    def organized_count(self) -> int:
        with self._read() as cur:
            cur.execute("SELECT count(*) FROM signatures")
            return int(cur.fetchone()[0])

    def signature_rows(self) -> Iterator[tuple[str, np.ndarray, str | None, str | None]]:
        """(article id, MinHash values, original id or None, published) of every organised article, in order added."""
        with self._read() as cur:
            cur.execute("SELECT s.article_id, s.minhash, c.original_id, a.published FROM signatures s "
                        "JOIN articles a ON a.id = s.article_id LEFT JOIN copies c ON c.article_id = s.article_id "
                        f"ORDER BY a.{self._dialect.added}")
            for aid, blob, original, published in cur:
                yield aid, np.frombuffer(bytes(blob), dtype=np.uint32), original, published

    def story_states(self) -> tuple[list[StoryState], dict[str, int]]:
        """Every story as the clustering keeps it, and which story each organised article is in."""
        with self._read() as cur:
            cur.execute(f"SELECT {STORY_COLUMNS} FROM stories ORDER BY id")
            states = [story_state_from_row(row) for row in cur.fetchall()]
            cur.execute("SELECT article_id, story_id FROM story_members")
            members = {aid: int(sid) for aid, sid in cur.fetchall()}
        return states, members

    def titles(self, article_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        with self._read() as cur:
            for statement, params in self._dialect.among("SELECT id, title FROM articles WHERE {among}", "id",
                                                         article_ids):
                cur.execute(statement, params)
                out.update(cur.fetchall())
        return out

    def story_member_ids(self, story_ids: Sequence[int]) -> dict[int, list[str]]:
        """The articles of these stories, in the order they were added."""
        out: dict[int, list[str]] = {}
        with self._read() as cur:
            for statement, params in self._dialect.among(
                    "SELECT m.story_id, m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id "
                    f"WHERE {{among}} ORDER BY a.{self._dialect.added}", "m.story_id", [int(s) for s in story_ids]):
                cur.execute(statement, params)
                for sid, aid in cur.fetchall():
                    out.setdefault(int(sid), []).append(aid)
        return out

    def save_organization(self, signatures: Sequence[tuple[str, np.ndarray]],
                          copies: Sequence[tuple[str, str, float]], members: Sequence[tuple[str, int, float]],
                          stories: Sequence[StoryState], organized_before: int) -> None:
        """Write one chunk's signatures, copy links, story members and changed stories in one transaction.

        `organized_before` is how many articles were organised when the caller's indexes were loaded (plus what
        it saved since): any other count means another writer got there first, and nothing is written.
        """
        sql = self._dialect.sql
        with self._write() as cur:
            self._lock_organizing(cur)
            cur.execute("SELECT count(*) FROM signatures")
            if cur.fetchone()[0] != organized_before:
                raise StaleOrganization(f"{len(signatures)} articles: the index changed while they were organised")
            cur.executemany(sql(
                f"INSERT INTO stories ({STORY_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO "
                "UPDATE SET label = excluded.label, label_article = excluded.label_article, "
                "first_published = excluded.first_published, last_published = excluded.last_published, "
                "size = excluded.size, centroid = excluded.centroid, names = excluded.names, "
                "actors = excluded.actors, outlets = excluded.outlets, languages = excluded.languages"),
                [story_state_row(s) for s in stories])
            cur.executemany(sql("INSERT INTO copies (article_id, original_id, similarity) VALUES (?,?,?) "
                                "ON CONFLICT (article_id) DO UPDATE SET original_id = excluded.original_id, "
                                "similarity = excluded.similarity"), list(copies))
            cur.executemany(sql("INSERT INTO story_members (article_id, story_id, similarity) VALUES (?,?,?) "
                                "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, "
                                "similarity = excluded.similarity"), list(members))
            cur.executemany(sql("INSERT INTO signatures (article_id, minhash) VALUES (?,?) "
                                "ON CONFLICT (article_id) DO UPDATE SET minhash = excluded.minhash"),
                            [(aid, np.asarray(v, dtype=np.uint32).tobytes()) for aid, v in signatures])

    def _unorganize_before_delete(self, cur: Any, article_ids: Sequence[str]) -> int:
        """Forget, in the caller's write transaction, every copy link and story that `article_ids` may have shaped.

        An article is placed against the stories (and checked against the copies) of the articles added before
        it, so deleting one changes what every later article would have become. The cut starts at the earliest
        organised article deleted and moves back to the first member of every story that has a member at or
        after it, until no story straddles it; every article from the cut on loses its signature, copy link and
        membership, and those stories go. The stories left hold only articles added before the cut, exactly as
        they stood then, and the organiser (ingest/organize.py) places the rest again in the order added: the
        stories are then those of an index that never held the deleted articles. Returns the articles forgotten.
        """
        sql, added = self._dialect.sql, self._dialect.added
        cut = None
        for statement, params in self._dialect.among(
                f"SELECT min(a.{added}) FROM articles a JOIN signatures s ON s.article_id = a.id WHERE {{among}}",
                "a.id", article_ids):
            cur.execute(statement, params)
            first = cur.fetchone()[0]
            cut = first if cut is None or (first is not None and first < cut) else cut
        if cut is None:
            return 0
        later = f"SELECT a.id FROM articles a WHERE a.{added} >= ?"
        straddling = (f"SELECT m.story_id FROM story_members m JOIN articles a ON a.id = m.article_id "
                      f"WHERE a.{added} >= ?")
        while True:
            cur.execute(sql(f"SELECT min(a.{added}) FROM story_members m JOIN articles a ON a.id = m.article_id "
                            f"WHERE m.story_id IN ({straddling})"), (cut,))
            first = cur.fetchone()[0]
            if first is None or first >= cut:
                break
            cut = first
        cur.execute(sql(f"DELETE FROM stories WHERE id IN ({straddling})"), (cut,))
        for table in ("story_members", "copies"):
            cur.execute(sql(f"DELETE FROM {table} WHERE article_id IN ({later})"), (cut,))
        cur.execute(sql(f"DELETE FROM signatures WHERE article_id IN ({later})"), (cut,))
        forgotten = int(cur.rowcount)
        cur.execute("DELETE FROM stories WHERE NOT EXISTS "
                    "(SELECT 1 FROM story_members m WHERE m.story_id = stories.id)")
        return forgotten

    # -- reading ----------------------------------------------------------------------------------------

    def copy_originals(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Copy -> the first article of its copy group, for those of `article_ids` that are copies."""
        out: dict[str, str] = {}
        with self._read() as cur:
            for statement, params in self._dialect.among(
                    "SELECT article_id, original_id FROM copies WHERE {among}", "article_id", article_ids):
                cur.execute(statement, params)
                out.update(cur.fetchall())
        return out

    def copies_of(self, article_ids: Sequence[str]) -> dict[str, list[str]]:
        """Original -> its copies (in the order added), for those of `article_ids` that have copies."""
        out: dict[str, list[str]] = {}
        with self._read() as cur:
            for statement, params in self._dialect.among(
                    "SELECT c.original_id, c.article_id FROM copies c JOIN articles a ON a.id = c.article_id "
                    f"WHERE {{among}} ORDER BY a.{self._dialect.added}", "c.original_id", article_ids):
                cur.execute(statement, params)
                for original, aid in cur.fetchall():
                    out.setdefault(original, []).append(aid)
        return out

    def story_ids(self, article_ids: Sequence[str]) -> dict[str, int]:
        """Article -> its story, for those of `article_ids` already placed in one."""
        out: dict[str, int] = {}
        with self._read() as cur:
            for statement, params in self._dialect.among(
                    "SELECT article_id, story_id FROM story_members WHERE {among}", "article_id", article_ids):
                cur.execute(statement, params)
                out.update((aid, int(sid)) for aid, sid in cur.fetchall())
        return out

    def stories(self, story_ids: Sequence[int] | None = None, filters: Filters | None = None) -> list[Story]:
        """Stories (these, or all) with their members' counts; with `filters`, only members that match them.

        Counts come from the current members, so a deleted article no longer counts.
        """
        where, params = self._filter_sql(filters) if filters is not None else ("", [])
        members = ("SELECT m.story_id, a.id, coalesce(c.original_id, a.id), a.published, a.outlet, a.language, "
                   "a.title FROM story_members m JOIN articles a ON a.id = m.article_id "
                   f"LEFT JOIN copies c ON c.article_id = a.id WHERE TRUE {where}{{wanted}} "
                   f"ORDER BY a.{self._dialect.added}")
        if story_ids is None:
            statements = [(self._dialect.sql(members.format(wanted="")), params)]
        else:
            statements = [(statement, [*params, *wanted]) for statement, wanted in self._dialect.among(
                members.format(wanted=" AND {among}"), "m.story_id", [int(s) for s in story_ids])]
        grouped: dict[int, list[MemberRow]] = {}
        heads: list[tuple[Any, ...]] = []
        with self._read() as cur:
            for statement, values in statements:
                cur.execute(statement, values)
                for sid, *rest in cur.fetchall():
                    grouped.setdefault(int(sid), []).append(tuple(rest))
            for statement, values in self._dialect.among(
                    "SELECT s.id, s.label, s.label_article, s.actors, EXISTS (SELECT 1 FROM articles a "
                    "WHERE a.id = s.label_article) FROM stories s WHERE {among}", "s.id", list(grouped)):
                cur.execute(statement, values)
                heads.extend(cur.fetchall())
        out = [story_from_members(int(sid), label, label_article, ranked_keys(actors), bool(present), grouped[int(sid)])
               for sid, label, label_article, actors, present in heads]
        return sorted(out, key=lambda s: (s.first_published or "9999", s.id))
