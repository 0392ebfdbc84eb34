"""`DeskPool`: worker processes that each own one Desk, so several questions are answered at once.

Why processes: a question is CPU-bound Python (ranking, analysis), so threads in one process would
take turns on the GIL and leave the other cores idle. Each worker opens its own store connection
(a SQLite WAL reader or its own PostgreSQL pool) and loads the models once, when it starts, so the
first question is not cold. One thread in the server per worker hands it one task at a time and
watches it: a worker that dies fails its task with `WorkerDied` (the API answers 503) and is
replaced; a task past its deadline fails with `WorkTimeout` (504) and its worker is killed and
replaced, so a runaway question cannot hold a core for good.

A task is a module-level function `work(desk, *args)` (api/tasks.py) with picklable arguments and
result: closures cannot cross a process boundary. A task may call `progress(payload)` to send
interim news to the submitter's `on_progress` (the ingest job's counts).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

_LOG = logging.getLogger("newsdesk.api")
_CONTEXT = multiprocessing.get_context("spawn")  # fork after uvicorn's threads started would copy held locks
_RESTART_PAUSE = (0.5, 10.0)  # seconds before restarting a worker that died while starting: first, most
_STOP_WAIT = 10.0  # seconds a worker gets to finish its task and exit when the pool closes
_IDLE_CHECK = 1.0  # seconds between checks that an idle worker is still alive

Work = Callable[..., Any]


class WorkerDied(Exception):
    """The worker process running the task stopped (killed, out of memory, crashed) before answering."""


class WorkTimeout(Exception):
    """The task did not finish within the pool's time limit (waiting for a worker included)."""


def worker_count(setting: int) -> int:
    """`setting` workers, or with 0 one per core this process may run on."""
    if setting > 0:
        return setting
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class _Task:
    work: Work
    args: tuple[Any, ...]
    future: Future[Any]
    deadline: float | None
    on_progress: Callable[[Any], None] | None


_IDLE = _Task(work=print, args=(), future=Future(), deadline=None, on_progress=None)  # "no task yet": check health


