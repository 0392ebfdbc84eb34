"""A digest of the stored analysis (claims, mentions, relations) of dev articles, to compare two ways of running it.

Why: a speed change to analysis must leave what is stored unchanged. Run it twice, e.g. with batches
of 64 and of 1, or on two branches, and compare the last lines (one JSON object each):

    PYTHONPATH=src .venv/bin/python tools/analysis_digest.py --articles 300 --batch 64
    PYTHONPATH=src .venv/bin/python tools/analysis_digest.py --articles 300 --batch 1

The articles are every k-th result of the RealTime QA dev weeks (../shared/data/realtimeqa-dev).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from newsdesk.analyze.passages import make_passages
from newsdesk.analyze.sentences import split_sentences
from newsdesk.analyze.steps import DEFAULT_STEPS, run_steps
from newsdesk.eval.realtimeqa import iter_raw_articles
from newsdesk.ingest.normalize import normalize
from newsdesk.model import AnalyzedArticle

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "realtimeqa-dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--batch", type=int, default=64, help="articles analysed together (default: %(default)s)")
    args = parser.parse_args()
    weeks = sorted(p.name.split("_")[0] for p in args.data.glob("*_gold.jsonl"))
    docs = list(iter_raw_articles(args.data, weeks))
    step = max(1, len(docs) // args.articles)
    articles = list({a.id: a for a in (normalize(d) for d in docs[::step][: args.articles])}.values())
    items = []
    for article in articles:
        sentences = split_sentences(article.id, article.text, article.language)
        items.append(AnalyzedArticle(article, sentences, make_passages(article.id, article.text, sentences), None))
    for start in range(0, len(items), args.batch):
        run_steps(items[start : start + args.batch], DEFAULT_STEPS)
    digests = {}
    for item in items:
        found = [[asdict(c) for c in item.claims], [asdict(m) for m in item.mentions],
                 [asdict(r) for r in item.relations]]
        digests[item.article.id] = hashlib.sha256(json.dumps(found, sort_keys=True, default=str).encode()).hexdigest()
    total = hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest()
    print(json.dumps({"articles": len(items), "batch": args.batch, "digest": total,
                      "claims": sum(len(i.claims) for i in items), "mentions": sum(len(i.mentions) for i in items),
                      "relations": sum(len(i.relations) for i in items), "per_article": digests}))


if __name__ == "__main__":
    main()
