"""The plain dataclasses every stage shares.

Stages are functions from one of these to another; nothing here knows about
storage, models or rendering, so every stage can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawDocument:
    """What a reader yields: text or HTML plus whatever metadata the format carries.

    `origin` names where it came from (a path, a URL, `path:line 3`, `path#record 2`)
    so that every later error message can point at it.
    """

    origin: str
    format: str  # "text", "html", "jsonl", "feed", "warc"
    text: str | None = None
    html: str | None = None
    url: str | None = None
    path: str | None = None
    title: str | None = None
    published: str | None = None  # as the source wrote it; normalize parses it
    outlet: str | None = None
    language: str | None = None
    author: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadError:
    """A document (or a whole file) that could not be read, and why."""

    origin: str
    reason: str


@dataclass(frozen=True)
class Location:
    """One place an article was seen: a URL and/or a file path."""

    url: str | None = None
    path: str | None = None


@dataclass
class Article:
    """A normalized article. `id` is derived from the text alone (content address)."""

    id: str
    text: str
    title: str
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    language: str | None = None
    author: str | None = None
    url: str | None = None
    path: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    locations: list[Location] = field(default_factory=list)


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article, by character offsets into the stored text."""

    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A window of neighbouring sentences: the unit of dense retrieval and BM25."""

    article_id: str
    index: int
    first_sentence: int
    last_sentence: int
    start: int
    end: int
    text: str


@dataclass
class AnalyzedArticle:
    """An article with everything the store keeps about it."""

    article: Article
    sentences: list[Sentence]
    passages: list[Passage]
    # numpy array (float32, L2-normalised), one row for each of the first len(vectors) passages: by default
    # only the lead is embedded at ingest (see ingest.pipeline), the rest are found by BM25.
    vectors: Any


@dataclass(frozen=True)
class Filters:
    """Restrictions a user puts on retrieval."""

    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class PassageHit:
    """A passage found by one retriever, with that retriever's score."""

    passage: Passage
    score: float


@dataclass(frozen=True)
class Citation:
    source: int  # the number of the source in the brief's source list
    article_id: str
    start: int
    end: int


@dataclass
class Statement:
    """A verbatim span of one or more sources: `text == article.text[start:end]` for every citation."""

    text: str
    citations: list[Citation]
    score: float = 0.0
    # Other sources saying the same in their own words, each verbatim with its own citation.
    also: list[Statement] = field(default_factory=list)


@dataclass
class Source:
    n: int
    article_id: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    path: str | None
    language: str | None


@dataclass
class Brief:
    """The answer to a question. See docs/SCHEMA.md for its JSON form (newsdesk.brief/1)."""

    question: str
    answer: list[Statement]
    evidence: list[Statement]
    sources: list[Source]
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    question_type: str = "open"
    schema: str = "newsdesk.brief/1"


@dataclass
class IngestReport:
    """The closing summary of an ingest run."""

    read: int = 0
    added: int = 0
    known: int = 0
    failed: int = 0
    errors: list[ReadError] = field(default_factory=list)
    added_ids: list[str] = field(default_factory=list)


NO_FILTERS = Filters()
