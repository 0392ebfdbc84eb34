"""Open the store that a `--db` value names: a PostgreSQL URL, else a SQLite file path (the default)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from newsdesk.store.base import Store

URL_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(location: str | Path) -> bool:
    """True when `location` names a database server rather than a file."""
    return str(location).startswith(URL_SCHEMES)


def redact(location: str | Path) -> str:
    """`location` fit to print: a server URL without its password (a path as it is)."""
    text = str(location)
    if not is_server_url(text):
        return text
    parts = urlsplit(text)
    if not parts.password:
        return text
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


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