class DeskPool:
    """`size` worker processes over the index `db`, read-only or (one) writing; tasks go to whichever is free."""

    def __init__(self, db: str, size: int, *, readonly: bool, name: str, timeout: float | None = None,
                 nice: int = 0) -> None:
        self.db, self.size, self.readonly, self.name, self.timeout = db, size, readonly, name, timeout
        self.nice = nice  # added to the workers' niceness: the writer yields the cores to readers
        self._tasks: queue.Queue[_Task | None] = queue.Queue()
        self._slots: list[threading.Thread] = []
        self._processes: dict[int, BaseProcess] = {}
        self._lock = threading.Lock()
        self._closed = False
        self.replaced = 0  # workers restarted after dying or timing out, for the tests and the log
        self.answered: Counter[int] = Counter()  # tasks answered, by worker process id
        self._busy: dict[int, int] = {}  # slot number: the process id running its task
        self._ready: set[int] = set()  # slot numbers whose worker has warmed up

    def start(self) -> None:
        """Start the workers (they load their models now); submitting starts them too, if not yet."""
        with self._lock:
            if self._slots or self._closed:
                return
            # One BLAS/OpenMP thread per worker: the pool is the parallelism, and threads of several workers
            # fighting over the same cores are slower. Workers inherit this environment; a user's value stands.
            for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
                os.environ.setdefault(variable, "1")
            for number in range(self.size):
                slot = threading.Thread(target=self._slot, args=(number,), name=f"newsdesk-{self.name}-{number}",
                                        daemon=True)
                self._slots.append(slot)
                slot.start()

    def submit(self, work: Work, *args: Any, on_progress: Callable[[Any], None] | None = None,
               timeout: float | None = None) -> Future[Any]:
        """Queue `work(desk, *args)`; the future holds its result or its error (WorkerDied, WorkTimeout, ...)."""
        if self._closed:
            raise WorkerDied(f"the {self.name} workers are shut down")
        self.start()
        limit = timeout if timeout is not None else self.timeout
        future: Future[Any] = Future()
        deadline = time.monotonic() + limit if limit is not None else None
        self._tasks.put(_Task(work, args, future, deadline, on_progress))
        return future

    async def run(self, work: Work, *args: Any, on_progress: Callable[[Any], None] | None = None) -> Any:
        """`submit` and wait; past the time limit the task is dropped (or its worker killed) and WorkTimeout raised."""
        future = self.submit(work, *args, on_progress=on_progress)
        if self.timeout is None:
            return await asyncio.wrap_future(future)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            future.cancel()  # still queued: never runs; running: its slot kills the worker at the same deadline
            raise WorkTimeout(_timeout_message(self.timeout)) from None

    def pids(self) -> list[int]:
        """The process ids of the live workers that have loaded their models and take tasks."""
        with self._lock:
            return [p.pid for n, p in self._processes.items() if n in self._ready and p.pid is not None
                    and p.is_alive()]

    def busy_pids(self) -> list[int]:
        """The process ids of the workers running a task now."""
        with self._lock:
            return list(self._busy.values())

    def close(self) -> None:
        """Let each worker finish its task, then stop it; tasks still queued fail with WorkerDied."""
        with self._lock:
            self._closed = True
            slots = list(self._slots)
        for _ in slots:
            self._tasks.put(None)
        for slot in slots:
            slot.join(_STOP_WAIT + 5)
        while True:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                break
            if task is not None and task.future.set_running_or_notify_cancel():
                task.future.set_exception(WorkerDied(f"the {self.name} workers are shut down"))
        with self._lock:
            leftover = list(self._processes.values())
        for process in leftover:
            _stop(process, conn=None)

    # --- the server side of one worker -------------------------------------------------------------------------

    def _slot(self, number: int) -> None:
        """Keep worker `number` alive and feed it tasks one at a time until the pool closes."""
        pause = _RESTART_PAUSE[0]
        worker: tuple[BaseProcess, Connection] | None = None
        while True:
            if worker is None:
                if self._closed:
                    return
                worker = self._spawn(number)
                if worker is None:  # died while starting: try again a little later, not in a tight loop
                    time.sleep(pause)
                    pause = min(pause * 2, _RESTART_PAUSE[1])
                    continue
                pause = _RESTART_PAUSE[0]
            process, conn = worker
            try:
                task = self._tasks.get(timeout=_IDLE_CHECK)
            except queue.Empty:
                task = _IDLE
            if task is not None and not process.is_alive():  # died while idle: replace it before it is needed
                _LOG.error("%s; starting another", self._died_message(process, idle=True))
                _stop(process, conn)
                self._forget(number)
                self.replaced += 1
                worker = None
                if task is not _IDLE:
                    self._tasks.put(task)  # to this slot's next worker or another slot's
                continue
            if task is _IDLE:
                continue
            if task is None:
                _stop(process, conn)
                self._forget(number)
                return
            if not task.future.set_running_or_notify_cancel():
                continue  # cancelled while waiting (its request timed out)
            if task.deadline is not None and time.monotonic() >= task.deadline:
                task.future.set_exception(WorkTimeout(_timeout_message(self.timeout)))
                continue
            if not self._carry_out(number, process, conn, task):
                _stop(process, conn)
                self._forget(number)
                self.replaced += 1
                worker = None

    def _spawn(self, number: int) -> tuple[BaseProcess, Connection] | None:
        """A new worker, once it has opened the index and loaded its models; None if it died doing so."""
        ours, theirs = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_worker_main, args=(theirs, self.db, self.readonly, self.nice),
                                   name=f"newsdesk-{self.name}-{number}", daemon=True)
        process.start()
        theirs.close()
        with self._lock:
            self._processes[number] = process
        try:
            kind, _ = ours.recv()  # "ready", sent after the warm-up
        except (EOFError, OSError):
            kind = "died"
        if kind != "ready":
            _LOG.error("the %s worker %d stopped while starting (exit code %s)", self.name, number, process.exitcode)
            _stop(process, ours)
            self._forget(number)
            return None
        with self._lock:
            self._ready.add(number)
        return process, ours

    def _forget(self, number: int) -> None:
        with self._lock:
            self._processes.pop(number, None)
            self._ready.discard(number)

    def _carry_out(self, number: int, process: BaseProcess, conn: Connection, task: _Task) -> bool:
        """Run `task` on the worker and settle its future; False when the worker must be replaced."""
        with self._lock:
            self._busy[number] = process.pid or 0
        try:
            healthy = self._exchange(process, conn, task)
        finally:
            with self._lock:
                self._busy.pop(number, None)
        if healthy and process.pid is not None:
            self.answered[process.pid] += 1
        return healthy

    def _exchange(self, process: BaseProcess, conn: Connection, task: _Task) -> bool:
        try:
            conn.send((task.work, task.args))
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            task.future.set_exception(TypeError(f"a task for the {self.name} workers cannot be sent: {exc}"))
            return True
        except OSError:
            task.future.set_exception(WorkerDied(self._died_message(process)))
            return False
        while True:
            wait = None if task.deadline is None else max(0.0, task.deadline - time.monotonic())
            try:
                ready = conn.poll(wait)
                message = conn.recv() if ready else None
            except (EOFError, OSError):
                process.join(1)
                task.future.set_exception(WorkerDied(self._died_message(process)))
                _LOG.error("%s; starting another", self._died_message(process))
                return False
            if message is None:  # the deadline passed with the worker still busy
                task.future.set_exception(WorkTimeout(_timeout_message(self.timeout)))
                _LOG.warning("a %s task ran past %s s; its worker is replaced", self.name, self.timeout)
                return False
            kind, payload = message
            if kind == "progress":
                if task.on_progress is not None:
                    try:
                        task.on_progress(payload)
                    except Exception:  # a broken progress hook must not lose the task's answer
                        _LOG.exception("progress hook failed")
                continue
            if kind == "done":
                task.future.set_result(payload)
            else:
                task.future.set_exception(payload)
            return True

    def _died_message(self, process: BaseProcess, idle: bool = False) -> str:
        code = process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        if idle:
            return f"the {self.name} worker process {process.pid} stopped while idle ({how})"
        return f"the {self.name} worker process stopped while answering ({how}); try again"


