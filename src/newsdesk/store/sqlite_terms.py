"""Which phrases of a question select SQLite's full-text candidates, and which only score them or are left out.

FTS5's `bm25()` ranks every row its MATCH expression returns before `ORDER BY rank LIMIT` keeps the
best, and counts each phrase's matches over the whole table for its IDF: at 100 k articles (3 M
passages) a question's common words ("new", "week") match hundreds of thousands of passages, and
ranking them was most of an `ask` (docs/SCALING.md). BM25 gives such words little weight, so, as in
max-score pruning and as the PostgreSQL store does (postgres_terms.py), the candidates are the
passages matching the rarer phrases, added rarest first while their matches stay within
CANDIDATE_BUDGET.

How many passages a phrase matches is counted by FTS5 itself, stopping at a cap: exact for the
phrases that matter, and bounded for the common ones (fts5vocab would read a common word's whole
posting list to count it). bm25() sums one part per phrase of the expression; a phrase past the
budget but within SCORE_LIMIT matches still scores the candidates (the best rows that match it too
are the top of `(rare) AND (commoner)`, the others the top of `(rare) NOT (commoner)`; both name
each phrase once, so their scores are comparable and merged). Phrases commoner still are left out:
counting their IDF alone would read their whole posting lists.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

# Candidate passages a search may rank: the rarest phrases select while their summed matches stay within this.
CANDIDATE_BUDGET = 10_000
# A phrase matching at most this many passages scores the candidates; a commoner one is left out.
SCORE_LIMIT = 0
# Below this many passages every phrase selects (ranking all matches is cheap there, and the same as before).
PRUNE_FROM_PASSAGES = 200_000


@dataclass(frozen=True)
class Selection:
    """A query's phrases split into those that select candidates, those that only score them, and the rest."""

    selecting: list[str]
    scoring: list[str]
    left_out: list[str]


def match_counts(conn: sqlite3.Connection, expressions: Sequence[str], cap: int) -> list[int]:
    """Rows each FTS5 expression matches, counted up to `cap` (a phrase of punctuation only matches none)."""
    found = []
    for expression in expressions:
        try:
            row = conn.execute("SELECT count(*) FROM (SELECT 1 FROM passage_fts WHERE passage_fts MATCH ? LIMIT ?)",
                               (expression, cap)).fetchone()
        except sqlite3.OperationalError:  # e.g. '""': FTS5 rejects an empty phrase
            row = (0,)
        found.append(int(row[0]))
    return found


def select_phrases(phrases: Sequence[str], counts: Sequence[int], budget: int | None = None,
                   score_limit: int | None = None, extra: int = 0) -> Selection:
    """Split `phrases` by their match `counts`: the rarest select while they sum within `budget` (then `extra` more).

    At least the rarest matching phrase selects. Of the others, those matching at most `score_limit`
    passages score; the commoner ones, and phrases matching nothing, are left out.
    """
    budget = CANDIDATE_BUDGET if budget is None else budget
    score_limit = SCORE_LIMIT if score_limit is None else score_limit
    order = sorted((i for i, n in enumerate(counts) if n > 0), key=lambda i: (counts[i], i))
    total, within = 0, 0
    for i in order:
        total += counts[i]
        if total > budget and within:
            break
        within += 1
    chosen = order[: within + extra]
    rest = order[len(chosen):]
    return Selection([phrases[i] for i in chosen],
                     [phrases[i] for i in rest if counts[i] <= score_limit],
                     [phrases[i] for i in range(len(phrases)) if i not in chosen and counts[i] > score_limit
                      or counts[i] == 0])
