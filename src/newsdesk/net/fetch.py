"""GET an untrusted URL under the host policy, with a timeout, a size limit and redirects checked one by one.

The address check lives in the connection itself (a guarded network backend for
httpcore): the name is resolved once, every address is checked, and the socket
connects to the checked address, so DNS rebinding between check and connect
cannot slip through. Refused and unreachable hosts get the same message, so the
error text cannot be used to map which internal ports are open.
"""

from __future__ import annotations

import functools
import socket
import ssl
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsdesk.net.policy import HostPolicy

USER_AGENT = "newsdesk/0.1 (+https://github.com/newsdesk)"
MAX_REDIRECTS = 5
_WEB_SCHEMES = ("http", "https")
_PERMANENT = (301, 308)
_REDIRECT = (301, 302, 303, 307, 308)
_NOT_WEB = "could not fetch {url}: it redirects to an address that is not an http(s) URL"
_RETRYABLE_STATUS = (408, 425, 429, 500, 502, 503, 504)


@dataclass(frozen=True)
class FetchResponse:
    url: str  # final URL after redirects
    status: int  # 200, or 304 when a conditional request was not modified
    body: bytes  # b"" for 304
    headers: dict[str, str]  # lower-cased names
    moved_to: str | None  # where an unbroken chain of permanent redirects from the requested URL ended


class FetchError(Exception):
    """A fetch that gave no body; `reason` is a sentence for the user."""

    def __init__(self, reason: str, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retryable = retryable


class HostRefused(Exception):
    """Raised inside a connection attempt when no resolved address is allowed."""


def is_web_url(value: str) -> bool:
    """An http(s) URL with a host and no whitespace: what may be fetched, linked or stored as `url`."""
    if not isinstance(value, str) or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme.lower() in _WEB_SCHEMES and bool(parts.hostname)
    except ValueError:  # e.g. an invalid IPv6 literal or port
        return False


def unreachable(url: str) -> str:
    """The one message for refused, unresolvable and unreachable hosts."""
    return f"could not fetch {url}: the host is not reachable or not allowed"


def fetch(url: str, *, policy: HostPolicy, max_bytes: int = 50_000_000, timeout: float = 20.0,
          headers: Mapping[str, str] | None = None) -> FetchResponse:
    """GET `url`, following at most MAX_REDIRECTS redirects, each checked; raise FetchError on any failure."""
    if not is_web_url(url):
        raise FetchError(f"not an http(s) URL: {url!r}")
    request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    current, moved_to, permanent_chain = url, None, True
    with httpx.Client(transport=_GuardedTransport(policy), timeout=timeout, follow_redirects=False,
                      trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                with client.stream("GET", current, headers=request_headers) as response:
                    if response.status_code not in _REDIRECT or "location" not in response.headers:
                        return _read(url, current, response, max_bytes, moved_to)
                    target = urljoin(current, response.headers["location"])
            except (httpx.InvalidURL, httpx.UnsupportedProtocol):  # httpx parses a Location before we see it
                raise FetchError(_NOT_WEB.format(url=url)) from None
            except (HostRefused, httpx.HTTPError, ValueError) as exc:
                raise _as_fetch_error(url, exc) from None
            if not is_web_url(target):
                raise FetchError(_NOT_WEB.format(url=url))
            permanent_chain = permanent_chain and response.status_code in _PERMANENT
            moved_to = target if permanent_chain else moved_to
            current = target
    raise FetchError(f"could not fetch {url}: more than {MAX_REDIRECTS} redirects")


def post(url: str, content: bytes, *, policy: HostPolicy, timeout: float = 10.0,
         headers: Mapping[str, str] | None = None) -> int:
    """POST `content` to `url` (a webhook) under the host policy; no redirects. The status, or FetchError."""
    if not is_web_url(url):
        raise FetchError(f"not an http(s) URL: {url!r}")
    request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    with httpx.Client(transport=_GuardedTransport(policy), timeout=timeout, follow_redirects=False,
                      trust_env=False) as client:
        try:
            return client.post(url, content=content, headers=request_headers).status_code
        except (HostRefused, httpx.HTTPError, ValueError) as exc:
            raise _as_fetch_error(url, exc) from None


def _as_fetch_error(url: str, exc: Exception) -> FetchError:
    if isinstance(exc, (HostRefused, httpx.ConnectError, httpx.ConnectTimeout, socket.gaierror)):
        return FetchError(unreachable(url), retryable=not isinstance(exc, HostRefused))
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(f"could not fetch {url}: the server did not answer in time", retryable=True)
    return FetchError(f"could not fetch {url}: the connection failed", retryable=True)


def _read(url: str, final: str, response: httpx.Response, max_bytes: int, moved_to: str | None) -> FetchResponse:
    headers = {name.lower(): value for name, value in response.headers.items()}
    if response.status_code == 304:
        return FetchResponse(final, 304, b"", headers, moved_to)
    if response.status_code != 200:
        status = response.status_code
        raise FetchError(f"could not fetch {url}: the server answered HTTP {status} {response.reason_phrase}".rstrip(),
                         status=status, retryable=status in _RETRYABLE_STATUS)
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{url} is {int(declared):,} bytes, over the size limit of {max_bytes:,} bytes")
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(f"{url} is over the size limit of {max_bytes:,} bytes")
            chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise _as_fetch_error(url, exc) from None
    return FetchResponse(final, 200, b"".join(chunks), headers, moved_to)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolve, check every address against the policy, then connect to a checked address."""

    def __init__(self, policy: HostPolicy) -> None:
        self._policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(str(exc)) from None
        addresses = [str(info[4][0]) for info in infos]
        if not addresses or not all(self._policy.allows(address) for address in addresses):
            raise HostRefused(host)
        # Connect to the checked address (not the name again): a second lookup could answer differently.
        return super().connect_tcp(addresses[0], port, timeout, local_address, socket_options)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over a connection pool that uses the guarded backend."""

    def __init__(self, policy: HostPolicy) -> None:
        super().__init__(verify=_tls())
        self._pool = httpcore.ConnectionPool(ssl_context=_tls(), network_backend=_GuardedBackend(policy))


@functools.cache
def _tls() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle takes ~80 ms, far more than a 304."""
    return httpx.create_ssl_context()
