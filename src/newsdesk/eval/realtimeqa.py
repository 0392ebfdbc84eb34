"""Evaluation on RealTime QA weekly files (Kasai et al., 2023): does the brief cite and quote the answer?

For the given weeks, every article (gold and search results together) goes into
one fresh index; every question that has a gold article is asked. Measured per
question and overall: the gold article among the brief's sources, the gold
article as source [1], the correct choice's text in the brief's `answer`, and,
with `choices=True`, whether newsdesk picks the right choice by scoring each
choice against the brief's cited sentences (the key is never looked at).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.analyze.terms import content_terms, stem
from newsdesk.ingest.normalize import normalize
from newsdesk.model import Article, Brief, Filters, RawDocument

_WEEK_FILE = re.compile(r"^(?P<week>\d{8})_(?P<kind>gold|gcs|qa)\.jsonl$")


@dataclass(frozen=True)
class RtqaQuestion:
    question_id: str
    week: str
    date: str  # ISO date the question was asked
    text: str
    choices: tuple[str, ...]
    answer_index: int
    gold_ids: frozenset[str]  # content ids of the gold articles' texts
    # Some gold pages cannot answer: an empty video-player shell, or a related report that never names the
    # answer. Scores are also given over the questions whose gold text holds the correct choice.
    gold_holds_answer: bool = True


@dataclass
class QuestionResult:
    question_id: str
    question: str
    correct_choice: str
    gold_in_sources: bool
    gold_first: bool
    choice_in_answer: bool
    choice_in_brief: bool
    gold_holds_answer: bool = True
    picked_choice: int | None = None
    picked_correct: bool | None = None
    choice_scores: list[float] = field(default_factory=list)
    seconds: float = 0.0
    answer: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def weeks_in(directory: Path) -> list[str]:
    return sorted({m.group("week") for p in directory.iterdir() if (m := _WEEK_FILE.match(p.name))})


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def iter_raw_articles(directory: Path, weeks: Sequence[str]) -> Iterator[RawDocument]:
    """Every search result of the weeks (gold and search) as a raw document, in file order."""
    for week in weeks:
        for kind in ("gold", "gcs"):
            path = directory / f"{week}_{kind}.jsonl"
            for number, record in enumerate(_lines(path), 1):
                for rank, result in enumerate(record.get("search_result") or []):
                    text = result.get("text") or ""
                    if not text.strip():
                        continue
                    authors = result.get("authors")
                    yield RawDocument(
                        origin=f"{path}:line {number}#{rank}",
                        format="jsonl",
                        text=text,
                        url=result.get("url"),
                        title=result.get("title") or None,
                        published=result.get("publish_date") or None,
                        author=", ".join(authors) if isinstance(authors, list) else authors or None,
                        metadata={"question_id": record.get("question_id"), "week": week, "kind": kind},
                    )


def load_questions(directory: Path, weeks: Sequence[str]) -> list[RtqaQuestion]:
    """The questions of the weeks that have at least one non-empty gold article."""
    questions = []
    for week in weeks:
        gold: dict[str, list[Article]] = {}
        for record in _lines(directory / f"{week}_gold.jsonl"):
            for result in record.get("search_result") or []:
                if (result.get("text") or "").strip():
                    article = normalize(RawDocument(origin="gold", format="jsonl", text=result["text"]))
                    gold.setdefault(record["question_id"], []).append(article)
        for record in _lines(directory / f"{week}_qa.jsonl"):
            qid = record["question_id"]
            if qid not in gold:
                continue
            asked = (record.get("question_date") or week).replace("/", "-")
            if len(asked) == 8:
                asked = f"{asked[:4]}-{asked[4:6]}-{asked[6:]}"
            choices = tuple(record["choices"])
            answer_index = int(record["answer"][0])
            holds = any(contains_choice(a.text, choices[answer_index]) for a in gold[qid])
            questions.append(RtqaQuestion(
                qid, week, asked, record["question_sentence"], choices, answer_index,
                frozenset(a.id for a in gold[qid]), holds,
            ))
    return questions


def corpus_fingerprint(directory: Path, weeks: Sequence[str]) -> str:
    """sha256 over the weeks' files, so floors are only compared on the very same data."""
    digest = hashlib.sha256()
    for week in weeks:
        for kind in ("gold", "gcs", "qa"):
            path = directory / f"{week}_{kind}.jsonl"
            if path.exists():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"(?<=\w)['’]s\b", "", text)  # possessive: "Colombia’s" holds "Colombia"
    text = re.sub(r"[“”\"‘’'`´]", "", text)
    return " ".join(re.sub(r"[^\w%$€£.,-]+", " ", text).split()).strip(" .,")


def contains_choice(text: str, choice: str) -> bool:
    """The choice's words appear together in the text (quotes, case, spacing, plural or possessive ending ignored)."""
    folded = _fold(choice)
    if not folded:
        return False
    return re.search(rf"(?<!\w){re.escape(folded)}(?:s|es)?(?!\w)", _fold(text)) is not None


# A cited source's headline names what its sentences call "the show" or "the country"; it supports a
# choice less than a quoted sentence does, so a sentence that names a choice outweighs it.
TITLE_WEIGHT = 0.6


