"""Stance answers: what X did to and said about Y, counted by event, with a label derived from the counts.

Why events and not sentences: the same attack, claim or accusation is reported by several outlets
(and several times in one article); counting reports would inflate it. Relations with the same
source, target, action, speaker and time marker whose articles are within `SAME_EVENT_DAYS` of each
other (or undated) are one event, listing every citation. The label is newsdesk's own words, derived
only from those counts; every event quotes its sentences verbatim.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from newsdesk.analyze.actor_table import ActorTable, letters_key, load_actor_table
from newsdesk.analyze.lexicon import ACTIONS
from newsdesk.analyze.parsers import parserless_notes
from newsdesk.model import (
    NO_FILTERS,
    ActorEntry,
    Article,
    Brief,
    Filters,
    OutletStance,
    Relation,
    RelationCitation,
    RelationEvent,
    RelationsReport,
    Source,
    StancePart,
    StanceTrend,
)
from newsdesk.store.base import Store

# Reports of one event by different outlets fall within this many days of each other.
SAME_EVENT_DAYS = 3
_HOSTILE = -0.6
_FRIENDLY = 0.6


@dataclass
class Event:
    """One thing one actor did to or said about another, however many sentences report it."""

    source: str
    target: str
    action: str
    polarity: float
    mode: str
    anchor: str | None
    speaker: str | None
    negated: bool
    relations: list[Relation] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(r.article_id for r in self.relations))

    @property
    def attributed(self) -> bool:
        """Someone else's account ("officials said X did it"), not reported as fact nor in X's own words."""
        return self.speaker is not None


def tone(polarity: float) -> str:
    """A polarity's word: hostile, unfriendly, neutral, cooperative, friendly."""
    if polarity <= _HOSTILE:
        return "hostile"
    if polarity < 0:
        return "unfriendly"
    if polarity == 0:
        return "neutral"
    return "friendly" if polarity >= _FRIENDLY else "cooperative"


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def group_events(relations: Iterable[Relation], articles: Mapping[str, Article]) -> list[Event]:
    """Relations grouped into events (same who/what/whom/speaker/time marker, articles within a few days)."""
    events: list[Event] = []
    for rel in relations:
        published = articles[rel.article_id].published if rel.article_id in articles else None
        day = _day(published)
        for event in events:
            if (event.source, event.target, event.action, event.anchor, event.speaker, event.negated) != (
                    rel.source, rel.target, rel.action, rel.anchor, rel.speaker, rel.negated):
                continue
            days = [d for d in map(_day, event.dates) if d is not None]
            if day is None or not days or any(abs((day - d).days) <= SAME_EVENT_DAYS for d in days):
                event.relations.append(rel)
                if published and published[:10] not in event.dates:
                    event.dates.append(published[:10])
                break
        else:
            events.append(Event(rel.source, rel.target, rel.action, rel.polarity, rel.mode, rel.anchor, rel.speaker,
                                rel.negated, [rel], [published[:10]] if published else []))
    events.sort(key=lambda e: (min(e.dates) if e.dates else "9999", e.relations[0].article_id,
                               e.relations[0].start))
    return events


# --- who is meant ----------------------------------------------------------------------------------------------

_TITLE_WORDS = frozenset("the governor president minister prime mr mrs ms dr gen general chief spokesman".split())


def _words(name: str) -> set[str]:
    """The proper-name words of a name ("Governor Ruth Amsel" -> ruth, amsel; "the fire" -> none)."""
    return {w.casefold() for w in re.findall(r"[^\W_]+", name)
            if w[:1].isupper() and w.casefold() not in _TITLE_WORDS and len(w) > 1}


def resolve_actors(names: Sequence[str], store: Store, table: ActorTable | None = None) -> set[str]:
    """The actors (with their parts) that any of `names` means: by the actor table, else by the index's names."""
    table = table or load_actor_table()
    found: set[str] = set()
    for name in names:  # any name that stands for an actor: "Berlin", "the Kremlin", "Putin", "Allemagne"
        info = table.lookup(name)
        if info:
            found |= table.family(info.name)
    if found:
        return found
    known = store.actor_names()
    keys = {letters_key(a): a for a in known}
    for name in names:
        if letters_key(name) in keys:
            found.add(keys[letters_key(name)])
    if found:
        return found
    for name in names:
        wanted = _words(name)
        if not wanted:
            continue
        for actor in known:
            words = _words(actor)
            if words and (wanted <= words or words <= wanted):
                found.add(actor)
    return found


