"""Both stores, on a real SQLite file and a real PostgreSQL server: migrations, transactions, offsets, filters,
deletion, stats. Every test taking `store`, `full_store` or `db_location` runs on both backends."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.ingest.normalize import normalize
from newsdesk.ingest.pipeline import analyze_articles
from newsdesk.model import NO_FILTERS, AnalyzedArticle, Filters, Location, RawDocument, TermQuery
from newsdesk.store.base import Store, StoreError
from newsdesk.store.open import open_store
from newsdesk.store.sqlite import SQLiteStore
from tests.pg_server import fts_table, raw

# Four short stories that all mention Tarrow, so one lexical query matches every one of them.
STORIES = {
    "harbour": dict(
        title="Tarrow ferry fares rise",
        text="The Tarrow ferry company raised its fares by eight percent on Monday.\n\n"
             "Commuters said the increase was the third in two years. The company blamed fuel costs.",
        outlet="Harbour Times", published="2025-09-15T23:30:00+02:00", language="en",
        url="https://harbourtimes.example/ferry"),
    "post": dict(
        title="Tarrow bridge closes for repairs",
        text="The old bridge at Tarrow will close for six weeks of repairs, the council said.\n\n"
             "Drivers will be sent along the coast road. Shops near the bridge fear a loss of trade.",
        outlet="Evening Post", published="2025-09-16T18:45:00+00:00", language="en",
        url="https://eveningpost.example/bridge"),
    "tagesblatt": dict(
        title="Tarrow: Neue Fähre bestellt",
        text="Die Reederei in Tarrow hat eine neue Fähre bei einer Werft in Kiel bestellt.\n\n"
             "Das Schiff soll im Frühjahr 2027 in Dienst gehen. Es fährt mit Batterien.",
        outlet="Tagesblatt", published="2025-09-17", language="de",
        url="https://tagesblatt.example/faehre"),
    "undated": dict(
        title="Tarrow library reopens",
        text="The Tarrow public library reopened on Saturday after a flood in the spring.\n\n"
             "Volunteers dried and catalogued more than four thousand books. Zürich sent 😀 postcards to say thanks. "
             "北京的读者也寄来了信。",
        outlet=None, published=None, language="en"),
}


def analyzed(embedder: Embedder, *names: str) -> list[AnalyzedArticle]:
    docs = [RawDocument(origin=f"test:{name}", format="jsonl", **STORIES[name]) for name in names]
    return analyze_articles([normalize(doc) for doc in docs], embedder)


@pytest.fixture(scope="module")
def stories(embedder: Embedder) -> dict[str, AnalyzedArticle]:
    return dict(zip(STORIES, analyzed(embedder, *STORIES), strict=True))


@pytest.fixture
def store(backend_store: Store) -> Store:
    return backend_store


@pytest.fixture
def full_store(store: Store, stories: dict[str, AnalyzedArticle]) -> Store:
    store.add_batch(list(stories.values()))
    return store


def row_counts(store: Store) -> dict[str, int]:
    """Rows per table; "passage_fts" counts the backend's full-text rows (PostgreSQL keeps them in passages)."""
    tables = {"articles": "articles", "locations": "locations", "sentences": "sentences", "passages": "passages",
              "passage_fts": fts_table(store), "passage_vectors": "passage_vectors"}
    return {name: raw(store, f"SELECT count(*) FROM {table}")[0][0] for name, table in tables.items()}


# -- schema migrations ---------------------------------------------------------------------------


def shipped_migrations(folder: str = "migrations") -> list[int]:
    names = sorted(entry.name for entry in (resources.files("newsdesk.store") / folder).iterdir()
                   if entry.name.endswith(".sql"))
    assert all(re.fullmatch(r"\d{3}_\w+\.sql", name) for name in names), names
    return [int(name[:3]) for name in names]


def test_migrations_are_numbered_one_to_n_without_gaps():
    numbers = shipped_migrations()
    assert numbers == list(range(1, len(numbers) + 1))


def test_postgres_migrations_have_the_same_numbers_and_names_as_sqlites():
    def names(folder: str) -> list[str]:
        return sorted(e.name for e in (resources.files("newsdesk.store") / folder).iterdir() if e.name.endswith(".sql"))

    assert names("migrations_pg") == names("migrations")


