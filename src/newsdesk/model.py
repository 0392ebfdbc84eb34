"""The plain dataclasses every stage shares.

Stages are functions from one of these to another; nothing here knows about
storage, models or rendering, so every stage can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


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
    claims: list[Claim] = field(default_factory=list)  # see analyze.claims
    mentions: list[Mention] = field(default_factory=list)  # see analyze.actors
    relations: list[Relation] = field(default_factory=list)  # see analyze.relations


@dataclass(frozen=True)
class Filters:
    """Restrictions a user puts on retrieval."""

    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class TermQuery:
    """A full-text search: passages holding any of these phrases (words in this order), best BM25-like score first.

    Search says what to find; each store compiles it to its own engine's syntax (FTS5 MATCH, a tsquery),
    quoting every phrase itself, so no text of a question ever becomes query syntax.
    """

    terms: tuple[str, ...]


@dataclass(frozen=True)
class QuestionPart:
    """One part of a question that names several sources, things or times ("Did both A and B report ...?").

    `name` is the part as the question says it ("the Valley Wire", "the Carrow pit collapse"); `rest` what is
    asked of it ("report the Kessler Mills silo explosion", empty when the part is the whole of it); `time`
    the time the question gives for it ("March"), if any.
    """

    name: str
    rest: str = ""
    time: str | None = None


@dataclass(frozen=True)
class Question:
    """A question analysed once (analyze/question.py): every later stage reads this, never the text again."""

    text: str  # whitespace-normalised
    kind: str  # stance, how_many, sequence, when, where, who, why, yes_no, what, open
    terms: tuple[str, ...]  # content words, lower-cased
    actor: tuple[str, ...] = ()  # stance: all names of X
    target: tuple[str, ...] = ()  # stance: all names of Y
    names: tuple[tuple[str, ...], ...] = field(default_factory=tuple)  # every named thing, with its aliases
    language: str | None = None  # ISO 639-1, detected; quotes in other languages are marked with theirs
    answer_noun: str | None = None  # "which show ...?": "show" (answer/context.py)
    about_now: bool = False  # "this week", "recently": retrieval and ranking prefer the latest days
    parts: tuple[QuestionPart, ...] = ()  # a comparison or conjunction: each part is looked for and cited apart

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every name the question uses, aliases included, stance actor and target last: what search adds."""
        return tuple(n for group in self.names for n in group) + self.actor + self.target


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
    # The quote's language (ISO 639-1) when it differs from the question's; None when the same or unknown.
    language: str | None = None
    # The probability that it answers the question (a learned ranker's, answer/ranker.py); None with the hand-set one.
    confidence: float | None = None
    # When one name covers several entities (two towns called Springfield): the words of the cited article that
    # tell this one apart ("Springfield, Illinois"), verbatim from it; None when the name is not shared.
    entity: str | None = None


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
    # Near-duplicate copies of this source cited under the same number: [{article_id, outlet, url, published}].
    copies: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Brief:
    """The answer to a question. See docs/SCHEMA.md for its JSON form (newsdesk.brief/1)."""

    question: str
    answer: list[Statement]
    evidence: list[Statement]
    sources: list[Source]
    conflicts: list[ConflictEntry] = field(default_factory=list)
    relations: list[StancePart | RelationEvent] = field(default_factory=list)  # a stance, then its events
    notes: list[str] = field(default_factory=list)
    question_type: str = "open"
    schema: str = "newsdesk.brief/1"
    timeline: list[TimelineEntry] = field(default_factory=list)  # sequence questions (answer/timeline.py)
    stories: list[StoryEntry] = field(default_factory=list)  # the stories its sources belong to


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


@dataclass
class Story:
    """Reports of one event across outlets and languages, grown as articles arrive (ingest.stories)."""

    id: int
    label: str  # the most central headline: the member whose lead is closest to the story's centroid
    label_article: str
    first_published: str | None
    last_published: str | None
    articles: int
    sources: int  # copy groups: syndicated copies of one text count once
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)  # the actors most of its articles mention
    article_ids: list[str] = field(default_factory=list)


# --- claims: what sources assert, for "where sources disagree" (analyze.claims, answer.conflicts) ------------


