"""Full text for the PostgreSQL store: text -> tsvector input, and a `TermQuery` -> tsquery SQL.

A query is made only of fixed function calls (phraseto_tsquery) with every phrase passed as a bound
parameter: user text never becomes SQL or tsquery syntax.
"""

from __future__ import annotations

from psycopg import sql

from newsdesk.analyze.searchtext import searchable
from newsdesk.model import TermQuery

# 'english' (Snowball stemmer, English stop words) is the nearest to SQLite's porter tokenizer, and
# measured better than 'simple' (see docs/POSTGRES.md). A database-wide choice: changing it needs a re-index.
TEXT_CONFIG = "english"


def index_text(text: str, language: str | None = None) -> str:
    """The text handed to to_tsvector for one passage or title: `searchable(text)`, as SQLite's FTS5 gets.

    Chinese runs are cut into words by jieba (the default parser keeps a Han run as one token, so a
    query word inside it would never match); other text is unchanged. Questions are cut the same way.
    """
    return searchable(text)


def tsvector_sql(title: str, body: str) -> sql.Composed:
    """SQL for a passage's tsvector from two columns of ours (e.g. "u.title", "u.body"): the title weighs more."""
    return sql.SQL("setweight(to_tsvector({c}::regconfig, {t}), 'A') || "
                   "setweight(to_tsvector({c}::regconfig, {b}), 'B')"
                   ).format(c=sql.Literal(TEXT_CONFIG), t=sql.SQL(title), b=sql.SQL(body))


def tsquery_terms(query: TermQuery) -> list[tuple[sql.Composable, list[str]]]:
    """Each phrase of `query` as tsquery SQL (its words in order: a <-> b) and its one parameter.

    They stay apart because ranking weighs each by how rare it is (BM25's IDF), which one tsquery cannot do.
    Phrases are cut as passages are (`index_text`), so a Chinese question matches words in Chinese text.
    """
    function = sql.SQL("phraseto_tsquery({c}::regconfig, %s)").format(c=sql.Literal(TEXT_CONFIG))
    return [(function, [index_text(term)]) for term in query.terms]
