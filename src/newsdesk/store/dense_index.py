"""Nearest lead vectors for the SQLite store: exact below a size, HNSW (usearch) above it.

Up to `ANN_THRESHOLD` vectors, search is the exact float32 product it always was (bit for bit
the same scores, so answers on small indexes do not change). Above it the product costs more
than the dense part of an answer may (bench/dense.py) and the vectors stay float16 as stored
(half the memory of a float32 copy): an HNSW graph proposes candidates and they are scored exactly from the same
float16 values (the same score either way, up to float32 rounding in the last bit).

Above the threshold, the float16 matrix and the graph are kept in a folder beside the index
(`<db>.dense/`), named after the state of the vectors they were made from, and memory-mapped, so
a new process starts without reading every vector and several processes share the pages. Writers
save it (after ingest, import, migrate); a question never writes. A folder that is missing, stale,
damaged or unwritable is no error: the vectors are read from the store (and the graph built or
extended in memory) instead.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# Exact search up to this many vectors: the product costs ~18 ms there on the busy 2-core machine
# (44 ms at 100 k, linear; bench/dense.py, docs/SCALING.md D1), and no graph need be built or kept.
ANN_THRESHOLD = 40_000
ROW_BLOCK = 16_384  # rows converted to float32 at a time: 32 MB of scratch at 512 dimensions
# HNSW settings from bench/dense.py at 100 k (docs/SCALING.md D3): what dense_search returns has
# recall@80 0.982 against exact with a search breadth of 256, 0.989 with 512 (+5 ms at load 17), 0.993 with 1024.
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 512
OVERFETCH = 3  # candidates asked of the graph per wanted hit, so filters and ties still fill the list
# Below this many rows a graph (only there when a test or a user lowers the threshold) is built on one
# thread: a parallel insert order differs run to run, and so would which near-ties a search returns.
PARALLEL_ADD_FROM = 10_000

Key = tuple[int, int]  # (vectors generation, highest passage id with a vector)


@dataclass
class DenseVectors:
    """Passage ids (ascending) and their float16 vectors; `graph` is the HNSW index when large enough."""

    key: Key
    ids: np.ndarray
    matrix: np.ndarray
    graph: Any = None
    mapped: bool = False  # matrix and graph are views of the saved files (read-only)


def vectors_key(conn: sqlite3.Connection) -> Key:
    """The state the cached vectors must match: two primary-key lookups, whatever the index size."""
    gen = conn.execute("SELECT value FROM meta WHERE key = 'vectors_generation'").fetchone()
    top = conn.execute("SELECT coalesce(max(passage_id), 0) FROM passage_vectors").fetchone()[0]
    return (int(gen[0]) if gen else 0, int(top))


def read_vectors(conn: sqlite3.Connection, after: int, upto: int, dim: int | None = None,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Ids and vectors with `after` < passage id <= `upto` (rows committed later wait for the next key).

    One pass, a block of rows at a time: no list of every blob, no float32 copy.
    """
    cur = conn.execute("SELECT passage_id, vector FROM passage_vectors WHERE passage_id > ? AND passage_id <= ? "
                       "ORDER BY passage_id", (after, upto))
    id_parts: list[np.ndarray] = []
    parts: list[np.ndarray] = []
    while rows := cur.fetchmany(8192):
        id_parts.append(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
        parts.append(np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), -1))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros((0, dim or 0), dtype=np.float16)
    return np.concatenate(id_parts), np.concatenate(parts)


