"""The HTTP API over a real index (real embedder, real SQLite), through FastAPI's TestClient.

Every endpoint is exercised with good input and with the bad input a client will send: wrong
types, empty values, oversized bodies, unknown ids, unsupported uploads, missing tokens.
"""

from __future__ import annotations

import http.server
import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.api import CONTENT_SECURITY_POLICY, WEB_DIR, create_app
from newsdesk.desk import Desk

QUESTION = "What does ISIS think of Pakistan?"
BASE = "http://127.0.0.1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def index_db(tmp_path_factory: pytest.TempPathFactory, quetta_dir: Path, examples_dir: Path) -> str:
    db = str(tmp_path_factory.mktemp("api") / "index.db")
    with Desk(db) as desk:
        report = desk.ingest([str(quetta_dir), str(examples_dir)])
    assert report.failed == 0, report.errors
    return db


@pytest.fixture(scope="module")
def client(index_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(index_db), base_url=BASE) as test_client:
        yield test_client


@pytest.fixture()
def empty_client(tmp_path: Path) -> Iterator[TestClient]:
    """A client over a new, empty index, for tests that add or delete."""
    with TestClient(create_app(str(tmp_path / "fresh.db")), base_url=BASE) as test_client:
        yield test_client


def detail(response) -> str:
    body = response.json()
    assert isinstance(body.get("detail"), str) and body["detail"], body
    assert "Traceback" not in response.text
    return body["detail"]


# -- ask ----------------------------------------------------------------------------------------------


def test_ask_returns_the_brief_json_whose_citations_index_the_article_text(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    brief = response.json()
    assert brief["schema"] == "newsdesk.brief/1"
    assert brief["question_type"] == "stance"
    assert brief["answer"], brief["notes"]
    assert any("Islamic State" in s["text"] for s in brief["answer"])
    numbers = {s["n"] for s in brief["sources"]}
    for statement in brief["answer"] + brief["evidence"]:
        for citation in statement["citations"]:
            assert citation["source"] in numbers
            article = client.get(f"/api/articles/{citation['article_id']}").json()
            assert article["text"][citation["start"] : citation["end"]] == statement["text"]


def test_ask_gives_the_same_brief_twice(client: TestClient) -> None:
    first = client.post("/api/ask", json={"question": QUESTION}).json()
    second = client.post("/api/ask", json={"question": QUESTION}).json()
    assert first == second


def test_ask_filters_restrict_the_sources(client: TestClient) -> None:
    brief = client.post("/api/ask", json={"question": "How many people died in the fire?",
                                          "outlet": "The Northern Gazette"}).json()
    assert brief["sources"] and {s["outlet"] for s in brief["sources"]} == {"The Northern Gazette"}

    dated = client.post("/api/ask", json={"question": "How many people died in the fire?",
                                          "since": "2025-09-17", "until": "2025-09-17", "lang": ["en"]}).json()
    assert dated["sources"]
    assert all(s["published"][:10] == "2025-09-17" and s["language"] == "en" for s in dated["sources"])

    nothing = client.post("/api/ask", json={"question": QUESTION, "lang": "zz"}).json()
    assert nothing["answer"] == [] and nothing["sources"] == [] and nothing["notes"]


@pytest.mark.parametrize(("body", "status", "says"), [
    ({"question": "   "}, 400, "empty"),
    ({"question": 123}, 422, "question"),
    ({}, 422, "question"),
    ({"question": ["a", "b"]}, 422, "question"),
    ({"question": "x" * 2001}, 422, "question"),
    ({"question": QUESTION, "since": "not a date"}, 400, "since"),
    ({"question": QUESTION, "since": "2020-02-01", "until": "2020-01-01"}, 400, "after"),
    ({"question": QUESTION, "outlet": 5}, 422, "outlet"),
    ({"question": QUESTION, "colour": "blue"}, 422, "colour"),
])
def test_ask_refuses_bad_input_with_a_message(client: TestClient, body: dict, status: int, says: str) -> None:
    response = client.post("/api/ask", json=body)
    assert response.status_code == status, response.text
    assert says in detail(response)


def test_ask_refuses_a_body_that_is_not_json_or_too_big(client: TestClient) -> None:
    response = client.post("/api/ask", content=b"question=hello", headers={"content-type": "text/plain"})
    assert response.status_code == 422
    detail(response)
    response = client.post("/api/ask", json={"question": "x" * 1_100_000})
    assert response.status_code == 413
    assert "limit" in detail(response)


# -- search, articles, stats, health, listings -----------------------------------------------------------


def test_search_lists_passages_with_their_articles(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "police training college Quetta", "limit": 3})
    assert response.status_code == 200
    hits = response.json()["hits"]
    assert 1 <= len(hits) <= 3
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    for hit in hits:
        text = client.get(f"/api/articles/{hit['article_id']}").json()["text"]
        assert text[hit["start"] : hit["end"]] == hit["text"]
    filtered = client.get("/api/search", params={"q": "fire", "outlet": "The Northern Gazette"}).json()["hits"]
    assert filtered and {h["outlet"] for h in filtered} == {"The Northern Gazette"}


