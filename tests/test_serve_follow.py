"""`newsdesk serve --follow` as a real process: the feed it follows is polled inside the server, so an entry
published there becomes searchable through the API, and a watched question records the change, with no
other command run. The feed is served on loopback; the test's configuration allows private hosts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.feed_server import Route, Site, rss, serve
from tests.test_web_browser import Server

KELTON = ("<p>A bomb killed 60 people at the Riverside market in Kelton on Monday, police said.</p>"
          "<p>Police chief Dana orr said the bomb had been hidden in a vegetable cart near the east gate.</p>")
UPDATE = ("<p>The death toll from the bombing of the Riverside market in Kelton rose to 61, officials said on "
          "Tuesday.</p><p>Hospitals in Kelton treated more than 100 injured people.</p>")
QUESTION = "How many people did the bomb at the Riverside market in Kelton kill?"


def entry(guid: str, content: str, day: int) -> dict[str, str]:
    return {"guid": guid, "link": f"http://example.org/{guid}", "title": f"Kelton {guid}",
            "pubDate": f"Mon, 0{day} Jun 2024 10:00:00 GMT", "content": content}


def wait_for(what: str, check: Callable[[], Any], server: Server, seconds: float = 180.0) -> Any:
    """Poll `check` until it returns something true; fail with the server's log when it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if server.process.poll() is not None:
            break
        time.sleep(0.5)
    pytest.fail(f"{what} did not happen; server log:\n{server.log.read_text(errors='replace')[-3000:]}")


@pytest.fixture()
def site() -> Iterator[Site]:
    with serve(Site()) as running:
        yield running


def test_serve_follow_polls_the_feed_so_its_entries_become_searchable_and_watches_change(
        site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_HOSTS", "1")  # the server and its follow thread inherit it
    site.routes["/feed.xml"] = Route(rss("Kelton Courier", [entry("a1", KELTON, 3)]),
                                     headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'})
    db = tmp_path / "follow.db"
    added = subprocess.run([sys.executable, "-m", "newsdesk.cli", "follow", "add", site.url("/feed.xml"),
                            "--every", "2s", "--db", str(db)], capture_output=True, text=True, env=os.environ)
    assert added.returncode == 0, added.stderr

    server = Server(db, tmp_path / "serve.log", follow=True)
    try:
        def hits(query: str) -> list[dict[str, Any]]:
            answer = httpx.get(f"{server.url}/api/search", params={"q": query}, timeout=60)
            return [h for h in answer.json()["hits"] if query in h["text"]] if answer.status_code == 200 else []

        [hit] = wait_for("the feed's entry becoming searchable", lambda: hits("vegetable cart"), server)
        assert hit["title"] == "Kelton a1"
        watch = httpx.post(f"{server.url}/api/watches", json={"question": QUESTION}, timeout=120).json()

        # The feed publishes an update while the server runs: the loop takes it and re-answers the watch.
        site.routes["/feed.xml"] = Route(rss("Kelton Courier", [entry("a2", UPDATE, 4), entry("a1", KELTON, 3)]),
                                         headers={"Content-Type": "application/rss+xml", "ETag": '"v2"'})

        def changes() -> list[dict[str, Any]]:
            answer = httpx.get(f"{server.url}/api/changes", params={"watch": watch["id"]}, timeout=60)
            return list(answer.json()["changes"])

        recorded = wait_for("a change record for the updated toll", changes, server)
        assert any("61" in c.get("statement", {}).get("text", "") for c in recorded), recorded
        assert hits("vegetable cart") == [hit], "the first entry was taken once"
        assert httpx.get(f"{server.url}/api/stats", timeout=30).json()["articles"] == 2
        polled = site.requested("/feed.xml")
        assert any(h.get("if-none-match") == '"v1"' for h in polled), "later polls are conditional (ETag)"
    finally:
        server.stop()
