"""Webhook delivery: a POST per change record, signed with HMAC-SHA256, retried with backoff until it lands.

At least once: a record is marked delivered only after its receiver answered 2xx, so a process killed
mid-delivery sends it again; the `Idempotency-Key` header (the watch and the record's number) lets the
receiver drop the repeat. The body is the record's JSON line (render/changes.py), and
`X-Newsdesk-Signature: sha256=HEX` is the HMAC-SHA256 of exactly those bytes under the watch's secret.
A failed attempt waits 5 s, 10 s, 20 s ... up to an hour before the next. The webhook's host follows
the same policy as every fetch (net/policy.py): checked before sending, no redirects followed.
"""

from __future__ import annotations

import hashlib
import hmac
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from newsdesk.net.fetch import USER_AGENT, is_web_url
from newsdesk.net.policy import HostPolicy
from newsdesk.render.changes import change_line
from newsdesk.store.base import FollowStore

SIGNATURE_HEADER = "X-Newsdesk-Signature"
FIRST_RETRY = 5.0
LONGEST_RETRY = 3600.0


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def signature(secret: str, body: bytes) -> str:
    """The header value a receiver recomputes to check that a body came from this desk, unchanged."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed attempt."""
    return float(min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY))


def deliver_due(store: FollowStore, policy: HostPolicy, *, timeout: float = 10.0,
                now: float | None = None) -> DeliveryReport:
    """Send every change whose delivery is due, oldest first; failures are rescheduled, not lost."""
    report = DeliveryReport()
    moment = time.time() if now is None else now
    for row, watch in store.undelivered(moment):
        if watch.webhook is None:
            continue
        body = change_line(row).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                   SIGNATURE_HEADER: signature(watch.secret, body), "Idempotency-Key": f"newsdesk-{watch.id}-{row.id}"}
        error = post(watch.webhook, body, headers, policy, timeout)
        attempts = row.attempts + 1
        if error is None:
            store.save_delivery(row.id, datetime.now(UTC).isoformat(timespec="seconds"), attempts, None, None)
            report.sent += 1
        else:
            store.save_delivery(row.id, None, attempts, moment + retry_delay(attempts), error)
            report.failed += 1
            report.errors.append(f"change {row.id} to {watch.webhook}: {error}")
    return report


def post(url: str, body: bytes, headers: dict[str, str], policy: HostPolicy, timeout: float) -> str | None:
    """POST `body`; None when the receiver answered 2xx, else why not (a sentence)."""
    if not is_web_url(url):
        return f"not an http(s) URL: {url!r}"
    if not _allowed(url, policy):
        return "the host is not reachable or not allowed"
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            response = client.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        return "the receiver did not answer in time"
    except httpx.HTTPError:
        return "the host is not reachable or not allowed"
    if 200 <= response.status_code < 300:
        return None
    return f"the receiver answered HTTP {response.status_code}"


def _allowed(url: str, policy: HostPolicy) -> bool:
    """Every address the webhook's host resolves to is allowed by the policy."""
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    addresses = [str(info[4][0]) for info in infos]
    return bool(addresses) and all(policy.allows(a) for a in addresses)