def test_timeline_orders_cited_events_by_the_date_they_happened(client: TestClient) -> None:
    response = client.get("/api/timeline", params={"q": "How did the Marlow Bay chemical plant fire unfold?"})
    assert response.status_code == 200, response.text
    timeline = response.json()
    assert timeline["schema"] == "newsdesk.timeline/1" and timeline["entries"]
    numbers = {s["n"]: s["article_id"] for s in timeline["sources"]}
    for entry in timeline["entries"]:
        for c in entry["citations"]:
            assert numbers[c["source"]] == c["article_id"]
            text = client.get(f"/api/articles/{c['article_id']}").json()["text"]
            assert text[c["start"] : c["end"]] == entry["text"]
    ends = [e["date_end"] for e in timeline["entries"] if e["date_end"]]
    assert ends and ends == sorted(ends)
    filtered = client.get("/api/timeline", params={"q": "fire", "outlet": "The Northern Gazette"}).json()
    assert filtered["sources"] and {s["outlet"] for s in filtered["sources"]} == {"The Northern Gazette"}


@pytest.mark.parametrize(("params", "status"), [({"q": "  "}, 400), ({}, 422), ({"q": "fire", "until": "soon"}, 400)])
def test_timeline_refuses_bad_input(client: TestClient, params: dict, status: int) -> None:
    response = client.get("/api/timeline", params=params)
    assert response.status_code == status, response.text
    detail(response)


@pytest.mark.parametrize(("params", "status"), [
    ({"q": "  "}, 400), ({}, 422), ({"q": "fire", "limit": 0}, 422), ({"q": "fire", "limit": "many"}, 422),
    ({"q": "fire", "since": "yesterday-ish"}, 400),
])
def test_search_refuses_bad_input(client: TestClient, params: dict, status: int) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == status, response.text
    detail(response)


def test_article_by_id_has_metadata_and_the_full_text(client: TestClient, quetta_dir: Path) -> None:
    brief = client.post("/api/ask", json={"question": QUESTION}).json()
    source = brief["sources"][0]
    article = client.get(f"/api/articles/{source['article_id']}").json()
    assert article["id"] == source["article_id"] and article["title"] == source["title"]
    assert set(article) >= {"id", "title", "outlet", "published", "language", "url", "path", "locations", "text"}
    assert len(article["text"]) > 1000


def test_unknown_article_id_is_a_404_with_a_message(client: TestClient) -> None:
    response = client.get("/api/articles/0000000000deadbeef00")
    assert response.status_code == 404
    assert "0000000000deadbeef00" in detail(response)
    assert client.get("/api/articles/" + "x" * 300).status_code == 422


