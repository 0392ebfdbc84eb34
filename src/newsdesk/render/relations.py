"""The Relations section of a brief (terminal and Markdown) and the `newsdesk relations` timeline.

Each event is one line (who, what, to whom, when, whose account) with its [n] citations, followed by
the first quoted sentence; the stance label heads the section. See answer/stance.py for the data.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from newsdesk.analyze.lexicon import ACTIONS
from newsdesk.model import ActorEntry, RelationEvent, RelationsReport, StancePart
from newsdesk.render.plain import plain

_ARROWS = {"forward": "", "backward": "", "other_account": "other accounts of these events"}
_VERB = {
    "attack": "attacked", "claim_responsibility": "claimed an attack on", "coerce": "coerced",
    "threaten": "threatened", "condemn": "condemned", "accuse": "accused", "criticize": "criticized",
    "demand": "made demands of", "deny": "denied the account of", "negotiate": "negotiated with",
    "sue": "sued", "meet": "met", "cooperate": "cooperated with", "aid": "aided", "support": "supported",
    "praise": "praised", "sympathize": "expressed sympathy with", "apologize": "apologized to",
}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _actor(name: str | None, part: str | None) -> str:
    return f"{name} ({part})" if part else f"{name}"


def event_line(event: RelationEvent) -> str:
    """"Islamic State claimed an attack on Pakistan (lawyers) · august · undated [1]"."""
    verb = _VERB.get(event.action, event.action)
    if event.negated:
        verb = f"did not ({verb})"
    when = ", ".join(event.dates or []) or "undated"
    if event.anchor:
        when = f"{event.anchor} (reported {when})"
    parts = [f"{_actor(event.source_actor, event.source_part)} {verb} "
             f"{_actor(event.target_actor, event.target_part)}", when, event.tone]
    if event.attributed:
        parts.append(f"according to {_actor(event.speaker, event.speaker_text)}")
    marks = "".join(f"[{n}]" for n in dict.fromkeys(c.source for c in event.citations))
    return " · ".join(p for p in parts if p) + f" {marks}"


def relation_lines(relations: Sequence[StancePart | RelationEvent], width: int = 100) -> list[str]:
    """The terminal lines of a brief's relations (empty when there are none)."""
    if not relations:
        return []
    wrap = lambda text, indent, rest=None: textwrap.fill(  # noqa: E731
        text, width=width, initial_indent=indent, subsequent_indent=rest or " " * len(indent))
    lines = ["", "Relations"]
    heading = None
    for item in relations:
        if isinstance(item, StancePart):
            lines.append(wrap(f"{item.source_actor} → {item.target_actor}: {item.summary}", "  "))
            continue
        group = (item.direction, item.action)
        if group != heading:
            heading = group
            label = ACTIONS[item.action].label
            title = _ARROWS.get(item.direction) or f"{item.source_actor} → {item.target_actor}"
            lines.append(f"  {title}: {label}")
        lines.append(wrap(event_line(item), "    • ", "      "))
        first = item.citations[0]
        lines.append(wrap(f"“{_one_line(first.text)}” [{first.source}]", "      ", "       "))
    return lines


def relation_markdown(relations: Sequence[StancePart | RelationEvent]) -> list[str]:
    """The Markdown lines of a brief's relations (empty when there are none)."""
    if not relations:
        return []
    out = ["**Relations**", ""]
    for item in relations:
        if isinstance(item, StancePart):
            out += [f"{item.source_actor} → {item.target_actor}: *{item.summary}*", ""]
            continue
        first = item.citations[0]
        out.append(f"- {event_line(item)}  \n  > {_one_line(first.text)}")
    return out + [""]


def timeline_lines(report: RelationsReport, width: int = 100) -> list[str]:
    """`newsdesk relations X [Y]`: the stance both ways (with Y), then every event in date order, quoted."""
    wrap = lambda text, indent, rest=None: textwrap.fill(  # noqa: E731
        text, width=width, initial_indent=indent, subsequent_indent=rest or " " * len(indent))
    title = f"{report.actor} and {report.other}" if report.other else report.actor
    lines = [f"Relations of {title}"]
    if report.note:
        return [*lines, wrap(report.note, "  note: ")]
    for stance in report.stance:
        lines.append(wrap(f"{stance.source_actor} → {stance.target_actor}: {stance.summary}", "  "))
        if stance.note:
            lines.append(wrap(stance.note, "    note: "))
    if not report.events:
        lines.append("  No relations found.")
    lines += ["", "Timeline"]
    for event in report.events:
        lines.append(wrap(event_line(event), "  • ", "    "))
        for citation in event.citations:
            lines.append(wrap(f"“{_one_line(citation.text)}” [{citation.source}]", "    ", "     "))
    if report.sources:
        lines += ["", "Sources"]
        for s in report.sources:
            meta = ", ".join(x for x in (s.outlet, s.published, s.language) if x)
            where = s.url or s.path or ""
            lines.append(wrap(f"[{s.n}] {_one_line(s.title)} ({meta}) {where} id:{s.article_id}", "  "))
    return lines


def actor_lines(actors: Sequence[ActorEntry], width: int = 100) -> list[str]:
    """`newsdesk actors [NAME]`: each actor with kind, counts, names as written and parts."""
    if not actors:
        return ["No actors found."]
    lines = []
    for a in actors:
        lines.append(f"{a.actor} ({a.kind}): {a.mentions} mentions in {a.articles} articles, "
                     f"{a.relations} relations")
        if a.names:
            names = ", ".join(f"{_one_line(n)} ×{c}" for n, c in a.names.items())
            lines.append(textwrap.fill(f"names: {names}", width, initial_indent="    ", subsequent_indent="      "))
        if a.parts:
            parts = ", ".join(f"{p} ×{c}" for p, c in a.parts.items())
            lines.append(textwrap.fill(f"parts: {parts}", width, initial_indent="    ", subsequent_indent="      "))
    return lines


def relations_dict(report: RelationsReport) -> dict[str, Any]:
    """`newsdesk relations X [Y] --json` (docs/SCHEMA.md, Relations)."""
    out: dict[str, Any] = plain(report)
    return out


def actors_list(actors: Sequence[ActorEntry]) -> list[dict[str, Any]]:
    """`newsdesk actors [NAME] --json`: most mentioned first."""
    return [plain(a) for a in actors]
