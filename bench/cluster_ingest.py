"""Ingest throughput and memory: local, and on a Dask cluster of 1 and 2 worker processes (loopback).

The corpus is the first `--limit` records of the RealTime QA dev weeks (converted with
bench/realtimeqa_to_jsonl.py). Every run ingests it into a fresh SQLite file. Models are loaded
before the clock starts (in this process for the local run, on every worker for a cluster run:
the one-off start-up is reported apart), so the figure is the steady ingest rate.

Memory is sampled every 0.2 s with psutil: this process (the client, the one writer) and each
worker process; the peaks are reported.

A cluster run on one machine shares its cores: on a 2-core machine two workers plus the client
cannot go twice as fast as one process. The figure that carries to real machines is per-worker
throughput, with the client's write cost measured beside it.

    OMP_NUM_THREADS=1 .venv/bin/python bench/cluster_ingest.py [--limit 300] [--workers 0,1,2]

Human-readable lines go to stdout; the LAST line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from newsdesk.analyze.embedding import get_embedder
from newsdesk.config import load_config
from newsdesk.ingest.cluster import analyze_on_worker, cluster_ingest
from newsdesk.ingest.pipeline import analyze_chunk, ingest_documents, iter_documents
from newsdesk.store.sqlite import SQLiteStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realtimeqa_to_jsonl  # noqa: E402  (bench/realtimeqa_to_jsonl.py: one converter for every bench)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "realtimeqa-dev"


def build_corpus(data: Path, limit: int, out: Path) -> Path:
    """The first `limit` records of the converted RealTime QA weeks, as newsdesk JSON Lines."""
    full = out / "full.jsonl"
    realtimeqa_to_jsonl.convert(data, full, None)
    corpus = out / "corpus.jsonl"
    with full.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as sink:
        for n, line in enumerate(src):
            if n >= limit:
                break
            sink.write(line)
    return corpus


class MemorySampler:
    """Peak RSS of this process and of every worker process, sampled in a thread."""

    def __init__(self, worker_pids: list[int], every: float = 0.2) -> None:
        self.procs = {"client": psutil.Process()} | {f"worker{i}": psutil.Process(p) for i, p in enumerate(worker_pids)}
        self.peaks = {name: 0 for name in self.procs}
        self.peak_total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.is_set():
            total = 0
            for name, proc in self.procs.items():
                try:
                    rss = proc.memory_info().rss
                except psutil.Error:  # a worker restarted or gone
                    continue
                self.peaks[name] = max(self.peaks[name], rss)
                total += rss
            self.peak_total = max(self.peak_total, total)
            self._stop.wait(every)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def figures(self) -> dict[str, float]:
        out = {f"peak_rss_{name}_mb": round(v / 2**20, 1) for name, v in self.peaks.items()}
        out["peak_rss_total_mb"] = round(self.peak_total / 2**20, 1)
        return out


def run_local(corpus: Path, db: Path, batch: int) -> dict[str, Any]:
    config = load_config()
    started = time.perf_counter()
    embedder = get_embedder(config.embedder)
    warm = list(iter_documents([str(corpus)], 10**9))[:2]
    analyze_chunk(warm, embedder, config.dense_passages)  # loads spaCy too
    startup = time.perf_counter() - started
    store = SQLiteStore(db)
    store.set_meta("embedder", embedder.name)
    try:
        with MemorySampler([]) as memory:
            started = time.perf_counter()
            report = ingest_documents(iter_documents([str(corpus)], 10**9), store, embedder, batch_size=batch,
                                      dense_passages=config.dense_passages)
            wall = time.perf_counter() - started
    finally:
        store.close()
    return {"mode": "local", "workers": 0, "startup_s": round(startup, 2), **_rates(report, wall),
            **memory.figures()}


def run_cluster(corpus: Path, db: Path, workers: int, batch: int, chunk: int) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    config = load_config()
    started = time.perf_counter()
    env = {"PYTHONPATH": os.pathsep.join(sys.path), "OMP_NUM_THREADS": "1"}
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, env=env) as local, Client(local, set_as_default=False) as client:
        warm = list(iter_documents([str(corpus)], 10**9))[:2]
        client.run(analyze_on_worker, warm, config.embedder, config.dense_passages)  # models on every worker
        startup = time.perf_counter() - started
        pids = list(client.run(os.getpid).values())
        store = SQLiteStore(db)
        store.set_meta("embedder", config.embedder)
        try:
            with MemorySampler(pids) as memory:
                started = time.perf_counter()
                report = cluster_ingest(iter_documents([str(corpus)], 10**9), store, local.scheduler_address,
                                        embedder_name=config.embedder, dense_passages=config.dense_passages,
                                        chunk_size=chunk, batch_size=batch)
                wall = time.perf_counter() - started
        finally:
            store.close()
    return {"mode": "cluster", "workers": workers, "startup_s": round(startup, 2), **_rates(report, wall),
            **memory.figures()}


def _rates(report: Any, wall: float) -> dict[str, Any]:
    return {"read": report.read, "added": report.added, "known": report.known, "failed": report.failed,
            "wall_s": round(wall, 2), "articles_per_s": round(report.read / wall, 2)}


def run_one(corpus: Path, db: Path, workers: int, batch: int, chunk: int) -> dict[str, Any]:
    run = run_local(corpus, db, batch) if workers == 0 else run_cluster(corpus, db, workers, batch, chunk)
    run["bytes_on_disk"] = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="RealTime QA directory (W_gold/W_gcs files)")
    parser.add_argument("--limit", type=int, default=300, help="records of the corpus to ingest")
    parser.add_argument("--workers", default="0,1,2", help="comma-separated; 0 = local, no cluster")
    parser.add_argument("--batch", type=int, default=64, help="articles per add_batch transaction")
    parser.add_argument("--chunk", type=int, default=16, help="documents per cluster task")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single run (child process)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(run_one(args.corpus, args.into, args.one, args.batch, args.chunk)))
        return 0
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = build_corpus(args.data, args.limit, Path(tmp))
        for n in (int(w) for w in args.workers.split(",")):
            # Each run in a fresh process: no model or cache of an earlier run counts in its memory or time.
            child = subprocess.run([sys.executable, __file__, "--one", str(n), "--corpus", str(corpus),
                                    "--into", str(Path(tmp) / f"w{n}.db"), "--batch", str(args.batch),
                                    "--chunk", str(args.chunk)], capture_output=True, text=True)
            if child.returncode:
                raise SystemExit(f"run with {n} workers failed:\n{child.stderr[-3000:]}")
            run = json.loads(child.stdout.strip().splitlines()[-1])
            run["load_average_1min"] = round(os.getloadavg()[0], 2)
            runs.append(run)
            print(f"{run['mode']:8s} workers={n} start-up {run['startup_s']:6.1f} s  ingest {run['wall_s']:7.1f} s  "
                  f"{run['articles_per_s']:6.2f} articles/s  peak RSS total {run['peak_rss_total_mb']:.0f} MB "
                  f"(client {run['peak_rss_client_mb']:.0f} MB)  load {run['load_average_1min']}", flush=True)
    figures = {"bench": "cluster_ingest", "limit": args.limit, "cpus": os.cpu_count(),
               "python": platform.python_version(), "runs": runs}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
