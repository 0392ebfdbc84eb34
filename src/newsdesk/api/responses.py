"""What the endpoints answer, as types for /openapi.json: the small JSON bodies the API builds itself.

The documents (brief, timeline, article, listings) are render/documents.py's types; these are the
rest (health, stats, search, jobs, deletes, watches, errors), so the spec names every field a client gets.
The endpoints still build plain dicts; tests check that each answer reads back as its declared type.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from newsdesk.render.documents import ChangeJSON


class ErrorJSON(BaseModel):
    """Every refusal: a human message in `detail`; a 422 adds `errors` (where and why)."""

    detail: str = Field(description="What was wrong, naming the field or file and the reason.")
    errors: list[dict[str, Any]] | None = Field(None, description="422 only: each invalid field (loc, msg, type).")
    report: dict[str, Any] | None = Field(None, description="An ingest where nothing could be read: its report.")


class HealthJSON(BaseModel):
    status: str
    version: str
    listings: list[str] = Field(description="The collection listings this server offers (/api/NAME).")
    charts: bool = Field(description="Whether the chart library is installed with the page.")
    max_upload_bytes: int


class StatsJSON(BaseModel):
    model_config = ConfigDict(extra="forbid")

    db: str
    schema_version: int
    articles: int
    locations: int
    sentences: int
    passages: int
    outlets: int
    languages: dict[str, int] = Field(description="Articles by language code ('?' when unknown).")
    first_published: str | None
    last_published: str | None
    embedder: str | None
    bytes_on_disk: int


class SearchHitJSON(BaseModel):
    rank: int
    score: float
    article_id: str
    title: str
    outlet: str | None
    published: str | None
    language: str | None
    start: int = Field(description="Offset (in code points) of the passage in the article's text.")
    end: int
    text: str


class SearchJSON(BaseModel):
    query: str
    hits: list[SearchHitJSON]


class ReadErrorJSON(BaseModel):
    origin: str = Field(description="The file (as the client named it) or URL, with the line or entry.")
    reason: str


class IngestReportJSON(BaseModel):
    read: int
    added: int
    known: int = Field(description="Articles already in the index (same text), not added again.")
    failed: int
    added_ids: list[str]
    errors: list[ReadErrorJSON]


class JobStartedJSON(BaseModel):
    """202: the ingest runs in the background; poll `url`."""

    job: str
    url: str


class JobJSON(BaseModel):
    id: str
    kind: str = Field(description="files, jsonl or url.")
    state: str = Field(description="queued, running, done or failed.")
    inputs: int = Field(description="How many files or URLs were handed to this job.")
    documents: int = Field(description="Documents read so far (articles added, known or failed).")
    added: int
    known: int
    failed: int
    current: str | None = Field(description="The file being read now.")
    report: IngestReportJSON | None
    error: str | None
    seconds: float


class DeletedJSON(BaseModel):
    deleted: int = Field(description="How many articles were deleted.")


class WatchJSON(BaseModel):
    """A saved question and how much of what changed in its brief the reader has not seen."""

    id: int
    question: str
    webhook: str | None
    created: str
    changes: int = Field(description="Change records the watch has written.")
    unread: int = Field(description="Of those, the ones not marked read (ids above `read_through`).")
    read_through: int = Field(description="Every change of this watch with an id up to this one has been read.")


class WatchesJSON(BaseModel):
    watches: list[WatchJSON]


class WatchAddedJSON(WatchJSON):
    """201: the new watch; its brief now is its baseline, so it starts with no change."""

    secret: str | None = Field(description="With a webhook: the HMAC-SHA256 key of its signatures, shown only here.")


class ChangesJSON(BaseModel):
    changes: list[ChangeJSON] = Field(description="newsdesk.change/1 records, in the order recorded.")


class WatchRemovedJSON(BaseModel):
    deleted: int = Field(description="1: the watch and its change records were removed.")


class ReadJSON(BaseModel):
    watch: int
    read_through: int
    unread: int


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "model": ErrorJSON}


# The error answers every API endpoint may give (the guard's and the handlers'), for the spec.
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("Bad request: an invalid value, an empty question, malformed JSON, a wrong Host."),
    401: _error("The server has a token and the request did not carry it (Authorization: Bearer TOKEN)."),
    403: _error("A cross-site or cross-origin write was refused."),
    413: _error("The body is over the limit."),
    422: _error("A field is missing or of the wrong type; `errors` says which."),
    500: _error("An unexpected error; the server log has the details."),
    503: _error("The index cannot be used, or the worker answering stopped and is being replaced (the message says "
                "why; the latter may be retried)."),
    504: _error("The request took longer than the server's time limit (`serve --timeout`)."),
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: _error("Nothing with that id or name.")}
WRONG_TYPE: dict[int | str, dict[str, Any]] = {415: _error("The body's Content-Type is not one this endpoint reads.")}
