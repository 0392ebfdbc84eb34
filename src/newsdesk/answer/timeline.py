"""The timeline: sentences that report an event, dated by what they say, merged across sources, in order.

Event dates are resolved at question time on the retrieved sentences only (a few hundred, about
0.1 ms each: see bench/timeline_cost.py) rather than stored at ingest: the resolver can improve
without re-ingesting, an article's date expressions are needed only when a question reaches it,
and ingest stays as fast as it is.

Same event, same date, several sources: one entry with all their citations (identical words) or
with the others under `also` (the same meaning in other words). Same event, different dates: two
entries that point at each other through `differs`, so the disagreement is visible, never merged.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from newsdesk.analyze.embedding import Embedder
from newsdesk.analyze.event_dates import DateExpression, find_dates
from newsdesk.analyze.question import name_matchers
from newsdesk.answer.rank import collect_sentences
from newsdesk.model import (
    NO_FILTERS,
    Article,
    Brief,
    Citation,
    Claim,
    Filters,
    Question,
    Sentence,
    Source,
    Statement,
    Timeline,
    TimelineEntry,
)
from newsdesk.search import hybrid_search
from newsdesk.store.base import Store

# How many articles a timeline reads (a brief reads 12): a sequence spans several days of reports.
TIMELINE_ARTICLES = 30
# Event sentences embedded per query (2-9 ms each on a busy 2-core machine), best placed first.
MAX_CANDIDATES = 100
# Entries kept, and how close to the query a sentence must be (use-multilingual-v3 cosine).
MAX_ENTRIES = 30
# Entries one article may give: a timeline shows several sources (and one photo gallery's captions don't fill it).
MAX_PER_ARTICLE = 6
MIN_RELEVANCE = 0.25
STORY_WINDOW = 2
# Two sentences report one event (one entry when on the same date; a disagreement when not).
SAME_EVENT = 0.8
# The same across languages (use-multilingual-v3: a report and its German, French or Chinese counterpart
# 0.77-0.9; two events of one day 0.37): with the same date and figures, one entry.
SAME_EVENT_ACROSS_LANGUAGES = 0.72
DIFFERENT_DATE_SAME_EVENT = 0.8  # measured: same report, other day 0.93; related reports 0.74-0.76
_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class _Item:
    sentence: Sentence
    article: Article
    vector: np.ndarray
    relevance: float
    date: DateExpression | None  # the expression that dates it (None: only the publication date)
    spans: list[tuple[str, int, int]] = field(default_factory=list)
    also: list[_Item] = field(default_factory=list)
    dates: list[DateExpression] = field(default_factory=list)  # every date expression of the sentence

    @property
    def basis(self) -> str:
        if self.date is None:
            return "published" if self.article.published else "unresolved"
        if not self.date.resolved:
            return "unresolved"
        return "relative" if self.date.relative else "stated"

    @property
    def when(self) -> tuple[str | None, str | None]:
        if self.date is not None:
            return self.date.low, self.date.high
        day = self.article.published[:10] if self.article.published else None
        return day, day


def _event_date(dates: list[DateExpression], event_days: Collection[int] = ()) -> DateExpression | None:
    """The expression that dates the sentence's event.

    A day the claims tie to the event's verb ("the fire started on Tuesday", analyze/claims/times.py) comes
    first, over a reporting date ("officials said Wednesday"); then the most precise resolved one, first
    in the text on a tie.
    """
    resolved = [d for d in dates if d.resolved]
    if resolved:
        return min(resolved, key=lambda d: (d.start not in event_days, _PRECISION_ORDER.get(d.precision, 9), d.start))
    return dates[0] if dates else None


def _numbers(item: _Item) -> list[str]:
    """The figures of a sentence other than its date ("12 injured on March 3" -> ["12"])."""
    text = item.sentence.text
    for d in sorted(item.dates, key=lambda d: -d.start):
        text = text[: d.start] + " " + text[d.end :]
    return sorted(_NUMBER.findall(text))


@dataclass(frozen=True)
class EventSentence:
    """A retrieved sentence that reports an event, with its date expressions and the one dating the event."""

    sentence: Sentence
    prior: float  # its passage's retrieval score, normalised (answer.rank.collect_sentences)
    dates: list[DateExpression]
    event: DateExpression | None


def event_sentences(
    pool: list[tuple[Sentence, float]], articles: dict[str, Article], claims: list[Claim],
) -> list[EventSentence]:
    """The sentences that report an event: a date expression, or a claim (a count, who did it, a time, a day)."""
    claimed = {(c.article_id, c.sentence_index) for c in claims}
    event_days: dict[tuple[str, int], set[int]] = {}
    for c in claims:
        if c.kind == "date":
            event_days.setdefault((c.article_id, c.sentence_index), set()).add(c.value_start - c.start)
    out = []
    for sentence, prior in pool:
        text = sentence.text
        if not 20 <= len(text) <= 700 or text.rstrip(" \"'”’)»").endswith("?"):
            continue
        article = articles[sentence.article_id]
        dates = find_dates(text, article.language, article.published)
        key = (sentence.article_id, sentence.index)
        if dates or key in claimed:
            out.append(EventSentence(sentence, prior, dates, _event_date(dates, event_days.get(key, ()))))
    return out


def _merge(items: list[_Item]) -> list[_Item]:
    """Reports of one event on one date become one item: identical words add citations, paraphrases `also`."""
    merged: list[_Item] = []
    for item in sorted(items, key=lambda i: -i.relevance):
        for kept in merged:
            if kept.when != item.when:
                continue
            cited = {aid for aid, _, _ in kept.spans} | {a.sentence.article_id for a in kept.also}
            if item.sentence.text == kept.sentence.text:
                if item.sentence.article_id not in cited:
                    kept.spans += item.spans
                break
            same = SAME_EVENT if kept.article.language == item.article.language else SAME_EVENT_ACROSS_LANGUAGES
            if float(kept.vector @ item.vector) >= same and _numbers(kept) == _numbers(item):
                if item.sentence.article_id not in cited:
                    kept.also.append(item)
                break
        else:
            merged.append(item)
    return merged


def _per_article(items: list[_Item]) -> list[_Item]:
    """The most relevant items, at most MAX_PER_ARTICLE led by one article."""
    count: dict[str, int] = {}
    kept = []
    for item in items:
        aid = item.sentence.article_id
        if count.get(aid, 0) < MAX_PER_ARTICLE:
            count[aid] = count.get(aid, 0) + 1
            kept.append(item)
    return kept


def _sort_key(item: _Item) -> tuple:
    """By the last day the event can have happened ("last week" on the day before the report, "this year" on
    its day); on one day, a stated day before a publication date and both before a longer span."""
    _, high = item.when
    span = _PRECISION_ORDER.get(item.date.precision, 9) if item.date and item.date.resolved else 0.5
    return (high is None, high or "", span, item.article.published or "",
            item.sentence.article_id, item.sentence.start)


def build_timeline(
    query: str,
    candidates: list[EventSentence],
    articles: dict[str, Article],
    embedder: Embedder,
    query_vector: np.ndarray,
    *,
    max_entries: int = MAX_ENTRIES,
    named: set[tuple[str, int]] | None = None,
) -> Timeline:
    """Entries from candidate event sentences: relevant ones, merged across sources, in event-date order.

    `named` (article id, sentence index): the sentences naming what the query names; when given, an entry
    must be one of them or near one (an unrelated item of a news digest is not part of the story).
    """
    if named is not None:  # before embedding, which is most of a timeline's time
        candidates = [c for c in candidates if any((c.sentence.article_id, c.sentence.index + d) in named
                                                   for d in range(-STORY_WINDOW, STORY_WINDOW + 1))]
    candidates = sorted(candidates, key=lambda c: -c.prior)[:MAX_CANDIDATES]
    if not candidates:
        return Timeline(query, [], [], notes=["No sentence of the articles found reports a dated event."])
    vectors = embedder.embed_passages([c.sentence.text for c in candidates])
    cosine = vectors @ query_vector
    # A sentence that goes on with a story about the query belongs to it without repeating its words ("Rescue
    # teams evacuated 400 residents on Tuesday"): half of its relevance is the best of its neighbours (two
    # sentences either way), not of the whole article, so a digest of unrelated news lends nothing.
    by_place = {(c.sentence.article_id, c.sentence.index): float(cosine[row]) for row, c in enumerate(candidates)}
    items = []
    for row, candidate in enumerate(candidates):
        sentence = candidate.sentence
        nearby = max(by_place.get((sentence.article_id, sentence.index + d), -1.0) for d in range(-STORY_WINDOW,
                                                                                                 STORY_WINDOW + 1))
        relevance = 0.5 * float(cosine[row]) + 0.5 * nearby
        if relevance < MIN_RELEVANCE:
            continue
        items.append(_Item(sentence, articles[sentence.article_id], vectors[row], relevance,
                           candidate.event, [(sentence.article_id, sentence.start, sentence.end)],
                           dates=candidate.dates))
    items = _per_article(sorted(_merge(items), key=lambda i: -i.relevance))[:max_entries]
    items.sort(key=_sort_key)
    return _entries(query, items, articles)


def _entries(query: str, items: list[_Item], articles: dict[str, Article]) -> Timeline:
    sources: dict[str, int] = {}
    for item in items:
        for aid in [a for a, _, _ in item.spans] + [a.sentence.article_id for a in item.also]:
            sources.setdefault(aid, len(sources) + 1)

    def cite(text: str, aid: str, start: int, end: int) -> Citation:
        if articles[aid].text[start:end] != text:  # the invariant, checked on every timeline
            raise AssertionError(f"citation {aid}[{start}:{end}] does not match its quoted text")
        return Citation(sources[aid], aid, start, end)

    entries = []
    for n, item in enumerate(items, 1):
        text = item.sentence.text
        also = [Statement(a.sentence.text, [cite(a.sentence.text, *a.spans[0])], round(a.relevance, 4))
                for a in item.also]
        statement = Statement(text, [cite(text, *span) for span in item.spans], round(item.relevance, 4), also)
        low, high = item.when
        basis = item.basis
        note = None
        if basis == "published":
            note = "no date in the sentence: the publication date"
        elif basis == "unresolved":
            note = item.date.note if item.date else "the sentence gives no date and the article is undated"
        precision = item.date.precision if item.date and item.date.resolved else ("day" if low else "")
        entries.append(TimelineEntry(n, low, high, precision, basis, item.date.text if item.date else None,
                                     statement, item.article.published, note))
    _mark_differences(items, entries)
    source_list = []
    for aid, n in sources.items():
        art = articles[aid]
        source_list.append(Source(n, aid, art.title, art.outlet, art.published, art.url, art.path, art.language))
    notes = []
    if any(e.differs for e in entries):
        notes.append("Sources give different dates for the same event: see the entries marked as differing.")
    return Timeline(query, entries, source_list, notes)


def _mark_differences(items: list[_Item], entries: list[TimelineEntry]) -> None:
    """Entries of other sources that say the same with a different stated or relative date point at each other."""
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if a.date is None or b.date is None or not (a.date.resolved and b.date.resolved):
                continue
            if a.when == b.when or a.sentence.article_id == b.sentence.article_id:
                continue
            overlap = a.date.overlaps(b.date)  # "last week" holds "on Tuesday"
            if overlap or float(a.vector @ b.vector) < DIFFERENT_DATE_SAME_EVENT or _numbers(a) != _numbers(b):
                continue
            entries[i].differs.append(entries[j].n)
            entries[j].differs.append(entries[i].n)


def timeline_for(
    question: Question,
    store: Store,
    embedder: Embedder,
    filters: Filters = NO_FILTERS,
    *,
    also_articles: tuple[str, ...] = (),
    query_vector: np.ndarray | None = None,
    max_entries: int = MAX_ENTRIES,
) -> Timeline:
    """Retrieve more articles than a brief does and order their dated events; `also_articles` are read too."""
    if query_vector is None:
        query_vector = embedder.embed_queries([question.text])[0]
    hits = hybrid_search(question, store, embedder, filters=filters, limit=TIMELINE_ARTICLES * 8,
                         articles=TIMELINE_ARTICLES, query_vector=query_vector)
    pool = collect_sentences(hits, store)
    seen = {(s.article_id, s.index) for s, _ in pool}
    for aid in also_articles:
        pool += [(s, 0.5) for s in store.sentences(aid) if (aid, s.index) not in seen]
    ids = list(dict.fromkeys(s.article_id for s, _ in pool))
    articles = store.articles(ids)
    candidates = event_sentences(pool, articles, store.claims(ids))
    named = None
    if question.names:
        patterns = name_matchers(question).names
        named = {(s.article_id, s.index) for s, _ in pool if any(p.search(s.text) for p in patterns)}
    return build_timeline(question.text, candidates, articles, embedder, query_vector, max_entries=max_entries,
                          named=named)


def attach_timeline(brief: Brief, timeline: Timeline) -> None:
    """Put a timeline into a brief, renumbering its citations to the brief's sources (adding those missing)."""
    numbers = {s.article_id: s.n for s in brief.sources}
    for source in timeline.sources:
        if source.article_id not in numbers:
            numbers[source.article_id] = len(brief.sources) + 1
            brief.sources.append(Source(numbers[source.article_id], source.article_id, source.title, source.outlet,
                                        source.published, source.url, source.path, source.language))

    def renumber(statement: Statement) -> Statement:
        return Statement(statement.text, [Citation(numbers[c.article_id], c.article_id, c.start, c.end)
                                          for c in statement.citations], statement.score,
                         [renumber(a) for a in statement.also])

    for entry in timeline.entries:
        entry.statement = renumber(entry.statement)
    brief.timeline = timeline.entries
