"""`serve` answers several questions at once from a pool of reader processes, over a real SQLite index and a
real uvicorn server on loopback: answers equal a direct `Desk.ask`, a killed worker costs one clear 503 and is
replaced, a question past the limit is a clear 504, and a question is answered while the writer is mid-ingest.

Workers are frozen with SIGSTOP where a test needs one busy or stalled: no test depends on how fast anything is.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from newsdesk.api import create_app
from newsdesk.api.jobs import Workers
from newsdesk.desk import Desk
from newsdesk.render.jsonout import brief_dict

QUESTIONS = [
    "What does ISIS think of Pakistan?",
    "How many people were killed in the Quetta attack?",
    "Who claimed the attack on the police training college?",
    "How many people were injured in Quetta?",
    "Who did officials blame for the attack?",
    "What happened at the Halvard chemical plant?",
]


class LiveServer:
    """The app under uvicorn on a free loopback port, in a thread of this process (so the test sees its pools)."""

    def __init__(self, db: str, **options: Any) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.app = create_app(db, **options)
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)

    @property
    def workers(self) -> Workers:
        workers: Workers = self.app.state.workers
        return workers

    def ask(self, question: str) -> httpx.Response:
        return httpx.post(f"{self.url}/api/ask", json={"question": question}, timeout=300)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(60)


def wait_until(what: str, check: Callable[[], Any], seconds: float = 300.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    pytest.fail(f"{what} did not happen within {seconds} s")


@pytest.fixture(scope="module")
def index_db(tmp_path_factory: pytest.TempPathFactory, quetta_dir: Path, examples_dir: Path) -> str:
    db = str(tmp_path_factory.mktemp("concurrency") / "index.db")
    with Desk(db) as desk:
        report = desk.ingest([str(quetta_dir), str(examples_dir)])
    assert report.failed == 0, report.errors
    return db


@pytest.fixture(scope="module")
def expected(index_db: str) -> dict[str, dict[str, Any]]:
    """Each question's brief as one Desk answers it, asked directly, one after another."""
    with Desk(index_db, readonly=True) as desk:
        return {q: json.loads(json.dumps(brief_dict(desk.ask(q)))) for q in QUESTIONS}


@pytest.fixture()
def server(index_db: str) -> Iterator[LiveServer]:
    live = LiveServer(index_db, reader_workers=2)
    try:
        yield live
    finally:
        for pid in live.workers.reader.pids() + live.workers.writer.pids():
            _signal(pid, signal.SIGCONT)
        live.stop()


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def test_questions_in_flight_at_once_are_each_answered_as_one_desk_answers_them(
        server: LiveServer, expected: dict[str, dict[str, Any]]) -> None:
    # Both readers loaded first: one that is still starting takes no questions, as it should not.
    wait_until("both readers to start", lambda: len(server.workers.reader.pids()) == 2)
    before = Counter(server.workers.reader.answered)
    asked = QUESTIONS * 2
    with ThreadPoolExecutor(len(asked)) as clients:
        answers = list(clients.map(server.ask, asked))
    for question, answer in zip(asked, answers, strict=True):
        assert answer.status_code == 200, answer.text
        assert answer.json() == expected[question], question
    # Both reader processes answered: the questions did not queue behind one worker.
    answered = server.workers.reader.answered - before
    assert len(answered) == 2
    assert sum(answered.values()) == len(asked)


def test_a_worker_killed_mid_question_costs_that_question_a_503_and_is_replaced(
        server: LiveServer, expected: dict[str, dict[str, Any]]) -> None:
    reader = server.workers.reader
    first = wait_until("both readers to start", lambda: len(reader.pids()) == 2 and reader.pids())
    for pid in first:
        _signal(pid, signal.SIGSTOP)  # frozen: the question below stays on the worker it is handed to
    with ThreadPoolExecutor(1) as client:
        pending = client.submit(server.ask, QUESTIONS[0])
        [victim] = wait_until("the question reaching a worker", reader.busy_pids)
        _signal(victim, signal.SIGKILL)
        for pid in first:
            _signal(pid, signal.SIGCONT)
        refused = pending.result()
    assert refused.status_code == 503
    assert "worker process stopped while answering" in refused.json()["detail"]
    assert "killed by signal 9" in refused.json()["detail"]

    answer = server.ask(QUESTIONS[1])
    assert answer.status_code == 200, answer.text
    assert answer.json() == expected[QUESTIONS[1]]
    replacement = wait_until("a replacement worker", lambda: len(reader.pids()) == 2 and reader.pids())
    assert victim not in replacement
    assert reader.replaced >= 1


