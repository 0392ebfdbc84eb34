"""How `newsdesk serve` holds up with many readers: 1 client, then 20, asking for `--seconds` each, then searches
while an ingest job runs.

It serves a copy of a 10 k-article index (built by bench/scale.py when `--db` does not exist yet), so the
ingest probe never changes the index it was given. Questions are the RealTime QA dev weeks' `question_sentence`s,
each sent once (cycled only when the run outlasts them). The search probe times `GET /api/search` one request
after another: first idle, then while `POST /api/ingest/jsonl?background=true` adds `--ingest` articles (RealTime
QA 2023 search results, not in the dev index); ratio = p95 during the ingest / p95 idle.

Figures: requests/s, p50/p95 latency, errors (any answer but 200, or a client-side failure), the ratio of the
20-client throughput to the 1-client throughput, and the 1-minute load average after each phase. The LAST stdout
line is one JSON object::

    OMP_NUM_THREADS=1 .venv/bin/python bench/serve_load.py --db s10k.db [--base dev.db] [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "realtimeqa-dev"
NEW = ROOT.parent / "shared" / "data" / "realtimeqa-2023"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_ask import percentile  # noqa: E402  (a sibling script, not a package)
from load_ask import start_server as start_reading_server  # noqa: E402


def dev_questions() -> list[str]:
    """Every dev week's `question_sentence`, in a fixed shuffled order (seeded), duplicates dropped."""
    seen: dict[str, None] = {}
    for path in sorted(DEV.glob("*_qa.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.setdefault(json.loads(line)["question_sentence"].strip(), None)
    questions = [q for q in seen if q]
    random.Random(7).shuffle(questions)
    return questions


def new_articles(count: int) -> bytes:
    """`count` articles as JSON Lines from the 2023 search results: news the dev index does not hold."""
    lines: list[str] = []
    urls: set[str] = set()
    for path in sorted(NEW.glob("*_gcs.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for result in json.loads(line).get("search_result", []) if line.strip() else []:
                text, url = (result.get("text") or "").strip(), result.get("url") or ""
                if len(text) < 400 or url in urls:
                    continue
                urls.add(url)
                lines.append(json.dumps({"url": url, "title": result.get("title") or "", "text": text,
                                         "outlet": urlsplit(url).hostname or "web"}))
                if len(lines) == count:
                    return "\n".join(lines).encode()
    return "\n".join(lines).encode()


def ensure_index(db: Path, base: Path | None) -> None:
    if db.exists():
        return
    if base is None:
        raise SystemExit(f"{db} does not exist: give --base DEV.db (an index built by `newsdesk ingest`) to build it")
    print(f"building {db} (10 k articles, about 5 minutes)…", file=sys.stderr)
    subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--base", str(base), "--articles", "10000",
                    "--db", str(db)], check=True, stdout=subprocess.DEVNULL)


def copy_index(db: Path, to: Path) -> None:
    """A consistent copy (SQLite's backup API, WAL included), so the ingest probe leaves `db` as it was."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as source, sqlite3.connect(to) as target:
        source.backup(target)


def start_server(db: Path, log: Path, workers: int | None) -> tuple[subprocess.Popen[bytes], str]:
    """The server with its reader pool; workers load their models before it answers, hence the longer wait."""
    return start_reading_server(db, log, ["--reader-workers", str(workers)] if workers is not None else [], 300.0)


def load(url: str, clients: int, seconds: float, questions: list[str], start: int) -> dict[str, Any]:
    """`clients` threads asking distinct questions back to back for `seconds`; each keeps one connection."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    next_question = iter(range(start, start + 10**9))
    stop_at = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(base_url=url, timeout=300) as http:
            while time.monotonic() < stop_at:
                with lock:
                    question = questions[next(next_question) % len(questions)]
                began = time.perf_counter()
                try:
                    status = str(http.post("/api/ask", json={"question": question}).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                took = time.perf_counter() - began
                with lock:
                    statuses[status] += 1
                    if status == "200":
                        latencies.append(took)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    done = sum(statuses.values())
    return {
        "clients": clients, "requests": done, "errors": done - statuses.get("200", 0), "statuses": dict(statuses),
        "wall_s": round(wall, 1), "requests_per_s": round(statuses.get("200", 0) / wall, 3),
        "p50_ms": round(1000 * percentile(latencies, 0.50)), "p95_ms": round(1000 * percentile(latencies, 0.95)),
        "max_ms": round(1000 * max(latencies)) if latencies else 0, "load_1m": round(os.getloadavg()[0], 2),
    }


def searches(url: str, queries: list[str], until: Any) -> dict[str, Any]:
    """Searches one after another (distinct queries) until `until()` is true; their latencies."""
    latencies: list[float] = []
    errors = 0
    with httpx.Client(base_url=url, timeout=300) as http:
        for n in range(10**9):
            if until(n):
                break
            began = time.perf_counter()
            response = http.get("/api/search", params={"q": queries[n % len(queries)]})
            took = time.perf_counter() - began
            if response.status_code == 200:
                latencies.append(took)
            else:
                errors += 1
    return {"searches": len(latencies), "errors": errors, "p50_ms": round(1000 * percentile(latencies, 0.5), 1),
            "p95_ms": round(1000 * percentile(latencies, 0.95), 1), "load_1m": round(os.getloadavg()[0], 2)}


def search_during_ingest(url: str, queries: list[str], articles: int) -> dict[str, Any]:
    idle = searches(url, queries, lambda n: n >= 40)
    body = new_articles(articles)
    started = httpx.post(f"{url}/api/ingest/jsonl", params={"background": "true"}, content=body,
                         headers={"Content-Type": "application/x-ndjson"}, timeout=300)
    started.raise_for_status()
    job_url = f"{url}{started.json()['url']}"
    state: dict[str, Any] = {}

    def job_done(n: int) -> bool:
        if n % 5 == 0:
            state.update(httpx.get(job_url, timeout=60).json())
        return state.get("state") in ("done", "failed")

    during = searches(url, queries[40:], job_done)
    while state.get("state") not in ("done", "failed"):
        time.sleep(1)
        state.update(httpx.get(job_url, timeout=60).json())
    ratio = round(during["p95_ms"] / idle["p95_ms"], 2) if idle["p95_ms"] else None
    return {"idle": idle, "during_ingest": during, "ingest": {k: state.get(k) for k in
            ("state", "inputs", "added", "known", "failed", "seconds")}, "p95_ratio": ratio}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="the 10 k index (built from --base if missing)")
    parser.add_argument("--base", type=Path, help="the dev index to build --db from (bench/scale.py --base)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each load phase")
    parser.add_argument("--clients", type=int, default=20, help="clients of the concurrent phase")
    parser.add_argument("--reader-workers", type=int, help="passed to serve (default: its setting, one per core)")
    parser.add_argument("--ingest", type=int, default=300, help="articles the ingest probe adds")
    args = parser.parse_args(argv)
    ensure_index(args.db, args.base)
    questions = dev_questions()
    with tempfile.TemporaryDirectory(prefix="newsdesk-serve-load-", dir=args.db.parent) as tmp:
        work = Path(tmp) / "copy.db"
        copy_index(args.db, work)
        server, url = start_server(work, Path(tmp) / "server.log", args.reader_workers)
        try:
            # Warm-up outside the clock: every worker has loaded its models before it says it is ready; these
            # few questions also settle the page cache.
            load(url, 2, 5, questions, start=len(questions) // 2)
            one = load(url, 1, args.seconds, questions, start=0)
            many = load(url, args.clients, args.seconds, questions, start=one["requests"])
            probe = search_during_ingest(url, questions, args.ingest)
        finally:
            server.terminate()
            server.wait(timeout=60)
    ratio = round(many["requests_per_s"] / one["requests_per_s"], 2) if one["requests_per_s"] else None
    figures = {
        "bench": "serve_load", "db": str(args.db), "one_client": one, "many_clients": many,
        "throughput_ratio": ratio, "search_probe": probe, "questions": len(questions),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}",
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }
    for phase in (one, many):
        print(f"{phase['clients']:>2} client(s): {phase['requests_per_s']} asks/s, p50 {phase['p50_ms']} ms, "
              f"p95 {phase['p95_ms']} ms, errors {phase['errors']} {phase['statuses']}, load {phase['load_1m']}")
    print(f"throughput {args.clients} clients / 1 client: {ratio}")
    idle, during = probe["idle"], probe["during_ingest"]
    print(f"search idle p50 {idle['p50_ms']} ms p95 {idle['p95_ms']} ms; during ingest of {probe['ingest']['added']} "
          f"articles p50 {during['p50_ms']} ms p95 {during['p95_ms']} ms ({during['searches']} searches); "
          f"p95 ratio {probe['p95_ratio']}; load {during['load_1m']}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
