"""Following feeds: a poll of 50 unchanged feeds (all 304) against 50 bare httpx GETs, and kill-and-restart
cycles of `follow run` counting lost entries and duplicate change records.

    PYTHONPATH=src .venv/bin/python bench/follow.py [--feeds 50] [--cycles 20] [--repeat 5]

The feeds are served by a loopback HTTP server (private hosts allowed for this run). The poll is one
`run_cycle` over every feed (conditional GETs, the feed state saved per feed, watches checked); the
baselines are the same number of plain `httpx.get` calls to the same URLs with no state at all, and
the same GETs on one reused `httpx.Client` (the cheapest a poll could be). The last
line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.feed_server and tests.follow_kill: the same server and cycles as the tests

from newsdesk.config import load_config  # noqa: E402
from newsdesk.desk import Desk  # noqa: E402
from newsdesk.follow.poll import Limits  # noqa: E402
from newsdesk.follow.run import run_cycle  # noqa: E402
from newsdesk.net.policy import host_policy  # noqa: E402
from tests.feed_server import Route, Site, rss, serve  # noqa: E402
from tests.follow_kill import kill_cycles  # noqa: E402


def unchanged_poll(site: Site, folder: Path, feeds: int, repeat: int) -> dict[str, float]:
    db = str(folder / "poll.db")
    config = load_config(db=db, allow_private_hosts=True)
    urls = []
    for n in range(feeds):
        path = f"/feed/{n}"
        entry = {"guid": f"f{n}", "link": f"http://example.org/{n}", "title": f"Feed {n}",
                 "content": f"<p>Feed {n} reports that the Riverside market in Kelton reopened on day {n}.</p>"}
        site.routes[path] = Route(rss(f"Feed {n}", [entry]), headers={"ETag": f'"{n}"'})
        urls.append(site.url(path))
    with Desk(db, config) as desk:
        for url in urls:
            desk.store.add_feed(url, 900)
        run_cycle(desk, host_policy(config), every_feed=True, limits=Limits(timeout=10))  # the first poll: all new
        polls = []
        for _ in range(repeat):
            started = time.perf_counter()
            report = run_cycle(desk, host_policy(config), every_feed=True, limits=Limits(timeout=10))
            polls.append(time.perf_counter() - started)
            assert all(p.status == "unchanged" for p in report.polls), [p.error for p in report.polls]
    statuses_304 = sum(1 for p, _ in site.log[-feeds:] if p.startswith("/feed/"))
    bare = []
    for _ in range(repeat):
        started = time.perf_counter()
        for url in urls:
            httpx.get(url, headers={"If-None-Match": '"x"'})
        bare.append(time.perf_counter() - started)
    shared = []
    with httpx.Client() as client:
        for _ in range(repeat):
            started = time.perf_counter()
            for url in urls:
                client.get(url, headers={"If-None-Match": '"x"'})
            shared.append(time.perf_counter() - started)
    poll_s, bare_s, shared_s = statistics.median(polls), statistics.median(bare), statistics.median(shared)
    return {"feeds": feeds, "poll_304_s": round(poll_s, 3), "bare_httpx_s": round(bare_s, 3),
            "one_client_s": round(shared_s, 3), "ratio": round(poll_s / bare_s, 2),
            "ratio_one_client": round(poll_s / shared_s, 2), "conditional_requests": statuses_304}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp, serve(Site()) as site:
        folder = Path(tmp)
        poll = unchanged_poll(site, folder, args.feeds, args.repeat)
        print(f"poll of {poll['feeds']} unchanged feeds (all 304): {poll['poll_304_s']} s; "
              f"{poll['feeds']} bare httpx.get: {poll['bare_httpx_s']} s (ratio {poll['ratio']}); "
              f"{poll['feeds']} GETs on one httpx.Client: {poll['one_client_s']} s (ratio {poll['ratio_one_client']})")
        figures["poll"] = poll
        if args.cycles:
            from click.testing import CliRunner

            from newsdesk.cli import main as cli

            db = str(folder / "kill.db")
            runner = CliRunner(env={"NEWSDESK_ALLOW_PRIVATE_HOSTS": "1"})
            runner.invoke(cli, ["follow", "add", site.url("/feed"), "--every", "1s", "--db", db])
            runner.invoke(cli, ["watch", "add", "How many people died in the Riverside market bombing?", "--db", db])
            started = time.perf_counter()
            report = kill_cycles(site, db, cycles=args.cycles)
            kills = vars(report) | {"seconds": round(time.perf_counter() - started, 1)}
            print(f"{report.cycles} kill -9 and restart cycles: {report.entries} entries served, {report.taken} taken, "
                  f"{report.lost} lost; {report.changes} change records, {report.duplicates} duplicates; "
                  f"{report.kills_mid_poll} kills cut a poll short")
            figures["kill_restart"] = kills
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
