"""`ask` latency, index size and memory at 10 k / 100 k articles, built from the dev data without re-analysing it.

How the large corpus is made: the dev index (RealTime QA dev weeks, ~2,200 distinct articles,
ingested for real once: `--base`) is exported (newsdesk.transfer), and every article is copied
`k` times with variation, then imported into `--db`. Copy k of an article:

* swaps about a quarter of its sentences (at least one) for sentences of other articles, picked
  by a seeded random generator: the text, hence the content id, differs and word shingles
  overlap only ~60-75 % (below the usual near-duplicate thresholds);
* shifts every offset after a swapped sentence (sentences, passages, claims, mentions,
  relations); analysis found in a swapped-out sentence is dropped, as it no longer applies;
* moves the publication date by k days, renames the outlet ("<outlet> · k") and the URL;
* perturbs the stored vectors by Gaussian noise (sigma 0.01 per dimension, re-normalised, float16),
  so dense search does not see exact ties.

Questions are the dev weeks' questions (`question_sentence` of W_qa.jsonl), taken evenly spaced.
They are asked in a child process (one `Desk`, as a query node would hold it), so its peak RSS
is the query side's alone; the first question (cold: loads vectors and models) is reported apart.

    OMP_NUM_THREADS=1 .venv/bin/python bench/scale.py --base dev.db --articles 10000 --db /tmp/s10k.db

`--db` may be a SQLite path or a `postgresql://` URL when that backend is present (the store is
opened with the same factory as `newsdesk --db`; a PostgreSQL index is ANALYZEd after the build; a
SQLite one gets its tantivy passage index when it has none and tantivy is installed, as the import
makes it past 200 k passages; `--reuse --no-passage-index` leaves an index without one as it is, so its
asks search FTS5).
The 1-minute load average is recorded at each step (`load_*`). The LAST stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from newsdesk.ingest.normalize import content_id
from newsdesk.ingest.organize import refresh_stories
from newsdesk.store.base import StoreError
from newsdesk.store.open import open_store
from newsdesk.transfer import VECTOR_DTYPE, export_index, import_index

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "realtimeqa-dev"


# -- the varied copies --------------------------------------------------------------------------------


def load_export(base: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    store = open_store(base, readonly=True)
    out = io.StringIO()
    try:
        export_index(store, out)
    finally:
        store.close()
    lines = out.getvalue().splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def varied_copy(record: dict[str, Any], k: int, donors: list[str], rng: random.Random, dim: int) -> dict[str, Any]:
    """Copy `k` of an export record: some sentences swapped, offsets shifted, date/outlet/URL/vectors varied."""
    a = record["article"]
    text: str = a["text"]
    sentences = record["sentences"]
    n = len(sentences)
    swapped = set(rng.sample(range(n), max(1, n // 4)))
    pieces, new_sentences, shifts = [], [], []  # shifts: (old end, cumulative delta after it)
    cursor, delta = 0, 0
    for i, (start, end) in enumerate(sentences):
        pieces.append(text[cursor:start])
        new_start = start + delta
        body = rng.choice(donors) if i in swapped else text[start:end]
        pieces.append(body)
        if i in swapped:
            delta += len(body) - (end - start)
        new_sentences.append([new_start, new_start + len(body)])
        shifts.append((end, delta))
        cursor = end
    pieces.append(text[cursor:])
    new_text = "".join(pieces)

    def shift(pos: int) -> int:
        moved = 0
        for old_end, after in shifts:
            if old_end <= pos:
                moved = after
            else:
                break
        return pos + moved

    keep = lambda item: item["sentence_index"] not in swapped  # noqa: E731
    claims = [{**c, "start": shift(c["start"]), "end": shift(c["end"]), "value_start": shift(c["value_start"]),
               "value_end": shift(c["value_end"])} for c in record["claims"] if keep(c)]
    mentions = [{**m, "start": shift(m["start"]), "end": shift(m["end"])} for m in record["mentions"] if keep(m)]
    relations = [{**r, "start": shift(r["start"]), "end": shift(r["end"]), "trigger_start": shift(r["trigger_start"]),
                  "trigger_end": shift(r["trigger_end"])} for r in record["relations"] if keep(r)]
    passages = [[f, last, new_sentences[f][0], new_sentences[last][1]] for f, last, _, _ in record["passages"]]
    vectors = np.frombuffer(base64.b64decode(record["vectors"]), dtype=VECTOR_DTYPE).astype(np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 0.01, (len(vectors) // dim, dim))
    vectors = vectors.reshape(-1, dim) + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    published = a.get("published")
    if published:
        try:
            published = (date.fromisoformat(published[:10]) + timedelta(days=k)).isoformat() + published[10:]
        except ValueError:
            pass
    suffix = f"copy={k}"
    locations = [{"url": f"{loc['url']}{'&' if '?' in loc['url'] else '?'}{suffix}" if loc.get("url") else None,
                  "path": f"{loc['path']}#{suffix}" if loc.get("path") else None} for loc in a["locations"]]
    article = {**a, "id": content_id(new_text), "text": new_text, "published": published,
               "outlet": f"{a.get('outlet') or 'unknown'} · {k}", "url": locations[0]["url"] if locations else None,
               "path": locations[0]["path"] if locations else None, "locations": locations,
               "metadata": {**a.get("metadata", {}), "scale_copy": k}}
    return {"article": article, "sentences": new_sentences, "passages": passages,
            "vectors": base64.b64encode(vectors.astype(VECTOR_DTYPE).tobytes()).decode("ascii"),
            "claims": claims, "mentions": mentions, "relations": relations}


def corpus_lines(header: dict[str, Any], records: list[dict[str, Any]], target: int, seed: int = 8) -> Iterator[str]:
    """The header, the originals, then varied copies round after round until `target` articles."""
    rng = random.Random(seed)
    donors = [r["article"]["text"][s:e] for r in records for s, e in r["sentences"] if 40 <= e - s <= 400]
    yield json.dumps({**header, "articles": target})
    made, k = 0, 0
    while made < target:
        for record in records:
            if made >= target:
                return
            yield json.dumps(record if k == 0 else varied_copy(record, k, donors, rng, header["dim"]),
                             ensure_ascii=False)
            made += 1
        k += 1


# -- asking (child process) ---------------------------------------------------------------------------


def dev_questions(data: Path, count: int) -> list[str]:
    found = []
    for qa in sorted(data.glob("*_qa.jsonl")):
        for line in qa.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sentence = str(json.loads(line).get("question_sentence") or "").strip()
                if sentence:
                    found.append(sentence)
    if len(found) > count:
        found = [found[(i * len(found)) // count] for i in range(count)]
    return found


def ask_only(db: str, questions: list[str]) -> dict[str, Any]:
    from newsdesk.config import load_config
    from newsdesk.desk import Desk

    times = []
    with Desk(db, load_config(db=db)) as desk:
        for question in questions:
            started = time.perf_counter()
            desk.ask(question)
            times.append((time.perf_counter() - started) * 1000)
    warm = sorted(times[1:]) or times
    return {"questions": len(times), "ask_cold_first_ms": round(times[0], 1),
            "ask_p50_ms": round(statistics.median(warm), 1),
            "ask_p95_ms": round(warm[min(len(warm) - 1, int(round(0.95 * (len(warm) - 1))))], 1),
            "ask_mean_ms": round(statistics.fmean(warm), 1)}


def ask_in_child(db: str, questions: list[str]) -> dict[str, Any]:
    """Ask in a fresh process: its peak RSS is what a query node holding this index needs.

    The RSS is sampled (psutil, every 50 ms): a child's ru_maxrss on Linux starts from the parent's
    at fork, so this builder's own memory would show through it.
    """
    import psutil

    proc = subprocess.Popen([sys.executable, __file__, "--ask-only", "--db", db, "--questions-json",
                             json.dumps(questions)], stdout=subprocess.PIPE, text=True)
    peak = 0
    watched = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.Error:
            break
        time.sleep(0.05)
    out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"asking failed (exit {proc.returncode})")
    figures = json.loads(out.strip().splitlines()[-1])
    figures["ask_peak_rss_mb"] = round(peak / 2**20, 1)
    return figures


# -- main ---------------------------------------------------------------------------------------------


def is_postgres(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def db_bytes(db: str, stats: dict[str, Any]) -> int | None:
    """Bytes on disk: the SQLite file and its WAL, or PostgreSQL's pg_database_size (indexes included)."""
    if is_postgres(db):
        return stats.get("bytes_on_disk")
    return sum(Path(db + s).stat().st_size for s in ("", "-wal") if Path(db + s).exists())


