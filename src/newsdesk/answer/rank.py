"""Rerank the sentences of the retrieved short list against the question.

Heavy work (embedding each candidate sentence) runs only here, on a few dozen
sentences. The score mixes meaning (dense similarity), the question's rarer
words found in the sentence, the passage's retrieval rank, and whether the
sentence holds the kind of answer asked for (a number, a date, a name).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from newsdesk.analyze.embedding import Embedder, sentence_vectors
from newsdesk.analyze.question import name_matchers
from newsdesk.analyze.terms import stem, stems, tokens, word_stems
from newsdesk.answer.cues import CONTINUES, DATE, HAN, LOCATIVE, QUANTITY
from newsdesk.answer.features import WHY, Pool, new_names, pool_features
from newsdesk.answer.ranker import RankerModel
from newsdesk.model import Article, Question, Sentence
from newsdesk.search import FusedHit, days_before
from newsdesk.store.base import Store

# News puts what happened first: a sentence among an article's first few gets a little, decreasing, credit.
LEAD_BONUS = 0.06
LEAD_SENTENCES = 8
LEAD_FULL_SHARE = 0.3  # the share of the question's words (weighted) at which the lead credit is whole
# A sentence naming part of a long name ("Pelosi" of "House Speaker Nancy Pelosi") earns at most this share of it.
PART_OF_NAME = 0.8
# Sentences of the short list embedded per question (about 2.4 ms of one core each, unless this process
# embedded them before: analyze/embedding.py `sentence_vectors`): the rest are out of reach anyway.
MAX_EMBEDDED = 60
# Sentences in another language than the question's share none of its words, so they place low before
# embedding; up to this many of them are embedded besides the MAX_EMBEDDED (found by meaning, they need it).
MAX_EMBEDDED_OTHER_LANGUAGE = 15


@dataclass
class Candidate:
    sentence: Sentence
    score: float
    dense: float
    lexical: float
    prior: float
    vector: np.ndarray
    mentions_actor: bool = False
    mentions_target: bool = False
    # With a model (answer/ranker.py): the calibrated probability that the sentence answers the question.
    confidence: float | None = None
    ordered_by_model: bool = False  # `score` is the learned ranker's, not the hand-set one (no fixed score cut)
    features: np.ndarray | None = None  # its row of answer/features.py FEATURES, when they were computed


def _wanted_kind_bonus(question: Question, text: str) -> float:
    kind = question.kind
    if kind == "how_many":
        return 0.08 if QUANTITY.search(text) else -0.05
    if kind == "when":
        return 0.08 if DATE.search(text) else -0.03
    if kind == "sequence":
        return 0.05 if DATE.search(text) else 0.0
    if kind in ("who", "where"):
        bonus = 0.05 if new_names(question, text) else 0.0
        if kind == "where" and LOCATIVE.search(text):
            bonus += 0.03
        return bonus
    if kind == "why":
        return 0.05 if WHY.search(text) else 0
    return 0.0


@dataclass(frozen=True)
class Unit:
    """One thing a sentence can share with the question: a named thing (with its pattern) or a word's stem.

    Called with a text (and, when the caller has them, the text's stems: one computation per sentence
    instead of one per question word), it says how much of the unit the text holds, 0 to 1.
    """

    stem: str | None = None  # a word
    pattern: re.Pattern[str] | None = None  # a name: any of its aliases
    words: frozenset[str] = frozenset()  # a name's word stems

    def __call__(self, text: str, text_stems: frozenset[str] | None = None) -> float:
        if self.pattern is None:
            return float(self.stem in (stems(text) if text_stems is None else text_stems))
        if self.pattern.search(text):
            return 1.0
        if len(self.words) < 2:
            return 0.0
        return PART_OF_NAME * len(self.words & (stems(text) if text_stems is None else text_stems)) / len(self.words)


def _question_units(question: Question) -> dict[str, Unit]:
    """What a sentence can share with the question, each with how much of it the sentence holds (0 to 1).

    A named thing counts whole when any of its aliases is named, else by the share of its words present:
    "Pelosi" holds most of "House Speaker Nancy Pelosi", and without that credit a sentence naming only
    part of a long name scored below one sharing none of it. Every other word counts whole or not at all.
    """
    units: dict[str, Unit] = {}
    covered: set[str] = set()
    matchers = name_matchers(question)
    for group, pattern, words in zip(question.names, matchers.names, matchers.name_words, strict=True):
        units["name:" + group[0]] = Unit(pattern=pattern, words=words)
        covered.update(t for name in group[:1] for t in tokens(name))
    for term in question.terms:
        if term in covered:
            continue
        key = stem(term)
        units.setdefault("word:" + key, Unit(stem=key))
    return units


def _form_penalty(text: str, asked: frozenset[str]) -> float:
    """Sentences that cannot state the answer: questions, headline fragments, echoes of the question.

    `asked` holds the stems of the question's words.
    """
    penalty = 0.0
    stripped = text.rstrip(" \"'”’)»")
    if stripped.endswith("?"):
        penalty += 0.3
    elif not stripped.endswith((".", "!", ":", ";")):
        penalty += 0.08  # a headline, caption or navigation line: no finished statement
    if len(text) < 40:
        penalty += 0.05
    words = word_stems(text)
    if words:
        novel = sum(1 for w in words if w not in asked) / len(words)
        if novel < 0.3:
            penalty += 0.15 + (0.3 - novel)  # restates the question: the less it adds, the less it can answer
    return penalty




def _lead_bonus(index: int, lexical: float) -> float:
    """Credit for a place among the article's first sentences, in proportion to the question's words it holds.

    Only a sentence about the question profits: an unrelated article's lead must not pass for an answer.
    """
    return LEAD_BONUS * max(0.0, 1.0 - index / LEAD_SENTENCES) * min(1.0, lexical / LEAD_FULL_SHARE)


def _recency_bonus(question: Question, article: Article | None, reference_date: str | None) -> float:
    """For questions about what is happening now, an article from the last days beats an older one."""
    if article is None or not question.about_now:
        return 0.0
    age = days_before(reference_date, article.published)
    if age is None or age < 0:
        return 0.0
    return 0.08 * max(0.0, 1.0 - age / 14.0) - (0.04 if age > 60 else 0.0)


def collect_sentences(hits: list[FusedHit], store: Store, per_passage: int = 20) -> list[tuple[Sentence, float]]:
    """The sentences of the fused passages, each with its best passage's normalised score."""
    if not hits:
        return []
    top = max(h.score for h in hits)
    by_article: dict[str, list[Sentence]] = {}
    seen: dict[tuple[str, int], float] = {}
    ordered: list[Sentence] = []
    for hit in hits:
        aid = hit.passage.article_id
        if aid not in by_article:
            by_article[aid] = store.sentences(aid)
        sentences = by_article[aid]
        for idx in range(hit.passage.first_sentence, min(hit.passage.last_sentence + 1, len(sentences)))[:per_passage]:
            key = (aid, idx)
            prior = hit.score / top
            if key not in seen:
                ordered.append(sentences[idx])
                seen[key] = prior
            else:
                seen[key] = max(seen[key], prior)
    return [(s, seen[(s.article_id, s.index)]) for s in ordered]


