"""The rows of followed feeds, watched questions and change records, as the store hands them out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FeedState:
    """A followed feed and where its polling stands (store/follow_sql.py keeps it, follow/ updates it)."""

    id: int
    url: str
    added_url: str
    every_seconds: int
    etag: str | None
    last_modified: str | None
    next_poll: float  # seconds since the epoch
    last_polled: str | None
    last_ok: str | None
    failures: int  # consecutive failed polls: the backoff grows with them
    last_error: str | None
    entries: int  # entries taken from it so far


@dataclass(frozen=True)
class PollResult:
    """What one poll changes in a feed's state, saved in one transaction with the entries it took."""

    url: str  # the feed's URL from now on (a permanent redirect moves it)
    etag: str | None
    last_modified: str | None
    next_poll: float
    polled: str
    ok: bool
    failures: int
    error: str | None
    entries: tuple[tuple[str, str | None], ...] = ()  # (guid, link) of the entries taken in this poll


@dataclass(frozen=True)
class WatchState:
    id: int
    question: str
    webhook: str | None
    secret: str  # the HMAC-SHA256 key of its webhook deliveries
    created: str
    answered_count: int  # the article count it was last answered over (-1: never)


@dataclass(frozen=True)
class ChangeRow:
    """A stored change record: `body` is its newsdesk.change/1 JSON without `id` and `recorded`."""

    id: int
    watch_id: int
    recorded: str
    body: str
    delivered: str | None
    attempts: int
    next_attempt: float | None
    last_error: str | None


@dataclass(frozen=True)
class NewChange:
    """A change a watch found: the keys it reports (recorded as seen) and its JSON body."""

    keys: tuple[str, ...]
    body: str
