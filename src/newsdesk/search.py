"""Hybrid retrieval: BM25 (FTS5) and dense passages, fused by reciprocal rank.

The question touches the index only: one FTS query, one matrix product over the
stored vectors, and a join for the short list. Reranking of sentences happens
in `answer.rank` on that short list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from newsdesk.analyze.aliases import AliasTable, load_aliases
from newsdesk.analyze.embedding import Embedder
from newsdesk.model import NO_FILTERS, Filters, Passage, PassageHit, Question, TermQuery
from newsdesk.store.base import Store

RRF_K = 60
# BM25 cannot see an article in another language than the question's: up to this many of those that the
# dense search places among its first OTHER_LANGUAGE_WITHIN articles join the short list besides the top ones.
OTHER_LANGUAGE_ARTICLES = 3
OTHER_LANGUAGE_WITHIN = 10
# Passages from the start of each top article always considered (news puts the facts first).
LEAD_PASSAGES = 2
# A question about now ("this week", "recently") also searches the days before its reference date: the
# best matches there join the fusion as a third list, so last week's report is not buried by older,
# wordier ones that BM25 prefers. The window is two weeks (a "this week" question asked on a Monday).
RECENT_DAYS = 14
RECENT_WEIGHT = 1.0
# For a question about now, an article published more than STALE_DAYS before the reference date keeps
# STALE_FACTOR of its fused score: it may give background, but cannot report this week's event, and old
# pages matching many of the question's words (transcripts, listicles) otherwise fill the short list.
# On RealTime QA dev, 60-90 days and factors 0.3-0.5 give the same scores; 30 or 180 days lose.
STALE_DAYS = 90
STALE_FACTOR = 0.5
# Passages BM25 returns before articles are ranked by their best three.
LEXICAL_DEPTH = 400


@dataclass(frozen=True)
class FusedHit:
    passage: Passage
    score: float  # fused reciprocal-rank score
    lexical_rank: int | None
    dense_rank: int | None
    dense_score: float | None


def term_query(question: Question, aliases: AliasTable | None = None) -> TermQuery:
    """What to search the full text for: any content word, name or known alias of one (the store quotes each)."""
    aliases = aliases or load_aliases()
    parts: dict[str, None] = {}
    for term in question.terms:
        parts.setdefault(_phrase(term), None)
    for name in question.all_names:
        # Short all-caps forms ("IS", "US") are ordinary words to a case-blind index: leave them out.
        if name.isupper() and len(name) <= 3:
            continue
        parts.setdefault(_phrase(name), None)
    for term in question.terms:
        for alias in aliases.names_for(term)[1:]:
            if not (alias.isupper() and len(alias) <= 3):
                parts.setdefault(_phrase(alias), None)
    return TermQuery(tuple(parts))


def _phrase(term: str) -> str:
    return term.replace('"', " ").strip()


def recent_window(filters: Filters, before: str | None) -> Filters | None:
    """`filters` narrowed to the RECENT_DAYS up to `before`, or None without a date or outside the filters."""
    if not before:
        return None
    try:
        end = date.fromisoformat(before[:10])
    except ValueError:
        return None
    start = (end - timedelta(days=RECENT_DAYS)).isoformat()
    since = max(filters.since, start) if filters.since else start
    until = min(filters.until, end.isoformat()) if filters.until else end.isoformat()
    return replace(filters, since=since, until=until) if since <= until else None


def _rank_articles_by_passages(hits: list[PassageHit]) -> dict[str, int]:
    """Articles ordered by their best three BM25 passages (1, 1/2, 1/4): one stray match ranks below a story."""
    per_article: dict[str, list[float]] = {}
    for hit in hits:
        per_article.setdefault(hit.passage.article_id, []).append(hit.score)
    score = {
        aid: sum(w * s for w, s in zip((1.0, 0.5, 0.25), sorted(scores, reverse=True), strict=False))
        for aid, scores in per_article.items()
    }
    return {aid: i for i, aid in enumerate(sorted(score, key=lambda a: (-score[a], a)))}


def days_before(reference: str | None, published: str | None) -> int | None:
    """Days from `published` to `reference` (ISO dates or timestamps); None when either is missing or unreadable."""
    if not reference or not published:
        return None
    try:
        return (date.fromisoformat(reference[:10]) - date.fromisoformat(published[:10])).days
    except ValueError:
        return None


def _demote_stale(article_score: dict[str, float], store: Store, reference: str, within: int) -> None:
    """For a question about now, an article from long before the reference date keeps STALE_FACTOR of its score."""
    contenders = sorted(article_score, key=lambda aid: (-article_score[aid], aid))[:within]
    for aid, published in store.published_dates(contenders).items():
        age = days_before(reference, published)
        if age is not None and age > STALE_DAYS:
            article_score[aid] *= STALE_FACTOR


def _other_language_articles(question: Question, store: Store, dense_rank: dict[str, int],
                             taken: set[str]) -> list[str]:
    """Articles found by meaning alone in a language other than the question's, best dense rank first."""
    language = question.language
    near = [aid for aid, rank in sorted(dense_rank.items(), key=lambda kv: kv[1])
            if rank < OTHER_LANGUAGE_WITHIN and aid not in taken]
    if not language or not near:
        return []
    found = store.articles(near)
    other = [aid for aid in near if aid in found and found[aid].language and found[aid].language != language]
    return other[:OTHER_LANGUAGE_ARTICLES]


