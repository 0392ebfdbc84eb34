"""Questions with parts: how a question is split, and what a part's own search may cite.

The collection is written here (fictional mills and papers): one paper's many June articles on a strike
crowd its one May article out of an unrestricted search, and one mill is named only in an article about
something else. Real embedder, real SQLite index, the whole `Desk.ask`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.analyze.question import question_parts
from newsdesk.answer.parts import month_span
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.model import Brief


def _article(title: str, outlet: str, published: str, text: str) -> dict[str, str]:
    return {"title": title, "outlet": outlet, "published": f"{published}T09:00:00+00:00", "text": text}


JUNE = [_article(f"Fenwick mill workers vote to strike on, day {day}", "Weir Gazette", f"2031-06-{day:02d}",
                 f"Workers at the Fenwick mill voted again to strike over pay on day {day} of the dispute. "
                 f"The union said {day * 40} workers had joined the strike and that talks would resume.")
        for day in range(1, 25)]
COLLECTION = [
    *JUNE,
    _article("Fenwick mill ballot backs action", "Weir Gazette", "2031-05-20",
             "Staff at the Fenwick mill backed a strike over pay in a ballot on Tuesday, the union said."),
    _article("Fenwick mill staff back a strike", "Dale Courier", "2031-05-21",
             "Staff at the Fenwick mill have voted to strike, their union said on Wednesday."),
    _article("Harrow mill opens a riverside cafe", "Dale Courier", "2031-05-02",
             "The Harrow mill opened a riverside cafe on Saturday, serving cakes and tea to walkers on the towpath."),
]


@pytest.fixture(scope="module")
def mills(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Desk]:
    folder: Path = tmp_path_factory.mktemp("parts")
    (folder / "mills.jsonl").write_text("".join(json.dumps(a) + "\n" for a in COLLECTION), encoding="utf-8")
    desk = Desk(folder / "index.db", load_config(db=str(folder / "index.db")))
    assert desk.ingest([str(folder / "mills.jsonl")]).failed == 0
    yield desk
    desk.close()


def part_notes(brief: Brief) -> dict[str, str]:
    return {n.split(":", 1)[0]: n for n in brief.notes if n.startswith("Part ")}


def cited_title(brief: Brief, note: str) -> str:
    return next(s.title for s in brief.sources if f"[{s.n}]" in note)


def test_both_with_any_verb_is_split_at_the_second_name() -> None:
    parts = question_parts("Did both Joe Biden and Jill Biden test positive for Covid-19?")
    assert [(p.name, p.rest) for p in parts] == [("Joe Biden", "test positive for Covid-19"),
                                                  ("Jill Biden", "test positive for Covid-19")]
    assert [p.name for p in question_parts("Did both Walmart and Target cut prices this summer?")] == [
        "Walmart", "Target"]
    assert question_parts("Did both teams win the cup?") == ()


def test_an_order_question_gives_the_second_owner_the_first_owners_thing() -> None:
    parts = question_parts("Was Joe Biden's Covid diagnosis reported before Jill Biden's?")
    assert [p.name for p in parts] == ["Joe Biden's Covid diagnosis", "Jill Biden's Covid diagnosis"]


def test_a_month_without_a_year_is_the_last_such_month_up_to_the_questions_date() -> None:
    assert month_span("July", "2022-08-26") == ("2022-07-01", "2022-07-31")
    assert month_span("September", "2022-08-26") == ("2021-09-01", "2021-09-30")
    assert month_span("February 2024", "2030-01-01") == ("2024-02-01", "2024-02-29")
    assert month_span("Monday", "2022-08-26") is None and month_span(None, "2022-08-26") is None


def test_a_part_given_a_month_is_searched_within_that_month(mills: Desk) -> None:
    brief = mills.ask("Which mill, reported by the Weir Gazette in May and by the Dale Courier in May, "
                      "had workers vote to strike?")
    notes = part_notes(brief)
    gazette = notes['Part "the Weir Gazette" (May)']
    assert "found nothing" not in gazette and "published 2031-05-20" in gazette
    assert cited_title(brief, gazette) == "Fenwick mill ballot backs action"
    assert cited_title(brief, notes['Part "the Dale Courier" (May)']) == "Fenwick mill staff back a strike"


def test_a_named_part_is_cited_only_from_an_article_about_what_is_asked_of_it(mills: Desk) -> None:
    brief = mills.ask("Did both Fenwick and Harrow mill workers vote to strike?")
    notes = part_notes(brief)
    assert set(notes) == {'Part "Fenwick"', 'Part "Harrow"'}
    assert "found nothing" in notes['Part "Harrow"']  # its one article is about a cafe
    assert "strike" in cited_title(brief, notes['Part "Fenwick"'])


def test_which_came_first_and_before_or_after_name_the_two_events() -> None:
    for text in ("Which happened first, the Yellowstone flooding or the Afghanistan earthquake?",
                 "Was the Yellowstone flooding reported before or after the Afghanistan earthquake?"):
        assert [p.name for p in question_parts(text)] == ["the Yellowstone flooding", "the Afghanistan earthquake"]
    assert question_parts("What was the first thing the mayor said?") == ()
