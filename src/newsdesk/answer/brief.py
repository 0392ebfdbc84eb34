"""Compose a brief from ranked sentences: answer, evidence, numbered sources.

Faithful by construction: every statement's text is copied from the stored
article at its citation's offsets, and identical sentences from several
sources become one statement carrying all their citations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from newsdesk.analyze.names import CAPITALISED_WORD_MID_SENTENCE
from newsdesk.answer.context import lead_in, refers_by_description
from newsdesk.answer.entities import clusters, entities_of
from newsdesk.answer.rank import Candidate
from newsdesk.model import Article, Brief, Citation, Question, Sentence, Source, Statement

# Below this score nothing retrieved is taken to answer the question.
MIN_ANSWER_SCORE = 0.30
# Above this cosine (and with the same numbers) two sentences say the same thing; the weaker is not repeated.
SAME_MEANING = 0.85
# Added to a sentence from a source not yet cited: a brief should show what several outlets say.
NEW_SOURCE_BONUS = 0.04
# One name, several entities: the articles of the best candidates are read for how they describe the name, and
# an entity is answered for when its best sentence scores at least this share of the best one's.
ENTITY_POOL = 12
ENTITY_SHARE = 0.5
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# A wire dateline opening a lead: "(CNN)", "New York (CNN Business)", "LONDON (Reuters) -", "WASHINGTON —".
_DATELINE = re.compile(
    r"^\s*(?:(?:[A-Z][\w.'’-]*\s*){0,4}\([A-Z][\w .&/’'-]{0,40}\)(?=\s*[-—–A-Z“\"‘])"  # (CNN) She..., Paris (AFP) -
    r"|[A-Z][A-Z.'’ -]{2,40}(?=\s*[-—–]))"  # WASHINGTON —
    r"\s*(?:[-—–]+\s*)?")


def _same_meaning(a: str, b: str, cosine: float) -> bool:
    """Paraphrases merge; "60 killed" vs "61 killed", or "X won" vs "Y won", never do (that is a disagreement).

    A dateline is not part of what a sentence says: one outlet's lead with it repeats another's without it.
    """
    a, b = _DATELINE.sub("", a, count=1), _DATELINE.sub("", b, count=1)
    if cosine < SAME_MEANING or sorted(_NUMBER.findall(a)) != sorted(_NUMBER.findall(b)):
        return False
    return set(CAPITALISED_WORD_MID_SENTENCE.findall(a)) == set(CAPITALISED_WORD_MID_SENTENCE.findall(b))


@dataclass
class _Chosen:
    text: str
    score: float
    vector: np.ndarray
    spans: list[tuple[str, int, int]]  # (article_id, start, end)
    sentence: Sentence  # the sentence of the first span, as ranked
    confidence: float | None = None  # a learned ranker's probability that it answers the question
    entity: str | None = None  # the cited article's words for which of several same-named entities it is
    also: list[tuple[str, str, int, int]] = field(default_factory=list)  # (text, article_id, start, end)


def _pick(
    candidates: list[Candidate],
    taken: list[_Chosen],
    size: int,
    *,
    cited_articles: set[str],
    require: Callable[[Candidate], bool] | None = None,
    originals: Mapping[str, str] | None = None,
) -> list[_Chosen]:
    """Greedy diverse selection: skip repeats of chosen meaning, favour sources not yet cited.

    `cited_articles` holds copy groups (a copy's original, see ingest.dedupe): a copy is not a new source.
    """
    group = (lambda aid: originals.get(aid, aid)) if originals else (lambda aid: aid)  # noqa: E731
    picked: list[_Chosen] = []
    pool = [c for c in candidates if require is None or require(c)]
    used = {(aid, start) for ch in taken for aid, start, _ in ch.spans}
    while len(picked) < size and pool:
        best_i, best_value = -1, -1e9
        for i, cand in enumerate(pool):
            value = cand.score + (NEW_SOURCE_BONUS if group(cand.sentence.article_id) not in cited_articles else 0.0)
            if value > best_value:
                best_i, best_value = i, value
        cand = pool.pop(best_i)
        key = (cand.sentence.article_id, cand.sentence.start)
        if key in used:
            continue
        span = (cand.sentence.article_id, cand.sentence.start, cand.sentence.end)
        duplicate = None
        for chosen in [*taken, *picked]:
            if chosen.text == cand.sentence.text:
                duplicate = chosen
                break
            if _same_meaning(chosen.text, cand.sentence.text, float(chosen.vector @ cand.vector)):
                duplicate = chosen
                break
        if duplicate is not None:
            cited_here = {s[0] for s in duplicate.spans} | {a[1] for a in duplicate.also}
            same_group = group(cand.sentence.article_id) in {group(a) for a in cited_here}
            if cand.sentence.article_id not in cited_here:
                if duplicate.text == cand.sentence.text:
                    duplicate.spans.append(span)  # the very same words in another source: one more citation
                elif not same_group:  # a copy's edited sentence is not another source's own words
                    duplicate.also.append((cand.sentence.text, *span))  # the same meaning, other words
            used.add(key)
            continue
        used.add(key)
        cited_articles.add(group(cand.sentence.article_id))
        picked.append(_Chosen(cand.sentence.text, cand.score, cand.vector, [span], cand.sentence, cand.confidence))
    return picked


def compose_brief(
    question: Question,
    ranked: list[Candidate],
    articles: dict[str, Article],
    *,
    answer_size: int = 3,
    evidence_size: int = 8,
    searched: int = 0,
    originals: Mapping[str, str] | None = None,
    preceding: Callable[[Sentence], Sentence | None] | None = None,
    answer_confidence: float = 0.0,
) -> Brief:
    """The brief for `question` from its ranked candidate sentences.

    With a model (answer/ranker.py) each candidate carries a calibrated `confidence` (a learned order has no
    fixed score cut), and an answer line below `answer_confidence` is shown as evidence instead. When none is
    left, `answer` is empty and a note says that no sentence answers the question directly; the closest
    evidence stays.

    `originals` maps near-duplicate copies to the first article of their copy group (ingest.dedupe): a
    group is one numbered source, its other members listed under it as `copies`. `preceding` gives the
    sentence before a sentence in its article: a quote naming the answer only by description starts there.
    """
    originals = originals or {}
    group = lambda aid: originals.get(aid, aid)  # noqa: E731
    notes: list[str] = []
    relevant = [c for c in ranked if c.ordered_by_model or c.score >= MIN_ANSWER_SCORE]
    if not relevant:
        notes.append(f"No passage in the {searched} articles searched answers this question; nothing is quoted.")
        return Brief(question.text, [], [], [], notes=notes, question_type=question.kind)
    cited: set[str] = set()
    require = None
    if question.kind == "stance":
        require = lambda c: c.mentions_actor  # noqa: E731
    answer = _pick(relevant, [], answer_size, cited_articles=cited, require=require, originals=originals)
    if not answer:
        answer = _pick(relevant, [], answer_size, cited_articles=cited, originals=originals)
    several = _per_entity(question, relevant, articles, answer_size, originals)
    if several:
        answer, cited = several, {group(aid) for ch in several for aid, _, _ in ch.spans}
    unsure = [c for c in answer if c.confidence is not None and c.confidence < answer_confidence]
    answer = [c for c in answer if c not in unsure]
    evidence = unsure + _pick(relevant, [*answer, *unsure], evidence_size, cited_articles=cited, originals=originals)
    if not answer:
        notes.append(f"No sentence in the {searched} articles searched answers this question directly; "
                     "the closest evidence is shown.")
    if question.answer_noun and preceding is not None:
        _add_lead_ins([*answer, *evidence], question.answer_noun, preceding, articles)
    sources: dict[str, int] = {}  # copy group -> number
    first_cited: dict[str, str] = {}  # copy group -> the article its source entry shows
    for chosen in [*answer, *evidence]:
        for aid, _, _ in chosen.spans:
            sources.setdefault(group(aid), len(sources) + 1)
            first_cited.setdefault(group(aid), aid)
    for chosen in [*answer, *evidence]:
        for _, aid, _, _ in chosen.also:
            sources.setdefault(group(aid), len(sources) + 1)
            first_cited.setdefault(group(aid), aid)

    def cite(text: str, aid: str, start: int, end: int) -> Citation:
        if articles[aid].text[start:end] != text:  # the invariant, checked on every brief
            raise AssertionError(f"citation {aid}[{start}:{end}] does not match its quoted text")
        return Citation(sources[group(aid)], aid, start, end)

    def language(aid: str) -> str | None:
        """The quote's language when it is not the question's: it stays as written, marked with its code."""
        lang = articles[aid].language
        return lang if lang and question.language and lang != question.language else None

    def statement(chosen: _Chosen) -> Statement:
        citations = [cite(chosen.text, aid, start, end) for aid, start, end in chosen.spans]
        also = [Statement(text, [cite(text, aid, start, end)], language=language(aid))
                for text, aid, start, end in chosen.also]
        confidence = round(chosen.confidence, 4) if chosen.confidence is not None else None
        return Statement(chosen.text, citations, round(chosen.score, 4), also, language(chosen.spans[0][0]),
                         confidence, chosen.entity)

    source_list = []
    for key, n in sources.items():
        aid = first_cited[key]
        art = articles[aid]
        members = [a for a in [key, *sorted(c for c, o in originals.items() if o == key)] if a != aid]
        source_list.append(Source(n, aid, art.title, art.outlet, art.published, art.url or _first_url(art),
                                  art.path or _first_path(art), art.language,
                                  copies=[copy_entry(articles[a]) for a in members if a in articles]))
    if question.kind == "stance" and not any(
        c.mentions_actor for c in relevant
    ):
        notes.append("No source sentence names the first actor; the quotes are the nearest matches.")
    return Brief(
        question=question.text,
        answer=[statement(c) for c in answer],
        evidence=[statement(c) for c in evidence],
        sources=source_list,
        notes=notes,
        question_type=question.kind,
    )


def _per_entity(question: Question, relevant: list[Candidate], articles: Mapping[str, Article], size: int,
                originals: Mapping[str, str]) -> list[_Chosen]:
    """When the question's name covers several entities: the best sentence of each, labelled; else empty."""
    pool = list(dict.fromkeys(c.sentence.article_id for c in relevant[: ENTITY_POOL * 4]))[:ENTITY_POOL]
    found = entities_of(question, pool, articles)
    if not found:
        return []
    best = max(c.score for c in relevant)
    picked: list[_Chosen] = []
    cited: set[str] = set()
    for members in clusters(found):
        wanted = set(members)
        top = next((c for c in relevant if c.sentence.article_id in wanted), None)
        if top is None or top.score < ENTITY_SHARE * best:
            continue
        chosen = _pick(relevant, picked, 1, cited_articles=cited, originals=originals,
                       require=lambda c, wanted=wanted: c.sentence.article_id in wanted)  # type: ignore[misc]
        for ch in chosen:
            ch.entity = found[ch.spans[0][0]].label
        picked.extend(chosen)
    if len(picked) < 2:
        return []
    picked.sort(key=lambda ch: -ch.score)
    return picked[:size]


def _add_lead_ins(chosen: list[_Chosen], noun: str, preceding: Callable[[Sentence], Sentence | None],
                  articles: Mapping[str, Article]) -> None:
    """Quotes speaking of "the <noun>" asked for start one sentence earlier, where its name usually is.

    Only a quote from one place is widened (the same words in several sources may follow different
    sentences), and never over a sentence the brief already quotes.
    """
    quoted = {(aid, start) for ch in chosen for aid, start, _ in ch.spans}
    for ch in chosen:
        if len(ch.spans) != 1 or not refers_by_description(ch.text, noun):
            continue
        before = lead_in(ch.sentence, preceding)
        if before is None or (before.article_id, before.start) in quoted:
            continue
        aid, _, end = ch.spans[0]
        ch.spans[0] = (aid, before.start, end)
        ch.text = articles[aid].text[before.start:end]
        quoted.add((aid, before.start))


def copy_entry(article: Article) -> dict[str, str | None]:
    """A near-duplicate listed under its group's source: where else the same text ran."""
    return {"article_id": article.id, "outlet": article.outlet, "published": article.published,
            "url": article.url or _first_url(article), "title": article.title}


def _first_url(article: Article) -> str | None:
    return next((loc.url for loc in article.locations if loc.url), None)


def _first_path(article: Article) -> str | None:
    return next((loc.path for loc in article.locations if loc.path), None)
