"""What differs between the two engines in SQL that is otherwise written once.

Shared statements are written with `?` placeholders and `{among}` for "this column is one of these
values"; the dialect turns them into the engine's text: `%s` for PostgreSQL, and either an IN list
(SQLite, at most CHUNK values a statement) or one array parameter (`= ANY(%s)`, PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

CHUNK = 500  # ids per SQLite statement: well within its limit on bound parameters


@dataclass(frozen=True)
class Dialect:
    placeholder: str  # "?" or "%s"
    added: str  # the articles column that numbers them in the order added ("rowid", "seq")
    arrays: bool  # lists bind as one array parameter (PostgreSQL) rather than an IN list

    def sql(self, text: str) -> str:
        """`text` with this engine's placeholder (shared statements hold no other `?` nor `%`)."""
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)

    def among(self, template: str, column: str, values: Sequence[Any]) -> Iterator[tuple[str, list[Any]]]:
        """`template` with `{among}` made "`column` is one of `values`", once per chunk, and its parameters.

        Values are deduplicated in order; no values, no statement.
        """
        unique = list(dict.fromkeys(values))
        if self.arrays:
            if unique:
                yield self.sql(template.format(among=f"{column} = ANY(?)")), [unique]
            return
        for i in range(0, len(unique), CHUNK):
            chunk = unique[i : i + CHUNK]
            yield template.format(among=f"{column} IN ({','.join('?' * len(chunk))})"), chunk


SQLITE = Dialect(placeholder="?", added="rowid", arrays=False)
POSTGRES = Dialect(placeholder="%s", added="seq", arrays=True)
