"""Endpoints that read the index: health, stats, ask, search, timeline and one article."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from newsdesk import __version__
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
    available = await workers.reader.run(lambda desk: [n for n in LISTINGS if callable(getattr(desk, n, None))])
    charts = (WEB_DIR / "vendor" / "d3.min.js").is_file()
    return {"status": "ok", "version": __version__, "listings": available, "charts": charts,
            "max_upload_bytes": workers.upload_limit}


@router.get("/api/stats", summary="Counts of articles, sentences, passages, outlets and languages",
            response_model=StatsJSON)
async def stats(workers: WorkersDep) -> dict[str, Any]:
    return await workers.reader.run(lambda desk: desk.stats())


@router.post("/api/ask", summary="Answer a question with a brief (JSON schema newsdesk.brief/1)",
             response_model=BriefJSON, dependencies=[Depends(require_json)], responses=WRONG_TYPE)
async def ask(body: AskRequest, workers: WorkersDep) -> JSONResponse:
    """The brief as `newsdesk ask --json` prints it (docs/SCHEMA.md)."""
    from newsdesk.render.jsonout import brief_dict

    if not body.question.strip():
        raise HTTPException(400, "the question is empty")
    filters = filters_from(body.since, body.until, body.outlet, body.lang)

    def work(desk: Desk) -> dict[str, Any]:
        return brief_dict(desk.ask(body.question.strip(), filters))

    try:
        return JSONResponse(await workers.reader.run(work))
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

    def work(desk: Desk) -> dict[str, Any]:
        hits = desk.search(q, filters, limit=limit)
        articles = desk.store.articles([h.passage.article_id for h in hits])
        out = []
        for rank, hit in enumerate(hits, 1):
            art = articles[hit.passage.article_id]
            out.append({
                "rank": rank, "score": round(hit.score, 5), "article_id": art.id, "title": art.title,
                "outlet": art.outlet, "published": art.published, "language": art.language,
                "start": hit.passage.start, "end": hit.passage.end, "text": hit.passage.text,
            })
        return {"query": q, "hits": out}

    return await workers.reader.run(work)


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
    from newsdesk.render.timeline import timeline_dict

    if not q.strip():
        raise HTTPException(400, "the query is empty")
    filters = filters_from(since, until, outlet, lang)
    return JSONResponse(await workers.reader.run(lambda desk: timeline_dict(desk.timeline(q, filters))))


@router.get("/api/articles/{article_id}", summary="An article's metadata and full stored text",
            response_model=ArticleJSON, responses=NOT_FOUND)
async def article(article_id: Annotated[str, PathParam(max_length=200)], workers: WorkersDep) -> JSONResponse:
    """`text` is the text that citations' `start`/`end` offsets index into."""
    from newsdesk.render.jsonout import article_dict

    found = await workers.reader.run(lambda desk: desk.article(article_id))
    if found is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return JSONResponse(article_dict(found))