def exact_scores(matrix: np.ndarray, query: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Cosine scores of `query` against every row (or `rows`), in float32; float16 rows converted a block at a time.

    numpy converts float16 slowly (~3 ms per 100 k values here): fine for a graph's candidates,
    too slow for a whole large matrix, which is why large matrices are searched through the graph.
    """
    q = np.asarray(query, dtype=np.float32)
    if matrix.dtype == np.float32:  # small: the whole product, then the rows, so each score is bit for bit the same
        scores = matrix @ q
        return scores if rows is None else scores[rows]
    if rows is not None:
        return np.asarray(matrix[rows], dtype=np.float32) @ q if len(rows) else np.zeros(0, dtype=np.float32)
    out = np.empty(len(matrix), dtype=np.float32)
    for start in range(0, len(matrix), ROW_BLOCK):
        out[start:start + ROW_BLOCK] = np.asarray(matrix[start:start + ROW_BLOCK], dtype=np.float32) @ q
    return out


def best(scores: np.ndarray, rows: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """(row, score) of the `limit` best, highest first, ties by row: the order a stable full sort gives."""
    if len(scores) > limit:
        cut = np.partition(-scores, limit - 1)[limit - 1]
        keep = np.nonzero(-scores <= cut)[0]
        scores, rows = scores[keep], rows[keep]
    order = np.lexsort((rows, -scores))[:limit]
    return [(int(rows[i]), float(scores[i])) for i in order]


def search(vectors: DenseVectors, query: np.ndarray, limit: int, allowed: np.ndarray | None = None,
           ) -> list[tuple[int, float]]:
    """(passage id, score) of the `limit` nearest, best first; `allowed` (sorted passage ids) filters.

    With a graph, its candidates are scored exactly; when a filter leaves fewer than `limit` of
    them, the allowed rows are scored exactly instead, so a narrow filter still gets its best.
    """
    n = len(vectors.ids)
    if n == 0 or limit <= 0:
        return []
    allowed_rows = None
    if allowed is not None:
        allowed_rows = np.minimum(np.searchsorted(vectors.ids, allowed), n - 1)
        allowed_rows = allowed_rows[vectors.ids[allowed_rows] == allowed]  # drop ids this state does not hold
    if vectors.graph is not None:
        # A filter may drop most candidates: ask for more once before scoring the allowed rows one by one.
        for wanted in (limit * OVERFETCH, limit * OVERFETCH * 8):
            if wanted >= n:
                break  # asked for every row, HNSW may still miss some it cannot reach: score them all instead
            found = vectors.graph.search(np.asarray(query, dtype=np.float32), wanted, threads=1)
            rows = np.unique(np.asarray(found.keys, dtype=np.int64))
            if allowed_rows is not None:
                rows = rows[np.isin(rows, allowed_rows)]
            if len(rows) >= limit:
                # Scored from the graph's own copy of the vectors (the same float16 values): the pages its
                # search just visited, where gathering rows from the mapped matrix made the kernel read
                # most of the file (+96 MB of RSS at 100 k, bench/dense.py).
                candidates = np.asarray(np.vstack(vectors.graph.get(rows, dtype=np.float16)), dtype=np.float32)
                picked = best(candidates @ np.asarray(query, dtype=np.float32), rows, limit)
                return [(int(vectors.ids[r]), s) for r, s in picked]
            if allowed_rows is None:
                break
    if allowed_rows is None:
        rows = np.arange(n)
        scores = exact_scores(vectors.matrix, query)
    else:
        rows = allowed_rows
        scores = exact_scores(vectors.matrix, query, rows)
    return [(int(vectors.ids[r]), s) for r, s in best(scores, rows, limit)]


# -- kept beside the index --------------------------------------------------------------------------


def sidecar_dir(db_path: str) -> Path:
    return Path(db_path + ".dense")


def _stem(key: Key) -> str:
    return f"g{key[0]}-t{key[1]}"


def load(db_path: str, conn: sqlite3.Connection, key: Key, previous: DenseVectors | None = None,
         threshold: int = ANN_THRESHOLD, save: bool = True) -> DenseVectors:
    """The vectors in state `key`: from the folder beside the index, else the store (then saved there
    when `save`: writers save, a question never writes).

    Vectors only appended since a saved or `previous` state (same generation, lower top) are read
    and added, not the whole table again. Up to `threshold` vectors the matrix is float32 in memory
    (exact search is then one BLAS product, as fast as it gets); above, float16 with a graph.
    """
    folder = sidecar_dir(db_path)
    saved = _open_saved(folder, key, threshold)
    if saved is not None:
        return saved
    base = previous if previous is not None and previous.key[0] == key[0] and previous.key[1] <= key[1] else None
    if base is None:
        base = _latest_saved(folder, key, threshold)
    start = base.key[1] if base is not None else 0
    new_ids, new_rows = read_vectors(conn, start, key[1])
    if base is None or len(base.ids) == 0:
        ids, matrix = new_ids, new_rows
    elif len(new_ids) == 0:
        ids, matrix = base.ids, base.matrix
    else:
        ids = np.concatenate([base.ids, new_ids])
        matrix = np.concatenate([np.asarray(base.matrix, dtype=np.float16), new_rows])
    if len(ids) <= threshold:
        return DenseVectors(key, ids, np.asarray(matrix, dtype=np.float32))
    matrix = np.asarray(matrix, dtype=np.float16)  # exact: the float32 values came from float16
    if base is not None and base.graph is not None:
        graph = _writable_copy(folder / f"{_stem(base.key)}.usearch", matrix[:len(base.ids)]) if base.mapped \
            else base.graph
        if len(new_ids):
            add_rows(graph, np.arange(len(base.ids), len(ids)), new_rows)
    else:
        graph = build_graph(matrix)
    result = DenseVectors(key, ids, matrix, graph)
    if save:
        _save(folder, result)
    return result


def build_graph(matrix: np.ndarray) -> Any:
    """An HNSW graph over the rows (keys are row numbers), float16 inner product as stored."""
    from usearch.index import Index

    graph = Index(ndim=matrix.shape[1], metric="ip", dtype="f16", connectivity=CONNECTIVITY,
                  expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
    if len(matrix):
        add_rows(graph, np.arange(len(matrix)), np.asarray(matrix))
    return graph


def add_rows(graph: Any, keys: np.ndarray, rows: np.ndarray) -> None:
    """Insert rows into the graph, on every core once it is large enough for the order not to matter."""
    threads = (os.cpu_count() or 1) if len(graph) + len(keys) >= PARALLEL_ADD_FROM else 1
    graph.add(keys, rows, threads=threads)


def _writable_copy(path: Path, matrix: np.ndarray) -> Any:
    """A memory-mapped graph is read-only: the saved one loaded into memory to add to (or built again)."""
    from usearch.index import Index

    try:
        loaded = Index.restore(str(path), view=False, expansion_search=EXPANSION_SEARCH)
    except (OSError, RuntimeError, ValueError):
        loaded = None
    if loaded is None or len(loaded) != len(matrix):
        return build_graph(matrix)
    return loaded


def _open_saved(folder: Path, key: Key, threshold: int) -> DenseVectors | None:
    stem = _stem(key)
    ids_path, matrix_path, graph_path = (folder / f"{stem}.ids.npy", folder / f"{stem}.f16.npy",
                                         folder / f"{stem}.usearch")
    if not (ids_path.exists() and matrix_path.exists()):
        return None
    try:
        ids = np.load(ids_path)
        matrix = np.load(matrix_path, mmap_mode="r")
        graph = None
        if len(ids) > threshold:
            if not graph_path.exists():
                return None
            from usearch.index import Index

            # The search breadth is not kept in the file; the view gets it here.
            graph = Index.restore(str(graph_path), view=True, expansion_search=EXPANSION_SEARCH)
            if graph is None or len(graph) != len(ids):
                return None
    except (OSError, ValueError, RuntimeError):
        return None  # damaged or half-written by a process that died: made again from the store
    if len(ids) != len(matrix):
        return None
    if graph is None:  # saved by a process with a lower threshold: searched exactly here, in float32
        return DenseVectors(key, ids, np.asarray(matrix, dtype=np.float32))
    return DenseVectors(key, ids, matrix, graph, mapped=True)


def _latest_saved(folder: Path, key: Key, threshold: int) -> DenseVectors | None:
    """The saved state of the same generation with the highest top below `key`'s, if any."""
    tops = []
    for path in folder.glob(f"g{key[0]}-t*.ids.npy"):
        try:
            top = int(path.name.split("-t", 1)[1].split(".", 1)[0])
        except ValueError:
            continue
        if top < key[1]:
            tops.append(top)
    for top in sorted(tops, reverse=True):
        saved = _open_saved(folder, (key[0], top), threshold)
        if saved is not None:
            return saved
    return None


def _save(folder: Path, vectors: DenseVectors) -> None:
    """Write the state under its own name (write then rename: a reader never sees half a file), drop older ones."""
    stem = _stem(vectors.key)
    try:
        folder.mkdir(exist_ok=True)
        tmp = f".tmp{os.getpid()}"
        with open(folder / f"{stem}.ids.npy{tmp}", "wb") as fh:
            np.save(fh, vectors.ids, allow_pickle=False)
        with open(folder / f"{stem}.f16.npy{tmp}", "wb") as fh:
            np.save(fh, np.asarray(vectors.matrix), allow_pickle=False)
        if vectors.graph is not None:
            vectors.graph.save(str(folder / f"{stem}.usearch{tmp}"))
            os.replace(folder / f"{stem}.usearch{tmp}", folder / f"{stem}.usearch")
        os.replace(folder / f"{stem}.f16.npy{tmp}", folder / f"{stem}.f16.npy")
        os.replace(folder / f"{stem}.ids.npy{tmp}", folder / f"{stem}.ids.npy")  # last: marks the state complete
        for old in folder.iterdir():
            if not old.name.startswith(stem + ".") and old.name.startswith("g"):
                old.unlink(missing_ok=True)  # a process still mapping it keeps its pages until it closes
    except OSError:
        return  # a read-only place: the vectors stay in this process's memory
