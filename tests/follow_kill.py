"""Kill `newsdesk follow run` with SIGKILL in the middle of a poll, start it again, and count what was lost
or reported twice. Used by tests/test_follow_kill.py (a few cycles) and bench/follow.py (20).

Each cycle adds new entries to a loopback feed (summary-only, so every entry's page is fetched, slowly),
starts the follower, kills it at a chosen moment (during the page fetches, during the ingest, during
the watches' re-answering), then runs `follow run --once` to completion.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.feed_server import Route, Site, rss

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class KillReport:
    cycles: int
    entries: int  # entries served in all
    taken: int  # entries the index has marked taken
    lost: int  # served entries whose page text is not in the index
    changes: int  # change records
    duplicates: int  # change records saying what an earlier one said
    kills_mid_poll: int  # kills after which the new entries were not all taken yet (the poll was cut short)


def page(n: int) -> bytes:
    return (f"<html><head><title>Kelton update {n}</title></head><body><article><p>The death toll from the "
            f"bombing of the Riverside market in Kelton rose to {60 + n}, officials said in update {n}.</p>"
            f"<p>Rescue team {n} reported that the search of the rubble went on through the night.</p>"
            "</article></body></html>").encode()


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "NEWSDESK_ALLOW_PRIVATE_HOSTS": "1", "OMP_NUM_THREADS": "1"}


def follow(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "newsdesk.cli", "follow", "run", "--db", db, "--timeout", "10", *args]


def kill_cycles(site: Site, db: str, cycles: int, per_cycle: int = 3, page_delay: float = 0.3) -> KillReport:
    """Run `cycles` kill-and-restart cycles against `site` (already serving) on index `db` (with a watch)."""
    items: list[dict[str, str]] = []
    kills = 0
    for cycle in range(cycles):
        first = len(items)
        for n in range(first, first + per_cycle):
            site.routes[f"/p/{n}"] = Route(page(n), headers={"Content-Type": "text/html; charset=utf-8"},
                                           delay=page_delay)
            items.insert(0, {"guid": f"g{n}", "link": site.url(f"/p/{n}"), "title": f"Update {n}",
                             "description": f"Update {n}."})
        site.routes["/feed"] = Route(rss("Kelton Wire", items), headers={"ETag": f'"c{cycle}"'})
        # Kill during the page fetches, just after them (ingest), or later (re-answering the watch).
        moment = cycle % 3
        hit = site.event(f"/p/{first + (0 if moment == 0 else per_cycle - 1)}")
        hit.clear()
        proc = subprocess.Popen(follow(db), env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not hit.wait(120):
            proc.kill()
            raise AssertionError("the follower never fetched the new pages")
        time.sleep((0.0, page_delay + 0.2, page_delay + 2.0)[moment])
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if _taken(db) < len(items):
            kills += 1
        done = subprocess.run(follow(db, "--once"), env=env(), capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise AssertionError(f"follow run --once after a kill failed: {done.stderr[-2000:]}")
    return _count(db, len(items), cycles, kills)


def _taken(db: str) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM feed_entries").fetchone()[0])
    finally:
        conn.close()


def _count(db: str, served: int, cycles: int, kills: int) -> KillReport:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        taken = conn.execute("SELECT count(*) FROM feed_entries").fetchone()[0]
        texts = [r[0] for r in conn.execute("SELECT text FROM articles")]
        bodies = [r[0] for r in conn.execute("SELECT body FROM changes ORDER BY id")]
    finally:
        conn.close()
    lost = sum(1 for n in range(served) if not any(f"update {n}." in t for t in texts))
    keys = [_what(json.loads(b)) for b in bodies]
    return KillReport(cycles, served, taken, lost, len(bodies), len(keys) - len(set(keys)), kills)


def _what(record: dict) -> str:
    """What a record says, without where it sits: two records saying the same are a duplicate."""
    part = record.get(record["kind"]) or {}
    if record["kind"] == "statement":
        return f"statement:{part['text']}"
    if record["kind"] == "source":
        return f"source:{part['article_id']}"
    return f"{record['kind']}:{json.dumps(part, sort_keys=True)}"
