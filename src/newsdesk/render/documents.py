"""The JSON documents newsdesk writes, as types: what render/ builds and docs/schema/ is generated from.

The parts (conflicts, relations, stories, sources) are the model's own types; this module adds the
shapes only the JSON has: a statement with its `conflict` mark, a timeline entry flattened with its
statement, and the documents around them. `plain()` of a document is the output, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsdesk.model import (
    OMIT_NONE,
    ActorEntry,
    Citation,
    ConflictEntry,
    RelationEvent,
    RelationsReport,
    Source,
    StancePart,
    StoryEntry,
)


@dataclass
class StatementJSON:
    """A verbatim quote: `text` is the stored article text at every citation (docs/SCHEMA.md, Statement)."""

    text: str
    citations: list[Citation]
    score: float
    also: list[StatementJSON]
    language: str | None
    conflict: int | None = field(default=None, metadata=OMIT_NONE)  # the id of the conflict it quotes
    # The probability that it answers the question (a learned ranker's); absent with the hand-set ranker.
    confidence: float | None = field(default=None, metadata=OMIT_NONE)
    # Which of several entities sharing the question's name it is about, in its article's words; absent otherwise.
    entity: str | None = field(default=None, metadata=OMIT_NONE)


@dataclass
class TimelineEntryJSON:
    """A timeline entry: when it happened and how that was found, then the statement's fields."""

    n: int
    date: str | None
    date_end: str | None
    precision: str
    basis: str
    expression: str | None
    published: str | None
    note: str | None
    differs: list[int]
    text: str
    citations: list[Citation]
    score: float
    also: list[StatementJSON]
    language: str | None


@dataclass
class BriefJSON:
    """`newsdesk ask --json`, POST /api/ask: newsdesk.brief/1."""

    schema: str
    question: str
    question_type: str
    answer: list[StatementJSON]
    evidence: list[StatementJSON]
    sources: list[Source]
    conflicts: list[ConflictEntry]
    relations: list[StancePart | RelationEvent]
    notes: list[str]
    stories: list[StoryEntry]
    timeline: list[TimelineEntryJSON]


@dataclass
class ConflictsJSON:
    """`newsdesk conflicts --json`: newsdesk.conflicts/1."""

    schema: str
    query: str | None
    articles_searched: int
    conflicts: list[ConflictEntry]
    sources: list[Source]


@dataclass
class TimelineJSON:
    """`newsdesk timeline --json`, GET /api/timeline: newsdesk.timeline/1."""

    schema: str
    query: str
    entries: list[TimelineEntryJSON]
    sources: list[Source]
    notes: list[str]


@dataclass
class ArticleJSON:
    """`newsdesk show --json`, GET /api/articles/{id}: `text` is what citations index into."""

    id: str
    title: str
    outlet: str | None
    published: str | None
    language: str | None
    author: str | None
    url: str | None
    path: str | None
    locations: list[dict[str, str | None]]
    metadata: dict[str, Any]
    text: str


@dataclass
class ChangeJSON:
    """What is new in a watched question's brief: newsdesk.change/1 (`watch changes --json`, webhooks).

    `kind` names the one part present: a `statement` (verbatim, cited), a `source`, a `conflict` (the
    figures and the sources on each side) or a `stance`; `sources` are those its citations number.
    """

    schema: str
    id: int  # numbered in the order recorded; with `watch`, the idempotency key of its webhook delivery
    watch: int
    recorded: str  # when it was recorded (UTC, ISO 8601)
    question: str
    kind: str  # statement, source, conflict, stance
    status: str  # new, or changed (a disagreement or stance the watch reported before, now different)
    sources: list[Source]
    statement: StatementJSON | None = field(default=None, metadata=OMIT_NONE)
    source: Source | None = field(default=None, metadata=OMIT_NONE)
    conflict: ConflictEntry | None = field(default=None, metadata=OMIT_NONE)
    stance: StancePart | None = field(default=None, metadata=OMIT_NONE)


# The JSON outputs with a generated schema (docs/schema/NAME.json), by file name.
DOCUMENTS: dict[str, Any] = {
    "brief": BriefJSON,
    "conflicts": ConflictsJSON,
    "timeline": TimelineJSON,
    "story": StoryEntry,
    "relations": RelationsReport,
    "actors": list[ActorEntry],
    "article": ArticleJSON,
    "change": ChangeJSON,
}
