"""Where sources disagree: claims about one event and attribute, aligned across reports and classified.

Claims (analyze.claims) are grouped by event (answer.events: leads alike in meaning, shared
names, close dates; a claim anchored on an earlier event, "In August, ...", stays with that
event), attribute (killed, injured, responsibility, ...) and what exactly is counted. Each
group's versions are compared pairwise:
- agree: the same value;
- compatible: both can be true ("at least 61" and "61"; "more than 100" and "more than 120");
- differ: they cannot both be right (60 and 61; Islamic State and Lashkar-e-Jhangvi);
- contradict: one asserts what the other negates or denies ("IS claimed" and "no group has
  claimed"; the union accuses the company, the company denies it);
- superseded: different figures, but every one that disagrees with the latest report was
  published before it (or is named as an earlier figure by a later report).
Only groups whose versions come from independent sources count: different articles (copies
of one text count once), or one article quoting different speakers. A brief lists the groups
that differ, contradict or are superseded; agreeing and compatible ones are not disputes.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from newsdesk.analyze.claims import name_key
from newsdesk.analyze.claims.patterns import TOLL
from newsdesk.analyze.terms import stems
from newsdesk.analyze.vocabulary import COMMON_WORDS_FILE, data_file
from newsdesk.answer.events import LEAD_CHARS, cluster, event_label, on_topic, places_comparable, profiles_for
from newsdesk.model import Article, Citation, Claim, ConflictEntry, ConflictVersion, Source

DISPUTED = ("contradict", "differ", "superseded")
_SEVERITY = {"agree": 0, "compatible": 1, "superseded": 2, "differ": 3, "contradict": 4}
MAX_VERSIONS_PER_VALUE = 4
SAME_STATEMENT = 0.4  # share of content words two sentences about one sum of money have in common


@dataclass
class Version:
    """One source's version of the disputed fact, quoted verbatim."""

    value: str
    qualifier: str
    polarity: str
    text: str  # the sentence, == article.text[start:end] for every citation
    spans: list[tuple[str, int, int]]  # (article_id, start, end); several when copies carry the same sentence
    phrase: str  # the value as written ("at least 61")
    speaker: str | None
    detail: str | None
    claim: Claim
    outlet: str | None = None
    published: str | None = None
    superseded: bool = False


@dataclass
class Conflict:
    attribute: str
    event: str
    classification: str
    versions: list[Version]
    note: str | None = None
    id: int = 0
    relevance: float = 0.0
    articles: set[str] = field(default_factory=set)


# --- public entry points ---------------------------------------------------------------------------------


def find_conflicts(
    claims: Sequence[Claim],
    articles: Mapping[str, Article],
    vectors: Mapping[str, np.ndarray],
    *,
    include_agreeing: bool = False,
    focus: set[str] | None = None,
    originals: Mapping[str, str] | None = None,
) -> list[Conflict]:
    """Group claims by event and attribute and classify each group; disputed groups only unless asked.

    With `focus`, only the events that one of those articles reports. `originals` (copy -> the first
    article of its copy group, ingest.dedupe) makes near-duplicate copies one source.
    """
    with_claims = {c.article_id for c in claims}
    by_article = {aid: a for aid, a in articles.items() if aid in with_claims or (focus and aid in focus)}
    events = cluster(profiles_for(by_article, vectors))
    wanted = {events[aid] for aid in focus if aid in events} if focus is not None else None
    groups: dict[tuple[Any, ...], list[Claim]] = defaultdict(list)
    leads = {aid: f"{a.title}\n{a.text[:LEAD_CHARS]}".lower() for aid, a in by_article.items()}
    totals = totals_with_parts(claims, articles)
    parts = {part for members in totals.values() for part in members}
    for claim in claims:
        if claim.article_id not in events or claim in parts:
            continue
        event: Any = events[claim.article_id]
        if not on_topic(articles[claim.article_id].text[claim.start : claim.end], leads[claim.article_id]):
            event = (claim.article_id, claim.sentence_index)  # an aside about somewhere else: compared with nothing
        # A toll raised by "two more miners" is also a count of miners: compared with "Nine miners were killed" too.
        counted = {claim.group or ""} | {p.group for p in totals.get(claim, ()) if p.group and not claim.group}
        for group in sorted(counted):
            groups[(event, claim.anchor or "", claim.attribute, group)].append(claim)
    out: list[Conflict] = []
    for (event, anchor, attribute, group), members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        if wanted is not None and event not in wanted:
            continue
        for part in _split_by_place(members, articles):
            conflict = _classify_group(part, articles, originals or {})
            if conflict is None or (conflict.classification not in DISPUTED and not include_agreeing):
                continue
            event_articles = [articles[aid] for aid, e in events.items() if e == event] or [
                articles[members[0].article_id]]
            label = event_label(event_articles)
            conflict.event = f"{label} ({anchor})" if anchor else label
            conflict.attribute = f"{attribute} ({group})" if group else attribute
            out.append(conflict)
    out.sort(key=lambda c: (-_SEVERITY[c.classification], -len(c.versions), c.attribute))
    return out


