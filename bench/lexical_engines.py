"""Top-k lexical search at scale: FTS5 bm25 over every match against two ways that skip most of them.

Engines, each asked the dev questions' term queries (`search.term_query`) for the top `--depth`
passages (search.LEXICAL_DEPTH), as `hybrid_search` asks, without filters and (`--window`) within the
14 days before the index's latest date, as a question about now asks too:

* `full`: the store's FTS5 query (`bm25(passage_fts, 2.0, 1.0)` ORDER BY rank): the baseline;
* `pruned`: FTS5 over the candidates its rarest phrases select (the option measured and not taken:
  defined here only). Each phrase's matches are counted up to a cap; phrases are taken rarest first
  while their counts sum within `--budget`; the commoner ones matching at most `--score-limit`
  passages still score the candidates (merged `(rare) AND (common)` / `(rare) NOT (common)` lists, so
  scores are bm25's over the phrases kept), commoner ones are left out;
* `index`: the store's tantivy passage index (store/passage_index.py), built beside `--db` first when
  there is none (`index_build_s`). A store that must stay untouched can be reached through a symlink
  in another folder: the index is made beside the link.

Printed per engine: p50 / p95 / mean ms per call, and the recall of its top-k passages and of its top
12 articles (ranked by their best three passages, as `search._rank_articles_by_passages`) against
`full`. The store is opened read-only. The LAST stdout line is one JSON object.

    OMP_NUM_THREADS=1 PYTHONPATH=src python bench/lexical_engines.py --db s100k.db
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsdesk.analyze.question import analyze_question  # noqa: E402
from newsdesk.model import NO_FILTERS, Filters, PassageHit, TermQuery  # noqa: E402
from newsdesk.search import LEXICAL_DEPTH, RECENT_DAYS, _rank_articles_by_passages, term_query  # noqa: E402
from newsdesk.store.passage_index import folder_for  # noqa: E402
from newsdesk.store.sqlite import SQLiteStore, fts5_match  # noqa: E402
from scale import DATA, dev_questions  # noqa: E402

ARTICLES = 12  # hybrid_search's default number of articles kept
Engine = Callable[[TermQuery, int, Filters], list[PassageHit]]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def pruned_engine(store: SQLiteStore, budget: int, score_limit: int) -> Engine:
    """FTS5 pruned by the rarest phrases (see the module docstring): the alternative to the passage index."""
    conn = store.conn

    def ranked(expression: str, where: str, params: list[Any], limit: int) -> list[PassageHit]:
        rows = conn.execute(
            "SELECT p.id, bm25(passage_fts, 2.0, 1.0) AS rank FROM passage_fts JOIN passages p "
            f"ON p.id = passage_fts.rowid JOIN articles a ON a.id = p.article_id WHERE passage_fts MATCH ? {where} "
            "ORDER BY rank LIMIT ?", [expression, *params, limit]).fetchall()
        found = store.passages([r[0] for r in rows])
        return [PassageHit(found[pid], -float(rank)) for pid, rank in rows if pid in found]

    def count(phrase: str, cap: int) -> int:
        try:
            return int(conn.execute("SELECT count(*) FROM (SELECT 1 FROM passage_fts WHERE passage_fts MATCH ? "
                                    "LIMIT ?)", (fts5_match(TermQuery((phrase,))), cap)).fetchone()[0])
        except sqlite3.OperationalError:
            return 0

    def search(query: TermQuery, limit: int, filters: Filters) -> list[PassageHit]:
        where, params = store._filter_sql(filters)
        cap = max(budget, score_limit) + 1
        counts = {p: count(p, cap) for p in query.terms}
        order = sorted((p for p in query.terms if counts[p]), key=lambda p: counts[p])
        total, within = 0, 0
        for p in order:
            total += counts[p]
            if total > budget and within:
                break
            within += 1
        extra = 0
        while True:
            chosen = order[: within + extra]
            if not chosen:
                return []
            scoring = [p for p in order[len(chosen):] if counts[p] <= score_limit]
            rare = fts5_match(TermQuery(tuple(chosen)))
            if scoring:
                common = fts5_match(TermQuery(tuple(scoring)))
                hits = sorted([*ranked(f"({rare}) AND ({common})", where, params, limit),
                               *ranked(f"({rare}) NOT ({common})", where, params, limit)],
                              key=lambda h: -h.score)[:limit]
            else:
                hits = ranked(rare, where, params, limit)
            if len(hits) >= limit or len(chosen) == len(order):
                return hits
            extra = 2 * extra + 1

    return search


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a SQLite index (opened read-only)")
    parser.add_argument("--data", type=Path, default=DATA, help="RealTime QA directory, for the questions")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--depth", type=int, default=LEXICAL_DEPTH)
    parser.add_argument("--engines", default="full,index", help="comma-separated: full, pruned, index")
    parser.add_argument("--window", action="store_true", help="also search the last RECENT_DAYS days (filtered)")
    parser.add_argument("--budget", type=int, default=10_000, help="`pruned`: candidate passages")
    parser.add_argument("--score-limit", type=int, default=50_000, help="`pruned`: matches up to which a phrase scores")
    args = parser.parse_args(argv)

    figures: dict[str, Any] = {"bench": "lexical_engines", "db": args.db, "depth": args.depth,
                               "load_start": round(os.getloadavg()[0], 2)}
    full = SQLiteStore(args.db, readonly=True)
    full.passage_index_from = None  # FTS5 ranking every match: the baseline
    stores = [full]
    queries = [term_query(analyze_question(q)) for q in dev_questions(args.data, args.questions)]
    filters = [NO_FILTERS]
    if args.window:
        latest = date.fromisoformat((full.latest_published() or "")[:10])
        filters.append(replace(NO_FILTERS, since=(latest - timedelta(days=RECENT_DAYS)).isoformat(),
                               until=latest.isoformat()))
    figures.update(questions=len(queries), calls=len(queries) * len(filters), passages=full.stats()["passages"])
    engines: dict[str, Engine] = {"full": full.lexical_search}
    names = args.engines.split(",")
    if "pruned" in names:
        engines["pruned"] = pruned_engine(full, args.budget, args.score_limit)
        figures.update(pruned_budget=args.budget, pruned_score_limit=args.score_limit)
    if "index" in names:
        indexed = SQLiteStore(args.db, readonly=True)
        indexed.passage_index_from = 0
        stores.append(indexed)
        folder = folder_for(args.db)
        if not folder.exists():
            started = time.perf_counter()
            indexed.rebuild_passage_index()
            figures["index_build_s"] = round(time.perf_counter() - started, 1)
            print(f"passage index built in {figures['index_build_s']} s", flush=True)
        figures["index_mb"] = round(sum(f.stat().st_size for f in folder.iterdir()) / 2**20, 1)
        engines["index"] = indexed.lexical_search

    reference: list[list[PassageHit]] = []
    for name, engine in engines.items():
        engine(queries[0], args.depth, NO_FILTERS)  # warm: caches, pages, the index opened
        times, cpu, recall, article_recall = [], [], [], []
        calls = [(q, f) for q in queries for f in filters]
        for i, (query, where) in enumerate(calls):
            started, started_cpu = time.perf_counter(), time.process_time()
            hits = engine(query, args.depth, where)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            if name == "full":
                reference.append(hits)
                continue
            want = {(h.passage.article_id, h.passage.index) for h in reference[i]}
            if want:
                recall.append(len(want & {(h.passage.article_id, h.passage.index) for h in hits}) / len(want))
                want_articles, got_articles = top_articles(reference[i]), top_articles(hits)
                article_recall.append(len(want_articles & got_articles) / len(want_articles))
        row = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
               "mean_ms": round(statistics.fmean(times), 1),
               # CPU time of this process: less sensitive than wall time to other jobs on a busy machine.
               "cpu_p50_ms": round(statistics.median(cpu), 1), "cpu_p95_ms": round(percentile(cpu, 0.95), 1),
               "load": round(os.getloadavg()[0], 2)}
        if recall:
            row.update(recall_passages=round(statistics.fmean(recall), 3),
                       recall_top_articles=round(statistics.fmean(article_recall), 3))
        figures[name] = row
        print(name, row, flush=True)
    for name in engines:
        if name != "full":
            ratio = figures["full"]["p95_ms"] / max(figures[name]["p95_ms"], 0.01)
            figures[f"p95_ratio_full_to_{name}"] = round(ratio, 1)
    figures["load_end"] = round(os.getloadavg()[0], 2)
    for store in stores:
        store.close()
    print(json.dumps(figures))
    return 0


def top_articles(hits: list[PassageHit]) -> set[str]:
    """The articles hybrid_search would keep from this list alone: best three passages, top ARTICLES."""
    return {aid for aid, rank in _rank_articles_by_passages(hits).items() if rank < ARTICLES}


if __name__ == "__main__":
    sys.exit(main())
