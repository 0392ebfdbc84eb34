"""`newsdesk serve --follow`: the follow loop on a thread of the server's process, with its own Desk."""

from __future__ import annotations

import sys
import threading

from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.follow.run import CycleReport, run
from newsdesk.net.policy import host_policy


def start_following(db: str) -> threading.Event:
    """Start polling the index's feeds in the background; set the returned event to stop after the cycle."""
    stop = threading.Event()

    def loop() -> None:
        config = load_config(db=db)
        with Desk(db, config) as desk:
            run(desk, host_policy(config), stop=stop, on_cycle=_say)

    threading.Thread(target=loop, name="newsdesk-follow", daemon=True).start()
    return stop


def _say(report: CycleReport) -> None:
    for poll in report.polls:
        if poll.error:
            print(f"follow: {poll.feed.url}: {poll.error}", file=sys.stderr)
    if report.changes:
        print(f"follow: {len(report.changes)} new change record(s)", file=sys.stderr)
