"""Copies and stories on RealTime QA: cost, copy groups with a sample to check, and cluster quality.

Each RealTime QA question comes with the articles a search returned for it; those articles form
a natural cluster (one question, one news topic). The script takes an index built from that data
(`newsdesk eval realtimeqa --db` or `newsdesk ingest` of `bench/realtimeqa_to_jsonl.py` output; the
articles carry `question_id` and `week` metadata), works on a copy of it, and:

1. times the one-time organisation (MinHash, LSH, stories) of every article, per article and in all;
2. counts copy groups and prints a sample of copy pairs (titles, outlets, similarity) to check by eye;
3. replays the incremental story clustering in memory for a grid of thresholds and reports, per
   threshold pair, purity, inverse purity and adjusted Rand index (ARI) of stories against the
   question labels on the tuning weeks; the pair with the best tuning ARI is then reported on the
   held-out weeks, so the figures quoted are not the ones the thresholds were picked on.

    PYTHONPATH=src .venv/bin/python bench/cluster_quality.py /tmp/rt/lead.db [--tune-weeks 6] [--sample 12]

The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from math import comb
from pathlib import Path

from newsdesk.ingest import stories as story_rules
from newsdesk.ingest.organize import Organizer, refresh_stories
from newsdesk.ingest.stories import StoryIndex, story_item
from newsdesk.store.sqlite import SQLiteStore


def adjusted_rand(labels: Sequence[str], clusters: Sequence[int]) -> float:
    """Hubert and Arabie's ARI from the contingency table of two partitions of the same items."""
    n = len(labels)
    if n < 2:
        return 1.0
    table = Counter(zip(labels, clusters, strict=True))
    index = sum(comb(c, 2) for c in table.values())
    rows = sum(comb(c, 2) for c in Counter(labels).values())
    cols = sum(comb(c, 2) for c in Counter(clusters).values())
    expected = rows * cols / comb(n, 2)
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def purity(labels: Sequence[str], clusters: Sequence[int]) -> float:
    """Share of items whose cluster's most common label is theirs (1.0 for all singletons: read with ARI)."""
    by_cluster: dict[int, Counter[str]] = defaultdict(Counter)
    for label, cluster in zip(labels, clusters, strict=True):
        by_cluster[cluster][label] += 1
    return sum(c.most_common(1)[0][1] for c in by_cluster.values()) / max(1, len(labels))


def scores(labels: dict[str, str], assignment: dict[str, int], ids: list[str]) -> dict[str, float]:
    ls = [labels[i] for i in ids]
    cs = [assignment[i] for i in ids]
    return {"purity": round(purity(ls, cs), 4), "inverse_purity": round(purity(cs, ls), 4),  # type: ignore[arg-type]
            "ari": round(adjusted_rand(ls, cs), 4), "articles": len(ids), "stories": len(set(cs)),
            "labels": len(set(ls))}


