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
from newsdesk.api import tasks
from newsdesk.api.jobs import WorkersDep
from newsdesk.api.params import MAX_QUESTION_CHARS
from newsdesk.api.responses import NOT_FOUND
from newsdesk.desk import Desk
from newsdesk.model import ActorEntry, RelationsReport, Story

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
        # Whether this version's Desk has the listing, and what it needs, is read from the class, here:
        # the worker that runs it holds an instance of the same class.
        method = getattr(Desk, name, None)
        if not callable(method):
            raise HTTPException(404, f"{name} are not available in this version of newsdesk")
        if not q:
            required = [p for p in list(inspect.signature(method).parameters.values())[1:]  # after `self`
                        if p.default is inspect.Parameter.empty
                        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            if required:
                raise HTTPException(400, f"{name} needs a query: ?q=...")
        return JSONResponse({name: await workers.reader.run(tasks.listing, name, q or None)})

    endpoint.__name__ = name
    return endpoint


for _name in LISTINGS:
    router.get(f"/api/{_name}", name=_name, response_model=RESULTS[_name],
               summary=f"List {_name} (404 when this version of newsdesk has none)")(_listing(_name))


@router.get("/api/stories/{story_id}", response_model=StoryPage, responses=NOT_FOUND,
            summary="One story: its articles in time order, the facts they dispute, what its actors did")
async def story(story_id: Annotated[int, PathParam(ge=0)], workers: WorkersDep) -> JSONResponse:
    found = await workers.reader.run(tasks.story, story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id}")
    return JSONResponse(found)
