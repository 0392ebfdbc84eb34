"""Watched questions over the HTTP API: a real index, the real embedder and analysis, FastAPI's TestClient.

Articles go in through the API's own ingest, which re-answers the watches; what changed comes back
as the same newsdesk.change/1 records `watch changes --json` writes, and "read" is kept in the index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk.api import create_app
from newsdesk.api.responses import ChangesJSON, ReadJSON, WatchAddedJSON, WatchesJSON
from newsdesk.render.changes import change_line
from newsdesk.store.base import Store
from newsdesk.store.follow_state import NewChange
from newsdesk.store.open import open_store

BASE = "http://127.0.0.1"
QUESTION = "How many people did the bomb at the Riverside market in Kelton kill?"
FIRST = {"title": "Kelton market bombing", "outlet": "Kelton Courier", "published": "2024-06-03",
         "url": "https://courier.example/kelton-1",
         "text": "A bomb killed 60 people at the Riverside market in Kelton on Monday, police said. "
                 "Police chief Dana Orr said the bomb was hidden in a cart."}
UPDATE = {"title": "Kelton toll rises", "outlet": "Kelton Evening Post", "published": "2024-06-04",
          "url": "https://post.example/kelton-2",
          "text": "The death toll from the bombing of the Riverside market in Kelton rose to 61, officials said on "
                  "Tuesday. Hospitals in Kelton treated more than 100 injured people."}


def ingest(client: TestClient, *records: dict[str, str]) -> None:
    body = "".join(json.dumps(r) + "\n" for r in records)
    response = client.post("/api/ingest/jsonl", content=body, headers={"Content-Type": "application/x-ndjson"})
    assert response.status_code == 200, response.text
    assert response.json()["added"] == len(records)


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return str(tmp_path / "watch.db")


@pytest.fixture()
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url=BASE) as test_client:
        yield test_client


def test_a_watch_added_through_the_api_reports_what_a_later_ingest_changed_with_unread_counts(
        client: TestClient, db: str) -> None:
    ingest(client, FIRST)
    added = client.post("/api/watches", json={"question": QUESTION})
    assert added.status_code == 201
    watch = WatchAddedJSON.model_validate(added.json())
    assert (watch.question, watch.changes, watch.unread, watch.secret) == (QUESTION, 0, 0, None)

    ingest(client, UPDATE)
    listing = WatchesJSON.model_validate(client.get("/api/watches").json())
    [seen] = listing.watches
    assert seen.changes >= 1 and seen.unread == seen.changes and seen.read_through == 0

    answer = client.get("/api/changes", params={"watch": watch.id})
    assert answer.status_code == 200
    changes = answer.json()["changes"]
    ChangesJSON.model_validate(answer.json())
    assert len(changes) == seen.changes
    assert {c["schema"] for c in changes} == {"newsdesk.change/1"} and {c["watch"] for c in changes} == {watch.id}
    store = open_store(db)
    try:  # the same records, byte for byte, as `watch changes --json` and the webhooks write
        assert [json.dumps(c, ensure_ascii=False) for c in changes] == [change_line(r) for r in store.changes()]
    finally:
        store.close()
    quoted = [c["statement"]["text"] for c in changes if c["kind"] == "statement"]
    assert any("61" in text for text in quoted), quoted  # the updated toll, verbatim
    assert client.get("/api/changes", params={"since": changes[0]["recorded"][:10]}).json() == {"changes": changes}
    assert client.get("/api/changes", params={"since": "2999-01-01"}).json() == {"changes": []}


def test_marking_read_is_kept_in_the_index_never_moves_back_and_names_a_missing_watch(
        client: TestClient, db: str) -> None:
    ingest(client, FIRST)
    watch_id = client.post("/api/watches", json={"question": QUESTION}).json()["id"]
    ingest(client, UPDATE)
    ids = [c["id"] for c in client.get("/api/changes", params={"watch": watch_id}).json()["changes"]]
    assert ids, "the update must have changed the brief"
    first = ReadJSON.model_validate(client.post(f"/api/watches/{watch_id}/read", json={"through": ids[0]}).json())
    assert (first.read_through, first.unread) == (ids[0], len(ids) - 1)
    everything = client.post(f"/api/watches/{watch_id}/read", json={}).json()
    assert everything == {"watch": watch_id, "read_through": ids[-1], "unread": 0}
    back = client.post(f"/api/watches/{watch_id}/read", json={"through": 0}).json()
    assert back["read_through"] == ids[-1], "an older page must not mark read changes unread again"
    with TestClient(create_app(db), base_url=BASE) as again:  # a new server over the same index remembers
        assert again.get("/api/watches").json()["watches"][0]["unread"] == 0

    missing = client.post("/api/watches/999/read", json={})
    assert missing.status_code == 404 and missing.json()["detail"] == "no watch 999"
    assert client.get("/api/changes", params={"watch": 999}).status_code == 404
    assert client.post(f"/api/watches/{watch_id}/read", content=b"through=1",
                       headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 415


def test_bad_watches_are_refused_with_the_field_and_reason_and_removal_takes_the_changes(client: TestClient) -> None:
    for hook in ("javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/x", "data:text/plain,x"):
        refused = client.post("/api/watches", json={"question": QUESTION, "webhook": hook})
        assert refused.status_code == 400 and refused.json()["detail"].startswith("webhook: not an http(s) URL")
    empty = client.post("/api/watches", json={"question": "   "})
    assert empty.status_code == 400 and "question" in empty.json()["detail"]
    assert client.post("/api/watches", json={"question": 5}).status_code == 422
    assert client.get("/api/watches").json() == {"watches": []}, "nothing refused was saved"

    hooked = client.post("/api/watches", json={"question": QUESTION, "webhook": "https://hooks.example/in"}).json()
    assert hooked["webhook"] == "https://hooks.example/in" and len(hooked["secret"]) == 64
    assert "secret" not in client.get("/api/watches").json()["watches"][0], "the HMAC key is shown only once"
    assert client.delete(f"/api/watches/{hooked['id']}").json() == {"deleted": 1}
    gone = client.delete(f"/api/watches/{hooked['id']}")
    assert gone.status_code == 404 and client.get("/api/watches").json() == {"watches": []}


def test_every_watch_route_needs_the_token(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "locked.db"), token="w-s3cret"), base_url=BASE) as locked:
        calls: list[tuple[str, str, Any]] = [
            ("GET", "/api/watches", None), ("POST", "/api/watches", {"question": QUESTION}),
            ("DELETE", "/api/watches/1", None), ("GET", "/api/changes", None),
            ("POST", "/api/watches/1/read", {}),
        ]
        for method, path, body in calls:
            assert locked.request(method, path, json=body).status_code == 401, (method, path)
        ok = locked.get("/api/watches", headers={"Authorization": "Bearer w-s3cret"})
        assert ok.status_code == 200 and ok.json() == {"watches": []}
        spec = locked.get("/openapi.json", headers={"Authorization": "Bearer w-s3cret"}).json()
        routes = {"/api/watches", "/api/watches/{watch_id}", "/api/watches/{watch_id}/read", "/api/changes"}
        assert routes <= set(spec["paths"])


@pytest.fixture
def store(backend_store: Store) -> Store:
    return backend_store


def test_unread_counts_follow_read_through_on_both_backends(store: Store) -> None:
    quiet = store.add_watch("Who?", None, "k1")
    busy = store.add_watch("What?", None, "k2")
    ids = store.record_changes(busy.id, 3, [NewChange((f"statement:{n}",), f'{{"n": {n}}}') for n in range(3)])
    assert store.unread_counts() == {quiet.id: (0, 0), busy.id: (3, 3)}
    assert store.mark_read(busy.id, ids[1]) == ids[1] and store.unread_counts()[busy.id] == (3, 1)
    assert store.mark_read(busy.id, ids[0]) == ids[1], "never backwards"
    assert store.mark_read(busy.id) == ids[2] and store.unread_counts()[busy.id] == (3, 0)
    assert store.mark_read(quiet.id) == 0 and store.read_through(quiet.id) == 0
    assert store.mark_read(busy.id + 100) is None and store.read_through(busy.id + 100) is None
