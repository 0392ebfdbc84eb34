"""Where ingest time goes, stage by stage, on a fixed slice of the RealTime QA dev corpus.

Two ingests of the same slice, each into a fresh SQLite file, through the real pipeline
(`ingest.pipeline.ingest_documents`), with its stages wrapped by timers:

* searchable: no analysis steps (`analysis = []`): text, sentences, passages, full text and
  the title-and-lead vectors; what a question needs to find an article;
* full: every analysis step (claims, actors and relations) as well.

Stages: read (files to raw documents), normalise, sentences (and passages), embedding, claims,
actors (with the spaCy parse and the named-entity pass inside it), store write (`add_batch`),
stories (copies and story clustering, `Organizer.run`) and the rest. The plain baseline, in the
same run, puts the same records' title and text into one FTS5 table in one transaction. Each stage
is given in wall time and in this process's CPU time: on a shared machine the CPU figures (and
articles per CPU second) move least with the load.

With `--workers N` (N > 1) each mode also runs through `ingest.parallel.parallel_ingest` (the
`ingest_workers` setting: N processes analyse, this one writes); the stages run in the workers,
so only its wall time, articles/s and articles/s per worker are given. The workers' model loading
is before the clock (`start_workers(..., warm=True)`).

Models (the sentence encoder, spaCy) are loaded and warmed before the clock starts. The 1-minute
load average is printed before and after: the machine is shared, so read every figure with it.

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python bench/ingest_stages.py [--articles 400] [--modes searchable,full]
        [--workers 2]

The slice is every k-th record of the converted dev weeks (`--articles` of them), so it does not
hang on one week's topics. Human-readable lines go to stdout; the LAST line is one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from newsdesk.analyze import relations as relations_module
from newsdesk.analyze.embedding import Embedder, get_embedder
from newsdesk.analyze.steps import DEFAULT_STEPS, AnalysisStep
from newsdesk.config import load_config
from newsdesk.ingest import pipeline
from newsdesk.ingest.organize import Organizer
from newsdesk.model import IngestReport
from newsdesk.store.sqlite import SQLiteStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realtimeqa_to_jsonl  # noqa: E402  (bench/realtimeqa_to_jsonl.py: one converter for every bench)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "realtimeqa-dev"
STAGES = ("read", "normalise", "sentences", "embedding", "claims", "actors", "  spaCy parse", "  spaCy NER",
          "store write", "stories", "other")
NESTED = ("  spaCy parse", "  spaCy NER")  # inside "actors": not added again to the total


def load_average() -> float:
    return os.getloadavg()[0]


def build_slice(data: Path, articles: int, out: Path) -> Path:
    """Every k-th record of the converted dev weeks, `articles` of them, as newsdesk JSON Lines."""
    full = out / "full.jsonl"
    realtimeqa_to_jsonl.convert(data, full, None)
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    step = max(1, len(lines) // articles)
    corpus = out / "slice.jsonl"
    corpus.write_text("".join(lines[::step][:articles]), encoding="utf-8")
    return corpus


def baseline(corpus: Path, db: Path) -> dict[str, float]:
    """The plain baseline: title and text of every record into one FTS5 table, one transaction."""
    began = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize='porter unicode61')")
    count = 0

    def rows() -> Iterator[tuple[str, str]]:
        nonlocal count
        with corpus.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                count += 1
                yield record.get("title") or "", record["text"]

    conn.execute("BEGIN")
    conn.executemany("INSERT INTO docs (title, text) VALUES (?, ?)", rows())
    conn.execute("COMMIT")
    conn.close()
    wall = time.perf_counter() - began
    return {"wall_s": wall, "articles": count, "articles_per_s": count / wall}


class Timers:
    """Seconds per stage, filled by wrapped functions."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self.cpu: dict[str, float] = dict.fromkeys(STAGES, 0.0)  # this process's CPU: what a shared machine skews least

    def wrap(self, stage: str, work: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began, began_cpu = time.perf_counter(), time.process_time()
            try:
                return work(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - began
                self.cpu[stage] += time.process_time() - began_cpu
        return timed


class TimedEmbedder:
    """The configured embedder, its passage calls timed."""

    def __init__(self, inner: Embedder, timers: Timers) -> None:
        self.name, self.dim = inner.name, inner.dim
        self.embed_queries = inner.embed_queries
        self._embed = timers.wrap("embedding", inner.embed_passages)
        self.texts = 0

    def embed_passages(self, texts: Any) -> np.ndarray:
        self.texts += len(texts)
        result: np.ndarray = self._embed(texts)
        return result


def run_ingest(corpus: Path, db: Path, embedder: Embedder, steps: tuple[AnalysisStep, ...],
               batch_size: int, max_bytes: int) -> dict[str, Any]:
    """One ingest of `corpus` into a fresh `db` through the real pipeline, its stages timed."""
    timers = Timers()
    patches: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name)
        patches.append((owner, name, original))
        setattr(owner, name, timers.wrap(stage, original))

    patch(pipeline, "normalize", "normalise")
    patch(pipeline, "split_sentences", "sentences")
    patch(pipeline, "make_passages", "sentences")
    patch(relations_module, "parse", "  spaCy parse")
    patch(relations_module, "recognise", "  spaCy NER")
    patch(Organizer, "run", "stories")
    timed_steps = tuple(dataclasses.replace(s, annotate=timers.wrap(s.name, s.annotate)) for s in steps)
    timed_embedder = TimedEmbedder(embedder, timers)
    store = SQLiteStore(db)
    patch(store, "add_batch", "store write")
    load_before = load_average()
    cpu_before = time.process_time()
    began = time.perf_counter()
    try:
        documents = timers.wrap("read", lambda: list(pipeline.iter_documents([str(corpus)], max_bytes)))()
        report: IngestReport = pipeline.ingest_documents(documents, store, timed_embedder,  # type: ignore[arg-type]
                                                         batch_size=batch_size, steps=timed_steps)
        wall = time.perf_counter() - began
    finally:
        for owner, name, original in reversed(patches):
            setattr(owner, name, original)
        store.close()
    cpu = time.process_time() - cpu_before
    timers.seconds["other"] = max(0.0, wall - sum(v for k, v in timers.seconds.items() if k not in NESTED))
    timers.cpu["other"] = max(0.0, cpu - sum(v for k, v in timers.cpu.items() if k not in NESTED))
    n = max(1, report.added)
    return {
        "added": report.added, "known": report.known, "failed": report.failed,
        "wall_s": wall, "cpu_s": cpu, "articles_per_s": report.added / wall,
        "articles_per_cpu_s": report.added / cpu if cpu else None,  # the rate with a core to itself
        "embedded_texts": timed_embedder.texts,
        "ms_per_article": {k: v * 1000.0 / n for k, v in timers.seconds.items()},
        "cpu_ms_per_article": {k: v * 1000.0 / n for k, v in timers.cpu.items()},
        "share": {k: v / wall for k, v in timers.seconds.items()},
        "load_before": load_before, "load_after": load_average(),
    }


def run_parallel(corpus: Path, db: Path, workers: int, steps: tuple[AnalysisStep, ...], batch_size: int,
                 max_bytes: int, embedder_name: str) -> dict[str, Any]:
    """One ingest of `corpus` into a fresh `db` with `workers` analysing processes (started before the clock)."""
    from newsdesk.ingest.parallel import parallel_ingest, start_workers  # here: the rest runs on older code too

    documents = list(pipeline.iter_documents([str(corpus)], max_bytes))
    analysis = [s.name for s in steps]
    started = time.perf_counter()
    pool = start_workers(workers, embedder_name, analysis, warm=True)
    startup = time.perf_counter() - started
    store = SQLiteStore(db)
    load_before = load_average()
    began = time.perf_counter()
    try:
        report = parallel_ingest(documents, store, workers=workers, embedder_name=embedder_name,
                                 batch_size=batch_size, analysis=analysis, pool=pool)
        wall = time.perf_counter() - began
    finally:
        store.close()
        pool.shutdown()
    return {"workers": workers, "startup_s": startup, "added": report.added, "known": report.known,
            "failed": report.failed, "wall_s": wall, "articles_per_s": report.added / wall,
            "per_worker_articles_per_s": report.added / wall / workers,
            "load_before": load_before, "load_after": load_average()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help="RealTime QA dev weeks (default: %(default)s)")
    parser.add_argument("--articles", type=int, default=400, help="records in the slice (default: %(default)s)")
    parser.add_argument("--modes", default="searchable,full", help="searchable, full or both (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=0,
                        help="also ingest with this many analysing processes (ingest_workers; default: no)")
    parser.add_argument("--batch-size", type=int, default=64, help="articles per transaction (default: %(default)s)")
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    for mode in modes:
        if mode not in ("searchable", "full"):
            raise SystemExit(f"--modes: unknown mode {mode!r}; known: searchable, full")
    config = load_config()
    with tempfile.TemporaryDirectory(prefix="ingest-stages-") as tmp:
        work = Path(tmp)
        corpus = build_slice(args.data, args.articles, work)
        embedder = get_embedder(config.embedder)
        embedder.embed_passages(["warm up the encoder"])
        relations_module.parse(["The minister said the army attacked the town."])  # loads spaCy
        plain = baseline(corpus, work / "baseline.db")
        print(f"plain baseline (title + text into FTS5, one transaction): {plain['articles']} records, "
              f"{plain['articles_per_s']:.0f} articles/s")
        runs: dict[str, Any] = {}
        for mode in modes:
            steps = DEFAULT_STEPS if mode == "full" else ()
            run = run_ingest(corpus, work / f"{mode}.db", embedder, steps, args.batch_size, config.max_file_bytes)
            run["ratio_to_baseline"] = plain["articles_per_s"] / run["articles_per_s"] if run["added"] else None
            runs[mode] = run
            print(f"\n{mode}: {run['added']} added, {run['known']} known, {run['failed']} failed in "
                  f"{run['wall_s']:.1f} s = {run['articles_per_s']:.1f} articles/s "
                  f"({run['ratio_to_baseline']:.0f}x slower than the baseline); CPU {run['cpu_s']:.1f} s "
                  f"= {run['articles_per_cpu_s']:.1f} articles per CPU second; "
                  f"{run['embedded_texts']} texts embedded; load average {run['load_before']:.2f} -> "
                  f"{run['load_after']:.2f}")
            print(f"  {'stage':<16} {'wall ms/article':>16} {'share':>7} {'CPU ms/article':>15}")
            for stage in STAGES:
                ms = run["ms_per_article"][stage]
                if ms or stage == "other":
                    print(f"  {stage:<16} {ms:16.2f} {run['share'][stage] * 100:6.1f}% "
                          f"{run['cpu_ms_per_article'][stage]:15.2f}")
            if args.workers > 1:
                par = run_parallel(corpus, work / f"{mode}-workers.db", args.workers, steps, args.batch_size,
                                   config.max_file_bytes, config.embedder)
                par["ratio_to_baseline"] = plain["articles_per_s"] / par["articles_per_s"] if par["added"] else None
                par["speedup_vs_one_process"] = par["articles_per_s"] / run["articles_per_s"] if run["added"] else None
                run["parallel"] = par
                print(f"  with {args.workers} worker processes: {par['added']} added in {par['wall_s']:.1f} s = "
                      f"{par['articles_per_s']:.1f} articles/s ({par['per_worker_articles_per_s']:.1f} per worker, "
                      f"{par['speedup_vs_one_process']:.2f}x one process); load average {par['load_before']:.2f} "
                      f"-> {par['load_after']:.2f}; workers started in {par['startup_s']:.1f} s before the clock")
    print(json.dumps({"bench": "ingest_stages", "articles": args.articles, "batch_size": args.batch_size,
                      "workers": args.workers,
                      "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "cpus": os.cpu_count(),
                      "baseline": plain, **runs}))


if __name__ == "__main__":
    main()
