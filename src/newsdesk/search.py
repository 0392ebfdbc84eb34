"""Hybrid retrieval: BM25 (FTS5) and dense passages, fused by reciprocal rank.

The question touches the index only: one FTS query, one matrix product over the
stored vectors, and a join for the short list. Reranking of sentences happens
in `answer.rank` on that short list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsdesk.analyze.aliases import AliasTable, load_aliases
from newsdesk.analyze.embedding import Embedder
from newsdesk.analyze.terms import content_terms
from newsdesk.model import NO_FILTERS, Filters, Passage
from newsdesk.store.base import Store

RRF_K = 60


@dataclass(frozen=True)
class FusedHit:
    passage: Passage
    score: float  # fused reciprocal-rank score
    lexical_rank: int | None
    dense_rank: int | None
    dense_score: float | None


def fts_query(text: str, aliases: AliasTable | None = None, extra_names: tuple[str, ...] = ()) -> str:
    """An FTS5 expression: any content word or known alias of a name, each quoted (no operator injection)."""
    aliases = aliases or load_aliases()
    parts: dict[str, None] = {}
    for term in content_terms(text):
        parts.setdefault(_quote(term), None)
    for name in extra_names:
        # Short all-caps forms ("IS", "US") are ordinary words to a case-blind index: leave them out.
        if name.isupper() and len(name) <= 3:
            continue
        parts.setdefault(_quote(name), None)
    for term in list(content_terms(text)):
        for alias in aliases.names_for(term)[1:]:
            if not (alias.isupper() and len(alias) <= 3):
                parts.setdefault(_quote(alias), None)
    return " OR ".join(parts)


def _quote(term: str) -> str:
    return '"' + term.replace('"', " ").strip() + '"'


def hybrid_search(
    question: str,
    store: Store,
    embedder: Embedder,
    *,
    filters: Filters = NO_FILTERS,
    limit: int = 40,
    extra_names: tuple[str, ...] = (),
    query_vector: np.ndarray | None = None,
) -> list[FusedHit]:
    """Passages for `question`, best first, from both retrievers fused by reciprocal rank."""
    lexical = store.lexical_search(fts_query(question, extra_names=extra_names), limit, filters)
    if query_vector is None:
        query_vector = embedder.embed_queries([question])[0]
    dense = store.dense_search(query_vector, limit, filters)
    fused: dict[tuple[str, int], dict] = {}
    for rank, hit in enumerate(lexical):
        key = (hit.passage.article_id, hit.passage.index)
        entry = fused.setdefault(key, {"passage": hit.passage, "score": 0.0, "lex": None, "dense": None, "ds": None})
        entry["score"] += 1.0 / (RRF_K + rank + 1)
        entry["lex"] = rank
    for rank, hit in enumerate(dense):
        key = (hit.passage.article_id, hit.passage.index)
        entry = fused.setdefault(key, {"passage": hit.passage, "score": 0.0, "lex": None, "dense": None, "ds": None})
        entry["score"] += 1.0 / (RRF_K + rank + 1)
        entry["dense"] = rank
        entry["ds"] = hit.score
    hits = [FusedHit(e["passage"], e["score"], e["lex"], e["dense"], e["ds"]) for e in fused.values()]
    hits.sort(key=lambda h: (-h.score, h.passage.article_id, h.passage.index))
    return hits[:limit]
