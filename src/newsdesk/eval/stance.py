"""Stance dev set: "What does X think of Y?" over RealTime QA news, scored on the label newsdesk gives.

Each item (JSON Lines) holds the question, the label expected (hostile, friendly, mixed, unknown,
neutral), and, unless `unknown`, one verbatim sentence of the corpus that justifies it with its file,
line and result index. The index is built once from every page of the weeks the items cite (so the
sentence competes with its week's other news) and kept at the path given; a later run skips the pages
already there and lets `migrate` re-extract only what a newer analysis step changed.

Scored per item: the stance label, coarsened to the expected vocabulary (`unfriendly` counts as
hostile, `cooperative` as friendly); whether the question was read as a stance question at all; and
whether a relation cites the justifying sentence (the recall behind the label).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.eval.realtimeqa import iter_raw_articles
from newsdesk.model import Brief, RelationEvent, StancePart

LABELS = ("hostile", "friendly", "mixed", "neutral", "unknown")
_COARSE = {"unfriendly": "hostile", "cooperative": "friendly"}
_FILE = re.compile(r"^(?P<dir>[\w.-]+)/(?P<week>\d{8})_(?:gold|gcs)\.jsonl$")


class StanceSetError(ValueError):
    """A dev set line that cannot be used, naming the file, line and field."""


@dataclass(frozen=True)
class StanceItem:
    question: str
    expected: str
    sentence: str | None
    source: str | None  # "realtimeqa-2023/20230106_gcs.jsonl", relative to the data directory
    line: int | None
    result: int | None


@dataclass
class StanceResult:
    question: str
    expected: str
    got: str  # the coarse label; "not_stance" when the question was not read as a stance question
    label: str  # newsdesk's own label as given
    summary: str
    correct: bool
    sentence_cited: bool | None  # None for items without a justifying sentence
    events: int
    seconds: float
    cited: list[str] = field(default_factory=list)


def load_items(path: Path) -> list[StanceItem]:
    """The dev set's items; a bad line raises `StanceSetError` naming the line and field."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise StanceSetError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("question"), str):
            raise StanceSetError(f"{where}: field 'question' must be a string")
        if record.get("expected") not in LABELS:
            raise StanceSetError(f"{where}: field 'expected' must be one of {', '.join(LABELS)}")
        source = record.get("source")
        if record["expected"] != "unknown" and not (isinstance(source, str) and _FILE.match(source)
                                                   and isinstance(record.get("sentence"), str)):
            raise StanceSetError(f"{where}: a labelled item needs 'sentence' and 'source' (DIR/YYYYMMDD_gcs.jsonl)")
        items.append(StanceItem(record["question"], record["expected"], record.get("sentence"), source,
                                record.get("line"), record.get("result")))
    return items


def item_weeks(items: Sequence[StanceItem]) -> dict[str, list[str]]:
    """The weeks each data directory contributes, from the files the items cite."""
    weeks: dict[str, set[str]] = {}
    for item in items:
        if item.source and (m := _FILE.match(item.source)):
            weeks.setdefault(m.group("dir"), set()).add(m.group("week"))
    return {d: sorted(w) for d, w in sorted(weeks.items())}


def check_sentences(items: Sequence[StanceItem], data: Path) -> list[str]:
    """Items whose sentence is not in the page they cite (the dev set must quote the corpus verbatim)."""
    bad = []
    for item in items:
        if not item.source or item.sentence is None:
            continue
        path = data / item.source
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        try:
            text = json.loads(lines[(item.line or 0) - 1])["search_result"][item.result or 0]["text"]
        except (IndexError, KeyError, TypeError, json.JSONDecodeError):
            text = ""
        if item.sentence not in text:
            bad.append(f"{item.source} line {item.line} result {item.result}: {item.question}")
    return bad


def stance_of(brief: Brief) -> StancePart | None:
    return next((p for p in brief.relations if isinstance(p, StancePart)), None)


def score_item(item: StanceItem, brief: Brief, seconds: float) -> StanceResult:
    part = stance_of(brief)
    label = part.label if part else "not_stance"
    got = _COARSE.get(label, label)
    events = [p for p in brief.relations if isinstance(p, RelationEvent) and p.direction == "forward"]
    cited = [c.text for e in events for c in e.citations]
    hit = None
    if item.sentence is not None:
        hit = any(item.sentence in text or text in item.sentence for text in cited)
    return StanceResult(item.question, item.expected, got, label, part.summary if part else "", got == item.expected,
                        hit, len(events), round(seconds, 2), cited[:5])


def summarize(results: Sequence[StanceResult]) -> dict[str, Any]:
    n = len(results) or 1
    with_sentence = [r for r in results if r.sentence_cited is not None]
    return {
        "items": len(results),
        "label_accuracy": round(sum(r.correct for r in results) / n, 4),
        "read_as_stance": round(sum(r.got != "not_stance" for r in results) / n, 4),
        "unknown_with_sentence": sum(r.got in ("unknown", "not_stance") for r in with_sentence),
        "sentence_cited": round(sum(bool(r.sentence_cited) for r in with_sentence) / (len(with_sentence) or 1), 4),
        "confusion": {f"{e}->{g}": c for (e, g), c in sorted(Counter((r.expected, r.got) for r in results).items())},
    }


