"""Multiple-choice scoring in `newsdesk eval realtimeqa --choices`: support comes from what the brief shows."""

from __future__ import annotations

import json
from pathlib import Path

from newsdesk.eval.realtimeqa import (
    contains_choice,
    evaluate_question,
    load_questions,
    pick_choice,
    score_choices,
    summarize,
)
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


def _week_without_gold(directory: Path, results: list[str], answer: str, choices: list[str] | None = None,
                       variant: str = "qa") -> None:
    record = {"question_id": "20240105_0", "search_result": [{"text": t, "url": f"https://example.org/{i}"}
                                                             for i, t in enumerate(results)]}
    (directory / "20240105_gcs.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    qa = {"question_id": "20240105_0" + ("_nota" if variant == "qa_nota" else ""), "question_date": "2024/01/05",
          "question_sentence": "Which city hosts the fair?", "choices": choices or ["Lyon", answer, "Porto", "Graz"],
          "answer": ["1"]}
    (directory / f"20240105_{variant}.jsonl").write_text(json.dumps(qa) + "\n", encoding="utf-8")


def test_a_week_without_gold_asks_every_question_and_says_whether_its_results_name_the_answer(tmp_path: Path) -> None:
    _week_without_gold(tmp_path, ["Organisers said the fair opens in Tarrow."], "Tarrow")
    (question,) = load_questions(tmp_path, ["20240105"])
    assert question.corpus_names_answer and not question.gold_ids
    _week_without_gold(tmp_path, ["Organisers said the fair opens next week."], "Tarrow")
    (question,) = load_questions(tmp_path, ["20240105"])
    assert not question.corpus_names_answer


def test_without_gold_articles_the_citation_figures_are_absent(tmp_path: Path) -> None:
    _week_without_gold(tmp_path, ["Organisers said the fair opens in Tarrow."], "Tarrow")
    (question,) = load_questions(tmp_path, ["20240105"])
    brief = _brief(["The fair opens in Tarrow on Monday."], [])
    summary = summarize([evaluate_question(question, brief, True, 0.0)], True)
    assert "gold_in_sources" not in summary and "answerable_questions" not in summary
    assert summary["named_questions"] == 1
    assert summary["named_choice_in_answer"] == 1.0 and summary["choice_accuracy"] == 1.0


def test_the_none_of_the_above_variant_is_read_from_its_own_file(tmp_path: Path) -> None:
    _week_without_gold(tmp_path, ["The fair opens in Tarrow."], "Tarrow",
                       ["Lyon", "None of the above", "Porto", "Graz"], variant="qa_nota")
    (question,) = load_questions(tmp_path, ["20240105"], "qa_nota")
    assert question.question_id == "20240105_0_nota"
    assert question.choices[question.answer_index] == "None of the above"


def test_none_of_the_above_is_picked_when_no_choice_is_quoted() -> None:
    brief = _brief(["The fair opens in Tarrow on Monday."], ["Fair season begins"])
    choices = ["Lyon", "Porto", "Graz", "None of the above"]
    assert pick_choice(choices, brief)[0] == 3
    assert pick_choice(["Lyon", "Tarrow", "Graz", "None of the above"], brief)[0] == 1


def test_when_nothing_quoted_names_a_choice_the_cited_sources_full_text_decides() -> None:
    brief = _brief(["The fair opens on Monday, organisers said."], ["Fair season begins"])
    texts = ["Organisers said the fair opens on Monday. Last year it was held in Porto, and this year in Graz too."]
    picked, scores = pick_choice(["Lyon", "Porto", "Oslo"], brief, texts)
    assert scores[0] == 0.0 and scores[1] > 0 and picked == 1


def test_a_number_written_as_a_word_counts_for_its_figure() -> None:
    assert contains_choice("Four years after the invasion, talks resumed.", "4")
    assert contains_choice("The crash killed 12 people.", "twelve")
    assert not contains_choice("Someone said the talks resumed.", "1")
