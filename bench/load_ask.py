"""A bounded load test of `POST /api/ask` over loopback: requests/s and p50/p95 latency.

It starts `newsdesk serve` in a child process on a free 127.0.0.1 port (over `--db`, or over a
new index of examples/articles and ../shared/quetta/articles), sends `--requests` questions from
`--concurrency` client threads in this process, and stops by itself after the last request or
after `--max-seconds`, whichever comes first. `--url` points it at a server already running, but
only on a loopback address: this is never a load generator for anything else.

Human-readable lines go to stdout; the LAST line is one JSON object with every figure::

    .venv/bin/python bench/load_ask.py [--requests 200] [--concurrency 4] [--db PATH | --url URL]
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [ROOT / "examples" / "articles", ROOT.parent / "shared" / "quetta" / "articles"]
EXTRA_QUESTIONS = ["What does ISIS think of Pakistan?", "How many people were killed in the Quetta attack?"]


def questions() -> list[str]:
    """The examples' questions plus the running example's: a realistic mix of question types."""
    listed = (ROOT / "examples" / "questions.txt").read_text(encoding="utf-8").splitlines()
    return [q.strip() for q in listed if q.strip()] + EXTRA_QUESTIONS


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_index(db: Path) -> None:
    paths = [str(p) for p in CORPUS if p.is_dir()]
    subprocess.run([sys.executable, "-m", "newsdesk.cli", "ingest", "-q", "--db", str(db), *paths], check=True,
                   stdout=subprocess.DEVNULL)


def start_server(db: Path, log: Path, extra: list[str] | None = None, wait: float = 60.0,
                 ) -> tuple[subprocess.Popen[bytes], str]:
    """`newsdesk serve` on a free loopback port (no token), once it answers /api/health; `extra`: more options."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_TOKEN"}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "newsdesk.cli", "serve", "--db", str(db), "--port", str(port),
                                 *(extra or [])], stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit(f"the server did not start within {wait:.0f} s")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def run_load(url: str, total: int, concurrency: int, max_seconds: float, token: str | None) -> dict[str, object]:
    """Send `total` asks from `concurrency` threads; each thread keeps one connection open."""
    asked = questions()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    counter = iter(range(total))
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            while time.monotonic() < deadline:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                started = time.perf_counter()
                try:
                    response = client.post("/api/ask", json={"question": asked[i % len(asked)]})
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - started
                with lock:
                    statuses[status] += 1
                    if status == "200":
                        latencies.append(elapsed)

    # Warm-up: models load and the vector cache fills before the clock starts.
    httpx.post(f"{url}/api/ask", json={"question": asked[0]}, headers=headers, timeout=120).raise_for_status()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    done = sum(statuses.values())
    return {
        "requests": done,
        "ok": statuses.get("200", 0),
        "errors": done - statuses.get("200", 0),
        "statuses": dict(statuses),
        "concurrency": concurrency,
        "wall_s": round(wall, 3),
        "requests_per_s": round(done / wall, 2) if wall else 0.0,
        "p50_ms": round(1000 * percentile(latencies, 0.50), 1),
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
        "mean_ms": round(1000 * statistics.fmean(latencies), 1) if latencies else 0.0,
        "max_ms": round(1000 * max(latencies), 1) if latencies else 0.0,
        "stopped_by_time_limit": done < total,
        "distinct_questions": len(asked),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="asks to send (default 200)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="stop sending after this long")
    parser.add_argument("--db", type=Path, help="serve this index (default: a new one of the examples)")
    parser.add_argument("--url", help="a running server on a loopback address instead of starting one")
    parser.add_argument("--token", default=os.environ.get("NEWSDESK_TOKEN"), help="bearer token for --url")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 100_000 or not 1 <= args.concurrency <= 64 or args.max_seconds <= 0:
        parser.error("--requests 1..100000, --concurrency 1..64, --max-seconds > 0")
    if args.url and not is_loopback(args.url):
        parser.error("--url must be a loopback address (127.0.0.0/8, ::1 or localhost)")

    server = None
    with tempfile.TemporaryDirectory(prefix="newsdesk-load-") as tmp:
        try:
            url = args.url
            if url is None:
                db = args.db
                if db is None:
                    db = Path(tmp) / "load.db"
                    print("building an index of the examples…", file=sys.stderr)
                    build_index(db)
                server, url = start_server(db, Path(tmp) / "server.log")
            figures = run_load(url.rstrip("/"), args.requests, args.concurrency, args.max_seconds,
                               args.token if args.url else None)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=10)
    figures["machine"] = f"{platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}"
    print(f"POST /api/ask: {figures['requests']} requests, concurrency {figures['concurrency']}, "
          f"{figures['wall_s']} s")
    print(f"  {figures['requests_per_s']} requests/s; latency p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
          f"max {figures['max_ms']} ms; errors {figures['errors']}")
    print(json.dumps(figures))
    return 0 if figures["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