def analyze(db: str) -> float:
    """ANALYZE a PostgreSQL index after the bulk build, as autovacuum would in time; its seconds.

    Full-text pruning (store/postgres_terms.py) reads the statistics it makes; asking before it ran
    would measure the unpruned search.
    """
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return round(time.perf_counter() - started, 1)


def dense_folder(db: str) -> dict[str, Any]:
    """The saved dense vectors (and, above the threshold, the graph) beside the index, as a writer leaves them.

    `ingest`, `import` and `migrate` save them; an index built by older code has none yet, and a read-only
    query process would then build the graph in memory on its first question (store/dense_index.py).
    """
    from newsdesk.store.dense_index import sidecar_dir

    started = time.perf_counter()
    store = open_store(db)
    try:
        store.prepare_dense_search()
    finally:
        store.close()
    folder = sidecar_dir(db)
    size = sum(f.stat().st_size for f in folder.iterdir()) if folder.exists() else 0
    return {"dense_prepare_s": round(time.perf_counter() - started, 1), "dense_folder_mb": round(size / 2**20, 1)}


def passage_index(db: str) -> dict[str, Any]:
    """The SQLite index's tantivy passage index (store/passage_index.py), made when missing; its seconds and size.

    An import past the store's threshold made it already (each batch writes it too); an index built
    by older code, or copied, has none yet, and a read-only query process would search FTS5 instead.
    """
    from newsdesk.store.passage_index import available, folder_for
    from newsdesk.store.sqlite import PASSAGE_INDEX_FROM, SQLiteStore

    if not available():
        return {"passage_index": "tantivy not installed"}
    folder = folder_for(db)
    figures: dict[str, Any] = {}
    store = SQLiteStore(db, readonly=True)
    try:
        if not folder.exists() and store.stats()["passages"] >= PASSAGE_INDEX_FROM:
            started = time.perf_counter()
            store.rebuild_passage_index()
            figures["passage_index_s"] = round(time.perf_counter() - started, 1)
    finally:
        store.close()
    if folder.exists():
        figures["passage_index_mb"] = round(sum(f.stat().st_size for f in folder.iterdir()) / 2**20, 1)
    return figures


