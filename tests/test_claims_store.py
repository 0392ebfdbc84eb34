"""Claims in both stores: written with their article, deleted with it, re-extracted for an older index."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from newsdesk.analyze.claims import CLAIMS_VERSION
from newsdesk.analyze.embedding import Embedder
from newsdesk.analyze.steps import CLAIMS
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.ingest.migrate import reextract_stale
from newsdesk.store.open import open_store
from newsdesk.store.sqlite import SQLiteStore
from tests.pg_server import raw


def refresh_claims(store: Any) -> int:
    """The claims step of the one re-extraction routine: articles redone (0 when the claims are current)."""
    return reextract_stale(store, [CLAIMS]).get("claims", 0)


def build(db: str, quetta_dir: Path) -> str:
    with Desk(db, load_config(db=db)) as desk:
        assert desk.ingest([str(quetta_dir)]).failed == 0
    return db


def test_claims_are_stored_with_their_sentence_offsets(
        db_location: str, embedder: Embedder, quetta_dir: Path) -> None:
    store = open_store(build(db_location, quetta_dir))
    try:
        claims = store.claims()
        assert {c.attribute for c in claims} >= {"killed", "injured", "responsibility", "attackers"}
        articles = store.articles(store.article_ids())
        for claim in claims:
            text = articles[claim.article_id].text
            sentence = store.sentences(claim.article_id)[claim.sentence_index]
            assert (sentence.start, sentence.end) == (claim.start, claim.end)
            assert claim.start <= claim.value_start < claim.value_end <= claim.end <= len(text)
        assert store.get_meta("claims_version") == CLAIMS_VERSION
        unbounded = [c for c in claims if c.qualifier == "lower"]
        assert unbounded and all(c.high == float("inf") for c in unbounded)  # stored as NULL, read back as ∞
    finally:
        store.close()


def test_deleting_an_article_deletes_its_claims(db_location: str, embedder: Embedder, quetta_dir: Path) -> None:
    store = open_store(build(db_location, quetta_dir))
    try:
        victim = store.article_ids()[0]
        assert store.claims([victim])
        assert store.delete_articles([victim]) == 1
        assert store.claims([victim]) == []
        assert raw(store, "SELECT count(*) FROM claims WHERE article_id = ?", victim) == [(0,)]
    finally:
        store.close()


def test_an_index_from_before_claims_gets_them_once_migrated(tmp_path: Path) -> None:
    """A version-1 index (no claims table) is migrated, marked, and its claims extracted once."""
    from newsdesk.analyze.sentences import split_sentences
    from newsdesk.store.migrate import migration_files, split_sql

    db = tmp_path / "old.db"
    text = "Gunmen killed at least 61 people, officials said. No group has claimed responsibility."
    with closing(sqlite3.connect(db)) as conn:
        for statement in split_sql(dict(migration_files("migrations"))[1]):
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO articles (id, title, text, added_at) VALUES ('old', 'Old', ?, 'then')", (text,))
        conn.executemany('INSERT INTO sentences (article_id, idx, start, "end") VALUES (?,?,?,?)',
                         [("old", s.index, s.start, s.end) for s in split_sentences("old", text, "en")])
        conn.commit()
    store = SQLiteStore(db)
    try:
        assert store.claims() == [] and store.get_meta("claims_version") == "0"
        assert refresh_claims(store) == 1
        assert {(c.attribute, c.value) for c in store.claims()} == {("killed", "61"), ("responsibility", "none")}
        assert store.get_meta("claims_version") == CLAIMS_VERSION
        assert refresh_claims(store) == 0  # once only
    finally:
        store.close()


def test_claims_of_an_older_extractor_are_redone(db_location: str, embedder: Embedder, quetta_dir: Path) -> None:
    store = open_store(build(db_location, quetta_dir))
    try:
        expected = [(c.article_id, c.value_start, c.value) for c in store.claims()]
        raw(store, "DELETE FROM claims")
        store.set_meta("claims_version", "older")
        assert refresh_claims(store) == 2
        assert [(c.article_id, c.value_start, c.value) for c in store.claims()] == expected
    finally:
        store.close()


def test_a_postgres_index_from_before_claims_gets_them_once_migrated(pg_url: str) -> None:
    """The same upgrade on PostgreSQL: a version-1 database is migrated, marked, and its claims extracted once."""
    import psycopg

    from newsdesk.analyze.sentences import split_sentences
    from newsdesk.store.migrate import migration_files

    text = "Gunmen killed at least 61 people, officials said. No group has claimed responsibility."
    with psycopg.connect(pg_url) as conn:
        conn.execute(dict(migration_files("migrations_pg"))[1])
        conn.execute("CREATE TABLE newsdesk_schema (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO newsdesk_schema VALUES (1)")
        conn.execute("INSERT INTO articles (id, title, text, added_at) VALUES ('old', 'Old', %s, 'then')", (text,))
        conn.cursor().executemany('INSERT INTO sentences (article_id, idx, start, "end") VALUES (%s,%s,%s,%s)',
                                  [("old", s.index, s.start, s.end) for s in split_sentences("old", text, "en")])
    store = open_store(pg_url)
    try:
        assert store.schema_version() == max(n for n, _ in migration_files("migrations_pg"))
        assert store.claims() == [] and store.get_meta("claims_version") == "0"
        assert refresh_claims(store) == 1
        assert {(c.attribute, c.value) for c in store.claims()} == {("killed", "61"), ("responsibility", "none")}
        assert store.get_meta("claims_version") == CLAIMS_VERSION
        assert refresh_claims(store) == 0  # once only
    finally:
        store.close()
