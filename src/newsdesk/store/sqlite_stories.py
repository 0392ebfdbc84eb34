"""The SQLite store's part for copies and stories: signatures, copy links, stories and their members.

A mixin of `SQLiteStore` (it uses its `conn` and `_filter_sql`), kept apart so this schema and its
queries live in one place. Rows go with their article (ON DELETE CASCADE).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

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
from newsdesk.store.transaction import write_transaction


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    unique = list(dict.fromkeys(ids))
    for i in range(0, len(unique), size):
        chunk = unique[i : i + size]
        yield chunk, ",".join("?" * len(chunk))


class StoriesMixin:
    conn: sqlite3.Connection

    def _filter_sql(self, filters: Filters, alias: str = "a") -> tuple[str, list[Any]]: ...  # from SQLiteStore

    # -- organising (ingest/organize.py) -----------------------------------------------------------

    def unorganized_ids(self, limit: int) -> list[str]:
        """Articles not yet checked for copies nor placed in a story, in the order they were added."""
        return [r[0] for r in self.conn.execute(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM signatures s WHERE s.article_id = a.id) "
            "ORDER BY a.rowid LIMIT ?", (limit,))]

    def unorganized_count(self) -> int:
        return int(self.conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM signatures s WHERE s.article_id = a.id)").fetchone()[0])

    def signature_rows(self) -> Iterator[tuple[str, np.ndarray, str | None, str | None]]:
        """(article id, MinHash values, original id or None, published) of every organised article, in order added."""
        rows = self.conn.execute(
            "SELECT s.article_id, s.minhash, c.original_id, a.published FROM signatures s "
            "JOIN articles a ON a.id = s.article_id LEFT JOIN copies c ON c.article_id = s.article_id ORDER BY a.rowid")
        for aid, blob, original, published in rows:
            yield aid, np.frombuffer(blob, dtype=np.uint32), original, published

    def story_states(self) -> tuple[list[StoryState], dict[str, int]]:
        """Every story as the clustering keeps it, and which story each organised article is in."""
        states = [story_state_from_row(row)
                  for row in self.conn.execute(f"SELECT {STORY_COLUMNS} FROM stories ORDER BY id")]
        members = dict(self.conn.execute("SELECT article_id, story_id FROM story_members").fetchall())
        return states, members

    def titles(self, article_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk, marks in _chunks(article_ids):
            out.update(self.conn.execute(f"SELECT id, title FROM articles WHERE id IN ({marks})", chunk).fetchall())
        return out

    def story_member_ids(self, story_ids: Sequence[int]) -> dict[int, list[str]]:
        """The articles of these stories, in the order they were added."""
        out: dict[int, list[str]] = {}
        for chunk, marks in _chunks([str(s) for s in story_ids]):
            for sid, aid in self.conn.execute(
                    f"SELECT m.story_id, m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id "
                    f"WHERE m.story_id IN ({marks}) ORDER BY a.rowid", [int(s) for s in chunk]):
                out.setdefault(sid, []).append(aid)
        return out

    def organized_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM signatures").fetchone()[0])

    def save_organization(self, signatures: Sequence[tuple[str, np.ndarray]],
                          copies: Sequence[tuple[str, str, float]], members: Sequence[tuple[str, int, float]],
                          stories: Sequence[StoryState], organized_before: int) -> None:
        """Write one chunk's signatures, copy links, story members and changed stories in one transaction.

        `organized_before` is how many articles were organised when the caller's indexes were loaded (plus what
        it saved since): any other count means another writer got there first, and nothing is written.
        """
        with write_transaction(self.conn) as cur:
            if cur.execute("SELECT count(*) FROM signatures").fetchone()[0] != organized_before:
                raise StaleOrganization(f"{len(signatures)} articles: the index changed while they were organised")
            cur.executemany(
                f"INSERT INTO stories ({STORY_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                "label=excluded.label, label_article=excluded.label_article, "
                "first_published=excluded.first_published, last_published=excluded.last_published, "
                "size=excluded.size, centroid=excluded.centroid, names=excluded.names, actors=excluded.actors, "
                "outlets=excluded.outlets, languages=excluded.languages", [story_state_row(s) for s in stories])
            cur.executemany("INSERT OR REPLACE INTO copies (article_id, original_id, similarity) VALUES (?,?,?)",
                            copies)
            cur.executemany("INSERT OR REPLACE INTO story_members (article_id, story_id, similarity) VALUES (?,?,?)",
                            members)
            cur.executemany("INSERT OR REPLACE INTO signatures (article_id, minhash) VALUES (?,?)",
                            [(aid, np.asarray(v, dtype=np.uint32).tobytes()) for aid, v in signatures])

    # -- reading ----------------------------------------------------------------------------------------

    def copy_originals(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Copy -> the first article of its copy group, for those of `article_ids` that are copies."""
        out: dict[str, str] = {}
        for chunk, marks in _chunks(article_ids):
            out.update(self.conn.execute(
                f"SELECT article_id, original_id FROM copies WHERE article_id IN ({marks})", chunk).fetchall())
        return out

    def copies_of(self, article_ids: Sequence[str]) -> dict[str, list[str]]:
        """Original -> its copies (in the order added), for those of `article_ids` that have copies."""
        out: dict[str, list[str]] = {}
        for chunk, marks in _chunks(article_ids):
            for original, aid in self.conn.execute(
                    f"SELECT c.original_id, c.article_id FROM copies c JOIN articles a ON a.id = c.article_id "
                    f"WHERE c.original_id IN ({marks}) ORDER BY a.rowid", chunk):
                out.setdefault(original, []).append(aid)
        return out

    def story_ids(self, article_ids: Sequence[str]) -> dict[str, int]:
        """Article -> its story, for those of `article_ids` already placed in one."""
        out: dict[str, int] = {}
        for chunk, marks in _chunks(article_ids):
            out.update(self.conn.execute(
                f"SELECT article_id, story_id FROM story_members WHERE article_id IN ({marks})", chunk).fetchall())
        return out

    def stories(self, story_ids: Sequence[int] | None = None, filters: Filters | None = None) -> list[Story]:
        """Stories (these, or all) with their members' counts; with `filters`, only members that match them.

        Counts come from the current members, so a deleted article no longer counts.
        """
        where, params = self._filter_sql(filters) if filters is not None else ("", [])
        wanted = ""
        if story_ids is not None:
            if not story_ids:
                return []
            wanted = f" AND m.story_id IN ({','.join('?' * len(story_ids))})"
            params = [*params, *[int(s) for s in story_ids]]
        rows = self.conn.execute(
            "SELECT m.story_id, a.id, coalesce(c.original_id, a.id), a.published, a.outlet, a.language, a.title "
            "FROM story_members m JOIN articles a ON a.id = m.article_id "
            f"LEFT JOIN copies c ON c.article_id = a.id WHERE 1=1 {where}{wanted} ORDER BY a.rowid", params).fetchall()
        grouped: dict[int, list[MemberRow]] = {}
        for sid, *rest in rows:
            grouped.setdefault(sid, []).append(tuple(rest))  # type: ignore[arg-type]
        heads = self.conn.execute(
            "SELECT s.id, s.label, s.label_article, s.actors, EXISTS (SELECT 1 FROM articles a WHERE a.id = "
            f"s.label_article) FROM stories s WHERE s.id IN ({','.join('?' * len(grouped))})", list(grouped)).fetchall()
        out = [story_from_members(sid, label, label_article, ranked_keys(actors), bool(present), grouped[sid])
               for sid, label, label_article, actors, present in heads]
        return sorted(out, key=lambda s: (s.first_published or "9999", s.id))
