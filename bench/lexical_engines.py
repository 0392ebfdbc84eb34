"""Top-k lexical search at scale: FTS5 bm25 over every match against two engines that prune.

Engines, each asked the dev questions' term queries (`search.term_query`) for the top `--depth`
passages (search.LEXICAL_DEPTH), as `hybrid_search` does:

* `full`: the store's unpruned FTS5 query (`bm25(passage_fts, 2.0, 1.0)` ORDER BY rank), the baseline;
* `pruned`: FTS5 over the candidates the rarest phrases select (`store/sqlite_terms.py`, fts5vocab
  document frequencies), every phrase still scoring them;
* `tantivy`: a side index of the same passages (tantivy, block-max WAND), built into `--tantivy DIR`
  from the store when that folder is empty (the prototype for the side-index option; needs the
  `tantivy` package on the path).

Printed per engine: p50 / p95 / mean ms per call, and the recall of its top-k passages and of its
top 12 articles (ranked by their best three passages, as `search._rank_articles_by_passages`) against
`full`. The store is opened read-only. The LAST stdout line is one JSON object.

    OMP_NUM_THREADS=1 PYTHONPATH=src python bench/lexical_engines.py --db /work/scale/s100k.db --questions 40
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsdesk.analyze.question import analyze_question  # noqa: E402
from newsdesk.model import NO_FILTERS, PassageHit, TermQuery  # noqa: E402
from newsdesk.search import LEXICAL_DEPTH, _rank_articles_by_passages, term_query  # noqa: E402
from newsdesk.store import sqlite_terms  # noqa: E402
from newsdesk.store.sqlite import SQLiteStore  # noqa: E402
from scale import DATA, dev_questions  # noqa: E402

ARTICLES = 12  # hybrid_search's default number of articles kept


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def tantivy_engine(store: SQLiteStore, folder: Path) -> Callable[[TermQuery, int], list[tuple[str, int, float]]]:
    """A tantivy index of the store's passages (built when `folder` is empty), and a search over it."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("pid", stored=False, indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name="newsdesk")
    builder.add_text_field("body", tokenizer_name="newsdesk")
    schema = builder.build()
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40))
                .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold())
                .filter(tantivy.Filter.stemmer("english")).build())
    folder.mkdir(parents=True, exist_ok=True)
    fresh = not any(folder.iterdir())
    index = tantivy.Index(schema, path=str(folder))
    index.register_tokenizer("newsdesk", analyzer)
    if fresh:
        from newsdesk.analyze.searchtext import searchable

        started = time.perf_counter()
        writer = index.writer(heap_size=200_000_000, num_threads=1)
        n = 0
        cur = store.conn.execute('SELECT p.id, p.idx, a.title, substr(a.text, p.start + 1, p."end" - p.start) '
                                 "FROM passages p JOIN articles a ON a.id = p.article_id")
        for pid, idx, title, body in cur:
            doc = tantivy.Document()
            doc.add_unsigned("pid", pid)
            doc.add_text("title", searchable(title) if idx == 0 else "")
            doc.add_text("body", searchable(body))
            writer.add_document(doc)
            n += 1
        writer.commit()
        writer.wait_merging_threads()
        print(f"tantivy: indexed {n} passages in {time.perf_counter() - started:.0f} s", flush=True)
    index.reload()
    searcher = index.searcher()

    def search(query: TermQuery, limit: int) -> list[tuple[str, int, float]]:
        parts = []
        for term in query.terms:
            words = [t for t in analyzer.analyze(term)]
            if not words:
                continue
            for field, boost in (("title", 2.0), ("body", 1.0)):
                q = (tantivy.Query.term_query(schema, field, words[0]) if len(words) == 1
                     else tantivy.Query.phrase_query(schema, field, words))
                parts.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost) if boost != 1.0 else q))
        if not parts:
            return []
        result = searcher.search(tantivy.Query.boolean_query(parts), limit, count=False)
        pids = searcher.fast_field_values("pid", [addr for _, addr in result.hits])
        found = store.passages([int(p) for p in pids])
        return [(found[int(p)].article_id, found[int(p)].index, score)
                for (score, _), p in zip(result.hits, pids, strict=True)]

    return search


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a SQLite index (opened read-only)")
    parser.add_argument("--data", type=Path, default=DATA, help="RealTime QA directory, for the questions")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--depth", type=int, default=LEXICAL_DEPTH)
    parser.add_argument("--engines", default="full,pruned", help="comma-separated: full, pruned, tantivy")
    parser.add_argument("--tantivy", type=Path, help="folder of the tantivy side index (built when empty)")
    parser.add_argument("--prune-from", type=int, help="passages from which `pruned` prunes (default: the store's)")
    parser.add_argument("--budget", type=int, help="candidate budget of `pruned` (default: sqlite_terms')")
    parser.add_argument("--score-limit", type=int, help="matches up to which a phrase scores (default: sqlite_terms')")
    args = parser.parse_args(argv)

    store = SQLiteStore(args.db, readonly=True)
    full = SQLiteStore(args.db, readonly=True)
    full.lexical_prune_from = None  # bm25 over every match: the baseline
    if args.prune_from is not None:
        store.lexical_prune_from = args.prune_from
    if args.budget is not None:
        sqlite_terms.CANDIDATE_BUDGET = args.budget
    if args.score_limit is not None:
        sqlite_terms.SCORE_LIMIT = args.score_limit
    queries = [term_query(analyze_question(q)) for q in dev_questions(args.data, args.questions)]
    engines: dict[str, Callable[[TermQuery, int], list[tuple[str, int, float]]]] = {}

    def via_store(method: Callable[[TermQuery, int, Any], list[PassageHit]]) -> Callable[..., Any]:
        return lambda q, k: [(h.passage.article_id, h.passage.index, h.score) for h in method(q, k, NO_FILTERS)]

    names = args.engines.split(",")
    engines["full"] = via_store(full.lexical_search)
    if "pruned" in names:
        engines["pruned"] = via_store(store.lexical_search)
    if "tantivy" in names:
        if not args.tantivy:
            raise SystemExit("--tantivy DIR is needed for the tantivy engine")
        engines["tantivy"] = tantivy_engine(store, args.tantivy)
    figures: dict[str, Any] = {"bench": "lexical_engines", "db": args.db, "questions": len(queries),
                               "depth": args.depth, "budget": sqlite_terms.CANDIDATE_BUDGET,
                               "score_limit": sqlite_terms.SCORE_LIMIT, "load_start": round(os.getloadavg()[0], 2)}
    reference: list[list[tuple[str, int, float]]] = []
    for name, engine in engines.items():
        engine(queries[0], args.depth)  # warm: caches, pages
        times, recall, article_recall = [], [], []
        for i, query in enumerate(queries):
            started = time.perf_counter()
            hits = engine(query, args.depth)
            times.append((time.perf_counter() - started) * 1000)
            if name == "full":
                reference.append(hits)
                continue
            want = {(a, p) for a, p, _ in reference[i]}
            if want:
                recall.append(len(want & {(a, p) for a, p, _ in hits}) / len(want))
                top = lambda rows: {a for a, r in _rank_articles_by_passages(  # noqa: E731
                    [_hit(x) for x in rows]).items() if r < ARTICLES}
                want_articles = top(reference[i])
                article_recall.append(len(want_articles & top(hits)) / len(want_articles))
        row = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
               "mean_ms": round(statistics.fmean(times), 1)}
        if recall:
            row.update(recall_passages=round(statistics.fmean(recall), 3),
                       recall_top_articles=round(statistics.fmean(article_recall), 3))
        figures[name] = row
        print(name, row, f"load {os.getloadavg()[0]:.2f}", flush=True)
    figures["load_end"] = round(os.getloadavg()[0], 2)
    if "full" in figures and "pruned" in figures:
        figures["speedup_pruned"] = round(figures["full"]["p95_ms"] / max(figures["pruned"]["p95_ms"], 0.01), 1)
    store.close()
    full.close()
    print(json.dumps(figures))
    return 0


def _hit(row: tuple[str, int, float]) -> PassageHit:
    from newsdesk.model import Passage

    aid, idx, score = row
    return PassageHit(Passage(aid, idx, 0, 0, 0, 0, ""), score)


if __name__ == "__main__":
    sys.exit(main())
