"""Benchmark newsdesk on RealTime QA against a plain SQLite FTS5 baseline.

What it measures, on the same corpus (RealTime QA weekly gold + web-search
articles, converted by ``bench/realtimeqa_to_jsonl.py``) and the same questions:

* ingest: ``newsdesk ingest -q`` in a subprocess: wall time, articles/s, CPU
  time and peak RSS of that child (``os.wait4``), index bytes on disk (db + -wal);
* ask: one process, models loaded once, ``Desk(db).ask(q)`` per question:
  p50 / p95 / mean latency without the first (warm-up) question; how often the
  brief's sources include a gold article, and how often source [1] is one;
* CLI cold start: ``newsdesk --help`` and ``newsdesk stats`` (median of 5);
* baseline: one FTS5 table of whole articles (title, text; porter unicode61)
  built in one transaction, and a BM25 query (the question's content words,
  quoted, OR-ed) returning the top 5 articles;
* where the time goes: an in-process ingest of 50 articles split into read /
  normalize / sentences / embed / store, and the stages of ``Desk.ask``.

A gold article is matched by URL. newsdesk stores one article per distinct text
(content address), so a gold text that also came from another URL may be cited
under that URL; the gold URLs of a question are therefore all URLs in the corpus
whose whitespace-collapsed text equals one of its gold texts (for both systems).

Human-readable output goes to stdout, progress to stderr; the LAST line of stdout
is one JSON object with every figure. Standard library and numpy only (plus the
newsdesk package under test)::

    .venv/bin/python bench/run.py [--data DIR] [--weeks W,W] [--limit N] [--questions N] [--out DIR]

The RealTime QA texts are third-party: they are read from ``--data`` and the
corpus written for the run goes to ``--out`` (default: a temporary directory,
removed at the end), never into the repository.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "realtimeqa-dev"
BASELINE_TOP_K = 5
BREAKDOWN_ARTICLES = 50
ASK_STAGES: tuple[str, ...] = (
    "question analysis", "query embedding", "retrieve", "  BM25 (FTS5)", "  dense", "  other (query, fusion)",
    "collect sentences", "load articles", "rank sentences", "store.stats()", "compose", "other",
)
COLD_REPEATS = 5

# The plain baseline's own stopword list (it does not borrow newsdesk's term analysis).
_BASELINE_STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other
    our out over own same she should so some such than that the their them then there these they this those through
    to too under until up very was we were what when where which while who whom whose why will with would you your
    """.split()
)
_BASELINE_WORD = re.compile(r"\w+", re.UNICODE)


