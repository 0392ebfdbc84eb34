"""Where one warm `ask` spends its time, stage by stage, against a plain FTS5 baseline in the same run.

One process, one read-only Desk over `--db` (an index built from the RealTime QA dev articles), asked
the dev questions (`question_sentence` of ../shared/data/realtimeqa-dev/*_qa.jsonl). The stages of
`Desk.ask` are wrapped with timers that nest: each stage's time is its own, without the stages inside
it, so the stages add up to the ask:

    question    analyze_question          lexical   store.lexical_search (FTS5 / tsvector)
    query_vec   embedding the question    dense     store.dense_search
    fuse        the rest of hybrid_search collect   collect_sentences and loading the sentences
    articles    store.articles            rerank.embed     embedding candidate sentences (cache misses)
    rerank.features  the rest of rank_sentences (words, form, learned ranker, sentence-vector cache)
    compose, conflicts, relations, timeline (with timeline.embed), stories, other (the rest of ask)

Per stage: p50 / p95 over the questions of its wall time per question, and its CPU p50; the ask's total
wall and CPU time. The baseline is the bench/run.py one: an FTS5 table of the same articles' title and text
(porter unicode61, built in a temporary folder) queried with the question's content words OR-ed, top 5.
The sentence-vector cache (analyze/embedding.py) keeps what earlier questions embedded, as in a serving
process; `--fresh-sentences` empties it before every question (no question shares sentences). The first
`--warm` asks, of a question of its own, load the models and are not counted. Prints the 1-minute load
average; the LAST line of stdout is one JSON object::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python bench/ask_stages.py --db DB [--questions 60]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
from run import BASELINE_TOP_K, baseline_query, patched  # noqa: E402  (bench/run.py: one definition of the baseline)

DEFAULT_QUESTIONS = BENCH_DIR.parent.parent / "shared" / "data" / "realtimeqa-dev"
WARM_UP = "What happened this week?"  # loads the models; not one of the questions timed, so it caches none of theirs
STAGES = ("question", "query_vec", "lexical", "dense", "fuse", "collect", "articles", "rerank.embed",
          "rerank.features", "compose", "conflicts", "relations", "timeline", "timeline.embed", "stories", "other")


class NestedTimer:
    """Wall and CPU time per stage, each stage's own (the stages called inside it taken out), per question.

    CPU time (this process, every thread) says what a stage costs on a busy machine, where wall time
    also counts waiting for a core.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._stack: list[list[Any]] = []  # [name, wall start, CPU start, wall and CPU of the stages inside]

    def wrap(self, name: str, func: Callable[..., Any], nested_name: Callable[[str], str] | None = None
             ) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            label = nested_name(self._stack[-1][0]) if nested_name and self._stack else name
            self._stack.append([label, time.perf_counter(), time.process_time(), 0.0, 0.0])
            try:
                return func(*args, **kwargs)
            finally:
                label, start, cpu_start, inner, inner_cpu = self._stack.pop()
                elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
                self.seconds[label] = self.seconds.get(label, 0.0) + elapsed - inner
                self.cpu[label] = self.cpu.get(label, 0.0) + cpu - inner_cpu
                if self._stack:
                    self._stack[-1][3] += elapsed
                    self._stack[-1][4] += cpu

        return timed


