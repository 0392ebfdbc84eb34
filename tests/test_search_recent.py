"""A question about now ("this week") also searches the days before its date, so a recent report is found."""

from __future__ import annotations

import json

import pytest

from newsdesk import search
from newsdesk.analyze.question import analyze_question, asks_about_now
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.model import Filters
from newsdesk.search import hybrid_search, recent_window

TOWNS = ["Arlen", "Bexley", "Corran", "Dunmore", "Elsworth", "Fenwick", "Garrow", "Halden", "Ivesby", "Jorvik",
         "Kestrel", "Lindow", "Marsh End", "Norwood", "Oxley", "Pelham", "Quarry Hill", "Redgate"]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    folder = tmp_path_factory.mktemp("recent")
    lines = []
    for i, town in enumerate(TOWNS):  # older, wordier matches: BM25 prefers them
        lines.append({"title": f"{town} mayor resigns", "outlet": f"{town} Courier",
                      "published": f"20{10 + i % 9}-03-0{1 + i % 8}",
                      "text": f"The mayor of {town} announced his resignation on Monday. The resignation follows a "
                              f"dispute over the {town} budget. Council members said the resignation was expected, "
                              f"and the mayor will resign formally at the end of the month."})
    lines.append({"title": "Prime minister of Velmark steps down", "outlet": "Velmark Today", "published": "2022-07-07",
                  "text": "The prime minister of Velmark announced on Thursday that he will resign after a revolt in "
                          "his party. A successor will be chosen by the autumn."})
    (folder / "news.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    db = folder / "index.db"
    d = Desk(db, load_config(db=str(db)))
    assert d.ingest([str(folder / "news.jsonl")]).added == len(TOWNS) + 1
    yield d
    d.close()


def _articles(desk: Desk, recent_before: str | None) -> list[str]:
    question = analyze_question("Which leader announced his resignation this week?")
    hits = hybrid_search(question, desk.store, desk.embedder,
                         filters=Filters(until="2022-07-08"), limit=40, articles=12, recent_before=recent_before)
    titles = {aid: a.title for aid, a in desk.store.articles([h.passage.article_id for h in hits]).items()}
    return list(dict.fromkeys(titles[h.passage.article_id] for h in hits))


def test_the_recent_days_bring_a_report_that_older_wordier_ones_bury(desk: Desk) -> None:
    assert "Prime minister of Velmark steps down" not in _articles(desk, None)
    assert "Prime minister of Velmark steps down" in _articles(desk, "2022-07-08")


def test_a_question_about_now_is_asked_with_its_recent_days(desk: Desk) -> None:
    brief = desk.ask("Which leader announced his resignation this week?", Filters(until="2022-07-08"))
    assert "Prime minister of Velmark steps down" in [s.title for s in brief.sources]


@pytest.mark.parametrize("text", ["Who resigned this week?", "Was ist diese Woche passiert?",
                                  "Qui a démissionné cette semaine ?", "¿Quién dimitió esta semana?", "最近谁辞职了？",
                                  "What did the council decide recently?", "Who will tour later this year?",
                                  "Which item rose most in price over the last 12 months?",
                                  "Who was arrested this morning?"])
def test_questions_about_now_are_recognised_in_several_languages(text: str) -> None:
    assert asks_about_now(text)
    assert analyze_question(text).about_now


@pytest.mark.parametrize("text", ["Who resigned in 2016?", "What caused the flood in Arlen?"])
def test_questions_about_a_past_time_are_not_about_now(text: str) -> None:
    assert not asks_about_now(text)
    assert not analyze_question(text).about_now


def test_the_recent_window_stays_inside_the_users_filters() -> None:
    assert recent_window(Filters(), "2022-07-08") == Filters(since="2022-06-24", until="2022-07-08")
    assert recent_window(Filters(since="2022-07-01"), "2022-07-08").since == "2022-07-01"
    assert recent_window(Filters(until="2022-01-01"), "2022-07-08") is None
    assert recent_window(Filters(), None) is None and recent_window(Filters(), "not a date") is None


def test_for_a_question_about_now_reports_from_months_before_keep_half_their_score(desk: Desk) -> None:
    ids = desk.store.article_ids()
    dates = desk.store.published_dates(ids)
    scores = dict.fromkeys(ids, 1.0)
    search._demote_stale(scores, desk.store, "2022-07-08", within=len(ids))  # noqa: SLF001
    assert {aid: scores[aid] for aid in ids} == {
        aid: 1.0 if dates[aid] >= "2022-04-01" else search.STALE_FACTOR for aid in ids}
    assert sorted(scores.values()).count(1.0) == 1, "only the report of this July keeps its whole score"


def test_old_reports_keep_their_place_for_a_question_not_about_now(desk: Desk) -> None:
    assert _articles(desk, None)[0] != "Prime minister of Velmark steps down"
    assert _articles(desk, "2022-07-08")[0] == "Prime minister of Velmark steps down"


@pytest.mark.parametrize("text", ["What NFL star announced his retirement on Tuesday?",
                                  "Dozens were missing early Thursday after flooding in which state?",
                                  "Wer ist am Montag zurückgetreten?", "Qui a démissionné mardi ?",
                                  "¿Quién dimitió el lunes?", "周三谁辞职了？"])
def test_a_weekday_in_a_question_means_this_week(text: str) -> None:
    assert asks_about_now(text)
