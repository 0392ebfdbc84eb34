"""The stable JSON form of a brief (`newsdesk.brief/1`) and of an article; see docs/SCHEMA.md.

Each is built as its document type (render/documents.py), from which docs/schema/ is generated, and
only then made plain JSON: what the schema describes is what is written.
"""

from __future__ import annotations

from typing import Any

from newsdesk.answer.disputes import conflict_mark, statement_marks
from newsdesk.model import Article, Brief, Statement, TimelineEntry
from newsdesk.render.documents import ArticleJSON, BriefJSON, StatementJSON, TimelineEntryJSON
from newsdesk.render.plain import plain


def statement_json(statement: Statement, marks: dict[tuple[str, int], int] | None = None) -> StatementJSON:
    """A statement; with `marks`, one quoting a disputed fact carries the id of that entry in `conflicts`."""
    return StatementJSON(statement.text, list(statement.citations), statement.score,
                         [statement_json(a) for a in statement.also], statement.language,
                         conflict_mark(marks, statement.citations) if marks is not None else None,
                         statement.confidence, statement.entity)


def brief_json(brief: Brief) -> BriefJSON:
    marks = statement_marks(brief)
    return BriefJSON(
        schema=brief.schema, question=brief.question, question_type=brief.question_type,
        answer=[statement_json(s, marks) for s in brief.answer],
        evidence=[statement_json(s, marks) for s in brief.evidence],
        sources=brief.sources, conflicts=brief.conflicts, relations=brief.relations, notes=brief.notes,
        stories=brief.stories, timeline=[entry_json(e) for e in brief.timeline],
    )


def brief_dict(brief: Brief) -> dict[str, Any]:
    out: dict[str, Any] = plain(brief_json(brief))
    return out


def entry_json(entry: TimelineEntry) -> TimelineEntryJSON:
    """A timeline entry: its date and how it was found, and the quoted statement with its citations."""
    s = entry.statement
    return TimelineEntryJSON(
        entry.n, entry.date, entry.date_end, entry.precision, entry.basis, entry.expression, entry.published,
        entry.note, entry.differs, s.text, list(s.citations), s.score, [statement_json(a) for a in s.also],
        s.language,
    )


def article_dict(article: Article) -> dict[str, Any]:
    out: dict[str, Any] = plain(ArticleJSON(
        article.id, article.title, article.outlet, article.published, article.language, article.author,
        article.url, article.path, [{"url": loc.url, "path": loc.path} for loc in article.locations],
        article.metadata, article.text,
    ))
    return out
