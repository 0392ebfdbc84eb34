"""Local ingest with the analysis in worker processes: the `ingest_workers` setting.

Why processes: sentence splitting (syntok), spaCy and the rules around it are Python holding the
GIL, so threads would take turns on one core. This process stays the one writer: it reads,
normalizes and skips articles the store already holds (cheap, and only it can ask the store),
sends each chunk's new articles to a worker, and writes the results in input order, so the index
is the one a one-process ingest makes. Each worker loads the models once, when it starts.

A chunk whose worker fails (a crash, or no memory left) is analysed here instead: slower, and
nothing is lost.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from newsdesk.analyze.embedding import get_embedder
from newsdesk.analyze.steps import DEFAULT_ANALYSIS, steps_named
from newsdesk.ingest.migrate import mark_steps_not_run, reextract_stale
from newsdesk.ingest.organize import Organizer
from newsdesk.ingest.pipeline import (
    ChunkResult,
    PreparedChunk,
    ProgressHook,
    analyze_prepared,
    prepare_chunk,
    write_chunk,
)
from newsdesk.ingest.scrub import scrub_item
from newsdesk.model import IngestReport, RawDocument, ReadError
from newsdesk.store.base import Store


def _load_models(embedder_name: str, analysis: tuple[str, ...]) -> None:
    """A worker's start: the embedder and (when actors are analysed) spaCy, once, before any chunk."""
    get_embedder(embedder_name).embed_passages(["warm up"])
    if "actors" in analysis:
        from newsdesk.analyze.nlp import english

        english()


def _analyze(prepared: PreparedChunk, embedder_name: str, dense_passages: int,
             analysis: tuple[str, ...]) -> ChunkResult:
    """The task a worker runs on one prepared chunk."""
    return analyze_prepared(prepared, get_embedder(embedder_name), dense_passages, steps_named(analysis))


def start_workers(workers: int, embedder_name: str, analysis: Sequence[str] = DEFAULT_ANALYSIS,
                  *, warm: bool = False) -> ProcessPoolExecutor:
    """A pool of `workers` analysing processes; `warm` waits until each has loaded its models."""
    if workers < 1:
        raise ValueError(f"ingest_workers must be 1 or more, not {workers}")
    names = tuple(analysis)
    context = multiprocessing.get_context("spawn")  # no fork of a process holding database connections
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_load_models, initargs=(embedder_name, names))
    if warm:  # a process starts per task while none is idle: one task each starts them all
        for future in [pool.submit(_load_models, embedder_name, names) for _ in range(workers)]:
            future.result()
    return pool


def parallel_ingest(
    documents: Iterable[RawDocument | ReadError],
    store: Store,
    *,
    workers: int,
    embedder_name: str,
    dense_passages: int = 1,
    batch_size: int = 64,
    on_progress: ProgressHook | None = None,
    analysis: Sequence[str] = DEFAULT_ANALYSIS,
    pool: ProcessPoolExecutor | None = None,
) -> IngestReport:
    """Ingest `documents` with `workers` analysing processes, this one writing; at most 2 chunks a worker in flight.

    `pool` (from `start_workers`, with the same embedder and analysis) is used and left running; without
    one, a pool is started for this ingest and shut down after it.
    """
    if workers < 1:
        raise ValueError(f"ingest_workers must be 1 or more, not {workers}")
    names = tuple(analysis)
    steps = steps_named(names)
    embedder = get_embedder(embedder_name)  # for a chunk analysed here after its worker failed
    reextract_stale(store, steps)
    report = IngestReport()
    organizer = Organizer(store)
    iterator = iter(documents)
    inflight: deque[tuple[Future[ChunkResult], PreparedChunk, list[RawDocument | ReadError]]] = deque()

    def write_oldest() -> None:
        future, prepared, docs = inflight.popleft()
        try:
            result = future.result()
        except Exception:  # the worker died or failed: the chunk is analysed here, nothing is lost
            result = analyze_prepared(prepared, embedder, dense_passages, steps)
        write_chunk(store, result, report)
        organizer.run()
        if on_progress is not None:
            for doc in docs:
                on_progress(report, doc.origin)

    owned = pool is None
    workers_pool = start_workers(workers, embedder_name, names) if pool is None else pool
    try:
        while docs := [scrub_item(doc) for doc in islice(iterator, batch_size)]:
            prepared = prepare_chunk(docs, store.known_ids)
            future = workers_pool.submit(_analyze, prepared, embedder_name, dense_passages, names)
            inflight.append((future, prepared, docs))
            if len(inflight) >= 2 * workers:
                write_oldest()
        while inflight:
            write_oldest()
    finally:
        if owned:
            workers_pool.shutdown(cancel_futures=True)
    organizer.run()
    if report.added:
        mark_steps_not_run(store, steps)
    return report