def _log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _load_adapter() -> ModuleType:
    """Import ``bench/realtimeqa_to_jsonl.py`` (bench/ is not a package)."""
    path = BENCH_DIR / "realtimeqa_to_jsonl.py"
    spec = importlib.util.spec_from_file_location("realtimeqa_to_jsonl", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _collapse(text: str) -> str:
    return " ".join(text.split())


def percentiles_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / mean of `seconds`, in milliseconds (zeros when empty)."""
    if not seconds:
        return {"p50": 0.0, "p95": 0.0, "mean": 0.0}
    values = np.asarray(seconds, dtype=np.float64) * 1000.0
    return {
        "p50": float(np.percentile(values, 50)),
        "p95": float(np.percentile(values, 95)),
        "mean": float(values.mean()),
    }


def _rounded(value: Any) -> Any:
    """`value` with every float rounded to 4 decimals (for the JSON line)."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


# -- corpus and questions -------------------------------------------------------------------


@dataclass
class Question:
    """One RealTime QA question with the URLs that count as its gold articles."""

    question_id: str
    text: str
    gold_urls: set[str]


@dataclass
class Corpus:
    path: Path
    records: int
    distinct_texts: int
    text_bytes: int
    weeks: list[str]
    questions: list[Question] = field(default_factory=list)
    eligible_questions: int = 0


def build_corpus(data: Path, weeks: set[str] | None, limit: int | None, out: Path) -> Path:
    """Convert the weekly files with the adapter into ``out/corpus.jsonl`` (the first `limit` records)."""
    adapter = _load_adapter()
    full = out / "realtimeqa.jsonl"
    per_week = adapter.convert(data, full, weeks)
    if not per_week:
        raise SystemExit(f"no RealTime QA gold/gcs files for the chosen weeks in {data}")
    adapter.print_summary(per_week)
    corpus = out / "corpus.jsonl"
    if limit is None:
        full.replace(corpus)
        return corpus
    with full.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as sink:
        for n, line in enumerate(src):
            if n >= limit:
                break
            sink.write(line)
    full.unlink()
    return corpus


def load_corpus(corpus: Path, data: Path, n_questions: int) -> Corpus:
    """Read the corpus back, and pick the questions whose gold article is in it.

    Questions come from ``W_qa.jsonl`` (``question_sentence``); one is eligible when a
    gold record (kind ``gold``, non-empty text) for it is in the corpus. When there
    are more than `n_questions`, they are taken evenly spaced (deterministic) so that
    every week is represented.
    """
    urls_by_text: dict[str, set[str]] = {}
    gold_texts: dict[str, set[str]] = {}
    weeks: set[str] = set()
    records = 0
    text_bytes = 0
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            records += 1
            text = record["text"]
            text_bytes += len(text.encode("utf-8"))
            key = _collapse(text)
            url = record.get("url")
            urls_by_text.setdefault(key, set())
            if url:
                urls_by_text[key].add(url)
            weeks.add(record["week"])
            if record.get("kind") == "gold":
                gold_texts.setdefault(record["question_id"], set()).add(key)
    info = Corpus(corpus, records, len(urls_by_text), text_bytes, sorted(weeks))
    eligible: list[Question] = []
    for week in info.weeks:
        qa_file = data / f"{week}_qa.jsonl"
        if not qa_file.is_file():
            continue
        with qa_file.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                item = json.loads(line)
                qid = str(item.get("question_id"))
                sentence = str(item.get("question_sentence") or "").strip()
                texts = gold_texts.get(qid)
                if not sentence or not texts:
                    continue
                urls = set().union(*(urls_by_text[t] for t in texts))
                if urls:
                    eligible.append(Question(qid, sentence, urls))
    info.eligible_questions = len(eligible)
    if len(eligible) > n_questions:
        eligible = [eligible[(i * len(eligible)) // n_questions] for i in range(n_questions)]
    info.questions = eligible
    return info


# -- subprocess measurements ----------------------------------------------------------------


@dataclass
class ChildRun:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_child(argv: Sequence[str], workdir: Path, name: str) -> ChildRun:
    """Run `argv` to completion; wall time, and CPU time and peak RSS of that child alone (``os.wait4``)."""
    out_path, err_path = workdir / f"{name}.stdout", workdir / f"{name}.stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return ChildRun(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / scale,
        returncode=proc.returncode,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
    )


def newsdesk_executable() -> str:
    """The ``newsdesk`` script of the running interpreter's environment."""
    candidate = Path(sys.prefix) / "bin" / "newsdesk"
    if candidate.exists():
        return str(candidate)
    raise SystemExit(f"no newsdesk script at {candidate}; run from the project's venv (make install)")


def db_bytes(db: Path) -> int:
    """Bytes of an SQLite index on disk: the file and its write-ahead log."""
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def measure_ingest(exe: str, corpus: Path, db: Path, workdir: Path) -> dict[str, Any]:
    """``newsdesk ingest -q`` in a subprocess."""
    run = run_child([exe, "ingest", "-q", "--db", str(db), str(corpus)], workdir, "ingest")
    match = re.search(r"read (\d+), added (\d+), already known (\d+), failed (\d+)", run.stdout)
    if match is None:
        raise SystemExit(f"newsdesk ingest failed (exit {run.returncode}):\n{run.stderr[-2000:]}")
    read, added, known, failed = (int(g) for g in match.groups())
    return {
        "wall_s": run.wall_s, "cpu_s": run.cpu_s, "peak_rss_mb": run.peak_rss_mb,
        "read": read, "added": added, "known": known, "failed": failed, "bytes": db_bytes(db),
    }


def cold_start(exe: str, args: Sequence[str], workdir: Path, repeats: int) -> float:
    """Median wall time (ms) of `repeats` runs of ``newsdesk ARGS``."""
    times = []
    for _ in range(repeats):
        run = run_child([exe, *args], workdir, "cold")
        if run.returncode != 0:
            raise SystemExit(f"newsdesk {' '.join(args)} failed:\n{run.stderr[-2000:]}")
        times.append(run.wall_s * 1000.0)
    return statistics.median(times)


# -- newsdesk ask ---------------------------------------------------------------------------


class StageTimer:
    """Accumulates the time spent in wrapped callables, by stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

        return timed


@contextmanager
def patched(target: object, name: str, replacement: Any) -> Iterator[None]:
    original = getattr(target, name)
    setattr(target, name, replacement)
    try:
        yield
    finally:
        if isinstance(target, ModuleType):
            setattr(target, name, original)
        else:
            delattr(target, name)  # drop the instance attribute: the class method shows again


def measure_ask(db: Path, questions: list[Question]) -> dict[str, Any]:
    """Ask every question in this process with one Desk: latencies, gold hits, and where the time goes.

    The stages of ``Desk.ask`` are wrapped with timers for the whole loop (a few
    microseconds per call against hundreds of milliseconds per question); the
    first question is warm-up and counts for gold hits but not for timings.
    """
    import newsdesk.desk as desk_module
    from newsdesk.desk import Desk

    start = time.perf_counter()
    desk = Desk(db)
    open_s = time.perf_counter() - start
    start = time.perf_counter()
    embedder = desk.embedder
    embedder.embed_queries(["warm-up"])  # the model's weights load on first use
    model_s = time.perf_counter() - start

    timer = StageTimer()
    latencies: list[float] = []
    in_sources = first = sources = no_answer = 0
    with (
        patched(desk_module, "analyze_question", timer.wrap("question analysis", desk_module.analyze_question)),
        patched(embedder, "embed_queries", timer.wrap("query embedding", embedder.embed_queries)),
        patched(desk_module, "hybrid_search", timer.wrap("retrieve", desk_module.hybrid_search)),
        patched(desk.store, "lexical_search", timer.wrap("  BM25 (FTS5)", desk.store.lexical_search)),
        patched(desk.store, "dense_search", timer.wrap("  dense", desk.store.dense_search)),
        patched(desk_module, "collect_sentences", timer.wrap("collect sentences", desk_module.collect_sentences)),
        patched(desk.store, "articles", timer.wrap("load articles", desk.store.articles)),
        patched(desk_module, "rank_sentences", timer.wrap("rank sentences", desk_module.rank_sentences)),
        patched(desk.store, "stats", timer.wrap("store.stats()", desk.store.stats)),
        patched(desk_module, "compose_brief", timer.wrap("compose", desk_module.compose_brief)),
    ):
        for question in questions:
            start = time.perf_counter()
            brief = desk.ask(question.text)
            latencies.append(time.perf_counter() - start)
            if len(latencies) == 1:
                timer.seconds.clear()  # the warm-up question is not profiled
            urls = {s.n: s.url for s in brief.sources}
            in_sources += any(u in question.gold_urls for u in urls.values())
            first += urls.get(1) in question.gold_urls
            sources += len(brief.sources)
            no_answer += not brief.answer
    desk.close()

    warm = latencies[1:]
    total = sum(warm)
    top_level = sum(v for k, v in timer.seconds.items() if not k.startswith("  "))
    timer.seconds["  other (query, fusion)"] = timer.seconds.get("retrieve", 0.0) - sum(
        v for k, v in timer.seconds.items() if k.startswith("  "))
    timer.seconds["other"] = total - top_level
    n = max(1, len(questions))
    return {
        "open_ms": open_s * 1000.0,
        "model_load_ms": model_s * 1000.0,
        "first_ms": latencies[0] * 1000.0 if latencies else 0.0,
        "latency": percentiles_ms(warm),
        "gold_in_sources": in_sources / n,
        "gold_first": first / n,
        "sources_per_question": sources / n,
        "no_answer": no_answer / n,
        "profile_questions": len(warm),
        "profile_ms": {k: v * 1000.0 / max(1, len(warm)) for k, v in timer.seconds.items()},
        "profile_total_ms": total * 1000.0 / max(1, len(warm)),
    }


# -- where ingest time goes -----------------------------------------------------------------


def ingest_breakdown(corpus: Corpus, workdir: Path, n_articles: int) -> dict[str, Any]:
    """An in-process ingest of `n_articles` (evenly spaced) split into its stages, in ms per article.

    The stages are the ones `ingest.pipeline.analyze_articles` runs, timed one by
    one with the configured embedding scope (by default one title-and-lead text per
    article). The model and the spaCy pipeline are loaded before timing starts.
    """
    from newsdesk.analyze.claims import extract_claims
    from newsdesk.analyze.embedding import get_embedder
    from newsdesk.analyze.passages import make_passages
    from newsdesk.analyze.relations import annotate
    from newsdesk.analyze.sentences import split_sentences
    from newsdesk.config import load_config
    from newsdesk.ingest.normalize import normalize
    from newsdesk.ingest.pipeline import embedded_texts, iter_documents
    from newsdesk.model import AnalyzedArticle, RawDocument
    from newsdesk.store.sqlite import SQLiteStore

    with corpus.path.open(encoding="utf-8") as handle:
        lines = handle.readlines()
    step = max(1, len(lines) // n_articles)
    sample = workdir / "breakdown.jsonl"
    sample.write_text("".join(lines[::step][:n_articles]), encoding="utf-8")
    config = load_config()
    embedder = get_embedder(config.embedder)
    embedder.embed_passages(["warm up"])
    annotate([])  # loads spaCy lazily, if it does so on an empty batch

    times: dict[str, float] = {}

    def timed(stage: str, work: Callable[[], Any]) -> Any:
        began = time.perf_counter()
        result = work()
        times[stage] = times.get(stage, 0.0) + time.perf_counter() - began
        return result

    docs = timed("read", lambda: [d for d in iter_documents([str(sample)], config.max_file_bytes)
                                  if isinstance(d, RawDocument)])
    articles: dict[str, Any] = {}
    for doc in docs:
        try:
            article = timed("normalize", lambda doc=doc: normalize(doc))
        except ValueError:
            continue
        articles.setdefault(article.id, article)
    batch = list(articles.values())
    staged = []
    for article in batch:
        sentences = timed("sentences", lambda a=article: split_sentences(a.id, a.text, a.language))
        passages = timed("sentences", lambda a=article, s=sentences: make_passages(a.id, a.text, s, max_sentences=3,
                                                                                    stride=3))
        staged.append((article, sentences, passages))
    texts = [t for a, _, p in staged for t in embedded_texts(a, p, config.dense_passages)]
    vectors = timed("embed", lambda: embedder.embed_passages(texts))
    analyzed = []
    offset = 0
    for article, sentences, passages in staged:
        count = len(embedded_texts(article, passages, config.dense_passages))
        claims = timed("claims", lambda a=article, s=sentences: extract_claims(a, s))
        analyzed.append(AnalyzedArticle(article, sentences, passages, vectors[offset : offset + count], claims=claims))
        offset += count
    timed("actors", lambda: annotate(analyzed))
    analyzed = [a for a in analyzed if a.sentences]
    passages = sum(len(a.passages) for a in analyzed)

    store = SQLiteStore(workdir / "breakdown.db")
    timed("store", lambda: store.add_batch(analyzed))
    store.close()

    n = max(1, len(docs))
    total = sum(times.values())
    return {
        "articles": len(docs),
        "passages": passages,
        "ms_per_article": {k: v * 1000.0 / n for k, v in times.items()},
        "share": {k: (v / total if total else 0.0) for k, v in times.items()},
        "total_ms_per_article": total * 1000.0 / n,
    }


# -- the plain baseline ---------------------------------------------------------------------


def baseline_query(question: str) -> str:
    """The question's content words, each quoted, OR-ed (an FTS5 expression with no operators of the user's)."""
    words: dict[str, None] = {}
    for word in _BASELINE_WORD.findall(question.lower()):
        if word in _BASELINE_STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        words.setdefault(f'"{word}"', None)
    return " OR ".join(words)


def baseline_build(corpus: Path, db: Path) -> dict[str, Any]:
    """One FTS5 table of whole articles, filled from the JSONL in one transaction (timed end to end)."""
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-journal")):
        p.unlink(missing_ok=True)
    start = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, text, url UNINDEXED, tokenize='porter unicode61')"
    )
    count = 0

    def rows() -> Iterator[tuple[str, str, str]]:
        nonlocal count
        with corpus.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                count += 1
                yield record.get("title") or "", record["text"], record.get("url") or ""

    conn.execute("BEGIN")
    conn.executemany("INSERT INTO docs (title, text, url) VALUES (?, ?, ?)", rows())
    conn.execute("COMMIT")
    conn.close()
    wall = time.perf_counter() - start
    return {"wall_s": wall, "articles": count, "bytes": db_bytes(db)}


def baseline_ask(db: Path, questions: list[Question]) -> dict[str, Any]:
    """BM25 top-5 articles per question: latency (first excluded) and gold hits."""
    conn = sqlite3.connect(db)
    latencies: list[float] = []
    in_top = first = 0
    for question in questions:
        start = time.perf_counter()
        query = baseline_query(question.text)
        urls: list[str] = []
        if query:
            urls = [r[0] for r in conn.execute(
                "SELECT url FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?", (query, BASELINE_TOP_K))]
        latencies.append(time.perf_counter() - start)
        in_top += any(u in question.gold_urls for u in urls)
        first += bool(urls) and urls[0] in question.gold_urls
    conn.close()
    n = max(1, len(questions))
    return {"latency": percentiles_ms(latencies[1:]), "gold_in_top": in_top / n, "gold_first": first / n}


# -- report ---------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}{suffix}"


def print_report(results: dict[str, Any], corpus: Corpus, ask: dict[str, Any],
                 breakdown: dict[str, Any] | None) -> None:
    """The human-readable table and the two time breakdowns."""
    r = results
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"newsdesk benchmark: RealTime QA dev, weeks {corpus.weeks[0]}..{corpus.weeks[-1]} ({len(corpus.weeks)}), "
          f"{corpus.records} articles ({corpus.distinct_texts} distinct texts, "
          f"{corpus.text_bytes / corpus.records / 1024:.1f} KiB text each), "
          f"{len(corpus.questions)} of {corpus.eligible_questions} questions with gold")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {load:.1f} at the end "
          "(a busy machine makes every timing noisier and slower)")
    print()
    rows: list[tuple[str, str, str, str]] = [
        ("ingest wall time (s)", _fmt(r["ingest_wall_s"], 2), _fmt(r["baseline_ingest_wall_s"], 2),
         _fmt(r["ratio_ingest_time"], 1, "x")),
        ("ingest articles/s", _fmt(r["ingest_articles_per_s"], 1), _fmt(r["baseline_ingest_articles_per_s"], 1), ""),
        ("ingest CPU time (s, user+sys)", _fmt(r["ingest_cpu_s"], 1), "", ""),
        ("ingest peak RSS (MB)", _fmt(r["ingest_peak_rss_mb"], 0), "", ""),
        ("index bytes / article", _fmt(r["bytes_per_article"], 0), _fmt(r["baseline_bytes_per_article"], 0),
         _fmt(r["ratio_bytes_per_article"], 2, "x")),
        ("ask p50 (ms)", _fmt(r["ask_p50_ms"], 1), _fmt(r["baseline_ask_p50_ms"], 2), _fmt(r["ratio_ask_p50"], 0, "x")),
        ("ask p95 (ms)", _fmt(r["ask_p95_ms"], 1), _fmt(r["baseline_ask_p95_ms"], 2), ""),
        ("ask mean (ms)", _fmt(r["ask_mean_ms"], 1), _fmt(r["baseline_ask_mean_ms"], 2), ""),
        ("gold in sources / in top 5", _fmt(r["gold_in_sources"], 3), _fmt(r["baseline_gold_in_top5"], 3),
         _fmt(r["ratio_gold_hit"], 2, "x")),
        ("gold is source [1] / rank 1", _fmt(r["gold_first"], 3), _fmt(r["baseline_gold_first"], 3),
         _fmt(r["ratio_gold_first"], 2, "x")),
        ("sources per question (mean)", _fmt(r["sources_per_question"], 1), str(BASELINE_TOP_K), ""),
        ("briefs with no answer", _fmt(r["ask_no_answer"], 3), "", ""),
        ("ask: open index (ms)", _fmt(r["ask_open_ms"], 0), "", ""),
        ("ask: load model (ms)", _fmt(r["ask_model_load_ms"], 0), "", ""),
        ("ask: first question (ms)", _fmt(r["ask_first_ms"], 0), "", ""),
        ("cold start `--help` (ms)", _fmt(r["cold_start_help_ms"], 0), "", ""),
        ("cold start `stats` (ms)", _fmt(r["cold_start_stats_ms"], 0), "", ""),
    ]
    header = ("", "newsdesk", "FTS5 baseline", "ratio")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}")
    print()
    print(f"ingest: {r['ingest_added']} added, {r['ingest_known']} already known (same text), "
          f"{r['ingest_failed']} failed; newsdesk stores passages, vectors and sentences beside the text")
    if breakdown is not None:
        print(f"where ingest time goes (in-process, {breakdown['articles']} articles, {breakdown['passages']} "
              f"passages, model loaded; {breakdown['total_ms_per_article']:.0f} ms/article):")
        for stage, ms in breakdown["ms_per_article"].items():
            print(f"  {stage:<12} {ms:8.1f} ms/article  {100 * breakdown['share'][stage]:5.1f} %")
    print(f"where a warm ask goes (mean of {ask['profile_questions']} questions, {ask['profile_total_ms']:.0f} ms):")
    for stage in ASK_STAGES:
        ms = ask["profile_ms"].get(stage, 0.0)
        share = 100 * ms / ask["profile_total_ms"] if ask["profile_total_ms"] else 0.0
        print(f"  {stage:<26} {ms:8.1f} ms  {share:5.1f} %")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark newsdesk on RealTime QA against a plain FTS5 baseline.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="RealTime QA weekly files (default: %(default)s)")
    parser.add_argument("--weeks", default=None, help="comma-separated weeks, e.g. 20220617,20220624 (default: all)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles (default: all)")
    parser.add_argument("--questions", type=int, default=100, help="questions to ask (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=None, help="keep corpus and indexes here (default: a temp dir)")
    parser.add_argument("--breakdown", type=int, default=BREAKDOWN_ARTICLES,
                        help="articles for the in-process ingest breakdown, 0 to skip (default: %(default)s)")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"no such directory: {args.data}")
    if (args.limit is not None and args.limit < 1) or args.questions < 2:
        parser.error("--limit must be at least 1 and --questions at least 2 (the first one is warm-up)")
    weeks = _load_adapter().parse_weeks(args.weeks) if args.weeks else None

    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        return run(args.data, weeks, args.limit, args.questions, args.breakdown, args.out.resolve())
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        return run(args.data, weeks, args.limit, args.questions, args.breakdown, Path(tmp))


def run(data: Path, weeks: set[str] | None, limit: int | None, n_questions: int, n_breakdown: int, out: Path) -> int:
    """Run every measurement, print the table and, last, the JSON line."""
    exe = newsdesk_executable()
    _log(f"building the corpus in {out}")
    corpus_path = build_corpus(data, weeks, limit, out)
    corpus = load_corpus(corpus_path, data, n_questions)
    if len(corpus.questions) < 2:
        raise SystemExit(f"only {len(corpus.questions)} question(s) have a gold article in the corpus; need 2")
    db = out / "newsdesk.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)

    _log(f"newsdesk ingest of {corpus.records} articles")
    ingest = measure_ingest(exe, corpus_path, db, out)
    _log(f"ingest took {ingest['wall_s']:.1f} s; asking {len(corpus.questions)} questions")
    ask = measure_ask(db, corpus.questions)
    _log("cold starts")
    help_ms = cold_start(exe, ["--help"], out, COLD_REPEATS)
    stats_ms = cold_start(exe, ["stats", "--db", str(db)], out, COLD_REPEATS)
    _log("baseline")
    base_db = out / "baseline.db"
    base = baseline_build(corpus_path, base_db)
    base_ask = baseline_ask(base_db, corpus.questions)
    breakdown: dict[str, Any] | None = None
    if n_breakdown > 0:
        _log(f"ingest breakdown on {min(n_breakdown, corpus.records)} articles")
        breakdown = ingest_breakdown(corpus, out, min(n_breakdown, corpus.records))

    n = corpus.records
    results: dict[str, Any] = {
        "corpus_articles": n,
        "corpus_distinct_texts": corpus.distinct_texts,
        "corpus_text_bytes_per_article": corpus.text_bytes / n,
        "weeks": corpus.weeks,
        "questions": len(corpus.questions),
        "ingest_wall_s": ingest["wall_s"],
        "ingest_cpu_s": ingest["cpu_s"],
        "ingest_articles_per_s": n / ingest["wall_s"],
        "ingest_peak_rss_mb": ingest["peak_rss_mb"],
        "ingest_added": ingest["added"],
        "ingest_known": ingest["known"],
        "ingest_failed": ingest["failed"],
        "index_bytes": ingest["bytes"],
        "bytes_per_article": ingest["bytes"] / n,
        "ask_p50_ms": ask["latency"]["p50"],
        "ask_p95_ms": ask["latency"]["p95"],
        "ask_mean_ms": ask["latency"]["mean"],
        "ask_first_ms": ask["first_ms"],
        "ask_open_ms": ask["open_ms"],
        "ask_model_load_ms": ask["model_load_ms"],
        "ask_no_answer": ask["no_answer"],
        "gold_in_sources": ask["gold_in_sources"],
        "gold_first": ask["gold_first"],
        "sources_per_question": ask["sources_per_question"],
        "cold_start_help_ms": help_ms,
        "cold_start_stats_ms": stats_ms,
        "baseline_ingest_wall_s": base["wall_s"],
        "baseline_ingest_articles_per_s": base["articles"] / base["wall_s"],
        "baseline_index_bytes": base["bytes"],
        "baseline_bytes_per_article": base["bytes"] / n,
        "baseline_ask_p50_ms": base_ask["latency"]["p50"],
        "baseline_ask_p95_ms": base_ask["latency"]["p95"],
        "baseline_ask_mean_ms": base_ask["latency"]["mean"],
        "baseline_gold_in_top5": base_ask["gold_in_top"],
        "baseline_gold_first": base_ask["gold_first"],
        "ratio_ingest_time": _ratio(ingest["wall_s"], base["wall_s"]),
        "ratio_ask_p50": _ratio(ask["latency"]["p50"], base_ask["latency"]["p50"]),
        "ratio_bytes_per_article": _ratio(ingest["bytes"], base["bytes"]),
        "ratio_gold_hit": _ratio(ask["gold_in_sources"], base_ask["gold_in_top"]),
        "ratio_gold_first": _ratio(ask["gold_first"], base_ask["gold_first"]),
        "breakdown_ingest_ms_per_article": breakdown["ms_per_article"] if breakdown else None,
        "breakdown_ask_ms": {(f"retrieve: {k.strip()}" if k.startswith("  ") else k): v
                             for k, v in ask["profile_ms"].items()},
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "cpus": os.cpu_count(),
    }
    print_report(results, corpus, ask, breakdown)
    print(json.dumps(_rounded(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
