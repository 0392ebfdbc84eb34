"""Webhook delivery: a POST per change record, signed with HMAC-SHA256, retried with backoff until it lands.

At least once: a record is marked delivered only after its receiver answered 2xx, so a process killed
mid-delivery sends it again; the `Idempotency-Key` header (the watch and the record's number) lets the
receiver drop the repeat. The body is the record's JSON line (render/changes.py), and
`X-Newsdesk-Signature: sha256=HEX` is the HMAC-SHA256 of exactly those bytes under the watch's secret.
A failed attempt waits 5 s, 10 s, 20 s ... up to an hour before the next. The webhook's host follows
the same policy as every fetch (net/): checked on the address connected to, no redirects followed.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsdesk.net.fetch import USER_AGENT, FetchError
from newsdesk.net.fetch import post as guarded_post
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
    """POST `body` through the guarded fetcher (the policy is checked on the address connected to)."""
    try:
        status = guarded_post(url, body, policy=policy, timeout=timeout, headers=headers)
    except FetchError as exc:
        return exc.reason
    return None if 200 <= status < 300 else f"the receiver answered HTTP {status}"
