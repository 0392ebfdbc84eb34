"""Distributed ingest on a real two-process Dask cluster on loopback, with a worker killed mid-run."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.analyze.embedding import Embedder
from newsdesk.cli import main
from newsdesk.config import load_config
from newsdesk.ingest.cluster import cluster_ingest
from newsdesk.ingest.pipeline import ingest, iter_documents
from newsdesk.model import IngestReport
from newsdesk.store.sqlite import SQLiteStore
from tests.test_crash_recovery import ARTICLES, REPEATS, synthetic_corpus

distributed = pytest.importorskip("distributed")

BAD = ['{"title": "empty", "text": "   "}', "{not json"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~400 distinct small articles, 20 repeats at other URLs, and two bad records."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    synthetic_corpus(path)
    with path.open("a", encoding="utf-8") as out:
        out.write("\n".join(BAD) + "\n")
    return path


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, object]]:
    """A scheduler and two single-threaded worker *processes* (each under a nanny) on 127.0.0.1."""
    env = {"PYTHONPATH": os.pathsep.join(sys.path), "OMP_NUM_THREADS": "1"}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, env=env) as local, \
            distributed.Client(local, set_as_default=False) as client:
        yield local.scheduler_address, client


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory, corpus: Path, embedder: Embedder) -> tuple[Path, IngestReport]:
    db = tmp_path_factory.mktemp("local") / "local.db"
    store = SQLiteStore(db)
    try:
        return db, ingest([str(corpus)], store, embedder, batch_size=32)
    finally:
        store.close()


def _summary(report: IngestReport) -> tuple:
    return (report.read, report.added, report.known, report.failed,
            [(e.origin, e.reason) for e in report.errors])


@pytest.mark.slow  # starts two worker processes that each load the models (~20-40 s on 2 busy cores)
def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(
        tmp_path: Path, corpus: Path, cluster: tuple[str, object], local_run: tuple[Path, IngestReport],
        dump_index: Callable) -> None:
    address, client = cluster
    pids = client.run(os.getpid)  # type: ignore[attr-defined]
    killed: list[int] = []
    lost_tasks: list[str] = []

    def kill_once(report: IngestReport, origin: str) -> None:
        """After a batch is written, kill a worker that holds a chunk now (or wait for the next batch)."""
        if killed:
            return
        holding = {address: tasks for address, tasks in client.processing().items()  # type: ignore[attr-defined]
                   if tasks and address in pids}
        if holding:
            victim_address, tasks = sorted(holding.items())[0]
            lost_tasks.extend(tasks)
            os.kill(pids[victim_address], signal.SIGKILL)
            killed.append(report.read)

    db = tmp_path / "cluster.db"
    store = SQLiteStore(db)
    try:
        report = cluster_ingest(iter_documents([str(corpus)], 10_000_000), store, address,
                                embedder_name=load_config().embedder, chunk_size=16, batch_size=32,
                                on_progress=kill_once)
        assert store.check_integrity() == []
    finally:
        store.close()
    assert killed and killed[0] < report.read, "the worker was killed only after the run was over"
    assert lost_tasks, "the killed worker held no task: nothing had to be re-run"
    assert report.read == ARTICLES + REPEATS and report.added == ARTICLES and report.known == REPEATS
    assert report.failed == len(BAD)
    local_db, local_report = local_run
    assert _summary(report) == _summary(local_report)
    assert dump_index(db) == dump_index(local_db)  # every article exactly once, with all its locations


@pytest.mark.slow  # reuses the cluster above; a second run over the same store
def test_cli_ingest_on_a_cluster_reports_like_a_local_ingest(
        tmp_path: Path, corpus: Path, cluster: tuple[str, object], local_run: tuple[Path, IngestReport]) -> None:
    address, _ = cluster
    db = tmp_path / "cli.db"
    first = CliRunner().invoke(main, ["ingest", "--db", str(db), "-q", "--cluster", address, str(corpus)])
    _, local = local_run
    assert first.exit_code == 1  # two bad records
    assert (f"read {local.read}, added {local.added}, already known {local.known}, failed {local.failed}"
            in first.output)
    assert f"error: {local.errors[0].origin}: {local.errors[0].reason}" in first.output
    again = CliRunner().invoke(main, ["ingest", "--db", str(db), "-q", "--cluster", address, str(corpus)])
    assert f"read {local.read}, added 0, already known {ARTICLES + REPEATS}, failed {len(BAD)}" in again.output


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path, corpus: Path) -> None:
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "x.db"), "-q",
                                           "--cluster", "tcp://127.0.0.1:9", str(corpus)])
    assert result.exit_code == 1 and "cluster tcp://127.0.0.1:9" in result.output
