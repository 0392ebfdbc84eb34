"""Watched questions over HTTP: list them with unread counts, add, remove, their change records, mark read.

A change record is the same `newsdesk.change/1` JSON as `watch changes --json` and a webhook's body
(render/changes.py). "Read" is one number per watch in the index (`read_through`, migration 007):
every change up to that id was shown to the reader, so the page's unread count survives a reload.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from newsdesk.api.jobs import WorkersDep
from newsdesk.api.params import ReadRequest, WatchRequest, filters_from, require_json
from newsdesk.api.responses import (
    NOT_FOUND,
    WRONG_TYPE,
    ChangesJSON,
    ReadJSON,
    WatchAddedJSON,
    WatchesJSON,
    WatchRemovedJSON,
)
from newsdesk.desk import Desk
from newsdesk.net.fetch import is_web_url
from newsdesk.render.changes import change_dict
from newsdesk.store.follow_state import WatchState

router = APIRouter()

WatchId = Annotated[int, PathParam(ge=1, description="The watch's number (GET /api/watches).")]


def _watch(watch: WatchState, counts: tuple[int, int], read_through: int) -> dict[str, Any]:
    total, unread = counts
    return {"id": watch.id, "question": watch.question, "webhook": watch.webhook, "created": watch.created,
            "changes": total, "unread": unread, "read_through": read_through}


def _listing(desk: Desk) -> list[dict[str, Any]]:
    store = desk.store
    counts = store.unread_counts()
    return [_watch(w, counts.get(w.id, (0, 0)), store.read_through(w.id) or 0) for w in store.watches()]


@router.get("/api/watches", response_model=WatchesJSON,
            summary="The watched questions, each with its change records and how many are unread")
async def watches(workers: WorkersDep) -> dict[str, Any]:
    return {"watches": await workers.reader.run(_listing)}


@router.post("/api/watches", status_code=201, response_model=WatchAddedJSON, responses=WRONG_TYPE,
             dependencies=[Depends(require_json)],
             summary="Watch a question: its brief now is the baseline; what later ingests change is recorded")
async def add(body: WatchRequest, workers: WorkersDep) -> dict[str, Any]:
    question = body.question.strip()
    if not question:
        raise HTTPException(400, "question: the question is empty")
    webhook = body.webhook.strip() if body.webhook is not None else None
    if webhook is not None and not is_web_url(webhook):
        raise HTTPException(400, f"webhook: not an http(s) URL: {webhook!r}")
    added: dict[str, Any] = await workers.writer.run(_add, question, webhook or None)
    return added


def _add(desk: Desk, question: str, webhook: str | None) -> dict[str, Any]:
    from newsdesk.watch.refresh import add_watch

    watch = add_watch(desk, question, webhook)
    return {**_watch(watch, (0, 0), 0), "secret": watch.secret if watch.webhook else None}


@router.delete("/api/watches/{watch_id}", response_model=WatchRemovedJSON, responses=NOT_FOUND,
               summary="Stop watching a question (its changes go too)")
async def remove(watch_id: WatchId, workers: WorkersDep) -> dict[str, Any]:
    if not await workers.writer.run(_remove, watch_id):
        raise HTTPException(404, f"no watch {watch_id}")
    return {"deleted": 1}


def _remove(desk: Desk, watch_id: int) -> bool:
    return bool(desk.store.remove_watch(watch_id))


@router.get("/api/changes", response_model=ChangesJSON, responses=NOT_FOUND,
            summary="What changed in the watched questions' briefs (newsdesk.change/1), in the order recorded")
async def changes(
    workers: WorkersDep,
    since: Annotated[str | None, Query(description="Only changes recorded on or after this date (YYYY-MM-DD).")] = None,
    watch: Annotated[int | None, Query(ge=1, description="Only this watch's changes.")] = None,
) -> JSONResponse:
    day = filters_from(since, None, (), ()).since
    found = await workers.reader.run(_changes, day, watch)
    if found is None:
        raise HTTPException(404, f"no watch {watch}")
    return JSONResponse({"changes": found})


def _changes(desk: Desk, day: str | None, watch: int | None) -> list[dict[str, Any]] | None:
    """The change records on or after `day` (of one watch), or None when that watch does not exist."""
    if watch is not None and desk.store.read_through(watch) is None:
        return None
    return [change_dict(row) for row in desk.store.changes(since=day, watch_id=watch)]


@router.post("/api/watches/{watch_id}/read", response_model=ReadJSON, responses={**NOT_FOUND, **WRONG_TYPE},
             dependencies=[Depends(require_json)],
             summary="Mark a watch's changes read, up to `through` (the last one shown) or all")
async def mark_read(watch_id: WatchId, body: ReadRequest, workers: WorkersDep) -> dict[str, Any]:
    done: dict[str, Any] | None = await workers.writer.run(_mark_read, watch_id, body.through)
    if done is None:
        raise HTTPException(404, f"no watch {watch_id}")
    return done


def _mark_read(desk: Desk, watch_id: int, through: int | None) -> dict[str, Any] | None:
    marked = desk.store.mark_read(watch_id, through)
    if marked is None:
        return None
    return {"watch": watch_id, "read_through": marked, "unread": desk.store.unread_counts()[watch_id][1]}
