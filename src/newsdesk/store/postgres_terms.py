"""Which words of a question narrow PostgreSQL's full-text candidates, and which only add to the score.

A question's terms are ORed. At 100 k articles (3 M passages) a common word ("week", "people") matches
a third of the passages, and ranking every match costs tens of seconds (docs/SCALING.md). BM25 gives
such a word almost no weight, so a passage that matches only common words cannot reach the top: as in
max-score pruning, the candidates are the passages matching the rarer terms, and every term, common or
not, still scores them. Which words are common comes from the statistics ANALYZE keeps for the tsvector
column (pg_stats.most_common_elems: each frequent lexeme with the share of rows holding it); a word
missing there is rarer than the rarest one listed.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

# Candidate passages a search may rank, estimated from the statistics: the rarest terms are matched
# until their estimated matches would pass this; the others only score.
CANDIDATE_BUDGET = 30_000
# Below this many passages every term is matched (ranking all matches is cheap there, and exact).
PRUNE_FROM_PASSAGES = 200_000
# A filter passed by at most this many articles is applied first, and all terms tested on its passages.
FILTER_FIRST_ARTICLES = 5_000
STATS_SECONDS = 300.0  # how long the loaded statistics are trusted before they are read again
_LEXEME = re.compile(r"'((?:[^']|'')*)'")


@dataclass(frozen=True)
class TermStats:
    """Share of passages holding each frequent lexeme, and the passage count."""

    share: dict[str, float]
    passages: float


def load_term_stats(cur: Any) -> TermStats | None:
    """The tsvector column's element statistics, or None before ANALYZE has run on a big enough table."""
    cur.execute("SELECT s.most_common_elems::text, s.most_common_elem_freqs, c.reltuples FROM pg_stats s "
                "JOIN pg_class c ON c.oid = 'passages'::regclass WHERE s.schemaname = current_schema() "
                "AND s.tablename = 'passages' AND s.attname = 'tsv'")
    row = cur.fetchone()
    if row is None or row[0] is None or not row[1] or row[2] < PRUNE_FROM_PASSAGES:
        return None
    elements = _array_items(row[0])
    # most_common_elem_freqs: one share per element, then the minimum, maximum and null shares (unused).
    shares = [float(f) for f in row[1][: len(elements)]]
    return TermStats(dict(zip(elements, shares, strict=True)), float(row[2]))


def _array_items(text: str) -> list[str]:
    """Items of a Postgres text[] literal ("{week,\"new york\"}")."""
    body = text[1:-1]
    return [m.group(1).replace('\\"', '"') if m.group(1) is not None else m.group(2)
            for m in re.finditer(r'"((?:[^"\\]|\\.)*)"|([^,]+)', body)]


def query_lexemes(tsquery_text: str) -> list[str]:
    """The lexemes of a tsquery's text form ("'north' <-> 'korea'" -> ["north", "korea"])."""
    return [m.group(1).replace("''", "'") for m in _LEXEME.finditer(tsquery_text)]


def matching_terms(lexemes: list[list[str]], stats: TermStats | None,
                   extra: int = 0) -> tuple[list[bool], list[float | None]]:
    """For each term: whether it selects candidates, and (for one that only scores) its estimated df.

    A term none of whose lexemes is listed is rare and always selects (its df is then counted exactly).
    Listed terms (a phrase counts as its rarest word) are added rarest first while their estimated
    matches stay within CANDIDATE_BUDGET, then `extra` more (a search that found too few widens so).
    A stop word alone ("who") has no lexeme and matches nothing: it neither selects nor scores.
    """
    if stats is None:
        return [True] * len(lexemes), [None] * len(lexemes)
    shares = [min((stats.share.get(x, 0.0) for x in words), default=0.0) for words in lexemes]
    matched = [bool(words) and share == 0.0 for words, share in zip(lexemes, shares, strict=True)]
    listed = sorted((i for i in range(len(lexemes)) if lexemes[i] and not matched[i]), key=lambda i: (shares[i], i))
    estimated, within = 0.0, 0
    for i in listed:
        estimated += shares[i] * stats.passages
        if estimated > CANDIDATE_BUDGET:
            break
        within += 1
    for i in listed[: within + extra + (0 if any(matched) or within else 1)]:
        matched[i] = True
    if not any(matched):  # nothing but stop words
        return [True] * len(lexemes), [None] * len(lexemes)
    return matched, [None if matched[i] else shares[i] * stats.passages for i in range(len(lexemes))]


class TermStatsCache:
    """Statistics read at most every STATS_SECONDS per store (ANALYZE changes them only now and then)."""

    def __init__(self) -> None:
        self._stats: TermStats | None = None
        self._read_at = float("-inf")

    def get(self, cur: Any) -> TermStats | None:
        if time.monotonic() - self._read_at > STATS_SECONDS:
            self._stats = load_term_stats(cur)
            self._read_at = time.monotonic()
        return self._stats