def test_stats_count_the_index(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["articles"] >= 9 and stats["passages"] > stats["articles"]
    assert stats["languages"]


def test_health_says_what_the_server_offers(client: TestClient) -> None:
    health = client.get("/api/health").json()
    assert health["status"] == "ok"
    assert health["listings"] == ["conflicts", "actors", "relations", "stories"]
    assert health["charts"] == (WEB_DIR / "vendor" / "d3.min.js").is_file()


def test_each_listing_answers_under_its_own_name(client: TestClient) -> None:
    listings = {name: client.get(f"/api/{name}", params={"q": "Quetta"}) for name in
                ("conflicts", "actors", "relations", "stories")}
    for name, response in listings.items():
        assert response.status_code == 200, (name, response.text)
        assert list(response.json()) == [name]
    assert listings["conflicts"].json()["conflicts"]["schema"] == "newsdesk.conflicts/1"
    assert listings["conflicts"].json()["conflicts"]["query"] == "Quetta"
    assert listings["relations"].json()["relations"]["actor"] == "Quetta"
    assert isinstance(listings["actors"].json()["actors"], list)
    stories = client.get("/api/stories").json()["stories"]
    assert any(s["label"] == "Halvard chief defends safety record as shares slide after deadly fire" for s in stories)


def test_a_listing_that_needs_a_query_says_so(client: TestClient) -> None:
    response = client.get("/api/relations")
    assert response.status_code == 400
    assert detail(response) == "relations needs a query: ?q=..."


def test_a_listing_the_desk_lacks_is_a_404_that_says_so(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(Desk, "actors")
    response = client.get("/api/actors", params={"q": "Quetta"})
    assert response.status_code == 404
    assert detail(response) == "actors are not available in this version of newsdesk"


def test_unknown_paths_and_methods_answer_json(client: TestClient) -> None:
    assert client.get("/api/nothing-here").status_code == 404
    response = client.put("/api/ask", json={"question": QUESTION})
    assert response.status_code == 405
    detail(response)


# -- the spec, the page, the headers ---------------------------------------------------------------------


def test_openapi_spec_lists_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/ask", "/api/search", "/api/articles/{article_id}", "/api/stats", "/api/ingest/files",
                 "/api/ingest/jsonl", "/api/ingest/url", "/api/jobs/{job_id}", "/api/outlets/{outlet}"):
        assert path in spec["paths"], path
    assert "AskRequest" in spec["components"]["schemas"]


@pytest.mark.parametrize(("method", "path", "model"), [
    ("post", "/api/ask", "BriefJSON"), ("get", "/api/timeline", "TimelineJSON"),
    ("get", "/api/articles/{article_id}", "ArticleJSON"), ("get", "/api/conflicts", "ConflictsListing"),
    ("get", "/api/actors", "ActorsListing"), ("get", "/api/relations", "RelationsListing"),
    ("get", "/api/stories", "StoriesListing"),
])
def test_openapi_spec_describes_what_the_answers_hold(client: TestClient, method: str, path: str, model: str) -> None:
    spec = client.get("/openapi.json").json()
    answer = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": f"#/components/schemas/{model}"}
    assert spec["components"]["schemas"][model]["properties"]


def test_the_brief_in_the_spec_has_the_fields_of_the_generated_schema(client: TestClient) -> None:
    from newsdesk.render.schema import json_schema

    spec = client.get("/openapi.json").json()["components"]["schemas"]
    generated = json_schema("brief")
    assert list(spec["BriefJSON"]["properties"]) == list(generated["properties"])
    for name, definition in generated["$defs"].items():
        assert list(spec[name]["properties"]) == list(definition["properties"]), name


def _typed_round_trip(kind: object, body: bytes) -> object:
    """The body read strictly as its declared type and written again: equal only when every key is typed."""
    from pydantic import TypeAdapter

    from newsdesk.render.plain import plain

    return plain(TypeAdapter(kind).validate_json(body, strict=True))


def test_answers_are_exactly_their_declared_types(client: TestClient) -> None:
    from newsdesk.answer.disputes import Disputes
    from newsdesk.model import ActorEntry, RelationsReport, Story
    from newsdesk.render.documents import BriefJSON, TimelineJSON

    brief = client.post("/api/ask", json={"question": QUESTION})
    assert brief.json()["conflicts"] and brief.json()["relations"] and brief.json()["stories"]
    assert _typed_round_trip(BriefJSON, brief.content) == brief.json()
    timeline = client.get("/api/timeline", params={"q": "Quetta attack"})
    assert timeline.json()["entries"]
    assert _typed_round_trip(TimelineJSON, timeline.content) == timeline.json()
    for name, kind in (("conflicts", Disputes), ("actors", list[ActorEntry]), ("stories", list[Story])):
        body = client.get(f"/api/{name}").json()[name]
        assert body, name
        assert _typed_round_trip(kind, json.dumps(body).encode()) == body, name
    relations = client.get("/api/relations", params={"q": "Islamic State"}).json()["relations"]
    assert relations["events"]
    assert _typed_round_trip(RelationsReport, json.dumps(relations).encode()) == relations


def test_api_brief_is_byte_for_byte_the_command_line_json(client: TestClient, index_db: str) -> None:
    from newsdesk.render.jsonout import brief_dict

    body = client.post("/api/ask", json={"question": QUESTION}).content
    with Desk(index_db) as desk:
        expected = json.dumps(brief_dict(desk.ask(QUESTION)), ensure_ascii=False, separators=(",", ":"))
    assert body == expected.encode("utf-8")


def test_page_and_docs_load_nothing_from_elsewhere(client: TestClient) -> None:
    for path in ("/", "/docs"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        html = response.text
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
        assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)  # none inline
        assert not re.search(r"\son\w+\s*=", html) and " style=" not in html  # no inline handlers or styles
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert url.startswith("/") and not url.startswith("//"), url
            if url.startswith("/static/") and "vendor" not in url:
                assert client.get(url).status_code == 200, url
    for name in ("app.js", "docs.js", "app.css"):
        text = (WEB_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), name
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text and "eval(" not in text, name


def test_every_response_carries_a_strict_content_security_policy(client: TestClient) -> None:
    for path in ("/", "/api/stats", "/static/app.js", "/api/articles/nope"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert client.get("/api/stats").headers["cache-control"] == "no-store"


# -- ingest -----------------------------------------------------------------------------------------------


def upload(client: TestClient, *paths: Path, **params: object):
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]
    return client.post("/api/ingest/files", files=files, params=params)


def test_uploaded_files_are_ingested_once_and_can_be_asked(empty_client: TestClient, quetta_dir: Path) -> None:
    paths = sorted(quetta_dir.iterdir())
    response = upload(empty_client, *paths)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["added"], report["known"], report["failed"]) == (2, 0, 0)
    again = upload(empty_client, *paths).json()
    assert (again["added"], again["known"]) == (0, 2)
    brief = empty_client.post("/api/ask", json={"question": QUESTION}).json()
    assert len(brief["sources"]) == 2


