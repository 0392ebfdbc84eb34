"""Fixtures shared by the test modules: the real embedder (loaded once) and the real article folders."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsdesk.analyze.embedding import Embedder, get_embedder
from newsdesk.config import load_config
from newsdesk.store.base import Store
from newsdesk.store.open import open_store
from tests.pg_server import pg_server, pg_url  # noqa: F401  (fixtures: a real PostgreSQL for the store tests)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path in ../shared, the data checked out beside the repository.

    Missing data fails the test rather than skipping it: a skip would let a suite run on a
    machine without the data look green while the tests that matter never ran.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: these tests need ../shared (the shared data) beside the repository",
                    pytrace=False)
    return path


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real configured embedder (use-multilingual-v3 by default).

    Asked for by the configured name, as `Desk` asks for it, so a Desk opened in a
    test reuses this instance (`get_embedder` caches one model per name).
    """
    return get_embedder(load_config().embedder)


@pytest.fixture(scope="session")
def quetta_dir() -> Path:
    return shared_path("quetta", "articles")


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return ROOT / "examples" / "articles"


def content_dump(db: str | Path) -> dict[str, list[tuple]]:
    """Everything an index says about its articles, independent of row ids and of when it was built.

    Passages are keyed by (article, index) rather than their integer id, and `added_at` is left out.
    """
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            "articles": conn.execute(
                "SELECT id, title, text, outlet, published, language, author, url, path, metadata "
                "FROM articles ORDER BY id").fetchall(),
            "sentences": conn.execute(
                'SELECT article_id, idx, start, "end" FROM sentences ORDER BY article_id, idx').fetchall(),
            "passages": conn.execute(
                'SELECT article_id, idx, first_sentence, last_sentence, start, "end" '
                "FROM passages ORDER BY article_id, idx").fetchall(),
            "passage_fts": conn.execute(
                "SELECT p.article_id, p.idx, f.title, f.body FROM passage_fts f JOIN passages p ON p.id = f.rowid "
                "ORDER BY p.article_id, p.idx").fetchall(),
            "locations": conn.execute(
                "SELECT article_id, url, path FROM locations ORDER BY article_id, url, path").fetchall(),
        }
    finally:
        conn.close()


@pytest.fixture(scope="session")
def dump_index() -> Callable[[str | Path], dict[str, list[tuple]]]:
    """`dump_index(db)`: the content of an index as sorted rows, for comparing two indexes."""
    return content_dump


@pytest.fixture(params=["sqlite", "postgres"])
def db_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty index on each backend: a SQLite file, or a database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "index.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def backend_store(db_location: str) -> Iterator[Store]:
    """That index opened, on each backend in turn, and closed after the test."""
    opened = open_store(db_location)
    try:
        yield opened
    finally:
        opened.close()
