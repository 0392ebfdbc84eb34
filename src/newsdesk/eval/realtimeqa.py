"""Evaluation on RealTime QA weekly files (Kasai et al., 2023): does the brief cite and quote the answer?

For the given weeks, every article (gold and search results together) goes into
one fresh index. A week with a gold file is asked its questions that have a gold
article; a week without one (realtimeqa-2023) is asked every question, and its
citation figures are absent. Measured per question and overall: whether the
question's own search results name the correct choice at all (`corpus_names_answer`),
the gold article among the brief's sources, the gold article as source [1], the
correct choice's text in the brief's `answer`, and, with `choices=True`, whether
newsdesk picks the right choice by scoring each choice against the brief's cited
sentences (the key is never looked at). `variant="qa_nota"` asks the same questions
with a "none of the above" choice.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from newsdesk.analyze.numbers import SPELLED_NUMBERS
from newsdesk.analyze.terms import content_terms, stem
from newsdesk.config import Config, load_config
from newsdesk.ingest.normalize import normalize
from newsdesk.model import Brief, Filters, RawDocument

_WEEK_FILE = re.compile(r"^(?P<week>\d{8})_(?P<kind>gold|gcs|qa|qa_nota)\.jsonl$")
VARIANTS = ("qa", "qa_nota")
NONE_OF_THE_ABOVE = "none of the above"


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
    # The question's own search results (gold or not) name the correct choice: without that no brief can quote it.
    corpus_names_answer: bool = True


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
    corpus_names_answer: bool = True
    has_gold: bool = True
    picked_choice: int | None = None
    picked_correct: bool | None = None
    picked_none_of_the_above: bool | None = None
    answered: bool = True  # the brief's `answer` holds a line (else it says no sentence answers directly)
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


def load_questions(directory: Path, weeks: Sequence[str], variant: str = "qa") -> list[RtqaQuestion]:
    """The questions of the weeks: with a gold file, those that have a non-empty gold article; without one, all.

    `variant` "qa_nota" reads the same questions with a "none of the above" choice (`W_qa_nota.jsonl`).
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown RealTime QA variant {variant!r}; known: {', '.join(VARIANTS)}")
    questions = []
    for week in weeks:
        gold_file = directory / f"{week}_gold.jsonl"
        gold = _texts_by_question(gold_file)
        searched = _texts_by_question(directory / f"{week}_gcs.jsonl")
        for record in _lines(directory / f"{week}_{variant}.jsonl"):
            qid = _base_id(record["question_id"])
            if gold_file.exists() and qid not in gold:
                continue
            asked = (record.get("question_date") or week).replace("/", "-")
            if len(asked) == 8:
                asked = f"{asked[:4]}-{asked[4:6]}-{asked[6:]}"
            choices = tuple(record["choices"])
            answer_index = int(record["answer"][0])
            correct = choices[answer_index]
            gold_articles = [normalize(RawDocument(origin="gold", format="jsonl", text=t)) for t in gold.get(qid, [])]
            holds = any(contains_choice(a.text, correct) for a in gold_articles)
            named = any(contains_choice(t, correct) for t in [*gold.get(qid, []), *searched.get(qid, [])])
            questions.append(RtqaQuestion(
                record["question_id"], week, asked, record["question_sentence"], choices, answer_index,
                frozenset(a.id for a in gold_articles), holds if gold_articles else named, named,
            ))
    return questions


def _base_id(question_id: str) -> str:
    """The id a "none of the above" variant shares with its plain question ("20230106_0_nota" -> "20230106_0")."""
    return question_id.removesuffix("_nota")


def _texts_by_question(path: Path) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for record in _lines(path):
        for result in record.get("search_result") or []:
            if (result.get("text") or "").strip():
                texts.setdefault(record["question_id"], []).append(result["text"])
    return texts


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


_SPELLED = re.compile(rf"\b(?:{'|'.join(SPELLED_NUMBERS)})\b")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SPELLED.sub(lambda m: str(SPELLED_NUMBERS[m.group(0)]), text)  # "four" is the choice "4"
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
        words = _choice_words(choice)
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


# Support a choice needs from the brief before it is picked over "none of the above" (where that is offered).
NOTA_BAR = 0.5
# A cited source's full text, beyond the quoted sentences, decides only when nothing quoted names any choice.
FULL_TEXT_WEIGHT = 0.3


def is_none_of_the_above(choice: str) -> bool:
    return _fold(choice) == NONE_OF_THE_ABOVE