def display_name(actors: set[str], table: ActorTable | None = None) -> str:
    """The one name for a family of actors: its root (the actor the others are part of)."""
    table = table or load_actor_table()
    roots = [a for a in actors if not (table.actors.get(a) and table.actors[a].part_of in actors)]
    return sorted(roots or actors, key=lambda a: (len(a) > 40, a))[0] if actors else ""


# --- the stance of X towards Y --------------------------------------------------------------------------------


# One side outweighs the other when it has at least this many times its events (and two more): 11 attacks and
# 2 supportive acts read "hostile, with 2 friendly acts", not "mixed"; 2 against 1 stays mixed.
DOMINANCE = 2.0
# The trend compares the events of the last TREND_DAYS before the latest one with those before.
TREND_DAYS = 30


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def balance(events: Sequence[Event]) -> tuple[str, str]:
    """(label, balance): the label from the events' tones, and it in words with the minority side's count.

    Both sides present: the side with DOMINANCE times the other's events (and two more) labels the stance
    and the other is named ("hostile, with 2 friendly acts"); else `mixed` with both counts.
    """
    hostile = [e for e in events if e.polarity < 0]
    friendly = _friendly(events)
    if not events:
        return "unknown", "unknown"
    if not hostile and not friendly:
        return "neutral", "neutral"
    if hostile and friendly:
        h, f = len(hostile), len(friendly)
        if h >= DOMINANCE * f and h >= f + 2:
            label = tone(min(e.polarity for e in hostile))
            return label, f"{label}, with {_plural(f, 'friendly act')}"
        if f >= DOMINANCE * h and f >= h + 2:
            label = tone(max(e.polarity for e in friendly))
            return label, f"{label}, with {_plural(h, 'hostile act')}"
        return "mixed", f"mixed ({_plural(h, 'hostile act')}, {_plural(f, 'friendly act')})"
    label = tone(min(e.polarity for e in hostile)) if hostile else tone(max(e.polarity for e in friendly))
    return label, label


def _friendly(events: Sequence[Event], among: Sequence[Event] | None = None) -> list[Event]:
    """The friendly events: meetings and talks only when nothing hostile is found `among` all the events
    (rivals meet too: two meetings beside five hostile acts do not make the stance mixed)."""
    hostile = any(e.polarity < 0 for e in (events if among is None else among))
    return [e for e in events if e.polarity > 0 and not (hostile and ACTIONS[e.action].contact)]


def _tones(events: Sequence[Event], among: Sequence[Event] | None = None) -> dict[str, int]:
    """Hostile, friendly and neutral counts; `among`: all the events the label is read from (a meeting among
    acts is neutral when a statement of the same actor is hostile)."""
    friendly = {id(e) for e in _friendly(events, among)}
    counted = Counter("hostile" if e.polarity < 0 else "friendly" if id(e) in friendly else "neutral"
                      for e in events)
    return {k: counted.get(k, 0) for k in ("hostile", "friendly", "neutral")}


def stance_trend(events: Sequence[Event], days: int = TREND_DAYS) -> StanceTrend | None:
    """The last `days` days (up to the latest dated event) against before; None unless both hold events."""
    dated = [(max(e.dates), e) for e in events if e.dates]
    if not dated:
        return None
    until = max(d for d, _ in dated)
    cut = _day(until)
    if cut is None:
        return None
    recent = [e for d, e in dated if (day := _day(d)) is not None and (cut - day).days < days]
    before = [e for d, e in dated if e not in recent]
    if not recent or not before:
        return None
    r, b = _tones(recent), _tones(before)
    share = lambda t: (t["hostile"] - t["friendly"]) / max(1, sum(t.values()))  # noqa: E731
    shift = share(r) - share(b)
    direction = "more hostile" if shift > 0.2 else "more friendly" if shift < -0.2 else "unchanged"
    return StanceTrend(days, until, balance(recent)[1], balance(before)[1], r["hostile"], r["friendly"],
                       b["hostile"], b["friendly"], direction)


