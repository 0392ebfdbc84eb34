"""What the endpoints ask of a Desk, as module-level functions `work(desk, *args)` that a worker process can run.

They live here, apart from the routes, because a task crosses into a worker process by reference
(pickle names the function) and its arguments and result by value: so no closures, and results are
plain JSON-ready dicts or dataclasses. (The watches' tasks sit beside their routes, in routes/watches.py.)
"""

from __future__ import annotations

import logging
from typing import Any

from newsdesk.api.pool import progress
from newsdesk.desk import Desk
from newsdesk.model import Filters, IngestReport

_LOG = logging.getLogger("newsdesk.api")
WARM_UP_QUESTION = "What happened?"


def warm_up(desk: Desk) -> None:
    """Load the embedder, and for a reader the index's vectors and the answer models, with one question."""
    _ = desk.embedder
    if desk.readonly:
        desk.ask(WARM_UP_QUESTION)


# --- reading --------------------------------------------------------------------------------------------------


def stats(desk: Desk) -> dict[str, Any]:
    return dict(desk.stats())


def ask(desk: Desk, question: str, filters: Filters) -> dict[str, Any]:
    from newsdesk.render.jsonout import brief_dict

    return brief_dict(desk.ask(question, filters))


def search(desk: Desk, query: str, filters: Filters, limit: int) -> dict[str, Any]:
    hits = desk.search(query, filters, limit=limit)
    articles = desk.store.articles([h.passage.article_id for h in hits])
    out = []
    for rank, hit in enumerate(hits, 1):
        art = articles[hit.passage.article_id]
        out.append({
            "rank": rank, "score": round(hit.score, 5), "article_id": art.id, "title": art.title,
            "outlet": art.outlet, "published": art.published, "language": art.language,
            "start": hit.passage.start, "end": hit.passage.end, "text": hit.passage.text,
        })
    return {"query": query, "hits": out}


def timeline(desk: Desk, query: str, filters: Filters) -> dict[str, Any]:
    from newsdesk.render.timeline import timeline_dict

    return timeline_dict(desk.timeline(query, filters))


def article(desk: Desk, article_id: str) -> dict[str, Any] | None:
    from newsdesk.render.jsonout import article_dict

    found = desk.article(article_id)
    return None if found is None else article_dict(found)


def listing(desk: Desk, name: str, query: str | None) -> Any:
    """The Desk listing `name` (conflicts, actors, relations, stories) as plain JSON data."""
    from newsdesk.render.plain import plain

    method = getattr(desk, name)
    return plain(method(query) if query else method())


def story(desk: Desk, story_id: int) -> Any:
    from newsdesk.render.plain import plain

    found = desk.story(story_id)
    return None if found is None else plain(found)


# --- writing --------------------------------------------------------------------------------------------------


def ingest(desk: Desk, paths: list[str]) -> tuple[IngestReport, list[str]]:
    """Ingest `paths`, sending its counts and origin after each document; then re-answer the watches.

    Returns the report and the webhook errors. Each batch of `batch_size` articles is one transaction,
    so readers (WAL) never wait for the job, and a killed writer loses at most the batch in hand.
    """
    from newsdesk.watch.refresh import after_ingest

    progress(None)  # the job is running
    def counts(report: IngestReport, origin: str) -> None:
        progress((report.read + report.failed, report.added, report.known, report.failed, origin))

    ingested = desk.ingest(paths, on_progress=counts) if paths else IngestReport()
    _, webhook_errors = after_ingest(desk, ingested.added)  # re-answer the watches (watch/)
    return ingested, list(webhook_errors)


def delete(desk: Desk, article_ids: list[str], outlet: str | None) -> int:
    return desk.delete(article_ids, outlet=outlet)