def rank_sentences(
    question: Question,
    pool: list[tuple[Sentence, float]],
    embedder: Embedder,
    query_vector: np.ndarray,
    articles: dict[str, Article],
    reference_date: str | None = None,
    model: RankerModel | None = None,
    with_features: bool = False,
    confidence_model: RankerModel | None = None,
) -> list[Candidate]:
    """Score every candidate sentence; best first, ties broken by article id and position (deterministic).

    `reference_date` (ISO) is "now" for questions about recent events: articles
    published in the days before it are preferred. With a learned `model`, each sentence's score is the
    model's (the hand-set score being one of its features) and its `confidence` the calibrated probability
    that it answers; with only a `confidence_model`, the hand-set order stays and that model gives the
    `confidence`. Stance questions, which no model was fitted on, keep the hand-set score and no confidence.
    `with_features` keeps every candidate's feature row (for fitting a model).
    """
    # Length in Latin-letter terms: a Han character says about as much as three letters ("当局疏散了3200名居民。").
    usable = [(s, p) for s, p in pool if 20 <= len(s.text) + 2 * len(HAN.findall(s.text)) <= 1200]
    if not usable:
        return []
    units = _question_units(question)
    asked = frozenset(stem(t) for t in question.terms)
    df: Counter[str] = Counter()
    found_units = []
    for sentence, _ in usable:
        text_stems = stems(sentence.text)
        found = {key: share for key, unit in units.items() if (share := unit(sentence.text, text_stems)) > 0}
        found_units.append(found)
        df.update(key for key, share in found.items() if share == 1.0)  # a name's rarity: where it is named whole
    n = len(usable)
    idf = {key: math.log(1 + n / (1 + df[key])) + 0.2 for key in units}
    total = sum(idf.values()) or 1.0
    partial = []
    for i, (sentence, prior) in enumerate(usable):
        lexical = sum(idf[key] * share for key, share in found_units[i].items()) / total
        score = 0.4 * lexical + 0.15 * prior + _wanted_kind_bonus(question, sentence.text)
        score -= _form_penalty(sentence.text, asked)
        score += _recency_bonus(question, articles.get(sentence.article_id), reference_date)
        score += _lead_bonus(sentence.index, lexical)
        partial.append((score, lexical, i))
    # Embedding is most of a question's time: only the best-placed sentences by everything else are embedded.
    # (Not for stance questions: there, naming the actor or continuing about it counts more than words.)
    cap = len(partial) if question.kind == "stance" else MAX_EMBEDDED
    ordered = sorted(partial, key=lambda t: (-t[0], t[2]))
    keep = ordered[:cap]
    foreign = [t for t in ordered[cap:] if _other_language(question, articles.get(usable[t[2]][0].article_id))]
    keep += foreign[:MAX_EMBEDDED_OTHER_LANGUAGE]
    keep.sort(key=lambda t: t[2])
    vectors = sentence_vectors(embedder, [usable[i][0].text for _, _, i in keep])
    dense = vectors @ query_vector
    matchers = name_matchers(question)
    actor, target = matchers.actor, matchers.target
    other = [_other_language(question, articles.get(usable[i][0].article_id)) for _, _, i in keep]
    own_shares = [lexical for (_, lexical, _), o in zip(keep, other, strict=True) if not o]
    reference_share = max(own_shares) if own_shares else 0.5  # none in the question's language: a middling share
    best_dense = max(float(dense.max()) if len(dense) else 0.0, 1e-6)
    out = []
    for row, (base, lexical, i) in enumerate(keep):
        sentence, prior = usable[i]
        score = base + 0.45 * float(dense[row])
        if other[row]:
            # Words of another language cannot match the question's: its meaning, relative to the best
            # meaning found, stands in for the word share the best sentence in the question's language has.
            stand_in = reference_share * max(0.0, float(dense[row])) / best_dense
            score += 0.4 * max(0.0, stand_in - lexical)
        cand = Candidate(sentence, score, float(dense[row]), lexical, prior, vectors[row])
        if actor is not None and target is not None:
            cand.mentions_actor = bool(actor.search(sentence.text))
            cand.mentions_target = bool(target.search(sentence.text))
            article = articles.get(sentence.article_id)
            text = article.text if article else ""
            both_in_article = bool(actor.search(text)) and bool(target.search(text))
            cand.score += 0.15 * cand.mentions_actor + 0.08 * cand.mentions_target + 0.05 * both_in_article
        out.append(cand)
    if actor is not None:
        _credit_continuations(out)
    scorer = (model or confidence_model) if question.kind != "stance" else None
    if out and (scorer is not None or with_features):
        neighbours = {(s.article_id, s.index): s.text for s, _ in usable}
        measured = Pool([c.sentence for c in out], [c.prior for c in out], [c.lexical for c in out],
                        [c.score for c in out], [c.dense for c in out], other)
        rows = pool_features(question, measured, units, idf, articles, reference_date, neighbours)
        scores = scorer.probabilities(rows) if scorer is not None else None
        sure = scorer.confidence(scores) if scorer is not None and scores is not None else None
        for row, cand in enumerate(out):
            cand.features = rows[row]
            if scores is not None and sure is not None:
                cand.confidence = float(sure[row])
                if scorer is model:
                    cand.score, cand.ordered_by_model = float(scores[row]), True
    out.sort(key=lambda c: (-c.score, c.sentence.article_id, c.sentence.index))
    return out


def _other_language(question: Question, article: Article | None) -> bool:
    lang = article.language if article else None
    return bool(lang and question.language and lang != question.language)


def _credit_continuations(candidates: list[Candidate]) -> None:
    """A sentence that goes on about the actor ("The group's ...") right after one naming it counts as naming it."""
    by_key = {(c.sentence.article_id, c.sentence.index): c for c in candidates}
    for cand in candidates:
        previous = by_key.get((cand.sentence.article_id, cand.sentence.index - 1))
        if previous and previous.mentions_actor and not cand.mentions_actor and CONTINUES.search(cand.sentence.text):
            cand.mentions_actor = True
            cand.score += 0.12