def conflict_entries(conflicts: Sequence[Conflict], sources: list[Source], articles: Mapping[str, Article],
                     first_id: int = 1) -> list[ConflictEntry]:
    """The output form of conflicts (docs/SCHEMA.md), numbering them and adding any source not yet listed.

    Every version's text is checked against the stored article at each citation (the brief's invariant).
    """
    numbers = {s.article_id: s.n for s in sources}
    for s in sources:  # a copy cited here is the source its group already is
        numbers.update({c["article_id"]: s.n for c in s.copies if c["article_id"] not in numbers})
    out = []
    for i, conflict in enumerate(conflicts, start=first_id):
        conflict.id = i
        versions = []
        for v in conflict.versions:
            citations = []
            for aid, start, end in v.spans:
                art = articles[aid]
                if art.text[start:end] != v.text:
                    raise AssertionError(f"conflict citation {aid}[{start}:{end}] does not match its quoted text")
                if aid not in numbers:
                    numbers[aid] = len(sources) + 1
                    sources.append(_source(numbers[aid], art))
                citations.append(Citation(numbers[aid], aid, start, end))
            versions.append(ConflictVersion(
                value=v.value, qualifier=v.qualifier, polarity=v.polarity, phrase=v.phrase, text=v.text,
                citations=citations, outlet=v.outlet, published=v.published, speaker=v.speaker, detail=v.detail,
                superseded=v.superseded,
            ))
        out.append(ConflictEntry(i, conflict.attribute, conflict.event, conflict.classification, versions,
                                 conflict.note or None))
    return out


def _source(n: int, art: Article) -> Source:
    url = art.url or next((loc.url for loc in art.locations if loc.url), None)
    path = art.path or next((loc.path for loc in art.locations if loc.path), None)
    return Source(n, art.id, art.title, art.outlet, art.published, url, path, art.language)


# --- grouping and classification -------------------------------------------------------------------------


