"""The follow and watch tables on both backends (a real SQLite file and a real PostgreSQL): the same
answers from the one implementation in store/follow_sql.py."""

from __future__ import annotations

import pytest

from newsdesk.store.base import Store
from newsdesk.store.follow_state import NewChange, PollResult


@pytest.fixture
def store(backend_store: Store) -> Store:
    return backend_store


def test_a_poll_saves_its_entries_and_the_feed_state_and_a_redirect_moves_the_feed(store: Store) -> None:
    feed = store.add_feed("http://feeds.example/a", 900)
    assert feed is not None and store.add_feed("http://feeds.example/a", 60) is None
    store.save_poll(feed.id, PollResult("http://feeds.example/b", '"e1"', "Mon, 03 Jun 2024 10:00:00 GMT", 123.0,
                                        "2024-06-03T10:00:00+00:00", True, 0, None,
                                        (("g1", "http://x/1"), ("g2", None))))
    [saved] = store.feeds()
    assert (saved.url, saved.added_url, saved.etag, saved.entries, saved.next_poll, saved.last_ok) == (
        "http://feeds.example/b", "http://feeds.example/a", '"e1"', 2, 123.0, "2024-06-03T10:00:00+00:00")
    assert store.seen_entries(feed.id, ["g1", "g3", "g2"]) == {"g1", "g2"}
    assert store.add_feed("http://feeds.example/b", 900) is None, "already followed at the address it moved to"
    store.save_poll(feed.id, PollResult(saved.url, saved.etag, None, 456.0, "2024-06-03T11:00:00+00:00", False, 1,
                                        "could not fetch: HTTP 500", (("g1", None),)))
    failing = store.feed(feed.id)
    assert failing is not None
    assert (failing.failures, failing.last_error, failing.entries, failing.last_ok) == (
        1, "could not fetch: HTTP 500", 2, "2024-06-03T10:00:00+00:00"), "a re-taken GUID is not counted again"
    assert store.remove_feed("http://feeds.example/a") and store.feeds() == []


def test_a_change_is_recorded_once_even_when_offered_again(store: Store) -> None:
    watch = store.add_watch("Who?", "http://hooks.example/x", "s3cret")
    assert store.record_changes(watch.id, 0, [NewChange(("statement:a",), "")], report=False) == []
    assert store.seen_keys(watch.id) == {"statement:a"}
    ids = store.record_changes(watch.id, 5, [NewChange(("statement:a",), '{"n": 1}'),
                                             NewChange(("conflict:x", "conflict-topic:t"), '{"n": 2}')])
    assert len(ids) == 1
    assert store.record_changes(watch.id, 6, [NewChange(("conflict:x", "conflict-topic:t"), '{"n": 2}')]) == []
    [row] = store.changes()
    assert (row.id, row.body, row.delivered) == (ids[0], '{"n": 2}', None)
    assert store.watches()[0].answered_count == 6
    assert store.changes(since="2999-01-01") == [] and store.changes(watch_id=watch.id + 1) == []
    [(due, owner)] = store.undelivered(0.0)
    assert (due.id, owner.secret) == (row.id, "s3cret")
    store.save_delivery(row.id, None, 1, 100.0, "HTTP 500")
    assert store.undelivered(50.0) == [] and len(store.undelivered(100.0)) == 1
    store.save_delivery(row.id, "2024-06-03T10:00:00+00:00", 2, None, None)
    assert store.undelivered(1e12) == []
    assert store.remove_watch(watch.id) and store.changes() == [] and store.watches() == []
