"""Evaluation on RGB `en_fact` (Chen et al., AAAI 2024): does the brief show a disagreement as one?

For every question three fresh collections are indexed, each passage one article from its
own made-up outlet (outlet-N.example):
- mixed: the `positive` passages, the same passages with the answer swapped for a fake one
  (`positive_wrong`), and the `negative` ones. Measured: the answer quotes the true answer,
  quotes the fake one, the brief flags a disagreement with one version holding the true
  answer and another the fake (target ≥ 0.90), or presents one of them as settled (quotes
  it with no such flag);
- agreeing: only the `positive` passages. Any disagreement flagged is a false alarm
  (target ≤ 0.05);
- negatives only: the brief should say it found no answer rather than quote irrelevant text.
The embedder is loaded once for all questions. Data is read from where it lies.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.config import load_config
from newsdesk.model import Brief, RawDocument
from newsdesk.render.plain import plain


@dataclass
class RgbResult:
    id: int
    query: str
    answers: list[str]
    fake: str
    true_in_answer: bool = False
    fake_in_answer: bool = False
    flagged: bool = False  # a conflict with the true answer in one version and the fake in another
    any_conflict: bool = False
    settled: bool = False  # one of them quoted in the answer, with no flag
    settled_on_fake: bool = False  # the fake quoted, the true one not, no flag
    false_alarm: bool = False  # agreeing collection: any conflict flagged
    false_alarm_on_answer: bool = False  # agreeing collection: a conflict whose versions hold the true answer
    no_answer_on_negatives: bool | None = None  # None when the question has no negative passages
    seconds: float = 0.0
    answer: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def load_rgb(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _answers(value: Any) -> list[str]:
    """RGB answers are a string or (nested) lists of accepted spellings."""
    if isinstance(value, str):
        return [value]
    out: list[str] = []
    for item in value or []:
        out.extend(_answers(item))
    return out


def norm(text: str) -> str:
    """Lower case, punctuation (but $ and decimal points) dropped, spaces collapsed: "Jul. 21, 2017" ~ "jul 21 2017"."""
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text.lower())
    text = re.sub(r"[^\w$.%]+", " ", text)
    return " ".join(text.split())


def contains(text: str, answers: list[str]) -> bool:
    haystack = f" {norm(text)} "
    return any(f" {norm(a)} " in haystack for a in answers if norm(a))


def documents(record: dict[str, Any], kinds: tuple[str, ...]) -> list[RawDocument]:
    """One raw document per passage, shuffled reproducibly, each from a distinct made-up outlet."""
    passages = [(kind, i, text) for kind in kinds for i, text in enumerate(record.get(kind) or [])]
    random.Random(f"rgb-{record['id']}-{'+'.join(kinds)}").shuffle(passages)
    docs = []
    for n, (kind, i, text) in enumerate(passages, start=1):
        outlet = f"outlet-{n}.example"
        docs.append(RawDocument(origin=f"rgb:{record['id']}:{kind}#{i}", format="text", text=text, outlet=outlet,
                                url=f"https://{outlet}/rgb/{record['id']}/{n}", language="en"))
    return docs


def _brief_for(docs: list[RawDocument], query: str, embedder_name: str) -> Brief:
    """A fresh index of `docs` and the brief for `query` (the embedder is cached per process)."""
    from newsdesk.desk import Desk
    from newsdesk.ingest.pipeline import ingest_documents

    with tempfile.TemporaryDirectory(prefix="newsdesk-rgb-") as tmp:
        db = Path(tmp) / "rgb.db"
        desk = Desk(db, load_config(db=str(db), embedder=embedder_name))
        try:
            ingest_documents(docs, desk.store, desk.embedder, dense_passages=desk.config.dense_passages)
            return desk.ask(query)
        finally:
            desk.close()


def _answer_text(brief: Brief) -> str:
    return "\n".join(q.text for s in brief.answer for q in [s, *s.also])


def _flags(brief: Brief, answers: list[str], fake: list[str]) -> bool:
    for conflict in brief.conflicts:
        versions = conflict.versions
        true_at = {i for i, v in enumerate(versions) if contains(v.text, answers)}
        fake_at = {i for i, v in enumerate(versions) if contains(v.text, fake)}
        if any(i != j for i in true_at for j in fake_at):
            return True
    return False


def evaluate(record: dict[str, Any], embedder_name: str) -> RgbResult:
    answers, fake = _answers(record["answer"]), _answers(record["fakeanswer"])
    started = time.perf_counter()
    result = RgbResult(record["id"], record["query"], answers, fake[0] if fake else "")
    mixed = _brief_for(documents(record, ("positive", "positive_wrong", "negative")), record["query"], embedder_name)
    text = _answer_text(mixed)
    result.true_in_answer = contains(text, answers)
    result.fake_in_answer = contains(text, fake)
    result.flagged = _flags(mixed, answers, fake)
    result.any_conflict = bool(mixed.conflicts)
    result.settled = (result.true_in_answer or result.fake_in_answer) and not result.flagged
    result.settled_on_fake = result.fake_in_answer and not result.true_in_answer and not result.flagged
    result.answer = [s.text for s in mixed.answer]
    result.conflicts = plain(mixed.conflicts)  # as the brief's JSON writes them
    agreeing = _brief_for(documents(record, ("positive",)), record["query"], embedder_name)
    result.false_alarm = bool(agreeing.conflicts)
    result.false_alarm_on_answer = any(contains(v.text, answers) for c in agreeing.conflicts
                                       for v in c.versions)
    if record.get("negative"):
        negatives = _brief_for(documents(record, ("negative",)), record["query"], embedder_name)
        result.no_answer_on_negatives = not negatives.answer
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def run_rgb(path: Path, *, limit: int | None = None, out: Path | None = None,
            progress: Callable[[RgbResult], None] | None = None) -> tuple[dict[str, Any], list[RgbResult]]:
    """Evaluate the first `limit` questions (all by default); per-question results to `out` (JSON Lines)."""
    records = load_rgb(path)[: limit or None]
    embedder_name = load_config().embedder
    results: list[RgbResult] = []
    handle = out.open("w", encoding="utf-8") if out else None
    try:
        for result in _each(records, embedder_name):
            results.append(result)
            if handle:
                handle.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
                handle.flush()
            if progress:
                progress(result)
    finally:
        if handle:
            handle.close()
    return summarize(results, path), results


def _each(records: list[dict[str, Any]], embedder_name: str) -> Iterator[RgbResult]:
    for record in records:
        yield evaluate(record, embedder_name)


def summarize(results: list[RgbResult], path: Path | None = None) -> dict[str, Any]:
    n = len(results)

    def rate(values: list[bool]) -> float | None:
        return round(sum(values) / len(values), 3) if values else None

    on_negatives = [r.no_answer_on_negatives for r in results if r.no_answer_on_negatives is not None]
    return {
        "data": str(path) if path else None,
        "questions": n,
        "true_in_answer": rate([r.true_in_answer for r in results]),
        "fake_in_answer": rate([r.fake_in_answer for r in results]),
        "disagreement_flagged": rate([r.flagged for r in results]),
        "any_conflict_mixed": rate([r.any_conflict for r in results]),
        "presented_as_settled": rate([r.settled for r in results]),
        "fake_presented_as_settled": rate([r.settled_on_fake for r in results]),
        "false_alarm_agreeing": rate([r.false_alarm for r in results]),
        "false_alarm_on_answer": rate([r.false_alarm_on_answer for r in results]),
        "no_answer_on_negatives": rate(on_negatives),
        "seconds_per_question": round(sum(r.seconds for r in results) / n, 2) if n else None,
        "targets": {"disagreement_flagged": ">= 0.90", "false_alarm_agreeing": "<= 0.05"},
    }


def summary_table(summary: dict[str, Any]) -> str:
    rows = [
        ("questions", "questions evaluated"),
        ("true_in_answer", "answer quotes the true answer"),
        ("fake_in_answer", "answer quotes the fake answer"),
        ("disagreement_flagged", "disagreement flagged, true vs fake (target >= 0.90)"),
        ("any_conflict_mixed", "any disagreement flagged (mixed collections)"),
        ("presented_as_settled", "one of them presented as settled"),
        ("fake_presented_as_settled", "the fake one presented as settled"),
        ("false_alarm_agreeing", "false alarm, positive passages only (target <= 0.05)"),
        ("false_alarm_on_answer", "false alarm involving the true answer"),
        ("no_answer_on_negatives", "says 'no answer' on negatives only"),
        ("seconds_per_question", "seconds per question (3 indexes + 3 briefs)"),
    ]
    width = max(len(label) for _, label in rows)
    return "\n".join(f"{label:<{width}}  {summary.get(key)}" for key, label in rows)
