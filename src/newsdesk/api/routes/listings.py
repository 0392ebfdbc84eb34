"""GET /api/conflicts, /api/actors, /api/relations, /api/stories: a Desk listing each, 404 when absent.

GET /api/stories/{id}: one story's page (its articles, disputes and actors), from Desk.story.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from newsdesk.answer.disputes import Disputes
from newsdesk.answer.story_page import StoryPage
from newsdesk.api.jobs import WorkersDep
from newsdesk.api.params import MAX_QUESTION_CHARS
from newsdesk.api.responses import NOT_FOUND
from newsdesk.desk import Desk
from newsdesk.model import ActorEntry, RelationsReport, Story
from newsdesk.render.plain import plain

LISTINGS = ("conflicts", "actors", "relations", "stories")


# What each listing answers, for /openapi.json: `{name: ...}` of the Desk method's result.
@dataclass
class ConflictsListing:
    conflicts: Disputes


@dataclass
class ActorsListing:
    actors: list[ActorEntry]


@dataclass
class RelationsListing:
    relations: RelationsReport


@dataclass
class StoriesListing:
    stories: list[Story]


RESULTS: dict[str, type] = {
    "conflicts": ConflictsListing, "actors": ActorsListing, "relations": RelationsListing, "stories": StoriesListing,
}

router = APIRouter()


def _listing(name: str) -> Callable[..., Awaitable[Any]]:
    async def endpoint(workers: WorkersDep,
                       q: Annotated[str | None, Query(max_length=MAX_QUESTION_CHARS)] = None) -> Any:
        def work(desk: Desk) -> tuple[bool, Any]:
            method = getattr(desk, name, None)
            if not callable(method):
                return False, None
            if q:
                return True, method(q)
            required = [p for p in inspect.signature(method).parameters.values()
                        if p.default is inspect.Parameter.empty
                        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            if required:
                raise HTTPException(400, f"{name} needs a query: ?q=...")
            return True, method()

        present, result = await workers.reader.run(work)
        if not present:
            raise HTTPException(404, f"{name} are not available in this version of newsdesk")
        return JSONResponse({name: plain(result)})

    endpoint.__name__ = name
    return endpoint


for _name in LISTINGS:
    router.get(f"/api/{_name}", name=_name, response_model=RESULTS[_name],
               summary=f"List {_name} (404 when this version of newsdesk has none)")(_listing(_name))


@router.get("/api/stories/{story_id}", response_model=StoryPage, responses=NOT_FOUND,
            summary="One story: its articles in time order, the facts they dispute, what its actors did")
async def story(story_id: Annotated[int, PathParam(ge=0)], workers: WorkersDep) -> JSONResponse:
    found = await workers.reader.run(lambda desk: desk.story(story_id))
    if found is None:
        raise HTTPException(404, f"no story {story_id}")
    return JSONResponse(plain(found))
