"""Followed feeds, watched questions and change records, one implementation for both backends.

A mixin of `SQLiteStore` and `PostgresStore` (like stories_sql.py): the statements are the same on
both engines but for placeholders, which store/dialect.py bridges. What must survive a kill is written
in one transaction: a poll's entries with the feed's new state (ETag, next poll), and a watch's change
records with the keys that mark them reported. A change is recorded only by the transaction whose
insert of its key succeeded, so two processes re-answering one watch at once still report it once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsdesk.store.dialect import Dialect
from newsdesk.store.follow_state import ChangeRow, FeedState, NewChange, PollResult, WatchState

_FEED_COLUMNS = ("id, url, added_url, every_seconds, etag, last_modified, next_poll, last_polled, last_ok, "
                 "failures, last_error, entries")
_WATCH_COLUMNS = "id, question, webhook, secret, created, answered_count"
_CHANGE_COLUMNS = "id, watch_id, recorded, body, delivered, attempts, next_attempt, last_error"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _feed(row: Sequence[Any]) -> FeedState:
    return FeedState(int(row[0]), row[1], row[2], int(row[3]), row[4], row[5], float(row[6]), row[7], row[8],
                     int(row[9]), row[10], int(row[11]))


def _watch(row: Sequence[Any]) -> WatchState:
    return WatchState(int(row[0]), row[1], row[2], row[3], row[4], int(row[5]))


def _change(row: Sequence[Any]) -> ChangeRow:
    return ChangeRow(int(row[0]), int(row[1]), row[2], row[3], row[4], int(row[5]),
                     None if row[6] is None else float(row[6]), row[7])


class FollowMixin:
    _dialect: Dialect

    if TYPE_CHECKING:  # provided by the store class this mixes into
        def _read(self) -> AbstractContextManager[Any]: ...
        def _write(self) -> AbstractContextManager[Any]: ...

    # -- feeds ---------------------------------------------------------------------------------------

    def add_feed(self, url: str, every_seconds: int) -> FeedState | None:
        """Follow `url`, due at once; None when it is already followed (by this URL or the one it moved to)."""
        sql = self._dialect.sql
        with self._write() as cur:
            cur.execute(sql("SELECT 1 FROM feeds WHERE url = ? OR added_url = ?"), (url, url))
            if cur.fetchone() is not None:
                return None
            cur.execute(sql(f"INSERT INTO feeds (url, added_url, every_seconds, next_poll, added_at) "
                            f"VALUES (?,?,?,?,?) RETURNING {_FEED_COLUMNS}"),
                        (url, url, every_seconds, time.time(), _now()))
            return _feed(cur.fetchone())

    def remove_feed(self, url: str) -> bool:
        """Stop following the feed at `url` (as added or as moved); its articles stay in the index."""
        with self._write() as cur:
            cur.execute(self._dialect.sql("DELETE FROM feeds WHERE url = ? OR added_url = ?"), (url, url))
            return bool(cur.rowcount)

    def feeds(self) -> list[FeedState]:
        with self._read() as cur:
            cur.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id")
            return [_feed(r) for r in cur.fetchall()]

    def feed(self, feed_id: int) -> FeedState | None:
        with self._read() as cur:
            cur.execute(self._dialect.sql(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ?"), (feed_id,))
            row = cur.fetchone()
            return _feed(row) if row else None

    def seen_entries(self, feed_id: int, guids: Sequence[str]) -> set[str]:
        """Those of `guids` already taken from this feed."""
        found: set[str] = set()
        with self._read() as cur:
            for statement, params in self._dialect.among(
                    "SELECT guid FROM feed_entries WHERE feed_id = ? AND {among}", "guid", guids):
                cur.execute(statement, [feed_id, *params])
                found.update(r[0] for r in cur.fetchall())
        return found

    def save_poll(self, feed_id: int, result: PollResult) -> None:
        """A poll's outcome and the entries it took, in one transaction (a killed poll saves neither)."""
        sql = self._dialect.sql
        count = sql("SELECT count(*) FROM feed_entries WHERE feed_id = ?")
        with self._write() as cur:
            cur.execute(count, (feed_id,))
            before = int(cur.fetchone()[0])
            if result.entries:
                cur.executemany(sql("INSERT INTO feed_entries (feed_id, guid, link, seen_at) VALUES (?,?,?,?) "
                                    "ON CONFLICT DO NOTHING"),
                                [(feed_id, guid, link, result.polled) for guid, link in result.entries])
            cur.execute(count, (feed_id,))
            taken = int(cur.fetchone()[0]) - before  # a GUID taken before is not counted again
            moved = result.url
            cur.execute(sql("SELECT 1 FROM feeds WHERE url = ? AND id <> ?"), (moved, feed_id))
            if cur.fetchone() is not None:  # it moved onto a feed already followed: keep the old address
                cur.execute(sql("SELECT url FROM feeds WHERE id = ?"), (feed_id,))
                row = cur.fetchone()
                moved = row[0] if row else moved
            cur.execute(sql("UPDATE feeds SET url = ?, etag = ?, last_modified = ?, next_poll = ?, last_polled = ?, "
                            "last_ok = CASE WHEN ? THEN ? ELSE last_ok END, failures = ?, last_error = ?, "
                            "entries = entries + ? WHERE id = ?"),
                        (moved, result.etag, result.last_modified, result.next_poll, result.polled, result.ok,
                         result.polled, result.failures, result.error, taken, feed_id))

    # -- watches -------------------------------------------------------------------------------------

    def add_watch(self, question: str, webhook: str | None, secret: str) -> WatchState:
        with self._write() as cur:
            cur.execute(self._dialect.sql(f"INSERT INTO watches (question, webhook, secret, created) VALUES (?,?,?,?) "
                                          f"RETURNING {_WATCH_COLUMNS}"), (question, webhook, secret, _now()))
            return _watch(cur.fetchone())

    def remove_watch(self, watch_id: int) -> bool:
        """Forget a watch with what it reported (its change records go with it)."""
        with self._write() as cur:
            cur.execute(self._dialect.sql("DELETE FROM watches WHERE id = ?"), (watch_id,))
            return bool(cur.rowcount)

    def watches(self) -> list[WatchState]:
        with self._read() as cur:
            cur.execute(f"SELECT {_WATCH_COLUMNS} FROM watches ORDER BY id")
            return [_watch(r) for r in cur.fetchall()]

    def seen_keys(self, watch_id: int) -> set[str]:
        """Every key this watch has reported."""
        with self._read() as cur:
            cur.execute(self._dialect.sql("SELECT key FROM watch_seen WHERE watch_id = ?"), (watch_id,))
            return {r[0] for r in cur.fetchall()}

    def record_changes(self, watch_id: int, answered_count: int, changes: Sequence[NewChange],
                       report: bool = True) -> list[int]:
        """Record each change whose first key is not reported yet, mark all its keys reported, and note the
        article count answered over; one transaction. Returns the new change ids, in order. Without
        `report` the keys are only marked (a new watch's first answer is where it starts, not a change)."""
        sql = self._dialect.sql
        recorded = _now()
        new_ids: list[int] = []
        with self._write() as cur:
            cur.execute(sql("SELECT 1 FROM watches WHERE id = ?"), (watch_id,))
            if cur.fetchone() is None:  # removed meanwhile
                return []
            for change in changes:
                fresh = False
                for i, key in enumerate(change.keys):
                    cur.execute(sql("INSERT INTO watch_seen (watch_id, key) VALUES (?,?) ON CONFLICT DO NOTHING "
                                    "RETURNING key"), (watch_id, key))
                    inserted = cur.fetchone() is not None
                    fresh = fresh or (i == 0 and inserted)
                if fresh and report:
                    cur.execute(sql("INSERT INTO changes (watch_id, recorded, body) VALUES (?,?,?) RETURNING id"),
                                (watch_id, recorded, change.body))
                    new_ids.append(int(cur.fetchone()[0]))
            cur.execute(sql("UPDATE watches SET answered_count = ? WHERE id = ?"), (answered_count, watch_id))
        return new_ids

    def changes(self, since: str | None = None, watch_id: int | None = None) -> list[ChangeRow]:
        """Change records in the order recorded: all, or those recorded at or after `since`, of one watch or all."""
        where: list[str] = ["1 = 1"]
        params: list[Any] = []
        if since is not None:
            where.append("recorded >= ?")
            params.append(since)
        if watch_id is not None:
            where.append("watch_id = ?")
            params.append(watch_id)
        with self._read() as cur:
            cur.execute(self._dialect.sql(f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE {' AND '.join(where)} "
                                          "ORDER BY id"), params)
            return [_change(r) for r in cur.fetchall()]

    def unread_counts(self) -> dict[int, tuple[int, int]]:
        """Per watch id: (how many change records it has, how many of them are above its `read_through`)."""
        with self._read() as cur:
            cur.execute("SELECT w.id, count(c.id), count(CASE WHEN c.id > w.read_through THEN 1 END) "
                        "FROM watches w LEFT JOIN changes c ON c.watch_id = w.id GROUP BY w.id")
            return {int(r[0]): (int(r[1]), int(r[2])) for r in cur.fetchall()}

    def read_through(self, watch_id: int) -> int | None:
        """The highest change id of the watch marked read (0: none), or None when there is no such watch."""
        with self._read() as cur:
            cur.execute(self._dialect.sql("SELECT read_through FROM watches WHERE id = ?"), (watch_id,))
            row = cur.fetchone()
            return None if row is None else int(row[0])

    def mark_read(self, watch_id: int, through: int | None = None) -> int | None:
        """Mark the watch's changes read up to change id `through` (default: all recorded so far).

        Never moves backwards, so a page that loaded before a newer change marks only what it showed.
        Returns the watch's `read_through` afterwards, or None when there is no such watch.
        """
        sql = self._dialect.sql
        with self._write() as cur:
            if through is None:
                cur.execute(sql("SELECT coalesce(max(id), 0) FROM changes WHERE watch_id = ?"), (watch_id,))
                through = int(cur.fetchone()[0])
            cur.execute(sql("UPDATE watches SET read_through = CASE WHEN read_through > ? THEN read_through ELSE ? END "
                            "WHERE id = ? RETURNING read_through"), (through, through, watch_id))
            row = cur.fetchone()
            return None if row is None else int(row[0])

    def undelivered(self, now: float) -> list[tuple[ChangeRow, WatchState]]:
        """Changes of watches with a webhook not delivered yet and due for an attempt, oldest first."""
        with self._read() as cur:
            columns = ", ".join(f"c.{c.strip()}" for c in _CHANGE_COLUMNS.split(","))
            watch_columns = ", ".join(f"w.{c.strip()}" for c in _WATCH_COLUMNS.split(","))
            cur.execute(self._dialect.sql(
                f"SELECT {columns}, {watch_columns} FROM changes c JOIN watches w ON w.id = c.watch_id "
                "WHERE w.webhook IS NOT NULL AND c.delivered IS NULL "
                "AND (c.next_attempt IS NULL OR c.next_attempt <= ?) "
                "ORDER BY c.id"), (now,))
            return [(_change(r[:8]), _watch(r[8:])) for r in cur.fetchall()]

    def save_delivery(self, change_id: int, delivered: str | None, attempts: int, next_attempt: float | None,
                      error: str | None) -> None:
        with self._write() as cur:
            cur.execute(self._dialect.sql("UPDATE changes SET delivered = ?, attempts = ?, next_attempt = ?, "
                                          "last_error = ? WHERE id = ?"),
                        (delivered, attempts, next_attempt, error, change_id))
