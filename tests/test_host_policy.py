"""Server-side fetches refuse loopback, private, link-local and metadata hosts unless configured (SSRF)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.api import create_app
from newsdesk.config import load_config
from newsdesk.ingest.normalize import normalize
from newsdesk.model import RawDocument
from newsdesk.net.fetch import FetchError, fetch, is_web_url, unreachable
from newsdesk.net.policy import STRICT, HostPolicy, host_policy

OPEN = HostPolicy(allow_private=True)
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Loop</title>
<item><title>Secret</title><description>Internal page that must never be fetched.</description></item>
</channel></rss>"""

Route = Callable[[http.server.BaseHTTPRequestHandler], None]


def serve(routes: dict[str, Route], host: str = "127.0.0.1") -> tuple[http.server.ThreadingHTTPServer, str]:
    """A real HTTP server on a loopback address answering each path with its route."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            route = routes.get(self.path)
            if route is None:
                self.send_error(404)
            else:
                route(self)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"


def body(data: bytes, headers: dict[str, str] | None = None) -> Route:
    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.end_headers()
            return
        handler.send_response(200)
        for name, value in {"Content-Length": str(len(data)), "ETag": '"v1"', **(headers or {})}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)
    return route


def redirect(status: int, location: str) -> Route:
    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return route


@pytest.fixture()
def loopback() -> Iterator[tuple[dict[str, Route], str]]:
    routes: dict[str, Route] = {"/feed.xml": body(FEED)}
    server, url = serve(routes)
    yield routes, url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "::1", "0.0.0.0", "10.1.2.3", "172.16.0.9", "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "fd00:ec2::254", "fe80::1%eth0", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "224.0.0.1", "255.255.255.255", "not an address",
])
def test_non_public_addresses_are_refused_by_default(address: str) -> None:
    assert not STRICT.allows(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert STRICT.allows(address)


def test_one_private_network_can_be_allowed_without_opening_the_others() -> None:
    policy = host_policy(load_config(path="/nonexistent.toml", allowed_private_networks=("10.20.0.0/16",)))
    assert policy.allows("10.20.3.4") and not policy.allows("10.21.0.1") and not policy.allows("127.0.0.1")
    with pytest.raises(ValueError, match="allowed_private_networks"):
        host_policy(load_config(path="/nonexistent.toml", allowed_private_networks=("intranet",)))


def test_allow_private_hosts_comes_from_the_environment_as_a_yes_no_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_HOSTS", "0")
    assert not host_policy(load_config(path="/nonexistent.toml")).allow_private
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_HOSTS", "1")
    assert host_policy(load_config(path="/nonexistent.toml")).allow_private


@pytest.mark.parametrize("spelling", ["127.0.0.1", "localhost", "2130706433", "0x7f.1", "127.1"])
def test_loopback_is_refused_however_it_is_spelled(loopback: tuple[dict[str, Route], str], spelling: str) -> None:
    port = loopback[1].rsplit(":", 1)[1]
    url = f"http://{spelling}:{port}/feed.xml"
    with pytest.raises(FetchError) as refused:
        fetch(url, policy=STRICT)
    assert refused.value.reason == unreachable(url)
    assert fetch(url, policy=OPEN).body == FEED  # the same server, allowed by configuration


def test_refused_and_unreachable_hosts_give_the_same_message(loopback: tuple[dict[str, Route], str]) -> None:
    """Telling 'refused' from 'connection refused' or 'HTTP 404' would map the internal ports."""
    closed = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    closed_port = closed.server_address[1]
    closed.server_close()
    reasons = []
    for url in (f"{loopback[1]}/feed.xml", f"{loopback[1]}/missing", f"http://127.0.0.1:{closed_port}/",
                "http://no-such-host.invalid/"):
        with pytest.raises(FetchError) as failed:
            fetch(url, policy=STRICT)
        reasons.append(failed.value.reason.replace(url, "URL"))
    assert len(set(reasons)) == 1, reasons


def test_a_redirect_to_a_refused_host_is_refused(loopback: tuple[dict[str, Route], str]) -> None:
    """127.0.0.2 is allowed on its own; its redirect to 127.0.0.1 is checked again and refused."""
    routes, target = loopback
    allowed_server, allowed = serve({"/go": redirect(302, f"{target}/feed.xml"),
                                     "/near": redirect(301, "/final"), "/final": body(b"landed")}, host="127.0.0.2")
    try:
        policy = HostPolicy(allowed_networks=(host_policy(load_config(
            path="/nonexistent.toml", allowed_private_networks=("127.0.0.2",))).allowed_networks))
        with pytest.raises(FetchError) as refused:
            fetch(f"{allowed}/go", policy=policy)
        assert refused.value.reason == unreachable(f"{allowed}/go")
        moved = fetch(f"{allowed}/near", policy=policy)
        assert (moved.body, moved.url, moved.moved_to) == (b"landed", f"{allowed}/final", f"{allowed}/final")
    finally:
        allowed_server.shutdown()
        allowed_server.server_close()


@pytest.mark.parametrize("location", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi"])
def test_a_redirect_to_a_non_web_address_is_not_followed(loopback: tuple[dict[str, Route], str],
                                                         location: str) -> None:
    routes, url = loopback
    routes["/odd"] = redirect(302, location)
    with pytest.raises(FetchError, match="not an http"):
        fetch(f"{url}/odd", policy=OPEN)


def test_conditional_requests_and_limits(loopback: tuple[dict[str, Route], str]) -> None:
    routes, url = loopback
    first = fetch(f"{url}/feed.xml", policy=OPEN)
    assert first.status == 200 and first.headers["etag"] == '"v1"' and first.moved_to is None
    again = fetch(f"{url}/feed.xml", policy=OPEN, headers={"If-None-Match": first.headers["etag"]})
    assert (again.status, again.body) == (304, b"")
    with pytest.raises(FetchError, match="over the size limit"):
        fetch(f"{url}/feed.xml", policy=OPEN, max_bytes=len(FEED) - 1)
    with pytest.raises(FetchError) as missing:
        fetch(f"{url}/nothing", policy=OPEN)
    assert missing.value.status == 404 and not missing.value.retryable


def test_the_api_does_not_fetch_its_own_machine(tmp_path: Path, loopback: tuple[dict[str, Route], str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDESK_ALLOW_PRIVATE_HOSTS", raising=False)
    with TestClient(create_app(str(tmp_path / "api.db")), base_url="http://127.0.0.1") as client:
        refused = client.post("/api/ingest/url", json={"url": f"{loopback[1]}/feed.xml"})
        assert refused.status_code == 422
        assert "not reachable or not allowed" in refused.text and "Secret" not in refused.text
        assert client.get("/api/search", params={"q": "internal page"}).json()["hits"] == []


@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:text/html,<b>x</b>", "vbscript:msgbox", "/etc/x"])
def test_a_non_web_url_is_kept_as_text_never_as_a_link(value: str) -> None:
    article = normalize(RawDocument(origin="a.jsonl", format="jsonl", text="Plain words of an article.", url=value))
    assert article.url is None and article.metadata["url_text"] == value
    assert not is_web_url(value)
    assert normalize(RawDocument(origin="b.jsonl", format="jsonl", text="Words.", url="https://ex.org/a")).url \
        == "https://ex.org/a"
