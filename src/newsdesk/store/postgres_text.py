"""Full text for the PostgreSQL store: text -> tsvector input, and FTS5 expressions -> tsquery SQL.

Callers build one FTS5 expression for both backends (`search.fts_query`: quoted terms joined by OR).
Here it is parsed and turned into SQL made only of fixed function calls and operators, with every
term passed as a bound parameter: user text never becomes SQL or tsquery syntax.

FTS5 -> tsquery:  "a b" -> phraseto_tsquery (a <-> b);  "a b"* -> last word a prefix (b:*);
a AND b / a b -> &&;  a OR b -> ||;  a NOT b -> a && !!b;  NEAR(a b, n) -> a && b (tsquery has no
unordered proximity, so NEAR matches a little more than in SQLite); parentheses group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from psycopg import sql

from newsdesk.analyze.searchtext import searchable
from newsdesk.store.base import StoreError

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


# -- FTS5 expression parser -----------------------------------------------------------------------------

_TOKEN = re.compile(r'\s*(?:(?P<quoted>"(?:[^"]|"")*")|(?P<open>\()|(?P<close>\))|(?P<star>\*)|(?P<comma>,)'
                    r'|(?P<plus>\+)|(?P<word>[^\s"()*,+]+)|(?P<bad>"))')


@dataclass(frozen=True)
class _Phrase:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class _Op:
    op: str  # "and", "or", "not"
    left: object
    right: object


def _tokens(expression: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(expression):
        match = _TOKEN.match(expression, pos)
        if match is None or match.end() == pos:
            if expression[pos:].strip() == "":
                break
            raise StoreError(f"bad full-text query {expression!r}: cannot read {expression[pos:]!r}")
        pos = match.end()
        kind = match.lastgroup or ""
        if kind == "bad":
            raise StoreError(f"bad full-text query {expression!r}: unterminated string")
        value = match.group(kind)
        if kind == "quoted":
            value = value[1:-1].replace('""', '"')
        out.append((kind, value))
    return out


class _Parser:
    """Recursive descent over FTS5's grammar: OR binds loosest, then AND (explicit or implied), then NOT."""

    def __init__(self, expression: str) -> None:
        self.expression = expression
        self.tokens = _tokens(expression)
        self.pos = 0

    def error(self, why: str) -> StoreError:
        return StoreError(f"bad full-text query {self.expression!r}: {why}")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def keyword(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token == ("word", word)

    def parse(self) -> object:
        node = self.parse_or()
        if self.peek() is not None:
            raise self.error(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return node

    def parse_or(self) -> object:
        node = self.parse_and()
        while self.keyword("OR"):
            self.pos += 1
            node = _Op("or", node, self.parse_and())
        return node

    def parse_and(self) -> object:
        node = self.parse_not()
        while True:
            if self.keyword("AND"):
                self.pos += 1
            elif self.peek() is None or self.peek()[0] == "close" or self.keyword("OR"):  # type: ignore[index]
                return node
            node = _Op("and", node, self.parse_not())

    def parse_not(self) -> object:
        node = self.parse_primary()
        while self.keyword("NOT"):
            self.pos += 1
            node = _Op("not", node, self.parse_primary())
        return node

    def parse_primary(self) -> object:
        token = self.peek()
        if token is None:
            raise self.error("expression ends too early")
        kind, value = token
        if kind == "open":
            self.pos += 1
            node = self.parse_or()
            if self.peek() != ("close", ")"):
                raise self.error("missing )")
            self.pos += 1
            return node
        if kind == "word" and value == "NEAR" and self.pos + 1 < len(self.tokens) and \
                self.tokens[self.pos + 1][0] == "open":
            return self.parse_near()
        if kind == "word" and value in ("AND", "OR", "NOT"):
            raise self.error(f"{value} without a term before it")
        return self.parse_phrase()

    def parse_phrase(self) -> _Phrase:
        parts: list[str] = []
        while True:
            kind, value = self.peek() or ("", "")
            if kind not in ("quoted", "word"):
                raise self.error(f"expected a term, found {value!r}" if value else "expression ends too early")
            if ":" in value and kind == "word":
                raise self.error(f"column filters are not supported ({value!r})")
            parts.append(value)
            self.pos += 1
            if self.peek() == ("star", "*"):
                self.pos += 1
                return _Phrase(" ".join(parts), prefix=True)
            if self.peek() != ("plus", "+"):
                return _Phrase(" ".join(parts))
            self.pos += 1

    def parse_near(self) -> object:
        self.pos += 2  # NEAR (
        node: object | None = None
        while self.peek() is not None and self.peek()[0] != "close":  # type: ignore[index]
            if self.peek()[0] == "comma":  # type: ignore[index]
                self.pos += 1
                if not (self.peek() or ("", ""))[1].isdigit():
                    raise self.error("NEAR distance must be a number")
                self.pos += 1
                continue
            phrase = self.parse_phrase()
            node = phrase if node is None else _Op("and", node, phrase)
        if self.peek() != ("close", ")") or node is None:
            raise self.error("bad NEAR group")
        self.pos += 1
        return node


def _lexeme(word: str) -> str:
    """One word as a quoted tsquery operand (quotes and backslashes escaped): never tsquery syntax."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _compile(node: object, params: list[str]) -> sql.Composable:
    config = sql.Literal(TEXT_CONFIG)
    if isinstance(node, _Phrase):
        if node.prefix:
            words = node.text.split()
            if not words:
                return sql.SQL("''::tsquery")
            params.append(" <-> ".join(_lexeme(w) for w in words) + ":*")
            return sql.SQL("to_tsquery({c}::regconfig, %s)").format(c=config)
        params.append(index_text(node.text))
        return sql.SQL("phraseto_tsquery({c}::regconfig, %s)").format(c=config)
    assert isinstance(node, _Op)
    left = _compile(node.left, params)
    right = _compile(node.right, params)
    if node.op == "or":
        return sql.SQL("({} || {})").format(left, right)
    if node.op == "and":
        return sql.SQL("({} && {})").format(left, right)
    return sql.SQL("({} && !!{})").format(left, right)


def tsquery_terms(expression: str) -> list[tuple[sql.Composable, list[str]]]:
    """The alternatives of an FTS5 `expression` (its top-level OR operands), each as tsquery SQL and parameters.

    Ranking weighs each alternative by how rare it is (BM25's IDF), which one tsquery cannot do.
    """
    def split(node: object) -> list[object]:
        if isinstance(node, _Op) and node.op == "or":
            return split(node.left) + split(node.right)
        return [node]

    out = []
    for node in split(_Parser(expression).parse()):
        params: list[str] = []
        out.append((_compile(node, params), params))
    return out


def tsquery_sql(expression: str) -> tuple[sql.Composable, list[str]]:
    """SQL computing the tsquery for an FTS5 `expression`, and its parameters (one per term).

    Raises StoreError naming the expression when it is not valid FTS5 (as SQLite does).
    """
    params: list[str] = []
    return _compile(_Parser(expression).parse(), params), params
