"""The PostgreSQL store's part for copies and stories: the same rows and order as `sqlite_stories.py`.

A mixin of `PostgresStore` (its `_read`/`_write` cursors and `_filter_sql`). "In the order added" is
`articles.seq` (SQLite's rowid). Several writers may organise at once (serve workers, ingests): the
count check of `save_organization` runs under a transaction-level advisory lock, so exactly one of
two racing writers saves and the other reloads (ingest/organize.py handles `StaleOrganization`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
import psycopg

from newsdesk.model import Filters, Story
from newsdesk.store.base import StaleOrganization
from newsdesk.store.rows import (
    STORY_COLUMNS,
    MemberRow,
    ranked_keys,
    story_from_members,
    story_state_from_row,
    story_state_row,
)
from newsdesk.store.story_state import StoryState

# Key of the advisory lock that serialises saving copies and stories ("stories" in ASCII).
_ORGANIZE_LOCK = 0x73746F72696573


class PgStoriesMixin:
    def _read(self) -> AbstractContextManager[psycopg.Cursor[Any]]: ...  # from PostgresStore
    def _write(self) -> AbstractContextManager[psycopg.Cursor[Any]]: ...  # from PostgresStore
    def _filter_sql(self, filters: Filters, alias: str = "a") -> tuple[str, list[Any]]: ...  # from PostgresStore

    # -- organising (ingest/organize.py) -----------------------------------------------------------

    def unorganized_ids(self, limit: int) -> list[str]:
        """Articles not yet checked for copies nor placed in a story, in the order they were added."""
        with self._read() as cur:
            cur.execute("SELECT a.id FROM articles a WHERE NOT EXISTS "
                        "(SELECT 1 FROM signatures s WHERE s.article_id = a.id) ORDER BY a.seq LIMIT %s", (limit,))
            return [r[0] for r in cur.fetchall()]

    def unorganized_count(self) -> int:
        with self._read() as cur:
            cur.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                        "(SELECT 1 FROM signatures s WHERE s.article_id = a.id)")
            return int(cur.fetchone()[0])  # type: ignore[index]

    def signature_rows(self) -> Iterator[tuple[str, np.ndarray, str | None, str | None]]:
        """(article id, MinHash values, original id or None, published) of every organised article, in order added."""
        with self._read() as cur:
            cur.execute("SELECT s.article_id, s.minhash, c.original_id, a.published FROM signatures s "
                        "JOIN articles a ON a.id = s.article_id LEFT JOIN copies c ON c.article_id = s.article_id "
                        "ORDER BY a.seq")
            rows = cur.fetchall()
        for aid, blob, original, published in rows:
            yield aid, np.frombuffer(bytes(blob), dtype=np.uint32), original, published

    def story_states(self) -> tuple[list[StoryState], dict[str, int]]:
        """Every story as the clustering keeps it, and which story each organised article is in."""
        with self._read() as cur:
            cur.execute(f"SELECT {STORY_COLUMNS} FROM stories ORDER BY id")  # type: ignore[arg-type]
            states = [story_state_from_row(row) for row in cur.fetchall()]
            cur.execute("SELECT article_id, story_id FROM story_members")
            members = {aid: int(sid) for aid, sid in cur.fetchall()}
        return states, members

    def titles(self, article_ids: Sequence[str]) -> dict[str, str]:
        with self._read() as cur:
            cur.execute("SELECT id, title FROM articles WHERE id = ANY(%s)", (list(dict.fromkeys(article_ids)),))
            return dict(cur.fetchall())

    def story_member_ids(self, story_ids: Sequence[int]) -> dict[int, list[str]]:
        """The articles of these stories, in the order they were added."""
        out: dict[int, list[str]] = {}
        with self._read() as cur:
            cur.execute("SELECT m.story_id, m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id "
                        "WHERE m.story_id = ANY(%s) ORDER BY a.seq", ([int(s) for s in story_ids],))
            for sid, aid in cur.fetchall():
                out.setdefault(int(sid), []).append(aid)
        return out

    def organized_count(self) -> int:
        with self._read() as cur:
            cur.execute("SELECT count(*) FROM signatures")
            return int(cur.fetchone()[0])  # type: ignore[index]

    def save_organization(self, signatures: Sequence[tuple[str, np.ndarray]],
                          copies: Sequence[tuple[str, str, float]], members: Sequence[tuple[str, int, float]],
                          stories: Sequence[StoryState], organized_before: int) -> None:
        """Write one chunk's signatures, copy links, story members and changed stories in one transaction.

        `organized_before` is how many articles were organised when the caller's indexes were loaded (plus what
        it saved since): any other count means another writer got there first, and nothing is written.
        """
        with self._write() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_ORGANIZE_LOCK,))
            cur.execute("SELECT count(*) FROM signatures")
            if cur.fetchone()[0] != organized_before:  # type: ignore[index]
                raise StaleOrganization(f"{len(signatures)} articles: the index changed while they were organised")
            cur.executemany(  # type: ignore[arg-type]
                f"INSERT INTO stories ({STORY_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO "
                "UPDATE SET label = excluded.label, label_article = excluded.label_article, "
                "first_published = excluded.first_published, last_published = excluded.last_published, "
                "size = excluded.size, centroid = excluded.centroid, names = excluded.names, "
                "actors = excluded.actors, outlets = excluded.outlets, languages = excluded.languages",
                [story_state_row(s) for s in stories])
            cur.executemany("INSERT INTO copies (article_id, original_id, similarity) VALUES (%s,%s,%s) "
                            "ON CONFLICT (article_id) DO UPDATE SET original_id = excluded.original_id, "
                            "similarity = excluded.similarity", list(copies))
            cur.executemany("INSERT INTO story_members (article_id, story_id, similarity) VALUES (%s,%s,%s) "
                            "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, "
                            "similarity = excluded.similarity", list(members))
            cur.executemany("INSERT INTO signatures (article_id, minhash) VALUES (%s,%s) "
                            "ON CONFLICT (article_id) DO UPDATE SET minhash = excluded.minhash",
                            [(aid, np.asarray(v, dtype=np.uint32).tobytes()) for aid, v in signatures])

    # -- reading ----------------------------------------------------------------------------------------

    def copy_originals(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Copy -> the first article of its copy group, for those of `article_ids` that are copies."""
        with self._read() as cur:
            cur.execute("SELECT article_id, original_id FROM copies WHERE article_id = ANY(%s)",
                        (list(dict.fromkeys(article_ids)),))
            return dict(cur.fetchall())

    def copies_of(self, article_ids: Sequence[str]) -> dict[str, list[str]]:
        """Original -> its copies (in the order added), for those of `article_ids` that have copies."""
        out: dict[str, list[str]] = {}
        with self._read() as cur:
            cur.execute("SELECT c.original_id, c.article_id FROM copies c JOIN articles a ON a.id = c.article_id "
                        "WHERE c.original_id = ANY(%s) ORDER BY a.seq", (list(dict.fromkeys(article_ids)),))
            for original, aid in cur.fetchall():
                out.setdefault(original, []).append(aid)
        return out

    def story_ids(self, article_ids: Sequence[str]) -> dict[str, int]:
        """Article -> its story, for those of `article_ids` already placed in one."""
        with self._read() as cur:
            cur.execute("SELECT article_id, story_id FROM story_members WHERE article_id = ANY(%s)",
                        (list(dict.fromkeys(article_ids)),))
            return {aid: int(sid) for aid, sid in cur.fetchall()}

    def stories(self, story_ids: Sequence[int] | None = None, filters: Filters | None = None) -> list[Story]:
        """Stories (these, or all) with their members' counts; with `filters`, only members that match them."""
        where, params = self._filter_sql(filters) if filters is not None else ("", [])
        wanted = ""
        if story_ids is not None:
            if not story_ids:
                return []
            wanted = " AND m.story_id = ANY(%s)"
            params = [*params, [int(s) for s in story_ids]]
        with self._read() as cur:
            cur.execute(  # type: ignore[arg-type]
                "SELECT m.story_id, a.id, coalesce(c.original_id, a.id), a.published, a.outlet, a.language, a.title "
                "FROM story_members m JOIN articles a ON a.id = m.article_id LEFT JOIN copies c ON c.article_id = a.id "
                f"WHERE TRUE {where}{wanted} ORDER BY a.seq", params)
            grouped: dict[int, list[MemberRow]] = {}
            for sid, *rest in cur.fetchall():
                grouped.setdefault(int(sid), []).append(tuple(rest))  # type: ignore[arg-type]
            cur.execute("SELECT s.id, s.label, s.label_article, s.actors, EXISTS (SELECT 1 FROM articles a "
                        "WHERE a.id = s.label_article) FROM stories s WHERE s.id = ANY(%s)", (list(grouped),))
            heads = cur.fetchall()
        out = [story_from_members(int(sid), label, label_article, ranked_keys(actors), bool(present), grouped[int(sid)])
               for sid, label, label_article, actors, present in heads]
        return sorted(out, key=lambda s: (s.first_published or "9999", s.id))