def test_a_question_past_the_time_limit_is_a_504_that_says_so_and_the_next_is_answered(
        index_db: str, expected: dict[str, dict[str, Any]]) -> None:
    live = LiveServer(index_db, reader_workers=1, timeout=30.0)
    reader = live.workers.reader
    try:
        [stuck] = wait_until("the reader to start", reader.pids)
        _signal(stuck, signal.SIGSTOP)  # a question that never finishes
        answer = live.ask(QUESTIONS[0])
        assert answer.status_code == 504
        assert "longer than the server's limit of 30 s" in answer.json()["detail"]
        _signal(stuck, signal.SIGCONT)
        # The stalled worker was killed at the deadline and another one started; it answers.
        wait_until("a replacement worker", lambda: [pid for pid in reader.pids() if pid != stuck])
        assert stuck not in reader.pids()
        again = live.ask(QUESTIONS[2])
        assert again.status_code == 200, again.text
        assert again.json() == expected[QUESTIONS[2]]
    finally:
        for pid in reader.pids():
            _signal(pid, signal.SIGCONT)
        live.stop()


WORDS = ("harbour cranes ships cargo port authority tide pilots dock berth container freight storm ferry "
         "customs inspectors fishermen quay warehouse tugboat anchor channel dredging lighthouse coast").split()


def _varied_text(n: int) -> str:
    """A different article for each `n`: sentences of seeded random words, so none is a near-duplicate of another."""
    pick = random.Random(n)
    sentences = [" ".join(pick.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(6)]
    return f"Port Elin officials gave report {n}. " + " ".join(sentences)


@pytest.fixture()
def own_server(index_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    """A server over a copy of the index, for a test that adds to it."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(index_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    live = LiveServer(str(copy), reader_workers=2)
    try:
        yield live
    finally:
        for pid in live.workers.reader.pids() + live.workers.writer.pids():
            _signal(pid, signal.SIGCONT)
        live.stop()


def test_a_question_is_answered_while_the_writer_is_frozen_in_the_middle_of_an_ingest_job(
        own_server: LiveServer, expected: dict[str, dict[str, Any]]) -> None:
    server = own_server
    lines = [json.dumps({"title": f"Harbour report {n}", "outlet": "Test Wire", "published": f"2024-05-0{1 + n % 9}",
                         "text": _varied_text(n)}) for n in range(120)]
    started = httpx.post(f"{server.url}/api/ingest/jsonl", params={"background": "true"},
                         content="\n".join(lines).encode(), headers={"Content-Type": "application/x-ndjson"},
                         timeout=60)
    assert started.status_code == 202, started.text
    job_url = f"{server.url}{started.json()['url']}"
    wait_until("the job to take its first articles", lambda: httpx.get(job_url, timeout=30).json()["documents"] > 0)
    [writer] = server.workers.writer.pids()
    _signal(writer, signal.SIGSTOP)  # mid-job, and as likely as not mid-transaction
    try:
        assert httpx.get(job_url, timeout=30).json()["state"] == "running"
        answer = server.ask(QUESTIONS[0])
        assert answer.status_code == 200, answer.text
        assert answer.json()["question"] == expected[QUESTIONS[0]]["question"]
        assert answer.json()["answer"], "the brief has no answer"
    finally:
        _signal(writer, signal.SIGCONT)
    done = wait_until("the job to finish", lambda: (j := httpx.get(job_url, timeout=30).json())["state"] != "running"
                      and j["state"] != "queued" and j)
    assert done["state"] == "done", done
    assert done["added"] == 120
    hits = httpx.get(f"{server.url}/api/search", params={"q": "Port Elin harbour cranes"}, timeout=60).json()["hits"]
    assert any(h["outlet"] == "Test Wire" for h in hits)
