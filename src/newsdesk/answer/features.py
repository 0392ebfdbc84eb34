"""What the learned ranker sees of a candidate sentence: one row of numbers per sentence, named in FEATURES.

Each feature is a plain measurement (no weight of its own): how close in meaning, which of the question's
words, where in its article, how old relative to the question's "now", whether the headline or the sentence
before names what the question asks about ("the show", "the company"). The weights that turn a row into a
probability are fitted from data (answer/ranker.py, eval/train_ranker.py), never set by hand.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsdesk.analyze.names import PROPER_RUN_MID_SENTENCE
from newsdesk.analyze.terms import stem, stems, word_stems
from newsdesk.answer.context import refers_by_description
from newsdesk.answer.cues import DATE, LOCATIVE, QUANTITY
from newsdesk.model import Article, Question, Sentence
from newsdesk.search import days_before

FEATURES: tuple[str, ...] = (
    "hand",  # the hand-set score (answer/rank.py): everything it knows, as one number
    "dense", "dense_gap",  # cosine to the question; its distance below the best candidate's
    "lexical", "lexical_gap",  # IDF-weighted share of the question's words and names; below the best
    "bm25",  # BM25 of the sentence among the candidates, relative to the best
    "prior",  # the passage's fused retrieval score, relative to the best
    "kind_cue", "kind_missing",  # holds the kind of answer asked for (a number, a date, a new name); lacks it
    "new_names",  # names something the question does not
    "is_question", "unfinished", "short", "novelty",  # the sentence's form; share of its words new to the question
    "position", "lead",  # place in the article
    "age", "old", "future", "undated",  # publication relative to the question's date
    "title_share", "before_share", "article_share",  # the question's words in the headline, sentence before, article
    "describes",  # speaks of "the <noun>" asked for ("which show": "the show")
    "other_language",
    "support",  # how many other articles of the candidates name what it names besides the question (log scale)
)
BM25_K1 = 1.2
BM25_B = 0.75
YEAR = 365.0
_WORD = re.compile(r"\w+")
_FIGURE = re.compile(r"\d[\d,.]*\d|\d")
# Articles naming the same thing at which `support` is whole: a short list holds about a dozen articles.
SUPPORT_FULL = 12
WHY = re.compile(r"\b(because|due to|after|blamed|caused|since|as a result|over)\b", re.I)


@dataclass(frozen=True)
class Pool:
    """The candidates of one question, with what rank.py measured of each (rows line up with `sentences`)."""

    sentences: Sequence[Sentence]
    prior: Sequence[float]
    lexical: Sequence[float]
    hand: Sequence[float]
    dense: Sequence[float]
    other_language: Sequence[bool]


def new_names(question: Question, text: str) -> bool:
    """The sentence names someone or something the question does not: a candidate answer."""
    asked = _words_of(question.text)
    return any(m.group(0).split()[0].lower() not in asked for m in PROPER_RUN_MID_SENTENCE.finditer(text))


@lru_cache(maxsize=64)
def _words_of(text: str) -> frozenset[str]:
    """The lower-cased words of a question: asked once per candidate sentence, worked out once per question."""
    return frozenset(t.lower() for t in _WORD.findall(text))


def kind_cue(question: Question, text: str) -> float:
    """1 when the sentence holds what the question's kind asks for, -1 when it lacks it, 0 for other kinds."""
    kind = question.kind
    if kind == "how_many":
        return 1.0 if QUANTITY.search(text) else -1.0
    if kind in ("when", "sequence"):
        return 1.0 if DATE.search(text) else -1.0
    if kind in ("who", "where"):
        found = new_names(question, text) or (kind == "where" and LOCATIVE.search(text) is not None)
        return 1.0 if found else -1.0
    if kind == "why":
        return 1.0 if WHY.search(text) else -1.0
    return 0.0


