"""The stable JSON form of a brief (`newsdesk.brief/1`) and of an article; see docs/SCHEMA.md."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from newsdesk.answer.disputes import conflict_mark, statement_marks
from newsdesk.model import Article, Brief, Statement, TimelineEntry


def statement_dict(statement: Statement) -> dict[str, Any]:
    return {
        "text": statement.text,
        "citations": [
            {"source": c.source, "article_id": c.article_id, "start": c.start, "end": c.end}
            for c in statement.citations
        ],
        "score": statement.score,
        "also": [statement_dict(a) for a in statement.also],
        "language": statement.language,
    }


def _marked(entry: dict[str, Any], statement: Statement, marks: dict[tuple[str, int], int]) -> dict[str, Any]:
    """A statement quoting a disputed fact carries `conflict`: the id of that entry in `conflicts`."""
    n = conflict_mark(marks, statement.citations)
    if n is not None:
        entry["conflict"] = n
    return entry


def brief_dict(brief: Brief) -> dict[str, Any]:
    marks = statement_marks(brief)
    return {
        "schema": brief.schema,
        "question": brief.question,
        "question_type": brief.question_type,
        "answer": [_marked(statement_dict(s), s, marks) for s in brief.answer],
        "evidence": [_marked(statement_dict(s), s, marks) for s in brief.evidence],
        "sources": [asdict(s) for s in brief.sources],
        "conflicts": brief.conflicts,
        "relations": brief.relations,
        "notes": brief.notes,
        "stories": brief.stories,
        "timeline": [entry_dict(e) for e in brief.timeline],
    }


def entry_dict(entry: TimelineEntry) -> dict[str, Any]:
    """A timeline entry: its date and how it was found, and the quoted statement with its citations."""
    return {
        "n": entry.n, "date": entry.date, "date_end": entry.date_end, "precision": entry.precision,
        "basis": entry.basis, "expression": entry.expression, "published": entry.published, "note": entry.note,
        "differs": entry.differs, **statement_dict(entry.statement),
    }


def article_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "language": article.language,
        "author": article.author,
        "url": article.url,
        "path": article.path,
        "locations": [{"url": loc.url, "path": loc.path} for loc in article.locations],
        "metadata": article.metadata,
        "text": article.text,
    }
