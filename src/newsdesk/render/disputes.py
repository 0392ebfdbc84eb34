""""Where sources disagree": the brief's conflicts as a table for the terminal and Markdown.

Each disputed attribute gets a heading (‡id, attribute, event, classification) and one row
per version: the value as the source wrote it, its source number, outlet and date, and who
said it, with the quoted sentence under it (shortened around the value for the terminal;
the JSON form carries it whole).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from newsdesk.answer.disputes import Disputes, conflict_mark, statement_marks
from newsdesk.model import Brief, ConflictEntry, ConflictVersion, Source, Statement
from newsdesk.render.documents import ConflictsJSON
from newsdesk.render.plain import plain

HEADING = "Where sources disagree"
_CLASS_WORDS = {
    "differ": "the figures differ",
    "contradict": "the versions contradict each other",
    "superseded": "a later report supersedes earlier figures",
    "compatible": "compatible",
    "agree": "agree",
}


def disputed_mark(statement: Statement, brief: Brief) -> str:
    """' ‡n' after a statement quoting a disputed fact (see the conflict n), else ''."""
    n = conflict_mark(statement_marks(brief), statement.citations)
    return f" ‡{n}" if n is not None else ""


def conflict_lines(conflicts: Sequence[ConflictEntry], width: int = 100) -> list[str]:
    """The terminal table, with a blank line and the heading before it; [] when nothing is disputed."""
    if not conflicts:
        return []
    lines = ["", HEADING]
    for c in conflicts:
        lines.append(f"  ‡{c.id} {c.attribute} · {c.event} · {_CLASS_WORDS.get(c.classification, '')}"
                     f" ({c.classification})")
        if c.note:
            lines.append(textwrap.fill(c.note, width=width, initial_indent="     ", subsequent_indent="     "))
        rows = [_row(v) for v in c.versions]
        widths = [min(cap, max(len(r[i]) for r in rows)) for i, cap in enumerate((30, 12, 32))]
        for v, row in zip(c.versions, rows, strict=True):
            cells = [cell[: widths[i]].ljust(widths[i]) for i, cell in enumerate(row[:3])]
            lines.append(f"     {cells[0]}  {cells[1]}  {cells[2]}  {row[3]}".rstrip())
            lines.append(f"       “{_around(v, width - 9)}”")
    return lines


def conflict_markdown(conflicts: Sequence[ConflictEntry]) -> list[str]:
    """The Markdown table: one per disputed attribute."""
    if not conflicts:
        return []
    out = [f"**{HEADING}**", ""]
    for c in conflicts:
        out.append(f"‡{c.id} *{c.attribute}* · {c.event} · {c.classification}")
        if c.note:
            out += ["", f"> {c.note}"]
        out += ["", "| value | source | outlet, date | said by | quote |", "|---|---|---|---|---|"]
        for v in c.versions:
            value, source, where, speaker = _row(v)
            quote = " ".join(v.text.split()).replace("|", "\\|")
            out.append(f"| {value} | {source} | {where} | {speaker} | {quote} |")
        out.append("")
    return out


_STANCES = ("claimed", "blamed", "accused", "linked", "suspected", "caused")


def _row(version: ConflictVersion) -> tuple[str, str, str, str]:
    phrase = " ".join((version.phrase or version.value).split())
    detail = version.detail
    if version.value == "none":
        phrase = "none claimed"
    elif version.value == "undetermined":
        phrase = "undetermined"
    elif version.polarity == "denied":
        phrase = version.value
    elif detail in _STANCES:
        phrase = f"{version.value} ({detail})"
    if version.superseded:
        phrase = f"{phrase} (earlier)"
    sources = "".join(f"[{c.source}]" for c in version.citations)
    where = ", ".join(x for x in (version.outlet, (version.published or "")[:10]) if x) or "-"
    return phrase, sources, where, version.speaker or "-"


def _around(version: ConflictVersion, limit: int) -> str:
    """The quoted sentence, cut to `limit` characters around the value when it is longer."""
    text = " ".join(version.text.split())
    if len(text) <= limit:
        return text
    phrase = " ".join((version.phrase or "").split())
    at = max(0, text.find(phrase)) if phrase else 0
    room = max(0, limit - 2 - len(phrase))
    start = max(0, min(at - room // 2, len(text) - (limit - 2)))
    end = min(len(text), start + limit - 2)
    # Cut at word boundaries, never inside a word (the value itself always stays whole).
    if start and not text[start - 1].isspace():
        space = text.find(" ", start, at if phrase else end)
        start = space + 1 if space != -1 else start
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", max(start, at + len(phrase)), end)
        end = space if space != -1 else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def render_disputes(disputes: Disputes, width: int = 100) -> str:
    """`newsdesk conflicts`: the table and the sources it cites."""
    scope = f"for {disputes.query!r}" if disputes.query else "across the collection"
    lines = [f"{HEADING} ({scope}, {disputes.articles_searched} articles)"]
    if not disputes.conflicts:
        lines.append("  No disputed figures or attributions were found.")
    lines += conflict_lines(disputes.conflicts, width)[2:]
    lines += _sources(disputes.sources, width)
    return "\n".join(lines) + "\n"


def _sources(sources: Sequence[Source], width: int) -> list[str]:
    if not sources:
        return []
    out = ["", "Sources"]
    for s in sources:
        meta = ", ".join(x for x in (s.outlet, s.published, s.language) if x)
        out.append(textwrap.fill(f"[{s.n}] {' '.join(s.title.split())} ({meta}) {s.url or s.path or ''} "
                                 f"id:{s.article_id}", width=width, initial_indent="  ", subsequent_indent="  "))
    return out


def disputes_dict(disputes: Disputes) -> dict[str, Any]:
    """The JSON form of `newsdesk conflicts --json` (newsdesk.conflicts/1, docs/SCHEMA.md)."""
    out: dict[str, Any] = plain(ConflictsJSON(disputes.schema, disputes.query, disputes.articles_searched,
                                              disputes.conflicts, disputes.sources))
    return out
