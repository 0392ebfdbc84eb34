"""Re-answer the watched questions after an ingest and record what is new in their briefs (a writable Desk).

A watch is re-answered when the index's article count differs from the one it was last answered
over, so running this again after a crash (or after nothing was added) costs nothing and records
nothing. Its first answer is a baseline: the keys are marked reported and no change is recorded.
Reported keys, new records and the count are written in one transaction (store/follow_sql.py).
"""

from __future__ import annotations

import secrets

from newsdesk.desk import Desk
from newsdesk.net.policy import host_policy
from newsdesk.store.follow_state import WatchState
from newsdesk.watch.diff import baseline_keys, brief_changes
from newsdesk.watch.webhook import deliver_due


def add_watch(desk: Desk, question: str, webhook: str | None = None, secret: str | None = None) -> WatchState:
    """Save `question` and answer it once as its baseline; the webhook's HMAC key is generated unless given."""
    if not question.strip():
        raise ValueError("the question is empty")
    store = desk.store
    watch = store.add_watch(question.strip(), webhook, secret or secrets.token_hex(32))
    answer_watch(desk, watch)
    return watch


def answer_watch(desk: Desk, watch: WatchState) -> list[int]:
    """Answer one watch over the index as it is now; record what it has not reported. New change ids."""
    store = desk.store
    count = store.article_count()
    brief = desk.ask(watch.question)
    if watch.answered_count < 0:
        return store.record_changes(watch.id, count, baseline_keys(brief), report=False)
    return store.record_changes(watch.id, count, brief_changes(watch, brief, store.seen_keys(watch.id)))


def refresh_watches(desk: Desk, force: bool = False) -> list[int]:
    """Re-answer every watch whose index changed since it was last answered (every watch when `force`).

    `force` is for a caller that knows articles were added: a delete and an add between two answers
    leave the count unchanged. Keys already reported are never recorded again, so forcing is safe.
    The new change ids, in order.
    """
    store = desk.store
    count = store.article_count()
    new: list[int] = []
    for watch in store.watches():
        if force or watch.answered_count != count:
            new.extend(answer_watch(desk, watch))
    return new


def after_ingest(desk: Desk, added: int) -> tuple[list[int], list[str]]:
    """What every writer runs after an ingest: re-answer the watches over what it added, then deliver.

    Returns the new change ids and the webhook errors (a sentence each); nothing happens when nothing was added.
    """
    if not added or not desk.store.watches():
        return [], []
    changes = refresh_watches(desk, force=True)
    return changes, deliver_due(desk.store, host_policy(desk.config)).errors
