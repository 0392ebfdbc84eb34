"""The SQLite store's part for actors and relations: written with their article, read back by actor.

A mixin of `SQLiteStore` (it uses its `conn` and `_filter_sql`), kept apart so that this schema and
its queries live in one place. Mentions and relations are deleted with their article (ON DELETE CASCADE).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from newsdesk.analyze.relations import RELATIONS_VERSION
from newsdesk.model import NO_FILTERS, AnalyzedArticle, Filters, Mention, Relation
from newsdesk.store.rows import MENTION_COLUMNS, RELATION_COLUMNS, mention_row, relation_from_row, relation_row
from newsdesk.store.transaction import write_transaction


def _in(column: str, values: Sequence[str]) -> tuple[str, list[str]]:
    return f"{column} IN ({','.join('?' * len(values))})", list(values)


class ActorsMixin:
    conn: sqlite3.Connection

    if TYPE_CHECKING:  # provided by the store class this mixes into
        def _filter_sql(self, filters: Filters, alias: str = "a") -> tuple[str, list[Any]]: ...  # from SQLiteStore

    def _insert_actors(self, cur: sqlite3.Cursor, item: AnalyzedArticle) -> None:
        """Called inside `add_batch`'s transaction for a new article."""
        if item.mentions:
            cur.executemany(f"INSERT INTO mentions ({MENTION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                            [mention_row(m) for m in item.mentions])
        if item.relations:
            cur.executemany(f"INSERT INTO relations ({RELATION_COLUMNS}) VALUES ({','.join('?' * 17)})",
                            [relation_row(r) for r in item.relations])
        # A fresh index is current; an index from before relations was marked "0" by its migration.
        cur.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('relations_version', ?)", (RELATIONS_VERSION,))

    def replace_actor_data(self, by_article: Mapping[str, tuple[Sequence[Mention], Sequence[Relation]]]) -> None:
        """Swap the stored mentions and relations of these articles for new ones, in one transaction."""
        with write_transaction(self.conn) as cur:
            for article_id, (mentions, relations) in by_article.items():
                cur.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
                cur.execute("DELETE FROM relations WHERE article_id = ?", (article_id,))
                cur.executemany(f"INSERT INTO mentions ({MENTION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                                [mention_row(m) for m in mentions])
                cur.executemany(f"INSERT INTO relations ({RELATION_COLUMNS}) VALUES ({','.join('?' * 17)})",
                                [relation_row(r) for r in relations])

    def relations(self, sources: Sequence[str] | None = None, targets: Sequence[str] | None = None,
                  filters: Filters = NO_FILTERS, *, either_way: bool = False) -> list[Relation]:
        """Relations from any of `sources` to any of `targets` (None: any), in article then text order.

        With `either_way`, relations from `targets` to `sources` too.
        """
        where, params = self._filter_sql(filters)
        clauses: list[str] = []

        def direction(src: Sequence[str] | None, dst: Sequence[str] | None) -> tuple[str, list[str]]:
            parts, values = [], []
            for column, names in (("r.source", src), ("r.target", dst)):
                if names is not None:
                    sql, vals = _in(column, names)
                    parts.append(sql)
                    values.extend(vals)
            return " AND ".join(parts) or "1=1", values

        first, first_params = direction(sources, targets)
        clauses.append(f"({first})")
        values = list(first_params)
        if either_way:
            second, second_params = direction(targets, sources)
            clauses.append(f"({second})")
            values.extend(second_params)
        sql = (f"SELECT {', '.join('r.' + c.strip() for c in RELATION_COLUMNS.split(','))} FROM relations r "
               f"JOIN articles a ON a.id = r.article_id WHERE ({' OR '.join(clauses)}) {where} "
               "ORDER BY a.published, r.article_id, r.start, r.trigger_start")
        return [relation_from_row(row) for row in self.conn.execute(sql, [*values, *params])]

    def article_relations(self, article_ids: Sequence[str]) -> list[Relation]:
        """The relations found in these articles, in article then text order (for export)."""
        out: list[Relation] = []
        ids = list(dict.fromkeys(article_ids))
        for i in range(0, len(ids), 500):
            sql, vals = _in("article_id", ids[i : i + 500])
            out.extend(relation_from_row(row) for row in self.conn.execute(
                f"SELECT {RELATION_COLUMNS} FROM relations WHERE {sql} ORDER BY article_id, start, trigger_start, id",
                vals))
        return out

    def mentions(self, article_ids: Sequence[str] | None = None, actors: Sequence[str] | None = None) -> list[Mention]:
        """Mentions of these articles and/or actors (all when None), in article then text order."""
        clauses, params = [], []
        if article_ids is not None:
            sql, vals = _in("m.article_id", list(dict.fromkeys(article_ids)) or [""])
            clauses.append(sql)
            params.extend(vals)
        if actors is not None:
            sql, vals = _in("m.actor", list(dict.fromkeys(actors)) or [""])
            clauses.append(sql)
            params.extend(vals)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.conn.execute(
            f'SELECT m.article_id, m.sentence_idx, m.start, m."end", substr(a.text, m.start + 1, m."end" - m.start), '
            f"m.actor, m.kind, m.part, m.how FROM mentions m JOIN articles a ON a.id = m.article_id {where} "
            "ORDER BY m.article_id, m.start", params)
        return [Mention(*row) for row in rows]

    def actor_stats(self, actors: Sequence[str] | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Actors by how often they are mentioned: kind, mention and article counts, names as written, parts."""
        where = ""
        params: list[str] = []
        if actors is not None:
            sql, params = _in("m.actor", list(actors) or [""])
            where = f"WHERE {sql}"
        top = self.conn.execute(
            f"SELECT m.actor, m.kind, count(*), count(DISTINCT m.article_id) FROM mentions m {where} "
            "GROUP BY m.actor ORDER BY count(*) DESC, m.actor LIMIT ?", [*params, limit]).fetchall()
        out = []
        for actor, kind, mentions, articles in top:
            names = self.conn.execute(
                'SELECT substr(a.text, m.start + 1, m."end" - m.start) AS name, count(*) FROM mentions m '
                "JOIN articles a ON a.id = m.article_id WHERE m.actor = ? AND m.how != 'reference' "
                "GROUP BY name ORDER BY count(*) DESC, name LIMIT 12", (actor,)).fetchall()
            parts = self.conn.execute(
                "SELECT part, count(*) FROM mentions WHERE actor = ? AND part IS NOT NULL GROUP BY part "
                "ORDER BY count(*) DESC, part LIMIT 12", (actor,)).fetchall()
            relations = self.conn.execute(
                "SELECT count(*) FROM relations WHERE source = ? OR target = ?", (actor, actor)).fetchone()[0]
            out.append({"actor": actor, "kind": kind, "mentions": mentions, "articles": articles,
                        "names": {n: c for n, c in names}, "parts": {p: c for p, c in parts},
                        "relations": relations})
        return out

    def actor_names(self) -> list[str]:
        """Every actor named in the index (for resolving a name the actor table does not know)."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT actor FROM mentions UNION "
                                                "SELECT DISTINCT source FROM relations UNION "
                                                "SELECT DISTINCT target FROM relations")]