def test_new_index_is_at_the_highest_migration_number(db_location: str):
    store = open_store(db_location)
    assert store.schema_version() == max(shipped_migrations())
    store.close()
    if not db_location.startswith("postgresql://"):
        conn = sqlite3.connect(db_location)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == max(shipped_migrations())
        conn.close()


def test_reopening_an_index_keeps_its_content_and_does_not_rerun_migrations(
        db_location: str, stories: dict[str, AnalyzedArticle]):
    first = open_store(db_location)
    first.add_batch([stories["post"]])
    first.close()
    # Migration 001 uses plain CREATE TABLE: running it again would fail, not pass silently.
    for folder in ("migrations", "migrations_pg"):
        assert "TABLE IF NOT EXISTS" not in (resources.files("newsdesk.store") / folder / "001_initial.sql").read_text()
    for _ in range(2):
        again = open_store(db_location)
        assert again.schema_version() == max(shipped_migrations())
        assert again.article_ids() == [stories["post"].article.id]
        assert again.check_integrity() == []
        again.close()


def test_index_with_a_newer_schema_is_refused_naming_the_file_and_left_untouched(tmp_path: Path):
    db = tmp_path / "future.db"
    conn = sqlite3.connect(db)
    newer = max(shipped_migrations()) + 1
    conn.execute(f"PRAGMA user_version = {newer}")
    conn.close()
    with pytest.raises(StoreError, match=re.escape(str(db))) as excinfo:
        SQLiteStore(db)
    assert str(newer) in str(excinfo.value)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == newer
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    conn.close()


