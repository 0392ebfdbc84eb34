"""The learned answer ranker: features measured per sentence, the JSON model scored with numpy, chosen by name."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.analyze.question import analyze_question
from newsdesk.analyze.terms import content_terms, stem
from newsdesk.answer.features import FEATURES
from newsdesk.answer.rank import rank_sentences
from newsdesk.answer.ranker import HAND, answer_threshold, load_ranker, model_from_json
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.eval.train_ranker import (
    abstention_counts,
    abstention_figures,
    calibration,
    choose_threshold,
    label,
    without_articles,
)
from newsdesk.model import Article, Sentence


def _model(weights: dict[str, float], intercept: float = 0.0) -> dict[str, object]:
    return {"features": list(FEATURES), "mean": [0.0] * len(FEATURES), "scale": [1.0] * len(FEATURES),
            "weights": [weights.get(f, 0.0) for f in FEATURES], "intercept": intercept}


def _article(aid: str, text: str, published: str, title: str = "Fair news") -> Article:
    return Article(aid, text, title, published=published, language="en")


def _pool(article: Article) -> list[tuple[Sentence, float]]:
    start = 0
    out = []
    for index, part in enumerate(article.text.split("\n")):
        out.append((Sentence(article.id, index, start, start + len(part), part), 1.0))
        start += len(part) + 1
    return out


def test_the_hand_ranker_is_selectable_by_name_as_the_baseline() -> None:
    assert load_ranker(HAND) is None


def test_the_packaged_learned_model_loads_and_gives_probabilities() -> None:
    model = load_ranker("learned")
    assert model is not None and model.features == FEATURES
    p = model.probabilities(np.zeros((2, len(FEATURES))))
    assert ((p > 0) & (p < 1)).all()


def test_a_model_made_for_other_features_is_refused_naming_them() -> None:
    data = _model({})
    data["features"] = [*FEATURES[:-1], "colour"]
    with pytest.raises(ValueError, match="colour"):
        model_from_json(data, "old")


def test_an_unknown_ranker_name_fails_when_the_desk_opens(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown ranker 'clever'"):
        Desk(tmp_path / "x.db", load_config(db=str(tmp_path / "x.db"), ranker="clever"))


def test_a_ranker_file_given_by_path_is_used(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(_model({"dense": 2.0}, -1.0)), encoding="utf-8")
    model = load_ranker(str(path))
    assert model is not None and model.weights[FEATURES.index("dense")] == 2.0


def test_a_page_years_older_than_the_question_is_marked_old(embedder: Embedder) -> None:
    question = analyze_question("Which city hosts the trade fair?")
    old = _article("a-old", "The trade fair was held in Lyon that spring, with record crowds.", "2013-05-01")
    new = _article("a-new", "The trade fair opens in Tarrow on Monday, organisers said.", "2026-03-01")
    pool = _pool(old) + _pool(new)
    vector = embedder.embed_queries([question.text])[0]
    ranked = rank_sentences(question, pool, embedder, vector, {"a-old": old, "a-new": new}, "2026-03-03",
                            with_features=True)
    rows = {c.sentence.article_id: c.features for c in ranked}
    column = FEATURES.index("old")
    assert rows["a-old"] is not None and rows["a-new"] is not None
    assert rows["a-old"][column] == 1.0 and rows["a-new"][column] == 0.0


def test_a_learned_model_orders_sentences_by_its_probability(embedder: Embedder, tmp_path: Path) -> None:
    question = analyze_question("Which city hosts the trade fair?")
    old = _article("a-old", "The trade fair was held in Lyon that spring, with record crowds.", "2013-05-01")
    new = _article("a-new", "The trade fair opens in Tarrow on Monday, organisers said.", "2026-03-01")
    pool = _pool(old) + _pool(new)
    vector = embedder.embed_queries([question.text])[0]
    articles = {"a-old": old, "a-new": new}
    path = tmp_path / "recent.json"
    for weight, first in ((-4.0, "a-new"), (4.0, "a-old")):  # a model that dislikes, then one that likes old pages
        path.write_text(json.dumps(_model({"old": weight})), encoding="utf-8")
        load_ranker.cache_clear()
        ranked = rank_sentences(question, pool, embedder, vector, articles, "2026-03-03", load_ranker(str(path)))
        assert ranked[0].sentence.article_id == first
        assert ranked[0].ordered_by_model and 0 < ranked[0].score < 1
        assert ranked[0].confidence is not None and 0 <= ranked[0].confidence <= 1


def test_a_sentence_is_labelled_an_answer_when_it_names_the_choice_and_is_about_the_question() -> None:
    asked = frozenset(stem(w) for w in content_terms("Which city hosts the trade fair?"))
    assert label("The trade fair opens in Tarrow on Monday.", "Tarrow", asked)
    assert not label("Tarrow's mayor resigned on Monday.", "Tarrow", asked)  # names it, about something else
    assert not label("The trade fair opens on Monday.", "Tarrow", asked)
    assert label("Four years after the war, the fair is back.", "4", asked)


def _toy_set() -> dict[str, np.ndarray]:
    """Two questions as asked (three candidates each, one answering) and searched again without the answer.

    Rows 0-2: question 0 as asked (row 1 answers); rows 3-5: question 1 as asked (row 4 answers);
    rows 6-7: question 0 unanswerable; rows 8-9: question 1 unanswerable.
    """
    return {"question": np.array([0, 0, 0, 1, 1, 1, 0, 0, 1, 1]),
            "labels": np.array([0, 1, 0, 0, 1, 0, 0, 0, 0, 0], dtype=np.int8),
            "unanswerable": np.array([False] * 6 + [True] * 4)}


CONFIDENCE = np.array([0.2, 0.6, 0.1, 0.3, 0.25, 0.2, 0.2, 0.1, 0.3, 0.2])


def test_a_threshold_keeps_an_answer_only_when_its_line_is_sure_enough() -> None:
    data = _toy_set()
    figures = abstention_figures(abstention_counts(data, CONFIDENCE, CONFIDENCE, 0.5))
    assert figures["choice_in_top3"] == 1.0
    assert figures["choice_in_answer"] == 0.5 and figures["cost"] == 0.5  # question 1's answer line is at 0.25
    # searched without the articles naming the answer, nothing left reaches 0.5 for either question
    assert figures["not_found_when_unanswerable"] == 1.0
    lower = abstention_figures(abstention_counts(data, CONFIDENCE, CONFIDENCE, 0.25))
    assert lower["not_found_when_unanswerable"] == 0.5  # question 1's unanswerable search still shows a 0.3 line


def test_abstention_follows_the_brief_order_not_the_confidence_order() -> None:
    data = _toy_set()
    order = np.array([3, 0, 2, 1, 0, 2, 0, 0, 0, 0], dtype=float)  # an order putting question 0's answer last
    counts = abstention_counts(data, order, CONFIDENCE, 0.0)
    # question 0's three candidates are all shown (top 3), so its answer is still in the answer
    assert counts["choice_in_top3"] == 2 and counts["choice_in_answer"] == 2


def test_the_chosen_threshold_costs_no_more_answers_than_allowed() -> None:
    data = _toy_set()
    threshold = choose_threshold(data, CONFIDENCE, CONFIDENCE, max_cost=0.0)
    counts = abstention_counts(data, CONFIDENCE, CONFIDENCE, threshold)
    assert abstention_figures(counts)["cost"] == 0.0
    assert threshold == 0.25


def test_a_threshold_is_chosen_only_on_the_questions_given() -> None:
    data = _toy_set()
    # on question 0 alone the answer line is at 0.6: a threshold up to it costs nothing
    assert choose_threshold(data, CONFIDENCE, CONFIDENCE, {0}, max_cost=0.0) == 0.6


def test_the_reliability_table_compares_confidence_with_how_often_lines_answer() -> None:
    y = np.array([0, 0, 0, 1, 1, 1, 1, 0], dtype=float)
    p = np.array([0.05, 0.05, 0.05, 0.05, 0.95, 0.95, 0.95, 0.95])
    figures = calibration(y, p)
    table = {row["bin"]: row for row in figures["reliability"]}
    assert table["0.0-0.1"]["lines"] == 4 and table["0.0-0.1"]["share_answering"] == 0.25
    assert table["0.9-1.0"]["share_answering"] == 0.75
    assert figures["ece"] == 0.2  # |0.05 - 0.25| and |0.95 - 0.75|, each half the lines


def test_a_model_file_calibrates_its_scores_and_keeps_a_threshold_per_order() -> None:
    data = _model({"dense": 1.0})
    data["calibration"] = {"scores": [0.1, 0.5, 0.9], "probabilities": [0.0, 0.2, 0.8]}
    data["answer_confidence"] = {"hand": 0.15, "learned": 0.3}
    model = model_from_json(data, "calibrated")
    assert np.allclose(model.confidence(np.array([0.05, 0.3, 0.7, 1.0])), [0.0, 0.1, 0.5, 0.8])
    assert answer_threshold("model", model, "hand") == 0.15
    assert answer_threshold("model", model, "learned") == 0.3
    assert answer_threshold("0.4", model, "hand") == 0.4
    assert answer_threshold("model", None, "hand") == 0.0  # no model, no confidence: never abstain


def test_a_calibration_that_goes_down_is_refused_naming_the_field() -> None:
    data = _model({})
    data["calibration"] = {"scores": [0.5, 0.1], "probabilities": [0.2, 0.4]}
    with pytest.raises(ValueError, match="'calibration'"):
        model_from_json(data, "broken")


def test_an_answer_confidence_setting_out_of_range_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="answer_confidence"):
        answer_threshold("1.5", None, "hand")
    with pytest.raises(ValueError, match="answer_confidence"):
        answer_threshold("sure", None, "hand")


def test_a_confidence_model_beside_the_hand_ranker_keeps_its_order(embedder: Embedder) -> None:
    question = analyze_question("Which city hosts the trade fair?")
    old = _article("a-old", "The trade fair was held in Lyon that spring, with record crowds.", "2013-05-01")
    new = _article("a-new", "The trade fair opens in Tarrow on Monday, organisers said.", "2026-03-01")
    pool = _pool(old) + _pool(new)
    vector = embedder.embed_queries([question.text])[0]
    articles = {"a-old": old, "a-new": new}
    plain = rank_sentences(question, pool, embedder, vector, articles, "2026-03-03")
    data = _model({"old": 4.0})  # a model preferring old pages: it must not reorder the hand-ranked list
    model = model_from_json(data, "likes-old")
    sure = rank_sentences(question, pool, embedder, vector, articles, "2026-03-03", confidence_model=model)
    assert [c.sentence for c in sure] == [c.sentence for c in plain]
    assert [c.score for c in sure] == [c.score for c in plain]
    by_article = {c.sentence.article_id: c.confidence for c in sure}
    assert by_article["a-old"] is not None and by_article["a-new"] is not None
    assert by_article["a-old"] > by_article["a-new"]
    assert all(not c.ordered_by_model for c in sure)


def test_a_name_several_articles_give_counts_as_support_and_a_lone_one_does_not(embedder: Embedder) -> None:
    question = analyze_question("Which city hosts the trade fair?")
    articles = {
        "a1": _article("a1", "The trade fair opens in Tarrow on Monday, organisers said.", "2026-03-01"),
        "a2": _article("a2", "Hotels in Tarrow are full for the trade fair this week.", "2026-03-01"),
        "a3": _article("a3", "Visitors to the trade fair in Tarrow can take the tram.", "2026-03-02"),
        "a4": _article("a4", "The trade fair was once held in Lyon, long ago.", "2026-03-02"),
    }
    pool = [entry for article in articles.values() for entry in _pool(article)]
    vector = embedder.embed_queries([question.text])[0]
    ranked = rank_sentences(question, pool, embedder, vector, articles, "2026-03-03", with_features=True)
    column = FEATURES.index("support")
    support = {c.sentence.article_id: float(c.features[column]) for c in ranked if c.features is not None}
    assert support["a1"] == support["a2"] == support["a3"] > 0  # Tarrow: named by two other articles each
    assert support["a4"] == 0.0  # Lyon: no other article names it


def test_the_unanswerable_search_drops_the_answer_articles_and_takes_the_next_ones() -> None:
    from types import SimpleNamespace

    def hit(aid: str, index: int) -> SimpleNamespace:
        return SimpleNamespace(passage=SimpleNamespace(article_id=aid, index=index))

    hits = [hit("a", 0), hit("b", 0), hit("a", 1), hit("c", 0), hit("d", 0), hit("c", 1), hit("e", 0)]
    kept = without_articles(hits, {"a"}, articles=3)
    assert [(h.passage.article_id, h.passage.index) for h in kept] == [("b", 0), ("c", 0), ("d", 0), ("c", 1)]
