"""Which way of cutting Chinese text makes BM25 find the right passage? Measured on RGB zh_refine.

For each question, its positive and negative passages go into a fresh in-memory FTS5 table (the
tokenizer newsdesk uses), each passage cut by one method; the question is cut the same way and
its words ORed (stop words dropped). Reported per method: the share of questions whose top hit is
a positive passage (hit@1), a positive among the top 5 (hit@5), and the mean reciprocal rank of
the first positive. BM25 alone: no vectors.

    OMP_NUM_THREADS=1 PYTHONPATH=src python bench/zh_fts_tokenizers.py ../shared/data/rgb/zh_refine.json [N]
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

from newsdesk.analyze.searchtext import _segmenter, searchable
from newsdesk.analyze.terms import stopwords

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[^\W_]+")


def whole_runs(text: str) -> str:
    return text  # unicode61 as is: a run of Han characters is one token


def jieba_precise(text: str) -> str:
    return _HAN_RUN.sub(lambda m: " " + " ".join(_segmenter().cut(m.group(0))) + " ", text)


def bigrams(text: str) -> str:
    def cut(run: str) -> str:
        return " ".join(run[i:i + 2] for i in range(max(1, len(run) - 1)))
    return _HAN_RUN.sub(lambda m: " " + cut(m.group(0)) + " ", text)


METHODS: dict[str, Callable[[str], str]] = {
    "unicode61 (no cutting)": whole_runs,
    "jieba precise": jieba_precise,
    "jieba search (newsdesk)": searchable,
    "character bigrams": bigrams,
}


def query_terms(question: str, cut: Callable[[str], str]) -> list[str]:
    stops = stopwords("zh")
    words = [w.lower() for w in _WORD.findall(cut(question))]
    return list(dict.fromkeys(w for w in words if w not in stops and (len(w) > 1 or w.isdigit())))


def rank_of_first_positive(record: dict, cut: Callable[[str], str]) -> int | None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, kind UNINDEXED, "
                 "tokenize = 'porter unicode61 remove_diacritics 2')")
    for kind in ("positive", "negative"):
        for text in record.get(kind) or []:
            conn.execute("INSERT INTO t (body, kind) VALUES (?, ?)", (cut(text), kind))
    terms = query_terms(record["query"], cut)
    if not terms:
        return None
    expr = " OR ".join('"' + t.replace('"', " ") + '"' for t in terms)
    rows = conn.execute("SELECT kind FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 50", (expr,)).fetchall()
    conn.close()
    return next((i for i, (kind,) in enumerate(rows, 1) if kind == "positive"), None)


def main() -> None:
    path = Path(sys.argv[1])
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else None
    records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()][:limit]
    print(f"{len(records)} questions from {path.name}")
    print(f"{'method':26s} {'hit@1':>6s} {'hit@5':>6s} {'MRR':>6s} {'seconds':>8s}")
    for name, cut in METHODS.items():
        started = time.perf_counter()
        ranks = [rank_of_first_positive(r, cut) for r in records]
        n = len(ranks)
        hit1 = sum(1 for r in ranks if r == 1) / n
        hit5 = sum(1 for r in ranks if r is not None and r <= 5) / n
        mrr = sum(1 / r for r in ranks if r) / n
        print(f"{name:26s} {hit1:6.3f} {hit5:6.3f} {mrr:6.3f} {time.perf_counter() - started:8.1f}")


if __name__ == "__main__":
    main()
