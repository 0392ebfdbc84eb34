"""What the API promises beyond its answers: the content types it reads, JSON errors for every refusal,
and an OpenAPI document that types every answer, names its errors and its bearer scheme.

A real index (quetta and the examples) behind FastAPI's TestClient; each answer is read back
strictly as the type the spec declares, so a field the spec does not name fails the test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter

from newsdesk.answer.story_page import StoryPage
from newsdesk.api import create_app
from newsdesk.api.responses import HealthJSON, JobJSON, SearchJSON, StatsJSON
from newsdesk.desk import Desk
from newsdesk.render.plain import plain

BASE = "http://127.0.0.1"


@pytest.fixture(scope="module")
def index_db(tmp_path_factory: pytest.TempPathFactory, quetta_dir: Path, examples_dir: Path) -> str:
    db = str(tmp_path_factory.mktemp("contract") / "index.db")
    with Desk(db) as desk:
        assert desk.ingest([str(quetta_dir), str(examples_dir)]).failed == 0
    return db


@pytest.fixture(scope="module")
def client(index_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(index_db), base_url=BASE) as test_client:
        yield test_client


def _json_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return str(body["detail"])


def _strict(kind: Any, body: bytes) -> Any:
    """The body read strictly as `kind` and written again: equal to it only when every key is typed."""
    adapter = TypeAdapter(kind)
    value = adapter.validate_json(body, strict=True)
    return adapter.dump_python(value, mode="json") if isinstance(value, BaseModel) else plain(value)


@pytest.mark.parametrize(("path", "content_type"), [
    ("/api/ask", "text/plain"), ("/api/ask", "application/x-www-form-urlencoded"),
    ("/api/ingest/url", "text/plain"), ("/api/ask", None),
])
def test_a_json_endpoint_refuses_another_content_type_with_415(client: TestClient, path: str,
                                                               content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    body = json.dumps({"question": "Who?"} if path == "/api/ask" else {"url": "https://example.org/"})
    response = client.post(path, content=body.encode(), headers=headers)
    assert "application/json" in _json_error(response, 415)


def test_an_upload_that_is_not_multipart_is_a_415(client: TestClient) -> None:
    response = client.post("/api/ingest/files", json={"files": ["a.txt"]})
    assert "multipart/form-data" in _json_error(response, 415)


@pytest.mark.parametrize("body", [b'{"question": "Who', b"{'question': 'Who?'}", b'{"question": "x",}'])
def test_malformed_json_is_a_400_that_says_so(client: TestClient, body: bytes) -> None:
    response = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert "not valid JSON" in _json_error(response, 400)


def test_unknown_paths_methods_and_static_files_answer_json(client: TestClient) -> None:
    _json_error(client.get("/api/no-such-thing"), 404)
    _json_error(client.delete("/api/stats"), 405)
    _json_error(client.get("/static/no-such-file.js"), 404)
    _json_error(client.get("/api/stories/not-a-number"), 422)


def test_small_answers_read_back_as_their_declared_types(client: TestClient) -> None:
    for path, kind in (("/api/health", HealthJSON), ("/api/stats", StatsJSON)):
        response = client.get(path)
        assert _strict(kind, response.content) == response.json(), path
    search = client.get("/api/search", params={"q": "Quetta attack", "limit": 3})
    assert search.json()["hits"]
    assert _strict(SearchJSON, search.content) == search.json()


def test_a_job_reads_back_as_its_declared_type_and_counts_its_inputs(tmp_path: Path, examples_dir: Path) -> None:
    files = sorted(examples_dir.iterdir())
    with TestClient(create_app(str(tmp_path / "jobs.db")), base_url=BASE) as fresh:
        sent = [("files", (p.name, p.read_bytes())) for p in files]
        started = fresh.post("/api/ingest/files?background=true", files=sent)
        assert started.status_code == 202
        while (job := fresh.get(started.json()["url"])).json()["state"] not in ("done", "failed"):
            assert job.json()["inputs"] == len(files)
        assert job.json()["state"] == "done" and job.json()["inputs"] == len(files)
        assert _strict(JobJSON, job.content) == job.json()


def test_a_story_page_lists_its_articles_in_time_order_with_disputes_and_actors(client: TestClient) -> None:
    stories = client.get("/api/stories").json()["stories"]
    fire = next(s for s in stories if "Halvard" in s["label"])
    response = client.get(f"/api/stories/{fire['id']}")
    assert response.status_code == 200
    page = response.json()
    assert _strict(StoryPage, response.content) == page
    assert {a["article_id"] for a in page["articles"]} == set(fire["article_ids"])
    days = [a["published"][:10] for a in page["articles"] if a["published"]]
    assert days and days == sorted(days)
    assert all(a["published"] for a in page["articles"][:len(days)])  # undated ones last
    assert any(c["attribute"] == "killed" for c in page["disputes"]["conflicts"])
    inside = set(fire["article_ids"])
    events = [e for a in page["actors"] for e in a["events"]]
    assert events and all(any(c["article_id"] in inside for c in e["citations"]) for e in events)
    _json_error(client.get("/api/stories/99999"), 404)


def test_the_spec_types_every_api_answer_and_names_its_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            answers = operation["responses"]
            ok = answers.get("200") or answers.get("201") or answers.get("202")
            schema = ok["content"]["application/json"]["schema"]
            assert schema != {} and schema.get("additionalProperties") is not True, (method, path, schema)
            assert "$ref" in schema or schema.get("type") == "array" or "anyOf" in schema, (method, path, schema)
            for status in ("400", "401", "500"):
                error = answers[status]["content"]["application/json"]["schema"]
                assert error == {"$ref": "#/components/schemas/ErrorJSON"}, (method, path, status)
    assert spec["paths"]["/api/ask"]["post"]["responses"]["415"]
    assert spec["paths"]["/api/ingest/files"]["post"]["responses"]["202"]
    assert spec["paths"]["/api/stories/{story_id}"]["get"]["responses"]["404"]


def test_the_spec_declares_the_bearer_scheme_required_only_when_the_server_has_a_token(index_db: str) -> None:
    with TestClient(create_app(index_db), base_url=BASE) as open_client:
        spec = open_client.get("/openapi.json").json()
    scheme = spec["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert {} in spec["security"]
    with TestClient(create_app(index_db, token="t0ken"), base_url=BASE) as locked:
        spec = locked.get("/openapi.json", headers={"Authorization": "Bearer t0ken"}).json()
    assert spec["security"] == [{"bearer": []}]