def test_postgres_database_with_a_newer_schema_is_refused_naming_it_and_left_untouched(pg_url: str):
    import psycopg

    newer = max(shipped_migrations()) + 1
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE newsdesk_schema (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO newsdesk_schema VALUES (%s)", (newer,))
    with pytest.raises(StoreError, match=re.escape(pg_url.split("?")[0])) as excinfo:
        open_store(pg_url)
    assert str(newer) in str(excinfo.value)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version FROM newsdesk_schema").fetchall() == [(newer,)]
        assert conn.execute("SELECT to_regclass('articles')").fetchone()[0] is None


def test_unreachable_postgres_server_is_a_store_error_naming_it(tmp_path: Path):
    url = f"postgresql://nobody@/newsdesk?host={tmp_path}&connect_timeout=2"
    with pytest.raises(StoreError, match="cannot connect"):
        open_store(url, pool_size=1)


def test_non_sqlite_file_is_refused_naming_it_and_not_overwritten(tmp_path: Path):
    db = tmp_path / "notes.txt"
    content = b"These are my notes, not a database.\n" * 20
    db.write_bytes(content)
    with pytest.raises(StoreError, match=re.escape(str(db))):
        SQLiteStore(db)
    assert db.read_bytes() == content


def test_index_is_in_wal_mode_for_every_connection(tmp_path: Path):
    store = SQLiteStore(tmp_path / "index.db")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other = sqlite3.connect(store.path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent, not per-connection
    other.close()
    store.close()


# -- writing -------------------------------------------------------------------------------------


def test_add_batch_that_fails_midway_leaves_nothing_of_that_batch(
        store: Store, stories: dict[str, AnalyzedArticle]):
    store.add_batch([stories["post"]])
    before = row_counts(store)
    good = stories["harbour"]
    broken = replace(stories["tagesblatt"], vectors=stories["tagesblatt"].vectors[:0])  # no vector for a passage
    known_elsewhere = replace(stories["post"], article=replace(
        stories["post"].article, locations=[Location(url="https://mirror.example/bridge")]))
    with pytest.raises(ValueError, match="vectors"):
        store.add_batch([good, known_elsewhere, broken, stories["undated"]])
    assert row_counts(store) == before
    assert store.article(good.article.id) is None
    assert store.article(stories["post"].article.id).locations == [
        Location(url="https://eveningpost.example/bridge")]
    # The failed batch left no transaction open: the next batch commits normally.
    assert store.add_batch([good]) == [good.article.id]
    assert store.check_integrity() == []


def test_add_batch_returns_only_new_ids_and_adds_new_locations_to_known_ones(
        store: Store, stories: dict[str, AnalyzedArticle]):
    post = stories["post"]
    assert store.add_batch([post]) == [post.article.id]
    mirrored = replace(post, article=replace(post.article, locations=[Location(url="https://mirror.example/b")]))
    assert store.add_batch([mirrored, stories["harbour"]]) == [stories["harbour"].article.id]
    assert store.article(post.article.id).locations == [
        Location(url="https://eveningpost.example/bridge"), Location(url="https://mirror.example/b")]
    assert row_counts(store)["articles"] == 2


def test_stored_sentences_and_passages_are_exact_slices_of_the_article_text(
        full_store: Store, stories: dict[str, AnalyzedArticle]):
    for item in stories.values():
        art = full_store.article(item.article.id)
        assert art.text == item.article.text
        sentences = full_store.sentences(art.id)
        assert sentences == item.sentences
        assert all(s.text == art.text[s.start:s.end] for s in sentences)
    # Passage text is cut out by SQL substr(); it must agree with Python slicing beyond ASCII (ü, emoji, CJK).
    undated = stories["undated"].article
    assert any(ord(ch) > 0xFFFF for ch in undated.text)
    pids = [r[0] for r in raw(full_store, "SELECT id FROM passages")]
    passages = full_store.passages(pids)
    assert len(passages) == len(pids) == sum(len(item.passages) for item in stories.values())
    texts = {item.article.id: item.article.text for item in stories.values()}
    for p in passages.values():
        assert p.text == texts[p.article_id][p.start:p.end]
    assert any("😀" in p.text for p in passages.values())


# -- retrieval with filters ----------------------------------------------------------------------

FILTER_CASES = [
    (NO_FILTERS, {"harbour", "post", "tagesblatt", "undated"}),
    (Filters(since="2025-09-16"), {"post", "tagesblatt"}),  # inclusive; 15th 23:30 local is excluded
    (Filters(until="2025-09-16"), {"harbour", "post"}),  # inclusive of the whole day (18:45 on the 16th)
    (Filters(since="2025-09-16", until="2025-09-16"), {"post"}),
    (Filters(since="2025-09-17", until="2025-09-17"), {"tagesblatt"}),  # a bare date on the bound day
    (Filters(outlets=("HARBOUR times",)), {"harbour"}),
    (Filters(outlets=("evening post", "Tagesblatt")), {"post", "tagesblatt"}),
    (Filters(languages=("de",)), {"tagesblatt"}),
    (Filters(languages=("en",), until="2025-09-16", outlets=("Evening Post",)), {"post"}),
    (Filters(outlets=("Nobody",)), set()),
]


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_lexical_search_honours_filters(
        full_store: Store, stories: dict[str, AnalyzedArticle], filters: Filters, expected: set[str]):
    by_id = {item.article.id: name for name, item in stories.items()}
    hits = full_store.lexical_search(TermQuery(("tarrow",)), 50, filters)
    assert {by_id[h.passage.article_id] for h in hits} == expected


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_dense_search_honours_filters(
        full_store: Store, stories: dict[str, AnalyzedArticle], embedder: Embedder,
        filters: Filters, expected: set[str]):
    by_id = {item.article.id: name for name, item in stories.items()}
    vector = embedder.embed_queries(["ferry in Tarrow"])[0]
    hits = full_store.dense_search(vector, 50, filters)
    assert {by_id[h.passage.article_id] for h in hits} == expected
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_dense_search_ranks_the_matching_passage_first(
        full_store: Store, stories: dict[str, AnalyzedArticle], embedder: Embedder):
    vector = embedder.embed_queries(["library flood books volunteers"])[0]
    [top] = full_store.dense_search(vector, 1, NO_FILTERS)
    assert top.passage.article_id == stories["undated"].article.id


def test_dense_search_sees_articles_replaced_by_another_connection(
        db_location: str, stories: dict[str, AnalyzedArticle], embedder: Embedder):
    """A long-lived reader must not score new passages with cached vectors of deleted ones.

    Deleting an article and adding one with as many passages reuses the same passage ids,
    so the passage count and highest id alone do not reveal the change.
    """
    ferry, bridge = stories["harbour"], stories["post"]
    assert len(ferry.passages) == len(bridge.passages)
    reader, writer = open_store(db_location), open_store(db_location)
    writer.add_batch([ferry])
    vector = embedder.embed_queries(["bridge closed for repairs, drivers sent along the coast road"])[0]
    before = reader.dense_search(vector, 1, NO_FILTERS)[0].score
    writer.delete_articles([ferry.article.id])
    writer.add_batch([bridge])
    [hit] = reader.dense_search(vector, 1, NO_FILTERS)
    [fresh] = writer.dense_search(vector, 1, NO_FILTERS)
    assert hit.passage.article_id == bridge.article.id
    assert hit.score == pytest.approx(fresh.score, abs=1e-6)
    assert hit.score > before + 0.1
    reader.close()
    writer.close()


@pytest.mark.parametrize("phrase", ['"unbalanced', "(ferry", "OR ferry", "title:ferry", "NEAR(fares, 5)",
                                    "fares*", "fares\" OR \"bridge", ""])
def test_fts5_syntax_in_a_phrase_is_searched_as_words_never_as_an_operator(full_store: Store, phrase: str):
    words = " ".join(re.findall(r"\w+", phrase))
    hits = full_store.lexical_search(TermQuery((phrase,)), 50, NO_FILTERS)
    # The same passages as the bare words in order: no operator, column filter or prefix changed the search.
    assert hits == full_store.lexical_search(TermQuery((words,)), 50, NO_FILTERS)
    assert full_store.lexical_search(TermQuery(()), 5, NO_FILTERS) == []


# -- deletion ------------------------------------------------------------------------------------


def test_delete_removes_every_trace_of_the_article_and_nothing_else(
        full_store: Store, stories: dict[str, AnalyzedArticle], embedder: Embedder):
    gone, kept = stories["harbour"], stories["post"]
    vector = embedder.embed_queries(["ferry fares rise fuel costs commuters"])[0]
    fares = TermQuery(("fares",))
    assert {h.passage.article_id for h in full_store.lexical_search(fares, 10, NO_FILTERS)} == {gone.article.id}
    assert gone.article.id in {h.passage.article_id for h in full_store.dense_search(vector, 50, NO_FILTERS)}
    before = row_counts(full_store)
    assert full_store.delete_articles([gone.article.id, "0" * 20]) == 1
    after = row_counts(full_store)
    n = len(gone.passages)
    assert after == {
        "articles": before["articles"] - 1, "locations": before["locations"] - 1,
        "sentences": before["sentences"] - len(gone.sentences), "passages": before["passages"] - n,
        "passage_fts": before["passage_fts"] - n, "passage_vectors": before["passage_vectors"] - n,
    }
    for table in ("articles", "locations", "sentences", "passages"):
        column = "id" if table == "articles" else "article_id"
        assert raw(full_store, f"SELECT count(*) FROM {table} WHERE {column} = ?", gone.article.id)[0][0] == 0
    assert full_store.check_integrity() == []
    assert full_store.article(gone.article.id) is None
    assert full_store.sentences(gone.article.id) == []
    assert full_store.lexical_search(TermQuery(("fares",)), 10, NO_FILTERS) == []
    assert gone.article.id not in {h.passage.article_id for h in full_store.dense_search(vector, 50, NO_FILTERS)}
    assert full_store.article(kept.article.id).text == kept.article.text
    assert full_store.lexical_search(TermQuery(("bridge",)), 10, NO_FILTERS)


# -- stats ---------------------------------------------------------------------------------------


def test_stats_count_what_was_stored(full_store: Store, stories: dict[str, AnalyzedArticle]):
    post = stories["post"]
    full_store.add_locations(replace(post.article, locations=[Location(path="/archive/bridge.txt")]))
    stats = full_store.stats()
    assert stats["db"] == full_store.path
    assert stats["schema_version"] == max(shipped_migrations())
    assert stats["articles"] == 4
    assert stats["locations"] == 5
    assert stats["sentences"] == sum(len(item.sentences) for item in stories.values())
    assert stats["passages"] == sum(len(item.passages) for item in stories.values())
    assert stats["outlets"] == 3  # COUNT(DISTINCT) leaves out the article without an outlet
    assert stats["languages"] == {"en": 3, "de": 1}
    assert stats["first_published"] == "2025-09-15T23:30:00+02:00"
    assert stats["last_published"] == "2025-09-17"
    assert stats["bytes_on_disk"] > 0


def test_empty_index_stats_are_zero(store: Store):
    stats = store.stats()
    assert (stats["articles"], stats["sentences"], stats["passages"], stats["locations"]) == (0, 0, 0, 0)
    assert stats["languages"] == {}
    assert store.dense_search(np.ones(512, dtype=np.float32), 5, NO_FILTERS) == []
