"""Retrieval on RGB `zh_refine` (Chen et al., AAAI 2024): Chinese questions, and the same asked in English.

For each question one fresh index holds its `positive` passages (they hold the answer) and its
`negative` ones (related, without it), each passage an article of its own made-up outlet, the
language detected as at any ingest. The question is asked as written (Chinese) and, when a
translation is given (`tests/data/zh_refine_en30.jsonl`: id, query, query_en), in English over
the same index. Measured per asking: the brief's first source is a positive passage (against
`positive_share`, the share of positives indexed: what chance would give), a positive passage
among the brief's sources, the answer quoted in the brief's answer section, and the answer
quoted anywhere in the brief.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from newsdesk.config import load_config
from newsdesk.eval.rgb import _answers, documents, load_rgb
from newsdesk.model import Brief


@dataclass
class Asking:
    id: int
    language: str  # "zh" (as in the data) or "en" (our translation)
    query: str
    positive_first: bool  # the brief's first source (its best answer's) is a positive passage
    positive_share: float  # positives among all passages indexed: what a random first source would score
    positive_cited: bool
    answer_quoted: bool
    answer_in_brief: bool


def load_translations(path: Path) -> dict[int, str]:
    """id -> English question, from a JSON Lines file of {id, query, query_en}."""
    out: dict[int, str] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                out[int(row["id"])] = str(row["query_en"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:line {number}: needs id and query_en ({exc})") from exc
    return out


def _quoted(text: str, answers: list[str]) -> bool:
    flat = "".join(text.split()).lower()
    return any("".join(a.split()).lower() in flat for a in answers if a.strip())


def _score(brief: Brief, record: dict[str, Any], language: str, query: str, positive_ids: set[str]) -> Asking:
    answers = _answers(record.get("answer"))
    answer_text = " ".join(s.text for s in brief.answer)
    all_text = " ".join(s.text for s in [*brief.answer, *brief.evidence])
    cited = any(s.article_id in positive_ids for s in brief.sources)
    first = bool(brief.sources) and brief.sources[0].article_id in positive_ids
    positives, negatives = len(record.get("positive") or []), len(record.get("negative") or [])
    share = positives / max(1, positives + negatives)
    return Asking(int(record["id"]), language, query, first, round(share, 3), cited, _quoted(answer_text, answers),
                  _quoted(all_text, answers))


def evaluate(record: dict[str, Any], english: str | None, embedder_name: str) -> list[Asking]:
    """Index the record's passages once; ask in Chinese and (when given) in English."""
    from newsdesk.desk import Desk
    from newsdesk.ingest.pipeline import ingest_documents

    docs = [replace(d, language=None) for d in documents(record, ("positive", "negative"))]
    with tempfile.TemporaryDirectory(prefix="newsdesk-rgbzh-") as tmp:
        db = Path(tmp) / "rgb.db"
        desk = Desk(db, load_config(db=str(db), embedder=embedder_name))
        try:
            ingest_documents(docs, desk.store, desk.embedder, dense_passages=desk.config.dense_passages)
            positive_urls = {d.url for d in docs if ":positive#" in d.origin}
            stored = desk.store.articles(desk.store.article_ids())
            positive_ids = {aid for aid, art in stored.items()
                            if any(loc.url in positive_urls for loc in art.locations)}
            out = [_score(desk.ask(record["query"]), record, "zh", record["query"], positive_ids)]
            if english:
                out.append(_score(desk.ask(english), record, "en", english, positive_ids))
            return out
        finally:
            desk.close()


def run_rgb_retrieval(path: Path, *, translations: Path | None = None, limit: int | None = None,
                      out: Path | None = None, progress: Callable[[Asking], None] | None = None) -> dict[str, Any]:
    """Ask every question (only the translated ones when `translations` is given); rates per language."""
    records = load_rgb(path)
    english = load_translations(translations) if translations else {}
    if english:
        records = [r for r in records if int(r["id"]) in english]
    if limit is not None:
        records = records[:limit]
    embedder_name = load_config().embedder
    results: list[Asking] = []
    for record in records:
        for asking in evaluate(record, english.get(int(record["id"])), embedder_name):
            results.append(asking)
            if progress:
                progress(asking)
    if out:
        with out.open("w", encoding="utf-8") as handle:
            for r in results:
                handle.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")
    summary: dict[str, Any] = {"file": str(path), "questions": len(records)}
    for language in ("zh", "en"):
        rows = [r for r in results if r.language == language]
        if rows:
            summary[language] = {
                "asked": len(rows),
                "positive_first": round(sum(r.positive_first for r in rows) / len(rows), 3),
                "positive_share": round(sum(r.positive_share for r in rows) / len(rows), 3),
                "positive_cited": round(sum(r.positive_cited for r in rows) / len(rows), 3),
                "answer_quoted": round(sum(r.answer_quoted for r in rows) / len(rows), 3),
                "answer_in_brief": round(sum(r.answer_in_brief for r in rows) / len(rows), 3),
            }
    return summary
