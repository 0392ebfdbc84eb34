"""The guard in front of the app: Host, bearer token, Origin and body size checks, and security headers.

Pure ASGI rather than FastAPI middleware, so that refusals never reach the app and a body over the
limit is cut off while it streams instead of after it was read.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Strict by design: only our own scripts and styles, no inline code, nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Paths that carry no data: the page and its files, so a browser can load them and then ask for the token.
PUBLIC_PATHS = re.compile(r"^/(?:|docs|favicon\.ico|static/.*)$")
JSON_BODY_LIMIT = 1_000_000  # ask/feed requests are a few hundred bytes; anything this big is not one


class _BodyTooLarge(Exception):
    pass


class Guard:
    """Pure ASGI middleware that refuses what must never reach the app and labels every response.

    Checked in order: the Host header (DNS rebinding), the bearer token, the Origin of unsafe
    requests (other sites posting into a local index), then the body size, counted as it streams.
    """

    def __init__(self, app: ASGIApp, *, token: str | None, allowed_hosts: Sequence[str] | None,
                 max_upload_bytes: int) -> None:
        self.app = app
        self.token = token.encode("utf-8") if token else None
        self.allowed_hosts = None if allowed_hosts is None else {h.lower().strip("[]") for h in allowed_hosts}
        self.max_upload_bytes = max_upload_bytes
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        send = self._labelled(send, path)
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers, path)
        if refusal is not None:
            status, message = refusal
            extra = {"www-authenticate": 'Bearer realm="newsdesk"'} if status == 401 else {}
            await JSONResponse({"detail": message}, status_code=status, headers=extra)(scope, receive, send)
            return
        limit = self.max_upload_bytes if path.startswith("/api/ingest/") else JSON_BODY_LIMIT
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            status, message = (413, _too_large(limit)) if declared.isdigit() else (400, "bad Content-Length")
            await JSONResponse({"detail": message}, status_code=status)(scope, receive, send)
            return

        received = 0
        exceeded = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:  # whatever the app makes of a cut-off body, the answer is 413
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await JSONResponse({"detail": _too_large(limit)}, status_code=413)(scope, receive, send)

    def _refusal(self, scope: Scope, headers: Headers, path: str) -> tuple[int, str] | None:
        if self.allowed_hosts is not None:
            host = _host_name(headers.get("host", ""))
            if host not in self.allowed_hosts:
                return 400, "invalid Host header (this server answers to localhost only)"
        if self.token is not None and not PUBLIC_PATHS.match(path):
            given = headers.get("authorization", "")
            scheme, _, credential = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(credential.strip().encode("utf-8"), self.token):
                return 401, "a bearer token is required (Authorization: Bearer TOKEN)"
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if headers.get("sec-fetch-site") == "cross-site":
                return 403, "cross-site request refused"
            if origin is not None and urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
                return 403, "cross-origin request refused"
        return None

    def _labelled(self, send: Send, path: str) -> Send:
        async def labelled(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if path.startswith("/api/") or path == "/openapi.json":
                    headers["cache-control"] = "no-store"
            await send(message)

        return labelled


def _host_name(host: str) -> str:
    """The host part of a Host header, without port or IPv6 brackets, lower-cased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _too_large(limit: int) -> str:
    return f"request body over the limit of {limit:,} bytes"