def test_upload_names_are_reduced_to_a_plain_file_name(empty_client: TestClient) -> None:
    files = [("files", ("../../../etc/cron.d/evil.txt", b"Evil headline\n\nA short text about a harbour. It has two "
                                                         b"sentences.", "text/plain"))]
    report = empty_client.post("/api/ingest/files", files=files).json()
    assert report["added"] == 1
    article = empty_client.get(f"/api/articles/{report['added_ids'][0]}").json()
    assert Path(article["path"]).name == "evil.txt" and ".." not in article["path"]
    assert Path(article["path"]).parent.name.startswith("newsdesk-upload-")
    assert not Path(article["path"]).exists()  # the upload folder is removed once ingested


def test_unsupported_uploads_are_refused_by_their_bytes(empty_client: TestClient, quetta_dir: Path) -> None:
    response = empty_client.post("/api/ingest/files", files=[("files", ("photo.png", PNG, "image/png"))])
    assert response.status_code == 415
    assert "PNG image" in detail(response)
    text = sorted(quetta_dir.iterdir())[0]
    mixed = empty_client.post("/api/ingest/files", files=[
        ("files", ("photo.png", PNG, "image/png")), ("files", (text.name, text.read_bytes(), "text/plain"))])
    assert mixed.status_code == 200
    report = mixed.json()
    assert (report["added"], report["failed"]) == (1, 1)
    assert report["errors"] == [{"origin": "photo.png", "reason": "unsupported type: PNG image"}]


def test_an_upload_with_nothing_readable_is_a_422_naming_the_file(empty_client: TestClient) -> None:
    response = empty_client.post("/api/ingest/files", files=[("files", ("blank.txt", b"  \n\n ", "text/plain"))])
    assert response.status_code == 422
    assert "blank.txt" in detail(response)
    assert response.json()["report"]["errors"][0]["origin"] == "blank.txt"


def test_a_request_without_files_is_refused(empty_client: TestClient) -> None:
    assert empty_client.post("/api/ingest/files").status_code == 422
    response = empty_client.post("/api/ingest/files", data={"other": "field"})
    assert response.status_code == 422
    detail(response)


def test_oversized_uploads_are_refused_whether_declared_or_streamed(tmp_path: Path, quetta_dir: Path) -> None:
    with TestClient(create_app(str(tmp_path / "small.db"), max_upload_bytes=4_000), base_url=BASE) as small:
        response = upload(small, *sorted(quetta_dir.iterdir()))
        assert response.status_code == 413
        assert "4,000" in detail(response)

        def chunks() -> Iterator[bytes]:
            for _ in range(10):
                yield b'{"title": "t", "text": "' + b"a" * 1000 + b'"}\n'

        streamed = small.post("/api/ingest/jsonl", content=chunks(), headers={"content-type": "application/x-ndjson"})
        assert streamed.status_code == 413
        detail(streamed)
        assert small.get("/api/stats").json()["articles"] == 0


