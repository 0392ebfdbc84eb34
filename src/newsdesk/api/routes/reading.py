"""Endpoints that read the index: health, stats, ask, search, timeline and one article."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from newsdesk import __version__
from newsdesk.api import tasks
from newsdesk.api.jobs import WorkersDep
from newsdesk.api.params import MAX_QUESTION_CHARS, AskRequest, filters_from, require_json
from newsdesk.api.responses import NOT_FOUND, WRONG_TYPE, HealthJSON, SearchJSON, StatsJSON
from newsdesk.api.routes.listings import LISTINGS
from newsdesk.api.routes.page import WEB_DIR
from newsdesk.desk import Desk
from newsdesk.render.documents import ArticleJSON, BriefJSON, TimelineJSON

router = APIRouter()


@router.get("/api/health", summary="Liveness, version and what this server offers", response_model=HealthJSON)
async def health(workers: WorkersDep) -> dict[str, Any]:
    available = [n for n in LISTINGS if callable(getattr(Desk, n, None))]
    charts = (WEB_DIR / "vendor" / "d3.min.js").is_file()
    return {"status": "ok", "version": __version__, "listings": available, "charts": charts,
            "max_upload_bytes": workers.upload_limit}


@router.get("/api/stats", summary="Counts of articles, sentences, passages, outlets and languages",
            response_model=StatsJSON)
async def stats(workers: WorkersDep) -> dict[str, Any]:
    counts: dict[str, Any] = await workers.reader.run(tasks.stats)
    return counts


@router.post("/api/ask", summary="Answer a question with a brief (JSON schema newsdesk.brief/1)",
             response_model=BriefJSON, dependencies=[Depends(require_json)], responses=WRONG_TYPE)
async def ask(body: AskRequest, workers: WorkersDep) -> JSONResponse:
    """The brief as `newsdesk ask --json` prints it (docs/SCHEMA.md)."""
    if not body.question.strip():
        raise HTTPException(400, "the question is empty")
    filters = filters_from(body.since, body.until, body.outlet, body.lang)
    try:
        return JSONResponse(await workers.reader.run(tasks.ask, body.question.strip(), filters))
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get("/api/search", summary="The passages that best match a query (hybrid BM25 + dense)",
            response_model=SearchJSON)
async def search(
    workers: WorkersDep,
    q: Annotated[str, Query(max_length=MAX_QUESTION_CHARS, description="The query.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    since: str | None = None,
    until: str | None = None,
    outlet: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies defaults per request
    lang: Annotated[list[str], Query()] = [],  # noqa: B006
) -> dict[str, Any]:
    if not q.strip():
        raise HTTPException(400, "the query is empty")
    filters = filters_from(since, until, outlet, lang)
    found: dict[str, Any] = await workers.reader.run(tasks.search, q, filters, limit)
    return found


@router.get("/api/timeline", summary="Events and claims matching a query in the order they happened, each cited",
            response_model=TimelineJSON)
async def timeline(
    workers: WorkersDep,
    q: Annotated[str, Query(max_length=MAX_QUESTION_CHARS, description="The query.")],
    since: str | None = None,
    until: str | None = None,
    outlet: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies defaults per request
    lang: Annotated[list[str], Query()] = [],  # noqa: B006
) -> JSONResponse:
    """As `newsdesk timeline --json` prints it (schema newsdesk.timeline/1, docs/SCHEMA.md)."""
    if not q.strip():
        raise HTTPException(400, "the query is empty")
    filters = filters_from(since, until, outlet, lang)
    return JSONResponse(await workers.reader.run(tasks.timeline, q, filters))


@router.get("/api/articles/{article_id}", summary="An article's metadata and full stored text",
            response_model=ArticleJSON, responses=NOT_FOUND)
async def article(article_id: Annotated[str, PathParam(max_length=200)], workers: WorkersDep) -> JSONResponse:
    """`text` is the text that citations' `start`/`end` offsets index into."""
    found = await workers.reader.run(tasks.article, article_id)
    if found is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return JSONResponse(found)
