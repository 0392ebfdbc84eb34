"""Open the store that a `--db` value names: a PostgreSQL URL, else a SQLite file path (the default)."""

from __future__ import annotations

from pathlib import Path

from newsdesk.store.base import Store
from newsdesk.store.location import URL_SCHEMES, is_server_url, redact

__all__ = ["URL_SCHEMES", "is_server_url", "open_store", "redact"]


def open_store(location: str | Path, *, readonly: bool = False, pool_size: int | None = None) -> Store:
    """The backend for `location`: `PostgresStore` for postgresql:// URLs, `SQLiteStore` for paths.

    The PostgreSQL driver is imported only when asked for, so the embedded default starts as fast as before.
    """
    text = str(location)
    if is_server_url(text):
        from newsdesk.store.postgres import PostgresStore

        return PostgresStore(text, readonly=readonly, pool_size=pool_size)
    from newsdesk.store.sqlite import SQLiteStore

    return SQLiteStore(text, readonly=readonly)


def open_reader(location: str | Path, *, pool_size: int | None = None) -> Store:
    """The store at `location` opened so nothing can be written through it (the question path).

    A SQLite file that does not exist reads as an empty index, without creating the file.
    """
    text = str(location)
    if is_server_url(text) or Path(text).exists():
        return open_store(text, readonly=True, pool_size=pool_size)
    from newsdesk.store.sqlite import SQLiteStore

    empty = SQLiteStore(":memory:")
    empty.path = text
    return empty
