"""Request bodies and the date/outlet/language filters that several endpoints accept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

from newsdesk.model import Filters

MAX_QUESTION_CHARS = 2_000


class AskRequest(BaseModel):
    """A question and the filters that restrict which articles may answer it."""

    model_config = ConfigDict(extra="forbid")

    question: StrictStr = Field(max_length=MAX_QUESTION_CHARS, examples=["What does ISIS think of Pakistan?"])
    since: StrictStr | None = Field(None, description="Only articles published on or after this date (YYYY-MM-DD).")
    until: StrictStr | None = Field(None, description="Only articles published on or before this date (YYYY-MM-DD).")
    outlet: list[StrictStr] = Field(default_factory=list, description="Only these outlets (a string or a list).")
    lang: list[StrictStr] = Field(default_factory=list, description="Only these language codes (a string or a list).")

    @field_validator("outlet", "lang", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class FeedRequest(BaseModel):
    """A feed (RSS/Atom) or page URL for the server to fetch and ingest."""

    model_config = ConfigDict(extra="forbid")

    url: StrictStr = Field(max_length=2_000, examples=["https://www.example.org/feed.xml"])


class WatchRequest(BaseModel):
    """A question to keep watch on, and optionally a webhook to POST each change to (signed)."""

    model_config = ConfigDict(extra="forbid")

    question: StrictStr = Field(max_length=MAX_QUESTION_CHARS, examples=["How many died in the Kelton bombing?"])
    webhook: StrictStr | None = Field(None, max_length=2_000, description="An http(s) URL; each change is POSTed "
                                      "to it with an X-Newsdesk-Signature header (HMAC-SHA256).")


class ReadRequest(BaseModel):
    """Which of a watch's changes the reader has seen: those up to the change id `through` (default: all)."""

    model_config = ConfigDict(extra="forbid")

    through: int | None = Field(None, ge=0, description="The highest change id shown to the reader.")


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def require_json(request: Request) -> None:
    """A dependency: 415 unless the body is declared as JSON (a form post or text is not read as one)."""
    kind = _media_type(request)
    if kind != "application/json" and not kind.endswith("+json"):
        raise HTTPException(415, f"send the body as application/json, not {kind or 'without a Content-Type'}")


def require_multipart(request: Request) -> None:
    """A dependency: 415 unless the body is multipart/form-data (how files are uploaded)."""
    kind = _media_type(request)
    if kind != "multipart/form-data":
        raise HTTPException(415, f"upload files as multipart/form-data, not {kind or 'without a Content-Type'}")


def _day(value: str | None, name: str) -> str | None:
    from newsdesk.ingest.normalize import parse_date

    if value is None or not value.strip():
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise HTTPException(400, f"{name}: {value!r} is not a date (use YYYY-MM-DD)")
    return parsed[:10]


def filters_from(since: str | None, until: str | None, outlets: Sequence[str], languages: Sequence[str]) -> Filters:
    """Filters from request values; a bad date or an empty range is a 400 that says which."""
    start, end = _day(since, "since"), _day(until, "until")
    if start and end and start > end:
        raise HTTPException(400, f"since ({start}) is after until ({end})")
    return Filters(start, end, tuple(o.strip() for o in outlets if o.strip()),
                   tuple(lang.strip() for lang in languages if lang.strip()))
