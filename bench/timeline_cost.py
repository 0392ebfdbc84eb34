"""What event dates cost: ms per article if resolved at ingest, and the time of `newsdesk timeline` queries.

Reads the stored articles of an index (never writes to it: opened read-only), runs
`analyze.event_dates.find_dates` over every sentence of the first N articles as ingest would,
then times `Desk.timeline` for each query given. The last line is one JSON object::

    .venv/bin/python bench/timeline_cost.py /tmp/copy-of-index.db --limit 300 \
        --query "What happened in the Uvalde school shooting?" --query "..."
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from newsdesk.analyze.event_dates import find_dates, language
from newsdesk.answer import timeline as timeline_module
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.render.timeline import render_timeline
from newsdesk.store.open import open_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db")
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--query", action="append", default=[])
    parser.add_argument("--show", action="store_true", help="Print each timeline as the terminal shows it.")
    args = parser.parse_args(argv)

    store = open_store(args.db, readonly=True)
    ids = store.article_ids()[: args.limit]
    articles = store.articles(ids)
    sentences = {aid: store.sentences(aid) for aid in ids}
    store.close()
    for code in {a.language for a in articles.values()}:
        language(code)  # compiled once per language per process, as at ingest
    per_article, found, resolved = [], 0, 0
    for aid in ids:
        article = articles[aid]
        start = time.perf_counter()
        dates = [d for s in sentences[aid] for d in find_dates(s.text, article.language, article.published)]
        per_article.append((time.perf_counter() - start) * 1000)
        found += len(dates)
        resolved += sum(d.resolved for d in dates)
    figures: dict[str, object] = {
        "articles": len(ids),
        "sentences": sum(len(v) for v in sentences.values()),
        "dates_found": found,
        "dates_resolved": resolved,
        "ms_per_article_mean": round(statistics.mean(per_article), 3) if per_article else 0.0,
        "ms_per_article_p95": round(sorted(per_article)[int(0.95 * (len(per_article) - 1))], 3) if per_article else 0,
    }
    spent = {"ms": 0.0, "sentences": 0}

    def timed_find_dates(*a: object, **k: object) -> object:  # the query-time share of date resolution
        start = time.perf_counter()
        try:
            return find_dates(*a, **k)  # type: ignore[arg-type]
        finally:
            spent["ms"] += (time.perf_counter() - start) * 1000
            spent["sentences"] += 1

    timeline_module.find_dates = timed_find_dates  # type: ignore[assignment]
    if args.query:
        with Desk(args.db, load_config(db=args.db)) as desk:
            desk.timeline(args.query[0])  # warm: models loaded, vectors cached
            for query in args.query:
                spent.update(ms=0.0, sentences=0)
                start = time.perf_counter()
                timeline = desk.timeline(query)
                ms = (time.perf_counter() - start) * 1000
                if args.show:
                    print(render_timeline(timeline))
                bases: dict[str, int] = {}
                for entry in timeline.entries:
                    bases[entry.basis] = bases.get(entry.basis, 0) + 1
                figures.setdefault("queries", []).append({  # type: ignore[union-attr]
                    "query": query, "ms": round(ms, 1), "entries": len(timeline.entries),
                    "sources": len(timeline.sources), "bases": bases,
                    "differing": sum(1 for e in timeline.entries if e.differs),
                    "date_sentences": spent["sentences"], "date_ms": round(spent["ms"], 1),
                })
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
