"""Many rows in one statement: `INSERT ... SELECT FROM unnest(array, array, ...)`, one array per column.

One statement per table and batch instead of one per row: the server parses and plans once, and a
batch of articles costs a handful of round trips. Values are bound as typed arrays, never spliced in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

_TYPES = {"text", "int", "float8"}


def unnest_select(spec: Sequence[tuple[str, str]]) -> sql.Composed:
    """`SELECT * FROM unnest(%s::text[], %s::int[], ...) AS u(col, ...)` for `spec` = [(column, type), ...]."""
    assert all(kind in _TYPES for _, kind in spec), spec
    return sql.SQL("SELECT * FROM unnest({arrays}) AS u({names})").format(
        arrays=sql.SQL(", ").join(sql.SQL("%s::" + kind + "[]") for _, kind in spec),
        names=sql.SQL(", ").join(sql.Identifier(name) for name, _ in spec))


def columns(spec: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows turned into one list per column, floats made floats (an int among them would change the array type)."""
    out: list[list[Any]] = [[] for _ in spec]
    for row in rows:
        for i, value in enumerate(row):
            out[i].append(float(value) if value is not None and spec[i][1] == "float8" else value)
    return out


def insert_rows(cur: psycopg.Cursor[Any], table: str, spec: Sequence[tuple[str, str]],
                rows: Sequence[Sequence[Any]]) -> None:
    """Insert `rows` (tuples in `spec`'s column order) into `table` with one statement."""
    if not rows:
        return
    statement = sql.SQL("INSERT INTO {table} ({names}) {select}").format(
        table=sql.Identifier(table), names=sql.SQL(", ").join(sql.Identifier(n) for n, _ in spec),
        select=unnest_select(spec))
    cur.execute(statement, columns(spec, rows))


def one_row(cur: psycopg.Cursor[Any]) -> Any:
    """The row of a statement that always returns exactly one (an aggregate, a SELECT without FROM)."""
    row = cur.fetchone()
    if row is None:
        raise psycopg.ProgrammingError("expected one row, the statement returned none")
    return row