def pick_choice(choices: Sequence[str], brief: Brief, source_texts: Sequence[str] = ()) -> tuple[int, list[float]]:
    """The choice the brief supports best, and each choice's support: a multiple-choice quiz always gets an answer.

    "None of the above", where offered, is picked when no other choice reaches `NOTA_BAR`. Otherwise, when
    nothing the brief quotes or heads with names any choice, the full texts of its cited sources decide (at
    `FULL_TEXT_WEIGHT`, by source rank); with no support anywhere, the first choice (a guess, still an answer).
    """
    scores = score_choices(choices, brief)
    nota = [i for i, c in enumerate(choices) if is_none_of_the_above(c)]
    named = [i for i in range(len(choices)) if i not in nota]
    if not any(scores[i] > 0 for i in named) and source_texts:
        for i in named:
            words = _choice_words(choices[i])
            scores[i] = round(max((FULL_TEXT_WEIGHT * _support(t, choices[i], words) / (1.0 + 0.15 * rank)
                                   for rank, t in enumerate(source_texts)), default=0.0), 4)
    for i in nota:
        scores[i] = NOTA_BAR
    best = max(named or range(len(choices)), key=lambda i: (scores[i], -i))
    if nota and scores[best] < NOTA_BAR:
        best = nota[0]
    return best, scores


def _choice_words(choice: str) -> set[str]:
    return {stem(w) for w in content_terms(choice)} or {stem(w) for w in _fold(choice).split()}


def evaluate_question(question: RtqaQuestion, brief: Brief, choices: bool, seconds: float,
                      source_texts: Sequence[str] = ()) -> QuestionResult:
    """One question's figures; `source_texts` (the cited sources' full texts, in source order) for the pick."""
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
        corpus_names_answer=question.corpus_names_answer,
        has_gold=bool(question.gold_ids),
        seconds=round(seconds, 3),
        answer=[s.text for s in brief.answer],
        sources=source_ids,
        answered=bool(brief.answer),
    )
    if choices:
        result.picked_choice, result.choice_scores = pick_choice(question.choices, brief, source_texts)
        result.picked_correct = result.picked_choice == question.answer_index
        result.picked_none_of_the_above = is_none_of_the_above(question.choices[result.picked_choice])
    return result


def summarize(results: Sequence[QuestionResult], choices: bool) -> dict[str, float]:
    """Overall figures; the citation figures (gold_*) only when some question has a gold article to cite."""
    n = len(results) or 1
    gold = any(r.has_gold for r in results)
    named = [r for r in results if r.corpus_names_answer]
    k = len(named) or 1
    summary: dict[str, float] = {"questions": len(results)}
    if gold:
        summary.update(gold_in_sources=sum(r.gold_in_sources for r in results) / n,
                       gold_first=sum(r.gold_first for r in results) / n)
    summary.update(
        choice_in_answer=sum(r.choice_in_answer for r in results) / n,
        choice_in_brief=sum(r.choice_in_brief for r in results) / n,
        named_questions=len(named),
        named_choice_in_answer=sum(r.choice_in_answer for r in named) / k,
        named_choice_in_brief=sum(r.choice_in_brief for r in named) / k,
        seconds_per_question=sum(r.seconds for r in results) / n,
    )
    summary["answered"] = sum(r.answered for r in results) / n
    if choices:
        summary["choice_accuracy"] = sum(bool(r.picked_correct) for r in results) / n
        # "None of the above" (the _qa_nota variant): picked when it is right, and when it is wrong.
        nota = [r for r in results if is_none_of_the_above(r.correct_choice)]
        if nota:
            others = [r for r in results if not is_none_of_the_above(r.correct_choice)]
            summary.update(nota_questions=len(nota),
                           nota_picked_when_right=sum(bool(r.picked_none_of_the_above) for r in nota) / len(nota),
                           nota_picked_when_wrong=sum(bool(r.picked_none_of_the_above) for r in others)
                           / (len(others) or 1))
    if gold:
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
    variant: str = "qa",
    config: Config | None = None,
) -> tuple[dict[str, Any], list[QuestionResult]]:
    """Build the index for `weeks` in `db` (unless reusing one) and evaluate their questions (`load_questions`)."""
    from newsdesk.desk import Desk
    from newsdesk.ingest.pipeline import ingest_documents

    weeks = list(weeks or weeks_in(directory))
    desk = Desk(db, replace(config, db=str(db)) if config else load_config(db=str(db)))
    started = time.perf_counter()
    report = None
    if not reuse_index:
        report = ingest_documents(iter_raw_articles(directory, weeks), desk.store, desk.embedder,
                                  batch_size=desk.config.batch_size,
                                  dense_passages=desk.config.dense_passages, steps=desk.steps)
    ingest_seconds = time.perf_counter() - started
    questions = load_questions(directory, weeks, variant)[: limit or None]
    results = []
    for question in questions:
        t0 = time.perf_counter()
        # The quiz was asked on its date: what was published later did not exist yet.
        brief = desk.ask(question.text, Filters(until=question.date))
        seconds = time.perf_counter() - t0
        texts = [a.text for s in brief.sources if (a := desk.article(s.article_id))] if choices else []
        results.append(evaluate_question(question, brief, choices, seconds, texts))
    desk.close()
    summary: dict[str, Any] = {
        "weeks": weeks,
        "variant": variant,
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