def dev_questions(folder: Path, limit: int | None) -> list[str]:
    out: list[str] = []
    for path in sorted(glob.glob(str(folder / "*_qa.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            out.extend(json.loads(line)["question_sentence"] for line in handle if line.strip())
    if not out:
        raise SystemExit(f"no questions in {folder}/*_qa.jsonl")
    if limit and limit < len(out):
        step = len(out) / limit
        out = [out[int(i * step)] for i in range(limit)]  # spread over the weeks
    return out


def percentiles(values: list[float]) -> dict[str, float]:
    ms = np.asarray(values or [0.0], dtype=np.float64) * 1000.0
    return {"p50": round(float(np.percentile(ms, 50)), 2), "p95": round(float(np.percentile(ms, 95)), 2)}


def baseline(db: str, questions: list[str], workdir: Path) -> dict[str, Any]:
    """The plain FTS5 baseline over the index's articles: build once, then time one query per question."""
    base = workdir / "baseline.db"
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn = sqlite3.connect(base, isolation_level=None)
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(title, text, url UNINDEXED, tokenize='porter unicode61')")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO docs (title, text, url) VALUES (?, ?, ?)",
                     source.execute("SELECT coalesce(title, ''), text, coalesce(url, '') FROM articles"))
    conn.execute("COMMIT")
    source.close()
    latencies = []
    for question in questions:
        start = time.perf_counter()
        query = baseline_query(question)
        if query:
            conn.execute("SELECT url FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?",
                         (query, BASELINE_TOP_K)).fetchall()
        latencies.append(time.perf_counter() - start)
    conn.close()
    return percentiles(latencies)


def measure(db: str, questions: list[str], warm: int, fresh_sentences: bool) -> dict[str, Any]:
    import newsdesk.desk as desk_module
    from newsdesk.analyze import embedding
    from newsdesk.desk import Desk

    # Also runs on a version without the sentence-vector cache (to compare): no counts, nothing to empty.
    counts = getattr(embedding, "sentence_vector_counts", lambda _embedder: (0, 0))
    clear = getattr(embedding, "clear_sentence_vectors", lambda: None)
    desk = Desk(db, readonly=True)
    embedder = desk.embedder
    timer = NestedTimer()
    per_question: list[dict[str, float]] = []
    per_question_cpu: list[dict[str, float]] = []
    walls: list[float] = []
    start_counts = (0, 0)
    cpus: list[float] = []
    with ExitStack() as stack:
        for module, name, stage in (
            (desk_module, "analyze_question", "question"), (desk_module, "hybrid_search", "fuse"),
            (desk_module, "collect_sentences", "collect"), (desk_module, "rank_sentences", "rerank.features"),
            (desk_module, "compose_brief", "compose"), (desk_module, "add_conflicts", "conflicts"),
            (desk_module, "add_relations", "relations"), (desk_module, "timeline_for", "timeline"),
            (desk_module, "attach_timeline", "timeline"), (desk_module, "add_stories", "stories"),
        ):
            stack.enter_context(patched(module, name, timer.wrap(stage, getattr(module, name))))
        for method, stage in (("lexical_search", "lexical"), ("dense_search", "dense"), ("articles", "articles")):
            stack.enter_context(patched(desk.store, method, timer.wrap(stage, getattr(desk.store, method))))
        stack.enter_context(patched(embedder, "embed_queries", timer.wrap("query_vec", embedder.embed_queries)))
        # Sentence embedding is named after the stage it serves (ranking, the timeline).
        labels = {"rerank.features": "rerank.embed", "timeline": "timeline.embed"}
        stack.enter_context(patched(embedder, "embed_passages", timer.wrap(
            "embed", embedder.embed_passages, lambda parent: labels.get(parent, parent + ".embed"))))
        for n, question in enumerate(questions):
            if fresh_sentences:
                clear()
            timer.seconds, timer.cpu = {}, {}
            wall, cpu = time.perf_counter(), time.process_time()
            desk.ask(question)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if n < warm:
                start_counts = counts(embedder)
                continue
            stages = dict(timer.seconds)
            stages["other"] = wall - sum(stages.values())
            per_question.append(stages)
            stages_cpu = dict(timer.cpu)
            stages_cpu["other"] = cpu - sum(stages_cpu.values())
            per_question_cpu.append(stages_cpu)
            walls.append(wall)
            cpus.append(cpu)
    hits, misses = (now - before for now, before in zip(counts(embedder), start_counts, strict=True))
    desk.close()
    names = list(dict.fromkeys([*STAGES, *(s for q in per_question for s in q)]))  # unnamed stages show too
    stages_out = {s: {**percentiles([q.get(s, 0.0) for q in per_question]),
                      "cpu_p50": percentiles([q.get(s, 0.0) for q in per_question_cpu])["p50"]} for s in names}
    rerank = [q.get("rerank.embed", 0.0) + q.get("rerank.features", 0.0) for q in per_question]
    rerank_cpu = [q.get("rerank.embed", 0.0) + q.get("rerank.features", 0.0) for q in per_question_cpu]
    return {"ask": percentiles(walls), "ask_cpu": percentiles(cpus),
            "rerank": {**percentiles(rerank), "cpu_p50": percentiles(rerank_cpu)["p50"]},
            "stages": stages_out, "sentence_cache_hits": hits, "sentence_cache_misses": misses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="an index (opened read-only)")
    parser.add_argument("--questions", type=int, default=60, help="how many dev questions, spread over the weeks")
    parser.add_argument("--questions-dir", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--warm", type=int, default=2, help="questions asked first and not counted")
    parser.add_argument("--fresh-sentences", action="store_true",
                        help="empty the sentence-vector cache before each question")
    parser.add_argument("--no-baseline", action="store_true", help="skip the FTS5 baseline (a large index)")
    args = parser.parse_args()

    questions = dev_questions(args.questions_dir, args.questions)
    load_start = os.getloadavg()[0]
    print(f"{len(questions)} questions ({args.warm} warm-up) over {args.db}; load average {load_start:.2f}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}", flush=True)
    figures = measure(args.db, args.warm * [WARM_UP] + questions, args.warm, args.fresh_sentences)
    base = None
    if not args.no_baseline:
        with tempfile.TemporaryDirectory() as tmp:
            base = baseline(args.db, questions, Path(tmp))
    load_end = os.getloadavg()[0]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux

    print(f"{'stage':<18}{'p50 ms':>10}{'p95 ms':>10}{'CPU p50':>10}")
    for stage, p in [*figures["stages"].items(), ("rerank (both)", figures["rerank"])]:
        print(f"{stage:<18}{p['p50']:>10.1f}{p['p95']:>10.1f}{p['cpu_p50']:>10.1f}")
    print(f"{'ask (wall)':<18}{figures['ask']['p50']:>10.1f}{figures['ask']['p95']:>10.1f}")
    print(f"{'ask (CPU)':<18}{figures['ask_cpu']['p50']:>10.1f}{figures['ask_cpu']['p95']:>10.1f}")
    result: dict[str, Any] = {"bench": "ask_stages", "db": args.db, "questions": len(questions),
                              "fresh_sentences": args.fresh_sentences, **figures,
                              "peak_rss_mb": round(rss_mb, 1),
                              "load_start": round(load_start, 2), "load_end": round(load_end, 2)}
    if base is not None:
        print(f"{'FTS5 baseline':<18}{base['p50']:>10.2f}{base['p95']:>10.2f}")
        result["baseline"] = base
        result["ratio_ask_p50"] = round(figures["ask"]["p50"] / max(base["p50"], 1e-3), 1)
        result["ratio_ask_p95"] = round(figures["ask"]["p95"] / max(base["p95"], 1e-3), 1)
        print(f"ask / baseline: {result['ratio_ask_p50']}x at p50, {result['ratio_ask_p95']}x at p95")
    hits, misses = figures["sentence_cache_hits"], figures["sentence_cache_misses"]
    print(f"sentence vectors: {hits} from the cache, {misses} embedded; peak RSS {rss_mb:.0f} MB; "
          f"load average {load_end:.2f} at the end")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
