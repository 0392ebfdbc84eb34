"""Multiple-choice scoring in `newsdesk eval realtimeqa --choices`: support comes from what the brief shows."""

from __future__ import annotations

import json
from pathlib import Path

from newsdesk.eval.realtimeqa import evaluate_question, load_questions, score_choices, summarize
from newsdesk.model import Brief, Citation, Source, Statement


def _brief(sentences: list[str], titles: list[str]) -> Brief:
    sources = [Source(n, f"a{n}", title, None, None, None, None, "en") for n, title in enumerate(titles, 1)]
    answer = [Statement(text, [Citation(1, "a1", 0, len(text))]) for text in sentences]
    return Brief("q?", answer, [], sources)


def test_a_cited_sources_headline_names_what_its_sentences_only_call_the_show() -> None:
    brief = _brief(["The wildly popular show is green lit for a second season."],
                   ["Netflix renews 'Harbor Lights' for a second season", "Streaming prices rise again"])
    scores = score_choices(["Bright Meadows", "Harbor Lights", "Cold River", "Iron Coast"], brief)
    assert scores.index(max(scores)) == 1 and max(scores) > 0


def test_a_sentence_naming_a_choice_outweighs_a_headline_naming_another() -> None:
    brief = _brief(["Officials in Peru confirmed the outbreak on Monday."],
                   ["Outbreak spreads across Chile's north"])
    scores = score_choices(["Chile", "Peru"], brief)
    assert scores[1] > scores[0] > 0


def test_no_choice_is_supported_when_neither_sentences_nor_headlines_name_one() -> None:
    brief = _brief(["The ministry said the figures would be published later."], ["Ministry delays report"])
    assert score_choices(["Norway", "Kenya"], brief) == [0.0, 0.0]


def _week(directory: Path, gold_text: str, answer: str) -> None:
    record = {"question_id": "q1", "search_result": [{"text": gold_text, "url": "https://example.org/a"}]}
    (directory / "20240105_gold.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (directory / "20240105_gcs.jsonl").write_text("", encoding="utf-8")
    qa = {"question_id": "q1", "question_date": "2024/01/05", "question_sentence": "Which city hosts the fair?",
          "choices": ["Lyon", answer, "Porto", "Graz"], "answer": ["1"]}
    (directory / "20240105_qa.jsonl").write_text(json.dumps(qa) + "\n", encoding="utf-8")


def test_a_gold_page_that_never_names_the_answer_is_marked_unanswerable(tmp_path: Path) -> None:
    _week(tmp_path, "Video player was slow to load content. How relevant is this ad to you?", "Tarrow")
    (question,) = load_questions(tmp_path, ["20240105"])
    assert not question.gold_holds_answer


def test_a_gold_page_naming_the_answer_counts_among_the_answerable(tmp_path: Path) -> None:
    _week(tmp_path, "The trade fair opens in Tarrow on Monday, organisers said.", "Tarrow")
    (question,) = load_questions(tmp_path, ["20240105"])
    assert question.gold_holds_answer
    results = [evaluate_question(question, Brief("Which city hosts the fair?", [], [], []), False, 0.0)]
    assert summarize(results, False)["answerable_questions"] == 1