def load_average() -> float:
    """The 1-minute load average: other jobs on the machine slow every timed figure."""
    return round(os.getloadavg()[0], 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="the dev index to copy from (built with `newsdesk ingest`)")
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the built index")
    parser.add_argument("--db", required=True, help="the index to build and ask (SQLite path or postgresql:// URL)")
    parser.add_argument("--data", type=Path, default=DATA, help="RealTime QA directory, for the questions")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--batch", type=int, default=500, help="articles per import transaction")
    parser.add_argument("--reuse", action="store_true", help="ask the index in --db as it is (no build)")
    parser.add_argument("--no-passage-index", action="store_true",
                        help="SQLite: do not make the tantivy passage index when missing (FTS5 answers then)")
    parser.add_argument("--ask-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--questions-json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.ask_only:
        print(json.dumps(ask_only(args.db, json.loads(args.questions_json))))
        return 0
    figures: dict[str, Any] = {"bench": "scale", "db": args.db, "cpus": os.cpu_count(), "load_start": load_average()}
    if not args.reuse:
        if not args.base:
            raise SystemExit("--base DEV_INDEX is needed to build --db (or --reuse an index already built)")
        started = time.perf_counter()
        header, records = load_export(args.base)
        figures["base_articles"] = len(records)
        figures["export_s"] = round(time.perf_counter() - started, 1)
        try:
            store = open_store(args.db)
        except StoreError as exc:
            raise SystemExit(f"{args.db}: {exc}") from exc
        try:
            if store.article_count():
                raise SystemExit(f"{args.db} is not empty; give a new path (or --reuse it)")
            started = time.perf_counter()
            report = import_index(store, corpus_lines(header, records, args.articles), source="scale",
                                  batch_size=args.batch)
            seconds = time.perf_counter() - started
            figures["load_after_import"] = load_average()
            print(f"imported {report.added} articles in {seconds:.0f} s ({report.added / seconds:.0f}/s)", flush=True)
            # Copies and stories, as `newsdesk import` forms them, so questions meet the steady state.
            started = time.perf_counter()
            refresh_stories(store)
            figures["organize_s"] = round(time.perf_counter() - started, 1)
            figures["load_after_organize"] = load_average()
            print(f"copies and stories formed in {figures['organize_s']:.0f} s", flush=True)
        finally:
            store.close()
        if report.failed:
            print("\n".join(f"{e.origin}: {e.reason}" for e in report.errors[:10]), file=sys.stderr)
        figures.update(import_added=report.added, import_known=report.known, import_failed=report.failed,
                       import_s=round(seconds, 1), import_articles_per_s=round(report.added / seconds, 1),
                       build_peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
        print(f"built {report.added} articles in {seconds:.0f} s ({report.added / seconds:.0f}/s), "
              f"{report.known} known, {report.failed} failed", flush=True)
    if is_postgres(args.db) and not args.reuse:
        figures["analyze_s"] = analyze(args.db)
    if not is_postgres(args.db) and not args.no_passage_index:
        figures.update(passage_index(args.db))
    if not is_postgres(args.db):
        figures.update(dense_folder(args.db))
    store = open_store(args.db, readonly=True)
    try:
        stats = store.stats()
    finally:
        store.close()
    figures.update(articles=stats["articles"], passages=stats["passages"], sentences=stats["sentences"])
    size = db_bytes(args.db, stats)
    if size is not None:
        figures.update(bytes_on_disk=size, bytes_per_article=round(size / max(stats["articles"], 1)))
    figures["load_before_ask"] = load_average()
    figures.update(ask_in_child(args.db, dev_questions(args.data, args.questions)))
    figures["load_after_ask"] = load_average()
    print(f"{figures['articles']} articles: ask p50 {figures['ask_p50_ms']:.0f} ms, p95 {figures['ask_p95_ms']:.0f} ms,"
          f" cold {figures['ask_cold_first_ms']:.0f} ms, query-process peak RSS {figures.get('ask_peak_rss_mb')} MB, "
          f"{(size or 0) / 2**20:.0f} MB on disk", flush=True)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