def score_choices(choices: Sequence[str], brief: Brief) -> list[float]:
    """How strongly the brief's own cited sentences (and its sources' headlines) support each choice.

    No access to the key. A sentence quoting the choice whole counts fully; otherwise the share of
    the choice's words it holds. Sentences count by their rank in the brief, answer first; the
    headlines of the sources, by source rank, at `TITLE_WEIGHT`.
    """
    statements = [(s.text, 1.0) for s in [*brief.answer, *brief.evidence]]
    titles = [(s.title, TITLE_WEIGHT) for s in brief.sources if s.title]
    scores = []
    for choice in choices:
        words = {stem(w) for w in content_terms(choice)} or {stem(w) for w in _fold(choice).split()}
        best = 0.0
        for texts in (statements, titles):
            for rank, (text, factor) in enumerate(texts):
                best = max(best, factor * _support(text, choice, words) / (1.0 + 0.15 * rank))
        scores.append(round(best, 4))
    return scores


def _support(text: str, choice: str, words: set[str]) -> float:
    """1 when `text` holds the choice whole, else 0.8 times the share of the choice's words it holds."""
    if contains_choice(text, choice):
        return 1.0
    if not words:
        return 0.0
    return 0.8 * len(words & {stem(w) for w in content_terms(text)}) / len(words)


def evaluate_question(question: RtqaQuestion, brief: Brief, choices: bool, seconds: float) -> QuestionResult:
    correct = question.choices[question.answer_index]
    source_ids = [s.article_id for s in brief.sources]
    # A source stands for its near-duplicate copies too (ingest.dedupe): the gold text under another id is found.
    carried = [{s.article_id, *(c["article_id"] for c in s.copies)} for s in brief.sources]
    answer_text = " ".join(s.text for s in brief.answer)
    brief_text = " ".join(s.text for s in [*brief.answer, *brief.evidence])
    result = QuestionResult(
        question_id=question.question_id,
        question=question.text,
        correct_choice=correct,
        gold_in_sources=any(ids & question.gold_ids for ids in carried),
        gold_first=bool(carried) and bool(carried[0] & question.gold_ids),
        choice_in_answer=contains_choice(answer_text, correct),
        choice_in_brief=contains_choice(brief_text, correct),
        gold_holds_answer=question.gold_holds_answer,
        seconds=round(seconds, 3),
        answer=[s.text for s in brief.answer],
        sources=source_ids,
    )
    if choices:
        scores = score_choices(question.choices, brief)
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        result.choice_scores = scores
        result.picked_choice = best if scores[best] > 0 else None
        result.picked_correct = result.picked_choice == question.answer_index
    return result


def summarize(results: Sequence[QuestionResult], choices: bool) -> dict[str, float]:
    n = len(results) or 1
    summary = {
        "questions": len(results),
        "gold_in_sources": sum(r.gold_in_sources for r in results) / n,
        "gold_first": sum(r.gold_first for r in results) / n,
        "choice_in_answer": sum(r.choice_in_answer for r in results) / n,
        "choice_in_brief": sum(r.choice_in_brief for r in results) / n,
        "seconds_per_question": sum(r.seconds for r in results) / n,
    }
    if choices:
        summary["choice_accuracy"] = sum(bool(r.picked_correct) for r in results) / n
    answerable = [r for r in results if r.gold_holds_answer]
    m = len(answerable) or 1
    summary.update(
        answerable_questions=len(answerable),
        answerable_gold_in_sources=sum(r.gold_in_sources for r in answerable) / m,
        answerable_choice_in_answer=sum(r.choice_in_answer for r in answerable) / m,
    )
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in summary.items()}


def run_realtimeqa(
    directory: Path,
    weeks: Sequence[str] | None = None,
    *,
    db: str | Path,
    choices: bool = False,
    out: Path | None = None,
    limit: int | None = None,
    reuse_index: bool = False,
) -> tuple[dict[str, Any], list[QuestionResult]]:
    """Build the index for `weeks` in `db` (unless reusing one) and evaluate every gold question."""
    from newsdesk.config import load_config
    from newsdesk.desk import Desk
    from newsdesk.ingest.pipeline import ingest_documents

    weeks = list(weeks or weeks_in(directory))
    desk = Desk(db, load_config(db=str(db)))
    started = time.perf_counter()
    report = None
    if not reuse_index:
        report = ingest_documents(iter_raw_articles(directory, weeks), desk.store, desk.embedder,
                                  batch_size=desk.config.batch_size,
                                  dense_passages=desk.config.dense_passages)
    ingest_seconds = time.perf_counter() - started
    questions = load_questions(directory, weeks)[: limit or None]
    results = []
    for question in questions:
        t0 = time.perf_counter()
        # The quiz was asked on its date: what was published later did not exist yet.
        brief = desk.ask(question.text, Filters(until=question.date))
        results.append(evaluate_question(question, brief, choices, time.perf_counter() - t0))
    desk.close()
    summary: dict[str, Any] = {
        "weeks": weeks,
        "fingerprint": corpus_fingerprint(directory, weeks),
        **summarize(results, choices),
        "ingest_seconds": round(ingest_seconds, 2),
    }
    if report is not None:
        summary.update(articles_read=report.read, articles_added=report.added, articles_known=report.known,
                       articles_failed=report.failed)
    if out is not None:
        with out.open("w", encoding="utf-8") as handle:
            for result in results:
                handle.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
    return summary, results