@dataclass(frozen=True)
class Claim:
    """One checkable assertion of a sentence: a count, who is responsible, or when it happened.

    `start`/`end` are the sentence's offsets (what a citation quotes); `value_start`/`value_end`
    the value as written ("at least 61"). Counts carry an interval (`low`..`high`) so that
    "at least 61" and "61" can be told compatible and "60" and "61" different.
    """

    article_id: str
    sentence_index: int
    start: int
    end: int
    kind: str  # "count", "responsibility", "time", "date"
    attribute: str  # killed, injured, ..., "amount:<topic>", "responsibility", "time", "date"
    value: str  # normalised: "61", "Islamic State", "none", "undetermined", "21:30", "10-24"
    qualifier: str = "exact"  # exact, lower, upper, approximate, range, vague
    low: float | None = None
    high: float | None = None
    value_start: int = 0
    value_end: int = 0
    polarity: str = "affirmed"  # affirmed, negated ("no group has claimed"), denied
    speaker: str | None = None  # who the sentence says said it ("government officials", "according to ...")
    detail: str | None = None  # a modifier: "seriously", "claimed", "blamed", "accused", "risen"
    group: str | None = None  # what exactly is counted when not people in general ("workers", "USD")
    anchor: str | None = None  # a time marker putting it on another, earlier event ("in august")
    earlier: bool = False  # given as a replaced figure ("a lower toll of four dead earlier")


# --- actors and relations: who did or said what to whom (analyze.actors, analyze.relations, answer.stance) --------


@dataclass(frozen=True)
class Mention:
    """A span of an article that names or refers to an actor, resolved to the actor's canonical name.

    `start`/`end` index the article text; `part` says which part of the actor is meant ("police",
    "Khorasan Province faction") so that "Pakistani authorities" and "Pakistan's police" are both Pakistan.
    """

    article_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    actor: str  # canonical name: "Islamic State", "Pakistan", "Halvard Chemicals"
    kind: str  # state, armed_group, organization, agency, media, party, company, union, person, group
    part: str | None = None
    how: str = "name"  # name, alias, acronym, demonym, capital, institution, reference, ner, noun


@dataclass(frozen=True)
class Relation:
    """Who did or said what to whom, from one sentence: an event-coding record that cites its sentence.

    `start`/`end` are the sentence's offsets (what a citation quotes). `speaker` is set when the sentence
    reports someone else's account ("officials said X attacked Y" is the officials' claim, not a fact);
    `anchor` names another, earlier event than the article's main one ("august") so events stay apart.
    """

    article_id: str
    sentence_index: int
    start: int
    end: int
    source: str
    target: str
    action: str  # attack, claim_responsibility, threaten, accuse, condemn, criticize, demand, deny, ...
    polarity: float  # -1 hostile .. +1 friendly
    mode: str  # "action" or "statement"
    source_part: str | None = None
    target_part: str | None = None
    speaker: str | None = None  # the actor whose account this is, when not the source's own act or words
    speaker_text: str | None = None  # the speaker as written ("a senior security official")
    negated: bool = False
    anchor: str | None = None
    trigger_start: int = 0
    trigger_end: int = 0


# --- timeline: events and claims in the order they happened (analyze.event_dates, answer.timeline) -------------


@dataclass
class TimelineEntry:
    """One event on a timeline: a quoted statement (all sources reporting it) and when it happened.

    `basis` says where the date comes from: "stated" (a full date in the text), "relative" ("on Tuesday",
    "yesterday", "March 3" read against the publication date), "published" (no date in the sentence: only
    the article's publication date) or "unresolved" (a relative date in an undated article: `date` is None).
    `differs` lists the numbers of entries that report the same event on another date.
    """

    n: int
    date: str | None  # ISO day: the first day it may have happened
    date_end: str | None  # the last day (equal to `date` for a day; the end of a week or month)
    precision: str  # day, week, month, year; "" when there is no date
    basis: str  # stated, relative, published, unresolved
    expression: str | None  # the words that date it, as written ("on Tuesday" -> "Tuesday")
    statement: Statement
    published: str | None = None  # publication date of the first source
    note: str | None = None
    differs: list[int] = field(default_factory=list)


@dataclass
class Timeline:
    """`newsdesk timeline QUERY`: entries in event-date order, with the numbered sources they cite."""

    query: str
    entries: list[TimelineEntry]
    sources: list[Source]
    notes: list[str] = field(default_factory=list)
    schema: str = "newsdesk.timeline/1"


