"""What actors and relations add to ingest: ms per article, sentences parsed and sent to the NER model.

Reads the first N articles of a JSON Lines file (any file `newsdesk ingest` reads works), splits
them into sentences as ingest does, then times `analyze.relations.annotate` in batches of 64 (the
ingest batch size) after loading the model once. The last line is one JSON object::

    .venv/bin/python bench/actors_cost.py /tmp/rt/rtqa.jsonl [--limit 200]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsdesk.analyze import nlp, relations
from newsdesk.analyze.sentences import split_sentences
from newsdesk.ingest.normalize import normalize
from newsdesk.ingest.pipeline import iter_documents
from newsdesk.model import AnalyzedArticle, ReadError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args(argv)
    items: list[AnalyzedArticle] = []
    for doc in iter_documents([str(args.path)], max_bytes=500_000_000):
        if isinstance(doc, ReadError):
            continue
        article = normalize(doc)
        items.append(AnalyzedArticle(article, split_sentences(article.id, article.text, article.language), [], None))
        if len(items) >= args.limit:
            break
    nlp.english()
    nlp.parse(["The model is warmed up."])
    counts = {"parsed": 0, "ner": 0}
    parse, recognise = relations.parse, relations.recognise

    def counted_parse(texts: list[str]) -> list:
        counts["parsed"] += len(texts)
        return parse(texts)

    def counted_recognise(docs: list) -> None:
        counts["ner"] += len(docs)
        recognise(docs)

    relations.parse, relations.recognise = counted_parse, counted_recognise
    start = time.perf_counter()
    for i in range(0, len(items), 64):
        relations.annotate(items[i : i + 64])
    seconds = time.perf_counter() - start
    result = {
        "articles": len(items), "sentences": sum(len(i.sentences) for i in items),
        "sentences_parsed": counts["parsed"], "sentences_ner": counts["ner"],
        "ms_per_article": round(1000 * seconds / max(len(items), 1), 1),
        "mentions": sum(len(i.mentions) for i in items), "relations": sum(len(i.relations) for i in items),
    }
    print(f"{result['articles']} articles, {result['sentences']} sentences: {result['sentences_parsed']} parsed, "
          f"{result['sentences_ner']} through NER, {result['ms_per_article']} ms/article")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