def test_json_lines_body_is_ingested_with_per_line_errors(empty_client: TestClient, examples_dir: Path) -> None:
    body = (examples_dir / "followups_2025-09-17_18.jsonl").read_bytes() + b'{"title": "no text"}\n'
    response = empty_client.post("/api/ingest/jsonl", content=body, headers={"content-type": "application/x-ndjson"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["added"] >= 2 and report["failed"] == 1
    assert report["errors"][0]["origin"].startswith("request.jsonl:")
    assert "/tmp" not in json.dumps(report)


@pytest.mark.parametrize(("body", "content_type", "status"), [
    (b"", "application/x-ndjson", 400),
    (b"Just a plain sentence, not JSON.", "application/x-ndjson", 400),
    (b'{"title": "x", "text": "y"}', "image/png", 415),
    (b'{"title": "only a title"}\n', "application/x-ndjson", 422),
])
def test_bad_json_lines_bodies_are_refused(empty_client: TestClient, body: bytes, content_type: str,
                                           status: int) -> None:
    response = empty_client.post("/api/ingest/jsonl", content=body, headers={"content-type": content_type})
    assert response.status_code == status, response.text
    detail(response)


@pytest.fixture()
def feed_server(examples_dir: Path) -> Iterator[str]:
    """A loopback HTTP server for the examples folder (no other network is used by the tests)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(examples_dir), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_feed_url_is_fetched_and_ingested(tmp_path: Path, feed_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_HOSTS", "1")  # the feed server is on loopback
    with TestClient(create_app(str(tmp_path / "fresh.db")), base_url=BASE) as empty_client:
        _ingest_feed(empty_client, feed_server)


def _ingest_feed(empty_client: TestClient, feed_server: str) -> None:
    response = empty_client.post("/api/ingest/url", json={"url": f"{feed_server}/northern_gazette_feed.xml"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["added"] >= 2 and report["failed"] == 0
    missing = empty_client.post("/api/ingest/url", json={"url": f"{feed_server}/no-such-feed.xml"})
    assert missing.status_code == 422
    assert "404" in detail(missing)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "/etc/passwd", "ftp://example.org/feed", "http://",
                                 "javascript:alert(1)", "http://exa mple.org/"])
def test_only_http_urls_are_fetched(empty_client: TestClient, url: str) -> None:
    response = empty_client.post("/api/ingest/url", json={"url": url})
    assert response.status_code == 400
    assert "URL" in detail(response)


def test_a_feed_request_of_the_wrong_shape_is_refused(empty_client: TestClient) -> None:
    assert empty_client.post("/api/ingest/url", json={"url": 5}).status_code == 422
    assert empty_client.post("/api/ingest/url", json={"link": "http://x"}).status_code == 422


def test_background_ingest_reports_progress_through_a_job(empty_client: TestClient, examples_dir: Path) -> None:
    response = upload(empty_client, *sorted(examples_dir.iterdir()), background="true")
    assert response.status_code == 202
    url = response.json()["url"]
    deadline = time.monotonic() + 60
    while (job := empty_client.get(url).json())["state"] not in ("done", "failed"):
        assert job["state"] in ("queued", "running")
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert job["state"] == "done", job
    assert job["report"]["added"] == job["added"] >= 9 and job["report"]["failed"] == 0
    assert empty_client.get("/api/jobs/no-such-job").status_code == 404


# -- delete --------------------------------------------------------------------------------------------------


def test_delete_removes_an_article_and_then_says_it_is_gone(empty_client: TestClient, examples_dir: Path) -> None:
    report = upload(empty_client, *sorted(examples_dir.iterdir())).json()
    victim = report["added_ids"][0]
    assert empty_client.delete(f"/api/articles/{victim}").json() == {"deleted": 1}
    assert empty_client.get(f"/api/articles/{victim}").status_code == 404
    again = empty_client.delete(f"/api/articles/{victim}")
    assert again.status_code == 404 and victim in detail(again)

    before = empty_client.get("/api/stats").json()["articles"]
    gone = empty_client.delete("/api/outlets/The Northern Gazette").json()["deleted"]
    assert gone >= 2 and empty_client.get("/api/stats").json()["articles"] == before - gone
    assert empty_client.delete("/api/outlets/No Such Outlet").status_code == 404
    assert empty_client.delete("/api/outlets/News/World").status_code == 404  # a slash is part of the name


# -- who may call -----------------------------------------------------------------------------------------------


def test_a_token_is_required_on_every_api_call_when_set(index_db: str) -> None:
    with TestClient(create_app(index_db, token="s3cret"), base_url=BASE) as locked:
        for method, path in (("GET", "/api/stats"), ("POST", "/api/ask"), ("GET", "/openapi.json"),
                             ("POST", "/api/ingest/url"), ("DELETE", "/api/articles/x")):
            response = locked.request(method, path, json={"question": QUESTION})
            assert response.status_code == 401, (method, path)
            assert response.headers["www-authenticate"].startswith("Bearer")
            detail(response)
        assert locked.get("/api/stats", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert locked.get("/api/stats", headers={"Authorization": "Basic s3cret"}).status_code == 401
        assert locked.get("/api/stats", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert locked.get("/").status_code == 200  # the page holds no data; it asks for the token
        assert locked.get("/static/app.js").status_code == 200


def test_other_hosts_and_other_sites_are_refused(client: TestClient) -> None:
    rebound = client.get("/api/stats", headers={"Host": "attacker.example"})
    assert rebound.status_code == 400 and "Host" in detail(rebound)
    assert client.get("/api/stats", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.get("/api/stats", headers={"Host": "[::1]:8000"}).status_code == 200
    cross = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": "http://attacker.example"})
    assert cross.status_code == 403 and "cross" in detail(cross)
    fetched = client.post("/api/ask", json={"question": QUESTION}, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetched.status_code == 403
    same = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": BASE})
    assert same.status_code == 200


def test_an_unusable_index_is_a_json_error_not_a_traceback(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path)), base_url=BASE) as broken:  # a folder, not an index file
        response = broken.get("/api/stats")
        assert response.status_code == 503
        assert str(tmp_path) in detail(response)


# -- concurrency ------------------------------------------------------------------------------------------------


def test_concurrent_requests_share_one_index_safely(client: TestClient) -> None:
    expected = client.post("/api/ask", json={"question": QUESTION}).json()

    def one(i: int) -> object:
        kind = i % 4
        if kind == 0:
            return client.post("/api/ask", json={"question": QUESTION}).json()
        if kind == 1:
            return client.get("/api/search", params={"q": "Quetta"}).status_code
        if kind == 2:
            return client.get("/api/stats").status_code
        return client.get(f"/api/articles/{expected['sources'][0]['article_id']}").status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, range(24)))
    for i, result in enumerate(results):
        assert result == (expected if i % 4 == 0 else 200)


def test_questions_are_answered_while_an_ingest_runs(empty_client: TestClient, quetta_dir: Path,
                                                     examples_dir: Path) -> None:
    upload(empty_client, *sorted(quetta_dir.iterdir()))
    job_url = upload(empty_client, *sorted(examples_dir.iterdir()), background="true").json()["url"]
    answered = 0
    while empty_client.get(job_url).json()["state"] in ("queued", "running") or answered == 0:
        response = empty_client.post("/api/ask", json={"question": QUESTION})
        assert response.status_code == 200
        assert response.json()["answer"]
        answered += 1
    assert empty_client.get(job_url).json()["state"] == "done"
    assert empty_client.get("/api/stats").json()["articles"] >= 11


# -- the load bench -----------------------------------------------------------------------------------------------


def test_load_bench_stays_on_loopback_and_ends_with_json(index_db: str) -> None:
    bench = Path(__file__).resolve().parents[1] / "bench" / "load_ask.py"
    refused = subprocess.run([sys.executable, str(bench), "--url", "http://192.168.1.10:8000"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "loopback" in refused.stderr
    proc = subprocess.run([sys.executable, str(bench), "--db", index_db, "--requests", "2", "--concurrency", "2"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert figures["requests"] == figures["ok"] == 2 and figures["errors"] == 0
    assert figures["requests_per_s"] > 0 and 0 < figures["p50_ms"] <= figures["p95_ms"]
