"""Several right answers and planted falsehoods, on our own dev articles (tests/data/several/articles.jsonl).

One name covering several entities gets one labelled answer line per entity; a minority of sources giving
another value for the answered fact is named in the brief's notes. Real embedder, real SQLite index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.analyze.question import question_parts
from newsdesk.answer.entities import describe, same_entity
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.eval.several import DEV, load_jsonl, run_dev
from newsdesk.model import Article, Brief


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Desk]:
    folder = tmp_path_factory.mktemp("several")
    rows = [{k: v for k, v in row.items() if k != "key"} for row in load_jsonl(DEV / "articles.jsonl")]
    (folder / "articles.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    desk = Desk(folder / "index.db", load_config(db=str(folder / "index.db")))
    assert desk.ingest([str(folder / "articles.jsonl")]).failed == 0
    yield desk
    desk.close()


def outlets(desk: Desk, brief: Brief) -> list[str | None]:
    return [a.outlet if (a := desk.article(s.citations[0].article_id)) else None for s in brief.answer]


def assert_entity_labels_are_verbatim(desk: Desk, brief: Brief) -> None:
    for statement in brief.answer:
        article = desk.article(statement.citations[0].article_id)
        assert article is not None and statement.entity is not None and statement.entity in article.text
        assert article.text[statement.citations[0].start : statement.citations[0].end] == statement.text


def test_two_towns_called_springfield_get_one_labelled_answer_each(dev: Desk) -> None:
    brief = dev.ask("What did the Springfield city council vote for on Tuesday?")
    assert sorted(outlets(dev, brief)) == ["Ozark Daily", "Sangamon Ledger"]
    assert sorted(s.entity or "" for s in brief.answer) == ["Springfield, Illinois", "Springfield, Missouri"]
    assert_entity_labels_are_verbatim(dev, brief)


def test_two_people_named_john_smith_are_told_apart_by_their_articles_words(dev: Desk) -> None:
    brief = dev.ask("What did John Smith announce on Monday?")
    labels = {s.entity for s in brief.answer}
    assert labels == {"John Smith, the chief executive of Hallam Foods", "John Smith, the Bradford Rovers striker"}
    assert_entity_labels_are_verbatim(dev, brief)


def test_a_name_that_covers_one_entity_leaves_the_answer_unlabelled(dev: Desk) -> None:
    brief = dev.ask("How much will the new Lanton river bridge cost?")
    assert brief.answer and all(s.entity is None for s in brief.answer)


def test_a_role_without_a_name_tells_no_entity_apart() -> None:
    article = Article("a", "Joe Biden, the president, said on Monday that talks would resume.", "Talks")
    assert describe(article, "Joe Biden") is None


def test_one_entity_described_twice_is_one_entity() -> None:
    a = describe(Article("a", "John Smith, the chief executive of Hallam Foods, resigned.", "A"), "John Smith")
    b = describe(Article("b", "John Smith, the Hallam Foods boss, resigned.", "B"), "John Smith")
    c = describe(Article("c", "John Smith, the Bradford Rovers striker, retired.", "C"), "John Smith")
    assert a is not None and b is not None and c is not None
    assert same_entity(a, b) and not same_entity(a, c)


def test_a_minority_value_for_the_answered_fact_is_named_with_its_sources(dev: Desk) -> None:
    brief = dev.ask("Who won the Harlow mayoral election?")
    notes = [n for n in brief.notes if n.startswith("Sources disagree")]
    assert len(notes) == 1, brief.notes
    assert '"Dana Whitfield" (3 sources' in notes[0] and '"Marcus Ode" (1 source' in notes[0]
    conflict_ids = {c.id for c in brief.conflicts}
    assert any(f"(disagreement {k})" in notes[0] for k in conflict_ids)


def test_agreeing_sources_get_no_disagreement_note(dev: Desk) -> None:
    brief = dev.ask("Who will run Hallam Foods while the board searches for a successor?")
    assert brief.answer
    assert not [n for n in brief.notes if n.startswith("Sources disagree")]


# --- questions with parts ----------------------------------------------------------------------------------


def test_a_both_question_names_each_outlet_as_a_part() -> None:
    parts = question_parts("Did both the Dunmore Courier and the Valley Wire report the Kessler Mills silo explosion?")
    assert [p.name for p in parts] == ["the Dunmore Courier", "the Valley Wire"]
    assert {p.rest for p in parts} == {"report the Kessler Mills silo explosion"}


def test_reported_by_clauses_give_each_source_its_time_and_leave_the_question() -> None:
    parts = question_parts("Which company, reported by Yorkshire Business in May and by Tech Ledger in June, "
                           "said it would cut jobs?")
    assert [(p.name, p.time) for p in parts] == [("Yorkshire Business", "May"), ("Tech Ledger", "June")]
    assert parts[0].rest == "Which company, said it would cut jobs"


def test_an_order_question_has_its_two_events_as_parts() -> None:
    parts = question_parts("Was the Orsk chemical spill announced after the Harlow mayoral election?")
    assert [p.name for p in parts] == ["the Orsk chemical spill", "the Harlow mayoral election"]


def test_a_question_without_parts_has_none() -> None:
    assert question_parts("Who won the Harlow mayoral election?") == ()
    assert question_parts("How many people died in the fire and the flood?") == ()


def test_each_part_is_cited_and_the_part_with_nothing_is_named(dev: Desk) -> None:
    brief = dev.ask("Did both the Carrow Standard and the Harlow Post report the Carrow pit collapse?")
    notes = {n.split(":", 1)[0]: n for n in brief.notes if n.startswith("Part ")}
    assert set(notes) == {'Part "the Carrow Standard"', 'Part "the Harlow Post"'}
    assert "found nothing in the articles of Harlow Post" in notes['Part "the Harlow Post"']
    cited = [s for s in brief.answer if any((a := dev.article(c.article_id)) and a.outlet == "Carrow Standard"
                                            for c in s.citations)]
    assert cited and all(dev.article(c.article_id).text[c.start : c.end] == s.text  # type: ignore[union-attr]
                         for s in cited for c in s.citations)


def test_an_order_question_cites_both_events_with_their_dates(dev: Desk) -> None:
    brief = dev.ask("Was the Kessler Mills silo explosion before the Carrow pit collapse?")
    notes = [n for n in brief.notes if n.startswith("Part ")]
    assert len(notes) == 2 and "published 2031-03-0" in notes[0] and "published 2031-03-0" in notes[1]
    cited_titles = {s.title for s in brief.sources if f"[{s.n}]" in " ".join(notes)}
    assert any("Kessler" in t for t in cited_titles) and any("Carrow" in t for t in cited_titles)


def test_the_dev_set_keeps_its_measured_rates() -> None:
    rates = run_dev()["by_kind"]
    assert rates["planted"]["pass"] == 1.0 and rates["planted"]["settled_on_fake"] == 0.0
    assert rates["same_name"]["pass"] == 1.0
    assert rates["figure"]["no_part_as_current"] == 1.0 and rates["figure"]["pass"] >= 0.66
    assert rates["parts"]["missing_part_named"] == 1.0 and rates["parts"]["every_part_cited"] >= 0.87
