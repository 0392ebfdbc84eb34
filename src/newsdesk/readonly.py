"""Open an index for reading only: questions work on an index file the process may not (or must not) write.

`open_store(..., readonly=True)` of the store package refuses a missing index but still opens SQLite
writable (and runs migrations), so a question could write and a write-protected file could not be read.
Here the SQLite connection itself cannot write (SQLite's read-only mode): any write raises.

Stopgap: this belongs in `store/open.py` (`open_store(readonly=True)`); it is written here on top of
`SQLiteStore` because the store package is being restructured at the same time.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from newsdesk.store.base import Store, StoreError
from newsdesk.store.open import is_server_url, open_store
from newsdesk.store.sqlite import SQLiteStore


def open_readonly(location: str | Path, pool_size: int | None = None) -> Store:
    """The store at `location`, opened so that nothing can be written through it."""
    if is_server_url(location):
        return open_store(location, readonly=True, pool_size=pool_size)
    if not Path(location).exists():  # answered as an empty index, as before, but without creating the file
        empty = SQLiteStore(":memory:")
        empty.path = str(location)
        return empty
    return ReadOnlySQLiteStore(location)


class ReadOnlySQLiteStore(SQLiteStore):
    """A `SQLiteStore` over a read-only connection; an index whose schema is older must be migrated first."""

    def __init__(self, path: str | Path) -> None:  # no super().__init__: it opens writable and migrates
        self.path = str(path)
        if not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no such index; run `newsdesk ingest` first")
        self.conn = _connect(self.path)
        self._vector_cache = None
        try:
            self._migrate()  # reads the schema version; applying a migration would write, and fails
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"{self.path}: the index needs `newsdesk migrate` before it can be read ({exc})") from exc
        except BaseException:  # e.g. a schema newer than this newsdesk
            self.conn.close()
            raise


def _connect(path: str) -> sqlite3.Connection:
    """SQLite's read-only mode; `immutable` when even that cannot open (a WAL index in a folder we cannot write).

    A WAL index needs its shared-memory file: when there is none and the folder is write-protected, no
    process is writing the index now, so reading the file as it is (immutable) is what it holds.
    """
    uri = f"file:{quote(str(Path(path).resolve()))}"
    last: sqlite3.Error | None = None
    for mode in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(f"{uri}?{mode}", uri=True, timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            last = exc
            continue
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.DatabaseError as exc:
            conn.close()
            last = exc
    raise StoreError(f"{path}: not a usable newsdesk index ({last})")
