"""The Desk worker threads and the ingest job registry that the endpoints share through `app.state`."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.model import IngestReport
from newsdesk.watch.refresh import after_ingest

T = TypeVar("T")
MAX_JOBS = 200

_LOG = logging.getLogger("newsdesk.api")


class DeskThread:
    """A single worker thread that owns one Desk, because SQLite connections are bound to their thread."""

    def __init__(self, db: str, name: str) -> None:
        self.db = db
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"newsdesk-{name}")
        self._desk: Desk | None = None

    def _get(self) -> Desk:
        if self._desk is None:
            self._desk = Desk(self.db, load_config(db=self.db))
        return self._desk

    def submit(self, work: Callable[[Desk], T]) -> Future[T]:
        return self._executor.submit(lambda: work(self._get()))

    async def run(self, work: Callable[[Desk], T]) -> T:
        return await asyncio.wrap_future(self.submit(work))

    def close(self) -> None:
        def close_desk() -> None:
            if self._desk is not None:
                self._desk.close()
                self._desk = None

        self._executor.submit(close_desk).result()
        self._executor.shutdown(wait=True)


@dataclass
class Job:
    """An ingest run, so the page can show progress while the writer thread works through it."""

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
    """What one app's endpoints share: the reading and the writing Desk thread, the jobs, the upload limit."""

    reader: DeskThread
    writer: DeskThread
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
    """Ingest `paths` on the writer thread as a job; answer with the report, or at once with the job (202)."""
    job = workers.jobs.new(kind)
    job.inputs = len(paths) + len(pre_errors or [])
    early = list(pre_errors or [])

    def work(desk: Desk) -> dict[str, Any]:
        job.state = "running"

        def progress(report: IngestReport, origin: str) -> None:
            job.documents = report.read + report.failed
            job.added, job.known, job.failed = report.added, report.known, report.failed + len(early)
            job.current = _label(origin, labels)

        try:
            ingested = desk.ingest(paths, on_progress=progress) if paths else IngestReport()
            report = _report_dict(ingested, labels)
            _, webhook_errors = after_ingest(desk, ingested.added)  # re-answer the watches (watch/)
            for error in webhook_errors:
                _LOG.warning("webhook: %s", error)
            report["failed"] += len(early)
            report["errors"] = early + report["errors"]
            job.report, job.state = report, "done"
            job.added, job.known, job.failed = report["added"], report["known"], report["failed"]
            return report
        except Exception as exc:
            job.state, job.error = "failed", str(exc) or type(exc).__name__
            raise
        finally:
            job.finished = time.time()
            job.current = None
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    future = workers.writer.submit(work)
    if background:
        return JSONResponse({"job": job.id, "url": f"/api/jobs/{job.id}"}, status_code=202)
    report = await asyncio.wrap_future(future)
    if report["added"] + report["known"] == 0 and report["failed"]:
        first = report["errors"][0]
        return JSONResponse({"detail": f"nothing could be ingested: {first['origin']}: {first['reason']}",
                             "report": report}, status_code=422)
    return JSONResponse(report)
