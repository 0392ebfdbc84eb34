"""The stable JSON form of a brief (`newsdesk.brief/1`) and of an article; see docs/SCHEMA.md."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from newsdesk.model import Article, Brief, Statement


def statement_dict(statement: Statement) -> dict[str, Any]:
    return {
        "text": statement.text,
        "citations": [
            {"source": c.source, "article_id": c.article_id, "start": c.start, "end": c.end}
            for c in statement.citations
        ],
        "score": statement.score,
        "also": [statement_dict(a) for a in statement.also],
    }


def brief_dict(brief: Brief) -> dict[str, Any]:
    return {
        "schema": brief.schema,
        "question": brief.question,
        "question_type": brief.question_type,
        "answer": [statement_dict(s) for s in brief.answer],
        "evidence": [statement_dict(s) for s in brief.evidence],
        "sources": [asdict(s) for s in brief.sources],
        "conflicts": brief.conflicts,
        "relations": brief.relations,
        "notes": brief.notes,
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