# --- the parts of the JSON outputs (render/ turns them into JSON, in field order; docs/SCHEMA.md) --------------
# A field whose metadata says `omit_none` is left out of the JSON when None rather than written as null.

OMIT_NONE = {"omit_none": True}


@dataclass
class ConflictVersion:
    """One source's version of a disputed fact, quoted verbatim at every citation."""

    value: str  # normalised: "61", "Islamic State", "none"
    qualifier: str  # exact, lower, upper, approximate, range, vague
    polarity: str  # affirmed, negated, denied
    phrase: str  # the value as written ("at least 61")
    text: str
    citations: list[Citation]
    outlet: str | None
    published: str | None
    speaker: str | None
    detail: str | None
    superseded: bool


@dataclass
class ConflictEntry:
    """A disputed attribute of one event (`conflicts` of a brief and of newsdesk.conflicts/1)."""

    id: int
    attribute: str
    event: str
    classification: str  # differ, contradict, superseded
    versions: list[ConflictVersion]
    note: str | None = field(default=None, metadata=OMIT_NONE)


@dataclass
class StoryEntry:
    """A story as a brief names it (with `cited_sources`) and as `newsdesk stories --json` prints it (without)."""

    id: int
    label: str
    label_article: str
    first_published: str | None
    last_published: str | None
    articles: int
    sources: int
    outlets: list[str]
    languages: list[str]
    actors: list[str]
    cited_sources: list[int] | None = field(default=None, metadata=OMIT_NONE)


@dataclass(kw_only=True)
class StancePart:
    """How X stands towards Y, from X's own events towards Y (answer.stance)."""

    kind: Literal["stance"] = "stance"
    source_actor: str
    target_actor: str
    label: str
    tone: str
    polarity: float
    summary: str
    counts: dict[str, int]
    hostile: int
    friendly: int
    attributed: int
    own_statements: int
    sources: int
    note: str | None
    # The balance in words ("hostile, with 2 friendly acts"), and what it rests on: X's own events by tone,
    # acts apart from statements.
    balance: str = ""
    neutral: int = 0
    actions: dict[str, int] = field(default_factory=dict)  # {"hostile": n, "friendly": n, "neutral": n}
    statements: dict[str, int] = field(default_factory=dict)
    trend: StanceTrend | None = None  # the last 30 days against before, when the events span both
    outlets: list[OutletStance] = field(default_factory=list)  # per outlet, only when outlets differ


@dataclass
class StanceTrend:
    """X's events towards Y in the last `days` days up to `until` against those before (answer.stance)."""

    days: int
    until: str
    recent: str  # the balance of the recent events ("hostile, with 1 friendly act")
    before: str
    recent_hostile: int
    recent_friendly: int
    before_hostile: int
    before_friendly: int
    direction: str  # "more hostile", "more friendly", "unchanged"


@dataclass
class OutletStance:
    """How one outlet reports X's events towards Y, when outlets report the relation differently."""

    outlet: str
    balance: str
    hostile: int
    friendly: int
    neutral: int


@dataclass
class RelationCitation:
    """A citation of a relation: the sentence quoted, and where its trigger word is."""

    source: int
    article_id: str
    start: int
    end: int
    text: str
    trigger_start: int
    trigger_end: int


@dataclass(kw_only=True)
class RelationEvent:
    """One event between two actors, counted once however many sentences and outlets report it."""

    kind: Literal["event"] = "event"
    event: int
    direction: str  # forward, backward, other_account
    source_actor: str
    source_part: str | None
    target_actor: str
    target_part: str | None
    action: str
    mode: str
    polarity: float
    tone: str
    attributed: bool
    speaker: str | None
    speaker_text: str | None
    negated: bool
    anchor: str | None
    dates: list[str]
    trigger: str
    citations: list[RelationCitation]


@dataclass
class RelationsReport:
    """`newsdesk relations X [Y]`: X's events (with Y, or anyone) in date order; with Y the stance both ways."""

    actor: str
    other: str | None
    actors: list[str]
    others: list[str]
    stance: list[StancePart]
    events: list[RelationEvent]
    sources: list[Source]
    note: str | None


@dataclass
class ActorEntry:
    """`newsdesk actors`: an actor with its names as written and its parts, by mention count."""

    actor: str
    kind: str
    mentions: int
    articles: int
    names: dict[str, int]
    parts: dict[str, int]
    relations: int
