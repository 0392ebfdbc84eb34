"""The timeline (`newsdesk timeline`, and a brief's Timeline section): terminal, Markdown and JSON.

Each entry is its date, how the date was found, and the quoted sentence with [n] citations; entries
whose date is only the publication date, or cannot be resolved, say so; differing dates are flagged.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from newsdesk.model import Timeline, TimelineEntry
from newsdesk.render.documents import TimelineJSON
from newsdesk.render.jsonout import entry_json
from newsdesk.render.plain import plain


def _one_line(text: str) -> str:
    return " ".join(text.split())


def when(entry: TimelineEntry) -> str:
    """"2022-03-08 (Tuesday)", "2022-02-28..2022-03-08 (last week)", "2022-03-09 (published)", "undated"."""
    if entry.date is None:
        return "undated" + (f" ({entry.expression})" if entry.expression else "")
    span = entry.date if entry.date_end in (None, entry.date) else f"{entry.date}..{entry.date_end}"
    if entry.basis == "published":
        return f"{span} (published; no date in the text)"
    return f"{span} ({entry.expression})" if entry.expression else span


def _marks(entry: TimelineEntry) -> str:
    own = sorted({c.source for c in entry.statement.citations})
    same = sorted({c.source for a in entry.statement.also for c in a.citations} - set(own))
    return "".join(f"[{n}]" for n in own) + "".join(f" ≈[{n}]" for n in same)


def _flags(entry: TimelineEntry) -> list[str]:
    flags = []
    if entry.differs:
        flags.append("sources differ on the date: see " + ", ".join(f"#{n}" for n in entry.differs))
    if entry.basis == "unresolved" and entry.note:
        flags.append(f"not placed: {entry.note}")
    return flags


def entry_lines(entries: Sequence[TimelineEntry], width: int = 100) -> list[str]:
    lines = []
    for e in entries:
        head = f"#{e.n} {when(e)}"
        lines.append(textwrap.fill(f"{head}  {_one_line(e.statement.text)} {_marks(e)}", width=width,
                                   initial_indent="  ", subsequent_indent="      "))
        for flag in _flags(e):
            lines.append(textwrap.fill(f"! {flag}", width=width, initial_indent="      ", subsequent_indent="        "))
    return lines


def timeline_section_lines(entries: Sequence[TimelineEntry], width: int = 100) -> list[str]:
    """A brief's Timeline section for the terminal (empty when there is none)."""
    return ["", "Timeline", *entry_lines(entries, width)] if entries else []


def timeline_section_markdown(entries: Sequence[TimelineEntry]) -> list[str]:
    """A brief's Timeline section in Markdown (empty when there is none)."""
    if not entries:
        return []
    out = ["**Timeline**", ""]
    for e in entries:
        flags = "".join(f" *({flag})*" for flag in _flags(e))
        out.append(f"- **{when(e)}** {_one_line(e.statement.text)} {_marks(e)}{flags}")
    return out + [""]


def render_timeline(timeline: Timeline, width: int = 100) -> str:
    lines = [f"Timeline: {timeline.query}", ""]
    lines += entry_lines(timeline.entries, width) or ["  No dated events found."]
    lines += [textwrap.fill(note, width, initial_indent="  note: ", subsequent_indent="        ")
              for note in timeline.notes]
    if timeline.sources:
        lines += ["", "Sources"]
        for s in timeline.sources:
            meta = ", ".join(x for x in (s.outlet, s.published, s.language) if x)
            where = s.url or s.path or ""
            lines.append(textwrap.fill(f"[{s.n}] {_one_line(s.title)} ({meta}) {where} id:{s.article_id}",
                                       width, initial_indent="  ", subsequent_indent="  "))
    return "\n".join(lines) + "\n"


def render_timeline_markdown(timeline: Timeline) -> str:
    out = [f"## Timeline: {timeline.query}", ""]
    out += timeline_section_markdown(timeline.entries) or ["No dated events found.", ""]
    out += [f"> {note}\n" for note in timeline.notes]
    if timeline.sources:
        out += ["**Sources**", ""]
        for s in timeline.sources:
            meta = ", ".join(x for x in (s.outlet, s.published, s.language) if x)
            title = _one_line(s.title).replace("[", "\\[").replace("]", "\\]")
            link = f"[{title}]({s.url})" if s.url else title
            out.append(f"{s.n}. {link} ({meta}) `{s.article_id}`")
    return "\n".join(out) + "\n"


def timeline_dict(timeline: Timeline) -> dict[str, Any]:
    """`newsdesk timeline --json` (newsdesk.timeline/1), as its document type TimelineJSON."""
    out: dict[str, Any] = plain(TimelineJSON(timeline.schema, timeline.query,
                                             [entry_json(e) for e in timeline.entries], timeline.sources,
                                             timeline.notes))
    return out
