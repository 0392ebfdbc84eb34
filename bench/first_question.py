"""The first question of a new process, part by part: the encoder's parts from the user cache against
the package building them itself (the baseline, NEWSDESK_CACHE_DIR=off), in the same run.

Each run is a fresh process that opens a read-only Desk over `--db` and asks one dev question; it times
the imports, the encoder (built or loaded, use_cache.py), the spaCy pipeline, and the rest of the first
`ask` (searches with cold caches, ranking). The cache is filled once before the runs. Runs alternate
between the two modes; medians are printed with the 1-minute load average, and the LAST line of
stdout is one JSON object::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python bench/first_question.py --db DB [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

QUESTION = "Which country's parliament voted this week to approve a new prime minister?"
MODES = ("package", "cached")


def one_run(db: str) -> dict[str, float]:
    """In this (fresh) process: seconds per part of the first question."""
    started = time.perf_counter()
    from newsdesk.analyze import nlp
    from newsdesk.analyze.embedding import UniversalSentenceEncoder
    from newsdesk.config import load_config
    from newsdesk.desk import Desk

    parts = {"imports": time.perf_counter() - started}
    desk = Desk(db, load_config(db=db), readonly=True)
    mark = time.perf_counter()
    encoder = desk.embedder
    assert isinstance(encoder, UniversalSentenceEncoder)
    encoder.embed_queries(["warm"])
    parts["encoder"] = time.perf_counter() - mark
    mark = time.perf_counter()
    nlp.english()
    parts["spacy"] = time.perf_counter() - mark
    mark = time.perf_counter()
    desk.ask(QUESTION)
    parts["ask_rest"] = time.perf_counter() - mark
    parts["first_question"] = parts["encoder"] + parts["spacy"] + parts["ask_rest"]
    return parts


def child(db: str, mode: str, cache: str) -> dict[str, float]:
    env = dict(os.environ, NEWSDESK_CACHE_DIR="off" if mode == "package" else cache)
    out = subprocess.run([sys.executable, __file__, "--child", "--db", db], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="an index to ask (opened read-only)")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per mode")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.db)))
        return
    with tempfile.TemporaryDirectory(prefix="first-question-cache-") as cache:
        child(args.db, "cached", cache)  # fills the cache: what every later process finds
        runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
        for _ in range(args.runs):
            for mode in MODES:
                runs[mode].append(child(args.db, mode, cache))
    load = os.getloadavg()[0]
    figures: dict[str, object] = {"runs": args.runs, "load_1min": round(load, 2)}
    for mode in MODES:
        for part in runs[mode][0]:
            figures[f"{mode}_{part}_s"] = round(statistics.median(r[part] for r in runs[mode]), 3)
        print(f"{mode:8s} " + "  ".join(f"{part} {figures[f'{mode}_{part}_s']:.2f} s" for part in runs[mode][0]))
    figures["first_question_ratio_cached_vs_package"] = round(
        float(figures["cached_first_question_s"]) / float(figures["package_first_question_s"]), 3)  # type: ignore[arg-type]
    print(f"load {load:.1f}; first question, cached parts / package's own: "
          f"{figures['first_question_ratio_cached_vs_package']}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