@dataclass
class RecallGaps:
    """Sentences naming both sides of the dev set's pairs, and why those with no relation between them have none."""

    both_named: int = 0  # sentences where the text names both (by any of their names)
    resolved_both: int = 0  # ... and the actor rules found both as mentions
    with_relation: int = 0  # ... and a relation between them (either way) was extracted
    no_trigger: int = 0  # both resolved, no relation word: the sentence was never parsed
    no_rule: int = 0  # both resolved, parsed, no rule connected them (trigger or construction missing, or parse)
    not_resolved: int = 0  # the text names both, the actor rules missed one
    examples: dict[str, list[str]] = field(default_factory=dict)


def recall_gaps(store: Any, items: Sequence[StanceItem], per_reason: int = 5) -> RecallGaps:
    """Count, over the index, the sentences naming both actors of each item and what became of them."""
    from newsdesk.analyze.lexicon import is_candidate
    from newsdesk.analyze.question import analyze_question
    from newsdesk.answer.stance import resolve_actors

    gaps = RecallGaps()
    seen: set[tuple[str, int, frozenset[str]]] = set()
    for item in items:
        question = analyze_question(item.question)
        if question.kind != "stance" or not question.actor or not question.target:
            continue
        xs, ys = resolve_actors(question.actor, store), resolve_actors(question.target, store)
        if not xs or not ys:
            continue
        pair = frozenset({*xs, *ys})
        named_x = _name_pattern([*question.actor, *xs])
        named_y = _name_pattern([*question.target, *ys])
        mentions = store.mentions(actors=sorted(xs | ys))
        by_sentence: dict[tuple[str, int], set[str]] = {}
        for m in mentions:
            by_sentence.setdefault((m.article_id, m.sentence_index), set()).add(m.actor)
        candidates = {k for k, actors in by_sentence.items() if actors & xs or actors & ys}
        articles = store.articles(sorted({a for a, _ in candidates}))
        related = {(r.article_id, r.sentence_index) for r in store.article_relations(sorted(articles))
                   if (r.source in xs and r.target in ys) or (r.source in ys and r.target in xs)}
        for article_id, article in articles.items():
            for sentence in store.sentences(article_id):
                key = (article_id, sentence.index)
                if key not in candidates or (article_id, sentence.index, pair) in seen:
                    continue
                text = article.text[sentence.start:sentence.end]
                if not (named_x.search(text) and named_y.search(text)):
                    continue
                seen.add((article_id, sentence.index, pair))
                gaps.both_named += 1
                actors = by_sentence.get(key, set())
                if not (actors & xs and actors & ys):
                    reason = "not_resolved"
                elif key in related:
                    gaps.resolved_both += 1
                    gaps.with_relation += 1
                    continue
                else:
                    gaps.resolved_both += 1
                    reason = "no_rule" if is_candidate(text) else "no_trigger"
                setattr(gaps, reason, getattr(gaps, reason) + 1)
                shown = gaps.examples.setdefault(reason, [])
                if len(shown) < per_reason:
                    shown.append(" ".join(text.split())[:300])
    return gaps


def _name_pattern(names: Sequence[str]) -> re.Pattern[str]:
    from newsdesk.analyze.actor_table import load_actor_table
    from newsdesk.analyze.aliases import mention_pattern

    table = load_actor_table()
    words = list(names)
    for name in names:
        info = table.get(name)
        if info is not None:
            words += [*info.names, *info.demonyms, *info.capitals]
    return mention_pattern(tuple(dict.fromkeys(w for w in words if w)))


def run_stance(items_path: Path, data: Path, db: str | Path, out: Path | None = None) -> tuple[dict[str, Any],
                                                                                            list[StanceResult]]:
    """Build (or reuse, migrating) the index at `db` from the items' weeks, ask every item, score the labels."""
    from newsdesk.config import load_config
    from newsdesk.desk import Desk
    from newsdesk.ingest.pipeline import ingest_documents

    items = load_items(items_path)
    bad = check_sentences(items, data)
    if bad:
        raise StanceSetError(f"{items_path}: sentences not found verbatim in their pages: {'; '.join(bad)}")
    desk = Desk(db, load_config(db=str(db)))
    started = time.perf_counter()
    desk.migrate()  # a kept index: re-extract only what a newer analysis step changed
    for directory, weeks in item_weeks(items).items():  # known pages are skipped: a re-run adds nothing
        ingest_documents(iter_raw_articles(data / directory, weeks), desk.store, desk.embedder,
                         batch_size=desk.config.batch_size, dense_passages=desk.config.dense_passages)
    index_seconds = time.perf_counter() - started
    results = []
    for item in items:
        t0 = time.perf_counter()
        brief = desk.ask(item.question)
        results.append(score_item(item, brief, time.perf_counter() - t0))
    gaps = recall_gaps(desk.store, items)
    desk.close()
    summary = {**summarize(results), "index_seconds": round(index_seconds, 1), "recall": asdict(gaps)}
    if out is not None:
        with out.open("w", encoding="utf-8") as handle:
            for result in results:
                handle.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
    return summary, results