def totals_with_parts(claims: Sequence[Claim], articles: Mapping[str, Article]) -> dict[Claim, list[Claim]]:
    """Totals a sentence states, each with the figures it gives as parts of it: those are not totals.

    In "the toll has risen to seven after three workers died of their injuries" the toll is seven; the three
    are the change (or a subset) that made it so. Such a figure compared with another report's total would
    read as "three supersedes four". A figure is a part when the same sentence states a toll ("the toll ...
    rose to / stands at / is N", or "bringing the toll to N") for the same attribute that is larger than it.
    """
    by_sentence: dict[tuple[str, int, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.kind == "count" and claim.article_id in articles:
            by_sentence[(claim.article_id, claim.sentence_index, claim.attribute)].append(claim)
    out: dict[Claim, list[Claim]] = {}
    for (aid, _, _), members in by_sentence.items():
        if len(members) < 2:
            continue
        first = members[0]
        sentence = articles[aid].text[first.start : first.end]
        toll_starts = {first.start + m.start("qty") for m in TOLL.finditer(sentence)}
        totals = [c for c in members if c.value_start in toll_starts and c.low is not None]
        if not totals:
            continue
        total = max(totals, key=lambda c: c.low or 0.0)
        parts = [c for c in members if c is not total and c.high is not None and total.low is not None
                 and c.high < total.low]
        if parts:
            out[total] = parts
    return out


def parts_of_totals(claims: Sequence[Claim], articles: Mapping[str, Article]) -> set[Claim]:
    """Every figure that is only a part of a total its sentence states (see `totals_with_parts`)."""
    return {part for parts in totals_with_parts(claims, articles).values() for part in parts}


def _split_by_place(members: list[Claim], articles: Mapping[str, Article]) -> list[list[Claim]]:
    """Within one event, figures for clearly different places (Kharkiv, Kyiv) are not one fact."""
    parts: list[list[Claim]] = []
    for claim in members:
        text = articles[claim.article_id].text
        sentence = text[claim.start : claim.end]
        lead = text[:800].lower()
        for part in parts:
            other = part[0]
            other_text = articles[other.article_id].text
            if places_comparable(sentence, other_text[other.start : other.end], lead, other_text[:800].lower()):
                part.append(claim)
                break
        else:
            parts.append([claim])
    return parts


def _classify_group(members: list[Claim], articles: Mapping[str, Article],
                    originals: Mapping[str, str]) -> Conflict | None:
    earlier_values = {c.value for c in members if c.earlier}
    current = [c for c in members if not c.earlier and c.detail != "new"  # increments are not totals
               and not (c.value == "0" and not _names_event(articles[c.article_id].text[c.start : c.end]))]
    current = _drop_vague_when_precise(current)
    versions = _versions(current, articles, originals)
    if len(versions) < 2:
        return None
    worst = "agree"
    pairs = [(a, b) for i, a in enumerate(versions) for b in versions[i + 1 :] if _independent(a, b)]
    if versions[0].claim.attribute.startswith("amount:"):
        pairs = [(a, b) for a, b in pairs if _same_statement(a.text, b.text) and _relation(a.claim, b.claim) != "agree"]
        kept = {id(v) for pair in pairs for v in pair}
        versions = [v for v in versions if id(v) in kept]
    if not pairs:
        return None
    for a, b in pairs:
        relation = _relation(a.claim, b.claim)
        if _SEVERITY[relation] > _SEVERITY[worst]:
            worst = relation
    note = None
    if worst == "differ" and versions[0].claim.kind == "count":
        note = _supersession(versions, earlier_values)
        if note:
            worst = "superseded"
    versions = _trim(versions)
    return Conflict(members[0].attribute, "", worst, versions, note,
                    articles={aid for v in versions for aid, _, _ in v.spans})


def _names_event(sentence: str) -> bool:
    """"No one was killed in the blast" is about the event; "Nobody was injured, she said" may be about anything."""
    return bool(_EVENT_NOUN.search(sentence))


_EVENT_NOUN = re.compile(rf"\b(?:{data_file(COMMON_WORDS_FILE)['en']['event_nouns']})\b", re.I)


def _drop_vague_when_precise(claims: list[Claim]) -> list[Claim]:
    """An article that gives a figure is represented by it, not by its own "scores" or "dozens"."""
    precise = {c.article_id for c in claims if c.kind == "count" and c.qualifier != "vague"}
    return [c for c in claims if not (c.kind == "count" and c.qualifier == "vague" and c.article_id in precise)]


def _versions(claims: list[Claim], articles: Mapping[str, Article], originals: Mapping[str, str]) -> list[Version]:
    """One version per copy group and value; the very same sentence in several articles is one version.

    Copies (`originals`: copy -> original) saying the same value count once even where an edit changed the
    sentence around it; the copy is cited when its sentence is the version's very words.
    """
    by_key: dict[tuple[str, str, str, str], Version] = {}
    by_text: dict[tuple[str, str, str], Version] = {}
    for claim in sorted(claims, key=lambda c: (_when(articles[c.article_id]), c.article_id, c.value_start)):
        art = articles[claim.article_id]
        key = (originals.get(claim.article_id, claim.article_id), _value_key(claim), claim.qualifier, claim.polarity)
        if key in by_key:
            if all(aid != claim.article_id for aid, _, _ in by_key[key].spans) and \
                    art.text[claim.start : claim.end] == by_key[key].text:
                by_key[key].spans.append((claim.article_id, claim.start, claim.end))  # a copy: one more carrier
            continue
        text = art.text[claim.start : claim.end]
        text_key = (text, _value_key(claim), claim.polarity)
        if text_key in by_text:  # a syndicated copy: the same words, one more citation
            copy = by_text[text_key]
            if all(aid != claim.article_id for aid, _, _ in copy.spans):
                copy.spans.append((claim.article_id, claim.start, claim.end))
            by_key[key] = copy
            continue
        version = Version(
            value=_display_value(claim), qualifier=claim.qualifier, polarity=claim.polarity, text=text,
            spans=[(claim.article_id, claim.start, claim.end)], phrase=art.text[claim.value_start : claim.value_end],
            speaker=claim.speaker, detail=claim.detail, claim=claim, outlet=art.outlet, published=art.published,
        )
        by_key[key] = by_text[text_key] = version
    unique: dict[int, Version] = {id(v): v for v in by_key.values()}
    return list(unique.values())


def _independent(a: Version, b: Version) -> bool:
    """Two versions from different reports, or one report quoting different speakers.

    A near-duplicate copy that gives another value than its original is a report of its own for that
    fact (an update, or an edit that changed it): it is shown, not hidden. Copies that agree were already
    merged into one version by `_versions`.
    """
    if a is b:
        return False
    articles_a = {aid for aid, _, _ in a.spans}
    articles_b = {aid for aid, _, _ in b.spans}
    if not articles_a & articles_b:
        return True
    if a.claim.kind == "responsibility":
        return (a.speaker or "").lower() != (b.speaker or "").lower() or a.polarity != b.polarity
    return bool(a.speaker and b.speaker and a.speaker.lower() != b.speaker.lower())


def _same_statement(x: str, y: str) -> bool:
    """Money is only compared between sentences saying nearly the same thing: "$10.4 billion in revenue in Q1 2021"
    and "$1.39 billion in revenue in Q1 2021", not a fund and a fine that share the word "aid"."""
    wx, wy = stems(re.sub(r"\d", " ", x)), stems(re.sub(r"\d", " ", y))
    return bool(wx and wy) and len(wx & wy) / len(wx | wy) >= SAME_STATEMENT


def _relation(a: Claim, b: Claim) -> str:
    if a.kind == "responsibility":
        return _responsibility_relation(a, b)
    if a.kind == "date":
        return _date_relation(a.value, b.value)
    low_a, high_a = _interval(a)
    low_b, high_b = _interval(b)
    overlap = low_a <= high_b and low_b <= high_a
    if "denied" in (a.polarity, b.polarity) and a.polarity != b.polarity:
        return "contradict" if overlap else "compatible"
    if (low_a, high_a, a.qualifier) == (low_b, high_b, b.qualifier):
        return "agree"
    return "compatible" if overlap else "differ"


def _interval(c: Claim) -> tuple[float, float]:
    low = c.low if c.low is not None else -math.inf
    high = c.high if c.high is not None else math.inf
    return low, high


def _responsibility_relation(a: Claim, b: Claim) -> str:
    same = _same_actor(a.value, b.value)
    if same:
        if a.polarity == b.polarity:
            return "agree"
        return "contradict"
    values = {a.value, b.value}
    if "none" in values:
        other = b if a.value == "none" else a
        return "contradict" if other.detail == "claimed" and other.polarity == "affirmed" else "compatible"
    if "undetermined" in values:
        other = b if a.value == "undetermined" else a
        return "differ" if other.polarity == "affirmed" else "compatible"
    if "denied" in (a.polarity, b.polarity):
        return "compatible"  # a denial of one actor says nothing against another
    return "differ"


def _same_actor(x: str, y: str) -> bool:
    kx, ky = name_key(x), name_key(y)
    if kx == ky:
        return True
    wx, wy = set(x.lower().split()), set(y.lower().split())
    return bool(wx and wy) and (wx <= wy or wy <= wx) and min(len(kx), len(ky)) >= 4


def _date_relation(x: str, y: str) -> str:
    if x == y:
        return "agree"
    if ("-" in x) != ("-" in y):
        return "compatible"  # a weekday and a date: not comparable without the year
    return "differ"


def _supersession(versions: list[Version], earlier_values: set[str]) -> str | None:
    """"6 (latest) supersedes 4" when every figure that disagrees with the latest report is older than it."""
    dated = [v for v in versions if _parse_when(v.published) is not None]
    if not dated:
        return _superseded_by_words(versions, earlier_values)
    latest = max(dated, key=lambda v: _parse_when(v.published))  # type: ignore[arg-type, return-value]
    latest_when = _parse_when(latest.published)
    assert latest_when is not None
    same_day = [v for v in dated if (_parse_when(v.published) or latest_when).date() == latest_when.date()]
    if any(_relation(latest.claim, v.claim) == "differ" for v in same_day):
        return None
    stale = [v for v in versions if _relation(latest.claim, v.claim) == "differ"]
    if not stale:
        return None
    for v in stale:
        when = _parse_when(v.published)
        if when is None:
            if v.claim.value not in earlier_values:
                return None
        elif when.date() >= latest_when.date() and when >= latest_when:
            return None
    for v in stale:
        v.superseded = True
    old = ", ".join(dict.fromkeys(_plain(v) for v in stale))
    return f"{_plain(latest)} ({latest.outlet or 'latest report'}, {latest.published}) supersedes {old}"


def _superseded_by_words(versions: list[Version], earlier_values: set[str]) -> str | None:
    """Without dates: a report that gives a figure as risen, naming the others as earlier figures."""
    risen = [v for v in versions if v.detail == "risen"]
    if len(risen) != 1:
        return None
    stale = [v for v in versions if _relation(risen[0].claim, v.claim) == "differ"]
    if not stale or any(v.claim.value not in earlier_values for v in stale):
        return None
    for v in stale:
        v.superseded = True
    return f"{_plain(risen[0])} ({risen[0].outlet or 'a later report'}) supersedes " + \
        ", ".join(dict.fromkeys(_plain(v) for v in stale))


def _plain(v: Version) -> str:
    return " ".join(v.phrase.split()) or v.value


def _trim(versions: list[Version]) -> list[Version]:
    """At most a few versions per value (the earliest reports first), so a table stays readable."""
    kept: list[Version] = []
    per_value: dict[str, int] = defaultdict(int)
    for v in versions:
        key = _value_key(v.claim) + v.polarity
        if per_value[key] < MAX_VERSIONS_PER_VALUE:
            kept.append(v)
        per_value[key] += 1
    return kept


def _value_key(c: Claim) -> str:
    return name_key(c.value) if c.kind == "responsibility" else f"{c.value}|{c.qualifier}"


def _display_value(c: Claim) -> str:
    if c.kind == "responsibility" and c.polarity == "denied":
        return f"{c.value} (denied)"
    return c.value


def _when(article: Article) -> str:
    return article.published or "~"


def _parse_when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)

