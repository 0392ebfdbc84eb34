"""One poll of one feed: a conditional GET, the entries not taken yet, their pages, the ingest, the new state.

The order makes a killed poll harmless. Entries are ingested first (a transaction per batch; content
ids make a repeat a no-op), and only then are they marked taken, in the transaction that saves the
feed's new ETag and Last-Modified. A poll killed before that point is redone from the start by the
next run, which finds the stored articles already known: nothing lost, nothing doubled. The ETag is
also left as it was when an entry's page could not be fetched for now, so the next poll reads the
whole feed again and retries that entry rather than getting a 304.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsdesk.desk import Desk
from newsdesk.follow.entries import FeedEntry, FeedError, ParsedFeed, parse_feed
from newsdesk.follow.robots import RobotsCache
from newsdesk.follow.schedule import backoff
from newsdesk.ingest.decode import decode_bytes
from newsdesk.ingest.readers.html import declared_charset
from newsdesk.model import RawDocument
from newsdesk.net.fetch import FetchError, fetch, is_web_url
from newsdesk.net.policy import HostPolicy
from newsdesk.store.follow_state import FeedState, PollResult

FEED_TIMEOUT = 20.0


@dataclass
class PollOutcome:
    feed: FeedState
    status: str  # new (entries taken), unchanged (304, or nothing new), failed
    entries: int = 0  # entries taken in this poll
    added: int = 0  # articles they added to the index (the rest were known: the same text elsewhere)
    moved_to: str | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)  # entries that could not be read, pages skipped


@dataclass(frozen=True)
class Limits:
    timeout: float = FEED_TIMEOUT  # seconds per request
    max_bytes: int = 50_000_000  # per response


DEFAULT_LIMITS = Limits()


def poll_feed(desk: Desk, feed: FeedState, policy: HostPolicy, robots: RobotsCache, limits: Limits = DEFAULT_LIMITS,
              now: float | None = None) -> PollOutcome:
    """Poll `feed` once and save what it gave; a failure is saved too (with its backoff), never raised."""
    started = time.time() if now is None else now
    polled = datetime.now(UTC).isoformat(timespec="seconds")
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        response = fetch(feed.url, policy=policy, max_bytes=limits.max_bytes, timeout=limits.timeout, headers=headers)
        url = response.moved_to or feed.url
        parsed = parse_feed(response.body) if response.status == 200 else None
    except (FetchError, FeedError) as exc:
        return _failed(desk, feed, polled, started, exc.reason if isinstance(exc, FetchError) else f"{feed.url}: {exc}")
    etag = response.headers.get("etag") or feed.etag
    last_modified = response.headers.get("last-modified") or feed.last_modified
    outcome = PollOutcome(feed, "unchanged", moved_to=response.moved_to)
    taken: list[tuple[str, str | None]] = []
    if parsed is not None:
        taken, deferred = _take_entries(desk, feed, parsed, policy, robots, limits, outcome)
        if deferred:
            etag, last_modified = feed.etag, feed.last_modified
    desk.store.save_poll(feed.id, PollResult(url, etag, last_modified, started + feed.every_seconds, polled, True, 0,
                                             None, tuple(taken)))
    outcome.entries = len(taken)
    if taken:
        outcome.status = "new"
    return outcome


def _failed(desk: Desk, feed: FeedState, polled: str, started: float, reason: str) -> PollOutcome:
    failures = feed.failures + 1
    desk.store.save_poll(feed.id, PollResult(feed.url, feed.etag, feed.last_modified,
                                             started + backoff(feed.every_seconds, failures), polled, False,
                                             failures, reason))
    return PollOutcome(feed, "failed", error=reason)


def _take_entries(desk: Desk, feed: FeedState, parsed: ParsedFeed, policy: HostPolicy, robots: RobotsCache,
                  limits: Limits, outcome: PollOutcome) -> tuple[list[tuple[str, str | None]], int]:
    """Ingest the entries not taken before; (the entries taken, how many were deferred to the next poll)."""
    unique = list({e.guid: e for e in reversed(parsed.entries)}.values())[::-1]  # one per GUID, feed order
    seen = desk.store.seen_entries(feed.id, [e.guid for e in unique])
    documents: list[RawDocument] = []
    taken: list[tuple[str, str | None]] = []
    deferred = 0
    for entry in unique:
        if entry.guid in seen:
            continue
        document, note, retry = _document(feed, parsed, entry, policy, robots, limits)
        if note:
            outcome.notes.append(note)
        if retry:
            deferred += 1
            continue
        if document is not None:
            documents.append(document)
        taken.append((entry.guid, entry.link))
    if documents:
        report = desk.ingest_documents(documents)
        outcome.added = report.added
        outcome.notes.extend(f"{e.origin}: {e.reason}" for e in report.errors)
    return taken, deferred


def _document(feed: FeedState, parsed: ParsedFeed, entry: FeedEntry, policy: HostPolicy, robots: RobotsCache,
              limits: Limits) -> tuple[RawDocument | None, str | None, bool]:
    """(the entry as a document or None, a note, retry later?): its own text, or its page when it has only a
    summary (extracted by normalize with trafilatura), or the summary when the page may not be fetched."""
    origin = f"{feed.url}#{entry.guid}"
    base = RawDocument(origin=origin, format="feed", text=entry.text or None, url=entry.link, title=entry.title,
                       published=entry.published, outlet=parsed.title, language=entry.language or parsed.language,
                       author=entry.author, metadata={"entry_id": entry.guid, "feed": feed.url})
    if not entry.summary_only or not entry.link or not is_web_url(entry.link):
        return (base if entry.text else None), (None if entry.text else f"{origin}: the entry has no text"), False
    fallback = base if entry.text else None
    if not robots.allowed(entry.link):
        why = "its summary is kept" if fallback else "it has no text of its own and is skipped"
        return fallback, f"{entry.link}: robots.txt does not allow fetching the page; {why}", False
    try:
        page = fetch(entry.link, policy=policy, max_bytes=limits.max_bytes, timeout=limits.timeout)
        html = decode_bytes(page.body, entry.link, declared=_charset(page.headers) or declared_charset(page.body))
    except FetchError as exc:
        if exc.retryable:
            return None, f"{exc.reason}; retried at the next poll", True
        return fallback, exc.reason, False
    except ValueError as exc:
        return fallback, str(exc), False
    document = RawDocument(origin=origin, format="html", html=html, url=page.url, title=entry.title,
                           published=entry.published, outlet=parsed.title, language=base.language,
                           author=entry.author, metadata=base.metadata)
    return document, None, False


def _charset(headers: dict[str, str]) -> str | None:
    for part in headers.get("content-type", "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip("\"' ")
    return None
