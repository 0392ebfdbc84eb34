"""The tantivy passage index beside a big SQLite index (store/passage_index.py): search through it, filters in
it, kept in step with writes and deletes, rebuilt from the store when it missed a write, never made by a
read-only store or for a small index. Real SQLite files and real tantivy indexes in tmp_path.

`passage_index_from` is lowered to 0 on the stores under test so four short stories count as "big".
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.model import NO_FILTERS, AnalyzedArticle, Filters, TermQuery
from newsdesk.store import passage_index
from newsdesk.store.passage_index import folder_for
from newsdesk.store.sqlite import SQLiteStore
from tests.test_store import FILTER_CASES, analyzed

assert passage_index.tantivy is not None, "tantivy is a dependency (pyproject.toml): the passage index must be testable"


@pytest.fixture(scope="module")
def stories(embedder: Embedder) -> dict[str, AnalyzedArticle]:
    from tests.test_store import STORIES

    return dict(zip(STORIES, analyzed(embedder, *STORIES), strict=True))


def big_store(path: Path, *, readonly: bool = False) -> SQLiteStore:
    store = SQLiteStore(path, readonly=readonly)
    store.passage_index_from = 0
    return store


def names(hits: list, stories: dict[str, AnalyzedArticle]) -> list[str]:
    by_id = {item.article.id: name for name, item in stories.items()}
    return [by_id[h.passage.article_id] for h in hits]


def recorded_generation(db: Path) -> int:
    return int(json.loads((folder_for(str(db)) / passage_index.STATE_FILE).read_text())["generation"])


def store_generation(store: SQLiteStore) -> int:
    return store._stamp(store.conn.cursor())[0]


def test_big_index_is_searched_through_the_passage_index_rare_word_first(
        tmp_path: Path, stories: dict[str, AnalyzedArticle]):
    db = tmp_path / "index.db"
    store = big_store(db)
    store.add_batch(list(stories.values()))
    # FTS5's rows emptied behind the store's back: whatever is found now came from the passage index.
    store.conn.execute("DELETE FROM passage_fts")
    hits = store.lexical_search(TermQuery(("tarrow", "ferry", "fares")), 10, NO_FILTERS)
    assert hits, "the passage index found nothing"
    assert names(hits, stories)[0] == "harbour"  # the only story with the rarer words, in its title too
    assert hits[0].passage.text in stories["harbour"].article.text
    assert recorded_generation(db) == store_generation(store)
    store.close()


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_filters_are_applied_inside_the_passage_index(
        tmp_path: Path, stories: dict[str, AnalyzedArticle], filters: Filters, expected: set[str]):
    store = big_store(tmp_path / "index.db")
    store.add_batch(list(stories.values()))
    store.conn.execute("DELETE FROM passage_fts")  # so only the passage index can answer
    assert set(names(store.lexical_search(TermQuery(("tarrow",)), 50, filters), stories)) == expected
    store.close()


def test_deleted_article_leaves_the_passage_index(tmp_path: Path, stories: dict[str, AnalyzedArticle]):
    store = big_store(tmp_path / "index.db")
    store.add_batch(list(stories.values()))
    store.delete_articles([stories["post"].article.id])
    store.conn.execute("DELETE FROM passage_fts")
    found = set(names(store.lexical_search(TermQuery(("tarrow",)), 50, NO_FILTERS), stories))
    assert found == {"harbour", "tagesblatt", "undated"}
    store.close()


def test_passage_index_that_missed_a_write_is_rebuilt_from_the_store(
        tmp_path: Path, stories: dict[str, AnalyzedArticle]):
    db = tmp_path / "index.db"
    store = big_store(db)
    store.add_batch([stories["harbour"]])
    before = recorded_generation(db)
    # A writer without the passage index (tantivy missing there) adds a story: the index lags behind.
    other = SQLiteStore(db)
    other.passage_index_from = None
    other.add_batch([stories["post"]])
    other.close()
    assert recorded_generation(db) == before
    query = TermQuery(("bridge",))
    # A read-only store cannot repair it: it answers from FTS5, which has the new story.
    reader = big_store(db, readonly=True)
    assert set(names(reader.lexical_search(query, 10, NO_FILTERS), stories)) == {"post"}
    assert recorded_generation(db) == before
    reader.close()
    # The writable store sees the lag on its next search and rebuilds the index from its rows.
    hits = store.lexical_search(query, 10, NO_FILTERS)
    assert set(names(hits, stories)) == {"post"}
    assert recorded_generation(db) == store_generation(store) > before
    store.conn.execute("DELETE FROM passage_fts")  # and the rebuilt index alone finds it
    assert set(names(store.lexical_search(query, 10, NO_FILTERS), stories)) == {"post"}
    store.close()


def test_read_only_store_makes_no_passage_index_and_answers_from_fts5(
        tmp_path: Path, stories: dict[str, AnalyzedArticle]):
    db = tmp_path / "index.db"
    plain = SQLiteStore(db)
    plain.passage_index_from = None
    plain.add_batch(list(stories.values()))
    plain.close()
    reader = big_store(db, readonly=True)
    assert set(names(reader.lexical_search(TermQuery(("tarrow",)), 50, NO_FILTERS), stories)) == set(stories)
    reader.close()
    assert not folder_for(str(db)).exists()


def test_small_index_keeps_fts5_and_makes_no_passage_index(tmp_path: Path, stories: dict[str, AnalyzedArticle]):
    db = tmp_path / "index.db"
    store = SQLiteStore(db)  # the default threshold: far more passages than four stories
    store.add_batch(list(stories.values()))
    assert store.lexical_search(TermQuery(("tarrow",)), 50, NO_FILTERS)
    store.close()
    assert not folder_for(str(db)).exists()
    with sqlite3.connect(db) as conn:  # the generation is kept all the same, for when the index grows
        assert conn.execute("SELECT value FROM meta WHERE key = 'passages_generation'").fetchone() == ("1",)


def test_passages_added_by_a_writer_that_keeps_no_generation_are_noticed_by_their_ids(
        tmp_path: Path, stories: dict[str, AnalyzedArticle]):
    db = tmp_path / "index.db"
    store = big_store(db)
    store.add_batch([stories["harbour"]])
    generation = store_generation(store)
    # Code from before the passage index adds a story and leaves passages_generation as it was.
    other = SQLiteStore(db)
    other.passage_index_from = None
    other.add_batch([stories["post"]])
    other.conn.execute("UPDATE meta SET value = ? WHERE key = 'passages_generation'", (str(generation),))
    other.close()
    reader = big_store(db, readonly=True)
    assert set(names(reader.lexical_search(TermQuery(("bridge",)), 10, NO_FILTERS), stories)) == {"post"}
    reader.close()
    store.conn.execute("DELETE FROM passage_fts WHERE rowid IN (SELECT p.id FROM passages p JOIN articles a "
                       "ON a.id = p.article_id WHERE a.title LIKE '%bridge%')")
    # The writable store rebuilds from its rows: the index, not FTS5 (emptied for that story), finds it.
    assert set(names(store.lexical_search(TermQuery(("bridge",)), 10, NO_FILTERS), stories)) == {"post"}
    store.close()


def test_readers_still_holding_the_stamp_before_an_update_may_search_the_index(
        tmp_path: Path, stories: dict[str, AnalyzedArticle]):
    # The writer records the new stamp before the store commits: a reader that still sees the store as
    # it was must keep the index (not fall back to FTS5 for the whole write), and nothing older.
    store = big_store(tmp_path / "index.db")
    store.add_batch([stories["harbour"]])
    first = store._stamp(store.conn.cursor())
    store.add_batch([stories["post"]])
    second = store._stamp(store.conn.cursor())
    index = store._passage_index
    assert index is not None
    assert index.serves(second) and index.serves(first)
    assert not index.serves((first[0] - 1, first[1]))
    store.close()