def outlet_stances(events: Sequence[Event], outlets: Mapping[str, str]) -> list[OutletStance]:
    """Each outlet's account of the events (`outlets`: article id -> outlet), only when the outlets' labels
    differ; an event counts for every outlet that reports it."""
    by_outlet: dict[str, list[Event]] = {}
    for event in events:
        for outlet in dict.fromkeys(outlets[a] for a in event.articles if outlets.get(a)):
            by_outlet.setdefault(outlet, []).append(event)
    if len(by_outlet) < 2 or len({balance(group)[0] for group in by_outlet.values()}) < 2:
        return []
    out = []
    for outlet, group in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        tones = _tones(group)
        out.append(OutletStance(outlet, balance(group)[1], tones["hostile"], tones["friendly"], tones["neutral"]))
    return out


def stance_summary(events: Sequence[Event], x_name: str, y_name: str,
                   originals: Mapping[str, str] | None = None, outlets: Mapping[str, str] | None = None,
                   ) -> StancePart:
    """The label and the counts it rests on, from X's events towards Y (attributed ones counted apart).

    Sources are counted as copy groups (`originals`: copy -> original, ingest.dedupe): a wire story run by
    five outlets is one source. With `outlets` (article id -> outlet), outlets that report the relation
    differently are listed ("according to A ...; B ...").
    """
    own = [e for e in events if not e.negated and not e.attributed]
    alleged = [e for e in events if not e.negated and e.attributed]
    hostile = [e for e in own if e.polarity < 0]
    friendly = _friendly(own)
    label, said = balance(own)
    if not own and alleged:  # only others' accounts: their balance, said to be theirs ("friendly, by others' accounts")
        label, said = balance(alleged)
        said = f"{said}, by others' accounts"
    counts = Counter(e.action for e in own)
    alleged_counts = Counter(e.action for e in alleged)
    sources = {(originals or {}).get(aid, aid) for e in [*own, *alleged] for aid in e.articles}
    in_sources = f"in {len(sources)} source{'s' if len(sources) != 1 else ''}"
    attributed = ", ".join(ACTIONS[a].count(n) for a, n in _by_count(alleged_counts))
    statements = [e for e in own if e.mode == "statement"]
    acts = [e for e in own if e.mode != "statement"]
    trend = stance_trend(own)
    by_outlet = outlet_stances(own, outlets or {})
    if own:
        parts = [ACTIONS[a].count(n) for a, n in _by_count(counts)]
        if not friendly:
            parts.append("0 friendly acts")
        if not hostile and friendly:
            parts.append("0 hostile acts")
        if alleged:
            parts.append(f"and {attributed} attributed to {x_name} by others")
        summary = f"{said}: {', '.join(parts)}, {in_sources}"
        if acts and statements:
            summary += f"; {_plural(len(acts), 'act')} ({_said(acts, own)}) and " \
                       f"{_plural(len(statements), 'statement')} of its own ({_said(statements, own)})"
        if trend is not None and trend.direction != "unchanged":
            summary += f"; last {trend.days} days to {trend.until}: {trend.recent}, before: {trend.before} " \
                       f"({trend.direction})"
        if by_outlet:
            summary += "; according to " + "; ".join(f"{o.outlet}: {o.balance}" for o in by_outlet[:4])
    elif alleged:
        summary = f"{said}: no act or statement of {x_name}'s own; {attributed} attributed to it by others, " \
                  f"{in_sources}"
    else:
        summary = "unknown: no relations found"
    note = None
    if own and not statements:
        note = (f"The sources hold no statement of {x_name}'s own views on {y_name}; its stance is read from what "
                f"it did ({', '.join(ACTIONS[a].label for a in counts)}).")
    elif not own and alleged:
        note = (f"The sources hold no statement of {x_name}'s own views on {y_name}, and report its acts only as "
                f"others' accounts.")
    elif not own:
        note = f"The sources report no action or statement of {x_name} towards {y_name}."
    return StancePart(
        source_actor=x_name, target_actor=y_name, label=label, tone=label,
        polarity=round(sum(e.polarity for e in own or alleged) / len(own or alleged), 2) if own or alleged else 0.0,
        summary=summary,
        counts=dict(counts), hostile=len(hostile), friendly=len(friendly), attributed=len(alleged),
        own_statements=len(statements), sources=len(sources), note=note, balance=said,
        neutral=len(own) - len(hostile) - len(friendly), actions=_tones(acts, own), statements=_tones(statements, own),
        trend=trend, outlets=by_outlet)


