"""What the endpoints share through `app.state`: the reader and writer pools (pool.py) and the ingest jobs.

Readers are several processes (questions are CPU-bound); the writer is one process of its own, so an
ingest neither competes with the server's event loop for the GIL nor holds a reader: it commits every
`batch_size` articles, and WAL readers never wait for a writer's transaction.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from newsdesk.api import tasks
from newsdesk.api.pool import DeskPool
from newsdesk.model import IngestReport

MAX_JOBS = 200

_LOG = logging.getLogger("newsdesk.api")


@dataclass
class Job:
    """An ingest run, so the page can show progress while the writer process works through it."""

    id: str
    kind: str
    state: str = "queued"  # queued, running, done, failed
    inputs: int = 0  # files or URLs handed in, so the page can say "3 of 18" before the first is done
    documents: int = 0
    added: int = 0
    known: int = 0
    failed: int = 0
    current: str | None = None
    report: dict[str, Any] | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "state": self.state, "inputs": self.inputs,
            "documents": self.documents,
            "added": self.added, "known": self.known, "failed": self.failed, "current": self.current,
            "report": self.report, "error": self.error,
            "seconds": round((self.finished or time.time()) - self.started, 3),
        }


class Jobs:
    """The most recent ingest jobs, oldest finished ones forgotten first."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def new(self, kind: str) -> Job:
        with self._lock:
            job = Job(id=f"{next(self._ids)}-{os.urandom(4).hex()}", kind=kind)
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS:
                oldest = next((k for k, j in self._jobs.items() if j.state in ("done", "failed")), None)
                if oldest is None:
                    break
                del self._jobs[oldest]
            return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)


@dataclass
class Workers:
    """What one app's endpoints share: the reader pool, the writer (a pool of one), the jobs, the upload limit."""

    reader: DeskPool
    writer: DeskPool
    jobs: Jobs
    upload_limit: int


def _workers(request: Request) -> Workers:
    workers: Workers = request.app.state.workers
    return workers


# An endpoint parameter typed `WorkersDep` receives the app's Workers.
WorkersDep = Annotated[Workers, Depends(_workers)]


def _label(origin: str, labels: dict[str, str]) -> str:
    """`origin` with a temporary upload path replaced by the name the client sent."""
    for prefix, name in labels.items():
        if origin.startswith(prefix):
            return name + origin[len(prefix):]
    return origin


def _report_dict(report: IngestReport, labels: dict[str, str]) -> dict[str, Any]:
    """The ingest report as JSON, with temporary paths replaced by the names the client sent."""
    return {
        "read": report.read, "added": report.added, "known": report.known, "failed": report.failed,
        "added_ids": list(report.added_ids),
        "errors": [{"origin": _label(e.origin, labels), "reason": e.reason} for e in report.errors],
    }


async def run_ingest(workers: Workers, kind: str, paths: list[str], labels: dict[str, str], folder: str | None,
                     background: bool, pre_errors: list[dict[str, str]] | None = None) -> JSONResponse:
    """Ingest `paths` in the writer process as a job; answer with the report, or at once with the job (202)."""
    job = workers.jobs.new(kind)
    job.inputs = len(paths) + len(pre_errors or [])
    early = list(pre_errors or [])

    def progress(news: tuple[int, int, int, int, str] | None) -> None:
        job.state = "running"
        if news is not None:
            job.documents, job.added, job.known, failed, origin = news
            job.failed = failed + len(early)
            job.current = _label(origin, labels)

    def finish(future: Future[tuple[IngestReport, list[str]]]) -> None:
        try:
            ingested, webhook_errors = future.result()
            for error in webhook_errors:
                _LOG.warning("webhook: %s", error)
            report = _report_dict(ingested, labels)
            report["failed"] += len(early)
            report["errors"] = early + report["errors"]
            job.report, job.state = report, "done"
            job.added, job.known, job.failed = report["added"], report["known"], report["failed"]
        except BaseException as exc:
            job.state, job.error = "failed", str(exc) or type(exc).__name__
        finally:
            job.finished = time.time()
            job.current = None
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    future = workers.writer.submit(tasks.ingest, paths, on_progress=progress)
    future.add_done_callback(finish)
    if background:
        return JSONResponse({"job": job.id, "url": f"/api/jobs/{job.id}"}, status_code=202)
    await asyncio.wrap_future(future)
    report = job.report  # set by `finish`, which ran (first of the future's callbacks) when it settled
    if report is None:
        raise RuntimeError(f"ingest job {job.id} finished without a report")
    if report["added"] + report["known"] == 0 and report["failed"]:
        first = report["errors"][0]
        return JSONResponse({"detail": f"nothing could be ingested: {first['origin']}: {first['reason']}",
                             "report": report}, status_code=422)
    return JSONResponse(report)
