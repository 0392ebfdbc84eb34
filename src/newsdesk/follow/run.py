"""The follow loop: poll the feeds that are due, re-answer the watches, deliver their changes; sleep; repeat.

Feeds are polled one after another, so there is never more than one request at a time to a host (nor
in all). Every step leaves its state in the index before the next begins (follow/poll.py, watch/), so
`follow run` killed at any point and started again picks up where it stopped. The watches are
re-answered after every cycle that may have changed the index, including one cut short by a kill.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from newsdesk.desk import Desk
from newsdesk.follow.poll import DEFAULT_LIMITS, Limits, PollOutcome, poll_feed
from newsdesk.follow.robots import RobotsCache
from newsdesk.net.policy import HostPolicy
from newsdesk.watch.refresh import refresh_watches
from newsdesk.watch.webhook import DeliveryReport, deliver_due

LONGEST_SLEEP = 30.0  # seconds: a feed added meanwhile, or a webhook retry, waits at most this long


@dataclass
class CycleReport:
    polls: list[PollOutcome] = field(default_factory=list)
    changes: list[int] = field(default_factory=list)  # change records written
    delivery: DeliveryReport = field(default_factory=DeliveryReport)


def run_cycle(desk: Desk, policy: HostPolicy, *, every_feed: bool = False, limits: Limits = DEFAULT_LIMITS,
              on_poll: Callable[[PollOutcome], None] | None = None) -> CycleReport:
    """Poll the due feeds (with `every_feed`, all of them), then re-answer the watches and deliver."""
    report = CycleReport()
    robots = RobotsCache(policy, timeout=limits.timeout)
    now = time.time()
    for feed in desk.store.feeds():
        if every_feed or feed.next_poll <= now:
            outcome = poll_feed(desk, feed, policy, robots, limits)
            report.polls.append(outcome)
            if on_poll is not None:
                on_poll(outcome)
    report.changes = refresh_watches(desk)
    report.delivery = deliver_due(desk.store, policy, timeout=limits.timeout)
    return report


def run(desk: Desk, policy: HostPolicy, *, once: bool = False, limits: Limits = DEFAULT_LIMITS,
        stop: threading.Event | None = None, on_cycle: Callable[[CycleReport], None] | None = None,
        on_poll: Callable[[PollOutcome], None] | None = None) -> None:
    """Poll until `stop` is set; with `once`, poll every feed once and return."""
    stop = stop or threading.Event()
    while not stop.is_set():
        report = run_cycle(desk, policy, every_feed=once, limits=limits, on_poll=on_poll)
        if on_cycle is not None:
            on_cycle(report)
        if once:
            return
        stop.wait(seconds_to_next(desk))


def seconds_to_next(desk: Desk) -> float:
    """How long until the next feed is due (at least half a second, at most LONGEST_SLEEP)."""
    due = [f.next_poll for f in desk.store.feeds()]
    wait = min(due) - time.time() if due else LONGEST_SLEEP
    return max(0.5, min(wait, LONGEST_SLEEP))
