"""Put "where sources disagree" into a brief, or list the disputes of a whole collection.

For a brief, the disputes shown are those about the event(s) its answer quotes: claims of
the retrieved articles reporting the same event as an answer's source, plus sentences that
say the same thing with a different answer (answer.slots). Sources cited only by a dispute
join the brief's numbered source list; statements quoting a disputed fact are marked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsdesk.answer.conflicts import Conflict, conflict_entries, find_conflicts
from newsdesk.answer.rank import Candidate
from newsdesk.answer.slots import slot_conflicts
from newsdesk.model import Article, Brief, ConflictEntry, Question, Source
from newsdesk.store.base import Store

MAX_IN_BRIEF = 6
MIN_RELEVANT = 0.30  # the brief's own bar for a sentence to answer at all (answer.brief.MIN_ANSWER_SCORE)
_SLOT_LABELS = {"who": "who", "where": "where", "when": "when", "how_many": "how many"}
_COUNT_FIRST = ("how_many",)
_RESPONSIBILITY_FIRST = ("who", "why", "stance")


@dataclass
class Disputes:
    """The disputes of a collection (or of the articles matching a query), with their numbered sources."""

    query: str | None
    conflicts: list[ConflictEntry]
    sources: list[Source] = field(default_factory=list)
    articles_searched: int = 0
    schema: str = "newsdesk.conflicts/1"


def add_conflicts(brief: Brief, question: Question, ranked: Sequence[Candidate], store: Store,
                  articles: dict[str, Article]) -> None:
    """Fill `brief.conflicts` for the event(s) its answer is about (sources it needs join `brief.sources`)."""
    if not brief.answer:
        return
    relevant = [c for c in ranked if c.score >= MIN_RELEVANT]
    scope = list(dict.fromkeys(c.sentence.article_id for c in relevant))
    focus = {c.article_id for s in brief.answer for c in s.citations}
    missing = [aid for aid in scope if aid not in articles]
    if missing:
        articles.update(store.articles(missing))
    claims = store.claims(scope)
    vectors = store.lead_vectors(scope)
    originals = store.copy_originals(scope)
    found = find_conflicts(claims, {aid: articles[aid] for aid in scope}, vectors, focus=focus, originals=originals)
    label = _SLOT_LABELS.get(question.kind, "answer")
    quoted = {(c.article_id, c.start) for s in [*brief.answer, *brief.evidence] for q in [s, *s.also]
              for c in q.citations}
    for slot in slot_conflicts(question, relevant[:40], articles, label):
        spans = {(aid, start) for v in slot.versions for aid, start, _ in v.spans}
        if any(spans <= {(a, s) for v in c.versions for a, s, _ in v.spans} for c in found):
            continue  # already shown as a claim dispute
        found.append(slot)
    found.sort(key=lambda c: _order(c, question, quoted))
    brief.conflicts = conflict_entries(found[:MAX_IN_BRIEF], brief.sources, articles)
    asked = {c.id for c in found[:MAX_IN_BRIEF] if _asked_kind(c, question)}
    brief.notes.extend(disputed_answer_notes(brief, asked, question.text))


def _asked_kind(conflict: Conflict, question: Question) -> bool:
    """A dispute over the kind of thing the question asks for (a count for "how many", who for "who")."""
    kind = conflict.versions[0].claim.kind
    return ((question.kind in _COUNT_FIRST and kind == "count")
            or (question.kind in _RESPONSIBILITY_FIRST and kind == "responsibility") or kind == "answer")


def disputed_answer_notes(brief: Brief, asked: set[int], question_text: str = "") -> list[str]:
    """A note for each disagreement over what the answer quotes: every value with the sources that give it.

    When a few sources state another value for the same fact, quoting the answer as settled would hide
    them, and quoting the minority would present a possible falsehood as the answer. The brief says both,
    with how many reports stand behind each value (a copy that changed the value is a report of its own,
    as in answer.conflicts). A disagreement is over the answer when it is about what the question asks
    (`asked`: conflict ids) and the answer quotes one of its versions or states one of its values in other
    sentences (a value the question itself names is not stated by the answer).
    """
    answered = {(c.article_id, c.start) for s in brief.answer for q in [s, *s.also] for c in q.citations}
    answer_words = f" {_value_key(' '.join(q.text for s in brief.answer for q in [s, *s.also]))} "
    question_words = f" {_value_key(question_text)} "
    notes = []
    for conflict in brief.conflicts:
        if conflict.classification not in ("differ", "contradict") or conflict.id not in asked:
            continue
        quoted = any((c.article_id, c.start) in answered for v in conflict.versions for c in v.citations)
        stated = any(len(k := _value_key(v.phrase or v.value)) >= 3 and f" {k} " in answer_words
                     and f" {k} " not in question_words for v in conflict.versions)  # not a name the question gives
        if not (quoted or stated):
            continue  # the answer neither quotes a version nor states one of the disputed values
        backing: dict[str, set[str]] = {}  # value -> the articles giving it
        numbers: dict[str, set[int]] = {}
        shown: dict[str, str] = {}
        for v in conflict.versions:
            key = _value_key(v.phrase or v.value)
            backing.setdefault(key, set()).update(c.article_id for c in v.citations)
            numbers.setdefault(key, set()).update(c.source for c in v.citations)
            shown.setdefault(key, one_line(v.phrase or v.value))
        _merge_loose_slots(backing, numbers, shown)
        if len(backing) < 2:
            continue
        ordered = sorted(backing, key=lambda k: (-len(backing[k]), min(numbers[k])))
        sides = [f'"{shown[k]}" ({_count(len(backing[k]))}: '
                 f'{", ".join(f"[{n}]" for n in sorted(numbers[k]))})' for k in ordered]
        notes.append(f"Sources disagree ({conflict.attribute}): {' against '.join(sides)}; the answer is not "
                     f"settled (disagreement {conflict.id}).")
    return notes


def _merge_loose_slots(backing: dict[str, set[str]], numbers: dict[str, set[int]], shown: dict[str, str]) -> None:
    """"Dana Whitfield has" is "Dana Whitfield": a value that only adds lower-case words to another is that one."""
    for longer in sorted(backing, key=len, reverse=True):
        for shorter in list(backing):
            if shorter == longer or longer not in backing or len(shorter) >= len(longer):
                continue
            if not (longer.startswith(shorter + " ") or longer.endswith(" " + shorter)):
                continue
            extra = shown[longer].replace(shown[shorter], " ", 1).split()
            if extra and all(w[:1].islower() for w in extra):
                backing[shorter] |= backing.pop(longer)
                numbers[shorter] |= numbers.pop(longer)
                shown.pop(longer)


def _value_key(value: str) -> str:
    return " ".join(re.findall(r"\w+", value.lower()))


def _count(n: int) -> str:
    return f"{n} source" if n == 1 else f"{n} sources"


def _order(conflict: Conflict, question: Question, quoted: set[tuple[str, int]]) -> tuple[int, int, int]:
    """Disputes of quoted sentences first, then those of the kind asked about, then the most severe."""
    in_brief = any((aid, start) in quoted for v in conflict.versions for aid, start, _ in v.spans)
    kind = conflict.versions[0].claim.kind
    wanted = ((question.kind in _COUNT_FIRST and kind == "count")
              or (question.kind in _RESPONSIBILITY_FIRST and kind == "responsibility") or kind == "answer")
    severity = {"contradict": 0, "differ": 1, "superseded": 2}.get(conflict.classification, 3)
    return (0 if in_brief else 1, 0 if wanted else 1, severity)


def collection_disputes(store: Store, article_ids: Sequence[str] | None = None, query: str | None = None,
                        focus: set[str] | None = None) -> Disputes:
    """The disputes among the given articles (all when None): one entry per disputed event and attribute.

    With `focus`, only the events those articles report (the ones that best match a query).
    """
    claims = store.claims(article_ids)
    ids = list(dict.fromkeys([*(c.article_id for c in claims), *(focus or ())]))
    articles = store.articles(ids)
    vectors = store.lead_vectors(ids)
    found = find_conflicts(claims, articles, vectors, focus=focus, originals=store.copy_originals(ids))
    sources: list[Source] = []
    searched = len(article_ids) if article_ids is not None else len(store.article_ids())
    return Disputes(query, conflict_entries(found, sources, articles), sources, searched)


def best_matching(store: Store, article_ids: Sequence[str], query_vector: np.ndarray, margin: float = 0.15,
                  floor: float = 0.25) -> set[str]:
    """The articles whose leads match a query nearly as well as the best one: what the query is about."""
    vectors = store.lead_vectors(article_ids)
    scores = {aid: float(np.dot(v, query_vector)) for aid, v in vectors.items()}
    if not scores:
        return set(article_ids[:3])
    best = max(scores.values())
    return {aid for aid, score in scores.items() if score >= max(floor, best - margin)}


def statement_marks(brief: Brief) -> dict[tuple[str, int], int]:
    """(article id, sentence start) -> the conflict id quoting it, to mark disputed statements."""
    marks: dict[tuple[str, int], int] = {}
    for conflict in brief.conflicts:
        for version in conflict.versions:
            for c in version.citations:
                marks.setdefault((c.article_id, c.start), conflict.id)
    return marks


def conflict_mark(marks: dict[tuple[str, int], int], citations: Sequence[Any]) -> int | None:
    """The conflict a statement's citations point into, if any."""
    for c in citations:
        key = (c.article_id, c.start) if hasattr(c, "article_id") else (c["article_id"], c["start"])
        if key in marks:
            return marks[key]
    return None


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
