"""Dense search on SQLite: the vector cache follows other connections' writes, the graph kept beside
the index is rebuilt when missing, stale or damaged, and graph search agrees with exact search.

Real SQLite files; articles go through the real normalise/analyse pipeline, then get chosen lead
vectors (seeded random directions) so the nearest passage of a query is known in advance.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.ingest.normalize import normalize
from newsdesk.ingest.pipeline import analyze_articles
from newsdesk.model import NO_FILTERS, AnalyzedArticle, Filters, RawDocument
from newsdesk.store import dense_index
from newsdesk.store.sqlite import SQLiteStore

DIM = 512


def unit_rows(n: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def reports(embedder: Embedder) -> list[AnalyzedArticle]:
    """60 short reports, each with one lead vector drawn at random (seed 1)."""
    docs = [RawDocument(origin=f"test:dense{i}", format="jsonl", title=f"Harbour report {i}",
                        text=f"Report {i}: the harbour board met on day {i} and discussed berth {i * 7}.",
                        outlet="Outlet A" if i % 2 else "Outlet B", published=f"2025-09-{1 + i % 28:02d}",
                        language="en") for i in range(60)]
    analyzed = analyze_articles([normalize(d) for d in docs], embedder)
    return [replace(a, vectors=v[None, :]) for a, v in zip(analyzed, unit_rows(60, seed=1), strict=True)]


def article_of_best(store: SQLiteStore, query: np.ndarray, filters: Filters = NO_FILTERS) -> str:
    return store.dense_search(query, 5, filters)[0].passage.article_id


def test_cache_sees_an_article_added_and_one_deleted_by_another_connection(
        tmp_path: Path, reports: list[AnalyzedArticle]) -> None:
    db = tmp_path / "i.db"
    writer = SQLiteStore(db)
    writer.add_batch(reports[:10])
    reader = SQLiteStore(db, readonly=True)
    newcomer = reports[10]
    query = np.asarray(newcomer.vectors[0])
    assert article_of_best(reader, query) != newcomer.article.id  # cached now, without the newcomer
    SQLiteStore(db).add_batch([newcomer])  # another connection (as another process would)
    assert article_of_best(reader, query) == newcomer.article.id
    SQLiteStore(db).delete_articles([newcomer.article.id])
    assert newcomer.article.id not in {h.passage.article_id for h in reader.dense_search(query, 20, NO_FILTERS)}
    own = reports[11]  # the writer's own append and delete, seen by its own searches
    assert article_of_best(writer, np.asarray(own.vectors[0])) != own.article.id
    writer.add_batch([own])
    assert article_of_best(writer, np.asarray(own.vectors[0])) == own.article.id
    writer.delete_articles([own.article.id])
    assert own.article.id not in {h.passage.article_id for h in writer.dense_search(
        np.asarray(own.vectors[0]), 20, NO_FILTERS)}
    writer.close()
    reader.close()


def opened(db: Path, threshold: int = 10, readonly: bool = False) -> SQLiteStore:
    store = SQLiteStore(db, readonly=readonly)
    store.ann_threshold = threshold  # a graph from 10 vectors on, so a small index takes the large-index path
    return store


def test_missing_graph_is_built_and_saved_beside_the_index_by_a_writer(
        tmp_path: Path, reports: list[AnalyzedArticle]) -> None:
    db = tmp_path / "i.db"
    writer = opened(db)
    writer.add_batch(reports[:40])
    folder = dense_index.sidecar_dir(str(db))
    assert not folder.exists()
    writer.prepare_dense_search()
    saved = sorted(p.name for p in folder.iterdir())
    assert [Path(p).suffix for p in saved] == [".npy", ".npy", ".usearch"]
    # A new process maps the saved state instead of reading the vectors again.
    reader = opened(db, readonly=True)
    vectors = reader._vectors()
    assert vectors.mapped and vectors.graph is not None and len(vectors.ids) == 40
    query = np.asarray(reports[17].vectors[0])
    assert article_of_best(reader, query) == reports[17].article.id


def test_a_question_never_writes_the_folder_beside_the_index(tmp_path: Path, reports: list[AnalyzedArticle]) -> None:
    db = tmp_path / "i.db"
    SQLiteStore(db).add_batch(reports[:30])
    reader = opened(db, readonly=True)
    assert article_of_best(reader, np.asarray(reports[3].vectors[0])) == reports[3].article.id
    assert reader._vectors().graph is not None  # built in memory
    assert not dense_index.sidecar_dir(str(db)).exists()


def test_stale_graph_takes_appended_vectors_and_a_delete_rebuilds_it(
        tmp_path: Path, reports: list[AnalyzedArticle]) -> None:
    db = tmp_path / "i.db"
    writer = opened(db)
    writer.add_batch(reports[:30])
    writer.prepare_dense_search()
    folder = dense_index.sidecar_dir(str(db))
    first = {p.name for p in folder.iterdir()}
    reader = opened(db, readonly=True)
    assert reader._vectors().mapped
    opened(db).add_batch(reports[30:45])  # another connection appends, without saving
    late = reports[44]
    assert article_of_best(reader, np.asarray(late.vectors[0])) == late.article.id  # read and added in memory
    assert {p.name for p in folder.iterdir()} == first
    writer.prepare_dense_search()  # the writer extends the saved state
    second = {p.name for p in folder.iterdir()}
    assert second.isdisjoint(first) and len(second) == 3  # the old state's files replaced, not kept
    fresh = opened(db, readonly=True)  # a new process: maps the appended state
    assert fresh._vectors().mapped and len(fresh._vectors().ids) == 45
    assert article_of_best(fresh, np.asarray(late.vectors[0])) == late.article.id
    opened(db).delete_articles([late.article.id])
    assert late.article.id not in {h.passage.article_id for h in fresh.dense_search(
        np.asarray(late.vectors[0]), 20, NO_FILTERS)}
    assert fresh._vectors().key[0] == 1 and len(fresh._vectors().ids) == 44


def test_damaged_graph_file_is_rebuilt_from_the_store(tmp_path: Path, reports: list[AnalyzedArticle]) -> None:
    db = tmp_path / "i.db"
    writer = opened(db)
    writer.add_batch(reports[:30])
    writer.prepare_dense_search()
    graph_file = next(dense_index.sidecar_dir(str(db)).glob("*.usearch"))
    graph_file.write_bytes(graph_file.read_bytes()[:100])  # cut short, as by a full disk
    again = opened(db, readonly=True)
    assert article_of_best(again, np.asarray(reports[3].vectors[0])) == reports[3].article.id
    assert len(again._vectors().graph) == 30
    opened(db).prepare_dense_search()  # a writer saves a sound one again
    assert opened(db, readonly=True)._vectors().mapped


def test_graph_and_exact_search_agree_on_a_small_index_with_and_without_a_filter(
        tmp_path: Path, reports: list[AnalyzedArticle]) -> None:
    db = tmp_path / "i.db"
    SQLiteStore(db).add_batch(reports)
    exact, ann = SQLiteStore(db, readonly=True), opened(db, readonly=True)
    assert exact._vectors().graph is None and ann._vectors().graph is not None
    only_a = Filters(outlets=("Outlet A",))
    for query in unit_rows(10, seed=2):
        # 5 hits: 15 candidates from the graph; 20: the graph would have to return all 60, so every row is scored.
        for filters, limit in ((NO_FILTERS, 5), (only_a, 5), (NO_FILTERS, 20), (only_a, 20)):
            want = exact.dense_search(query, limit, filters)
            got = ann.dense_search(query, limit, filters)
            assert [h.passage.article_id for h in got] == [h.passage.article_id for h in want]
            # Both score in float32; a product over fewer rows may round the last bit differently.
            assert [h.score for h in got] == pytest.approx([h.score for h in want], rel=1e-6, abs=1e-7)


def test_search_keeps_the_order_of_a_stable_full_sort_on_ties() -> None:
    matrix = np.repeat(unit_rows(3, seed=3), [4, 1, 5], axis=0)  # rows with equal scores
    vectors = dense_index.DenseVectors((0, 10), np.arange(1, 11), matrix)
    query = matrix[0]
    scores = matrix @ query
    want = [int(i) + 1 for i in np.argsort(-scores, kind="stable")[:6]]
    assert [pid for pid, _ in dense_index.search(vectors, query, 6)] == want
