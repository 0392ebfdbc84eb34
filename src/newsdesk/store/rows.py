"""Rows <-> the model's dataclasses, written once for both backends.

Both stores keep the same tables with the same columns in the same order, so what a row holds
and how it becomes an `Article`, `Claim`, `Mention`, `Relation`, `StoryState` or `Story` does
not depend on the engine. Only how the rows are written and read (placeholders, bulk paths) does.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from newsdesk.model import AnalyzedArticle, Article, Claim, Location, Mention, Relation, Story
from newsdesk.store.story_state import StoryState

# -- articles ------------------------------------------------------------------------------------------

ARTICLE_COLUMNS = "id, title, text, outlet, published, language, author, url, path, metadata"


def article_row(art: Article) -> tuple[object, ...]:
    """The values of ARTICLE_COLUMNS; metadata as sorted JSON, so both backends store the same text."""
    return (art.id, art.title, art.text, art.outlet, art.published, art.language, art.author, art.url, art.path,
            json.dumps(art.metadata, ensure_ascii=False, sort_keys=True, default=str))


def article_from_row(row: Sequence[Any]) -> Article:
    """An `Article` (without its locations) from the values of ARTICLE_COLUMNS."""
    return Article(id=row[0], title=row[1], text=row[2], outlet=row[3], published=row[4], language=row[5],
                   author=row[6], url=row[7], path=row[8], metadata=json.loads(row[9]))


def location_rows(art: Article) -> list[tuple[str, str, str]]:
    """An article's locations as rows; '' stands for "none" so the UNIQUE constraint applies."""
    locations = art.locations or [Location(art.url, art.path)]
    return [(art.id, loc.url or "", loc.path or "") for loc in dict.fromkeys(locations)]


def check_vectors(item: AnalyzedArticle) -> None:
    """At most one vector per passage, and at least one when there are passages: checked before writing."""
    count = len(item.vectors)
    if count > len(item.passages) or (item.passages and count == 0):
        raise ValueError(f"{item.article.id}: {len(item.passages)} passages but {count} vectors")


# -- claims --------------------------------------------------------------------------------------------

CLAIM_COLUMNS = ('article_id, sentence_idx, start, "end", kind, attribute, value, qualifier, low, high, value_start, '
                 "value_end, polarity, speaker, detail, grp, anchor, earlier")


def claim_row(claim: Claim) -> tuple[object, ...]:
    """The values of CLAIM_COLUMNS; an infinite bound is stored as NULL ("no upper bound")."""
    def finite(x: float | None) -> float | None:
        return x if x is not None and math.isfinite(x) else None

    return (claim.article_id, claim.sentence_index, claim.start, claim.end, claim.kind, claim.attribute, claim.value,
            claim.qualifier, finite(claim.low), finite(claim.high), claim.value_start, claim.value_end,
            claim.polarity, claim.speaker, claim.detail, claim.group, claim.anchor, int(claim.earlier))


def claim_from_row(row: Sequence[Any]) -> Claim:
    (aid, idx, start, end, kind, attribute, value, qualifier, low, high, vstart, vend, polarity, speaker, detail,
     group, anchor, earlier) = row
    if kind in ("count", "time") and high is None:
        high = math.inf
    return Claim(str(aid), int(idx), int(start), int(end), str(kind), str(attribute), str(value), str(qualifier),
                 low, high, int(vstart), int(vend), str(polarity), speaker, detail, group, anchor, bool(earlier))


# -- actors and relations ------------------------------------------------------------------------------

MENTION_COLUMNS = 'article_id, sentence_idx, start, "end", actor, kind, part, how'
RELATION_COLUMNS = ('article_id, sentence_idx, start, "end", source, target, action, polarity, mode, source_part, '
                    "target_part, speaker, speaker_text, negated, anchor, trigger_start, trigger_end")


def mention_row(m: Mention) -> tuple[object, ...]:
    return (m.article_id, m.sentence_index, m.start, m.end, m.actor, m.kind, m.part, m.how)


def relation_row(r: Relation) -> tuple[object, ...]:
    return (r.article_id, r.sentence_index, r.start, r.end, r.source, r.target, r.action, r.polarity, r.mode,
            r.source_part, r.target_part, r.speaker, r.speaker_text, int(r.negated), r.anchor, r.trigger_start,
            r.trigger_end)


def relation_from_row(row: Sequence[Any]) -> Relation:
    (aid, idx, start, end, source, target, action, polarity, mode, spart, tpart, speaker, stext, negated, anchor,
     tstart, tend) = row
    return Relation(aid, int(idx), int(start), int(end), source, target, action, float(polarity), mode, spart, tpart,
                    speaker, stext, bool(negated), anchor, int(tstart), int(tend))


# -- stories -------------------------------------------------------------------------------------------

STORY_COLUMNS = ("id, label, label_article, first_published, last_published, size, centroid, names, actors, "
                 "outlets, languages")


def counter_json(counter: Counter[str]) -> str:
    return json.dumps(dict(sorted(counter.items())), ensure_ascii=False)


def ranked_keys(counter_json_text: str) -> list[str]:
    """The keys of a stored counter, most frequent first (ties alphabetical)."""
    counts: dict[str, int] = json.loads(counter_json_text)
    return [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def story_state_row(s: StoryState) -> tuple[object, ...]:
    """The values of STORY_COLUMNS; the centroid as float32 bytes."""
    return (s.id, s.label, s.label_article, s.first_published, s.last_published, s.size,
            None if s.centroid is None else np.asarray(s.centroid, dtype=np.float32).tobytes(),
            counter_json(s.names), counter_json(s.actors), counter_json(s.outlets), counter_json(s.languages))


def story_state_from_row(row: Sequence[Any]) -> StoryState:
    sid, label, label_article, first, last, size, centroid, names, actors, outlets, languages = row
    vector = np.frombuffer(bytes(centroid), dtype=np.float32).copy() if centroid else None
    return StoryState(int(sid), label, label_article, first, last, size, vector,
                      Counter(json.loads(names)), Counter(json.loads(actors)),
                      Counter(json.loads(outlets)), Counter(json.loads(languages)))


MemberRow = tuple[str, str, "str | None", "str | None", "str | None", str]  # id, group, published, outlet, lang, title


def story_from_members(sid: int, label: str, label_article: str, actors: list[str], label_present: bool,
                       members: Sequence[MemberRow]) -> Story:
    """A `Story` from its stored head and its current members (in the order added).

    Counts come from the current members, so a deleted article no longer counts; if the label's article
    was deleted, the first remaining member names the story until it next changes.
    """
    days = sorted(p[:10] for _, _, p, _, _, _ in members if p)
    outlets = Counter(o for _, _, _, o, _, _ in members if o)
    languages = Counter(lang for _, _, _, _, lang, _ in members if lang)
    if not label_present:
        label_article = members[0][0]
        label = members[0][5]
    return Story(
        sid, label, label_article, days[0] if days else None, days[-1] if days else None, len(members),
        len({g for _, g, _, _, _, _ in members}),
        [o for o, _ in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))],
        [lang for lang, _ in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))],
        actors[:5], [aid for aid, *_ in members])
