"""Is analysis linear in the text? Time per KB of one article built from real dev articles at growing sizes.

One plain-text article of 10 KB, 100 KB, 1 MB and 5 MB is made by joining real article texts from
../shared/data/realtimeqa-dev (paragraphs of different stories, as a long live blog would have), then
normalised and analysed as ingest does (sentences, passages, every analysis step) without the embedder,
whose cost is the title and lead only. Prints seconds and ms per KB per size, then the ratios the target
is stated in (1 MB time / 100 KB time, largest / smallest ms per KB). The last line is one JSON object::

    PYTHONPATH=src .venv/bin/python bench/analysis_linearity.py [--sizes 10,100,1000,5000]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsdesk.analyze import nlp
from newsdesk.analyze.passages import make_passages
from newsdesk.analyze.sentences import split_sentences
from newsdesk.analyze.steps import DEFAULT_STEPS, run_steps
from newsdesk.ingest.normalize import normalize
from newsdesk.model import AnalyzedArticle, RawDocument

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "realtimeqa-dev"


def dev_texts() -> list[str]:
    """Distinct article texts of the dev gold and search files, in file order."""
    seen: set[str] = set()
    out: list[str] = []
    for path in sorted(DATA.glob("*_g*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for result in json.loads(line).get("search_result") or []:
                text = (result.get("text") or "").strip()
                if len(text) > 500 and text not in seen:
                    seen.add(text)
                    out.append(text)
    return out


def article_of(texts: list[str], kb: int) -> str:
    """About `kb` KB of real article text, cycling through the articles if they run out."""
    parts: list[str] = []
    size = 0
    i = 0
    while size < kb * 1000:
        text = texts[i % len(texts)]
        parts.append(text)
        size += len(text.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(parts)[: kb * 1000]


def analyse(text: str) -> float:
    """Seconds to normalise and analyse one article of `text`, as ingest does minus the embedding."""
    start = time.perf_counter()
    article = normalize(RawDocument(origin="bench", format="text", text=text, title="Bench article"))
    sentences = split_sentences(article.id, article.text, article.language)
    passages = make_passages(article.id, article.text, sentences, max_sentences=3, stride=3)
    run_steps([AnalyzedArticle(article, sentences, passages, None)], DEFAULT_STEPS)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,5000", help="article sizes in KB, comma-separated")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    texts = dev_texts()
    nlp.english()
    analyse(article_of(texts, 2))  # load models and caches outside the timings
    rows = []
    for kb in sizes:
        seconds = analyse(article_of(texts, kb))
        rows.append({"kb": kb, "seconds": round(seconds, 2), "ms_per_kb": round(1000 * seconds / kb, 2)})
        print(f"{kb:>6} KB  {seconds:8.2f} s  {1000 * seconds / kb:8.2f} ms/KB", flush=True)
    by_kb = {row["kb"]: row["seconds"] for row in rows}
    per_kb = [row["ms_per_kb"] for row in rows]
    result: dict[str, object] = {"rows": rows}
    if 100 in by_kb and 1000 in by_kb:
        result["time_1mb_over_100kb"] = round(by_kb[1000] / max(by_kb[100], 1e-9), 2)
        print(f"1 MB time / 100 KB time: {result['time_1mb_over_100kb']} (target <= 10)")
    result["per_kb_ratio_max_over_min"] = round(max(per_kb) / max(min(per_kb), 1e-9), 2)
    result["per_kb_ratio_largest_over_smallest"] = round(per_kb[-1] / max(per_kb[0], 1e-9), 2)
    print(f"ms/KB largest size / smallest size: {result['per_kb_ratio_largest_over_smallest']} (target <= 2)")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