def _next_batch_cost(store: SQLiteStore, batch: int = 200) -> dict[str, float]:
    """What a new ingest call pays: loading the LSH and stories once, then each new article's check.

    The last `batch` articles are forgotten and organised again against all the others.
    """
    last = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY rowid DESC LIMIT ?", (batch,))]
    marks = ",".join("?" * len(last))
    for table in ("signatures", "copies", "story_members"):
        store.conn.execute(f"DELETE FROM {table} WHERE article_id IN ({marks})", last)
    store.conn.execute("DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM story_members)")
    organizer = Organizer(store)
    start = time.perf_counter()
    organizer._load()
    loaded = time.perf_counter()
    organizer.run()
    done = time.perf_counter()
    return {"indexed": store.article_count() - len(last), "load_seconds": round(loaded - start, 3),
            "ms_per_new_article": round(1000 * (done - loaded) / len(last), 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", type=Path, help="an index of RealTime QA articles (read only: a copy is used)")
    parser.add_argument("--tune-weeks", type=int, default=6, help="the first N weeks tune, the rest report")
    parser.add_argument("--sample", type=int, default=12, help="copy pairs to print for checking")
    args = parser.parse_args(argv)
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "index.db"
        shutil.copyfile(args.db, db)
        store = SQLiteStore(db)
        store.conn.execute("DELETE FROM signatures")  # organise from scratch, even a copy of an organised index
        store.conn.execute("DELETE FROM copies")
        store.conn.execute("DELETE FROM story_members")
        store.conn.execute("DELETE FROM stories")
        n = store.article_count()
        start = time.perf_counter()
        refresh_stories(store, lambda done, todo: print(f"organised {done}/{todo}", file=sys.stderr))
        seconds = time.perf_counter() - start
        out["organise"] = {"articles": n, "seconds": round(seconds, 2), "ms_per_article": round(1000 * seconds / n, 2)}
        out["next_batch"] = _next_batch_cost(store)
        print(f"organise: {out['organise']}\nnext batch against the whole index: {out['next_batch']}")
        copies = store.conn.execute("SELECT article_id, original_id, similarity FROM copies").fetchall()
        out["copies"] = {"copies": len(copies), "groups": len({o for _, o, _ in copies}),
                         "articles_in_groups": len({a for a, _, _ in copies} | {o for _, o, _ in copies})}
        ids = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY rowid")]
        articles = store.articles(ids)
        print(f"\n{len(copies)} copies in {out['copies']['groups']} groups; a sample to check:")  # type: ignore[index]
        for aid, original, sim in random.Random(7).sample(copies, min(args.sample, len(copies))):
            a, o = articles[aid], articles[original]
            print(f"  {sim:.2f}  {o.outlet} | {o.title[:70]} | {' '.join(o.text[:80].split())}\n"
                  f"        {a.outlet} | {a.title[:70]} | {' '.join(a.text[:80].split())}")
        vectors = store.lead_vectors(ids)
        mentions = defaultdict(list)
        for m in store.mentions(ids):
            mentions[m.article_id].append(m)
        items = [story_item(articles[i], vectors.get(i), mentions[i]) for i in ids]
        original_of = {a: o for a, o, _ in copies}
        labels = {i: str(articles[i].metadata.get("question_id")) for i in ids}
        weeks = sorted({str(articles[i].metadata.get("week")) for i in ids})
        tune = set(weeks[: args.tune_weeks])
        tune_ids = [i for i in ids if str(articles[i].metadata.get("week")) in tune]
        test_ids = [i for i in ids if str(articles[i].metadata.get("week")) not in tune]
        grid = []
        for alone in (0.6, 0.65, 0.7, 0.75, 0.8):
            for with_name in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
                if with_name > alone:
                    continue
                index = StoryIndex([], {}, join_alone=alone, join_with_name=with_name)
                for item in items:
                    index.place(item, original_of.get(item.article_id))
                grid.append({"join_alone": alone, "join_with_name": with_name,
                             "tune": scores(labels, index.members, tune_ids),
                             "test": scores(labels, index.members, test_ids)})
        print("\njoin_alone join_with_name | tune: purity inv.purity ARI stories | test: purity inv.purity ARI")
        for row in grid:
            t, h = row["tune"], row["test"]
            print(f"  {row['join_alone']:.2f}  {row['join_with_name']:.2f} | {t['purity']:.3f} "
                  f"{t['inverse_purity']:.3f} {t['ari']:.3f} {t['stories']:4d} | "
                  f"{h['purity']:.3f} {h['inverse_purity']:.3f} {h['ari']:.3f}")
        best = max(grid, key=lambda r: r["tune"]["ari"])  # type: ignore[index]
        current = next((r for r in grid if r["join_alone"] == story_rules.JOIN_ALONE
                        and r["join_with_name"] == story_rules.JOIN_WITH_NAME), None)
        out.update({"tune_weeks": sorted(tune), "test_weeks": sorted(set(weeks) - tune), "best_on_tune": best,
                    "shipped": current, "grid": grid})
        print(f"\nbest on tuning weeks: {best}\nshipped thresholds: {current}")
        store.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