def _said(events: Sequence[Event], among: Sequence[Event] | None = None) -> str:
    """"3 hostile, 1 friendly": the tones of some events in words, zero counts left out."""
    return ", ".join(f"{n} {t}" for t, n in _tones(events, among).items() if n) or "none"


def _outlets(articles: Mapping[str, Article]) -> dict[str, str]:
    return {aid: a.outlet for aid, a in articles.items() if a.outlet}


def _by_count(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def other_accounts(events: Sequence[Event], candidates: Sequence[Event], family: set[str]) -> list[Event]:
    """Other actors said to have done the same violent events (an attack X claimed that officials blame on Z)."""
    keys = {(e.anchor, e.target) for e in events if e.action in ("attack", "claim_responsibility")}
    return [e for e in candidates if e.action == "attack" and e.source not in family
            and (e.anchor, e.target) in keys]


class _Citer:
    """Numbers the articles cited, adding them to the brief's sources as needed; checks every quote."""

    def __init__(self, sources: list[Source], articles: Mapping[str, Article]) -> None:
        self.sources = sources
        self.articles = articles
        self.numbers = {s.article_id: s.n for s in sources}
        for s in sources:  # a copy cited here is the source its group already is
            self.numbers.update({c["article_id"]: s.n for c in s.copies if c["article_id"] not in self.numbers})

    def __call__(self, rel: Relation) -> RelationCitation:
        art = self.articles[rel.article_id]
        text = art.text[rel.start : rel.end]
        if rel.article_id not in self.numbers:
            n = len(self.sources) + 1
            self.numbers[rel.article_id] = n
            url = art.url or next((loc.url for loc in art.locations if loc.url), None)
            path = art.path or next((loc.path for loc in art.locations if loc.path), None)
            self.sources.append(Source(n, art.id, art.title, art.outlet, art.published, url, path, art.language))
        return RelationCitation(self.numbers[rel.article_id], rel.article_id, rel.start, rel.end, text,
                                rel.trigger_start, rel.trigger_end)


def event_part(event: Event, cite: _Citer, number: int, direction: str) -> RelationEvent:
    """An event as output: numbered, with its direction (forward, backward, other_account) and citations."""
    first = event.relations[0]
    return RelationEvent(
        event=number, direction=direction,
        source_actor=event.source, source_part=_first_part(r.source_part for r in event.relations),
        target_actor=event.target, target_part=_first_part(r.target_part for r in event.relations),
        action=event.action, mode=event.mode, polarity=event.polarity, tone=tone(event.polarity),
        attributed=event.attributed, speaker=event.speaker,
        speaker_text=_first_part(r.speaker_text for r in event.relations), negated=event.negated,
        anchor=event.anchor or None, dates=sorted(event.dates), trigger=_trigger(first, cite.articles),
        citations=[cite(r) for r in event.relations],
    )


def _trigger(rel: Relation, articles: Mapping[str, Article]) -> str:
    return articles[rel.article_id].text[rel.trigger_start : rel.trigger_end]


def _first_part(values: Iterable[str | None]) -> str | None:
    return next((v for v in values if v), None)


def relations_section(store: Store, x_names: Sequence[str], y_names: Sequence[str], sources: list[Source],
                      articles: dict[str, Article] | None = None, filters: Filters = NO_FILTERS,
                      ) -> tuple[list[StancePart | RelationEvent], list[str]]:
    """The `relations` of a stance brief and its notes: X's stance towards Y, then the events, each cited.

    `sources` is extended with any article cited here that the brief does not list yet.
    """
    table = load_actor_table()
    xs = resolve_actors(x_names, store, table)
    ys = resolve_actors(y_names, store, table)
    x_name = display_name(xs, table) or (x_names[0] if x_names else "?")
    y_name = display_name(ys, table) or (y_names[0] if y_names else "?")
    if not xs:
        # Still a stance answer ("unknown"), so the reader sees the question was read as one.
        return [stance_summary([], x_name, y_name)], [f"The index names no actor {x_name!r}; no relations are listed."]
    if not ys:  # "what did X say about the fire": what X did to or said about anyone
        ys = {r.target for r in store.relations(sorted(xs), None, filters)}
        y_name = "others"
        if not ys:
            return [], [f"The sources report no action or statement of {x_name} towards another actor."]
    relations = store.relations(sorted(xs | ys), None, filters, either_way=True)
    wanted = [r for r in relations if (r.source in xs and r.target in ys) or (r.source in ys and r.target in xs)
              or (r.target in ys and r.action == "attack")]
    articles = dict(articles or {})
    missing_ids = [r.article_id for r in wanted if r.article_id not in articles]
    if missing_ids:
        articles.update(store.articles(missing_ids))
    events = group_events(wanted, articles)
    forward = [e for e in events if e.source in xs and e.target in ys]
    backward = [e for e in events if e.source in ys and e.target in xs]
    others = other_accounts(forward, [e for e in events if e.target in ys and e not in forward], xs)
    # A meeting or talks involve both sides: "the North Korean leader welcomed Lavrov" is Russia meeting North Korea.
    mutual = [replace(e, source=e.target, target=e.source) for e in backward
              if ACTIONS[e.action].contact and not e.negated]
    summary = stance_summary([*forward, *mutual], x_name, y_name, store.copy_originals(list(articles)),
                             _outlets(articles))
    cite = _Citer(sources, articles)
    out: list[StancePart | RelationEvent] = [summary]
    number = 0
    for direction, group in (("forward", forward), ("backward", backward), ("other_account", others)):
        for event in sorted(group, key=lambda e: (e.negated, e.attributed, ACTIONS[e.action].polarity, e.dates)):
            number += 1
            out.append(event_part(event, cite, number, direction))
    notes = [f"Stance of {x_name} towards {y_name}, from the relations found: {summary.summary}."]
    if summary.note:
        notes.append(summary.note)
    return out, notes


def add_relations(brief: Brief, store: Store, x_names: Sequence[str], y_names: Sequence[str],
                  articles: dict[str, Article] | None = None, filters: Filters = NO_FILTERS) -> Brief:
    """Fill a stance brief's `relations` (and its notes) from the stored relations between X and Y."""
    section, notes = relations_section(store, x_names, y_names, brief.sources, articles, filters)
    brief.relations = section
    brief.notes.extend(notes)
    brief.notes.extend(parserless_notes(s.language for s in brief.sources))  # "no parser for German ships ..."
    return brief


def relations_report(store: Store, x_names: Sequence[str], y_names: Sequence[str] | None = None,
                     filters: Filters = NO_FILTERS) -> RelationsReport:
    """X's relations (with Y, or with anyone) as a timeline of events, each cited; with Y, the stance both ways."""
    table = load_actor_table()
    xs = resolve_actors(x_names, store, table)
    ys = resolve_actors(y_names, store, table) if y_names else set()
    x_name = display_name(xs, table) or x_names[0]
    y_name = (display_name(ys, table) or y_names[0]) if y_names else None
    if not xs or (y_names and not ys):
        return RelationsReport(x_name, y_name, sorted(xs), sorted(ys), [], [], [],
                               f"The index names no actor {x_name if not xs else y_name!r}.")
    if y_names:
        relations = store.relations(sorted(xs), sorted(ys), filters, either_way=True)
    else:
        relations = store.relations(sorted(xs), None, filters, either_way=True)
    articles = store.articles([r.article_id for r in relations])
    events = group_events(relations, articles)
    sources: list[Source] = []
    cite = _Citer(sources, articles)
    stance: list[StancePart] = []
    if y_names:
        originals = store.copy_originals(list(articles))
        outlets = _outlets(articles)
        stance = [stance_summary([e for e in events if e.source in xs and e.target in ys], x_name, y_name or "",
                                 originals, outlets),
                  stance_summary([e for e in events if e.source in ys and e.target in xs], y_name or "", x_name,
                                 originals, outlets)]
    timeline = [event_part(e, cite, i, "forward" if e.source in xs else "backward")
                for i, e in enumerate(events, start=1)]
    return RelationsReport(x_name, y_name, sorted(xs), sorted(ys), stance, timeline, sources, None)


def actors_report(store: Store, name: str | None = None, limit: int = 50) -> list[ActorEntry]:
    """Actors by mention count with their names as written and parts; with `name`, that actor's family."""
    if name is None:
        return [ActorEntry(**row) for row in store.actor_stats(None, limit)]
    family = resolve_actors([name], store)
    return [ActorEntry(**row) for row in store.actor_stats(sorted(family), limit)] if family else []
