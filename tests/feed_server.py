"""A real HTTP server on loopback whose answers the test changes between polls (feeds, pages, robots.txt).

Each path maps to a `Route`: status, body, headers, an optional delay. A route with an ETag answers a
request carrying that ETag in If-None-Match with 304, as a real server does. Every request is logged
(path, headers), and `hit` events let a test act at the moment a path is requested.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a server that does not answer in time)


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    hits: dict[str, threading.Event] = field(default_factory=dict)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def requested(self, path: str) -> list[dict[str, str]]:
        """The headers of every request for `path`, in order."""
        return [headers for p, headers in self.log if p == path]

    def event(self, path: str) -> threading.Event:
        return self.hits.setdefault(path, threading.Event())


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = site.routes.get(self.path)
            if self.path in site.hits:
                site.hits[self.path].set()
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.delay:
                time.sleep(route.delay)
            etag = route.headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag and route.status == 200:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            try:
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    """An RSS 2.0 feed; each item's keys: guid, link, title, pubDate, and either content or description."""
    parts = []
    for item in items:
        body = (f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>" if "content" in item
                else f"<description>{item.get('description', '')}</description>")
        parts.append(f"<item><guid>{item['guid']}</guid><link>{item.get('link', '')}</link>"
                     f"<title>{item.get('title', '')}</title><pubDate>{item.get('pubDate', '')}</pubDate>{body}</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{title}</title>'
            f"<link>http://example.org/</link>{''.join(parts)}</channel></rss>").encode()