def _timeout_message(limit: float | None) -> str:
    return f"the request took longer than the server's limit of {limit:g} s; try a narrower question or filters"


def _stop(process: BaseProcess, conn: Connection | None) -> None:
    """Ask the worker to exit (it finishes its current task first), then make sure it has."""
    if conn is not None:
        try:
            conn.send(None)
        except OSError:
            pass
    process.join(_STOP_WAIT if conn is not None and process.is_alive() else 0.1)
    if process.is_alive():
        process.kill()
        process.join(5)
    if conn is not None:
        conn.close()


# --- the worker process -----------------------------------------------------------------------------------------

_SINK: Connection | None = None


def progress(payload: Any) -> None:
    """Send interim news about the running task to its submitter (a no-op outside a worker)."""
    if _SINK is not None:
        _SINK.send(("progress", payload))


class _Worker:
    """A worker's Desk, opened once; a reader over a file that did not exist yet reopens it once it does."""

    def __init__(self, db: str, readonly: bool) -> None:
        from newsdesk.store.open import is_server_url

        self.db, self.readonly = db, readonly
        self.local = not is_server_url(db)
        self.missing = False
        self.desk: Any = None

    def get(self) -> Any:
        from newsdesk.config import load_config
        from newsdesk.desk import Desk
        from newsdesk.store.base import StoreError

        if self.desk is not None and self.missing and Path(self.db).exists():
            try:
                fresh = Desk(self.db, load_config(db=self.db), readonly=True)
            except StoreError:  # the writer is creating it this very moment: read it as empty once more
                return self.desk
            self.desk.close()
            self.desk, self.missing = fresh, False
        if self.desk is None:
            self.missing = self.readonly and self.local and not Path(self.db).exists()
            self.desk = Desk(self.db, load_config(db=self.db), readonly=self.readonly)
        return self.desk

    def warm(self) -> None:
        """Load the models and the index's caches before the first request, not during it."""
        from newsdesk.api.tasks import warm_up

        try:
            warm_up(self.get())
        except Exception as exc:  # the task that needs it will report the same error to its caller
            _LOG.warning("the %s worker could not warm up: %s", "reader" if self.readonly else "writer", exc)


def _worker_main(conn: Connection, db: str, readonly: bool, nice: int) -> None:
    """The loop of a worker process: take a task, run it on the Desk, send back its result or its error."""
    global _SINK
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the server stops us
    if nice:
        os.nice(nice)
    worker = _Worker(db, readonly)
    worker.warm()
    conn.send(("ready", None))
    _SINK = conn
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            break
        work, args = message
        try:
            reply: tuple[str, Any] = ("done", work(worker.get(), *args))
        except Exception as exc:
            reply = ("error", _portable(exc))
        try:
            conn.send(reply)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            conn.send(("error", RuntimeError(f"the answer could not be sent back: {exc}")))
    if worker.desk is not None:
        worker.desk.close()


def _portable(exc: Exception) -> Exception:
    """`exc` if it survives pickling (ValueError, StoreError...), else a RuntimeError that says what it was."""
    expected = isinstance(exc, ValueError | LookupError) or type(exc).__name__ == "StoreError"
    if not expected:
        traceback.print_exception(exc)  # the worker's stderr is the server's: the log has the details
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
