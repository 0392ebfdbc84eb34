"""Plain-text renderings for the terminal and Markdown: [n] citations and the numbered sources."""

from __future__ import annotations

import textwrap

from newsdesk.model import Brief, Source, Statement, StoryEntry
from newsdesk.render.disputes import conflict_lines, conflict_markdown, disputed_mark
from newsdesk.render.relations import relation_lines, relation_markdown
from newsdesk.render.timeline import timeline_section_lines, timeline_section_markdown


def _marks(statement: Statement) -> str:
    """[n] for sources quoted; ≈[n] for sources saying the same in their own words."""
    own = sorted({c.source for c in statement.citations})
    same = sorted({c.source for a in statement.also for c in a.citations} - set(own))
    return "".join(f"[{n}]" for n in own) + "".join(f" ≈[{n}]" for n in same)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quote(statement: Statement) -> str:
    """The quote as written, prefixed with its language code when that differs from the question's.

    With a learned ranker, the probability that it answers the question leads it ("(72%)"); when the question's
    name covers several entities, the article's words for the one it is about come first.
    """
    text = _one_line(statement.text)
    text = f"[{statement.language}] {text}" if statement.language else text
    text = f"{_one_line(statement.entity)} — {text}" if statement.entity else text  # which same-named entity
    return f"({statement.confidence:.0%}) {text}" if statement.confidence is not None else text


def _also_ran(source: Source) -> str:
    """Where else a source's text ran (near-duplicate copies, counted once)."""
    if not source.copies:
        return ""
    outlets = list(dict.fromkeys(c.get("outlet") or c.get("url") or c["article_id"] for c in source.copies))
    return f" — also carried by {len(source.copies)} cop{'y' if len(source.copies) == 1 else 'ies'}: " + \
        ", ".join(outlets)


def story_line(story: StoryEntry) -> str:
    """One story named in a brief: its sources there, label, dates and size."""
    marks = "".join(f"[{n}]" for n in story.cited_sources or [])
    days = story.first_published or "?"
    if story.last_published and story.last_published != story.first_published:
        days += f" to {story.last_published}"
    return (f"{marks} {_one_line(story.label)} ({days}; {story.articles} articles, "
            f"{story.sources} sources, {len(story.outlets)} outlets)").strip()


def render_terminal(brief: Brief, width: int = 100) -> str:
    lines = [f"Q: {brief.question}", ""]
    wrap = lambda text, indent: textwrap.fill(  # noqa: E731
        text, width=width, initial_indent=indent, subsequent_indent=" " * len(indent)
    )
    if brief.answer:
        lines.append("Answer")
        lines += [wrap(f"{_quote(s)} {_marks(s)}{disputed_mark(s, brief)}", "  • ") for s in brief.answer]
    for note in brief.notes:
        lines.append(wrap(note, "  note: "))
    if brief.evidence:
        lines += ["", "Evidence"]
        lines += [wrap(f"{_quote(s)} {_marks(s)}{disputed_mark(s, brief)}", "  • ") for s in brief.evidence]
    lines += conflict_lines(brief.conflicts, width)
    lines += relation_lines(brief.relations, width)
    lines += timeline_section_lines(brief.timeline, width)
    if brief.stories:
        lines += ["", "Stories"] + [wrap(story_line(st), "  ") for st in brief.stories]
    if brief.sources:
        lines += ["", "Sources"]
        for s in brief.sources:
            meta = ", ".join(x for x in (s.outlet, s.published, s.language) if x)
            where = s.url or s.path or ""
            lines.append(wrap(f"[{s.n}] {_one_line(s.title)} ({meta}) {where} id:{s.article_id}{_also_ran(s)}", "  "))
    return "\n".join(lines) + "\n"


def render_markdown(brief: Brief) -> str:
    out = [f"## {brief.question}", ""]
    if brief.answer:
        out += ["**Answer**", ""] + [f"- {_quote(s)} {_marks(s)}{disputed_mark(s, brief)}"
                                     for s in brief.answer] + [""]
    for note in brief.notes:
        out += [f"> {note}", ""]
    if brief.evidence:
        out += ["**Evidence**", ""] + [f"- {_quote(s)} {_marks(s)}{disputed_mark(s, brief)}"
                                       for s in brief.evidence] + [""]
    out += conflict_markdown(brief.conflicts)
    out += relation_markdown(brief.relations)
    out += timeline_section_markdown(brief.timeline)
    if brief.stories:
        out += ["**Stories**", ""] + [f"- {story_line(st)}" for st in brief.stories] + [""]
    if brief.sources:
        out += ["**Sources**", ""]
        for s in brief.sources:
            meta = ", ".join(x for x in (s.outlet, s.published, s.language) if x)
            title = _one_line(s.title).replace("[", "\\[").replace("]", "\\]")
            link = f"[{title}]({s.url})" if s.url else title
            out.append(f"{s.n}. {link} ({meta}) `{s.article_id}`{_also_ran(s)}")
    return "\n".join(out) + "\n"