def pool_features(
    question: Question,
    pool: Pool,
    units: Mapping[str, Callable[[str, frozenset[str]], float]],
    idf: Mapping[str, float],
    articles: Mapping[str, Article],
    reference_date: str | None,
    neighbours: Mapping[tuple[str, int], str],
) -> np.ndarray:
    """One row of FEATURES per candidate. `neighbours` maps (article id, index) to text for the sentence before."""
    total = sum(idf.values()) or 1.0

    def share(text: str) -> float:
        if not text:
            return 0.0
        text_stems = stems(text)
        return sum(idf[k] * f(text, text_stems) for k, f in units.items()) / total

    texts = [s.text for s in pool.sentences]
    support = _support(question, pool.sentences)
    bm25 = _bm25(question, texts)
    top_bm25 = max(bm25, default=0.0) or 1.0
    top_dense = max(pool.dense, default=0.0)
    top_lexical = max(pool.lexical, default=0.0)
    top_prior = max(pool.prior, default=0.0) or 1.0
    asked = frozenset(stem(t) for t in question.terms)
    article_share: dict[str, float] = {}
    title_share: dict[str, float] = {}
    rows = []
    for i, sentence in enumerate(pool.sentences):
        text = sentence.text
        article = articles.get(sentence.article_id)
        aid = sentence.article_id
        if aid not in article_share:
            article_share[aid] = share(article.text) if article else 0.0
            title_share[aid] = share(article.title or "") if article else 0.0
        words = word_stems(text)
        novelty = sum(1 for w in words if w not in asked) / len(words) if words else 0.0
        stripped = text.rstrip(" \"'”’)»")
        age = days_before(reference_date, article.published if article else None)
        cue = kind_cue(question, text)
        rows.append([
            pool.hand[i],
            pool.dense[i], top_dense - pool.dense[i],
            pool.lexical[i], top_lexical - pool.lexical[i],
            bm25[i] / top_bm25,
            pool.prior[i] / top_prior,
            float(cue > 0), float(cue < 0),
            float(new_names(question, text)),
            float(stripped.endswith("?")), float(not stripped.endswith((".", "!", ":", ";", "?"))),
            float(len(text) < 40), novelty,
            math.log1p(sentence.index) / math.log(50.0), float(sentence.index < 3),
            math.log1p(max(age, 0)) / math.log1p(10 * YEAR) if age is not None else 0.0,
            float(age is not None and age > YEAR), float(age is not None and age < 0), float(age is None),
            title_share[aid], share(neighbours.get((aid, sentence.index - 1), "")), article_share[aid],
            float(bool(question.answer_noun) and refers_by_description(text, question.answer_noun or "")),
            float(pool.other_language[i]),
            support[i],
        ])
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def _bm25(question: Question, texts: Sequence[str]) -> list[float]:
    """BM25 of each candidate against the question's word stems, the candidates being the collection."""
    wanted = {stem(t) for t in question.terms}
    bags = [Counter(word_stems(t)) for t in texts]
    if not bags or not wanted:
        return [0.0] * len(texts)
    average = sum(sum(b.values()) for b in bags) / len(bags) or 1.0
    df = Counter(w for b in bags for w in wanted if w in b)
    n = len(bags)
    out = []
    for bag in bags:
        length = sum(bag.values())
        score = 0.0
        for w in wanted:
            tf = bag.get(w, 0)
            if tf:
                idf = math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5))
                score += idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * length / average))
        out.append(score)
    return out


def answer_mentions(question: Question, text: str) -> set[str]:
    """What a sentence names that the question does not: names (mid-sentence capitalised runs) and figures."""
    asked = _words_of(question.text)
    found = {m.group(0).lower() for m in PROPER_RUN_MID_SENTENCE.finditer(text)
             if m.group(0).split()[0].lower() not in asked}
    found.update(f for f in _FIGURE.findall(text) if f.lower() not in asked)
    return found


def _support(question: Question, sentences: Sequence[Sentence]) -> list[float]:
    """For each sentence, the most other articles among the candidates naming one thing it names (0 to 1).

    An answer tends to recur across the reports a search finds; a sentence about something else names
    things that few other articles name.
    """
    mentions = [answer_mentions(question, s.text) for s in sentences]
    articles: dict[str, set[str]] = {}
    for sentence, names in zip(sentences, mentions, strict=True):
        for name in names:
            articles.setdefault(name, set()).add(sentence.article_id)
    scale = math.log1p(SUPPORT_FULL)
    return [min(1.0, math.log1p(max((len(articles[n]) - 1 for n in names), default=0)) / scale)
            for names in mentions]