def hybrid_search(
    question: Question,
    store: Store,
    embedder: Embedder,
    *,
    filters: Filters = NO_FILTERS,
    limit: int = 80,
    articles: int = 12,
    query_vector: np.ndarray | None = None,
    recent_before: str | None = None,
) -> list[FusedHit]:
    """Passages for `question`, best first.

    Articles are ranked by reciprocal-rank fusion of their best BM25 passage and
    their dense (title and lead) match; the passages returned are the BM25 hits
    inside the top `articles` articles plus each one's lead, so an article found
    only by meaning (another language, other words) still brings its text. With `recent_before` (an ISO
    date: the question asks about the days before it), the BM25 ranking of those days joins the fusion.
    `query_vector` is the question's embedding when the caller has it already.
    """
    expression = term_query(question)
    lexical = store.lexical_search(expression, LEXICAL_DEPTH, filters)
    if query_vector is None:
        query_vector = embedder.embed_queries([question.text])[0]
    dense = store.dense_search(query_vector, limit, filters)
    lexical_rank = _rank_articles_by_passages(lexical)
    window = recent_window(filters, recent_before)
    recent: list[PassageHit] = store.lexical_search(expression, LEXICAL_DEPTH, window) if window else []
    dense_rank: dict[str, int] = {}
    dense_score: dict[str, float] = {}
    for hit in dense:
        if hit.passage.article_id not in dense_rank:
            dense_rank[hit.passage.article_id] = len(dense_rank)
            dense_score[hit.passage.article_id] = hit.score
    article_score: dict[str, float] = {}
    # BM25 counts double: on RealTime QA dev it ranks the gold article higher than title-and-lead vectors do.
    for ranks, weight in ((lexical_rank, 2.0), (dense_rank, 1.0), (_rank_articles_by_passages(recent), RECENT_WEIGHT)):
        for aid, rank in ranks.items():
            article_score[aid] = article_score.get(aid, 0.0) + weight / (RRF_K + rank + 1)
    if window is not None and recent_before:
        _demote_stale(article_score, store, recent_before, articles * 3)
    top = sorted(article_score, key=lambda aid: (-article_score[aid], aid))[:articles]
    top += _other_language_articles(question, store, dense_rank, set(top))
    chosen = set(top)
    hits: dict[tuple[str, int], FusedHit] = {}
    # The recent days' BM25 list brings the passages of recent articles the whole-index list ranked too low.
    for rank, hit in [*enumerate(lexical), *enumerate(recent)]:
        aid = hit.passage.article_id
        if aid in chosen:
            key = (aid, hit.passage.index)
            # Within an article, BM25 order decides; across articles, the article's fused score.
            score = article_score[aid] + 0.5 / (RRF_K + rank + 1)
            if key not in hits:
                hits[key] = FusedHit(hit.passage, score, rank, dense_rank.get(aid), dense_score.get(aid))
    for passage in store.lead_passages(top, LEAD_PASSAGES):
        key = (passage.article_id, passage.index)
        if key not in hits:
            aid = passage.article_id
            hits[key] = FusedHit(passage, article_score[aid] + 0.25 / (RRF_K + 1 + passage.index), None,
                                 dense_rank.get(aid), dense_score.get(aid))
    ranked = sorted(hits.values(), key=lambda h: (-h.score, h.passage.article_id, h.passage.index))
    return ranked[:limit]
