"""Which articles report the same event: meaning of their leads, shared names, and dates.

Claims are only compared within one event. Shared words are not enough (two attacks in
Pakistan share "Pakistan" and "killed"): two articles are taken to report one event when
their leads mean the same (the stored title+lead vectors), they share a salient name
(a place, an organisation, a person), and they were published within a week of each other.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from newsdesk.analyze.names import (
    LEAD_CHARS,
    NOT_NAMES,
    PLACE_AFTER_PREPOSITION,
    PLACE_POSSESSIVE,
    PLACE_PREFIX,
    salient_names,
)
from newsdesk.analyze.numbers import parse_words
from newsdesk.analyze.vocabulary import COMMON_WORDS_FILE, data_file
from newsdesk.model import Article

# Lead cosines (use-multilingual-v3, title + lead): one event's reports ~0.45-0.8, other topics < 0.45.
SAME_EVENT_WITH_NAME = 0.45
SAME_EVENT_ALONE = 0.72
MAX_DAYS_APART = 7
# The kind of event a label names ("bombing — Quetta"), from the words in data/common_words_en.json.
_EVENT_WORDS = re.compile(rf"\b({data_file(COMMON_WORDS_FILE)['en']['event_kinds']})\b", re.I)


@dataclass(frozen=True)
class EventProfile:
    """What an article is about, for telling whether two articles report one event."""

    article_id: str
    names: frozenset[str]  # salient names of the title and lead, lower-cased
    lead: str  # title and lead, lower-cased (to look up another article's place names)
    day: date | None
    vector: np.ndarray | None


def profile(article: Article, vector: np.ndarray | None) -> EventProfile:
    lead = f"{article.title}\n{article.text[:LEAD_CHARS]}"
    # A figure opening a sentence ("Nine miners were killed") is capitalised but names nothing: two disasters
    # with nine dead each do not share a name.
    names = frozenset(n.lower() for n in salient_names(lead) if parse_words(n) is None)
    return EventProfile(article.id, names, lead.lower(), _day(article.published), vector)


def _day(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def same_event(a: EventProfile, b: EventProfile) -> bool:
    """Two articles report one event: leads alike in meaning, a shared salient name, close dates."""
    if a.article_id == b.article_id:
        return True
    if a.day and b.day and abs((a.day - b.day).days) > MAX_DAYS_APART:
        return False
    shared = bool(a.names & b.names)
    if a.vector is None or b.vector is None or not len(a.vector) or not len(b.vector):
        return len(a.names & b.names) >= 2
    cosine = float(np.dot(a.vector, b.vector))
    return cosine >= SAME_EVENT_ALONE or (shared and cosine >= SAME_EVENT_WITH_NAME)


def cluster(profiles: Sequence[EventProfile]) -> dict[str, int]:
    """Article id -> event number, numbered in the order given.

    Greedy average linkage: the most alike pairs first; two groups merge only when the pair
    reports one event, the groups are alike on average (no chains of weak links through live
    blogs and round-ups), and all their dates stay within a week.
    """
    owner = list(range(len(profiles)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(profiles))}
    vectors = [p.vector for p in profiles]
    sims: np.ndarray | None = None
    if profiles and all(v is not None and len(v) for v in vectors):
        matrix = np.stack([np.asarray(v, dtype=np.float32) for v in vectors])
        sims = matrix @ matrix.T
        found = np.argwhere(np.triu(sims >= SAME_EVENT_WITH_NAME, 1))
        pairs = sorted(found.tolist(), key=lambda ij: (-float(sims[ij[0], ij[1]]), ij[0], ij[1]))
    else:
        pairs = [[i, j] for i in range(len(profiles)) for j in range(i + 1, len(profiles))]
    for i, j in pairs:
        a, b = owner[i], owner[j]
        if a == b or not same_event(profiles[i], profiles[j]):
            continue
        left, right = members[a], members[b]
        if sims is not None and float(sims[np.ix_(left, right)].mean()) < SAME_EVENT_WITH_NAME:
            continue
        days = [d for k in left + right if (d := profiles[k].day) is not None]
        if days and (max(days) - min(days)).days > MAX_DAYS_APART:
            continue
        for k in right:
            owner[k] = a
        left.extend(right)
        del members[b]
    numbers: dict[int, int] = {}
    return {p.article_id: numbers.setdefault(owner[i], len(numbers)) for i, p in enumerate(profiles)}


def on_topic(sentence: str, lead: str) -> bool:
    """A figure for a place its article's title and lead never name is a round-up's aside, not the event."""
    places = _places(sentence)
    return not places or any(p in lead for p in places)


def event_label(articles: Sequence[Article]) -> str:
    """A short label from the data: the kind of event and the names most of its reports share."""
    leads = [f"{a.title}\n{a.text[:LEAD_CHARS]}" for a in articles]
    kinds = Counter(m.group(1).lower() for lead in leads for m in _EVENT_WORDS.finditer(lead))
    names: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    joined = "\n".join(leads)
    for lead in leads:
        lowered = set(re.findall(r"\b[a-z][\w'’\-]*", lead))
        # A capitalised word also written in lower case ("Gunmen ... gunmen") is an ordinary word.
        names.update({n for n in salient_names(lead) if (" " in n or len(n) >= 4) and n.lower() not in lowered})
    for name in names:
        first_seen[name] = joined.find(name)
    need = len(leads) // 2 + 1 if len(leads) > 1 else 1
    common = sorted((n for n, c in names.items() if c >= need),
                    key=lambda n: (-names[n], -len(n.split()), first_seen[n], n))  # n: ties never follow set order
    picked: list[str] = []
    for name in common:  # the longest forms first, without repeating their parts
        if not any(name.lower() in p.lower() or p.lower() in name.lower() for p in picked):
            picked.append(name)
        if len(picked) == 2:
            break
    kind = kinds.most_common(1)[0][0] if kinds else ""
    label = ", ".join(picked)
    return f"{kind} — {label}" if kind and label else kind or label or "(one report)"


def places_comparable(sentence_a: str, sentence_b: str, lead_a: str, lead_b: str) -> bool:
    """Figures of one event are compared only when the places their sentences name are not clearly different."""
    pa, pb = _places(sentence_a), _places(sentence_b)
    if not pa or not pb or any(x.startswith(y) or y.startswith(x) for x in pa for y in pb):
        return True
    return any(p in lead_b for p in pa) or any(p in lead_a for p in pb)


def _places(sentence: str) -> set[str]:
    """Place-like names after in/at/near, reduced to a stem that also meets demonyms ("Pakistani" -> "pakistan")."""
    out = set()
    found = [*PLACE_AFTER_PREPOSITION.finditer(sentence), *PLACE_PREFIX.finditer(sentence),
             *PLACE_POSSESSIVE.finditer(sentence)]
    for m in found:
        place = re.sub(r"(?:'s|’s)$", "", m.group("p").lower())
        if place in NOT_NAMES:
            continue
        out.add(re.sub(r"(?:ians|ian|ans|is|i|ese)$", "", place) if len(place) > 6 else place)
    return out


def profiles_for(articles: Mapping[str, Article], vectors: Mapping[str, np.ndarray]) -> list[EventProfile]:
    return [profile(a, vectors.get(aid)) for aid, a in articles.items()]
