"""What is new in a watched question's brief, as change records keyed so that none is reported twice.

Each reportable part of a brief gets a key naming what it says, not where it sits in the brief:
a statement by its words, a source by its article, a disagreement by its event, attribute and each
side's figure with the articles behind it, a stance by its actors, label, tone and balance. A part
whose key the watch has reported is not a change. A disagreement or stance also has a topic key (its
event and attribute, its two actors): a new key under a known topic is reported as `changed`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from newsdesk.model import Brief, ConflictEntry, Source, StancePart, Statement
from newsdesk.render.changes import CHANGE_SCHEMA, change_body
from newsdesk.render.documents import ChangeJSON, StatementJSON
from newsdesk.render.jsonout import statement_json
from newsdesk.store.follow_state import NewChange, WatchState


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:32]


def statement_key(statement: Statement) -> str:
    return f"statement:{_digest(' '.join(statement.text.split()))}"


def source_key(source: Source) -> str:
    return f"source:{source.article_id}"


def conflict_keys(conflict: ConflictEntry) -> tuple[str, str]:
    """(the disagreement as it stands: each figure with its articles; its topic: event and attribute)."""
    sides = sorted((v.value, v.polarity, tuple(sorted({c.article_id for c in v.citations})))
                   for v in conflict.versions)
    return (f"conflict:{_digest(conflict.event, conflict.attribute, conflict.classification, sides)}",
            f"conflict-topic:{_digest(conflict.event, conflict.attribute)}")


def stance_keys(stance: StancePart) -> tuple[str, str]:
    """(the stance as it stands: label, tone and balance to one decimal; its topic: the two actors)."""
    state = _digest(stance.source_actor, stance.target_actor, stance.label, stance.tone, round(stance.polarity, 1))
    return f"stance:{state}", f"stance-topic:{_digest(stance.source_actor, stance.target_actor)}"


def brief_changes(watch: WatchState, brief: Brief, seen: set[str]) -> list[NewChange]:
    """The change records for what in `brief` the watch has not reported (`seen`: its reported keys)."""
    return [c for c in _all_changes(watch, brief, seen) if c.keys[0] not in seen]


def baseline_keys(brief: Brief) -> list[NewChange]:
    """Every key of `brief`, with no record: what a new watch starts from (its first answer is no change)."""
    return [NewChange(keys, "") for keys in _keys(brief)]


def _keys(brief: Brief) -> Iterator[tuple[str, ...]]:
    for statement in brief.answer:
        yield (statement_key(statement),)
    for source in brief.sources:
        yield (source_key(source),)
    for conflict in brief.conflicts:
        yield conflict_keys(conflict)
    for part in brief.relations:
        if isinstance(part, StancePart):
            yield stance_keys(part)


def _all_changes(watch: WatchState, brief: Brief, seen: set[str]) -> Iterator[NewChange]:
    by_number = {s.n: s for s in brief.sources}

    def record(kind: str, keys: tuple[str, ...], cited: list[int], statement: StatementJSON | None = None,
               source: Source | None = None, conflict: ConflictEntry | None = None,
               stance: StancePart | None = None) -> NewChange:
        status = "changed" if len(keys) > 1 and keys[1] in seen else "new"
        sources = [by_number[n] for n in sorted(set(cited)) if n in by_number]
        change = ChangeJSON(schema=CHANGE_SCHEMA, id=0, watch=watch.id, recorded="", question=watch.question,
                            kind=kind, status=status, sources=sources, statement=statement, source=source,
                            conflict=conflict, stance=stance)
        return NewChange(keys, change_body(change))

    for statement in brief.answer:
        cited = [c.source for c in statement.citations] + [c.source for a in statement.also for c in a.citations]
        yield record("statement", (statement_key(statement),), cited, statement=statement_json(statement))
    for source in brief.sources:
        yield record("source", (source_key(source),), [], source=source)
    for conflict in brief.conflicts:
        cited = [c.source for v in conflict.versions for c in v.citations]
        yield record("conflict", conflict_keys(conflict), cited, conflict=conflict)
    for part in brief.relations:
        if isinstance(part, StancePart):
            yield record("stance", stance_keys(part), [], stance=part)
