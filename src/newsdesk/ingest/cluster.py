"""Distributed ingest on a Dask cluster: workers normalize and analyze, the client is the one writer.

Why Dask (distributed) and not Ray or Spark: the work is plain Python functions over plain
dataclasses, which Dask ships as they are (cloudpickle), with no actor model or JVM; a
scheduler and workers start in about two seconds and install as 70 MB (Ray: 285 MB, Spark:
518 MB plus Java); and the scheduler already does what survival needs: a task whose worker
dies is re-run on another one (up to `distributed.scheduler.allowed-failures` times).

The client enumerates and reads the inputs (so workers need no access to the client's files),
sends chunks of raw documents to the workers, and gathers the results as they complete. It
writes them to the store itself, in `add_batch` transactions: one writer, whatever the backend.
A chunk re-run after a worker died yields the same content-addressed ids, and `add_batch` adds
an id only once, so nothing is duplicated; a chunk whose result never arrives is reported as
failed, document by document, so nothing is silently lost.

Unlike a local ingest, workers cannot ask the store which articles it already holds (ids are
known only after normalizing, on the worker), so re-ingesting known documents analyses them
again before `add_batch` counts them as known.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from newsdesk.analyze.steps import DEFAULT_ANALYSIS, steps_named
from newsdesk.ingest.migrate import mark_steps_not_run, reextract_stale
from newsdesk.ingest.organize import Organizer
from newsdesk.ingest.pipeline import ChunkResult, ProgressHook, analyze_chunk, write_chunk
from newsdesk.model import IngestReport, RawDocument, ReadError
from newsdesk.store.base import Store


def analyze_on_worker(documents: list[RawDocument | ReadError], embedder_name: str,
                      dense_passages: int, analysis: Sequence[str] = DEFAULT_ANALYSIS) -> ChunkResult:
    """The task a worker runs. The embedder is loaded once per worker process (`get_embedder` caches it).

    The analysis steps travel by name (the `analysis` setting), so the worker runs the client's choice.
    """
    from newsdesk.analyze.embedding import get_embedder

    return analyze_chunk(documents, get_embedder(embedder_name), dense_passages, steps=steps_named(analysis))


def cluster_ingest(
    documents: Iterable[RawDocument | ReadError],
    store: Store,
    address: str,
    *,
    embedder_name: str,
    dense_passages: int = 1,
    chunk_size: int = 32,
    batch_size: int = 64,
    window: int | None = None,
    resubmits: int = 1,
    on_progress: ProgressHook | None = None,
    analysis: Sequence[str] = DEFAULT_ANALYSIS,
) -> IngestReport:
    """Ingest `documents` with the workers of the Dask scheduler at `address` (e.g. tcp://10.0.0.5:8786).

    At most `window` chunks are in flight or waiting for an earlier one to be written (default: four
    per worker thread), so the client holds a bounded part of a large input. A chunk that fails even
    after the scheduler's own re-runs (`KilledWorker`: its workers kept dying) is submitted again
    `resubmits` times, then counted as failed with the reason, one error per document.
    """
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # an optional dependency: only cluster ingest needs it
        raise ImportError("ingest on a cluster needs Dask: pip install 'dask[distributed]==2026.8.0'") from exc

    steps = steps_named(analysis)
    reextract_stale(store, steps)  # the client is the writer: stored results of older steps first (ingest/migrate.py)
    report = IngestReport()
    organizer = Organizer(store)  # copies and stories, by the client after each write (ingest/organize.py)
    chunks = _chunks(documents, chunk_size)
    with Client(address, set_as_default=False) as client:
        threads = sum(client.nthreads().values()) or 1
        window = window or 4 * threads
        inflight: dict[Any, tuple[int, list[RawDocument | ReadError], int]] = {}
        done = as_completed(loop=client.loop)  # not the default client: there may be none

        def submit(index: int, docs: list[RawDocument | ReadError], attempt: int) -> None:
            future = client.submit(analyze_on_worker, docs, embedder_name, dense_passages, tuple(analysis),
                                   key=f"newsdesk-chunk-{index}-{attempt}", pure=False)
            inflight[future] = (index, docs, attempt)
            done.add(future)

        ready: dict[int, tuple[ChunkResult, list[RawDocument | ReadError]]] = {}
        batch: list[tuple[int, ChunkResult, list[RawDocument | ReadError]]] = []
        next_write = 0

        def top_up() -> None:
            while len(inflight) + len(ready) < window:
                item = next(chunks, None)
                if item is None:
                    return
                submit(item[0], item[1], 0)

        top_up()
        for future in done:
            index, docs, attempt = inflight.pop(future)
            try:
                result: ChunkResult = future.result()
            except Exception as exc:
                if attempt < resubmits:
                    future.release()
                    submit(index, docs, attempt + 1)
                    continue
                result = _lost(docs, f"analysis failed on the cluster: {type(exc).__name__}: {exc}")
            future.release()
            # Written in input order whatever order chunks complete in, so the index (which location
            # comes first, which copy is "known") is the same as a local ingest's, run after run.
            ready[index] = (result, docs)
            while next_write in ready:
                batch.append((next_write, *ready.pop(next_write)))
                next_write += 1
            if sum(len(r.analyzed) for _, r, _ in batch) >= batch_size:
                _write(store, batch, report, on_progress)
                organizer.run()
                batch.clear()
            top_up()
        _write(store, batch, report, on_progress)
    organizer.run()
    if report.added:
        mark_steps_not_run(store, steps)
    return report


def _chunks(documents: Iterable[RawDocument | ReadError],
            size: int) -> Iterator[tuple[int, list[RawDocument | ReadError]]]:
    iterator = iter(documents)
    index = 0
    while chunk := list(islice(iterator, size)):
        yield index, chunk
        index += 1


def _lost(docs: list[RawDocument | ReadError], reason: str) -> ChunkResult:
    """A chunk whose analysis never came back: every document in it failed, with the reason."""
    result = ChunkResult()
    for doc in docs:
        if isinstance(doc, ReadError):
            result.errors.append(doc)
        else:
            result.read += 1
            result.errors.append(ReadError(doc.origin, reason))
    return result


def _write(store: Store, results: list[tuple[int, ChunkResult, list[RawDocument | ReadError]]],
           report: IngestReport, on_progress: ProgressHook | None) -> None:
    """Write gathered chunks in one `add_batch` transaction (the client is the only writer)."""
    if not results:
        return
    merged = ChunkResult()
    for _, result, _ in results:
        merged.read += result.read
        merged.duplicates += result.duplicates
        merged.analyzed.extend(result.analyzed)
        merged.errors.extend(result.errors)
    # add_batch adds a new id once and gives a known one (stored before, or re-run) only its locations.
    write_chunk(store, merged, report)
    if on_progress is not None:
        for _, _, docs in results:
            for doc in docs:
                on_progress(report, doc.origin)
