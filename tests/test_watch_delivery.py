"""Watches after a plain `ingest`, and webhook delivery: a receiver on loopback checks each signature and sees
every change once after a forced failure. Real index, real embedder, real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsdesk.api import create_app
from newsdesk.cli import main
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.net.policy import host_policy
from newsdesk.watch.webhook import deliver_due

SECRET = "receiver-and-desk-share-this"
FIRST = ("A bomb killed 60 people at the Riverside market in Kelton on Monday, police said. The attack happened "
         "during the morning rush.\n")
LATER = ("The death toll from Monday's bombing of the Riverside market in Kelton rose to 61, officials said on "
         "Tuesday. Hospitals treated more than 100 injured people.\n")


class Receiver:
    """Answers 500 to the first `fail` POSTs, then 200; keeps what it accepted, by idempotency key."""

    def __init__(self, fail: int) -> None:
        self.fail = fail
        self.attempts: list[str] = []  # idempotency keys, every attempt
        self.accepted: dict[str, dict] = {}
        self.bad_signatures = 0
        self.lock = threading.Lock()


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver(fail=1)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            key = self.headers["Idempotency-Key"]
            with state.lock:
                state.attempts.append(key)
                if not hmac.compare_digest(expected, self.headers.get("X-Newsdesk-Signature", "")):
                    state.bad_signatures += 1
                    status = 401
                elif state.fail > 0:
                    state.fail -= 1
                    status = 500
                else:
                    state.accepted.setdefault(key, json.loads(body))
                    status = 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def test_a_plain_ingest_reanswers_the_watch_and_each_change_reaches_the_webhook_once_after_a_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, receiver: tuple[Receiver, str]) -> None:
    state, hook = receiver
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_HOSTS", "1")  # the test's configuration: a loopback receiver
    db = str(tmp_path / "index.db")
    (tmp_path / "first.txt").write_text("Bomb kills 60 in Kelton\n" + FIRST, encoding="utf-8")
    (tmp_path / "later.txt").write_text("Kelton toll rises to 61\n" + LATER, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "-q", str(tmp_path / "first.txt"), "--db", db]).exit_code == 0
    added = runner.invoke(main, ["watch", "add", "How many people were killed in the Kelton market bombing?",
                                 "--webhook", hook, "--secret", SECRET, "--db", db])
    assert added.exit_code == 0, added.output
    assert "secret" not in added.output, "a secret the user gave is not echoed"

    ingested = runner.invoke(main, ["ingest", "-q", str(tmp_path / "later.txt"), "--db", db])
    assert ingested.exit_code == 0, ingested.output
    changes = [json.loads(line) for line in runner.invoke(main, ["watch", "changes", "--json", "--db", db])
               .output.splitlines()]
    assert changes and {c["kind"] for c in changes} >= {"statement", "source", "conflict"}
    first_key = f"newsdesk-{changes[0]['watch']}-{changes[0]['id']}"
    assert state.attempts[0] == first_key and first_key not in state.accepted, "the first POST was refused (500)"
    assert len(state.accepted) == len(changes) - 1, "the others went through"

    with Desk(db, load_config(db=db)) as desk:
        assert desk.store.undelivered(time.time()) == [], "the failed one waits for its retry time"
        [(pending, _)] = desk.store.undelivered(time.time() + 3600)
        assert (pending.id, pending.attempts, pending.last_error) == (changes[0]["id"], 1,
                                                                     "the receiver answered HTTP 500")
        report = deliver_due(desk.store, host_policy(desk.config), now=time.time() + 3600)
        assert (report.sent, report.failed) == (1, 0)
        again = deliver_due(desk.store, host_policy(desk.config), now=time.time() + 7200)
        assert again.sent == 0, "delivered records are not sent again"
    assert state.bad_signatures == 0
    assert sorted(state.accepted.values(), key=lambda c: c["id"]) == changes, "each change once; the body is the record"
    assert state.attempts.count(first_key) == 2, "retried under the same idempotency key"

    since = runner.invoke(main, ["watch", "changes", "--since", "2999-01-01", "--db", db])
    assert since.exit_code == 0 and since.output == ""
    text = runner.invoke(main, ["watch", "changes", "--db", db]).output
    assert "60 vs. 61" in text or "61 vs. 60" in text


def test_a_webhook_to_a_private_host_is_refused_without_the_configuration(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, receiver: tuple[Receiver, str]) -> None:
    state, hook = receiver
    monkeypatch.delenv("NEWSDESK_ALLOW_PRIVATE_HOSTS", raising=False)
    db = str(tmp_path / "index.db")
    (tmp_path / "first.txt").write_text("Bomb kills 60 in Kelton\n" + FIRST, encoding="utf-8")
    (tmp_path / "later.txt").write_text("Kelton toll rises to 61\n" + LATER, encoding="utf-8")
    runner = CliRunner()
    runner.invoke(main, ["ingest", "-q", str(tmp_path / "first.txt"), "--db", db])
    runner.invoke(main, ["watch", "add", "How many people were killed in the Kelton market bombing?",
                         "--webhook", hook, "--secret", SECRET, "--db", db])
    result = runner.invoke(main, ["ingest", "-q", str(tmp_path / "later.txt"), "--db", db])
    assert "not reachable or not allowed" in result.output
    assert state.attempts == [], "nothing was sent"


def test_an_upload_through_the_api_reanswers_the_watches(tmp_path: Path) -> None:
    db = str(tmp_path / "index.db")
    (tmp_path / "first.txt").write_text("Bomb kills 60 in Kelton\n" + FIRST, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "-q", str(tmp_path / "first.txt"), "--db", db]).exit_code == 0
    assert runner.invoke(main, ["watch", "add", "How many people were killed in the Kelton market bombing?",
                                "--db", db]).exit_code == 0
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        uploaded = client.post("/api/ingest/files",
                               files=[("files", ("later.txt", ("Kelton toll rises to 61\n" + LATER).encode(),
                                                 "text/plain"))])
        assert uploaded.status_code == 200 and uploaded.json()["added"] == 1, uploaded.text
    changes = [json.loads(line) for line in runner.invoke(main, ["watch", "changes", "--json", "--db", db])
               .output.splitlines()]
    assert "conflict" in {c["kind"] for c in changes}, "the toll that rose from 60 to 61 is reported"
