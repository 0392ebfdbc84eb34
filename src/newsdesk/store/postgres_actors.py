"""The PostgreSQL store's part for actors and relations: the same rows and order as `sqlite_actors.py`.

A mixin of `PostgresStore` (it uses its `_read`/`_write` cursors and `_filter_sql`). Mentions and
relations are deleted with their article (ON DELETE CASCADE); row conversions are shared with SQLite's (store/rows.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import psycopg

from newsdesk.model import NO_FILTERS, AnalyzedArticle, Filters, Mention, Relation
from newsdesk.store.postgres_rows import insert_rows, one_row
from newsdesk.store.rows import RELATION_COLUMNS, mention_row, relation_from_row, relation_row

# The columns of rows.MENTION_COLUMNS / RELATION_COLUMNS, in order, with their types.
MENTION_SPEC = [("article_id", "text"), ("sentence_idx", "int"), ("start", "int"), ("end", "int"), ("actor", "text"),
                ("kind", "text"), ("part", "text"), ("how", "text")]
RELATION_SPEC = [("article_id", "text"), ("sentence_idx", "int"), ("start", "int"), ("end", "int"), ("source", "text"),
                 ("target", "text"), ("action", "text"), ("polarity", "float8"), ("mode", "text"),
                 ("source_part", "text"), ("target_part", "text"), ("speaker", "text"), ("speaker_text", "text"),
                 ("negated", "int"), ("anchor", "text"), ("trigger_start", "int"), ("trigger_end", "int")]


class PgActorsMixin:
    if TYPE_CHECKING:  # provided by the store class this mixes into
        def _read(self) -> AbstractContextManager[psycopg.Cursor[Any]]: ...  # from PostgresStore
        def _write(self) -> AbstractContextManager[psycopg.Cursor[Any]]: ...  # from PostgresStore
        def _filter_sql(self, filters: Filters, alias: str = "a") -> tuple[str, list[Any]]: ...  # from PostgresStore

    def _insert_actors(self, cur: psycopg.Cursor[Any], items: Sequence[AnalyzedArticle]) -> None:
        """Called inside `add_batch`'s transaction with the new articles (one pipelined statement per table)."""
        insert_rows(cur, "mentions", MENTION_SPEC, [mention_row(m) for item in items for m in item.mentions])
        insert_rows(cur, "relations", RELATION_SPEC, [relation_row(r) for item in items for r in item.relations])

    def replace_actor_data(self, by_article: Mapping[str, tuple[Sequence[Mention], Sequence[Relation]]]) -> None:
        """Swap the stored mentions and relations of these articles for new ones, in one transaction."""
        with self._write() as cur:
            for article_id in sorted(by_article):
                mentions, relations = by_article[article_id]
                cur.execute("DELETE FROM mentions WHERE article_id = %s", (article_id,))
                cur.execute("DELETE FROM relations WHERE article_id = %s", (article_id,))
                insert_rows(cur, "mentions", MENTION_SPEC, [mention_row(m) for m in mentions])
                insert_rows(cur, "relations", RELATION_SPEC, [relation_row(r) for r in relations])

    def relations(self, sources: Sequence[str] | None = None, targets: Sequence[str] | None = None,
                  filters: Filters = NO_FILTERS, *, either_way: bool = False) -> list[Relation]:
        """Relations from any of `sources` to any of `targets` (None: any), in date then text order.

        With `either_way`, relations from `targets` to `sources` too. Undated articles come first, as in SQLite.
        """
        where, params = self._filter_sql(filters)

        def direction(src: Sequence[str] | None, dst: Sequence[str] | None) -> tuple[str, list[Any]]:
            parts: list[str] = []
            values: list[Any] = []
            for column, names in (("r.source", src), ("r.target", dst)):
                if names is not None:
                    parts.append(f"{column} = ANY(%s)")
                    values.append(list(names))
            return " AND ".join(parts) or "TRUE", values

        first, values = direction(sources, targets)
        clauses = [f"({first})"]
        if either_way:
            second, second_values = direction(targets, sources)
            clauses.append(f"({second})")
            values.extend(second_values)
        columns = ", ".join("r." + c.strip() for c in RELATION_COLUMNS.split(","))
        query = (f"SELECT {columns} FROM relations r JOIN articles a ON a.id = r.article_id "
                 f"WHERE ({' OR '.join(clauses)}) {where} "
                 "ORDER BY a.published NULLS FIRST, r.article_id, r.start, r.trigger_start, r.id")
        with self._read() as cur:
            cur.execute(query, [*values, *params])
            return [relation_from_row(row) for row in cur.fetchall()]

    def article_relations(self, article_ids: Sequence[str]) -> list[Relation]:
        """The relations found in these articles, in article then text order (for export)."""
        with self._read() as cur:
            cur.execute(f"SELECT {RELATION_COLUMNS} FROM relations WHERE article_id = ANY(%s) "
                        "ORDER BY article_id, start, trigger_start, id", (list(dict.fromkeys(article_ids)),))
            return [relation_from_row(row) for row in cur.fetchall()]

    def mentions(self, article_ids: Sequence[str] | None = None, actors: Sequence[str] | None = None) -> list[Mention]:
        """Mentions of these articles and/or actors (all when None), in article then text order."""
        clauses: list[str] = []
        params: list[Any] = []
        if article_ids is not None:
            clauses.append("m.article_id = ANY(%s)")
            params.append(list(dict.fromkeys(article_ids)))
        if actors is not None:
            clauses.append("m.actor = ANY(%s)")
            params.append(list(dict.fromkeys(actors)))
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        with self._read() as cur:
            if article_ids is None:
                cur.execute(
                    'SELECT m.article_id, m.sentence_idx, m.start, m."end", '
                    'substr(a.text, m.start + 1, m."end" - m.start),'
                    f" m.actor, m.kind, m.part, m.how FROM mentions m JOIN articles a ON a.id = m.article_id {where} "
                    "ORDER BY m.article_id, m.start, m.id", params)
                return [Mention(*row) for row in cur.fetchall()]
            # For given articles each text is read once and cut here: substr() in the query decompressed the
            # whole text again for every mention (0.5 s for the 200 articles of one organising chunk).
            cur.execute(
                f'SELECT m.article_id, m.sentence_idx, m.start, m."end", m.actor, m.kind, m.part, m.how '
                f"FROM mentions m {where} ORDER BY m.article_id, m.start, m.id", params)
            rows = cur.fetchall()
            cur.execute("SELECT id, text FROM articles WHERE id = ANY(%s)", (list({r[0] for r in rows}),))
            texts = dict(cur.fetchall())
        return [Mention(aid, idx, start, end, texts[aid][start:end], *rest)
                for aid, idx, start, end, *rest in rows if aid in texts]

    def actor_stats(self, actors: Sequence[str] | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Actors by how often they are mentioned: kind, mention and article counts, names as written, parts."""
        where, params = "", []
        if actors is not None:
            where, params = "WHERE m.actor = ANY(%s)", [list(actors)]
        out = []
        with self._read() as cur:
            # An actor has one kind; min() only satisfies GROUP BY (SQLite takes it from any row).
            cur.execute(f"SELECT m.actor, min(m.kind), count(*), count(DISTINCT m.article_id) FROM mentions m {where} "
                        "GROUP BY m.actor ORDER BY count(*) DESC, m.actor LIMIT %s", [*params, limit])
            top = cur.fetchall()
            for actor, kind, mentions, articles in top:
                cur.execute('SELECT substr(a.text, m.start + 1, m."end" - m.start) COLLATE "C" AS name, count(*) '
                            "FROM mentions m JOIN articles a ON a.id = m.article_id "
                            "WHERE m.actor = %s AND m.how != 'reference' "
                            "GROUP BY name ORDER BY count(*) DESC, name LIMIT 12", (actor,))
                names = cur.fetchall()
                cur.execute("SELECT part, count(*) FROM mentions WHERE actor = %s AND part IS NOT NULL GROUP BY part "
                            "ORDER BY count(*) DESC, part LIMIT 12", (actor,))
                parts = cur.fetchall()
                cur.execute("SELECT count(*) FROM relations WHERE source = %s OR target = %s", (actor, actor))
                relations = one_row(cur)[0]
                out.append({"actor": actor, "kind": kind, "mentions": mentions, "articles": articles,
                            "names": {n: c for n, c in names}, "parts": {p: c for p, c in parts},
                            "relations": relations})
        return out

    def actor_names(self) -> list[str]:
        """Every actor named in the index (for resolving a name the actor table does not know)."""
        with self._read() as cur:
            cur.execute("SELECT actor FROM mentions UNION SELECT source FROM relations "
                        "UNION SELECT target FROM relations ORDER BY 1")
            return [r[0] for r in cur.fetchall()]
