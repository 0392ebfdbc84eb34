"""Several right answers and planted falsehoods, on our own dev articles (tests/data/several/articles.jsonl).

One name covering several entities gets one labelled answer line per entity; a minority of sources giving
another value for the answered fact is named in the brief's notes. Real embedder, real SQLite index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.answer.entities import describe, same_entity
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.eval.several import DEV, load_jsonl
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
